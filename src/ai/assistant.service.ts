// The editor assistant: a maintainer of a tool (or an admin) asks about the tool with the editor's
// current source, schemas and instructions as context; the answer streams back over Server-Sent
// Events and proposes changes as unified diffs. One request per user and tool at a time; the
// conversation is stored per user and tool. Closing the connection cancels the request to Ollama.
import { requireEditableTool } from "../authoring/authoring.service";
import { HttpErrors, type AppError, type Locale } from "../http/errors";
import type { AuthUser } from "../http/http-context";
import { AiError, type AiClient } from "./ai-client";
import type { AiDeps } from "./ai.deps";
import { AiErrors } from "./ai.errors";
import { buildAssistantPrompt, extractDiffs, type EditorContext } from "./assistant.rules";
import type { AssistantMessage } from "./assistant.repository";

export type AssistantMessageJson = { id: string; role: "user" | "assistant"; content: string; created_at: string };

type Deps = Pick<AiDeps, "ai" | "assistant" | "tools" | "authoring" | "inFlight" | "log" | "now">;

/** Between events while the model thinks (loading a model can take a minute), so proxies keep the stream open. */
export const HEARTBEAT_MS = 5_000;

function json(m: AssistantMessage): AssistantMessageJson {
  return { id: m.id, role: m.role, content: m.content, created_at: m.createdAt.toISOString() };
}

const key = (userId: string, toolId: string) => `${userId}:${toolId}`;

function requireAi(deps: Pick<Deps, "ai">): AiClient {
  if (!deps.ai) throw AiErrors.disabled();
  return deps.ai;
}

// TODO(lead): requireEditableTool comes from src/authoring (H1): maintainers of the tool and admins.
// If authoring's check changes shape, this is the one call to adapt.
async function requireTool(deps: Deps, viewer: AuthUser, toolId: string) {
  return requireEditableTool(deps, viewer, toolId);
}

export async function getConversation(deps: Deps, viewer: AuthUser, toolId: string): Promise<{ messages: AssistantMessageJson[]; in_flight: boolean }> {
  requireAi(deps);
  const tool = await requireTool(deps, viewer, toolId);
  const messages = await deps.assistant.listMessages(viewer.id, tool.id);
  return { messages: messages.map(json), in_flight: deps.inFlight.has(key(viewer.id, tool.id)) };
}

export async function clearConversation(deps: Deps, viewer: AuthUser, toolId: string): Promise<void> {
  requireAi(deps);
  const tool = await requireTool(deps, viewer, toolId);
  if (deps.inFlight.has(key(viewer.id, tool.id))) throw AiErrors.busy();
  await deps.assistant.clear(viewer.id, tool.id);
}

export type AskInput = { viewer: AuthUser; toolId: string; message: string; context: EditorContext; locale: Locale; signal?: AbortSignal };

const encoder = new TextEncoder();
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * Checks everything that can fail before streaming (AI on, the tool, maintainer, busy, fits the
 * window), stores the question, and returns the event stream of the answer.
 */
export async function askAssistant(deps: Deps, input: AskInput): Promise<ReadableStream<Uint8Array>> {
  const ai = requireAi(deps);
  const tool = await requireTool(deps, input.viewer, input.toolId);
  const k = key(input.viewer.id, tool.id);
  if (deps.inFlight.has(k)) throw AiErrors.busy();
  // claimed before the first await below, so two requests racing here cannot both pass
  const controller = new AbortController();
  deps.inFlight.set(k, controller);
  let streaming = false;
  try {
    const history = await deps.assistant.listMessages(input.viewer.id, tool.id);
    const prompt = buildAssistantPrompt({ context: input.context, history, message: input.message, budgetTokens: ai.promptBudget() });
    if (!prompt) throw AiErrors.tooLong({ prompt_tokens: ai.estimateTokens(input.message), num_ctx: ai.numCtx });
    const question: AssistantMessage = { id: Bun.randomUUIDv7(), userId: input.viewer.id, toolId: tool.id, role: "user", content: input.message, createdAt: deps.now() };
    await deps.assistant.addMessage(question);
    const stream = answerStream(deps, ai, { ...input, toolId: tool.id }, controller, () => deps.inFlight.delete(k), {
      start: { user_message: json(question), context_trimmed: prompt.contextTrimmed, history_dropped: prompt.droppedHistory },
      messages: prompt.messages,
    });
    streaming = true;
    return stream;
  } finally {
    if (!streaming) deps.inFlight.delete(k);
  }
}

function answerStream(
  deps: Deps,
  ai: AiClient,
  input: AskInput,
  controller: AbortController,
  release: () => void,
  prepared: { start: unknown; messages: Parameters<AiClient["chatStream"]>[0]["messages"] },
): ReadableStream<Uint8Array> {
  const onClientGone = () => controller.abort();
  input.signal?.addEventListener("abort", onClientGone, { once: true });
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(out) {
      const write = (chunk: Uint8Array) => {
        if (!closed) out.enqueue(chunk);
      };
      const heartbeat = setInterval(() => write(encoder.encode(": heartbeat\n\n")), HEARTBEAT_MS);
      const pump = async () => {
        write(event("start", prepared.start));
        let text = "";
        try {
          for await (const piece of ai.chatStream({ messages: prepared.messages, signal: controller.signal })) {
            text += piece;
            write(event("delta", { text: piece }));
          }
          const answer: AssistantMessage = { id: Bun.randomUUIDv7(), userId: input.viewer.id, toolId: input.toolId, role: "assistant", content: text, createdAt: deps.now() };
          await deps.assistant.addMessage(answer);
          write(event("done", { message: json(answer), diffs: extractDiffs(text) }));
        } catch (error) {
          if (controller.signal.aborted) return; // the client went away: nobody to tell, nothing stored
          const appError: AppError = error instanceof AiError ? error.toAppError() : HttpErrors.internal();
          if (!(error instanceof AiError)) deps.log.error("assistant failed", { tool_id: input.toolId, error });
          else deps.log.warn("assistant: Ollama request failed", { tool_id: input.toolId, kind: error.kind, error: error.message });
          write(event("error", { code: appError.code, message: appError.def[input.locale] }));
        }
      };
      void pump().finally(() => {
        clearInterval(heartbeat);
        input.signal?.removeEventListener("abort", onClientGone);
        release();
        if (!closed) {
          closed = true;
          out.close();
        }
      });
    },
    cancel() {
      closed = true;
      controller.abort();
    },
  });
}
