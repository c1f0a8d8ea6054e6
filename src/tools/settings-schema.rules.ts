// Settings schema (tool contract §7): a tool's per-user settings, described with the action field kinds
// (string, text, integer, number, boolean, enum, multi_enum) and the same field rules as the input
// schema. Values are stored per (user, tool, schema hash) and reach the script in memory.json as
// {"settings": {...}}.
//
// Decisions:
// - An absent, null or empty schema means "no settings": validateSettingsSchema returns schema null.
// - Stored values are re-checked against the current schema every time they are delivered; a value
//   that no longer fits (the tool changed an option, a bound, a kind) is DROPPED silently, unknown keys
//   too (§2 memory.json), and a field's `default` fills a missing value.
// - Saving settings (validateSettingsValues) is strict like a form: unknown keys and bad values are
//   errors with paths ("/language"), nothing is stored.
// - The schema hash is sha256 (hex) of the canonical JSON (keys sorted, no spaces) of what decides
//   whether a stored value is still valid: each field's kind, name, option values and min/max, sorted
//   by name. Editing labels, help texts, placeholders, defaults, `required` or the field order keeps
//   the hash, so teachers do not lose their settings when an author fixes a typo.
import { CONTRACT_LIMITS, ACTION_FIELD_KINDS, isPlainObject, setOwn, type ActionField, type JsonObject, type RuleError } from "../execution/contract.types";
import { checkFieldList, normalizeFieldValue, normalizeFormValues, type FormCheck } from "./input-schema.rules";
import { canonicalJson } from "./tools.rules";

/** Checks a settings schema; errors have JSON-pointer paths ("/1/options/0/value"). */
export function validateSettingsSchema(raw: unknown): { ok: true; schema: ActionField[] | null } | { ok: false; errors: RuleError[] } {
  const checked = checkFieldList<ActionField>(raw, ACTION_FIELD_KINDS);
  if (!checked.ok) return checked;
  return { ok: true, schema: checked.schema.length > 0 ? checked.schema : null };
}

/** sha256 (hex) of the value-relevant projection of the schema (see the header). */
export function settingsSchemaHash(schema: readonly ActionField[]): string {
  const projection = [...schema]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((field) => ({
      kind: field.kind,
      name: field.name,
      options: "options" in field ? field.options.map((o) => o.value) : undefined,
      min: "min" in field ? field.min : undefined,
      max: "max" in field ? field.max : undefined,
    }));
  return new Bun.CryptoHasher("sha256").update(canonicalJson(projection)).digest("hex");
}

/** The stored values that still fit the schema, defaults for missing ones, in schema order (memory.json). */
export function normalizeStoredSettings(schema: readonly ActionField[] | null, stored: unknown): JsonObject {
  const out: JsonObject = {};
  if (!schema) return out;
  const values = isPlainObject(stored) ? stored : {};
  for (const field of schema) {
    const outcome = normalizeFieldValue(field, Object.hasOwn(values, field.name) ? values[field.name] : undefined);
    if (outcome.kind === "value") setOwn(out, field.name, outcome.value);
    else if (field.default !== undefined) setOwn(out, field.name, field.default);
  }
  return out;
}

/** Values a user saves from the settings form: strict, with per-field errors. */
export function validateSettingsValues(schema: readonly ActionField[] | null, values: unknown): FormCheck {
  return normalizeFormValues(schema ?? [], values, CONTRACT_LIMITS.inputsBytes);
}

/** The text of /work/memory.json: {"settings": {...}} as compact UTF-8 JSON. */
export function memoryJson(settings: JsonObject): string {
  return JSON.stringify({ settings });
}
