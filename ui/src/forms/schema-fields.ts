/**
 * Forms generated from a tool's field definitions (tool contract §7 input schema, §5 action fields,
 * settings schema): reading the definitions defensively, the raw values the controls hold, and the same
 * checks the server makes (required, numbers, min/max, options), so a teacher sees a problem at the
 * field before anything is sent. The server checks again; its 422 details land at the same fields.
 * Pure: no DOM, no texts (problemText in schema-field-texts.ts turns a problem into words).
 */
import type { ApiError } from "../api/api-error";
import type { AnyField, EnumOption, FileField, ValueField } from "../api/contract-types";

/** What a control holds: text (string, text, integer, number, enum), a tick (boolean), ticks (multi_enum). */
export type RawValue = string | boolean | string[];

export type FieldProblem =
  | { code: "required" }
  | { code: "integer" }
  | { code: "number" }
  | { code: "not_option" }
  | { code: "too_short" | "too_long" | "too_small" | "too_large" | "too_few" | "too_many"; limit: number };

const VALUE_KINDS = new Set(["string", "text", "integer", "number", "boolean", "enum", "multi_enum"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const finite = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

function options(value: unknown): EnumOption[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((o) => (isRecord(o) && typeof o.value === "string" && typeof o.label === "string" ? [{ value: o.value, label: o.label }] : []));
}

/**
 * The usable field definitions of a schema, in order. The server validated them when the tool was
 * imported; this only protects the page from a malformed one (it is skipped, never crashes the form).
 */
export function parseFields(raw: unknown, { allowFile }: { allowFile: boolean }): AnyField[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Set<string>();
  const out: AnyField[] = [];
  for (const item of raw) {
    if (!isRecord(item)) continue;
    const kind = item.kind;
    const name = text(item.name);
    const label = text(item.label) ?? name;
    if (typeof kind !== "string" || !name || !label || seen.has(name)) continue;
    const base = { name, label, required: item.required === true, help: text(item.help), placeholder: text(item.placeholder) };
    const min = finite(item.min);
    const max = finite(item.max);
    if (kind === "file") {
      if (!allowFile) continue;
      const accept = Array.isArray(item.accept) ? item.accept.filter((a): a is string => typeof a === "string") : undefined;
      out.push({ ...base, kind, accept: accept?.length ? accept : undefined, min: min ?? 0, max: max ?? 1 });
    } else if (VALUE_KINDS.has(kind)) {
      const field = { ...base, kind, min, max, default: item.default, options: options(item.options) } as ValueField;
      if ((field.kind === "enum" || field.kind === "multi_enum") && field.options.length === 0) continue;
      out.push(field);
    } else continue;
    seen.add(name);
  }
  return out;
}

export function isFileField(field: AnyField): field is FileField {
  return field.kind === "file";
}

/** What a control starts with: `prefill` (an action's), else the field's default, else empty. */
export function initialRaw(field: ValueField, prefill?: unknown): RawValue {
  const given = prefill !== undefined && prefill !== null ? prefill : field.default;
  switch (field.kind) {
    case "boolean":
      return given === true;
    case "multi_enum":
      return Array.isArray(given) ? given.filter((v): v is string => typeof v === "string") : [];
    case "integer":
    case "number":
      return typeof given === "number" ? String(given) : typeof given === "string" ? given : "";
    default:
      return typeof given === "string" ? given : "";
  }
}

/** A stored value (settings) as a control's raw value; same rules as a default. */
export function rawFromValue(field: ValueField, value: unknown): RawValue {
  return initialRaw({ ...field, default: undefined } as ValueField, value);
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** Characters as the server counts them (code points). */
const length = (s: string) => [...s].length;

export type Checked = { value?: unknown; problem?: FieldProblem };

/** One field's value to send (undefined: left out) or its problem, as the server would judge it. */
export function checkField(field: ValueField, raw: RawValue): Checked {
  const { min, max } = field as { min?: number; max?: number };
  switch (field.kind) {
    case "boolean":
      return { value: raw === true };
    case "multi_enum": {
      const picked = Array.isArray(raw) ? raw.filter((v) => field.options.some((o) => o.value === v)) : [];
      if (picked.length === 0) return field.required ? { problem: { code: "required" } } : {};
      if (min !== undefined && picked.length < min) return { problem: { code: "too_few", limit: min } };
      if (max !== undefined && picked.length > max) return { problem: { code: "too_many", limit: max } };
      return { value: picked };
    }
    default: {
      const value = typeof raw === "string" ? raw.trim() : "";
      if (value === "") return field.required ? { problem: { code: "required" } } : {};
      if (field.kind === "enum") return field.options.some((o) => o.value === value) ? { value } : { problem: { code: "not_option" } };
      if (field.kind === "integer" || field.kind === "number") {
        const ok = field.kind === "integer" ? INTEGER.test(value) : NUMBER.test(value);
        if (!ok) return { problem: { code: field.kind } };
        const n = Number(value.replace(",", "."));
        if (field.kind === "integer" && !Number.isSafeInteger(n)) return { problem: { code: "integer" } };
        if (min !== undefined && n < min) return { problem: { code: "too_small", limit: min } };
        if (max !== undefined && n > max) return { problem: { code: "too_large", limit: max } };
        return { value: n };
      }
      if (min !== undefined && length(value) < min) return { problem: { code: "too_short", limit: min } };
      if (max !== undefined && length(value) > max) return { problem: { code: "too_long", limit: max } };
      return { value };
    }
  }
}

export type FormCheck = { values: Record<string, unknown>; problems: Record<string, FieldProblem> };

/** Every value field of a form: the values to send and the problems by field name. */
export function checkFields(fields: readonly ValueField[], raws: Readonly<Record<string, RawValue | undefined>>): FormCheck {
  const values: Record<string, unknown> = {};
  const problems: Record<string, FieldProblem> = {};
  for (const field of fields) {
    const checked = checkField(field, raws[field.name] ?? initialRaw(field));
    if (checked.problem) problems[field.name] = checked.problem;
    else if (checked.value !== undefined) values[field.name] = checked.value;
  }
  return { values, problems };
}

/**
 * A 422's field messages under `prefix` ("inputs", "input", "values") by field name: the server says
 * "/inputs/title"; a pointer's "~1" and "~0" are decoded ("/inputs/a~1b" is field "a/b").
 */
export function serverFieldErrors(error: ApiError, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fieldErrors())) {
    if (!path.startsWith(`${prefix}/`)) continue;
    const name = path.slice(prefix.length + 1).split("/")[0]!.replaceAll("~1", "/").replaceAll("~0", "~");
    if (name && !(name in out)) out[name] = message;
  }
  return out;
}

/** A 422's messages about the uploads as a whole ("/files") or single files ("/files/<n>"), in order. */
export function serverFileErrors(error: ApiError): string[] {
  return Object.entries(error.fieldErrors())
    .filter(([path]) => path === "files" || path.startsWith("files/"))
    .map(([, message]) => message);
}
