import { describe, expect, test } from "bun:test";
import { allowedScopesFor, keyPassesRoute, parseScopes, scopesNotAllowed } from "./scopes.rules";

describe("parseScopes", () => {
  test.each([
    [["RUNS:READ", " runs:write ", "runs:read"], { ok: true, scopes: ["runs:read", "runs:write"] }],
    [["documents:write", "tools:read"], { ok: true, scopes: ["tools:read", "documents:write"] }],
    [["Admin"], { ok: true, scopes: ["admin"] }],
    [[], { ok: false, error: "empty" }],
    [["  "], { ok: false, error: "empty" }],
    [["runs:read", "runs:delete", "everything"], { ok: false, error: "unknown", unknown: ["runs:delete", "everything"] }],
    [["admin", "runs:read"], { ok: false, error: "admin_exclusive" }],
  ])("%j → %j", (input, expected) => {
    expect(parseScopes(input)).toEqual(expected as ReturnType<typeof parseScopes>);
  });
});

describe("who may hand out which scope", () => {
  test("users get the everyday scopes, contributors tools:write, admins admin", () => {
    expect(allowedScopesFor("user")).toEqual(["tools:read", "runs:read", "runs:write", "documents:read", "documents:write"]);
    expect(allowedScopesFor("contributor")).toContain("tools:write");
    expect(allowedScopesFor("contributor")).not.toContain("admin");
    expect(allowedScopesFor("admin")).toContain("admin");
    expect(allowedScopesFor("superuser")).toContain("admin");
  });
  test("scopesNotAllowed names what the role may not give", () => {
    expect(scopesNotAllowed(["admin"], "user")).toEqual(["admin"]);
    expect(scopesNotAllowed(["tools:write", "runs:read"], "user")).toEqual(["tools:write"]);
    expect(scopesNotAllowed(["admin"], "admin")).toEqual([]);
  });
});

describe("keyPassesRoute", () => {
  test.each([
    ["runs:read", ["runs:read"], true],
    ["runs:read", ["runs:write"], false],
    ["runs:write", ["admin"], true],
    ["admin", ["runs:read", "runs:write"], false],
    [undefined, ["admin"], false],
    [undefined, [], false],
    ["any-key", [], true],
    ["tools:read", [], false],
  ] as const)("route %p with key %j → %p", (declared, scopes, ok) => {
    expect(keyPassesRoute(declared, scopes)).toBe(ok);
  });
});
