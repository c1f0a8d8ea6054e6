import { describe, expect, test } from "bun:test";
import { csvCell, csvFileName, csvHeader, csvRow } from "./audit-csv.rules";
import { parseBound, toAuditQuery } from "./audit-query.rules";

describe("audit CSV", () => {
  test.each([
    [null, ""],
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["=HYPERLINK(\"http://x\")", '"\'=HYPERLINK(""http://x"")"'],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    [" padded ", '" padded "'],
    ["åäö@skola.se", "åäö@skola.se"],
  ])("csvCell(%j) → %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
  test("a row has every column, JSON payloads quoted", () => {
    const row = csvRow({
      id: "x",
      actorId: "u1",
      actorEmail: "=evil@skola.se",
      action: "user.role_changed",
      targetType: "user",
      targetId: "u2",
      before: { role: "user" },
      after: { role: "admin" },
      ip: "10.0.0.1",
      userAgent: null,
      requestId: "r1",
      createdAt: new Date("2026-03-02T08:00:00.000Z"),
    });
    expect(row).toBe(`2026-03-02T08:00:00.000Z,u1,'=evil@skola.se,user.role_changed,user,u2,10.0.0.1,,r1,"{""role"":""user""}","{""role"":""admin""}"\r\n`);
    expect(csvHeader().split(",").length).toBe(11);
    expect(csvFileName(new Date("2026-03-02T08:15:09.000Z"))).toBe("audit-20260302-081509.csv");
  });
});

describe("audit query parsing", () => {
  test("bare dates cover whole days; date-times are exact", () => {
    expect(parseBound("2026-03-02", false)).toEqual(new Date("2026-03-02T00:00:00.000Z"));
    expect(parseBound("2026-03-02", true)).toEqual(new Date("2026-03-02T23:59:59.999Z"));
    expect(parseBound("2026-03-02T10:00:00Z", true)).toEqual(new Date("2026-03-02T10:00:00.000Z"));
    expect(parseBound("2026-02-30", false)).toBeNull();
    expect(parseBound("yesterday", false)).toBeNull();
  });
  test("filters are trimmed, empty ones dropped, bad dates reported by path", () => {
    expect(toAuditQuery({ actor: " a@skola.se ", action: "", q: "  ", target_type: "user" })).toEqual({ ok: true, query: { actor: "a@skola.se", targetType: "user" } });
    const bad = toAuditQuery({ from: "x", to: "2026-13-01" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(["/from", "/to"]);
  });
});
