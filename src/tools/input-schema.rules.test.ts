import { describe, expect, test } from "bun:test";
import type { FileField, InputField, ValueField } from "../execution/contract.types";
import {
  SNIFFED,
  checkFieldDefinition,
  checkFileAccept,
  checkFileCount,
  normalizeFieldValue,
  normalizeFormValues,
  pointer,
  sniffType,
  toErrorDetails,
  typedFieldValue,
  validateInputSchema,
  validateRunInputs,
  valueProblemText,
} from "./input-schema.rules";

const enc = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A stored ZIP local file header followed by its data; flag bit 3 leaves the sizes at zero, as streaming writers do. */
function zipEntry(name: string, data: Uint8Array, flags = 0): Uint8Array {
  const nameBytes = enc(name);
  const header = new Uint8Array(30 + nameBytes.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(6, flags, true);
  view.setUint32(14, Bun.hash.crc32(data), true);
  view.setUint32(18, flags & 8 ? 0 : data.length, true);
  view.setUint32(22, flags & 8 ? 0 : data.length, true);
  view.setUint16(26, nameBytes.length, true);
  header.set(nameBytes, 30);
  return concat(header, data);
}
const xml = enc('<?xml version="1.0"?><x/>');
const docx = concat(zipEntry("[Content_Types].xml", xml), zipEntry("_rels/.rels", xml), zipEntry("word/document.xml", xml));
const xlsx = concat(zipEntry("[Content_Types].xml", xml), zipEntry("_rels/.rels", xml), zipEntry("xl/workbook.xml", xml));
const pptx = concat(zipEntry("[Content_Types].xml", xml), zipEntry("ppt/presentation.xml", xml));
const streamedDocx = concat(zipEntry("[Content_Types].xml", xml, 8), new Uint8Array(16), zipEntry("word/document.xml", xml, 8));
const odt = concat(zipEntry("mimetype", enc("application/vnd.oasis.opendocument.text")), zipEntry("content.xml", xml));
const ods = concat(zipEntry("mimetype", enc("application/vnd.oasis.opendocument.spreadsheet")), zipEntry("content.xml", xml));
const odp = concat(zipEntry("mimetype", enc("application/vnd.oasis.opendocument.presentation")), zipEntry("content.xml", xml));
const plainZip = concat(zipEntry("data/a.txt", enc("hej")), zipEntry("b.txt", enc("då")));
const pdf = enc("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n");
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const gif = enc("GIF89a\u0001\u0000\u0001\u0000");
const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
const csv = enc("namn;klass;poäng\nAnna;7A;12\nBo;7B;9\n");

describe("pointer and error details", () => {
  test("JSON pointers escape ~ and /", () => {
    expect(pointer()).toBe("");
    expect(pointer(2, "options", 0, "value")).toBe("/2/options/0/value");
    expect(pointer("a/b", "c~d")).toBe("/a~1b/c~0d");
  });

  test("toErrorDetails picks the language and prefixes the path", () => {
    const errors = [{ path: "/titel", code: "required", en: "This field is required.", sv: "Fältet måste fyllas i." }];
    expect(toErrorDetails(errors, "sv", "/inputs")).toEqual([{ path: "/inputs/titel", message: "Fältet måste fyllas i." }]);
    expect(toErrorDetails(errors, "en")).toEqual([{ path: "/titel", message: "This field is required." }]);
  });
});

describe("validateInputSchema: valid schemas", () => {
  test("null, undefined and [] mean no fields", () => {
    expect(validateInputSchema(null)).toEqual({ ok: true, schema: [] });
    expect(validateInputSchema(undefined)).toEqual({ ok: true, schema: [] });
    expect(validateInputSchema([])).toEqual({ ok: true, schema: [] });
  });

  test("a v2 schema is kept, trimmed, with keys in a fixed order and unknown keys left out", () => {
    const raw = [
      { label: " Titel ", name: " titel ", kind: "string", description: "ignored" },
      { kind: "enum", name: "nivå", label: "Nivå", options: [{ value: " a ", label: " A " }, { value: "b", label: "B" }] },
      { kind: "file", name: "filer", label: "Filer", accept: [".PDF", "docx", " application/pdf ", ".pdf", ""], min: 1, max: 3 },
      { kind: "boolean", name: "bekräfta", label: "Bekräfta", required: false },
    ];
    const checked = validateInputSchema(raw);
    expect(checked.ok).toBe(true);
    expect(JSON.stringify(checked.ok && checked.schema)).toBe(
      JSON.stringify([
        { kind: "string", name: "titel", label: "Titel" },
        { kind: "enum", name: "nivå", label: "Nivå", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] },
        { kind: "file", name: "filer", label: "Filer", accept: [".pdf", ".docx", "application/pdf"], min: 1, max: 3 },
        { kind: "boolean", name: "bekräfta", label: "Bekräfta" },
      ]),
    );
  });

  test("2.1 keys are kept: required, default, help, placeholder, min/max", () => {
    const checked = validateInputSchema([
      { kind: "integer", name: "antal", label: "Antal", min: 1, max: 10, default: 5, required: true, help: " Hur många? ", placeholder: "t.ex. 5" },
      { kind: "text", name: "text", label: "Text", min: 0, max: 2000, default: "  hej  " },
      { kind: "number", name: "vikt", label: "Vikt", min: -1.5, max: 2.5 },
    ]);
    expect(JSON.stringify(checked.ok && checked.schema)).toBe(
      JSON.stringify([
        { kind: "integer", name: "antal", label: "Antal", min: 1, max: 10, default: 5, required: true, help: "Hur många?", placeholder: "t.ex. 5" },
        { kind: "text", name: "text", label: "Text", min: 0, max: 2000, default: "hej" },
        { kind: "number", name: "vikt", label: "Vikt", min: -1.5, max: 2.5 },
      ]),
    );
  });

  test("accept as a comma-separated string, and the catch-all", () => {
    const checked = validateInputSchema([{ kind: "file", name: "f", label: "F", accept: ".csv, .txt,text/*", min: 0, max: 1 }]);
    expect(checked.ok && checked.schema[0]).toEqual({ kind: "file", name: "f", label: "F", accept: [".csv", ".txt", "text/*"], min: 0, max: 1 });
    const all = validateInputSchema([{ kind: "file", name: "f", label: "F", accept: ["*"], min: 0, max: 1 }]);
    expect(all.ok && all.schema[0]).toEqual({ kind: "file", name: "f", label: "F", accept: ["*/*"], min: 0, max: 1 });
    const empty = validateInputSchema([{ kind: "file", name: "f", label: "F", accept: [], min: 0, max: 1 }]);
    expect(empty.ok && empty.schema[0]).toEqual({ kind: "file", name: "f", label: "F", min: 0, max: 1 });
  });
});

/** [description, schema, expected [path, code] pairs] */
const invalidSchemas: [string, unknown, [string, string][]][] = [
  ["not a list", { kind: "string" }, [["", "schema_not_list"]]],
  ["a field that is no object", ["titel"], [["/0", "field_not_object"]]],
  ["unknown kind", [{ kind: "date", name: "d", label: "D" }], [["/0/kind", "kind_unknown"]]],
  ["multi_enum is no input kind", [{ kind: "multi_enum", name: "m", label: "M", options: [{ value: "a", label: "A" }] }], [["/0/kind", "kind_unknown"]]],
  ["missing kind, name and label", [{}], [["/0/kind", "kind_unknown"], ["/0/name", "name_required"], ["/0/label", "label_required"]]],
  ["blank name and label", [{ kind: "string", name: "  ", label: "" }], [["/0/name", "name_required"], ["/0/label", "label_required"]]],
  ["name too long", [{ kind: "string", name: "n".repeat(129), label: "L" }], [["/0/name", "name_too_long"]]],
  ["label too long", [{ kind: "string", name: "n", label: "l".repeat(1025) }], [["/0/label", "label_too_long"]]],
  ["duplicate names (after trimming)", [{ kind: "string", name: "a", label: "A" }, { kind: "text", name: " a", label: "A2" }], [["/1/name", "name_duplicate"]]],
  [
    "two file fields",
    [
      { kind: "file", name: "a", label: "A", min: 0, max: 1 },
      { kind: "file", name: "b", label: "B", min: 0, max: 1 },
    ],
    [["/1/kind", "file_field_multiple"]],
  ],
  ["required not boolean", [{ kind: "string", name: "a", label: "A", required: "yes" }], [["/0/required", "bool_expected"]]],
  ["help not text", [{ kind: "string", name: "a", label: "A", help: 3 }], [["/0/help", "text_expected"]]],
  ["placeholder too long", [{ kind: "string", name: "a", label: "A", placeholder: "p".repeat(257) }], [["/0/placeholder", "text_too_long"]]],
  ["enum without options", [{ kind: "enum", name: "a", label: "A" }], [["/0/options", "options_required"]]],
  ["enum with empty options", [{ kind: "enum", name: "a", label: "A", options: [] }], [["/0/options", "options_required"]]],
  ["enum with too many options", [{ kind: "enum", name: "a", label: "A", options: Array.from({ length: 101 }, (_, i) => ({ value: `v${i}`, label: `L${i}` })) }], [["/0/options", "options_too_many"]]],
  [
    "bad options",
    [{ kind: "enum", name: "a", label: "A", options: ["x", { value: "", label: "L" }, { value: "v", label: " " }, { value: "w", label: "W" }, { value: "w", label: "W2" }, { value: "x".repeat(257), label: "L" }] }],
    [
      ["/0/options/0", "option_not_object"],
      ["/0/options/1/value", "option_value_required"],
      ["/0/options/2/label", "option_label_required"],
      ["/0/options/4/value", "option_value_duplicate"],
      ["/0/options/5/value", "option_value_too_long"],
    ],
  ],
  ["option label too long", [{ kind: "enum", name: "a", label: "A", options: [{ value: "v", label: "l".repeat(1025) }] }], [["/0/options/0/label", "option_label_too_long"]]],
  ["file without min and max", [{ kind: "file", name: "f", label: "F" }], [["/0/min", "file_min_invalid"], ["/0/max", "file_max_invalid"]]],
  ["file min negative, max 0", [{ kind: "file", name: "f", label: "F", min: -1, max: 0 }], [["/0/min", "file_min_invalid"], ["/0/max", "file_max_invalid"]]],
  ["file min fractional", [{ kind: "file", name: "f", label: "F", min: 0.5, max: 2 }], [["/0/min", "file_min_invalid"]]],
  ["file max below min", [{ kind: "file", name: "f", label: "F", min: 3, max: 2 }], [["/0/max", "min_above_max"]]],
  ["file accept not a list", [{ kind: "file", name: "f", label: "F", accept: 3, min: 0, max: 1 }], [["/0/accept", "accept_not_list"]]],
  ["file accept entries", [{ kind: "file", name: "f", label: "F", accept: [".pdf", 7, "no spaces", "a/b/c"], min: 0, max: 1 }], [["/0/accept/1", "accept_invalid"], ["/0/accept/2", "accept_invalid"], ["/0/accept/3", "accept_invalid"]]],
  ["file default", [{ kind: "file", name: "f", label: "F", min: 0, max: 1, default: "x" }], [["/0/default", "default_not_allowed"]]],
  ["min on boolean", [{ kind: "boolean", name: "b", label: "B", min: 1 }], [["/0/min", "bound_not_supported"]]],
  ["max on enum", [{ kind: "enum", name: "e", label: "E", options: [{ value: "a", label: "A" }], max: 1 }], [["/0/max", "bound_not_supported"]]],
  ["string length bounds must be counts", [{ kind: "string", name: "s", label: "S", min: -1, max: 2.5 }], [["/0/min", "bound_invalid"], ["/0/max", "bound_invalid"]]],
  ["integer bounds must be integers", [{ kind: "integer", name: "i", label: "I", min: 0.5, max: "9" }], [["/0/min", "bound_invalid"], ["/0/max", "bound_invalid"]]],
  ["number bounds must be numbers", [{ kind: "number", name: "n", label: "N", min: "0" }], [["/0/min", "bound_invalid"]]],
  ["min above max", [{ kind: "integer", name: "i", label: "I", min: 5, max: 4 }], [["/0/max", "min_above_max"]]],
  ["default of the wrong type", [{ kind: "integer", name: "i", label: "I", default: "5" }], [["/0/default", "default_invalid"]]],
  ["default outside the bounds", [{ kind: "integer", name: "i", label: "I", max: 3, default: 5 }], [["/0/default", "default_invalid"]]],
  ["default not an option", [{ kind: "enum", name: "e", label: "E", options: [{ value: "a", label: "A" }], default: "b" }], [["/0/default", "default_invalid"]]],
  ["boolean default as a word", [{ kind: "boolean", name: "b", label: "B", default: "yes" }], [["/0/default", "default_invalid"]]],
];

describe("validateInputSchema: errors with paths", () => {
  test.each(invalidSchemas)("%s", (_name, schema, expected) => {
    const checked = validateInputSchema(schema);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((e) => [e.path, e.code])).toEqual(expected);
    for (const e of checked.errors) {
      expect(e.en.length).toBeGreaterThan(5);
      expect(e.sv.length).toBeGreaterThan(5);
      expect(e.sv).not.toBe(e.en);
    }
  });

  test("messages in full, both languages", () => {
    const checked = validateInputSchema([
      { kind: "date", name: "d", label: "D" },
      { kind: "string", name: "d", label: "D2" },
      { kind: "enum", name: "e", label: "E", options: [{ value: "a", label: "A" }], default: "z" },
      { kind: "file", name: "f", label: "F", accept: ["bad entry"], min: 2, max: 1 },
    ]);
    expect(checked).toEqual({
      ok: false,
      errors: [
        {
          path: "/0/kind",
          code: "kind_unknown",
          en: 'Unknown field kind "date". Use one of: string, text, integer, number, boolean, enum, file.',
          sv: 'Okänd fälttyp "date". Använd en av: string, text, integer, number, boolean, enum, file.',
        },
        {
          path: "/1/name",
          code: "name_duplicate",
          en: 'Another field already has the name "d". Names must be unique.',
          sv: 'Ett annat fält har redan namnet "d". Namnen måste vara unika.',
        },
        {
          path: "/2/default",
          code: "default_invalid",
          en: "The default value does not fit the field: Choose one of the listed options.",
          sv: "Standardvärdet passar inte fältet: Välj ett av alternativen i listan.",
        },
        {
          path: "/3/accept/0",
          code: "accept_invalid",
          en: '"bad entry" is not a file type. Use extensions like ".pdf" or media types like "application/pdf" or "image/*".',
          sv: '"bad entry" är ingen filtyp. Använd filändelser som ".pdf" eller medietyper som "application/pdf" eller "image/*".',
        },
        { path: "/3/max", code: "min_above_max", en: "max must be at least as large as min.", sv: "max måste vara minst lika stort som min." },
      ],
    });
  });

  test("a '/' in a field name is escaped in the path", () => {
    const checked = validateInputSchema([{ kind: "string", name: "a/b", label: "A" }, { kind: "string", name: "a/b", label: "B" }]);
    expect(!checked.ok && checked.errors[0]!.path).toBe("/1/name");
  });

  test("checkFieldDefinition reports under the path it is given", () => {
    const { field, errors } = checkFieldDefinition({ kind: "enum", name: "x", label: "X", options: [{ value: "", label: "A" }] }, "/fields/3", ["enum"]);
    expect(field).toBeNull();
    expect(errors.map((e) => e.path)).toEqual(["/fields/3/options/0/value"]);
  });
});

// ---------- values ----------

const f = {
  string: { kind: "string", name: "s", label: "S" } as ValueField,
  bounded: { kind: "string", name: "s", label: "S", min: 2, max: 4 } as ValueField,
  text: { kind: "text", name: "t", label: "T" } as ValueField,
  integer: { kind: "integer", name: "i", label: "I" } as ValueField,
  intRange: { kind: "integer", name: "i", label: "I", min: -5, max: 10 } as ValueField,
  number: { kind: "number", name: "n", label: "N" } as ValueField,
  numRange: { kind: "number", name: "n", label: "N", min: 0.5, max: 2.5 } as ValueField,
  boolean: { kind: "boolean", name: "b", label: "B" } as ValueField,
  enum: { kind: "enum", name: "e", label: "E", options: [{ value: "röd", label: "Röd" }, { value: "blå", label: "Blå" }] } as ValueField,
  multi: { kind: "multi_enum", name: "m", label: "M", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }] } as ValueField,
  multiRange: { kind: "multi_enum", name: "m", label: "M", min: 1, max: 2, options: [{ value: "a", label: "A" }, { value: "b", label: "B" }, { value: "c", label: "C" }] } as ValueField,
};

describe("normalizeFieldValue", () => {
  test.each([
    // [field, raw, expected]
    ["string", "  hej  ", { kind: "value", value: "hej" }],
    ["string", "   ", { kind: "omitted" }],
    ["string", "", { kind: "omitted" }],
    ["string", null, { kind: "omitted" }],
    ["string", undefined, { kind: "omitted" }],
    ["string", 42, { kind: "error", problem: { code: "expected_text" } }],
    ["string", "a\u0000b", { kind: "value", value: "a\ufffdb" }],
    ["text", "\n rad 1\nrad 2 \n", { kind: "value", value: "rad 1\nrad 2" }],
    ["bounded", "a", { kind: "error", problem: { code: "too_short", limit: 2 } }],
    ["bounded", "åäö", { kind: "value", value: "åäö" }],
    ["bounded", "😀😀😀😀", { kind: "value", value: "😀😀😀😀" }],
    ["bounded", "abcde", { kind: "error", problem: { code: "too_long", limit: 4 } }],
    ["bounded", " ab ", { kind: "value", value: "ab" }],
    ["integer", 12, { kind: "value", value: 12 }],
    ["integer", " -12 ", { kind: "value", value: -12 }],
    ["integer", "+7", { kind: "value", value: 7 }],
    ["integer", "-0", { kind: "value", value: 0 }],
    ["integer", "", { kind: "omitted" }],
    ["integer", "12.5", { kind: "error", problem: { code: "expected_integer" } }],
    ["integer", "1e3", { kind: "error", problem: { code: "expected_integer" } }],
    ["integer", "12 st", { kind: "error", problem: { code: "expected_integer" } }],
    ["integer", 12.5, { kind: "error", problem: { code: "expected_integer" } }],
    ["integer", true, { kind: "error", problem: { code: "expected_integer" } }],
    ["integer", "99999999999999999999", { kind: "error", problem: { code: "expected_integer" } }],
    ["intRange", "-6", { kind: "error", problem: { code: "too_small", limit: -5 } }],
    ["intRange", 11, { kind: "error", problem: { code: "too_large", limit: 10 } }],
    ["intRange", "10", { kind: "value", value: 10 }],
    ["number", 2.5, { kind: "value", value: 2.5 }],
    ["number", "2.5", { kind: "value", value: 2.5 }],
    ["number", "2,5", { kind: "value", value: 2.5 }],
    ["number", ",5", { kind: "value", value: 0.5 }],
    ["number", "-1e-3", { kind: "value", value: -0.001 }],
    ["number", "7", { kind: "value", value: 7 }],
    ["number", " ", { kind: "omitted" }],
    ["number", "1,000.5", { kind: "error", problem: { code: "expected_number" } }],
    ["number", "Infinity", { kind: "error", problem: { code: "expected_number" } }],
    ["number", "NaN", { kind: "error", problem: { code: "expected_number" } }],
    ["number", "1e999", { kind: "error", problem: { code: "expected_number" } }],
    ["number", "0x10", { kind: "error", problem: { code: "expected_number" } }],
    ["number", false, { kind: "error", problem: { code: "expected_number" } }],
    ["numRange", "0,25", { kind: "error", problem: { code: "too_small", limit: 0.5 } }],
    ["numRange", 3, { kind: "error", problem: { code: "too_large", limit: 2.5 } }],
    ["boolean", true, { kind: "value", value: true }],
    ["boolean", false, { kind: "value", value: false }],
    ["boolean", "Yes", { kind: "value", value: true }],
    ["boolean", " ON ", { kind: "value", value: true }],
    ["boolean", "1", { kind: "value", value: true }],
    ["boolean", "true", { kind: "value", value: true }],
    ["boolean", "no", { kind: "value", value: false }],
    ["boolean", "OFF", { kind: "value", value: false }],
    ["boolean", "0", { kind: "value", value: false }],
    ["boolean", "FALSE", { kind: "value", value: false }],
    ["boolean", 1, { kind: "value", value: true }],
    ["boolean", 0, { kind: "value", value: false }],
    ["boolean", "", { kind: "omitted" }],
    ["boolean", "ja", { kind: "error", problem: { code: "expected_boolean" } }],
    ["boolean", 2, { kind: "error", problem: { code: "expected_boolean" } }],
    ["enum", " röd ", { kind: "value", value: "röd" }],
    ["enum", "Röd", { kind: "error", problem: { code: "not_an_option" } }],
    ["enum", "", { kind: "omitted" }],
    ["enum", 1, { kind: "error", problem: { code: "not_an_option" } }],
    ["multi", ["b", " a ", "b", ""], { kind: "value", value: ["b", "a"] }],
    ["multi", "c", { kind: "value", value: ["c"] }],
    ["multi", [], { kind: "omitted" }],
    ["multi", ["", " "], { kind: "omitted" }],
    ["multi", ["a", "x"], { kind: "error", problem: { code: "not_an_option" } }],
    ["multi", ["a", 1], { kind: "error", problem: { code: "expected_list" } }],
    ["multi", { a: true }, { kind: "error", problem: { code: "expected_list" } }],
    ["multiRange", ["a", "b", "c"], { kind: "error", problem: { code: "too_many_selected", limit: 2 } }],
    ["multiRange", ["a", "a"], { kind: "value", value: ["a"] }],
  ] as const)("%s %j", (kind, raw, expected) => {
    expect(normalizeFieldValue(f[kind], raw)).toEqual(expected as never);
  });

  test("typedFieldValue wants the JSON type itself", () => {
    expect(typedFieldValue(f.integer, "5")).toEqual({ kind: "error", problem: { code: "expected_integer" } });
    expect(typedFieldValue(f.integer, 5)).toEqual({ kind: "value", value: 5 });
    expect(typedFieldValue(f.number, "2,5")).toEqual({ kind: "error", problem: { code: "expected_number" } });
    expect(typedFieldValue(f.number, 2)).toEqual({ kind: "value", value: 2 });
    expect(typedFieldValue(f.boolean, "yes")).toEqual({ kind: "error", problem: { code: "expected_boolean" } });
    expect(typedFieldValue(f.boolean, 1)).toEqual({ kind: "error", problem: { code: "expected_boolean" } });
    expect(typedFieldValue(f.string, 3)).toEqual({ kind: "error", problem: { code: "expected_text" } });
    expect(typedFieldValue(f.string, " x ")).toEqual({ kind: "value", value: "x" });
    expect(typedFieldValue(f.string, "")).toEqual({ kind: "omitted" });
    expect(typedFieldValue(f.enum, "blå")).toEqual({ kind: "value", value: "blå" });
    expect(typedFieldValue(f.enum, 0)).toEqual({ kind: "error", problem: { code: "not_an_option" } });
    expect(typedFieldValue(f.multi, "a")).toEqual({ kind: "error", problem: { code: "expected_list" } });
    expect(typedFieldValue(f.multi, ["a"])).toEqual({ kind: "value", value: ["a"] });
    expect(typedFieldValue(f.intRange, 50)).toEqual({ kind: "error", problem: { code: "too_large", limit: 10 } });
  });

  test("value messages in both languages, Swedish numbers with a decimal comma", () => {
    expect(valueProblemText({ code: "too_small", limit: 0.5 })).toEqual({ en: "Enter 0.5 or more.", sv: "Ange 0,5 eller mer." });
    expect(valueProblemText({ code: "too_short", limit: 1 })).toEqual({ en: "Enter at least 1 character.", sv: "Skriv minst 1 tecken." });
    expect(valueProblemText({ code: "too_long", limit: 4 })).toEqual({ en: "Enter at most 4 characters.", sv: "Skriv högst 4 tecken." });
    expect(valueProblemText({ code: "expected_number" })).toEqual({ en: "Enter a number, for example 2.5.", sv: "Ange ett tal, till exempel 2,5." });
    expect(valueProblemText({ code: "too_many_selected", limit: 2 })).toEqual({ en: "Choose at most 2.", sv: "Välj högst 2." });
  });
});

describe("normalizeFormValues", () => {
  const schema = validateInputSchema([
    { kind: "string", name: "titel", label: "Titel", required: true },
    { kind: "integer", name: "antal", label: "Antal", default: 3, min: 1 },
    { kind: "boolean", name: "detaljer", label: "Detaljer" },
    { kind: "enum", name: "nivå", label: "Nivå", options: [{ value: "lätt", label: "Lätt" }, { value: "svår", label: "Svår" }], default: "lätt" },
    { kind: "file", name: "filer", label: "Filer", min: 0, max: 2 },
  ]);
  if (!schema.ok) throw new Error("test schema invalid");
  const fields = schema.schema;

  test("values are normalized, defaults applied, keys in schema order", () => {
    const checked = normalizeFormValues(fields, { detaljer: "on", titel: "  Prov  " }, 1000);
    expect(checked.ok).toBe(true);
    expect(JSON.stringify(checked.ok && checked.values)).toBe('{"titel":"Prov","antal":3,"detaljer":true,"nivå":"lätt"}');
  });

  test("an empty string is omitted, so the default applies", () => {
    const checked = normalizeFormValues(fields, { titel: "x", antal: " " }, 1000);
    expect(checked.ok && checked.values.antal).toBe(3);
  });

  test("required is enforced after trimming; unknown keys come first, sorted; file keys are refused", () => {
    const checked = normalizeFormValues(fields, { zeta: 1, titel: "  ", antal: "0", alfa: 2, filer: "a.pdf" }, 1000);
    expect(checked).toEqual({
      ok: false,
      errors: [
        { path: "/alfa", code: "unknown_field", en: "The form has no field with this name.", sv: "Formuläret har inget fält med det här namnet." },
        { path: "/zeta", code: "unknown_field", en: "The form has no field with this name.", sv: "Formuläret har inget fält med det här namnet." },
        { path: "/titel", code: "required", en: "This field is required.", sv: "Fältet måste fyllas i." },
        { path: "/antal", code: "too_small", en: "Enter 1 or more.", sv: "Ange 1 eller mer." },
        {
          path: "/filer",
          code: "file_in_values",
          en: "Files are sent as uploads, not as form values.",
          sv: "Filer skickas som uppladdningar, inte som formulärvärden.",
        },
      ],
    });
  });

  test("the values must be an object; null means none", () => {
    expect(normalizeFormValues(fields, [], 1000)).toEqual({
      ok: false,
      errors: [{ path: "", code: "values_not_object", en: "The form values must be a JSON object.", sv: "Formulärets värden måste vara ett JSON-objekt." }],
    });
    expect(normalizeFormValues([], null, 1000)).toEqual({ ok: true, values: {} });
  });

  test("the normalized values must fit the byte limit", () => {
    const checked = normalizeFormValues(fields, { titel: "x".repeat(100) }, 100);
    expect(checked).toEqual({
      ok: false,
      errors: [
        {
          path: "",
          code: "values_too_large",
          en: "The form values are too large: at most 100 bytes in total.",
          sv: "Formulärets värden är för stora: högst 100 byte sammanlagt.",
        },
      ],
    });
  });

  test("a field named __proto__ is stored as an own key", () => {
    const checked = normalizeFormValues([{ kind: "string", name: "__proto__", label: "P" }], JSON.parse('{"__proto__":"x"}'), 1000);
    expect(JSON.stringify(checked.ok && checked.values)).toBe('{"__proto__":"x"}');
  });
});

// ---------- files ----------

describe("sniffType", () => {
  test.each([
    ["pdf", pdf, SNIFFED.pdf],
    ["pdf with junk before the header", concat(new Uint8Array(500).fill(0x20), pdf), SNIFFED.pdf],
    ["png", png, SNIFFED.png],
    ["jpeg", jpeg, SNIFFED.jpeg],
    ["gif", gif, SNIFFED.gif],
    ["docx", docx, SNIFFED.docx],
    ["docx written by a streaming writer", streamedDocx, SNIFFED.docx],
    ["xlsx", xlsx, SNIFFED.xlsx],
    ["pptx", pptx, SNIFFED.pptx],
    ["odt", odt, SNIFFED.odt],
    ["ods", ods, SNIFFED.ods],
    ["odp", odp, SNIFFED.odp],
    ["plain zip", plainZip, SNIFFED.zip],
    ["empty zip", new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]), SNIFFED.zip],
    ["csv with semicolons", csv, SNIFFED.csv],
    ["csv with commas and quotes", enc('namn,kommentar\n"Anna","bra, mycket bra"\nBo,ok\n'), SNIFFED.csv],
    ["tsv", enc("a\tb\n1\t2\n"), SNIFFED.csv],
    ["csv cut mid-line by the window", enc("a;b\n1;2\n3;4\n5"), SNIFFED.csv],
    ["plain text", enc("Hej!\nDet här är en text, med ett kommatecken.\nOch en rad till\n"), SNIFFED.text],
    ["one line of text", enc("a,b,c"), SNIFFED.text],
    ["Windows-1252 text (å ä ö as single bytes)", new Uint8Array([0x48, 0xe5, 0x6c, 0x6c, 0xe4, 0x3b, 0xf6, 0x0d, 0x0a, 0x61, 0x3b, 0x62, 0x0d, 0x0a]), SNIFFED.csv],
    ["UTF-16 with BOM", new Uint8Array([0xff, 0xfe, 0x48, 0x00, 0x65, 0x00]), SNIFFED.text],
    ["text with ANSI colours", enc("\u001b[31mröd\u001b[0m\n"), SNIFFED.text],
    ["empty file", new Uint8Array(0), SNIFFED.text],
    ["Windows executable", exe, null],
    ["NUL bytes", enc("abc\u0000def"), null],
  ])("%s", (_name, bytes, expected) => {
    expect(sniffType(bytes)).toBe(expected);
  });
});

describe("checkFileAccept", () => {
  test.each([
    ["no accept list takes anything", undefined, "x.exe", exe, { ok: true }],
    ["empty accept list takes anything", [], "x.exe", exe, { ok: true }],
    ["*/* takes anything", ["*/*"], "x.exe", exe, { ok: true }],
    ["extension and content agree", [".pdf"], "Rapport.PDF", pdf, { ok: true }],
    ["extension matches, content is no PDF", [".pdf"], "virus.pdf", exe, { ok: false, code: "file_content_mismatch", expected: ".pdf" }],
    ["extension not accepted", [".pdf", ".docx"], "bild.png", png, { ok: false, code: "file_type_not_accepted", expected: ".pdf, .docx" }],
    ["docx that sniffs as a plain zip is still fine", [".docx"], "a.docx", plainZip, { ok: true }],
    ["xlsx renamed to docx", [".docx"], "a.docx", xlsx, { ok: false, code: "file_content_mismatch", expected: ".docx" }],
    ["media type via the extension", ["application/pdf"], "a.pdf", pdf, { ok: true }],
    ["media type, content disagrees", ["application/pdf"], "a.pdf", png, { ok: false, code: "file_content_mismatch", expected: ".pdf" }],
    ["wildcard media type", ["image/*"], "foto.JPG", jpeg, { ok: true }],
    ["wildcard media type, other family", ["image/*"], "a.pdf", pdf, { ok: false, code: "file_type_not_accepted", expected: "image/*" }],
    ["text/csv for a .csv", ["text/csv"], "elever.csv", csv, { ok: true }],
    ["a one-column .csv is text, and fine", [".csv"], "namn.csv", enc("Anna\nBo\n"), { ok: true }],
    ["a .csv that is binary", [".csv"], "namn.csv", exe, { ok: false, code: "file_content_mismatch", expected: ".csv" }],
    ["no extension: the sniffed type counts", ["application/pdf"], "skannat", pdf, { ok: true }],
    ["unknown extension: the sniffed type counts", ["image/png"], "bild.bin", png, { ok: true }],
    ["unknown extension accepted by name only", [".py"], "skript.py", enc("print(1)\n"), { ok: true }],
    ["a pdf named .txt is judged by its name", ["application/pdf"], "a.txt", pdf, { ok: false, code: "file_type_not_accepted", expected: "application/pdf" }],
    ["multi-part extension", [".tar.gz"], "arkiv.tar.gz", new Uint8Array([0x1f, 0x8b]), { ok: true }],
    ["a bare extension is no name", [".pdf"], ".pdf", pdf, { ok: false, code: "file_type_not_accepted", expected: ".pdf" }],
    ["first agreeing entry wins over an earlier mismatch", [".zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"], "a.docx", docx, { ok: true }],
  ] as const)("%s", (_name, accept, name, head, expected) => {
    expect(checkFileAccept(accept as readonly string[] | undefined, name, head)).toEqual(expected as never);
  });
});

describe("checkFileCount", () => {
  const withFile = (field: Partial<FileField>): InputField[] => [{ kind: "file", name: "filer", label: "Filer", min: 0, max: 3, ...field } as FileField];

  test("without a file field, only zero files are allowed", () => {
    expect(checkFileCount([], 0)).toBeNull();
    expect(checkFileCount([], 1)).toEqual({
      path: "",
      code: "files_none_allowed",
      en: "This tool does not take any files. Remove the files and try again.",
      sv: "Verktyget tar inte emot filer. Ta bort filerna och försök igen.",
    });
  });

  test("the count must lie in [min, max]", () => {
    expect(checkFileCount(withFile({ min: 1, max: 3 }), 1)).toBeNull();
    expect(checkFileCount(withFile({ min: 1, max: 3 }), 3)).toBeNull();
    expect(checkFileCount(withFile({ min: 1, max: 3 }), 0)).toEqual({ path: "/filer", code: "files_too_few", en: "Choose at least 1 file.", sv: "Välj minst 1 fil." });
    expect(checkFileCount(withFile({ min: 2, max: 3 }), 1)).toEqual({ path: "/filer", code: "files_too_few", en: "Choose at least 2 files.", sv: "Välj minst 2 filer." });
    expect(checkFileCount(withFile({ min: 0, max: 3 }), 4)).toEqual({ path: "/filer", code: "files_too_many", en: "Choose at most 3 files.", sv: "Välj högst 3 filer." });
    expect(checkFileCount(withFile({ min: 0, max: 1 }), 2)).toEqual({ path: "/filer", code: "files_too_many", en: "Choose at most 1 file.", sv: "Välj högst 1 fil." });
  });

  test("required lifts min 0 to one file", () => {
    expect(checkFileCount(withFile({ min: 0, required: true }), 0)?.code).toBe("files_too_few");
    expect(checkFileCount(withFile({ min: 0 }), 0)).toBeNull();
  });
});

describe("validateRunInputs", () => {
  const schema = validateInputSchema([
    { kind: "string", name: "rubrik", label: "Rubrik", required: true },
    { kind: "file", name: "dokument", label: "Dokument", accept: [".pdf", ".docx"], min: 1, max: 2 },
  ]);
  if (!schema.ok) throw new Error("test schema invalid");

  test("a good request gives the normalized values", () => {
    const checked = validateRunInputs({ schema: schema.schema, values: { rubrik: " Prov " }, files: [{ name: "a.pdf", head: pdf }, { name: "b.docx", head: docx }] });
    expect(checked).toEqual({ ok: true, values: { rubrik: "Prov" } });
  });

  test("value, type and content errors come together", () => {
    const checked = validateRunInputs({ schema: schema.schema, values: {}, files: [{ name: "a.png", head: png }, { name: "fake.pdf", head: exe }] });
    expect(checked).toEqual({
      ok: false,
      errors: [
        { path: "/rubrik", code: "required", en: "This field is required.", sv: "Fältet måste fyllas i." },
        {
          path: "/dokument",
          code: "file_type_not_accepted",
          en: 'The file "a.png" is not of an accepted type. Accepted: .pdf, .docx.',
          sv: 'Filen "a.png" har inte en tillåten filtyp. Tillåtna: .pdf, .docx.',
        },
        {
          path: "/dokument",
          code: "file_content_mismatch",
          en: 'The file "fake.pdf" does not contain what its name says (.pdf). Check that it is the right file.',
          sv: 'Filen "fake.pdf" innehåller inte det som namnet anger (.pdf). Kontrollera att det är rätt fil.',
        },
      ],
    });
  });

  test("a wrong count is reported instead of per-file types", () => {
    const checked = validateRunInputs({ schema: schema.schema, values: { rubrik: "x" }, files: [] });
    expect(checked).toEqual({ ok: false, errors: [{ path: "/dokument", code: "files_too_few", en: "Choose at least 1 file.", sv: "Välj minst 1 fil." }] });
  });

  test("SKRIPTOTEKET_INPUTS is bounded to 96 KiB", () => {
    const big = validateInputSchema([{ kind: "text", name: "t", label: "T" }]);
    if (!big.ok) throw new Error("schema");
    expect(validateRunInputs({ schema: big.schema, values: { t: "x".repeat(96 * 1024) }, files: [] }).ok).toBe(false);
    expect(validateRunInputs({ schema: big.schema, values: { t: "x".repeat(96 * 1024 - 8) }, files: [] }).ok).toBe(true); // {"t":"…"} adds 8 bytes
  });
});
