import { describe, expect, test } from "bun:test";
import { decodeVector, embeddingHash, encodeVector, fallbackWords, rankBySimilarity, rankByWordHits, toolEmbeddingText } from "./semantic-search.rules";

describe("what is embedded", () => {
  test("title, summary and instructions, capped", () => {
    expect(toolEmbeddingText({ title: " Betyg ", summary: "Räkna betyg.", usageInstructions: "" })).toBe("Betyg\n\nRäkna betyg.");
    expect(toolEmbeddingText({ title: "T", summary: "S", usageInstructions: "x".repeat(10_000) }, 100)).toHaveLength(300);
  });

  test("the hash changes with the text and with the model", () => {
    const h = embeddingHash("text", "m1");
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(embeddingHash("text", "m1")).toBe(h);
    expect(embeddingHash("text2", "m1")).not.toBe(h);
    expect(embeddingHash("text", "m2")).not.toBe(h);
  });
});

test("vectors round-trip through float32 base64", () => {
  const v = [0.5, -0.25, 1e-3, 0];
  const decoded = decodeVector(encodeVector(v));
  expect(decoded).toHaveLength(4);
  decoded.forEach((x, i) => expect(x).toBeCloseTo(v[i]!, 6));
  expect(encodeVector(v)).toHaveLength(Math.ceil((4 * 4) / 3) * 4);
});

test("rankBySimilarity: best first, only positive scores, at most limit", () => {
  const ranked = rankBySimilarity(
    [1, 0],
    [
      { item: "far", vector: [0, 1] },
      { item: "near", vector: [1, 0.1] },
      { item: "mid", vector: [1, 1] },
      { item: "opposite", vector: [-1, 0] },
    ],
    2,
  );
  expect(ranked.map((r) => r.item)).toEqual(["near", "mid"]);
});

test("full-text fallback: words to search alone, and ranking by how many matched", () => {
  expect(fallbackWords("Jag vill räkna ut betyg, betyg och en CSV")).toEqual(["jag", "vill", "räkna", "betyg", "och", "csv"]);
  const order = [{ s: "a" }, { s: "b" }, { s: "c" }];
  expect(rankByWordHits(order, [[{ s: "c" }], [{ s: "b" }, { s: "c" }], []], (x) => x.s).map((x) => x.s)).toEqual(["c", "b"]);
});
