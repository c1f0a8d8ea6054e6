// Validation of a tool folder's tool.json (and the cheap checks on tool.py it implies). Pure: the
// service reads the files and passes their text. Every problem names the file, a JSON pointer into
// it and what to fix, and all problems are reported at once so one edit round fixes them all.
import { describeSlugProblem } from "./tools.rules";
import { pointer, validateInputSchema } from "./input-schema.rules";
import { validateSettingsSchema } from "./settings-schema.rules";

export const MANIFEST_FILE = "tool.json";
export const SOURCE_FILE = "tool.py";
export const DEFAULT_ENTRYPOINT = "run_tool";

export const TITLE_MAX_LENGTH = 200;
export const SUMMARY_MAX_LENGTH = 1000;
export const INSTRUCTIONS_MAX_BYTES = 64 * 1024;
export const SOURCE_MAX_BYTES = 1024 * 1024;
export const TAGS_MAX = 20;

/** A validated tool.json with every optional key filled in. */
export type ToolManifest = {
  slug: string;
  title: string;
  summary: string;
  entrypoint: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  usage_instructions: string;
  professions: string[];
  categories: string[];
};

export type ManifestProblem = { file: string; path: string; message: string };

export type ManifestCheckInput = {
  /** The text of tool.json. */
  manifestText: string;
  /** The text of tool.py. */
  source: string;
  /** How the files are named in messages (a path the operator recognizes); default tool.json / tool.py. */
  manifestFile?: string;
  sourceFile?: string;
};

export type ManifestCheck = { ok: true; manifest: ToolManifest } | { ok: false; problems: ManifestProblem[] };

/** `file: /pointer: message`; the pointer is left out for problems about the whole file. */
export function formatManifestProblem(p: ManifestProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

const KNOWN_KEYS = [
  "slug",
  "title",
  "summary",
  "entrypoint",
  "input_schema",
  "settings_schema",
  "usage_instructions",
  "professions",
  "categories",
] as const;
type ManifestKey = (typeof KNOWN_KEYS)[number];

const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);
/** ASCII only: tool authors write run_tool-style names, and the check stays simple and exact. */
const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function checkToolManifest(input: ManifestCheckInput): ManifestCheck {
  const file = input.manifestFile ?? MANIFEST_FILE;
  const sourceFile = input.sourceFile ?? SOURCE_FILE;
  const problems: ManifestProblem[] = [];
  const add = (path: string, message: string) => problems.push({ file, path, message });

  let parsed: unknown;
  try {
    parsed = JSON.parse(input.manifestText);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^JSON Parse error: /, "") : String(e);
    add("", `is not valid JSON (${why}). Check for a trailing comma, a missing comma or unquoted keys.`);
    return { ok: false, problems };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    add("", `must be a JSON object like {"slug": "min-tool", "title": "Mitt verktyg"}, got ${describeType(parsed)}.`);
    return { ok: false, problems };
  }
  const raw = parsed as Record<string, unknown>;

  for (const key of Object.keys(raw)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      add(pointer(key), `unknown key. Remove it or fix its name; tool.json has ${KNOWN_KEYS.join(", ")}.`);
    }
  }

  const has = (key: ManifestKey) => Object.hasOwn(raw, key);
  const str = (key: ManifestKey, { required, fallback }: { required: boolean; fallback: string }): string => {
    if (!has(key)) {
      if (required) add(pointer(key), `is missing. Add "${key}": "…".`);
      return fallback;
    }
    const v = raw[key];
    if (typeof v !== "string") {
      add(pointer(key), `must be a string, got ${describeType(v)}.`);
      return fallback;
    }
    return v;
  };

  const slug = str("slug", { required: true, fallback: "" });
  if (has("slug") && typeof raw.slug === "string") {
    const problem = describeSlugProblem(slug);
    if (problem) add("/slug", problem);
  }

  const title = str("title", { required: true, fallback: "" }).trim();
  if (has("title") && typeof raw.title === "string") {
    if (!title) add("/title", "is empty. Give the tool a short title, like \"Betygsöversikt\".");
    else if (title.length > TITLE_MAX_LENGTH) add("/title", `is ${title.length} characters long. Shorten it to at most ${TITLE_MAX_LENGTH}.`);
  }

  const summary = str("summary", { required: false, fallback: "" }).trim();
  if (summary.length > SUMMARY_MAX_LENGTH) add("/summary", `is ${summary.length} characters long. Shorten it to at most ${SUMMARY_MAX_LENGTH}.`);

  const usage = str("usage_instructions", { required: false, fallback: "" });
  if (utf8Bytes(usage) > INSTRUCTIONS_MAX_BYTES) add("/usage_instructions", `is larger than ${INSTRUCTIONS_MAX_BYTES / 1024} KiB. Shorten the instructions.`);

  const entrypoint = str("entrypoint", { required: false, fallback: DEFAULT_ENTRYPOINT });
  const entrypointOk = checkEntrypoint(entrypoint, (m) => add("/entrypoint", m));

  const professions = tags(raw, "professions", add);
  const categories = tags(raw, "categories", add);

  let inputSchema: unknown[] = [];
  if (has("input_schema")) {
    const v = raw.input_schema;
    if (!Array.isArray(v)) add("/input_schema", `must be an array of fields (may be []), got ${describeType(v)}.`);
    else {
      inputSchema = v;
      for (const p of inputSchemaProblems(v)) add(`/input_schema${p.path}`, p.message);
    }
  }

  let settingsSchema: unknown[] | null = null;
  if (has("settings_schema") && raw.settings_schema !== null) {
    const v = raw.settings_schema;
    if (!Array.isArray(v)) add("/settings_schema", `must be an array of fields or null, got ${describeType(v)}.`);
    else {
      // [] means "no settings" just like null (settings-schema.rules.ts); one spelling keeps the hash stable.
      settingsSchema = v.length ? v : null;
      for (const p of settingsSchemaProblems(v)) add(`/settings_schema${p.path}`, p.message);
    }
  }

  for (const p of checkSource(input.source, entrypointOk ? entrypoint : null)) problems.push({ file: sourceFile, path: "", message: p });

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    manifest: {
      slug,
      title,
      summary,
      entrypoint,
      input_schema: inputSchema,
      settings_schema: settingsSchema,
      usage_instructions: usage,
      professions,
      categories,
    },
  };
}

function checkEntrypoint(name: string, add: (message: string) => void): boolean {
  if (!PYTHON_IDENTIFIER.test(name)) {
    add(`"${name}" is not a Python function name. Use letters a–z, A–Z, digits and _, not starting with a digit, like "run_tool".`);
    return false;
  }
  if (PYTHON_KEYWORDS.has(name)) {
    add(`"${name}" is a Python keyword and cannot name a function. Use another name, like "run_tool".`);
    return false;
  }
  return true;
}

/** professions / categories: unique slug-like tags, at most TAGS_MAX. */
function tags(raw: Record<string, unknown>, key: "professions" | "categories", add: (path: string, message: string) => void): string[] {
  if (!Object.hasOwn(raw, key)) return [];
  const v = raw[key];
  if (!Array.isArray(v)) {
    add(pointer(key), `must be an array of strings like ["larare"], got ${describeType(v)}.`);
    return [];
  }
  if (v.length > TAGS_MAX) add(pointer(key), `has ${v.length} entries. Keep at most ${TAGS_MAX}.`);
  const out: string[] = [];
  v.forEach((item, i) => {
    if (typeof item !== "string") return add(pointer(key, i), `must be a string, got ${describeType(item)}.`);
    const problem = describeSlugProblem(item);
    if (problem) return add(pointer(key, i), problem);
    if (out.includes(item)) return add(pointer(key, i), `"${item}" is listed twice. Remove the duplicate.`);
    out.push(item);
  });
  return out;
}

/**
 * The cheap textual checks on tool.py: not empty, not too large, and the entrypoint defined at the
 * top level as `def <name>(` (synchronous: the harness calls it directly). The server compiles the
 * source in the runner later, so syntax errors are reported there with line and column.
 */
function checkSource(source: string, entrypoint: string | null): string[] {
  if (!source.trim()) return ["is empty. Write the tool's Python code, with a top-level function like def run_tool(input_dir, output_dir):"];
  const problems: string[] = [];
  const bytes = utf8Bytes(source);
  if (bytes > SOURCE_MAX_BYTES) problems.push(`is ${bytes} bytes. A tool script may be at most ${SOURCE_MAX_BYTES / 1024} KiB; move data into uploads.`);
  if (source.includes("\u0000")) problems.push("contains a NUL character. Save it as plain UTF-8 text.");
  if (entrypoint) {
    const defined = new RegExp(`^def[ \\t]+${entrypoint}[ \\t]*\\(`, "m").test(source);
    if (!defined) {
      const isAsync = new RegExp(`^async[ \\t]+def[ \\t]+${entrypoint}[ \\t]*\\(`, "m").test(source);
      problems.push(
        isAsync
          ? `defines ${entrypoint} with "async def". The entrypoint must be a plain synchronous function: def ${entrypoint}(input_dir, output_dir):`
          : `has no top-level "def ${entrypoint}(". Define it at the start of a line (not inside a class or another function), or set "entrypoint" in tool.json to the function's name.`,
      );
    }
  }
  return problems;
}

// ---- schema validators -------------------------------------------------------------------------
// The field rules live in input-schema.rules.ts and settings-schema.rules.ts (one source of truth
// for the editor, import and runs); here their errors only get the tool.json prefix and English text.
type SchemaProblem = { path: string; message: string };

function inputSchemaProblems(schema: unknown[]): SchemaProblem[] {
  const check = validateInputSchema(schema);
  return check.ok ? [] : check.errors.map((e) => ({ path: e.path, message: e.en }));
}

function settingsSchemaProblems(schema: unknown[]): SchemaProblem[] {
  const check = validateSettingsSchema(schema);
  return check.ok ? [] : check.errors.map((e) => ({ path: e.path, message: e.en }));
}
