// Pure rules of the semantic catalog search: what text of a tool is embedded, how it is fingerprinted,
// how vectors are stored, and how tools are ranked against a query. No I/O.
import { createHash } from "node:crypto";
import { charsForTokens, cosineSimilarity } from "./ai.rules";

/**
 * Embedded text is capped at this many (estimated) tokens: embedding models often take only 2048
 * tokens whatever num_ctx says, and a tool's title, summary and the start of its instructions carry
 * what it is for.
 */
export const EMBED_TEXT_MAX_TOKENS = 1024;

export function toolEmbeddingText(tool: { title: string; summary: string; usageInstructions: string }, maxTokens = EMBED_TEXT_MAX_TOKENS): string {
  const text = [tool.title.trim(), tool.summary.trim(), tool.usageInstructions.trim()].filter(Boolean).join("\n\n");
  return text.slice(0, charsForTokens(maxTokens));
}

/** Fingerprint of what was embedded and with which model: a change of either means recompute. */
export function embeddingHash(text: string, model: string): string {
  return createHash("sha256").update(model).update("\u0000").update(text).digest("hex");
}

/** float32 little-endian in base64: 4 bytes a dimension, identical in SQLite and PostgreSQL. */
export function encodeVector(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
}

export function decodeVector(encoded: string): number[] {
  const buf = Buffer.from(encoded, "base64");
  const out = new Array<number>(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export type Scored<T> = { item: T; score: number };

/** Candidates by cosine similarity to the query, best first, only those with a positive score. */
export function rankBySimilarity<T>(query: readonly number[], candidates: readonly { item: T; vector: readonly number[] }[], limit: number): Scored<T>[] {
  return candidates
    .map((c) => ({ item: c.item, score: cosineSimilarity(query, c.vector) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/**
 * The words of a "describe what you need" text worth searching for one by one when the full-text
 * fallback finds nothing with all of them: distinct, at least 3 characters, at most `max`.
 */
export function fallbackWords(text: string, max = 8): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length >= 3))].slice(0, max);
}

/** Ranks items by how many of the per-word searches found them (more words first, then the given order). */
export function rankByWordHits<T>(order: readonly T[], hitsPerWord: readonly (readonly T[])[], key: (item: T) => string): T[] {
  const count = new Map<string, number>();
  for (const hits of hitsPerWord) for (const h of hits) count.set(key(h), (count.get(key(h)) ?? 0) + 1);
  return order.filter((item) => count.has(key(item))).sort((a, b) => count.get(key(b))! - count.get(key(a))!);
}
