import { describe, expect, test } from "bun:test";
import { accepts, addFiles, fileProblems, maxFileCount, normalizeAccept, type FileLimits } from "./file-rules";

const file = (name: string, size = 10, type = "") => ({ name, size, type });
const limits = (over: Partial<FileLimits> = {}): FileLimits => ({ accept: [".csv"], min: 1, max: 3, maxFiles: 10, maxMb: 1, ...over });

describe("accept", () => {
  test("normalized like the server: lower case, bare extensions get a dot, * means anything", () => {
    expect(normalizeAccept([" PDF", ".CSV", "image/*", "*", ""])).toEqual([".pdf", ".csv", "image/*", "*/*"]);
  });
  test("by extension, exact or wildcard media type; an unknown browser type is left to the server", () => {
    expect(accepts([".csv"], file("Elever.CSV"))).toBe(true);
    expect(accepts([".csv"], file("elever.pdf", 1, "application/pdf"))).toBe(false);
    expect(accepts(["image/*"], file("bild.png", 1, "image/png"))).toBe(true);
    expect(accepts(["application/pdf"], file("a.txt", 1, "text/plain"))).toBe(false);
    expect(accepts(["application/pdf"], file("utan-typ", 1, ""))).toBe(true);
    expect(accepts([], file("vad-som-helst.exe"))).toBe(true);
  });
});

describe("adding files", () => {
  test("same name replaces, wrong type is refused", () => {
    const a = file("a.csv", 1);
    const a2 = file("a.csv", 2);
    const { files, refused } = addFiles([a], [a2, file("b.pdf"), file("c.csv")], limits());
    expect(files).toEqual([a2, file("c.csv")]);
    expect(refused.map((f) => f.name)).toEqual(["b.pdf"]);
  });
});

describe("limits", () => {
  test("the most files is the field's max within the site's limit", () => {
    expect(maxFileCount(limits({ max: 20, maxFiles: 5 }))).toBe(5);
    expect(maxFileCount(limits({ max: 2, maxFiles: 5 }))).toBe(2);
  });
  test("too many and too large at once; too few only when submitting", () => {
    const big = file("a.csv", 700 * 1024);
    const files = [big, file("b.csv", 400 * 1024), file("c.csv"), file("d.csv")];
    expect(fileProblems(files, limits(), { submitting: false })).toEqual([
      { code: "too_many", limit: 3 },
      { code: "too_large", limitMb: 1 },
    ]);
    expect(fileProblems([], limits(), { submitting: false })).toEqual([]);
    expect(fileProblems([], limits(), { submitting: true })).toEqual([{ code: "too_few", limit: 1 }]);
  });
});
