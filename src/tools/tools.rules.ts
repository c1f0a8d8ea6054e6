// Pure rules of the tools model: slugs, the life of a version, and the content hash that makes
// import idempotent. No I/O; tools.rules.test.ts covers them alone.
import { createHash } from "node:crypto";

export const SLUG_MAX_LENGTH = 64;
/** Lowercase a–z/0–9 segments joined by single hyphens: "betyg-csv", "elevlista2". */
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isValidSlug(value: string): boolean {
  return value.length >= 1 && value.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(value);
}

/** What is wrong with a slug, phrased as what to do, or null when it is fine. */
export function describeSlugProblem(value: string): string | null {
  if (value.length === 0) return "is empty. Use lowercase letters a–z, digits and single hyphens, like \"betyg-csv\".";
  if (value.length > SLUG_MAX_LENGTH) return `is ${value.length} characters long. Shorten it to at most ${SLUG_MAX_LENGTH}.`;
  if (SLUG_PATTERN.test(value)) return null;
  const suggestion = suggestSlug(value);
  const hint = suggestion && suggestion !== value ? ` (for example "${suggestion}")` : "";
  return `"${value}" is not a valid slug. Use lowercase letters a–z, digits and single hyphens between them, no hyphen first or last${hint}.`;
}

/** A best-effort valid slug from free text ("Betyg & Närvaro" → "betyg-narvaro"), or "" when nothing is left. */
export function suggestSlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // drop the accents NFKD split off: å → a, ö → o
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/, "");
}

/**
 * A published tool's slug is in bookmarks, links and run history, so it is frozen once the tool
 * is published; before that it may change freely. Returns why not, or null when allowed.
 */
export function slugChangeProblem(tool: { slug: string; isPublished: boolean }, newSlug: string): string | null {
  if (newSlug === tool.slug) return null;
  if (tool.isPublished) return `The slug "${tool.slug}" cannot change: the tool is published and its address is in use. Unpublish it first.`;
  const problem = describeSlugProblem(newSlug);
  return problem ? `The new slug ${problem}` : null;
}

// ---- versions ----------------------------------------------------------------------------------

export const VERSION_STATES = ["draft", "in_review", "active", "archived"] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/**
 * The allowed moves. A version's content never changes; only its state does:
 * draft → in_review (submitted), in_review → draft (sent back), in_review → active (published),
 * active → archived (another version became active), archived → active (rollback).
 */
const TRANSITIONS: Record<VersionState, readonly VersionState[]> = {
  draft: ["in_review"],
  in_review: ["draft", "active"],
  active: ["archived"],
  archived: ["active"],
};

export type TransitionOptions = {
  /**
   * An administrator importing a tool folder (`skriptoteket tool import --publish`) publishes a draft
   * directly: review exists for contributors' drafts, and the operator at the server is the reviewer.
   */
  bypassReview?: boolean;
};

export function canTransition(from: VersionState, to: VersionState, { bypassReview = false }: TransitionOptions = {}): boolean {
  if (TRANSITIONS[from].includes(to)) return true;
  return bypassReview && from === "draft" && to === "active";
}

export type StateChange = { versionId: string; from: VersionState; to: VersionState };

export type PublishPlan =
  | { ok: true; changes: StateChange[]; alreadyActive: boolean }
  | { ok: false; problem: string };

/**
 * What publishing `targetId` changes: the target becomes active and every other active version of
 * the tool is archived (there is at most one, but a plan that archives all keeps the invariant even
 * if it was ever broken). Publishing the version that is already active changes nothing.
 */
export function planPublish(
  versions: readonly { id: string; number: number; state: VersionState }[],
  targetId: string,
  options: TransitionOptions = {},
): PublishPlan {
  const target = versions.find((v) => v.id === targetId);
  if (!target) return { ok: false, problem: `Version ${targetId} does not belong to this tool.` };
  const others = versions.filter((v) => v.id !== targetId && v.state === "active");
  if (target.state === "active") {
    const changes = others.map((v): StateChange => ({ versionId: v.id, from: "active", to: "archived" }));
    return { ok: true, changes, alreadyActive: true };
  }
  if (!canTransition(target.state, "active", options)) {
    const how = target.state === "draft" ? " Submit it for review first." : "";
    return { ok: false, problem: `Version ${target.number} is ${target.state} and cannot be published.${how}` };
  }
  const changes: StateChange[] = others.map((v) => ({ versionId: v.id, from: "active", to: "archived" }));
  changes.push({ versionId: target.id, from: target.state, to: "active" });
  return { ok: true, changes, alreadyActive: false };
}

// ---- content hash ------------------------------------------------------------------------------

/** Everything that makes two versions behave differently. Title, summary and tags live on the tool. */
export type VersionContent = {
  source: string;
  entrypoint: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  usage_instructions: string;
};

/**
 * JSON with object keys sorted at every level and no whitespace, so equal values always give equal
 * text whatever order a tool.json lists its keys in. `undefined` members are left out, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** sha256 (hex) of the canonical JSON of exactly the five content fields. */
export function contentHash(content: VersionContent): string {
  const { source, entrypoint, input_schema, settings_schema, usage_instructions } = content;
  const canonical = canonicalJson({ source, entrypoint, input_schema, settings_schema, usage_instructions });
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
