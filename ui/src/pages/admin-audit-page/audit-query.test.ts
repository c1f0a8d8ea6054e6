import { describe, expect, test } from "bun:test";
import { auditQueryString, parseAuditQuery } from "./audit-query";

describe("audit page query", () => {
  test("round-trips filters and page, leaving out empty values", () => {
    const parsed = parseAuditQuery("?action=auth.login_failed&q=%20anna%20&page=3&unknown=x");
    expect(parsed).toEqual({ filter: { from: "", to: "", actor: "", action: "auth.login_failed", target_type: "", q: "anna" }, page: 3 });
    expect(auditQueryString(parsed.filter, parsed.page)).toBe("?action=auth.login_failed&q=anna&page=3");
    expect(auditQueryString(parsed.filter, 1)).toBe("?action=auth.login_failed&q=anna");
  });
  test("a bad page is page 1", () => {
    expect(parseAuditQuery("?page=-2").page).toBe(1);
    expect(parseAuditQuery("?page=x").page).toBe(1);
    expect(auditQueryString(parseAuditQuery("").filter, 1)).toBe("");
  });
});
