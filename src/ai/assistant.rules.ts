// Pure rules of the editor assistant: the system prompt, fitting the tool's context and the
// conversation into the model's window (token budget), and reading the proposed diffs out of an
// answer. No I/O.
import { MESSAGE_OVERHEAD_TOKENS, charsForTokens, estimateTokens } from "./ai.rules";
import type { ChatMessage } from "./ai-client";

export type EditorContext = { source: string; input_schema?: unknown; settings_schema?: unknown; usage_instructions?: string };
export type HistoryMessage = { role: "user" | "assistant"; content: string };

export const ASSISTANT_INSTRUCTIONS = `You are the coding assistant in Skriptoteket, a hub where Swedish teachers run small Python tools.
A tool is one Python file, tool.py, with an entrypoint run_tool(...) executed in a sandbox without network access;
its form is described by input_schema and its per-tool settings by settings_schema (JSON), and usage_instructions
(Markdown) tell teachers how to use it.
Answer in the language of the user's latest message (Swedish or English). Be brief and concrete.
When you propose a change to the code, give it as a unified diff of tool.py in a fenced \`\`\`diff block with the
headers "--- a/tool.py" and "+++ b/tool.py" and correct @@ hunk headers, based exactly on the current source shown
below, with a few unchanged context lines around each change. Put all changes in one diff block when you can.
Do not repeat the whole file. If a part of the source is marked as omitted, do not change that part.`;

/** Share of the prompt budget the editor context may take; the rest is for the conversation. */
const CONTEXT_SHARE = 0.7;

function fence(label: string, lang: string, text: string): string {
  return `${label}:\n\`\`\`${lang}\n${text}\n\`\`\``;
}

/** Keeps the start and the end of a text within `maxChars`, marking the omitted middle by line count. */
export function trimMiddle(text: string, maxChars: number): { text: string; trimmed: boolean } {
  if (text.length <= maxChars) return { text, trimmed: false };
  const keep = Math.max(0, maxChars - 60);
  const head = text.slice(0, Math.ceil(keep * 0.6));
  const tail = text.slice(text.length - Math.floor(keep * 0.4));
  const omitted = text.slice(head.length, text.length - tail.length).split("\n").length;
  return { text: `${head}\n# … ${omitted} lines omitted …\n${tail}`, trimmed: true };
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}

/**
 * The editor context as prompt text within `maxTokens`. The source matters most, so it gets its
 * full share first; schemas and instructions get what is left, each trimmed in the middle.
 */
export function contextText(ctx: EditorContext, maxTokens: number): { text: string; trimmed: boolean } {
  const parts: { label: string; lang: string; body: string }[] = [
    { label: "Current source of tool.py", lang: "python", body: ctx.source },
    { label: "input_schema", lang: "json", body: json(ctx.input_schema ?? []) },
    { label: "settings_schema", lang: "json", body: json(ctx.settings_schema ?? null) },
    { label: "usage_instructions", lang: "markdown", body: ctx.usage_instructions ?? "" },
  ];
  let left = charsForTokens(maxTokens);
  let trimmed = false;
  const out: string[] = [];
  for (const p of parts) {
    const frame = fence(p.label, p.lang, "").length + 2;
    const room = left - frame;
    if (room < 40) {
      trimmed = true;
      continue;
    }
    const t = trimMiddle(p.body, room);
    trimmed ||= t.trimmed;
    const piece = fence(p.label, p.lang, t.text);
    out.push(piece);
    left -= piece.length + 2;
  }
  return { text: out.join("\n\n"), trimmed };
}

export type AssistantPrompt = { messages: ChatMessage[]; contextTrimmed: boolean; droppedHistory: number };

/**
 * The chat messages for one question: system (instructions + editor context), as much recent history
 * as fits, and the new message. Returns null when the new message alone does not fit.
 */
export function buildAssistantPrompt(input: { context: EditorContext; history: readonly HistoryMessage[]; message: string; budgetTokens: number }): AssistantPrompt | null {
  const cost = (content: string) => estimateTokens(content) + MESSAGE_OVERHEAD_TOKENS;
  const fixed = cost(ASSISTANT_INSTRUCTIONS + "\n\n") + cost(input.message);
  if (fixed > input.budgetTokens) return null;
  const available = input.budgetTokens - fixed;
  const ctx = contextText(input.context, Math.floor(available * CONTEXT_SHARE));
  const system = `${ASSISTANT_INSTRUCTIONS}\n\n${ctx.text}`;
  let left = input.budgetTokens - cost(system) - cost(input.message);
  // newest first, as long as it fits; a reply is only kept with its question
  const kept: HistoryMessage[] = [];
  for (let i = input.history.length - 1; i >= 0; i--) {
    const m = input.history[i]!;
    const c = cost(m.content);
    if (c > left) break;
    kept.unshift(m);
    left -= c;
  }
  while (kept[0]?.role === "assistant") kept.shift();
  return {
    messages: [{ role: "system", content: system }, ...kept.map((m) => ({ role: m.role, content: m.content })), { role: "user", content: input.message }],
    contextTrimmed: ctx.trimmed,
    droppedHistory: input.history.length - kept.length,
  };
}

/** The contents of the ```diff (or ```patch) blocks of an answer, in order. */
export function extractDiffs(answer: string): string[] {
  const out: string[] = [];
  for (const m of answer.matchAll(/```(?:diff|patch)[^\n]*\n([\s\S]*?)```/g)) {
    const body = m[1]!.replace(/\n$/, "");
    if (body.trim()) out.push(body);
  }
  return out;
}
