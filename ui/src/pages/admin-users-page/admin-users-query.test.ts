import { expect, test } from "bun:test";
import { adminUsersPath, parseAdminUsersQuery } from "./admin-users-query";

test("reads search, role and page from the query, ignoring junk", () => {
  expect(parseAdminUsersQuery("?q=%20anna%20&role=admin&page=3")).toEqual({ q: "anna", role: "admin", page: 3 });
  expect(parseAdminUsersQuery("")).toEqual({ q: "", role: null, page: 1 });
  expect(parseAdminUsersQuery("?role=owner&page=-2")).toEqual({ q: "", role: null, page: 1 });
  expect(parseAdminUsersQuery("?page=abc")).toEqual({ q: "", role: null, page: 1 });
});

test("writes only non-default filters, and round-trips", () => {
  expect(adminUsersPath({ q: "", role: null, page: 1 })).toBe("/admin/users");
  const query = { q: "anna berg", role: "contributor" as const, page: 2 };
  const path = adminUsersPath(query);
  expect(path).toBe("/admin/users?q=anna+berg&role=contributor&page=2");
  expect(parseAdminUsersQuery(path.slice(path.indexOf("?")))).toEqual(query);
});
