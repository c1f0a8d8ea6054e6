import { describe, expect, test } from "bun:test";
import { checkAgainstSchema, cosineSimilarity, estimateTokens, parseModelJson, promptBudget, promptWasTruncated } from "./ai.rules";

describe("token budget and truncation", () => {
  test("estimates err high (3 characters a token) and budgets leave room for the answer", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(2);
    expect(promptBudget(8192, 1024)).toBe(7168);
    expect(promptBudget(512, 1024)).toBe(0);
  });

  test("a prompt_eval_count that fills the window means Ollama cut the prompt", () => {
    expect(promptWasTruncated(8192, 8192)).toBe(true);
    expect(promptWasTruncated(8120, 8192)).toBe(true); // within 1 % of the window
    expect(promptWasTruncated(8000, 8192)).toBe(false);
    expect(promptWasTruncated(1014, 1024)).toBe(true); // 1 % of 1024 = 10 tokens of slack
    expect(promptWasTruncated(1013, 1024)).toBe(false);
    expect(promptWasTruncated(504, 512)).toBe(true); // but at least 8
    expect(promptWasTruncated(503, 512)).toBe(false);
  });
});

describe("checkAgainstSchema", () => {
  const schema = {
    type: "object",
    properties: {
      kind: { type: "string", enum: ["a", "b"] },
      score: { type: "number", minimum: 0, maximum: 1 },
      tags: { type: "array", items: { type: "string", minLength: 2 }, maxItems: 2 },
      count: { type: "integer" },
    },
    required: ["kind", "score"],
    additionalProperties: false,
  };

  test("a valid value has no problems", () => {
    expect(checkAgainstSchema({ kind: "a", score: 0.5, tags: ["xy"], count: 3 }, schema)).toEqual([]);
  });

  test("every problem is named by its JSON pointer", () => {
    expect(checkAgainstSchema({ kind: "c", score: 2, tags: ["x", "yy", "zz"], count: 1.5, extra: 1 }, schema)).toEqual([
      '/kind: must be one of ["a","b"]',
      "/score: must be ≤ 1",
      "/tags: must have at most 2 items",
      "/tags/0: must have at least 2 characters",
      '/count: must be of type "integer"',
      "/extra: is not allowed",
    ]);
    expect(checkAgainstSchema({}, schema)).toEqual(["/kind: is required", "/score: is required"]);
    expect(checkAgainstSchema([], schema)).toEqual(['/: must be of type "object"']);
  });
});

describe("parseModelJson", () => {
  test("plain JSON, JSON in a ```json fence, and what is not JSON", () => {
    expect(parseModelJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseModelJson('```json\n{"a":1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseModelJson("   ")).toEqual({ ok: false, problem: "empty answer" });
    const bad = parseModelJson('{"a":');
    expect(bad.ok).toBe(false);
  });
});

test("cosine similarity", () => {
  expect(cosineSimilarity([1, 0], [1, 0])).toBeCloseTo(1);
  expect(cosineSimilarity([1, 0], [0, 1])).toBeCloseTo(0);
  expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1);
  expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  expect(cosineSimilarity([1], [1, 2])).toBe(0);
});
