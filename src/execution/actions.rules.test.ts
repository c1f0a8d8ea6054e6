import { describe, expect, test } from "bun:test";
import { ACTION_TEXT, findNextAction, validateActionInput } from "./actions.rules";
import type { FormAction } from "./contract.types";
import { normalizeNextActions } from "./payload.rules";

// Actions as they are stored: produced by the payload rules, as in a real run.
const { actions: stored } = normalizeNextActions([
  {
    action_id: "filter",
    label: "Filtrera",
    fields: [
      { kind: "string", name: "sök", label: "Sök", required: true, max: 20 },
      { kind: "integer", name: "gräns", label: "Gräns", min: 1, max: 100, default: 10 },
      { kind: "number", name: "vikt", label: "Vikt" },
      { kind: "boolean", name: "visa_alla", label: "Visa alla" },
      { kind: "enum", name: "sortering", label: "Sortering", options: [{ value: "namn", label: "Namn" }, { value: "poäng", label: "Poäng" }] },
      { kind: "multi_enum", name: "klasser", label: "Klasser", options: [{ value: "7A", label: "7A" }, { value: "7B", label: "7B" }], max: 1 },
      { kind: "text", name: "kommentar", label: "Kommentar" },
    ],
  },
  { action_id: "done", label: "Klar" },
]);
const filter = findNextAction(stored, "filter")!;
const done = findNextAction(stored, "done")!;

describe("findNextAction", () => {
  test("finds the stored action by id, and nothing else", () => {
    expect(filter.action_id).toBe("filter");
    expect(findNextAction(stored, "FILTER")).toBeNull();
    expect(findNextAction(stored, " filter")).toBeNull();
    expect(findNextAction([], "filter")).toBeNull();
  });

  test("the texts around action requests exist in both languages", () => {
    for (const text of Object.values(ACTION_TEXT)) {
      expect(text.en.length).toBeGreaterThan(10);
      expect(text.sv.length).toBeGreaterThan(10);
    }
  });
});

describe("validateActionInput", () => {
  test("values are normalized like form values, defaults applied, keys in field order", () => {
    const checked = validateActionInput(filter, { kommentar: "  bra  ", klasser: ["7B"], sortering: " poäng ", visa_alla: "yes", vikt: "1,5", sök: " Anna " });
    expect(checked.ok).toBe(true);
    expect(JSON.stringify(checked.ok && checked.values)).toBe('{"sök":"Anna","gräns":10,"vikt":1.5,"visa_alla":true,"sortering":"poäng","klasser":["7B"],"kommentar":"bra"}');
  });

  test("an action without fields takes {} and null", () => {
    expect(validateActionInput(done, {})).toEqual({ ok: true, values: {} });
    expect(validateActionInput(done, null)).toEqual({ ok: true, values: {} });
    expect(validateActionInput(done, undefined)).toEqual({ ok: true, values: {} });
  });

  test("per-field errors, both languages, paths relative to the input", () => {
    const checked = validateActionInput(filter, { sök: "   ", gräns: "200", vikt: "mycket", visa_alla: "kanske", sortering: "datum", klasser: ["7A", "7B"], okänt: 1 });
    expect(checked).toEqual({
      ok: false,
      errors: [
        { path: "/okänt", code: "unknown_field", en: "The form has no field with this name.", sv: "Formuläret har inget fält med det här namnet." },
        { path: "/sök", code: "required", en: "This field is required.", sv: "Fältet måste fyllas i." },
        { path: "/gräns", code: "too_large", en: "Enter 100 or less.", sv: "Ange 100 eller mindre." },
        { path: "/vikt", code: "expected_number", en: "Enter a number, for example 2.5.", sv: "Ange ett tal, till exempel 2,5." },
        { path: "/visa_alla", code: "expected_boolean", en: "Choose yes or no.", sv: "Välj ja eller nej." },
        { path: "/sortering", code: "not_an_option", en: "Choose one of the listed options.", sv: "Välj ett av alternativen i listan." },
        { path: "/klasser", code: "too_many_selected", en: "Choose at most 1.", sv: "Välj högst 1." },
      ],
    });
  });

  test("fields of other actions are not accepted (the UI sends only the pressed action's fields)", () => {
    expect(validateActionInput(done, { sök: "x" })).toEqual({
      ok: false,
      errors: [{ path: "/sök", code: "unknown_field", en: "The form has no field with this name.", sv: "Formuläret har inget fält med det här namnet." }],
    });
  });

  test("the input must be an object", () => {
    expect(validateActionInput(done, ["x"])).toEqual({
      ok: false,
      errors: [{ path: "", code: "values_not_object", en: "The form values must be a JSON object.", sv: "Formulärets värden måste vara ett JSON-objekt." }],
    });
  });

  test("the normalized input must fit 48 KiB (the environment string also holds the state)", () => {
    const wide: FormAction = { action_id: "w", label: "W", kind: "form", fields: [{ kind: "text", name: "t", label: "T" }] };
    expect(validateActionInput(wide, { t: "x".repeat(48 * 1024 - 8) }).ok).toBe(true); // {"t":"…"} adds 8 bytes
    expect(validateActionInput(wide, { t: "x".repeat(48 * 1024 - 7) })).toEqual({
      ok: false,
      errors: [
        {
          path: "",
          code: "values_too_large",
          en: "The form values are too large: at most 49152 bytes in total.",
          sv: "Formulärets värden är för stora: högst 49152 byte sammanlagt.",
        },
      ],
    });
  });
});
