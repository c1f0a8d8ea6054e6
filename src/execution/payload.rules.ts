// UI-payload normalization (tool contract §4–§6): a tool's raw outputs and next_actions → the stored
// payload {contract_version: 2, outputs, next_actions} that run pages and history render from.
// Deterministic: the same input always gives the same bytes. Pure: no I/O.
//
// Decisions (precise, tested to the byte in payload.rules.test.ts):
//
// Outputs, in the tool's order; each is kept (possibly shortened) or dropped:
// - notice {level info|warning|error, message ≤ 8 KiB}, markdown ≤ 64 KiB, html_sandboxed ≤ 96 KiB:
//   over-long text is cut at a UTF-8 boundary. Content (message, markdown, html, cell text) is never
//   trimmed; identifiers and labels are.
// - table: columns must be a list of {key, label} (trimmed, non-empty, ≤ 1024 bytes); invalid columns
//   and repeated keys are removed; more than 40 are cut; rows must be a list; rows that are not
//   objects are removed; more than 750 valid rows are cut; cells keep the column order and hold only
//   text (≤ 512 bytes), numbers, true/false or null, other cells are removed. Cells whose key is no
//   column are left out WITHOUT a notice: showing only the listed columns is what a table means
//   (rows built from wider records are normal), not an intervention.
// - json: keys sorted at every level (so the payload is deterministic and the UI shows them sorted);
//   levels deeper than 10 (the top value is level 1) become null; objects keep their first 1,000 keys
//   in sorted order, lists their first 2,000 items; then if the compact JSON exceeds 96 KiB, a top-level
//   list or object keeps its longest prefix that fits, a string is cut to fit, anything else is dropped.
//   JavaScript orders integer-like keys ("2", "10") first, numerically, whatever the insertion order.
// - vega_lite (2.1: every tool): spec must be an object, ≤ 96 KiB compact; a spec that loads remote data
//   (any "data" property, at any depth, holding an object or list of objects with "url") is dropped.
// - title (table, json): optional; trimmed, "" → none, cut at 1024 bytes; a non-string title is removed.
// - Unknown kinds, non-objects and invalid outputs are dropped. Keys an output kind does not define
//   are left out of the stored payload silently (only contract fields are stored).
//
// Next actions (normalizeNextActions): in the tool's order, an action is dropped when it is no object,
// its action_id is not text of 1–64 bytes (trimmed), the id repeats an earlier kept one, its label is
// not text of 1–1024 bytes, kind is neither missing nor "form", or fields is not a list. The first 10
// valid actions are kept (the tool's own priority), THEN sorted by action_id (UTF-16 code units).
// Fields: invalid definitions (see checkFieldDefinition) and repeated names are dropped, enum options
// are cut to 100 and multi_enum options to 200, fields beyond 25 are dropped. prefill entries must
// name a kept field and fit it (typedFieldValue); others are removed; prefill is stored only when
// non-empty, keys sorted. Finally, if the actions together exceed 128 KiB of compact JSON (ours: keeps
// room for outputs), actions are dropped from the end of the sorted list until they fit.
//
// System notices: every intervention is reported in a `notice` output, level "warning", appended after
// the tool's outputs. Interventions are grouped into at most three notices, in this order:
//   A "Some outputs were dropped", B "Some outputs were shortened", C "Some next actions were changed",
// then one notice per extra note from the caller (the state budget, see state.rules.ts). Each notice
// lists its items ("outputs[3] has unknown kind \"chart\"", indexes as in the tool's lists), at most
// 10 then "and N more"; the message is "System notice: <English>\nSystemmeddelande: <Swedish>", each
// line at most 4,000 bytes (so a message stays under 8 KiB).
//
// The output cap (50) counts system notices: tool outputs are cut to the longest prefix of the valid
// ones for which tool outputs + notices ≤ 50 (notices are computed for that prefix; a cut adds the
// "left out" item to notice A, so the prefix shrinks until it all fits). Everything from the first
// left-out output on is reported as one range ("outputs[48]–outputs[60] …"), also invalid ones there.
//
// Payload budget (256 KiB): the UTF-8 length of JSON.stringify(payload). While over, tool outputs are
// dropped from the end (notices recomputed each time). Actions (≤ 128 KiB) and notices (three groups
// plus the caller's extras — in practice only the state notice — each under 8 KiB) always fit, so
// next_actions never change here: the count the state decision uses stays true.
//
// Recommended order for the caller (finalizing a run):
//   const { actions } = normalizeNextActions(result.next_actions);
//   const state = decideStateWrite({ isActionRun, nextActionsCount: actions.length, state: result.state });
//   const { payload } = normalizePayload({ outputs: result.outputs, next_actions: result.next_actions,
//                                         extraNotices: state.write && state.notice ? [state.notice] : [] });
import { checkFieldDefinition, typedFieldValue, valueProblemText } from "../tools/input-schema.rules";
import {
  ACTION_FIELD_KINDS,
  CONTRACT_LIMITS as L,
  NOTICE_LEVELS,
  cutUtf8,
  isPlainObject,
  jsonBytes,
  setOwn,
  sortedKeys,
  utf8Length,
  type ActionField,
  type Bilingual,
  type FormAction,
  type JsonObject,
  type JsonValue,
  type NoticeLevel,
  type NoticeOutput,
  type RuleError,
  type TableColumn,
  type TableRow,
  type UiOutput,
  type UiPayload,
} from "./contract.types";

export const SYSTEM_NOTICE_PREFIX = "System notice: ";
export const SYSTEM_NOTICE_PREFIX_SV = "Systemmeddelande: ";
const NOTICE_ITEMS_SHOWN = 10;
const NOTICE_LINE_BYTES = 4000;

type Item = Bilingual;

// ---------- texts ----------

/** A tool-supplied string inside a notice: at most 64 bytes, JSON-quoted (so quotes and newlines stay visible). */
function q(text: string): string {
  const cut = cutUtf8(text, 64);
  return JSON.stringify(cut === text ? text : `${cut}…`);
}

function range(list: string, first: number, last: number): string {
  return first === last ? `${list}[${first}]` : `${list}[${first}]–${list}[${last}]`;
}

/** A message from the field rules without its final period, to sit inside a notice sentence. */
function clause(text: Bilingual): Bilingual {
  return { en: text.en.replace(/\.$/, ""), sv: text.sv.replace(/\.$/, "") };
}

const T = {
  headDropped: { en: "Some outputs were dropped", sv: "Vissa utdata togs bort" },
  headShortened: { en: "Some outputs were shortened", sv: "Vissa utdata kortades" },
  headActions: { en: "Some next actions were changed", sv: "Vissa åtgärder (next_actions) ändrades" },
  // why an output was dropped (follows "outputs[i] ")
  notObject: { en: "is not an object", sv: "är inte ett objekt" },
  noKind: { en: 'has no "kind"', sv: 'saknar "kind"' },
  unknownKind: (kind: string) => ({ en: `has unknown kind ${q(kind)}`, sv: `har okänd typ ${q(kind)}` }),
  invalid: (kind: string, detail: Bilingual) => ({ en: `(${kind}) is invalid: ${detail.en}`, sv: `(${kind}) är ogiltig: ${detail.sv}` }),
  badLevel: { en: '"level" must be "info", "warning" or "error"', sv: '"level" måste vara "info", "warning" eller "error"' },
  mustBeText: (key: string) => ({ en: `"${key}" must be text`, sv: `"${key}" måste vara text` }),
  mustBeList: (key: string) => ({ en: `"${key}" must be a list`, sv: `"${key}" måste vara en lista` }),
  noColumns: { en: "no valid columns", sv: "inga giltiga kolumner" },
  valueMissing: { en: '"value" is missing', sv: '"value" saknas' },
  valueTooLarge: { en: `"value" does not fit ${L.jsonBytes} bytes`, sv: `"value" ryms inte i ${L.jsonBytes} byte` },
  specNotObject: { en: '"spec" must be an object', sv: '"spec" måste vara ett objekt' },
  specRemote: {
    en: 'remote data ("data.url") is not allowed; put the data in the spec',
    sv: 'extern data ("data.url") är inte tillåten; lägg in datan i specifikationen',
  },
  specTooLarge: { en: `"spec" is larger than ${L.vegaLiteSpecBytes} bytes`, sv: `"spec" är större än ${L.vegaLiteSpecBytes} byte` },
  tailCount: (r: string) => ({
    en: `${r} left out: at most ${L.maxOutputs} outputs are kept, system notices included`,
    sv: `${r} togs inte med: högst ${L.maxOutputs} utdata behålls, systemmeddelanden inräknade`,
  }),
  tailBudget: (r: string) => ({
    en: `${r} left out to keep the result within ${L.payloadBytes} bytes`,
    sv: `${r} togs inte med för att resultatet ska rymmas i ${L.payloadBytes} byte`,
  }),
  tailBoth: (r: string) => ({
    en: `${r} left out to stay within ${L.maxOutputs} outputs and ${L.payloadBytes} bytes`,
    sv: `${r} togs inte med för att hålla resultatet inom ${L.maxOutputs} utdata och ${L.payloadBytes} byte`,
  }),
  // how an output was shortened (after "outputs[i] (kind): ")
  cutText: (key: string, max: number) => ({ en: `"${key}" cut to ${max} bytes`, sv: `"${key}" kortad till ${max} byte` }),
  titleRemoved: { en: '"title" removed (not text)', sv: '"title" borttagen (inte text)' },
  columnsInvalid: (n: number) => ({ en: `invalid columns removed: ${n}`, sv: `ogiltiga kolumner borttagna: ${n}` }),
  columnsRepeated: (n: number) => ({ en: `columns with a repeated key removed: ${n}`, sv: `kolumner med upprepad nyckel borttagna: ${n}` }),
  columnsCut: (from: number) => ({ en: `columns cut from ${from} to ${L.tableColumns}`, sv: `kolumner kortade från ${from} till ${L.tableColumns}` }),
  rowsInvalid: (n: number) => ({ en: `rows that are not objects removed: ${n}`, sv: `rader som inte är objekt borttagna: ${n}` }),
  rowsCut: (from: number) => ({ en: `rows cut from ${from} to ${L.tableRows}`, sv: `rader kortade från ${from} till ${L.tableRows}` }),
  cellsCut: (n: number) => ({ en: `cell texts cut to ${L.tableCellBytes} bytes: ${n}`, sv: `celltexter kortade till ${L.tableCellBytes} byte: ${n}` }),
  cellsInvalid: (n: number) => ({
    en: `cells that are not text, numbers, true/false or null removed: ${n}`,
    sv: `celler som inte är text, tal, true/false eller null borttagna: ${n}`,
  }),
  jsonDepth: { en: `levels deeper than ${L.jsonDepth} replaced by null`, sv: `nivåer djupare än ${L.jsonDepth} ersatta med null` },
  jsonKeys: { en: `objects cut to ${L.jsonKeys} keys`, sv: `objekt kortade till ${L.jsonKeys} nycklar` },
  jsonItems: { en: `lists cut to ${L.jsonArrayItems} items`, sv: `listor kortade till ${L.jsonArrayItems} element` },
  jsonBytes: { en: `"value" cut to fit ${L.jsonBytes} bytes`, sv: `"value" kortat för att rymmas i ${L.jsonBytes} byte` },
  // next actions
  actionDropped: (i: number, why: Bilingual) => ({ en: `next_actions[${i}] dropped: ${why.en}`, sv: `next_actions[${i}] togs bort: ${why.sv}` }),
  actionId: { en: `"action_id" must be text of 1 to ${L.actionIdBytes} bytes`, sv: `"action_id" måste vara text på 1 till ${L.actionIdBytes} byte` },
  actionRepeated: (id: string) => ({ en: `repeats action_id ${q(id)}`, sv: `upprepar action_id ${q(id)}` }),
  actionLabel: { en: `"label" must be text of 1 to ${L.labelBytes} bytes`, sv: `"label" måste vara text på 1 till ${L.labelBytes} byte` },
  actionKind: { en: '"kind" must be "form"', sv: '"kind" måste vara "form"' },
  actionsBudget: {
    en: `all next actions together would exceed ${L.actionsBytes} bytes`,
    sv: `alla åtgärder tillsammans skulle överskrida ${L.actionsBytes} byte`,
  },
  actionsTail: (r: string) => ({ en: `${r} dropped: at most ${L.maxActions} next actions are kept`, sv: `${r} togs bort: högst ${L.maxActions} åtgärder behålls` }),
  fieldDropped: (i: number, k: number, why: Bilingual) => ({
    en: `next_actions[${i}].fields[${k}] dropped: ${why.en}`,
    sv: `next_actions[${i}].fields[${k}] togs bort: ${why.sv}`,
  }),
  fieldError: (e: RuleError) => {
    const text = clause(e);
    return e.path === "" ? text : { en: `${e.path}: ${text.en}`, sv: `${e.path}: ${text.sv}` };
  },
  fieldRepeated: (name: string) => ({ en: `repeats the name ${q(name)}`, sv: `upprepar namnet ${q(name)}` }),
  fieldsTail: (r: string) => ({
    en: `${r} dropped: at most ${L.maxFieldsPerAction} fields per action are kept`,
    sv: `${r} togs bort: högst ${L.maxFieldsPerAction} fält per åtgärd behålls`,
  }),
  optionsCut: (i: number, k: number, from: number, to: number) => ({
    en: `next_actions[${i}].fields[${k}]: options cut from ${from} to ${to}`,
    sv: `next_actions[${i}].fields[${k}]: alternativ kortade från ${from} till ${to}`,
  }),
  prefillNotObject: (i: number) => ({ en: `next_actions[${i}].prefill removed: not an object`, sv: `next_actions[${i}].prefill togs bort: inte ett objekt` }),
  prefillRemoved: (i: number, key: string, why: Bilingual) => ({
    en: `next_actions[${i}].prefill[${q(key)}] removed: ${why.en}`,
    sv: `next_actions[${i}].prefill[${q(key)}] togs bort: ${why.sv}`,
  }),
  prefillNoField: { en: "no field has this name", sv: "inget fält har det namnet" },
  prefillMisfit: (inner: Bilingual) => ({ en: `the value does not fit the field (${inner.en})`, sv: `värdet passar inte fältet (${inner.sv})` }),
};

/** A notice output from a heading and its items: "System notice: …\nSystemmeddelande: …". */
function groupNotice(head: Bilingual, items: readonly Item[]): NoticeOutput {
  const shown = items.slice(0, NOTICE_ITEMS_SHOWN);
  const more = items.length - shown.length;
  const en = `${SYSTEM_NOTICE_PREFIX}${head.en}: ${shown.map((x) => x.en).join("; ")}${more > 0 ? `; and ${more} more` : ""}.`;
  const sv = `${SYSTEM_NOTICE_PREFIX_SV}${head.sv}: ${shown.map((x) => x.sv).join("; ")}${more > 0 ? `; och ${more} till` : ""}.`;
  return systemNotice(en, sv);
}

function systemNotice(en: string, sv: string): NoticeOutput {
  return { kind: "notice", level: "warning", message: `${cutUtf8(en, NOTICE_LINE_BYTES)}\n${cutUtf8(sv, NOTICE_LINE_BYTES)}` };
}

/** A notice for one extra note of the caller (e.g. the state budget). */
export function extraNotice(note: Bilingual): NoticeOutput {
  return systemNotice(`${SYSTEM_NOTICE_PREFIX}${note.en}`, `${SYSTEM_NOTICE_PREFIX_SV}${note.sv}`);
}

// ---------- outputs ----------

type OutputResult = { ok: true; output: UiOutput; notes: Item[] } | { ok: false; reason: Item };

const invalid = (kind: string, detail: Bilingual): OutputResult => ({ ok: false, reason: T.invalid(kind, detail) });

/** Cuts `text` to `max` bytes, noting it under `key`. */
function cutNoted(text: string, max: number, key: string, notes: Item[]): string {
  const cut = cutUtf8(text, max);
  if (cut !== text) notes.push(T.cutText(key, max));
  return cut;
}

function normalizeTitle(raw: unknown, notes: Item[]): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string") {
    notes.push(T.titleRemoved);
    return undefined;
  }
  const title = raw.trim();
  return title === "" ? undefined : cutNoted(title, L.titleBytes, "title", notes);
}

function normalizeTable(raw: Record<string, unknown>): OutputResult {
  if (!Array.isArray(raw.columns)) return invalid("table", T.mustBeList("columns"));
  if (!Array.isArray(raw.rows)) return invalid("table", T.mustBeList("rows"));
  const notes: Item[] = [];
  const title = normalizeTitle(raw.title, notes);

  let columns: TableColumn[] = [];
  let invalidColumns = 0;
  let repeatedColumns = 0;
  const keys = new Set<string>();
  for (const column of raw.columns as unknown[]) {
    const key = isPlainObject(column) && typeof column.key === "string" ? column.key.trim() : "";
    const label = isPlainObject(column) && typeof column.label === "string" ? column.label.trim() : "";
    if (key === "" || label === "" || utf8Length(key) > L.labelBytes || utf8Length(label) > L.labelBytes) invalidColumns++;
    else if (keys.has(key)) repeatedColumns++;
    else {
      keys.add(key);
      columns.push({ key, label });
    }
  }
  if (invalidColumns > 0) notes.push(T.columnsInvalid(invalidColumns));
  if (repeatedColumns > 0) notes.push(T.columnsRepeated(repeatedColumns));
  if (columns.length === 0) return invalid("table", T.noColumns);
  if (columns.length > L.tableColumns) {
    notes.push(T.columnsCut(columns.length));
    columns = columns.slice(0, L.tableColumns);
  }

  const rows: TableRow[] = [];
  let invalidRows = 0;
  let validRows = 0;
  let cutCells = 0;
  let invalidCells = 0;
  for (const row of raw.rows as unknown[]) {
    if (!isPlainObject(row)) {
      invalidRows++;
      continue;
    }
    validRows++;
    if (rows.length === L.tableRows) continue;
    const out: TableRow = {};
    for (const { key } of columns) {
      if (!Object.hasOwn(row, key)) continue;
      const cell = row[key];
      if (typeof cell === "string") {
        const cut = cutUtf8(cell, L.tableCellBytes);
        if (cut !== cell) cutCells++;
        setOwn(out, key, cut);
      } else if (typeof cell === "number" || typeof cell === "boolean" || cell === null) setOwn(out, key, cell);
      else invalidCells++;
    }
    rows.push(out);
  }
  if (invalidRows > 0) notes.push(T.rowsInvalid(invalidRows));
  if (validRows > L.tableRows) notes.push(T.rowsCut(validRows));
  if (cutCells > 0) notes.push(T.cellsCut(cutCells));
  if (invalidCells > 0) notes.push(T.cellsInvalid(invalidCells));
  const output = title === undefined ? { kind: "table" as const, columns, rows } : { kind: "table" as const, title, columns, rows };
  return { ok: true, output, notes };
}

type JsonFlags = { depth: boolean; keys: boolean; items: boolean };

/** Keys sorted, deep levels → null, objects/lists capped (see the header); `level` of the top value is 1. */
function canonicalJsonValue(value: unknown, level: number, flags: JsonFlags): JsonValue {
  if (Array.isArray(value)) {
    if (level > L.jsonDepth) {
      flags.depth = true;
      return null;
    }
    if (value.length > L.jsonArrayItems) flags.items = true;
    return value.slice(0, L.jsonArrayItems).map((item) => canonicalJsonValue(item, level + 1, flags));
  }
  if (isPlainObject(value)) {
    if (level > L.jsonDepth) {
      flags.depth = true;
      return null;
    }
    const keys = sortedKeys(value);
    if (keys.length > L.jsonKeys) flags.keys = true;
    const out: JsonObject = {};
    for (const key of keys.slice(0, L.jsonKeys)) setOwn(out, key, canonicalJsonValue(value[key], level + 1, flags));
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) return value;
  return null; // not reachable for parsed JSON
}

/** How many leading parts fit `max`, given each part's size, a fixed frame ("[]" / "{}") and one comma between parts. */
function fittingPrefix(sizes: readonly number[], max: number): number {
  let total = 2;
  for (let i = 0; i < sizes.length; i++) {
    total += sizes[i]! + (i > 0 ? 1 : 0);
    if (total > max) return i;
  }
  return sizes.length;
}

/** Fits a canonical value into `max` bytes of compact JSON, or null when it cannot be shortened. */
function shrinkJson(value: JsonValue, max: number): JsonValue | null {
  if (Array.isArray(value)) return value.slice(0, fittingPrefix(value.map(jsonBytes), max));
  if (isPlainObject(value)) {
    const keys = Object.keys(value); // already in canonical order
    const count = fittingPrefix(
      keys.map((k) => utf8Length(JSON.stringify(k)) + 1 + jsonBytes(value[k])),
      max,
    );
    const out: JsonObject = {};
    for (const key of keys.slice(0, count)) setOwn(out, key, value[key] as JsonValue);
    return out;
  }
  if (typeof value === "string") {
    // escapes ("\n", "\"", "\u0001") make the JSON longer than the text: search the longest cut that fits
    let low = 0;
    let high = max - 2;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (jsonBytes(cutUtf8(value, mid)) <= max) low = mid;
      else high = mid - 1;
    }
    return cutUtf8(value, low);
  }
  return null;
}

function normalizeJson(raw: Record<string, unknown>): OutputResult {
  if (!Object.hasOwn(raw, "value")) return invalid("json", T.valueMissing);
  const notes: Item[] = [];
  const title = normalizeTitle(raw.title, notes);
  const flags: JsonFlags = { depth: false, keys: false, items: false };
  let value = canonicalJsonValue(raw.value, 1, flags);
  if (flags.depth) notes.push(T.jsonDepth);
  if (flags.keys) notes.push(T.jsonKeys);
  if (flags.items) notes.push(T.jsonItems);
  if (jsonBytes(value) > L.jsonBytes) {
    const shrunk = shrinkJson(value, L.jsonBytes);
    if (shrunk === null) return invalid("json", T.valueTooLarge);
    value = shrunk;
    notes.push(T.jsonBytes);
  }
  const output = title === undefined ? { kind: "json" as const, value } : { kind: "json" as const, title, value };
  return { ok: true, output, notes };
}

function loadsRemoteData(data: unknown): boolean {
  const hasUrl = (d: unknown) => isPlainObject(d) && Object.hasOwn(d, "url");
  return hasUrl(data) || (Array.isArray(data) && data.some(hasUrl));
}

/** True when any "data" property at any depth would make the chart fetch a URL. */
export function specLoadsRemoteData(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(specLoadsRemoteData);
  if (!isPlainObject(value)) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key === "data" && loadsRemoteData(item)) return true;
    if (specLoadsRemoteData(item)) return true;
  }
  return false;
}

function normalizeOutput(raw: unknown): OutputResult {
  if (!isPlainObject(raw)) return { ok: false, reason: T.notObject };
  const kind = raw.kind;
  if (typeof kind !== "string") return { ok: false, reason: T.noKind };
  const notes: Item[] = [];
  switch (kind) {
    case "notice": {
      if (typeof raw.level !== "string" || !(NOTICE_LEVELS as readonly string[]).includes(raw.level)) return invalid(kind, T.badLevel);
      if (typeof raw.message !== "string") return invalid(kind, T.mustBeText("message"));
      const message = cutNoted(raw.message, L.noticeMessageBytes, "message", notes);
      return { ok: true, output: { kind, level: raw.level as NoticeLevel, message }, notes };
    }
    case "markdown": {
      if (typeof raw.markdown !== "string") return invalid(kind, T.mustBeText("markdown"));
      return { ok: true, output: { kind, markdown: cutNoted(raw.markdown, L.markdownBytes, "markdown", notes) }, notes };
    }
    case "html_sandboxed": {
      if (typeof raw.html !== "string") return invalid(kind, T.mustBeText("html"));
      return { ok: true, output: { kind, html: cutNoted(raw.html, L.htmlBytes, "html", notes) }, notes };
    }
    case "table":
      return normalizeTable(raw);
    case "json":
      return normalizeJson(raw);
    case "vega_lite": {
      const spec = raw.spec;
      if (!isPlainObject(spec)) return invalid(kind, T.specNotObject);
      if (specLoadsRemoteData(spec)) return invalid(kind, T.specRemote);
      if (jsonBytes(spec) > L.vegaLiteSpecBytes) return invalid(kind, T.specTooLarge);
      return { ok: true, output: { kind, spec: spec as JsonObject }, notes };
    }
    default:
      return { ok: false, reason: T.unknownKind(kind) };
  }
}

type Kept = { index: number; output: UiOutput; notes: Item[] };
type Dropped = { index: number; reason: Item };

/** Normalizes outputs in order until L.maxOutputs valid ones are found; `stop` is where it stopped. */
function processOutputs(raw: readonly unknown[]): { kept: Kept[]; dropped: Dropped[]; stop: number } {
  const kept: Kept[] = [];
  const dropped: Dropped[] = [];
  let i = 0;
  for (; i < raw.length && kept.length < L.maxOutputs; i++) {
    const result = normalizeOutput(raw[i]);
    if (result.ok) kept.push({ index: i, output: result.output, notes: result.notes });
    else dropped.push({ index: i, reason: result.reason });
  }
  return { kept, dropped, stop: i };
}

// ---------- next actions ----------

function trimmedText(value: unknown, maxBytes: number): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  return text === "" || utf8Length(text) > maxBytes ? null : text;
}

type ActionResult = { ok: true; action: FormAction; items: Item[] } | { ok: false; reason: Item };

function normalizeFields(rawFields: readonly unknown[], i: number, items: Item[]): ActionField[] {
  const fields: ActionField[] = [];
  const names = new Set<string>();
  for (let k = 0; k < rawFields.length; k++) {
    if (fields.length === L.maxFieldsPerAction) {
      items.push(T.fieldsTail(range(`next_actions[${i}].fields`, k, rawFields.length - 1)));
      break;
    }
    let raw = rawFields[k];
    let optionsCut: Item | null = null;
    if (isPlainObject(raw) && (raw.kind === "enum" || raw.kind === "multi_enum") && Array.isArray(raw.options)) {
      const cap = raw.kind === "enum" ? L.maxEnumOptions : L.maxMultiEnumOptions;
      if (raw.options.length > cap) {
        optionsCut = T.optionsCut(i, k, raw.options.length, cap);
        raw = { ...raw, options: raw.options.slice(0, cap) };
      }
    }
    const { field, errors } = checkFieldDefinition(raw, "", ACTION_FIELD_KINDS);
    if (!field) {
      items.push(T.fieldDropped(i, k, T.fieldError(errors[0]!)));
      continue;
    }
    if (names.has(field.name)) {
      items.push(T.fieldDropped(i, k, T.fieldRepeated(field.name)));
      continue;
    }
    if (optionsCut) items.push(optionsCut);
    names.add(field.name);
    fields.push(field as ActionField);
  }
  return fields;
}

function normalizePrefill(raw: unknown, fields: readonly ActionField[], i: number, items: Item[]): JsonObject | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) {
    items.push(T.prefillNotObject(i));
    return null;
  }
  const prefill: JsonObject = {};
  for (const key of sortedKeys(raw)) {
    const field = fields.find((f) => f.name === key);
    if (!field) {
      items.push(T.prefillRemoved(i, key, T.prefillNoField));
      continue;
    }
    const outcome = typedFieldValue(field, raw[key]);
    if (outcome.kind === "error") items.push(T.prefillRemoved(i, key, T.prefillMisfit(clause(valueProblemText(outcome.problem)))));
    else if (outcome.kind === "value") setOwn(prefill, key, outcome.value);
  }
  return Object.keys(prefill).length > 0 ? prefill : null;
}

function normalizeAction(raw: unknown, i: number, keptIds: ReadonlySet<string>): ActionResult {
  if (!isPlainObject(raw)) return { ok: false, reason: T.notObject };
  const id = trimmedText(raw.action_id, L.actionIdBytes);
  if (id === null) return { ok: false, reason: T.actionId };
  if (keptIds.has(id)) return { ok: false, reason: T.actionRepeated(id) };
  const label = trimmedText(raw.label, L.labelBytes);
  if (label === null) return { ok: false, reason: T.actionLabel };
  if (raw.kind !== undefined && raw.kind !== null && raw.kind !== "form") return { ok: false, reason: T.actionKind };
  const rawFields = raw.fields ?? [];
  if (!Array.isArray(rawFields)) return { ok: false, reason: T.mustBeList("fields") };
  const items: Item[] = [];
  const fields = normalizeFields(rawFields, i, items);
  const prefill = normalizePrefill(raw.prefill, fields, i, items);
  const action: FormAction = prefill ? { action_id: id, label, kind: "form", fields, prefill } : { action_id: id, label, kind: "form", fields };
  return { ok: true, action, items };
}

/** §5/§6 next actions: valid, unique, at most 10 (the tool's first), sorted by action_id, ≤ 128 KiB. */
export function normalizeNextActions(raw: readonly unknown[]): { actions: FormAction[]; items: Item[] } {
  const items: Item[] = [];
  const kept: { index: number; action: FormAction }[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    if (kept.length === L.maxActions) {
      items.push(T.actionsTail(range("next_actions", i, raw.length - 1)));
      break;
    }
    const result = normalizeAction(raw[i], i, ids);
    if (!result.ok) {
      items.push(T.actionDropped(i, result.reason));
      continue;
    }
    ids.add(result.action.action_id);
    kept.push({ index: i, action: result.action });
    items.push(...result.items);
  }
  kept.sort((a, b) => (a.action.action_id < b.action.action_id ? -1 : 1));
  while (kept.length > 0 && jsonBytes(kept.map((k) => k.action)) > L.actionsBytes) {
    const last = kept.pop()!;
    items.push(T.actionDropped(last.index, T.actionsBudget));
  }
  return { actions: kept.map((k) => k.action), items };
}

// ---------- the payload ----------

export type NormalizedPayload = { payload: UiPayload; notices: NoticeOutput[] };

export function normalizePayload(input: { outputs: readonly unknown[]; next_actions: readonly unknown[]; extraNotices?: readonly Bilingual[] }): NormalizedPayload {
  const total = input.outputs.length;
  const { kept, dropped, stop } = processOutputs(input.outputs);
  const { actions, items: actionItems } = normalizeNextActions(input.next_actions);
  const extras = (input.extraNotices ?? []).map(extraNotice);

  /** Raw index of the first output left out when `keep` valid outputs are kept. */
  const cutAt = (keep: number) => (keep < kept.length ? kept[keep]!.index : stop);

  const noticesFor = (keep: number, tail: ((r: string) => Item) | null): NoticeOutput[] => {
    const at = cutAt(keep);
    const droppedItems = dropped.filter((d) => d.index < at).map((d) => ({ en: `outputs[${d.index}] ${d.reason.en}`, sv: `outputs[${d.index}] ${d.reason.sv}` }));
    if (at < total && tail) droppedItems.push(tail(range("outputs", at, total - 1)));
    const shortenedItems = kept.slice(0, keep).flatMap((k) => {
      if (k.notes.length === 0) return [];
      const where = `outputs[${k.index}] (${k.output.kind}): `;
      return [{ en: where + k.notes.map((n) => n.en).join(", "), sv: where + k.notes.map((n) => n.sv).join(", ") }];
    });
    const notices: NoticeOutput[] = [];
    if (droppedItems.length > 0) notices.push(groupNotice(T.headDropped, droppedItems));
    if (shortenedItems.length > 0) notices.push(groupNotice(T.headShortened, shortenedItems));
    if (actionItems.length > 0) notices.push(groupNotice(T.headActions, actionItems));
    return [...notices, ...extras];
  };

  // 1. the output cap, system notices included
  let keep = Math.min(kept.length, L.maxOutputs);
  while (keep > 0 && keep + noticesFor(keep, T.tailCount).length > L.maxOutputs) keep--;
  const countCut = cutAt(keep) < total;

  // 2. the payload budget. Sizes are added up rather than serialized per step: the tool's outputs
  // may be megabytes before the cut. Compact JSON of the payload = the payload with no outputs +
  // each output + one comma between outputs.
  const emptyBytes = jsonBytes({ contract_version: 2, outputs: [], next_actions: actions });
  const outputBytes = [0];
  for (const k of kept.slice(0, keep)) outputBytes.push(outputBytes.at(-1)! + jsonBytes(k.output));
  const tailFor = (keepNow: number) => (keepNow === keep ? T.tailCount : countCut ? T.tailBoth : T.tailBudget);
  const sizeOf = (keepNow: number, notices: readonly NoticeOutput[]) => {
    const count = keepNow + notices.length;
    return emptyBytes + outputBytes[keepNow]! + notices.reduce((n, o) => n + jsonBytes(o), 0) + Math.max(0, count - 1);
  };
  let keepNow = keep;
  let notices = noticesFor(keepNow, tailFor(keepNow));
  while (keepNow > 0 && sizeOf(keepNow, notices) > L.payloadBytes) {
    keepNow--;
    notices = noticesFor(keepNow, tailFor(keepNow));
  }
  const outputs: UiOutput[] = [...kept.slice(0, keepNow).map((k) => k.output), ...notices];
  return { payload: { contract_version: 2, outputs, next_actions: actions }, notices };
}
