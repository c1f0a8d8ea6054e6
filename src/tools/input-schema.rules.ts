// Input schema (tool contract §7): the form before a tool's first run, and the field rules it shares with
// action forms (§5) and the settings schema. Pure: no I/O. Four parts:
//   1. field definitions: checkFieldDefinition / validateInputSchema → errors with JSON-pointer paths
//      ("/2/options/0/value") that the editor shows inline
//   2. values: normalizeFieldValue (lenient, for what a form sends) and typedFieldValue (strict JSON
//      types, for a schema's default and an action's prefill); normalizeFormValues for a whole form
//   3. files: the file count, sniffType (what the first bytes say a file is) and the accept check
//   4. validateRunInputs: all of it for one run request
//
// Decisions (the contract leaves these open):
// - Unknown keys in a field definition are ignored (v2 schemas may carry extra keys); names, labels,
//   option values and labels are trimmed, as the original Skriptoteket did.
// - One error shape everywhere: RuleError {path, code, en, sv}; toErrorDetails turns a list into the
//   HTTP layer's 422 details [{path: "/inputs/<name>", message}] in the reader's language.
// - Value rules: strings (string, text, enum, multi_enum items) are trimmed, "" → omitted; integers
//   from JSON integers or "-12"; numbers from JSON numbers or "2.5", also with a decimal comma ("2,5"),
//   as Swedish users write them; booleans from true/false, 1/0 and "true/1/yes/on", "false/0/no/off"
//   (any case). multi_enum takes a list (or one string), drops "" and repeats, keeps the first order.
//   Every string value is made storable (NUL and lone surrogates → U+FFFD: PostgreSQL jsonb refuses them).
// - 2.1 keys: `default` applies when a value is omitted; `required` then demands a value (for a file
//   field: at least one file); min/max count characters (code points) for string/text, bound the value
//   for integer/number, count selections for multi_enum and files. `help`/`placeholder` are only shown.
// - Files: a file's type comes from its extension when the extension is known (EXTENSION_TYPES) and
//   its first bytes must agree with it (a renamed .exe is not a PDF); with an unknown or no extension
//   the sniffed type counts. accept entries: ".ext", "type/subtype", "type/*", "*/*"; a bare "pdf" is
//   read as ".pdf"; a comma-separated string works like a list.
import {
  CONTRACT_LIMITS as LIMITS,
  INPUT_FIELD_KINDS,
  isPlainObject,
  jsonBytes,
  setOwn,
  utf8Length,
  type AnyField,
  type Bilingual,
  type EnumOption,
  type FieldKind,
  type FileField,
  type InputField,
  type JsonObject,
  type JsonValue,
  type RuleError,
  type ValueField,
} from "../execution/contract.types";
import { storableString } from "../execution/result.rules";

// ---------- paths and errors ----------

/** RFC 6901 JSON pointer: "~" → "~0", "/" → "~1". pointer() is "" (the whole document). */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

export type ErrorDetail = { path: string; message: string };

/** The 422 details of the HTTP layer: `prefix` + path ("/inputs" + "/title"), message in `locale`. */
export function toErrorDetails(errors: readonly RuleError[], locale: "sv" | "en", prefix = ""): ErrorDetail[] {
  return errors.map((e) => ({ path: prefix + e.path, message: e[locale] }));
}

function ruleError(path: string, code: string, text: Bilingual): RuleError {
  return { path, code, en: text.en, sv: text.sv };
}

/** Numbers as each language writes them: 2.5 / 2,5. */
function num(n: number): Bilingual {
  const en = String(n);
  return { en, sv: en.replace(".", ",") };
}

/** A user-supplied value inside a message: quoted, shortened. */
function quote(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

// ---------- messages: field definitions (seen by tool authors in the editor) ----------

const SCHEMA_TEXT = {
  schema_not_list: () => ({
    en: 'The schema must be a JSON list of fields, like [{"kind": "string", "name": "title", "label": "Title"}].',
    sv: 'Schemat måste vara en JSON-lista med fält, till exempel [{"kind": "string", "name": "title", "label": "Titel"}].',
  }),
  field_not_object: () => ({
    en: "Each field must be an object with kind, name and label.",
    sv: "Varje fält måste vara ett objekt med kind, name och label.",
  }),
  kind_unknown: (got: unknown, allowed: readonly string[]) => ({
    en: `Unknown field kind ${quote(got)}. Use one of: ${allowed.join(", ")}.`,
    sv: `Okänd fälttyp ${quote(got)}. Använd en av: ${allowed.join(", ")}.`,
  }),
  name_required: () => ({
    en: "Give the field a name (the key the script reads).",
    sv: "Ge fältet ett namn (nyckeln som skriptet läser).",
  }),
  name_too_long: (max: number) => ({ en: `The name may be at most ${max} bytes.`, sv: `Namnet får vara högst ${max} byte.` }),
  name_duplicate: (name: string) => ({
    en: `Another field already has the name ${quote(name)}. Names must be unique.`,
    sv: `Ett annat fält har redan namnet ${quote(name)}. Namnen måste vara unika.`,
  }),
  label_required: () => ({
    en: "Give the field a label (the text users see).",
    sv: "Ge fältet en etikett (texten som användarna ser).",
  }),
  label_too_long: (max: number) => ({ en: `The label may be at most ${max} bytes.`, sv: `Etiketten får vara högst ${max} byte.` }),
  bool_expected: (key: string) => ({ en: `${key} must be true or false.`, sv: `${key} måste vara true eller false.` }),
  text_expected: (key: string) => ({ en: `${key} must be text.`, sv: `${key} måste vara text.` }),
  text_too_long: (key: string, max: number) => ({ en: `${key} may be at most ${max} bytes.`, sv: `${key} får vara högst ${max} byte.` }),
  options_required: () => ({
    en: 'Give the field a list of at least one option, like [{"value": "a", "label": "A"}].',
    sv: 'Ge fältet en lista med minst ett alternativ, till exempel [{"value": "a", "label": "A"}].',
  }),
  options_too_many: (max: number) => ({ en: `A field may have at most ${max} options.`, sv: `Ett fält får ha högst ${max} alternativ.` }),
  option_not_object: () => ({
    en: "Each option must be an object with value and label.",
    sv: "Varje alternativ måste vara ett objekt med value och label.",
  }),
  option_value_required: () => ({ en: "The option needs a value (text).", sv: "Alternativet behöver ett värde (text)." }),
  option_value_too_long: (max: number) => ({
    en: `The option value may be at most ${max} bytes.`,
    sv: `Alternativets värde får vara högst ${max} byte.`,
  }),
  option_value_duplicate: (value: string) => ({
    en: `Another option already has the value ${quote(value)}. Values must be unique.`,
    sv: `Ett annat alternativ har redan värdet ${quote(value)}. Värdena måste vara unika.`,
  }),
  option_label_required: () => ({ en: "The option needs a label (text).", sv: "Alternativet behöver en etikett (text)." }),
  option_label_too_long: (max: number) => ({
    en: `The option label may be at most ${max} bytes.`,
    sv: `Alternativets etikett får vara högst ${max} byte.`,
  }),
  bound_invalid: (key: string, mode: BoundMode) => ({ en: `${key} must be ${BOUND_WORDS[mode].en}.`, sv: `${key} måste vara ${BOUND_WORDS[mode].sv}.` }),
  bound_not_supported: (key: string, kind: string) => ({
    en: `${key} is not used by fields of kind "${kind}". Remove it.`,
    sv: `${key} används inte av fält av typen "${kind}". Ta bort det.`,
  }),
  min_above_max: () => ({ en: "max must be at least as large as min.", sv: "max måste vara minst lika stort som min." }),
  file_min_invalid: () => ({
    en: "min (the fewest files) must be a whole number, 0 or more.",
    sv: "min (minsta antal filer) måste vara ett heltal, 0 eller större.",
  }),
  file_max_invalid: () => ({
    en: "max (the most files) must be a whole number, 1 or more.",
    sv: "max (största antal filer) måste vara ett heltal, 1 eller större.",
  }),
  file_field_multiple: () => ({ en: "A form may have at most one file field.", sv: "Ett formulär får ha högst ett filfält." }),
  accept_not_list: () => ({ en: "accept must be a list of file types.", sv: "accept måste vara en lista med filtyper." }),
  accept_invalid: (got: unknown) => ({
    en: `${quote(got)} is not a file type. Use extensions like ".pdf" or media types like "application/pdf" or "image/*".`,
    sv: `${quote(got)} är ingen filtyp. Använd filändelser som ".pdf" eller medietyper som "application/pdf" eller "image/*".`,
  }),
  default_not_allowed: () => ({ en: "File fields cannot have a default value.", sv: "Filfält kan inte ha ett standardvärde." }),
  default_invalid: (inner: Bilingual) => ({
    en: `The default value does not fit the field: ${inner.en}`,
    sv: `Standardvärdet passar inte fältet: ${inner.sv}`,
  }),
} satisfies Record<string, (...args: never[]) => Bilingual>;

type BoundMode = "count" | "integer" | "number";
const BOUND_WORDS: Record<BoundMode, Bilingual> = {
  count: { en: "a whole number, 0 or more", sv: "ett heltal, 0 eller större" },
  integer: { en: "a whole number", sv: "ett heltal" },
  number: { en: "a number", sv: "ett tal" },
};

// ---------- messages: values (seen by everyone filling in a form) ----------

export type ValueCode =
  | "expected_text"
  | "expected_integer"
  | "expected_number"
  | "expected_boolean"
  | "expected_list"
  | "not_an_option"
  | "too_short"
  | "too_long"
  | "too_small"
  | "too_large"
  | "too_few_selected"
  | "too_many_selected";

export type ValueProblem = { code: ValueCode; limit?: number };

export function valueProblemText(problem: ValueProblem): Bilingual {
  const n = num(problem.limit ?? 0);
  switch (problem.code) {
    case "expected_text":
      return { en: "Enter text.", sv: "Skriv en text." };
    case "expected_integer":
      return { en: "Enter a whole number, for example 12.", sv: "Ange ett heltal, till exempel 12." };
    case "expected_number":
      return { en: "Enter a number, for example 2.5.", sv: "Ange ett tal, till exempel 2,5." };
    case "expected_boolean":
      return { en: "Choose yes or no.", sv: "Välj ja eller nej." };
    case "expected_list":
      return { en: "Choose from the listed options.", sv: "Välj bland alternativen i listan." };
    case "not_an_option":
      return { en: "Choose one of the listed options.", sv: "Välj ett av alternativen i listan." };
    case "too_short":
      return { en: `Enter at least ${n.en} ${plural(problem.limit ?? 0, "character", "characters")}.`, sv: `Skriv minst ${n.sv} tecken.` };
    case "too_long":
      return { en: `Enter at most ${n.en} ${plural(problem.limit ?? 0, "character", "characters")}.`, sv: `Skriv högst ${n.sv} tecken.` };
    case "too_small":
      return { en: `Enter ${n.en} or more.`, sv: `Ange ${n.sv} eller mer.` };
    case "too_large":
      return { en: `Enter ${n.en} or less.`, sv: `Ange ${n.sv} eller mindre.` };
    case "too_few_selected":
      return { en: `Choose at least ${n.en}.`, sv: `Välj minst ${n.sv}.` };
    case "too_many_selected":
      return { en: `Choose at most ${n.en}.`, sv: `Välj högst ${n.sv}.` };
  }
}

const FORM_TEXT = {
  required: () => ({ en: "This field is required.", sv: "Fältet måste fyllas i." }),
  unknown_field: () => ({ en: "The form has no field with this name.", sv: "Formuläret har inget fält med det här namnet." }),
  file_in_values: () => ({
    en: "Files are sent as uploads, not as form values.",
    sv: "Filer skickas som uppladdningar, inte som formulärvärden.",
  }),
  values_not_object: () => ({ en: "The form values must be a JSON object.", sv: "Formulärets värden måste vara ett JSON-objekt." }),
  values_too_large: (max: number) => ({
    en: `The form values are too large: at most ${max} bytes in total.`,
    sv: `Formulärets värden är för stora: högst ${max} byte sammanlagt.`,
  }),
  files_none_allowed: () => ({
    en: "This tool does not take any files. Remove the files and try again.",
    sv: "Verktyget tar inte emot filer. Ta bort filerna och försök igen.",
  }),
  files_too_few: (min: number) => ({
    en: `Choose at least ${min} ${plural(min, "file", "files")}.`,
    sv: `Välj minst ${min} ${plural(min, "fil", "filer")}.`,
  }),
  files_too_many: (max: number) => ({
    en: `Choose at most ${max} ${plural(max, "file", "files")}.`,
    sv: `Välj högst ${max} ${plural(max, "fil", "filer")}.`,
  }),
  file_type_not_accepted: (name: string, accepted: readonly string[]) => ({
    en: `The file ${quote(name)} is not of an accepted type. Accepted: ${accepted.join(", ")}.`,
    sv: `Filen ${quote(name)} har inte en tillåten filtyp. Tillåtna: ${accepted.join(", ")}.`,
  }),
  file_content_mismatch: (name: string, type: string) => ({
    en: `The file ${quote(name)} does not contain what its name says (${type}). Check that it is the right file.`,
    sv: `Filen ${quote(name)} innehåller inte det som namnet anger (${type}). Kontrollera att det är rätt fil.`,
  }),
} satisfies Record<string, (...args: never[]) => Bilingual>;

// ---------- 1. field definitions ----------

export type FieldCheck = { field: AnyField | null; errors: RuleError[] };

/** A trimmed non-empty string, or null. */
function trimmedText(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = storableString(value).trim();
  return text === "" ? null : text;
}

function checkBound(value: unknown, mode: BoundMode): number | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  if (mode === "number") return value;
  if (!Number.isSafeInteger(value)) return null;
  return mode === "count" && value < 0 ? null : value;
}

const BOUND_MODE: Partial<Record<FieldKind, BoundMode>> = {
  string: "count",
  text: "count",
  multi_enum: "count",
  integer: "integer",
  number: "number",
};

function checkOptions(raw: unknown, path: string, max: number, errors: RuleError[]): EnumOption[] | null {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push(ruleError(path, "options_required", SCHEMA_TEXT.options_required()));
    return null;
  }
  if (raw.length > max) {
    errors.push(ruleError(path, "options_too_many", SCHEMA_TEXT.options_too_many(max)));
    return null;
  }
  const options: EnumOption[] = [];
  const seen = new Set<string>();
  const before = errors.length;
  raw.forEach((item, i) => {
    const at = `${path}${pointer(i)}`;
    if (!isPlainObject(item)) {
      errors.push(ruleError(at, "option_not_object", SCHEMA_TEXT.option_not_object()));
      return;
    }
    const value = trimmedText(item.value);
    const label = trimmedText(item.label);
    if (value === null) errors.push(ruleError(`${at}/value`, "option_value_required", SCHEMA_TEXT.option_value_required()));
    else if (utf8Length(value) > LIMITS.optionValueBytes)
      errors.push(ruleError(`${at}/value`, "option_value_too_long", SCHEMA_TEXT.option_value_too_long(LIMITS.optionValueBytes)));
    else if (seen.has(value)) errors.push(ruleError(`${at}/value`, "option_value_duplicate", SCHEMA_TEXT.option_value_duplicate(value)));
    if (label === null) errors.push(ruleError(`${at}/label`, "option_label_required", SCHEMA_TEXT.option_label_required()));
    else if (utf8Length(label) > LIMITS.labelBytes)
      errors.push(ruleError(`${at}/label`, "option_label_too_long", SCHEMA_TEXT.option_label_too_long(LIMITS.labelBytes)));
    if (value !== null && label !== null) {
      seen.add(value);
      options.push({ value, label });
    }
  });
  return errors.length === before ? options : null;
}

const EXTENSION_ENTRY = /^\.[a-z0-9][a-z0-9._+-]*$/;
const MEDIA_TYPE_ENTRY = /^(?:[a-z0-9][a-z0-9!#$&^_.+-]*\/(?:\*|[a-z0-9][a-z0-9!#$&^_.+-]*)|\*\/\*)$/;

/** accept as a clean list (lower-cased, deduplicated, "pdf" → ".pdf", "*" → "*∕*"), or null with errors added. */
function checkAccept(raw: unknown, path: string, errors: RuleError[]): string[] | null {
  const items: unknown[] = typeof raw === "string" ? raw.split(",") : Array.isArray(raw) ? raw : [];
  if (typeof raw !== "string" && !Array.isArray(raw)) {
    errors.push(ruleError(path, "accept_not_list", SCHEMA_TEXT.accept_not_list()));
    return null;
  }
  const accept: string[] = [];
  const before = errors.length;
  items.forEach((item, i) => {
    if (typeof item !== "string") {
      errors.push(ruleError(`${path}${pointer(i)}`, "accept_invalid", SCHEMA_TEXT.accept_invalid(item)));
      return;
    }
    let entry = item.trim().toLowerCase();
    if (entry === "") return;
    if (entry === "*") entry = "*/*";
    else if (!entry.includes("/") && !entry.startsWith(".")) entry = `.${entry}`;
    if (!EXTENSION_ENTRY.test(entry) && !MEDIA_TYPE_ENTRY.test(entry)) {
      errors.push(ruleError(`${path}${pointer(i)}`, "accept_invalid", SCHEMA_TEXT.accept_invalid(item)));
      return;
    }
    if (!accept.includes(entry)) accept.push(entry);
  });
  return errors.length === before ? accept : null;
}

/**
 * Checks one field definition. `kinds` are the kinds allowed where it appears (input schema or action
 * fields/settings). Returns the normalized field (keys in a fixed order, optional keys only when
 * set) when there are no errors.
 */
export function checkFieldDefinition(raw: unknown, path: string, kinds: readonly FieldKind[]): FieldCheck {
  if (!isPlainObject(raw)) return { field: null, errors: [ruleError(path, "field_not_object", SCHEMA_TEXT.field_not_object())] };
  const errors: RuleError[] = [];
  const kind = raw.kind;
  const kindOk = typeof kind === "string" && (kinds as readonly string[]).includes(kind);
  if (!kindOk) errors.push(ruleError(`${path}/kind`, "kind_unknown", SCHEMA_TEXT.kind_unknown(kind, kinds)));

  const name = trimmedText(raw.name);
  if (name === null) errors.push(ruleError(`${path}/name`, "name_required", SCHEMA_TEXT.name_required()));
  else if (utf8Length(name) > LIMITS.fieldNameBytes) errors.push(ruleError(`${path}/name`, "name_too_long", SCHEMA_TEXT.name_too_long(LIMITS.fieldNameBytes)));
  const label = trimmedText(raw.label);
  if (label === null) errors.push(ruleError(`${path}/label`, "label_required", SCHEMA_TEXT.label_required()));
  else if (utf8Length(label) > LIMITS.labelBytes) errors.push(ruleError(`${path}/label`, "label_too_long", SCHEMA_TEXT.label_too_long(LIMITS.labelBytes)));

  let required = false;
  if (raw.required !== undefined && raw.required !== null) {
    if (typeof raw.required === "boolean") required = raw.required;
    else errors.push(ruleError(`${path}/required`, "bool_expected", SCHEMA_TEXT.bool_expected("required")));
  }
  const optionalText = (key: "help" | "placeholder", max: number): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      errors.push(ruleError(`${path}/${key}`, "text_expected", SCHEMA_TEXT.text_expected(key)));
      return undefined;
    }
    const text = storableString(value).trim();
    if (utf8Length(text) > max) errors.push(ruleError(`${path}/${key}`, "text_too_long", SCHEMA_TEXT.text_too_long(key, max)));
    return text === "" ? undefined : text;
  };
  const help = optionalText("help", LIMITS.helpBytes);
  const placeholder = optionalText("placeholder", LIMITS.placeholderBytes);
  if (!kindOk) return { field: null, errors };
  const fieldKind = kind as FieldKind;

  const field: Record<string, JsonValue> = { kind: fieldKind, name: name ?? "", label: label ?? "" };
  let optionsOk = true;
  if (fieldKind === "enum" || fieldKind === "multi_enum") {
    const max = fieldKind === "enum" ? LIMITS.maxEnumOptions : LIMITS.maxMultiEnumOptions;
    const options = checkOptions(raw.options, `${path}/options`, max, errors);
    optionsOk = options !== null;
    if (options) field.options = options;
  }

  if (fieldKind === "file") {
    if (raw.accept !== undefined && raw.accept !== null) {
      const accept = checkAccept(raw.accept, `${path}/accept`, errors);
      if (accept && accept.length > 0) field.accept = accept;
    }
    const min = typeof raw.min === "number" && Number.isSafeInteger(raw.min) && raw.min >= 0 ? raw.min : null;
    const max = typeof raw.max === "number" && Number.isSafeInteger(raw.max) && raw.max >= 1 ? raw.max : null;
    if (min === null) errors.push(ruleError(`${path}/min`, "file_min_invalid", SCHEMA_TEXT.file_min_invalid()));
    if (max === null) errors.push(ruleError(`${path}/max`, "file_max_invalid", SCHEMA_TEXT.file_max_invalid()));
    if (min !== null && max !== null && max < min) errors.push(ruleError(`${path}/max`, "min_above_max", SCHEMA_TEXT.min_above_max()));
    if (min !== null) field.min = min;
    if (max !== null) field.max = max;
  } else {
    const mode = BOUND_MODE[fieldKind];
    const bounds: Partial<Record<"min" | "max", number>> = {};
    for (const key of ["min", "max"] as const) {
      const value = raw[key];
      if (value === undefined || value === null) continue;
      if (!mode) {
        errors.push(ruleError(`${path}/${key}`, "bound_not_supported", SCHEMA_TEXT.bound_not_supported(key, fieldKind)));
        continue;
      }
      const bound = checkBound(value, mode);
      if (bound === null) errors.push(ruleError(`${path}/${key}`, "bound_invalid", SCHEMA_TEXT.bound_invalid(key, mode)));
      else bounds[key] = bound;
    }
    if (bounds.min !== undefined && bounds.max !== undefined && bounds.max < bounds.min)
      errors.push(ruleError(`${path}/max`, "min_above_max", SCHEMA_TEXT.min_above_max()));
    if (bounds.min !== undefined) field.min = bounds.min;
    if (bounds.max !== undefined) field.max = bounds.max;
  }

  if (raw.default !== undefined && raw.default !== null) {
    if (fieldKind === "file") errors.push(ruleError(`${path}/default`, "default_not_allowed", SCHEMA_TEXT.default_not_allowed()));
    else if (optionsOk) {
      const outcome = typedFieldValue(field as unknown as ValueField, raw.default);
      if (outcome.kind === "error")
        errors.push(ruleError(`${path}/default`, "default_invalid", SCHEMA_TEXT.default_invalid(valueProblemText(outcome.problem))));
      else if (outcome.kind === "value") field.default = outcome.value;
    }
  }
  if (required) field.required = true;
  if (help !== undefined) field.help = help;
  if (placeholder !== undefined) field.placeholder = placeholder;
  return errors.length > 0 ? { field: null, errors } : { field: field as unknown as AnyField, errors };
}

export type SchemaCheck<F> = { ok: true; schema: F[] } | { ok: false; errors: RuleError[] };

/**
 * Checks a list of field definitions: each field, unique names, at most one file field (input schema
 * only). null/undefined means "no fields". Shared by validateInputSchema and the settings schema.
 */
export function checkFieldList<F extends AnyField>(raw: unknown, kinds: readonly FieldKind[]): SchemaCheck<F> {
  if (raw === undefined || raw === null) return { ok: true, schema: [] };
  if (!Array.isArray(raw)) return { ok: false, errors: [ruleError("", "schema_not_list", SCHEMA_TEXT.schema_not_list())] };
  const errors: RuleError[] = [];
  const fields: F[] = [];
  const names = new Set<string>();
  let fileFields = 0;
  raw.forEach((item, i) => {
    const { field, errors: fieldErrors } = checkFieldDefinition(item, pointer(i), kinds);
    errors.push(...fieldErrors);
    // duplicate and file-count checks also for fields with other errors, so one pass shows everything
    const name = isPlainObject(item) ? trimmedText(item.name) : null;
    if (name !== null) {
      if (names.has(name)) errors.push(ruleError(pointer(i, "name"), "name_duplicate", SCHEMA_TEXT.name_duplicate(name)));
      names.add(name);
    }
    if (isPlainObject(item) && item.kind === "file" && kinds.includes("file")) {
      fileFields++;
      if (fileFields === 2) errors.push(ruleError(pointer(i, "kind"), "file_field_multiple", SCHEMA_TEXT.file_field_multiple()));
    }
    if (field) fields.push(field as F);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, schema: fields };
}

/** §7 input schema: kinds string/text/integer/number/boolean/enum/file, unique names, at most one file field. */
export function validateInputSchema(raw: unknown): SchemaCheck<InputField> {
  return checkFieldList<InputField>(raw, INPUT_FIELD_KINDS);
}

// ---------- 2. values ----------

export type ValueOutcome = { kind: "omitted" } | { kind: "value"; value: JsonValue } | { kind: "error"; problem: ValueProblem };

const OMITTED: ValueOutcome = { kind: "omitted" };
const problem = (code: ValueCode, limit?: number): ValueOutcome => ({ kind: "error", problem: limit === undefined ? { code } : { code, limit } });

const INTEGER_TEXT = /^[+-]?\d+$/;
// one decimal separator, point or comma; optional exponent
const NUMBER_TEXT = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:e[+-]?\d+)?$/i;
const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

function inRange(value: number, field: { min?: number; max?: number }, low: ValueCode, high: ValueCode, measure = value): ValueOutcome {
  if (field.min !== undefined && measure < field.min) return problem(low, field.min);
  if (field.max !== undefined && measure > field.max) return problem(high, field.max);
  return { kind: "value", value };
}

/** What a form sent for one field → the normalized value, "omitted", or a problem (see the header). */
export function normalizeFieldValue(field: ValueField, raw: unknown): ValueOutcome {
  if (raw === undefined || raw === null) return OMITTED;
  switch (field.kind) {
    case "string":
    case "text": {
      if (typeof raw !== "string") return problem("expected_text");
      const text = storableString(raw).trim();
      if (text === "") return OMITTED;
      const length = [...text].length;
      const outcome = inRange(length, field, "too_short", "too_long");
      return outcome.kind === "error" ? outcome : { kind: "value", value: text };
    }
    case "integer": {
      let value: number;
      if (typeof raw === "number") value = raw;
      else if (typeof raw === "string") {
        const text = raw.trim();
        if (text === "") return OMITTED;
        if (!INTEGER_TEXT.test(text)) return problem("expected_integer");
        value = Number(text);
      } else return problem("expected_integer");
      if (!Number.isSafeInteger(value)) return problem("expected_integer");
      return inRange(value === 0 ? 0 : value, field, "too_small", "too_large"); // -0 → 0
    }
    case "number": {
      let value: number;
      if (typeof raw === "number") value = raw;
      else if (typeof raw === "string") {
        const text = raw.trim();
        if (text === "") return OMITTED;
        if (!NUMBER_TEXT.test(text)) return problem("expected_number");
        value = Number(text.replace(",", "."));
      } else return problem("expected_number");
      if (!Number.isFinite(value)) return problem("expected_number");
      return inRange(value === 0 ? 0 : value, field, "too_small", "too_large");
    }
    case "boolean": {
      if (typeof raw === "boolean") return { kind: "value", value: raw };
      if (raw === 1 || raw === 0) return { kind: "value", value: raw === 1 };
      if (typeof raw !== "string") return problem("expected_boolean");
      const word = raw.trim().toLowerCase();
      if (word === "") return OMITTED;
      if (TRUE_WORDS.has(word)) return { kind: "value", value: true };
      if (FALSE_WORDS.has(word)) return { kind: "value", value: false };
      return problem("expected_boolean");
    }
    case "enum": {
      if (typeof raw !== "string") return problem("not_an_option");
      const text = storableString(raw).trim();
      if (text === "") return OMITTED;
      return field.options.some((o) => o.value === text) ? { kind: "value", value: text } : problem("not_an_option");
    }
    case "multi_enum": {
      const items: unknown[] = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : [];
      if (typeof raw !== "string" && !Array.isArray(raw)) return problem("expected_list");
      const chosen: string[] = [];
      for (const item of items) {
        if (typeof item !== "string") return problem("expected_list");
        const text = storableString(item).trim();
        if (text === "" || chosen.includes(text)) continue;
        if (!field.options.some((o) => o.value === text)) return problem("not_an_option");
        chosen.push(text);
      }
      if (chosen.length === 0) return OMITTED;
      const outcome = inRange(chosen.length, field, "too_few_selected", "too_many_selected");
      return outcome.kind === "error" ? outcome : { kind: "value", value: chosen };
    }
  }
}

/**
 * Strict variant for values a schema or a tool writes (a field's `default`, an action's `prefill`):
 * the JSON type must already be right (no "yes" for a boolean, no "12" for an integer); then the
 * same normalization and limits as normalizeFieldValue.
 */
export function typedFieldValue(field: ValueField, value: unknown): ValueOutcome {
  if (value === undefined || value === null) return OMITTED;
  const typeOk = (() => {
    switch (field.kind) {
      case "string":
      case "text":
        return typeof value === "string";
      case "enum":
        return typeof value === "string";
      case "integer":
        return typeof value === "number" && Number.isSafeInteger(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "boolean":
        return typeof value === "boolean";
      case "multi_enum":
        return Array.isArray(value) && value.every((v) => typeof v === "string");
    }
  })();
  if (!typeOk) {
    const code: ValueCode =
      field.kind === "integer"
        ? "expected_integer"
        : field.kind === "number"
          ? "expected_number"
          : field.kind === "boolean"
            ? "expected_boolean"
            : field.kind === "enum"
              ? "not_an_option"
              : field.kind === "multi_enum"
                ? "expected_list"
                : "expected_text";
    return problem(code);
  }
  return normalizeFieldValue(field, value);
}

export type FormCheck = { ok: true; values: JsonObject } | { ok: false; errors: RuleError[] };

/**
 * A whole form: `values` must be an object; keys that are no field are rejected (sorted, first);
 * then each field in schema order: normalized, default applied when omitted, required enforced.
 * File fields only count as "present" through uploads, so a key for one is an error. The result's
 * keys follow the schema order; `maxBytes` bounds its compact JSON (see CONTRACT_LIMITS.inputsBytes).
 */
export function normalizeFormValues(fields: readonly AnyField[], values: unknown, maxBytes: number): FormCheck {
  if (values === undefined || values === null) values = {};
  if (!isPlainObject(values)) return { ok: false, errors: [ruleError("", "values_not_object", FORM_TEXT.values_not_object())] };
  const errors: RuleError[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const key of Object.keys(values).sort()) {
    if (!byName.has(key)) errors.push(ruleError(pointer(key), "unknown_field", FORM_TEXT.unknown_field()));
  }
  const out: JsonObject = {};
  for (const field of fields) {
    const present = Object.hasOwn(values, field.name);
    if (field.kind === "file") {
      if (present) errors.push(ruleError(pointer(field.name), "file_in_values", FORM_TEXT.file_in_values()));
      continue;
    }
    let outcome = normalizeFieldValue(field, present ? values[field.name] : undefined);
    if (outcome.kind === "omitted" && field.default !== undefined) outcome = { kind: "value", value: field.default };
    if (outcome.kind === "error") errors.push(ruleError(pointer(field.name), outcome.problem.code, valueProblemText(outcome.problem)));
    else if (outcome.kind === "value") setOwn(out, field.name, outcome.value);
    else if (field.required) errors.push(ruleError(pointer(field.name), "required", FORM_TEXT.required()));
  }
  if (errors.length > 0) return { ok: false, errors };
  if (jsonBytes(out) > maxBytes) return { ok: false, errors: [ruleError("", "values_too_large", FORM_TEXT.values_too_large(maxBytes))] };
  return { ok: true, values: out };
}

// ---------- 3. files ----------

/** How many leading bytes of each upload the caller should pass to sniffType/checkFileAccept. */
export const SNIFF_BYTES = 64 * 1024;

export const SNIFFED = {
  pdf: "application/pdf",
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  zip: "application/zip",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
  csv: "text/csv",
  text: "text/plain",
} as const;
export type SniffedType = (typeof SNIFFED)[keyof typeof SNIFFED];

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04] as const;
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06] as const;
const OOXML_BY_FOLDER: readonly [string, SniffedType][] = [
  ["word/", SNIFFED.docx],
  ["xl/", SNIFFED.xlsx],
  ["ppt/", SNIFFED.pptx],
];
const ODF_TYPES: readonly SniffedType[] = [SNIFFED.odt, SNIFFED.ods, SNIFFED.odp];

/**
 * A ZIP's flavour. ODF puts an uncompressed "mimetype" entry first (the ODF spec requires it);
 * OOXML is told by its folders (word/, xl/, ppt/), read from every local file header in the window.
 * Headers are found by their signature rather than walked, since writers that stream (flag bit 3)
 * leave the sizes needed for walking at zero.
 */
function sniffZip(bytes: Uint8Array): SniffedType {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entryAt = (at: number) => {
    if (at + 30 > bytes.length) return null;
    const nameLength = view.getUint16(at + 26, true);
    const dataStart = at + 30 + nameLength + view.getUint16(at + 28, true);
    return { name: ascii(bytes, at + 30, at + 30 + nameLength), dataStart, size: view.getUint32(at + 18, true) };
  };
  const first = entryAt(0);
  if (first?.name === "mimetype") {
    const mime = ascii(bytes, first.dataStart, first.dataStart + Math.min(first.size, 100)).trim();
    const odf = ODF_TYPES.find((t) => t === mime);
    if (odf) return odf;
  }
  for (let at = 0; at + 4 <= bytes.length; at++) {
    if (!startsWith(bytes, ZIP_LOCAL_HEADER, at)) continue;
    const name = entryAt(at)?.name ?? "";
    for (const [folder, type] of OOXML_BY_FOLDER) if (name.startsWith(folder)) return type;
  }
  return SNIFFED.zip;
}

/** Bytes that do not occur in text: C0 controls except tab, line breaks (\n \v \f \r) and ESC (ANSI colours). */
function isBinaryByte(b: number): boolean {
  return b <= 0x08 || (b >= 0x0e && b <= 0x1f && b !== 0x1b);
}

/** Counts `delimiter` outside double quotes. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}

function looksLikeCsv(text: string): boolean {
  const parts = text.split("\n");
  if (parts.length > 1 && !text.endsWith("\n")) parts.pop(); // the window may end mid-line
  const lines = parts
    .map((l) => l.replace(/\r$/, ""))
    .filter((l) => l.trim() !== "")
    .slice(0, 10);
  if (lines.length < 2) return false;
  return [",", ";", "\t"].some((d) => {
    const first = countOutsideQuotes(lines[0]!, d);
    return first > 0 && lines.every((l) => countOutsideQuotes(l, d) === first);
  });
}

/**
 * What the first bytes of a file say it is (pass up to SNIFF_BYTES). PDF (header within the first
 * 1024 bytes, as readers allow), PNG, JPEG, GIF, ZIP and its office flavours (docx/xlsx/pptx by
 * their folders, odt/ods/odp by the "mimetype" entry), text (no binary control bytes; UTF-8 or a
 * legacy 8-bit encoding such as Windows-1252, or UTF-16 with a BOM), text/csv when at least two lines
 * share the same non-zero count of "," ";" or tab. An empty file counts as text. null: unknown binary.
 */
export function sniffType(head: Uint8Array): SniffedType | null {
  if (head.length === 0) return SNIFFED.text;
  if (ascii(head, 0, 1024).includes("%PDF-")) return SNIFFED.pdf;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return SNIFFED.png;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return SNIFFED.jpeg;
  const gif = ascii(head, 0, 6);
  if (gif === "GIF87a" || gif === "GIF89a") return SNIFFED.gif;
  if (startsWith(head, ZIP_LOCAL_HEADER)) return sniffZip(head);
  if (startsWith(head, ZIP_EMPTY)) return SNIFFED.zip;
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return SNIFFED.text; // UTF-16 BOM
  if (head.some(isBinaryByte)) return null;
  const text = new TextDecoder("utf-8").decode(head); // invalid sequences (Windows-1252 å) become U+FFFD: fine for counting delimiters
  return looksLikeCsv(text) ? SNIFFED.csv : SNIFFED.text;
}

const TEXT_TYPES: readonly SniffedType[] = [SNIFFED.text, SNIFFED.csv];
const ZIP_FAMILY: readonly SniffedType[] = [SNIFFED.zip, SNIFFED.docx, SNIFFED.xlsx, SNIFFED.pptx, SNIFFED.odt, SNIFFED.ods, SNIFFED.odp];

/**
 * Known extensions: the media type they stand for and the sniffed types their content may have.
 * Office files may also sniff as a plain ZIP (their folders can lie beyond the sniffed window).
 */
export const EXTENSION_TYPES: Readonly<Record<string, { mime: string; content: readonly (SniffedType | null)[] }>> = {
  ".pdf": { mime: SNIFFED.pdf, content: [SNIFFED.pdf] },
  ".png": { mime: SNIFFED.png, content: [SNIFFED.png] },
  ".jpg": { mime: SNIFFED.jpeg, content: [SNIFFED.jpeg] },
  ".jpeg": { mime: SNIFFED.jpeg, content: [SNIFFED.jpeg] },
  ".gif": { mime: SNIFFED.gif, content: [SNIFFED.gif] },
  ".zip": { mime: SNIFFED.zip, content: ZIP_FAMILY },
  ".docx": { mime: SNIFFED.docx, content: [SNIFFED.docx, SNIFFED.zip] },
  ".xlsx": { mime: SNIFFED.xlsx, content: [SNIFFED.xlsx, SNIFFED.zip] },
  ".pptx": { mime: SNIFFED.pptx, content: [SNIFFED.pptx, SNIFFED.zip] },
  ".odt": { mime: SNIFFED.odt, content: [SNIFFED.odt, SNIFFED.zip] },
  ".ods": { mime: SNIFFED.ods, content: [SNIFFED.ods, SNIFFED.zip] },
  ".odp": { mime: SNIFFED.odp, content: [SNIFFED.odp, SNIFFED.zip] },
  ".csv": { mime: SNIFFED.csv, content: TEXT_TYPES },
  ".tsv": { mime: "text/tab-separated-values", content: TEXT_TYPES },
  ".txt": { mime: SNIFFED.text, content: TEXT_TYPES },
  ".md": { mime: "text/markdown", content: TEXT_TYPES },
  ".json": { mime: "application/json", content: TEXT_TYPES },
  ".xml": { mime: "application/xml", content: TEXT_TYPES },
  ".html": { mime: "text/html", content: TEXT_TYPES },
  ".htm": { mime: "text/html", content: TEXT_TYPES },
};

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

function mediaTypeMatches(pattern: string, type: string | null): boolean {
  if (type === null) return false;
  if (pattern === "*/*") return true;
  if (pattern.endsWith("/*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export type AcceptVerdict = { ok: true } | { ok: false; code: "file_type_not_accepted" | "file_content_mismatch"; expected: string };

/**
 * Whether a file (sanitized name + first bytes) satisfies an accept list. A file matches an entry by
 * name (".ext" / its extension's media type, with content that agrees) or, when its extension is
 * unknown, by sniffed type. A name that matches but content that does not → file_content_mismatch.
 */
export function checkFileAccept(accept: readonly string[] | undefined, name: string, head: Uint8Array): AcceptVerdict {
  if (!accept || accept.length === 0 || accept.includes("*/*")) return { ok: true };
  const lower = name.toLowerCase();
  const ext = extensionOf(name);
  const known = EXTENSION_TYPES[ext];
  const sniffed = sniffType(head);
  const contentAgrees = known ? known.content.includes(sniffed) : true;
  const type = known ? known.mime : sniffed;
  let mismatch: string | null = null;
  for (const entry of accept) {
    const byName = entry.startsWith(".") ? lower.endsWith(entry) && lower.length > entry.length : mediaTypeMatches(entry, type);
    if (!byName) continue;
    if (contentAgrees) return { ok: true };
    mismatch ??= entry.startsWith(".") ? entry : ext || entry;
  }
  return mismatch !== null ? { ok: false, code: "file_content_mismatch", expected: mismatch } : { ok: false, code: "file_type_not_accepted", expected: accept.join(", ") };
}

/** The file field of a schema, if any (an input schema has at most one). */
export function fileFieldOf(schema: readonly InputField[]): FileField | null {
  return (schema.find((f) => f.kind === "file") as FileField | undefined) ?? null;
}

/** The number of uploads against the file field: [min, max], at least 1 when required, 0 without a file field. */
export function checkFileCount(schema: readonly InputField[], count: number): RuleError | null {
  const field = fileFieldOf(schema);
  if (!field) return count > 0 ? ruleError("", "files_none_allowed", FORM_TEXT.files_none_allowed()) : null;
  const min = field.required ? Math.max(field.min, 1) : field.min;
  if (count < min) return ruleError(pointer(field.name), "files_too_few", FORM_TEXT.files_too_few(min));
  if (count > field.max) return ruleError(pointer(field.name), "files_too_many", FORM_TEXT.files_too_many(field.max));
  return null;
}

/** The accept check of every upload, as errors on the file field's path. */
export function checkFileTypes(schema: readonly InputField[], files: readonly UploadHead[]): RuleError[] {
  const field = fileFieldOf(schema);
  if (!field?.accept) return [];
  const errors: RuleError[] = [];
  for (const file of files) {
    const verdict = checkFileAccept(field.accept, file.name, file.head);
    if (verdict.ok) continue;
    const text =
      verdict.code === "file_content_mismatch"
        ? FORM_TEXT.file_content_mismatch(file.name, verdict.expected)
        : FORM_TEXT.file_type_not_accepted(file.name, field.accept);
    errors.push(ruleError(pointer(field.name), verdict.code, text));
  }
  return errors;
}

// ---------- 4. one run request ----------

/** An upload as the rules see it: its sanitized name and its first bytes (up to SNIFF_BYTES). */
export type UploadHead = { name: string; head: Uint8Array };

/**
 * Everything §7 asks of a first run: form values normalized (→ SKRIPTOTEKET_INPUTS), the file count,
 * and each file's type. All errors are returned together, paths relative to the form ("/title").
 */
export function validateRunInputs(input: { schema: readonly InputField[]; values: unknown; files: readonly UploadHead[] }): FormCheck {
  const form = normalizeFormValues(input.schema, input.values, LIMITS.inputsBytes);
  const errors = form.ok ? [] : [...form.errors];
  const count = checkFileCount(input.schema, input.files.length);
  if (count) errors.push(count);
  else errors.push(...checkFileTypes(input.schema, input.files));
  return errors.length > 0 ? { ok: false, errors } : form;
}
