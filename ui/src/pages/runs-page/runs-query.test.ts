import { describe, expect, test } from "bun:test";
import { localDayStart, parseRunsQuery, runsApiQuery, runsPath, RUNS_PAGE_SIZE } from "./runs-query";

describe("run history filters", () => {
  test("parse and print: unknown statuses, impossible dates and bad pages fall back to defaults", () => {
    const filters = parseRunsQuery("?tool=betyg&status=failed&from=2026-11-01&to=2026-02-30&page=3");
    expect(filters).toEqual({ tool: "betyg", status: "failed", from: "2026-11-01", to: "", page: 3 });
    expect(runsPath(filters)).toBe("/runs?tool=betyg&status=failed&from=2026-11-01&page=3");
    expect(parseRunsQuery("?status=klar&page=-2")).toEqual({ tool: "", status: null, from: "", to: "", page: 1 });
    expect(runsPath(parseRunsQuery(""))).toBe("/runs");
  });

  test("the API gets the teacher's own midnights; `to` includes its whole day", () => {
    const query = runsApiQuery({ tool: "", status: null, from: "2026-11-01", to: "2026-11-03", page: 2 });
    expect(query.from).toBe(new Date(2026, 10, 1).toISOString());
    expect(query.to).toBe(new Date(2026, 10, 4).toISOString());
    expect(query).toMatchObject({ page: 2, page_size: RUNS_PAGE_SIZE, tool: undefined, status: undefined });
    expect(localDayStart("2026-13-01")).toBeNull();
  });
});
