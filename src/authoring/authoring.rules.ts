// Pure rules of authoring: the editor's content checks (with JSON pointers the UI shows inline), the
// draft lock, the draft head, the review lifecycle and tool fields. No I/O; authoring.rules.test.ts
// covers them alone.
import type { Bilingual, RuleError } from "../execution/contract.types";
import { pointer, validateInputSchema } from "../tools/input-schema.rules";
import { validateSettingsSchema } from "../tools/settings-schema.rules";
import { INSTRUCTIONS_MAX_BYTES, SOURCE_MAX_BYTES, SUMMARY_MAX_LENGTH, TAGS_MAX, TITLE_MAX_LENGTH } from "../tools/tool-manifest.rules";
import { isValidSlug, planPublish, SLUG_MAX_LENGTH, suggestSlug, type StateChange, type VersionState } from "../tools/tools.rules";

/** A problem with a path into the request body and the message in both languages. */
export type Problem = { path: string } & Bilingual;

export function localizeProblems(problems: readonly Problem[], locale: "sv" | "en"): { path: string; message: string }[] {
  return problems.map((p) => ({ path: p.path, message: p[locale] }));
}

const fromRule = (prefix: string) => (e: RuleError): Problem => ({ path: prefix + e.path, sv: e.sv, en: e.en });

// ---------- version content ----------

/** The editor buffer: everything that makes two versions behave differently. */
export type VersionContentInput = {
  source: string;
  entrypoint: string;
  input_schema: unknown;
  settings_schema: unknown;
  usage_instructions: string;
};

/** The content as stored: schemas typed, [] settings spelled null (one spelling keeps the hash stable). */
export type CheckedContent = {
  source: string;
  entrypoint: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  usage_instructions: string;
};

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

function entrypointProblem(name: string): Bilingual | null {
  if (!PYTHON_IDENTIFIER.test(name)) {
    return {
      sv: `"${name}" är inte ett giltigt funktionsnamn i Python. Använd bokstäverna a–z, A–Z, siffror och _, inte en siffra först, till exempel "run_tool".`,
      en: `"${name}" is not a Python function name. Use letters a–z, A–Z, digits and _, not starting with a digit, like "run_tool".`,
    };
  }
  if (PYTHON_KEYWORDS.has(name)) {
    return { sv: `"${name}" är ett reserverat ord i Python. Välj ett annat namn, till exempel "run_tool".`, en: `"${name}" is a Python keyword. Use another name, like "run_tool".` };
  }
  return null;
}

function sourceProblems(source: string, entrypoint: string | null): Bilingual[] {
  if (!source.trim()) {
    return [{ sv: "Skriptet är tomt. Skriv verktygets Python-kod med en funktion som def run_tool(input_dir, output_dir):", en: "The script is empty. Write the tool's Python code with a function like def run_tool(input_dir, output_dir):" }];
  }
  const out: Bilingual[] = [];
  const bytes = utf8Bytes(source);
  if (bytes > SOURCE_MAX_BYTES) {
    out.push({ sv: `Skriptet är ${bytes} byte. Högst ${SOURCE_MAX_BYTES / 1024} KiB är tillåtet; lägg data i uppladdade filer.`, en: `The script is ${bytes} bytes. At most ${SOURCE_MAX_BYTES / 1024} KiB is allowed; put data in uploaded files.` });
  }
  if (source.includes("\u0000")) out.push({ sv: "Skriptet innehåller ett NUL-tecken. Spara det som vanlig UTF-8-text.", en: "The script contains a NUL character. Save it as plain UTF-8 text." });
  if (entrypoint && !new RegExp(`^def[ \\t]+${entrypoint}[ \\t]*\\(`, "m").test(source)) {
    const isAsync = new RegExp(`^async[ \\t]+def[ \\t]+${entrypoint}[ \\t]*\\(`, "m").test(source);
    out.push(
      isAsync
        ? { sv: `${entrypoint} är definierad med "async def". Startfunktionen måste vara en vanlig funktion: def ${entrypoint}(input_dir, output_dir):`, en: `${entrypoint} is defined with "async def". The entrypoint must be a plain function: def ${entrypoint}(input_dir, output_dir):` }
        : { sv: `Skriptet saknar "def ${entrypoint}(" på översta nivån. Definiera funktionen i början av en rad, eller välj rätt startfunktion.`, en: `The script has no top-level "def ${entrypoint}(". Define the function at the start of a line, or choose the right entrypoint.` },
    );
  }
  return out;
}

/** Every problem of the buffer at once (so one round fixes them all), or the content to store. */
export function checkVersionContent(input: VersionContentInput): { ok: true; content: CheckedContent } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const entry = entrypointProblem(input.entrypoint);
  if (entry) problems.push({ path: "/entrypoint", ...entry });
  for (const p of sourceProblems(input.source, entry ? null : input.entrypoint)) problems.push({ path: "/source", ...p });

  let inputSchema: unknown[] = [];
  if (!Array.isArray(input.input_schema)) {
    problems.push({ path: "/input_schema", sv: "Måste vara en lista med fält (får vara []).", en: "Must be an array of fields (may be [])." });
  } else {
    inputSchema = input.input_schema;
    const check = validateInputSchema(inputSchema);
    if (!check.ok) problems.push(...check.errors.map(fromRule("/input_schema")));
  }

  let settingsSchema: unknown[] | null = null;
  if (input.settings_schema !== null && input.settings_schema !== undefined) {
    if (!Array.isArray(input.settings_schema)) {
      problems.push({ path: "/settings_schema", sv: "Måste vara en lista med fält eller null.", en: "Must be an array of fields or null." });
    } else {
      settingsSchema = input.settings_schema.length ? input.settings_schema : null;
      const check = validateSettingsSchema(input.settings_schema);
      if (!check.ok) problems.push(...check.errors.map(fromRule("/settings_schema")));
    }
  }

  if (utf8Bytes(input.usage_instructions) > INSTRUCTIONS_MAX_BYTES) {
    problems.push({ path: "/usage_instructions", sv: `Instruktionerna är större än ${INSTRUCTIONS_MAX_BYTES / 1024} KiB. Korta dem.`, en: `The instructions are larger than ${INSTRUCTIONS_MAX_BYTES / 1024} KiB. Shorten them.` });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    content: { source: input.source, entrypoint: input.entrypoint, input_schema: inputSchema, settings_schema: settingsSchema, usage_instructions: input.usage_instructions },
  };
}

// ---------- tool fields ----------

export function slugProblem(slug: string): Bilingual | null {
  if (isValidSlug(slug)) return null;
  if (slug.length > SLUG_MAX_LENGTH) return { sv: `Kortadressen är ${slug.length} tecken. Korta den till högst ${SLUG_MAX_LENGTH}.`, en: `The slug is ${slug.length} characters. Shorten it to at most ${SLUG_MAX_LENGTH}.` };
  const suggestion = suggestSlug(slug);
  const hint = suggestion && suggestion !== slug ? { sv: ` (till exempel "${suggestion}")`, en: ` (for example "${suggestion}")` } : { sv: "", en: "" };
  return {
    sv: `Kortadressen får bara ha små bokstäver a–z, siffror och enkla bindestreck mellan dem${hint.sv}.`,
    en: `The slug may only have lowercase letters a–z, digits and single hyphens between them${hint.en}.`,
  };
}

export type ToolFieldsInput = { slug?: string; title?: string; summary?: string; professions?: string[]; categories?: string[] };

/**
 * Problems with tool fields, checked against the taxonomy (slugs that exist). Only given fields
 * are checked; title and summary are trimmed by the caller.
 */
export function toolFieldProblems(fields: ToolFieldsInput, taxonomy: { professions: ReadonlySet<string>; categories: ReadonlySet<string> }): Problem[] {
  const problems: Problem[] = [];
  if (fields.slug !== undefined) {
    const p = slugProblem(fields.slug);
    if (p) problems.push({ path: "/slug", ...p });
  }
  if (fields.title !== undefined) {
    if (!fields.title.trim()) problems.push({ path: "/title", sv: "Ge verktyget en kort titel.", en: "Give the tool a short title." });
    else if (fields.title.length > TITLE_MAX_LENGTH) problems.push({ path: "/title", sv: `Titeln får vara högst ${TITLE_MAX_LENGTH} tecken.`, en: `The title may be at most ${TITLE_MAX_LENGTH} characters.` });
  }
  if (fields.summary !== undefined && fields.summary.length > SUMMARY_MAX_LENGTH) {
    problems.push({ path: "/summary", sv: `Sammanfattningen får vara högst ${SUMMARY_MAX_LENGTH} tecken.`, en: `The summary may be at most ${SUMMARY_MAX_LENGTH} characters.` });
  }
  for (const kind of ["professions", "categories"] as const) {
    const list = fields[kind];
    if (list === undefined) continue;
    if (list.length > TAGS_MAX) problems.push({ path: pointer(kind), sv: `Högst ${TAGS_MAX} val.`, en: `At most ${TAGS_MAX} entries.` });
    const seen = new Set<string>();
    list.forEach((slug, i) => {
      if (seen.has(slug)) problems.push({ path: pointer(kind, i), sv: `"${slug}" finns två gånger. Ta bort dubbletten.`, en: `"${slug}" is listed twice. Remove the duplicate.` });
      else if (!taxonomy[kind].has(slug)) {
        problems.push({ path: pointer(kind, i), sv: `"${slug}" finns inte i listan. Välj bland de befintliga.`, en: `"${slug}" is not in the list. Choose an existing entry.` });
      }
      seen.add(slug);
    });
  }
  return problems;
}

// ---------- draft lock ----------

/** Without a heartbeat for this long, a lock is free again (the editor sends one every 30 s). */
export const LOCK_TTL_MS = 120_000;

export type LockRow = { holderId: string; expiresAt: Date };
export type LockStatus = "free" | "mine" | "held";

/** An expired lock is free, whoever held it. */
export function lockStatus(lock: LockRow | null, userId: string, now: Date): LockStatus {
  if (!lock || lock.expiresAt.getTime() <= now.getTime()) return "free";
  return lock.holderId === userId ? "mine" : "held";
}

export type AcquireVerdict = { ok: true; takeOver: boolean } | { ok: false; reason: "locked" | "take_over_forbidden" };

/** Anyone may take a free lock or renew their own; only admins take a live lock from someone else. */
export function planAcquire(lock: LockRow | null, user: { id: string; isAdmin: boolean }, now: Date, takeOver: boolean): AcquireVerdict {
  const status = lockStatus(lock, user.id, now);
  if (status !== "held") return { ok: true, takeOver: false };
  if (!takeOver) return { ok: false, reason: "locked" };
  return user.isAdmin ? { ok: true, takeOver: true } : { ok: false, reason: "take_over_forbidden" };
}

/** A heartbeat renews the caller's lock, or one that expired and nobody took; a lock taken by someone else is lost. */
export function planHeartbeat(lock: LockRow | null, userId: string, now: Date): "renew" | "lost" {
  return lockStatus(lock, userId, now) === "held" ? "lost" : "renew";
}

/** Saving needs the caller's lock or no live lock at all (a CLI push while nobody edits). */
export function maySave(lock: LockRow | null, userId: string, now: Date): boolean {
  return lockStatus(lock, userId, now) !== "held";
}

export function lockExpiry(now: Date): Date {
  return new Date(now.getTime() + LOCK_TTL_MS);
}

// ---------- versions and review ----------

export type VersionLite = { id: string; number: number; state: VersionState };

/** The newest version in any state (what the editor opens and a save names as parent), or null. */
export function headOf<V extends VersionLite>(versions: readonly V[]): V | null {
  let head: V | null = null;
  for (const v of versions) if (!head || v.number > head.number) head = v;
  return head;
}

export type LifecyclePlan = { ok: true; changes: StateChange[] } | { ok: false; from: VersionState; to: VersionState };

function find(versions: readonly VersionLite[], id: string): VersionLite {
  const v = versions.find((x) => x.id === id);
  if (!v) throw new Error(`version ${id} is not one of the tool's versions`);
  return v;
}

/**
 * draft → in_review. One review at a time per tool: a version already in review goes back to draft,
 * since the newer submission supersedes it.
 */
export function planSubmit(versions: readonly VersionLite[], targetId: string): LifecyclePlan {
  const target = find(versions, targetId);
  if (target.state !== "draft") return { ok: false, from: target.state, to: "in_review" };
  const changes: StateChange[] = versions.filter((v) => v.state === "in_review").map((v) => ({ versionId: v.id, from: "in_review", to: "draft" }));
  changes.push({ versionId: target.id, from: "draft", to: "in_review" });
  return { ok: true, changes };
}

/** in_review → draft: the author gets it back with the reviewer's message. */
export function planRequestChanges(versions: readonly VersionLite[], targetId: string): LifecyclePlan {
  const target = find(versions, targetId);
  if (target.state !== "in_review") return { ok: false, from: target.state, to: "draft" };
  return { ok: true, changes: [{ versionId: target.id, from: "in_review", to: "draft" }] };
}

/** in_review → active, the active one archived. Only reviewed versions: a draft must be submitted first. */
export function planReviewPublish(versions: readonly VersionLite[], targetId: string): LifecyclePlan {
  const target = find(versions, targetId);
  if (target.state !== "in_review") return { ok: false, from: target.state, to: "active" };
  const plan = planPublish(versions, targetId);
  if (!plan.ok) return { ok: false, from: target.state, to: "active" };
  return { ok: true, changes: plan.changes };
}

/** archived → active (a superuser undoing a publish), the active one archived. */
export function planRollback(versions: readonly VersionLite[], targetId: string): LifecyclePlan {
  const target = find(versions, targetId);
  if (target.state !== "archived") return { ok: false, from: target.state, to: "active" };
  const plan = planPublish(versions, targetId);
  if (!plan.ok) return { ok: false, from: target.state, to: "active" };
  return { ok: true, changes: plan.changes };
}

// ---------- people ----------

/** "First Last", or the e-mail address when the profile has no name. */
export function displayName(user: { email: string; firstName: string; lastName: string }): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return name || user.email;
}
