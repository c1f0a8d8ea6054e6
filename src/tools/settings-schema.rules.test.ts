import { describe, expect, test } from "bun:test";
import type { ActionField } from "../execution/contract.types";
import { memoryJson, normalizeStoredSettings, settingsSchemaHash, validateSettingsSchema, validateSettingsValues } from "./settings-schema.rules";

const rawSchema = [
  { kind: "enum", name: "språk", label: "Språk", options: [{ value: "sv", label: "Svenska" }, { value: "en", label: "Engelska" }], default: "sv" },
  { kind: "integer", name: "antal", label: "Antal", min: 1, max: 50 },
  { kind: "multi_enum", name: "ämnen", label: "Ämnen", options: [{ value: "ma", label: "Matte" }, { value: "sv", label: "Svenska" }] },
  { kind: "boolean", name: "mörkt", label: "Mörkt läge" },
  { kind: "string", name: "signatur", label: "Signatur" },
];
function schemaOf(raw: unknown): ActionField[] {
  const checked = validateSettingsSchema(raw);
  if (!checked.ok || !checked.schema) throw new Error("schema invalid");
  return checked.schema;
}
const schema = schemaOf(rawSchema);

describe("validateSettingsSchema", () => {
  test("no schema, null or [] mean no settings", () => {
    expect(validateSettingsSchema(undefined)).toEqual({ ok: true, schema: null });
    expect(validateSettingsSchema(null)).toEqual({ ok: true, schema: null });
    expect(validateSettingsSchema([])).toEqual({ ok: true, schema: null });
  });

  test("the action field kinds are accepted, normalized like input fields", () => {
    expect(schema.map((f) => f.kind)).toEqual(["enum", "integer", "multi_enum", "boolean", "string"]);
    expect(validateSettingsSchema([{ kind: "text", name: " t ", label: " T ", placeholder: " skriv " }])).toEqual({
      ok: true,
      schema: [{ kind: "text", name: "t", label: "T", placeholder: "skriv" }],
    });
  });

  test("file fields are not settings; errors carry paths and both languages", () => {
    const checked = validateSettingsSchema([
      { kind: "file", name: "f", label: "F", min: 0, max: 1 },
      { kind: "enum", name: "e", label: "E", options: [{ value: "a", label: "A" }, { value: "a", label: "B" }] },
      { kind: "string", name: "e", label: "E2" },
    ]);
    expect(checked).toEqual({
      ok: false,
      errors: [
        {
          path: "/0/kind",
          code: "kind_unknown",
          en: 'Unknown field kind "file". Use one of: string, text, integer, number, boolean, enum, multi_enum.',
          sv: 'Okänd fälttyp "file". Använd en av: string, text, integer, number, boolean, enum, multi_enum.',
        },
        {
          path: "/1/options/1/value",
          code: "option_value_duplicate",
          en: 'Another option already has the value "a". Values must be unique.',
          sv: 'Ett annat alternativ har redan värdet "a". Värdena måste vara unika.',
        },
        { path: "/2/name", code: "name_duplicate", en: 'Another field already has the name "e". Names must be unique.', sv: 'Ett annat fält har redan namnet "e". Namnen måste vara unika.' },
      ],
    });
  });

  test("a schema that is not a list", () => {
    const checked = validateSettingsSchema({ språk: "sv" });
    expect(!checked.ok && checked.errors.map((e) => [e.path, e.code])).toEqual([["", "schema_not_list"]]);
  });
});

describe("settingsSchemaHash", () => {
  test("sha256 hex of the canonical value-relevant projection", () => {
    const one = schemaOf([{ kind: "string", name: "a", label: "A" }]);
    const expected = new Bun.CryptoHasher("sha256").update('[{"kind":"string","name":"a"}]').digest("hex");
    expect(settingsSchemaHash(one)).toBe(expected);
    expect(settingsSchemaHash(schema)).toMatch(/^[0-9a-f]{64}$/);
  });

  test("labels, help, placeholders, defaults, required, key order and field order do not change it", () => {
    const cosmetic = schemaOf([
      { kind: "string", name: "signatur", label: "Din signatur", help: "Visas sist", placeholder: "/Anna", required: true },
      { label: "Mörkt", name: "mörkt", kind: "boolean" },
      { kind: "multi_enum", name: "ämnen", label: "Ämnen!", options: [{ value: "ma", label: "Matematik" }, { value: "sv", label: "Sv" }] },
      { kind: "integer", name: "antal", label: "Hur många", min: 1, max: 50, default: 5 },
      { kind: "enum", name: "språk", label: "Language", options: [{ value: "sv", label: "Swedish" }, { value: "en", label: "English" }] },
    ]);
    expect(settingsSchemaHash(cosmetic)).toBe(settingsSchemaHash(schema));
  });

  test.each([
    ["an option value changes", (s: typeof rawSchema) => [{ ...s[0]!, options: [{ value: "sv", label: "Svenska" }, { value: "de", label: "Tyska" }], default: "sv" }, ...s.slice(1)]],
    ["an option is reordered", (s: typeof rawSchema) => [{ ...s[0]!, options: [...s[0]!.options!].reverse() }, ...s.slice(1)]],
    ["a bound changes", (s: typeof rawSchema) => [s[0]!, { ...s[1]!, max: 60 }, ...s.slice(2)]],
    ["a kind changes", (s: typeof rawSchema) => [...s.slice(0, 4), { kind: "text", name: "signatur", label: "Signatur" }]],
    ["a field is renamed", (s: typeof rawSchema) => [...s.slice(0, 4), { kind: "string", name: "sign", label: "Signatur" }]],
    ["a field is added", (s: typeof rawSchema) => [...s, { kind: "boolean", name: "ny", label: "Ny" }]],
  ])("the hash changes when %s", (_name, change) => {
    expect(settingsSchemaHash(schemaOf(change(rawSchema)))).not.toBe(settingsSchemaHash(schema));
  });
});

describe("normalizeStoredSettings (memory.json)", () => {
  test("valid stored values are kept in schema order; invalid and unknown ones are dropped; defaults fill gaps", () => {
    const stored = { okänd: 1, signatur: "  /Anna ", mörkt: true, ämnen: ["sv", "fy"], antal: 80, språk: "de" };
    expect(JSON.stringify(normalizeStoredSettings(schema, stored))).toBe('{"språk":"sv","mörkt":true,"signatur":"/Anna"}');
  });

  test("stored values in the lenient form still count (\"7\", \"yes\")", () => {
    expect(normalizeStoredSettings(schema, { antal: "7", mörkt: "yes", ämnen: "ma" })).toEqual({ språk: "sv", antal: 7, ämnen: ["ma"], mörkt: true });
  });

  test("nothing stored, garbage stored, or no schema", () => {
    expect(normalizeStoredSettings(schema, null)).toEqual({ språk: "sv" });
    expect(normalizeStoredSettings(schema, "garbage")).toEqual({ språk: "sv" });
    expect(normalizeStoredSettings(schema, [1, 2])).toEqual({ språk: "sv" });
    expect(normalizeStoredSettings(null, { a: 1 })).toEqual({});
  });

  test("memory.json is compact UTF-8 JSON under settings", () => {
    expect(memoryJson(normalizeStoredSettings(schema, { antal: 3 }))).toBe('{"settings":{"språk":"sv","antal":3}}');
    expect(memoryJson({})).toBe('{"settings":{}}');
  });
});

describe("validateSettingsValues (saving)", () => {
  test("strict: unknown keys and bad values are errors", () => {
    expect(validateSettingsValues(schema, { antal: "0", tema: "mörkt" })).toEqual({
      ok: false,
      errors: [
        { path: "/tema", code: "unknown_field", en: "The form has no field with this name.", sv: "Formuläret har inget fält med det här namnet." },
        { path: "/antal", code: "too_small", en: "Enter 1 or more.", sv: "Ange 1 eller mer." },
      ],
    });
  });

  test("good values are normalized, defaults applied", () => {
    expect(validateSettingsValues(schema, { antal: " 12 ", ämnen: ["ma", "sv", "ma"] })).toEqual({ ok: true, values: { språk: "sv", antal: 12, ämnen: ["ma", "sv"] } });
  });

  test("a tool without settings takes only {}", () => {
    expect(validateSettingsValues(null, {})).toEqual({ ok: true, values: {} });
    expect(validateSettingsValues(null, { a: 1 }).ok).toBe(false);
  });
});
