// Pure rules of the taxonomy (professions and categories): what a valid entry is and what a valid new
// order is. Slugs follow the tool slug rules, since tool.json lists them.
import { describeSlugProblem } from "../tools/tools.rules";

export const TAXONOMY_KINDS = ["professions", "categories"] as const;
/** The URL word and table name of a taxonomy. */
export type TaxonomyKind = (typeof TAXONOMY_KINDS)[number];

export const LABEL_MAX_LENGTH = 60;

export type Problem = { path: string; message: string };

/** A label as stored: trimmed, inner runs of whitespace collapsed. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, " ");
}

function labelProblem(path: string, label: string | undefined): Problem[] {
  if (label === undefined) return [];
  const value = normalizeLabel(label);
  if (value.length === 0) return [{ path, message: "is empty. Write the name as it should appear in the catalog." }];
  if (value.length > LABEL_MAX_LENGTH) return [{ path, message: `is ${value.length} characters long. Shorten it to at most ${LABEL_MAX_LENGTH}.` }];
  return [];
}

/** Problems of a new entry (empty when fine), as JSON-pointer paths into the request body. */
export function newEntryProblems(entry: { slug: string; label_sv: string; label_en: string }): Problem[] {
  const slug = describeSlugProblem(entry.slug);
  return [...(slug ? [{ path: "/slug", message: slug }] : []), ...labelProblem("/label_sv", entry.label_sv), ...labelProblem("/label_en", entry.label_en)];
}

/** Problems of a rename; at least one label must be given. */
export function renameProblems(patch: { label_sv?: string; label_en?: string }): Problem[] {
  if (patch.label_sv === undefined && patch.label_en === undefined) return [{ path: "/", message: "Give label_sv, label_en or both." }];
  return [...labelProblem("/label_sv", patch.label_sv), ...labelProblem("/label_en", patch.label_en)];
}

/**
 * A new order must list every current entry exactly once. Repeats are a malformed request; a missing
 * or unknown slug means the list changed since the admin loaded it (someone added or removed one).
 */
export function checkNewOrder(requested: readonly string[], current: readonly string[]): { ok: true } | { ok: false; kind: "duplicate" | "mismatch"; slugs: string[] } {
  const seen = new Set<string>();
  const duplicates = requested.filter((s) => (seen.has(s) ? true : (seen.add(s), false)));
  if (duplicates.length) return { ok: false, kind: "duplicate", slugs: [...new Set(duplicates)] };
  const have = new Set(current);
  const unknown = requested.filter((s) => !have.has(s));
  const missing = current.filter((s) => !seen.has(s));
  if (unknown.length || missing.length) return { ok: false, kind: "mismatch", slugs: [...unknown, ...missing] };
  return { ok: true };
}
