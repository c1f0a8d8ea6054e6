// What a search box query means, for both stores: words, matched as prefixes (a partial word finds
// the whole one) and all required. Pure; the repositories turn the terms into FTS5 or tsquery syntax.
import { swedishStem } from "./swedish-stemmer.rules";

export const SEARCH_MAX_WORDS = 8;
const WORD_MAX_LENGTH = 64;
/**
 * Shorter stems are too ambiguous as prefixes: "månad" stems to "mån", which would also find "många".
 * Such words are matched by their own prefix ("månad" still finds månader, månaden).
 */
export const MIN_STEM_LENGTH = 4;

/**
 * One query word: `word` lowercased with hyphens removed ("E-post" → "epost"); `stem` its Swedish
 * stem when that is long enough to search by, else null (then only the word itself is a prefix).
 */
export type SearchTerm = { word: string; stem: string | null };

/**
 * Words of a query: letters and digits of any script, lowercased; a hyphen inside a word joins it
 * ("e-post" and "epost" are one word, and the index holds both spellings). Everything else separates
 * words, so quotes, operators and punctuation can never reach the search engine's syntax. Repeated
 * words count once; at most SEARCH_MAX_WORDS are kept. An empty list means "no search".
 */
export function parseSearchQuery(q: string | null | undefined): SearchTerm[] {
  if (!q) return [];
  const words = q
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .map((w) => w.replace(/-/g, "").slice(0, WORD_MAX_LENGTH))
    .filter((w) => w.length > 0);
  const unique = [...new Set(words)].slice(0, SEARCH_MAX_WORDS);
  return unique.map((word) => {
    const stem = swedishStem(word);
    return { word, stem: stem.length >= MIN_STEM_LENGTH ? stem : null };
  });
}

/**
 * The FTS5 MATCH expression for the terms: each stem (or the word) as a quoted prefix, all required.
 * A stem is always a prefix of its word, so the stem alone covers the word too. Quoting keeps words
 * like "and" or "near" from becoming operators; the terms hold only letters and digits.
 */
export function fts5MatchExpression(terms: readonly SearchTerm[]): string {
  return terms.map((t) => `"${t.stem ?? t.word}"*`).join(" AND ");
}
