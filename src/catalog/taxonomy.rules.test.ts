import { describe, expect, test } from "bun:test";
import { checkNewOrder, LABEL_MAX_LENGTH, newEntryProblems, normalizeLabel, renameProblems } from "./taxonomy.rules";

describe("taxonomy entries", () => {
  test("labels are trimmed with inner whitespace collapsed", () => {
    expect(normalizeLabel("  Elev   hälsa \n")).toBe("Elev hälsa");
  });
  test("a new entry needs a valid slug and two labels", () => {
    expect(newEntryProblems({ slug: "elevhalsa", label_sv: "Elevhälsa", label_en: "Student health" })).toEqual([]);
    expect(newEntryProblems({ slug: "Elev Hälsa", label_sv: "  ", label_en: "x".repeat(LABEL_MAX_LENGTH + 1) })).toEqual([
      { path: "/slug", message: expect.stringContaining('"Elev Hälsa" is not a valid slug') },
      { path: "/label_sv", message: expect.stringContaining("is empty") },
      { path: "/label_en", message: `is ${LABEL_MAX_LENGTH + 1} characters long. Shorten it to at most ${LABEL_MAX_LENGTH}.` },
    ]);
  });
  test("a rename changes at least one label", () => {
    expect(renameProblems({})).toEqual([{ path: "/", message: "Give label_sv, label_en or both." }]);
    expect(renameProblems({ label_en: "Head teacher" })).toEqual([]);
    expect(renameProblems({ label_sv: "" })).toEqual([{ path: "/label_sv", message: expect.stringContaining("is empty") }]);
  });
});

describe("checkNewOrder", () => {
  const current = ["larare", "rektor", "gemensamt"];
  test("a permutation of the current slugs is fine", () => {
    expect(checkNewOrder(["gemensamt", "larare", "rektor"], current)).toEqual({ ok: true });
  });
  test("repeats are malformed; missing or unknown slugs mean the list changed", () => {
    expect(checkNewOrder(["larare", "larare", "rektor", "gemensamt"], current)).toEqual({ ok: false, kind: "duplicate", slugs: ["larare"] });
    expect(checkNewOrder(["larare", "rektor"], current)).toEqual({ ok: false, kind: "mismatch", slugs: ["gemensamt"] });
    expect(checkNewOrder(["larare", "rektor", "gemensamt", "ny"], current)).toEqual({ ok: false, kind: "mismatch", slugs: ["ny"] });
  });
});
