// The tool contract (shared/tool-contract.md, contract version 2) as TypeScript: what result.json holds,
// the output kinds, actions and their fields, the stored UI payload, the limits, and the few ways the
// contract measures things (UTF-8 bytes of compact JSON). Everything here is pure; the rules files
// (result, payload, state, actions, input-schema, settings-schema, upload-names) build on it.

export const CONTRACT_VERSION = 2;

// ---------- JSON ----------

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------- limits ----------

/**
 * Every number the contract fixes, plus the few this implementation adds (marked "ours") where the
 * contract is silent but an unbounded value would break something real: the payload budget, the
 * 128 KiB ARG_MAX-bound environment variables of the container, or a readable form.
 */
export const CONTRACT_LIMITS = {
  // §3 result.json
  errorSummaryBytes: 20_000,
  /** ours: result.json larger than this is refused before it is parsed (the driver caps its download too) */
  resultBytes: 8 * 1024 * 1024,
  /** ours: JSON nesting of result.json; the harness caps values at depth 50, the envelope adds a few */
  resultDepth: 64,
  // §4 outputs
  noticeMessageBytes: 8 * 1024,
  markdownBytes: 64 * 1024,
  htmlBytes: 96 * 1024,
  tableRows: 750,
  tableColumns: 40,
  tableCellBytes: 512,
  jsonDepth: 10,
  jsonKeys: 1_000,
  jsonArrayItems: 2_000,
  jsonBytes: 96 * 1024,
  /** ours: a vega_lite spec cannot be shortened without breaking it, so a larger one is dropped */
  vegaLiteSpecBytes: 96 * 1024,
  /** ours: output titles (table, json) are shortened to this */
  titleBytes: 1024,
  // §5 / §6 actions
  actionIdBytes: 64,
  maxOutputs: 50,
  maxActions: 10,
  maxFieldsPerAction: 25,
  maxEnumOptions: 100,
  maxMultiEnumOptions: 200,
  /** ours: all next actions together; keeps room for outputs inside the payload budget */
  actionsBytes: 128 * 1024,
  payloadBytes: 256 * 1024,
  stateBytes: 64 * 1024,
  // field definitions (ours: the contract gives no sizes; these keep forms readable and payloads bounded)
  fieldNameBytes: 128,
  labelBytes: 1024,
  optionValueBytes: 256,
  helpBytes: 2048,
  placeholderBytes: 256,
  /**
   * ours: normalized first-run form values (SKRIPTOTEKET_INPUTS) and action input. Linux refuses an
   * environment string over 128 KiB (MAX_ARG_STRLEN); SKRIPTOTEKET_ACTION also carries up to 64 KiB
   * of state, so action input gets what is left with a margin.
   */
  inputsBytes: 96 * 1024,
  actionInputBytes: 48 * 1024,
  // §2 uploads
  uploadNameBytes: 255,
} as const;

// ---------- §3 result.json ----------

export const RUN_STATUSES = ["succeeded", "failed", "timed_out"] as const;
export type RunResultStatus = (typeof RUN_STATUSES)[number];

export type RunnerArtifact = { path: string; bytes: number };

/** result.json after strict validation: outputs and next_actions are still raw (the payload rules normalize them). */
export type RunnerResult = {
  contract_version: 2;
  status: RunResultStatus;
  error_summary: string | null;
  outputs: unknown[];
  next_actions: unknown[];
  state: JsonObject | null;
  artifacts: RunnerArtifact[];
};

// ---------- §4 outputs ----------

export const OUTPUT_KINDS = ["notice", "markdown", "table", "json", "html_sandboxed", "vega_lite"] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const NOTICE_LEVELS = ["info", "warning", "error"] as const;
export type NoticeLevel = (typeof NOTICE_LEVELS)[number];

export type NoticeOutput = { kind: "notice"; level: NoticeLevel; message: string };
export type MarkdownOutput = { kind: "markdown"; markdown: string };
export type TableColumn = { key: string; label: string };
export type TableCell = string | number | boolean | null;
export type TableRow = { [key: string]: TableCell };
export type TableOutput = { kind: "table"; title?: string; columns: TableColumn[]; rows: TableRow[] };
export type JsonOutput = { kind: "json"; title?: string; value: JsonValue };
export type HtmlSandboxedOutput = { kind: "html_sandboxed"; html: string };
export type VegaLiteOutput = { kind: "vega_lite"; spec: JsonObject };
export type UiOutput = NoticeOutput | MarkdownOutput | TableOutput | JsonOutput | HtmlSandboxedOutput | VegaLiteOutput;

// ---------- fields (§5 action fields, §7 input and settings schemas) ----------

export type EnumOption = { value: string; label: string };

/** Keys every field kind may carry; required/help/placeholder are 2.1 additions. */
type FieldBase = { name: string; label: string; required?: boolean; help?: string; placeholder?: string };

/** min/max: length in characters (string, text), value (integer, number), selections (multi_enum). */
export type StringField = FieldBase & { kind: "string" | "text"; default?: string; min?: number; max?: number };
export type IntegerField = FieldBase & { kind: "integer"; default?: number; min?: number; max?: number };
export type NumberField = FieldBase & { kind: "number"; default?: number; min?: number; max?: number };
export type BooleanField = FieldBase & { kind: "boolean"; default?: boolean };
export type EnumField = FieldBase & { kind: "enum"; options: EnumOption[]; default?: string };
export type MultiEnumField = FieldBase & { kind: "multi_enum"; options: EnumOption[]; default?: string[]; min?: number; max?: number };
/** min/max: number of files (both required by contract v2). accept: ".pdf", "application/pdf", "image/*". */
export type FileField = FieldBase & { kind: "file"; accept?: string[]; min: number; max: number };

/** A field whose value travels as JSON (everything but file). */
export type ValueField = StringField | IntegerField | NumberField | BooleanField | EnumField | MultiEnumField;
export type ActionField = ValueField;
export type InputField = Exclude<ValueField, MultiEnumField> | FileField;
export type AnyField = ValueField | FileField;
export type FieldKind = AnyField["kind"];

export const ACTION_FIELD_KINDS = ["string", "text", "integer", "number", "boolean", "enum", "multi_enum"] as const satisfies readonly FieldKind[];
export const INPUT_FIELD_KINDS = ["string", "text", "integer", "number", "boolean", "enum", "file"] as const satisfies readonly FieldKind[];

// ---------- §5 actions ----------

export type FormAction = {
  action_id: string;
  label: string;
  kind: "form";
  fields: ActionField[];
  /** only present when the tool gave at least one valid prefill value; keys sorted */
  prefill?: JsonObject;
};

// ---------- §6 the stored payload ----------

/** What run pages and history render from (runs.ui_payload). */
export type UiPayload = { contract_version: 2; outputs: UiOutput[]; next_actions: FormAction[] };

// ---------- messages ----------

/** One user-visible text in both languages the product speaks. */
export type Bilingual = { en: string; sv: string };

/**
 * A validation problem users see. `path` is a JSON pointer relative to the validated document
 * ("/2/options/0/value" in a schema, "/title" in form values, "" for the whole document); the HTTP
 * layer prefixes it ("/inputs") and picks the language: see toErrorDetails in input-schema.rules.ts.
 */
export type RuleError = { path: string; code: string } & Bilingual;

// ---------- measuring and building JSON as the contract does ----------

/** UTF-8 length in bytes (a lone surrogate counts 3, as it is encoded as U+FFFD). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** `text` shortened to at most `maxBytes` of UTF-8, never splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  // Cheap exit: one UTF-16 unit never takes more than 3 bytes.
  if (text.length * 3 <= maxBytes || utf8Length(text) <= maxBytes) return text;
  const bytes = Buffer.from(text, "utf8");
  let end = Math.max(0, maxBytes);
  // step back over continuation bytes (10xxxxxx) so the cut lands on the start of a character
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

/** Bytes of the compact JSON text of `value` (JSON.stringify without spaces), UTF-8. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? "");
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets an own enumerable property, also for the key "__proto__" (plain assignment would change the
 * prototype instead and silently lose the value). Every object the rules rebuild from tool data goes
 * through this.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Object keys in the contract's sort order: UTF-16 code units, as JavaScript's default sort. */
export function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).sort();
}
