import { expect, test } from "bun:test";
import { checkPermission, PERMISSIONS, ROLES, roleAtLeast } from "./roles.rules";

test("role order is user < contributor < admin < superuser", () => {
  expect(roleAtLeast("superuser", "admin")).toBe(true);
  expect(roleAtLeast("admin", "superuser")).toBe(false);
  expect(roleAtLeast("contributor", "user")).toBe(true);
  expect(roleAtLeast("user", "contributor")).toBe(false);
});

test("permission table", () => {
  const expected: Record<string, string[]> = {
    public: ["ok", "ok", "ok", "ok", "ok"],
    user: ["anonymous", "ok", "ok", "ok", "ok"],
    contributor: ["anonymous", "forbidden", "ok", "ok", "ok"],
    admin: ["anonymous", "forbidden", "forbidden", "ok", "ok"],
    superuser: ["anonymous", "forbidden", "forbidden", "forbidden", "ok"],
  };
  for (const p of PERMISSIONS) expect([null, ...ROLES].map((r): string => checkPermission(p, r))).toEqual(expected[p]!);
});
