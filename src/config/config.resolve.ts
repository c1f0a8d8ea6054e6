// From TOML text and environment to a validated Config. Pure: no files, no process globals, so tests
// pass strings in. Every problem is collected (unknown names, wrong types, bad values, cross-key rules)
// and reported together in one ConfigError, each naming the file, line and key or the variable.
import { parse, TomlError } from "smol-toml";
import {
  configSpec,
  crossKeyRules,
  defaultConfig,
  envVarName,
  specEntries,
  type Config,
  type KeySpec,
  type SectionSpec,
} from "./config.keys";
import { ConfigError, DEFAULTS, ENVIRONMENT, type ConfigProblem } from "./config.errors";
import { findKeyLines, lineOf, type KeyLines } from "./config.lines";
import { maskUrlPassword } from "./config.mask";

export type Env = Record<string, string | undefined>;

/** Where a key's effective value came from; `config print` shows it for overridden keys. */
export type ValueSource =
  | { kind: "default" }
  | { kind: "file"; file: string; line?: number }
  | { kind: "env"; name: string };

export type ResolvedConfig = { config: Config; sources: Record<string, ValueSource> };

export type ResolveInput = {
  /** The TOML text, or null when no file was found (defaults plus environment). */
  text: string | null;
  /** The file name used in messages; ignored when text is null. */
  file: string | null;
  env: Env;
};

const sections: Record<string, SectionSpec> = configSpec;
const FIX_FILE = "Fix the value or remove the line to use the default.";
const FIX_ENV = "Fix the variable or unset it.";

type Checked = { ok: true; value: unknown } | { ok: false; expected: string; got?: string; hint?: string };

/** Throws ConfigError listing every problem; otherwise returns the config and each key's source. */
export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const file = input.file ?? DEFAULTS;
  const values = defaultConfig() as Record<string, Record<string, unknown>>;
  const sources: Record<string, ValueSource> = {};
  for (const entry of specEntries()) sources[entry.path] = { kind: "default" };
  const problems: ConfigProblem[] = [];
  let syntaxError = false;

  if (input.text !== null) {
    const doc = parseToml(input.text, file);
    if ("problem" in doc) {
      problems.push(doc.problem);
      syntaxError = true;
    } else {
      applyFile(doc.table, file, findKeyLines(input.text), values, sources, problems);
    }
  }
  applyEnv(input.env, values, sources, problems);

  // Built from the spec and filled only with checked values, so it has the Config shape.
  const config = values as Config;
  if (!syntaxError) {
    const failedKeys = new Set(problems.map((p) => p.key));
    for (const rule of crossKeyRules) {
      if (rule.keys.some((k) => failedKeys.has(k))) continue;
      const message = rule.check(config);
      if (message === null) continue;
      const [section = "", key = ""] = rule.key.split(".");
      const source = sources[rule.key] ?? { kind: "default" };
      problems.push(
        source.kind === "env"
          ? { file: ENVIRONMENT, key: rule.key, message: `${source.name}: ${message}` }
          : { file, line: source.kind === "file" ? source.line : undefined, key: rule.key, message: `[${section}] ${key}: ${message}` },
      );
    }
  }

  if (problems.length > 0) throw new ConfigError(sortProblems(problems, file));
  return { config, sources };
}

function parseToml(text: string, file: string): { table: Record<string, unknown> } | { problem: ConfigProblem } {
  try {
    return { table: parse(text) };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message is "Invalid TOML document: <reason>\n\n<code block with a caret>".
    const reason = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    const codeblock = error.codeblock
      .replace(/\n+$/, "")
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n");
    return {
      problem: {
        file,
        line: error.line,
        message: `TOML syntax error at column ${error.column}: ${reason}. Check quotes, brackets and "=" on this line.\n${codeblock}`,
      },
    };
  }
}

function applyFile(
  table: Record<string, unknown>,
  file: string,
  lines: KeyLines,
  values: Record<string, Record<string, unknown>>,
  sources: Record<string, ValueSource>,
  problems: ConfigProblem[],
): void {
  for (const [sectionName, sectionValue] of Object.entries(table)) {
    const section = sections[sectionName];
    const line = lineOf(lines, sectionName);
    if (!section) {
      problems.push({ file, line, key: sectionName, message: unknownSectionMessage(sectionName, sectionValue) });
      continue;
    }
    if (!isTable(sectionValue)) {
      problems.push({
        file,
        line,
        key: sectionName,
        message: `${sectionName}: expected a section [${sectionName}] with keys below it, got ${describeValue(sectionValue)}. Write it as a [${sectionName}] header.`,
      });
      continue;
    }
    for (const [key, raw] of Object.entries(sectionValue)) {
      const path = `${sectionName}.${key}`;
      const keyLine = lineOf(lines, path);
      const spec = section.keys[key];
      if (!spec) {
        problems.push({ file, line: keyLine, key: path, message: unknownKeyMessage(sectionName, key) });
        continue;
      }
      const checked = checkFileValue(spec, raw);
      if (!checked.ok) {
        const got = checked.got ?? describeValue(raw, spec);
        const fix = checked.hint ?? FIX_FILE;
        problems.push({
          file,
          line: keyLine,
          key: path,
          message: `[${sectionName}] ${key}: expected ${checked.expected}, got ${got}. ${fix}`,
        });
        continue;
      }
      setValue(values, sectionName, key, checked.value);
      sources[path] = { kind: "file", file, line: keyLine };
    }
  }
}

function applyEnv(
  env: Env,
  values: Record<string, Record<string, unknown>>,
  sources: Record<string, ValueSource>,
  problems: ConfigProblem[],
): void {
  const byName = new Map(specEntries().map((e) => [envVarName(e.section, e.key), e]));
  const sectionPrefixes = Object.keys(sections).map((s) => `SKRIPTOTEKET_${s.toUpperCase()}_`);
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (raw === undefined) continue;
    const entry = byName.get(name);
    if (!entry) {
      // A typo such as SKRIPTOTEKET_AUTH_REGISTRATON would otherwise be ignored without a word; names
      // under a section's prefix are reserved for settings, so an unknown one is an error.
      if (sectionPrefixes.some((prefix) => name.startsWith(prefix))) {
        const guess = closest(name, [...byName.keys()]);
        problems.push({
          file: ENVIRONMENT,
          message: `${name}: no such setting.${guess ? ` Did you mean ${guess}?` : ""} ${FIX_ENV}`,
        });
      }
      continue;
    }
    const checked = parseEnvValue(entry.spec, raw);
    if (!checked.ok) {
      const got = checked.got ?? describeEnvValue(raw, entry.spec);
      problems.push({
        file: ENVIRONMENT,
        key: entry.path,
        message: `${name}: expected ${checked.expected}, got ${got}. ${FIX_ENV}`,
      });
      continue;
    }
    setValue(values, entry.section, entry.key, checked.value);
    sources[entry.path] = { kind: "env", name };
  }
}

function setValue(values: Record<string, Record<string, unknown>>, section: string, key: string, value: unknown) {
  (values[section] ??= {})[key] = value;
}

// ---- value checks shared by file and environment -------------------------------------------------

function checkFileValue(spec: KeySpec, raw: unknown): Checked {
  switch (spec.type) {
    case "string":
      return typeof raw === "string" ? checkString(spec.check, spec.normalize, raw, spec.like) : typeError(spec);
    case "bool":
      if (typeof raw === "boolean") return { ok: true, value: raw };
      return { ...typeError(spec), hint: quotedHint(raw, /^(true|false)$/) };
    case "int":
      if (typeof raw === "number" && Number.isInteger(raw)) return checkRange(spec.min, spec.max, raw);
      return { ...typeError(spec), hint: quotedHint(raw, /^[+-]?\d+$/) };
    case "enum":
      return typeof raw === "string" && spec.values.includes(raw) ? { ok: true, value: raw } : typeError(spec);
    case "string[]":
      if (!Array.isArray(raw) || !raw.every((item): item is string => typeof item === "string")) return typeError(spec);
      return checkItems(spec.checkItem, spec.normalizeItem, raw);
  }
}

function parseEnvValue(spec: KeySpec, raw: string): Checked {
  const trimmed = raw.trim();
  switch (spec.type) {
    case "string":
      return checkString(spec.check, spec.normalize, raw, spec.like);
    case "bool": {
      const lower = trimmed.toLowerCase();
      if (["true", "1", "yes"].includes(lower)) return { ok: true, value: true };
      if (["false", "0", "no"].includes(lower)) return { ok: true, value: false };
      return { ok: false, expected: "true, false, 1, 0, yes or no" };
    }
    case "int":
      return /^[+-]?\d+$/.test(trimmed)
        ? checkRange(spec.min, spec.max, Number(trimmed))
        : { ok: false, expected: rangeText(spec.min, spec.max) };
    case "enum":
      return spec.values.includes(trimmed) ? { ok: true, value: trimmed } : { ok: false, expected: expectedType(spec) };
    case "string[]": {
      const items = trimmed === "" ? [] : trimmed.split(",").map((s) => s.trim()).filter((s) => s !== "");
      return checkItems(spec.checkItem, spec.normalizeItem, items);
    }
  }
}

function checkString(
  check: ((v: string) => string | null) | undefined,
  normalize: ((v: string) => string) | undefined,
  value: string,
  like: string | undefined,
): Checked {
  const expected = check?.(value) ?? null;
  if (expected !== null) return { ok: false, expected: like ? `${expected}, like ${quote(like)}` : expected };
  return { ok: true, value: normalize ? normalize(value) : value };
}

function checkRange(min: number, max: number, value: number): Checked {
  return value >= min && value <= max ? { ok: true, value } : { ok: false, expected: rangeText(min, max) };
}

function checkItems(
  check: ((v: string) => string | null) | undefined,
  normalize: ((v: string) => string) | undefined,
  items: string[],
): Checked {
  for (const [index, item] of items.entries()) {
    const expected = check?.(item) ?? null;
    if (expected !== null) return { ok: false, expected, got: `${quote(item)} (item ${index + 1})` };
  }
  return { ok: true, value: normalize ? items.map(normalize) : items };
}

function typeError(spec: KeySpec): { ok: false; expected: string } {
  return { ok: false, expected: expectedType(spec) };
}

/** What a key accepts, in words: `a string like "0.0.0.0:8080"`, `one of "sv" or "en"`. */
function expectedType(spec: KeySpec): string {
  switch (spec.type) {
    case "string":
      return spec.like ? `a string like ${quote(spec.like)}` : "a string";
    case "bool":
      return "true or false";
    case "int":
      return rangeText(spec.min, spec.max);
    case "enum":
      return `one of ${orList(spec.values.map(quote))}`;
    case "string[]":
      return spec.like ? `a list of strings like ${spec.like}` : "a list of strings";
  }
}

function rangeText(min: number, max: number): string {
  return `a whole number from ${min} to ${max}`;
}

/** "true" in quotes for a bool key: the fix is to drop the quotes, so say exactly that. */
function quotedHint(raw: unknown, pattern: RegExp): string | undefined {
  return typeof raw === "string" && pattern.test(raw.trim()) ? `Write it without quotes: ${raw.trim()}.` : undefined;
}

// ---- describing values in messages ---------------------------------------------------------------

/** A TOML value as the user wrote it plus its TOML type; secrets show only their type. */
function describeValue(value: unknown, spec?: KeySpec): string {
  if (spec?.type === "string" && spec.secret) {
    if (spec.secret === "url-password" && typeof value === "string") return `${quote(maskUrlPassword(value))} (string)`;
    return `a value of type ${tomlType(value)}`;
  }
  if (isTable(value)) return "a table";
  return `${short(renderValue(value))} (${tomlType(value)})`;
}

function describeEnvValue(raw: string, spec: KeySpec): string {
  if (spec.type === "string" && spec.secret === "url-password") return quote(maskUrlPassword(raw));
  if (spec.type === "string" && spec.secret) return "a hidden value";
  return quote(raw);
}

function tomlType(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "float";
  if (typeof value === "bigint") return "integer";
  if (value instanceof Date) return "date";
  if (Array.isArray(value)) return "array";
  return "table";
}

function renderValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return Number.isNaN(value) ? "nan" : Number.isFinite(value) ? String(value) : value > 0 ? "inf" : "-inf";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (isTable(value)) return "{…}";
  return String(value);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

// ---- unknown names -------------------------------------------------------------------------------

function unknownSectionMessage(name: string, value: unknown): string {
  const names = Object.keys(sections);
  if (!isTable(value)) {
    // A bare key outside any section: maybe it belongs in one.
    const home = names.find((s) => sections[s]?.keys[name] !== undefined);
    return home
      ? `${name}: this key belongs in [${home}]. Move the line below the [${home}] header.`
      : `${name}: unknown key outside any section. Remove the line; the sections are ${names.map((s) => `[${s}]`).join(", ")}.`;
  }
  const guess = closest(name, names);
  return guess
    ? `[${name}]: unknown section. Did you mean [${guess}]? Fix the name or remove the section.`
    : `[${name}]: unknown section. Fix the name or remove the section; the sections are ${names.map((s) => `[${s}]`).join(", ")}.`;
}

function unknownKeyMessage(section: string, key: string): string {
  const known = Object.keys(sections[section]?.keys ?? {});
  const guess = closest(key, known);
  if (guess) return `[${section}] ${key}: unknown key. Did you mean "${guess}"? Fix the name or remove the line.`;
  const home = Object.keys(sections).find((s) => sections[s]?.keys[key] !== undefined);
  if (home) return `[${section}] ${key}: unknown key here; it belongs in [${home}]. Move the line there.`;
  return `[${section}] ${key}: unknown key. Fix the name or remove the line; [${section}] has ${known.join(", ")}.`;
}

/** The known name within a small edit distance of a typo, if any. */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1; // only near misses count
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The config file's problems in line order first, then the environment's. */
function sortProblems(problems: ConfigProblem[], file: string): ConfigProblem[] {
  const rank = (p: ConfigProblem) => (p.file === file ? 0 : 1);
  return problems
    .map((p, index) => ({ p, index }))
    .sort((a, b) => rank(a.p) - rank(b.p) || (a.p.line ?? 0) - (b.p.line ?? 0) || a.index - b.index)
    .map(({ p }) => p);
}
