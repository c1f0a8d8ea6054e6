import { describe, expect, test } from "bun:test";
import { ApiError } from "../api/api-error";
import type { ValueField } from "../api/contract-types";
import { checkField, checkFields, initialRaw, parseFields, rawFromValue, serverFieldErrors, serverFileErrors } from "./schema-fields";

const f = (field: Partial<ValueField> & Pick<ValueField, "kind">): ValueField => ({ name: "x", label: "X", ...field }) as ValueField;

describe("parseFields", () => {
  test("keeps valid fields in order with their 2.1 keys; skips malformed ones, repeats and (when not allowed) files", () => {
    const raw = [
      { kind: "string", name: "title", label: "Titel", required: true, help: " Hjälp ", placeholder: "Åk 9", min: 2, max: 40, default: "x" },
      { kind: "file", name: "filer", label: "Filer", accept: [".csv", 3], min: 1, max: 3 },
      { kind: "enum", name: "val", label: "Val", options: [{ value: "a", label: "A" }, { value: 1 }] },
      { kind: "enum", name: "tom", label: "Tom", options: [] },
      { kind: "string", name: "title", label: "Igen" },
      { kind: "okand", name: "y", label: "Y" },
      "inte ett fält",
      { kind: "boolean", name: "  ", label: "Utan namn" },
    ];
    expect(parseFields(raw, { allowFile: true })).toEqual([
      { kind: "string", name: "title", label: "Titel", required: true, help: "Hjälp", placeholder: "Åk 9", min: 2, max: 40, default: "x", options: [] },
      { kind: "file", name: "filer", label: "Filer", required: false, help: undefined, placeholder: undefined, accept: [".csv"], min: 1, max: 3 },
      { kind: "enum", name: "val", label: "Val", required: false, help: undefined, placeholder: undefined, min: undefined, max: undefined, default: undefined, options: [{ value: "a", label: "A" }] },
    ] as unknown as ReturnType<typeof parseFields>);
    expect(parseFields(raw, { allowFile: false }).map((x) => x.name)).toEqual(["title", "val"]);
    expect(parseFields(null, { allowFile: true })).toEqual([]);
  });
});

describe("initialRaw and rawFromValue", () => {
  test("prefill over default over empty, in the control's shape", () => {
    expect(initialRaw(f({ kind: "string", default: "a" }))).toBe("a");
    expect(initialRaw(f({ kind: "string", default: "a" }), "b")).toBe("b");
    expect(initialRaw(f({ kind: "integer", default: 3 }))).toBe("3");
    expect(initialRaw(f({ kind: "boolean" }))).toBe(false);
    expect(initialRaw(f({ kind: "boolean", default: true }))).toBe(true);
    expect(initialRaw(f({ kind: "multi_enum", options: [], default: ["a", 2 as unknown as string] }))).toEqual(["a"]);
    expect(rawFromValue(f({ kind: "number", default: 1 }), 2.5)).toBe("2.5");
    expect(rawFromValue(f({ kind: "string", default: "d" }), undefined)).toBe("");
  });
});

describe("checkField: the server's value rules", () => {
  const cases: [string, ValueField, unknown, unknown][] = [
    ["trimmed text", f({ kind: "string" }), "  Åk 9 ", { value: "Åk 9" }],
    ["empty optional is left out", f({ kind: "string" }), "   ", {}],
    ["empty required", f({ kind: "text", required: true }), "", { problem: { code: "required" } }],
    ["length counts characters, not bytes", f({ kind: "string", max: 3 }), "åäö", { value: "åäö" }],
    ["too long", f({ kind: "string", max: 3 }), "åäöx", { problem: { code: "too_long", limit: 3 } }],
    ["too short", f({ kind: "text", min: 5 }), "abc", { problem: { code: "too_short", limit: 5 } }],
    ["integer", f({ kind: "integer" }), "-12", { value: -12 }],
    ["not an integer", f({ kind: "integer" }), "1.5", { problem: { code: "integer" } }],
    ["integer below min", f({ kind: "integer", min: 1 }), "0", { problem: { code: "too_small", limit: 1 } }],
    ["decimal comma", f({ kind: "number" }), "2,5", { value: 2.5 }],
    ["number above max", f({ kind: "number", max: 10 }), "10.5", { problem: { code: "too_large", limit: 10 } }],
    ["not a number", f({ kind: "number" }), "två", { problem: { code: "number" } }],
    ["boolean is always sent", f({ kind: "boolean" }), false, { value: false }],
    ["enum option", f({ kind: "enum", options: [{ value: "a", label: "A" }] }), "a", { value: "a" }],
    ["enum not an option", f({ kind: "enum", options: [{ value: "a", label: "A" }] }), "b", { problem: { code: "not_option" } }],
    ["multi_enum keeps known options", f({ kind: "multi_enum", options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] }), ["b", "zz", "a"], { value: ["b", "a"] }],
    ["multi_enum too few", f({ kind: "multi_enum", min: 2, options: [{ value: "a", label: "A" }] }), ["a"], { problem: { code: "too_few", limit: 2 } }],
    ["multi_enum required", f({ kind: "multi_enum", required: true, options: [{ value: "a", label: "A" }] }), [], { problem: { code: "required" } }],
  ];
  for (const [name, field, raw, expected] of cases) test(name, () => expect(checkField(field, raw as never)).toEqual(expected as never));

  test("checkFields gathers values and problems by name, starting from defaults for untouched fields", () => {
    const fields = [f({ kind: "string", name: "a", required: true }), f({ kind: "integer", name: "b", default: 4 }), f({ kind: "boolean", name: "c" })];
    expect(checkFields(fields, { c: true })).toEqual({ values: { b: 4, c: true }, problems: { a: { code: "required" } } });
  });
});

describe("server 422 details", () => {
  const error = new ApiError(422, "runs.invalid_inputs", "x", [
    { path: "/inputs/title", message: "Fältet måste fyllas i." },
    { path: "/inputs/a~1b", message: "Snedstreck." },
    { path: "/inputs/title", message: "second message ignored" },
    { path: "/files/1", message: "Samma namn." },
    { path: "/files", message: "Inga filer." },
    { path: "/values/lang", message: "Fel språk." },
  ]);
  test("field messages under a prefix, pointer escapes decoded", () => {
    expect(serverFieldErrors(error, "inputs")).toEqual({ title: "Fältet måste fyllas i.", "a/b": "Snedstreck." });
    expect(serverFieldErrors(error, "values")).toEqual({ lang: "Fel språk." });
  });
  test("file messages", () => {
    expect(serverFileErrors(error)).toEqual(["Samma namn.", "Inga filer."]);
  });
});
