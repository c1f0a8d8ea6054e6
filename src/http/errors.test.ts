import { expect, test } from "bun:test";
import { defineErrors, errorBody, pickLocale } from "./errors";

test("pickLocale honours q-values and ignores other languages", () => {
  expect(pickLocale("en-GB,en;q=0.9,sv;q=0.8", "sv")).toBe("en");
  expect(pickLocale("de-DE,sv;q=0.5,en;q=0.4", "en")).toBe("sv");
  expect(pickLocale("de", "sv")).toBe("sv");
  expect(pickLocale(null, "en")).toBe("en");
});

test("defined errors render in the chosen language", () => {
  const E = defineErrors({ x: { status: 409, code: "x.taken", sv: "Upptagen.", en: "Taken." } });
  const err = E.x({ field: "email" });
  expect(err.status).toBe(409);
  expect(errorBody(err, "sv", "r1")).toEqual({ error: { code: "x.taken", message: "Upptagen.", details: { field: "email" } }, request_id: "r1" });
});
