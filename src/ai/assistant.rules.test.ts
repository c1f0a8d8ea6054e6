import { describe, expect, test } from "bun:test";
import { estimateMessagesTokens } from "./ai.rules";
import { ASSISTANT_INSTRUCTIONS, buildAssistantPrompt, contextText, extractDiffs, trimMiddle } from "./assistant.rules";

const context = { source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n", input_schema: [{ name: "fil" }], usage_instructions: "Ladda upp." };

describe("buildAssistantPrompt", () => {
  test("system prompt with instructions and the whole context, history, then the new message", () => {
    const p = buildAssistantPrompt({
      context,
      history: [
        { role: "user", content: "Fråga 1" },
        { role: "assistant", content: "Svar 1" },
      ],
      message: "Fråga 2",
      budgetTokens: 4000,
    })!;
    expect(p.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(p.messages[0]!.content).toStartWith(ASSISTANT_INSTRUCTIONS);
    expect(p.messages[0]!.content).toContain("```python\ndef run_tool(input_dir, output_dir):\n    return 'hej'\n\n```");
    expect(p.messages[0]!.content).toContain('"name": "fil"');
    expect(p.messages.at(-1)).toEqual({ role: "user", content: "Fråga 2" });
    expect(p).toMatchObject({ contextTrimmed: false, droppedHistory: 0 });
  });

  test("stays within the budget: trims the source in the middle and drops the oldest history first", () => {
    const source = Array.from({ length: 2000 }, (_, i) => `rad_${i} = ${i}`).join("\n");
    const history = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? ("assistant" as const) : ("user" as const), content: `meddelande ${i} `.repeat(40) }));
    const p = buildAssistantPrompt({ context: { ...context, source }, history, message: "Ny fråga", budgetTokens: 3000 })!;
    expect(estimateMessagesTokens(p.messages)).toBeLessThanOrEqual(3000);
    expect(p.contextTrimmed).toBe(true);
    expect(p.messages[0]!.content).toContain("rad_0 = 0");
    expect(p.messages[0]!.content).toContain("rad_1999 = 1999");
    expect(p.messages[0]!.content).toMatch(/# … \d+ lines omitted …/);
    expect(p.droppedHistory).toBeGreaterThan(0);
    // the kept history is the most recent part and starts with a question
    expect(p.messages[1]!.role).toBe("user");
    expect(p.messages.at(-2)!.content).toBe(history.at(-1)!.content);
  });

  test("null when the new message alone cannot fit", () => {
    expect(buildAssistantPrompt({ context, history: [], message: "x".repeat(9000), budgetTokens: 3000 })).toBeNull();
  });
});

test("trimMiddle keeps both ends and counts what it left out", () => {
  expect(trimMiddle("kort", 100)).toEqual({ text: "kort", trimmed: false });
  const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  const t = trimMiddle(long, 300);
  expect(t.trimmed).toBe(true);
  expect(t.text.length).toBeLessThanOrEqual(300);
  expect(t.text).toStartWith("line 0\n");
  expect(t.text).toEndWith("line 99");
});

test("contextText drops pieces that do not fit and says so", () => {
  const r = contextText({ ...context, usage_instructions: "u".repeat(10_000) }, 100);
  expect(r.trimmed).toBe(true);
  expect(r.text.length).toBeLessThanOrEqual(300);
});

test("extractDiffs returns each ```diff block's body", () => {
  const answer = "Gör så här:\n```diff\n--- a/tool.py\n+++ b/tool.py\n@@ -1 +1 @@\n-a\n+b\n```\nOch:\n```python\nx = 1\n```\n```patch\n-c\n+d\n```";
  expect(extractDiffs(answer)).toEqual(["--- a/tool.py\n+++ b/tool.py\n@@ -1 +1 @@\n-a\n+b", "-c\n+d"]);
  expect(extractDiffs("Inga ändringar behövs.")).toEqual([]);
});
