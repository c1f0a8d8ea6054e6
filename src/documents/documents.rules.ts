// Pure rules of the document pipeline: what counts as a PDF, category rules (keywords and regular
// expressions) and their matches, splitting long texts into chunks that fit the model, the JSON
// schema of the model's answer and its validation, and what a finished pipeline or a review leaves
// behind. No I/O; documents.rules.test.ts covers them.
import type { SearchTerm } from "../catalog/search.rules";
import type { DocumentStatus, SuggestedCategory, Suggestion } from "./documents.types";
import { DOCUMENT_STATUSES } from "./documents.types";

// ---------- upload ----------

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/** The bytes decide, never the file name or the browser's content type. */
export function isPdf(head: Uint8Array): boolean {
  return PDF_MAGIC.every((b, i) => head[i] === b);
}

// ---------- category rules ----------

export const CATEGORY_NAME_MAX = 80;
export const RULE_MAX_ITEMS = 50;
export const RULE_MAX_LENGTH = 200;
/** Regular expressions run on at most this much text: JavaScript has no regex timeout, so bound the input. */
export const RULE_TEXT_LIMIT = 200_000;

export type CategoryRule = { id: string; name: string; keywords: readonly string[]; patterns: readonly string[] };

export type RuleProblem = { path: string; index: number; value: string; reason: string };

/** Category name: trimmed, 1..80 characters, no control characters. */
export function normalizeCategoryName(raw: string): string | null {
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  if (!name || name.length > CATEGORY_NAME_MAX || /\p{Cc}/u.test(name)) return null;
  return name;
}

/** Keywords trimmed, empty ones and duplicates (ignoring case) dropped, in the given order. */
export function normalizeKeywords(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of raw) {
    const word = k.normalize("NFC").replace(/\s+/g, " ").trim();
    const key = word.toLocaleLowerCase("sv");
    if (!word || seen.has(key)) continue;
    seen.add(key);
    out.push(word);
  }
  return out;
}

/** Problems with a category's keywords and patterns; empty when they are usable. */
export function checkCategoryRules(keywords: readonly string[], patterns: readonly string[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (keywords.length > RULE_MAX_ITEMS) problems.push({ path: "/keywords", index: RULE_MAX_ITEMS, value: "", reason: `at most ${RULE_MAX_ITEMS} keywords` });
  if (patterns.length > RULE_MAX_ITEMS) problems.push({ path: "/patterns", index: RULE_MAX_ITEMS, value: "", reason: `at most ${RULE_MAX_ITEMS} patterns` });
  keywords.forEach((k, index) => {
    if (k.length > RULE_MAX_LENGTH) problems.push({ path: "/keywords", index, value: k, reason: `longer than ${RULE_MAX_LENGTH} characters` });
  });
  patterns.forEach((p, index) => {
    if (!p.trim()) problems.push({ path: "/patterns", index, value: p, reason: "empty" });
    else if (p.length > RULE_MAX_LENGTH) problems.push({ path: "/patterns", index, value: p, reason: `longer than ${RULE_MAX_LENGTH} characters` });
    else {
      try {
        new RegExp(p, "iu");
      } catch (e) {
        problems.push({ path: "/patterns", index, value: p, reason: e instanceof Error ? e.message : String(e) });
      }
    }
  });
  return problems;
}

/** Lower-cased, diacritics kept apart (å ≠ a in Swedish words), whitespace runs as one space. */
function foldForKeywords(text: string): string {
  return text.normalize("NFC").toLocaleLowerCase("sv").replace(/\s+/g, " ");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Categories whose rules match the text. A keyword matches as a whole word or phrase, ignoring case
 * ("avtal" matches "Avtal," but not "avtalsenlig"); a pattern is a case-insensitive Unicode regular
 * expression. Confidence grows with the number of distinct hits: 0.6 for one, +0.1 each, at most 0.95.
 */
export function matchCategoryRules(text: string, categories: readonly CategoryRule[]): SuggestedCategory[] {
  const bounded = text.length > RULE_TEXT_LIMIT ? text.slice(0, RULE_TEXT_LIMIT) : text;
  const folded = foldForKeywords(bounded);
  const out: SuggestedCategory[] = [];
  for (const c of categories) {
    let hits = 0;
    for (const k of c.keywords) {
      const word = foldForKeywords(k).trim();
      if (word && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, "u").test(folded)) hits++;
    }
    for (const p of c.patterns) {
      try {
        if (new RegExp(p, "iu").test(bounded)) hits++;
      } catch {
        // a pattern that no longer compiles (stored before a check existed) matches nothing
      }
    }
    if (hits > 0) out.push({ id: c.id, name: c.name, source: "rule", confidence: Math.min(0.95, 0.5 + 0.1 * hits) });
  }
  return out;
}

// ---------- chunking ----------

/**
 * Splits the pages' text into chunks of at most `maxChars`, at page boundaries where possible, else at
 * a paragraph, line or word break, so each chunk fits the model's context. Page markers ("[sida 3]")
 * keep the model's references meaningful. Whitespace-only pages are skipped.
 */
export function chunkPages(pages: readonly string[], maxChars: number): string[] {
  if (maxChars < 100) throw new Error("maxChars must be at least 100");
  const chunks: string[] = [];
  let current = "";
  const flush = () => {
    if (current.trim()) chunks.push(current.trim());
    current = "";
  };
  pages.forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    const block = `[sida ${i + 1}]\n${text}\n\n`;
    if (current.length + block.length <= maxChars) {
      current += block;
      return;
    }
    flush();
    if (block.length <= maxChars) {
      current = block;
      return;
    }
    for (const piece of splitLong(block, maxChars)) chunks.push(piece);
  });
  flush();
  return chunks;
}

function splitLong(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf(" "));
    const at = cut > maxChars / 2 ? cut : maxChars;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at);
  }
  if (rest.trim()) out.push(rest.trim());
  return out;
}

// ---------- the model's answer ----------

export type ClassificationSetup = { types: readonly string[]; fields: readonly string[]; categories: readonly string[] };

export type Classification = {
  docType: string;
  summary: string;
  categories: string[];
  fields: Record<string, string | null>;
  confidence: number;
};

/** The JSON schema passed as Ollama's `format`: the model can only answer in this shape. */
export function classificationSchema(setup: ClassificationSetup): Record<string, unknown> {
  const fieldProps = Object.fromEntries(setup.fields.map((f) => [f, { type: ["string", "null"] }]));
  return {
    type: "object",
    properties: {
      doc_type: setup.types.length ? { type: "string", enum: [...setup.types] } : { type: "string" },
      summary: { type: "string" },
      categories: { type: "array", items: setup.categories.length ? { type: "string", enum: [...setup.categories] } : { type: "string" } },
      fields: { type: "object", properties: fieldProps, required: [...setup.fields] },
      confidence: { type: "number", minimum: 0, maximum: 1 },
    },
    required: ["doc_type", "summary", "categories", "fields", "confidence"],
  };
}

export const SUMMARY_MAX = 2_000;
const FIELD_MAX = 500;

/**
 * Checks the model's parsed answer against the setup. Unknown categories and fields are dropped (a
 * model may invent them; that is not worth a retry); a wrong shape is a problem (worth a retry).
 */
export function validateClassification(value: unknown, setup: ClassificationSetup): { ok: true; value: Classification } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problems: ["the answer is not a JSON object"] };
  const v = value as Record<string, unknown>;
  const docType = typeof v.doc_type === "string" ? v.doc_type.trim() : null;
  if (!docType) problems.push("doc_type: expected a non-empty string");
  else if (setup.types.length && !setup.types.includes(docType)) problems.push(`doc_type: "${docType}" is not one of ${setup.types.join(", ")}`);
  const summary = typeof v.summary === "string" ? v.summary.trim() : null;
  if (summary === null) problems.push("summary: expected a string");
  if (!Array.isArray(v.categories)) problems.push("categories: expected an array of strings");
  const confidence = typeof v.confidence === "number" && Number.isFinite(v.confidence) ? Math.min(1, Math.max(0, v.confidence)) : null;
  if (confidence === null) problems.push("confidence: expected a number between 0 and 1");
  const rawFields = typeof v.fields === "object" && v.fields !== null && !Array.isArray(v.fields) ? (v.fields as Record<string, unknown>) : null;
  if (setup.fields.length && !rawFields) problems.push("fields: expected an object");
  if (problems.length) return { ok: false, problems };
  const fields: Record<string, string | null> = {};
  for (const f of setup.fields) {
    const raw = rawFields?.[f];
    fields[f] = typeof raw === "string" && raw.trim() ? raw.trim().slice(0, FIELD_MAX) : typeof raw === "number" ? String(raw) : null;
  }
  const known = new Set(setup.categories);
  const categories = [...new Set((v.categories as unknown[]).filter((c): c is string => typeof c === "string" && known.has(c)))];
  return { ok: true, value: { docType: docType!, summary: summary!.slice(0, SUMMARY_MAX), categories, fields, confidence: confidence! } };
}

/** The text of the final call when a document had several chunks: what the model found in each. */
export function combineChunkResults(results: readonly Classification[]): string {
  return results
    .map((r, i) => {
      const fields = Object.entries(r.fields)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ");
      return `Del ${i + 1}: typ ${r.docType}; kategorier ${r.categories.join(", ") || "-"}; ${fields || "inga fält"}\n${r.summary}`;
    })
    .join("\n\n");
}

// ---------- pipeline outcome ----------

/**
 * The suggestion left by the rules and (when it ran) the model. Rule and model categories are merged
 * (the higher confidence wins, "ai" when the model named it too); categories already accepted are not
 * suggested again.
 */
export function buildSuggestion(input: {
  ruleMatches: readonly SuggestedCategory[];
  ai: { value: Classification; model: string } | null;
  categories: readonly { id: string; name: string }[];
  accepted: readonly string[];
}): Suggestion {
  const byId = new Map<string, SuggestedCategory>();
  for (const m of input.ruleMatches) byId.set(m.id, m);
  if (input.ai) {
    const idByName = new Map(input.categories.map((c) => [c.name, c.id]));
    for (const name of input.ai.value.categories) {
      const id = idByName.get(name);
      if (!id) continue;
      const prior = byId.get(id);
      const confidence = Math.max(prior?.confidence ?? 0, input.ai.value.confidence);
      byId.set(id, { id, name, source: "ai", confidence });
    }
  }
  const accepted = new Set(input.accepted);
  const categories = [...byId.values()].filter((c) => !accepted.has(c.id)).sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name, "sv"));
  return {
    docType: input.ai?.value.docType ?? null,
    summary: input.ai?.value.summary ?? null,
    fields: input.ai?.value.fields ?? {},
    categories,
    confidence: input.ai?.value.confidence ?? null,
    model: input.ai?.model ?? null,
  };
}

/** Something to review: suggested categories or anything the model proposed. */
export function hasSomethingToReview(s: Suggestion): boolean {
  return s.categories.length > 0 || s.docType !== null || s.summary !== null || Object.values(s.fields).some((v) => v !== null);
}

export function statusAfterPipeline(s: Suggestion): DocumentStatus {
  return hasSomethingToReview(s) ? "needs_review" : "done";
}

export type ReviewEdits = { docType?: string | null; summary?: string | null; fields?: Record<string, string | null>; categoryIds?: readonly string[] };
export type AcceptedValues = { docType: string | null; summary: string | null; fields: Record<string, string | null>; categoryIds: string[] };

/**
 * Accepting a suggestion: the user's edits win, then the suggestion, then what was accepted before
 * (field by field). category_ids, when given, is the final set; otherwise current ∪ suggested.
 */
export function acceptSuggestion(current: AcceptedValues, suggestion: Suggestion, edits: ReviewEdits): AcceptedValues {
  const suggestedFields = Object.fromEntries(Object.entries(suggestion.fields).filter(([, v]) => v !== null));
  return {
    docType: edits.docType !== undefined ? edits.docType : (suggestion.docType ?? current.docType),
    summary: edits.summary !== undefined ? edits.summary : (suggestion.summary ?? current.summary),
    fields: { ...current.fields, ...suggestedFields, ...edits.fields },
    categoryIds: edits.categoryIds !== undefined ? [...new Set(edits.categoryIds)] : [...new Set([...current.categoryIds, ...suggestion.categories.map((c) => c.id)])],
  };
}

// ---------- list filters ----------

export type ParsedListFilter = { statuses: DocumentStatus[] | null; from: Date | null; toExclusive: Date | null };

/** status: one or a comma list; from/to: YYYY-MM-DD, both inclusive (to covers its whole day, UTC). */
export function parseListFilter(q: { status?: string; from?: string; to?: string }): { ok: true; value: ParsedListFilter } | { ok: false; path: string; message: string } {
  let statuses: DocumentStatus[] | null = null;
  if (q.status) {
    const parts = q.status.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = parts.find((p) => !(DOCUMENT_STATUSES as readonly string[]).includes(p));
    if (bad) return { ok: false, path: "/status", message: `unknown status "${bad}"; use ${DOCUMENT_STATUSES.join(", ")}` };
    statuses = parts as DocumentStatus[];
  }
  const day = (s: string | undefined, path: string): Date | null | { error: string } => {
    if (!s) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return { error: path };
    const d = new Date(`${s}T00:00:00.000Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? { error: path } : d;
  };
  const from = day(q.from, "/from");
  if (from && "error" in from) return { ok: false, path: "/from", message: "expected a date YYYY-MM-DD" };
  const to = day(q.to, "/to");
  if (to && "error" in to) return { ok: false, path: "/to", message: "expected a date YYYY-MM-DD" };
  return { ok: true, value: { statuses, from, toExclusive: to ? new Date(to.getTime() + 86_400_000) : null } };
}

// ---------- search snippets ----------

/**
 * A short excerpt around the first word matching a search term (its stem or the word, as a prefix, like
 * the search itself), the matched word marked «like this»; null when nothing matches.
 */
export function makeSnippet(text: string, terms: readonly SearchTerm[], width = 160): string | null {
  if (!terms.length) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  let best: { index: number; length: number } | null = null;
  for (const t of terms) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(t.stem ?? t.word)}[\\p{L}\\p{N}-]*`, "iu");
    const m = re.exec(flat);
    if (m && (best === null || m.index < best.index)) best = { index: m.index, length: m[0].length };
  }
  if (!best) return null;
  const before = Math.floor((width - best.length) / 3);
  let start = Math.max(0, best.index - before);
  let end = Math.min(flat.length, start + width);
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start;
  if (end < flat.length) end = flat.lastIndexOf(" ", end) > best.index + best.length ? flat.lastIndexOf(" ", end) : end;
  const head = flat.slice(start, best.index);
  const hit = flat.slice(best.index, best.index + best.length);
  const tail = flat.slice(best.index + best.length, end);
  return `${start > 0 ? "…" : ""}${head}«${hit}»${tail}${end < flat.length ? "…" : ""}`;
}
