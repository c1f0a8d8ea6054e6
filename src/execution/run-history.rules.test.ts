import { describe, expect, test } from "bun:test";
import { artifactsZipName, parseDateBound, parseStatusFilter, safeFileStem, zipEntryNames } from "./run-history.rules";

describe("parseStatusFilter", () => {
  test("comma-separated statuses, deduplicated, blanks ignored", () => {
    expect(parseStatusFilter(undefined)).toEqual({ statuses: [], problems: [] });
    expect(parseStatusFilter(" failed, ,timed_out,failed ")).toEqual({ statuses: ["failed", "timed_out"], problems: [] });
  });
  test("an unknown name is a problem at /status naming the valid ones", () => {
    const { statuses, problems } = parseStatusFilter("succeeded,klar");
    expect(statuses).toEqual(["succeeded"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("/status");
    expect(problems[0]!.message).toContain('"klar" is not a run status');
    expect(problems[0]!.message).toContain("timed_out");
  });
});

describe("parseDateBound", () => {
  test("a plain date is UTC midnight; as `to` it includes the whole day", () => {
    expect(parseDateBound("2026-11-23", "from")?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(parseDateBound("2026-11-23", "to")?.toISOString()).toBe("2026-11-24T00:00:00.000Z");
  });
  test("an ISO date-time with a zone is taken as it is", () => {
    expect(parseDateBound("2026-11-23T00:00:00+01:00", "to")?.toISOString()).toBe("2026-11-22T23:00:00.000Z");
    expect(parseDateBound("2026-11-23T08:30Z", "from")?.toISOString()).toBe("2026-11-23T08:30:00.000Z");
  });
  test("anything else is null: impossible days, no zone, words", () => {
    for (const bad of ["2026-02-30", "2026-11-23T08:00:00", "igår", "", "23/11/2026"]) expect(parseDateBound(bad, "from")).toBeNull();
  });
});

describe("download names", () => {
  test("safeFileStem removes path, control and bidi characters and never returns nothing", () => {
    expect(safeFileStem("Betyg: åk 9/A", "x")).toBe("Betyg_ åk 9_A");
    expect(safeFileStem("a\u202Egpj.exe\n", "x")).toBe("a_gpj.exe_");
    expect(safeFileStem("  ", "tabell")).toBe("tabell");
    expect(safeFileStem("..", "tabell")).toBe("tabell");
    expect(safeFileStem("x".repeat(200), "t")).toHaveLength(80);
  });
  test("artifactsZipName: slug and the UTC date of the run", () => {
    expect(artifactsZipName("betyg-sammanstallning", new Date("2026-11-23T23:30:00Z"))).toBe("betyg-sammanstallning-2026-11-23.zip");
  });
  test("zipEntryNames: without output/, folders kept, traversal and unsafe characters removed, unique ignoring case", () => {
    expect(zipEntryNames(["output/a.pdf", "output/mapp/b c.csv", "output/../../etc/passwd", "output/A.pdf", "output/noext", "output/NOEXT", "output/"])).toEqual([
      "a.pdf",
      "mapp/b c.csv",
      "etc/passwd",
      "A (2).pdf",
      "noext",
      "NOEXT (2)",
      "fil",
    ]);
  });
});
