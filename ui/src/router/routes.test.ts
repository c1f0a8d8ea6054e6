import { describe, expect, test } from "bun:test";
import type { User } from "../api/api-types";
import { decideAccess, loginPath, matchRoute, ROUTES, safeNextPath } from "./routes";

function user(role: User["role"]): User {
  return {
    id: "u1",
    email: "a@skola.se",
    role,
    active: true,
    email_verified: true,
    first_name: "A",
    last_name: "B",
    locale: null,
    created_at: "2026-01-01T00:00:00Z",
    last_login_at: null,
  };
}

describe("matchRoute", () => {
  test.each([
    ["/", "home", {}],
    ["/login", "login", {}],
    ["/login/", "login", {}],
    ["/verify-email", "verify-email", {}],
    ["/reset-password", "reset-password", {}],
    ["/profile", "profile", {}],
    ["/admin/users", "admin-users", {}],
    ["/admin/users/42", "admin-user", { id: "42" }],
    ["/admin/users/a%20b", "admin-user", { id: "a b" }],
    ["/admin/users/42/extra", "not-found", {}],
    ["/admin", "not-found", {}],
    ["/nope", "not-found", {}],
    ["/admin/users/%E0%A4%A", "not-found", {}],
  ])("%s → %s", (path, name, params) => {
    const match = matchRoute(path);
    expect(match.route.name).toBe(name as (typeof ROUTES)[number]["name"]);
    expect(match.params).toEqual(params);
  });
});

describe("decideAccess", () => {
  const route = (name: string) => ROUTES.find((r) => r.name === name)!;

  test("pages that need a login send anonymous visitors to /login with a way back", () => {
    expect(decideAccess(route("profile"), null, "/profile")).toEqual({ kind: "redirect", to: "/login?next=%2Fprofile" });
    expect(decideAccess(route("admin-users"), null, "/admin/users?q=anna")).toEqual({
      kind: "redirect",
      to: "/login?next=%2Fadmin%2Fusers%3Fq%3Danna",
    });
    expect(decideAccess(route("home"), null, "/")).toEqual({ kind: "redirect", to: "/login" });
  });

  test("the taxonomy page is for admins and superusers", () => {
    for (const role of ["user", "contributor"] as const) {
      expect(decideAccess(route("admin-taxonomy"), user(role), "/admin/taxonomy")).toEqual({ kind: "forbidden" });
    }
    for (const role of ["admin", "superuser"] as const) {
      expect(decideAccess(route("admin-taxonomy"), user(role), "/admin/taxonomy")).toEqual({ kind: "show" });
    }
    expect(decideAccess(route("admin-taxonomy"), null, "/admin/taxonomy")).toEqual({ kind: "redirect", to: "/login?next=%2Fadmin%2Ftaxonomy" });
  });

  test("catalog, tool, runs and run pages need a login and match their paths", () => {
    expect(matchRoute("/tools")).toMatchObject({ route: { name: "catalog" }, params: {} });
    expect(matchRoute("/tools/betyg-%C3%A5k9")).toMatchObject({ route: { name: "tool" }, params: { slug: "betyg-åk9" } });
    expect(matchRoute("/runs")).toMatchObject({ route: { name: "runs" } });
    expect(matchRoute("/runs/0193")).toMatchObject({ route: { name: "run" }, params: { id: "0193" } });
    expect(decideAccess(route("tool"), null, "/tools/betyg")).toEqual({ kind: "redirect", to: "/login?next=%2Ftools%2Fbetyg" });
    expect(decideAccess(route("runs"), user("user"), "/runs")).toEqual({ kind: "show" });
  });

  test("admin pages are forbidden below superuser and shown to superusers", () => {
    for (const role of ["user", "contributor", "admin"] as const) {
      expect(decideAccess(route("admin-user"), user(role), "/admin/users/1")).toEqual({ kind: "forbidden" });
    }
    expect(decideAccess(route("admin-users"), user("superuser"), "/admin/users")).toEqual({ kind: "show" });
  });

  test("guest pages send a logged-in user home; public pages show to everyone", () => {
    expect(decideAccess(route("login"), user("user"), "/login")).toEqual({ kind: "redirect", to: "/" });
    expect(decideAccess(route("register"), null, "/register")).toEqual({ kind: "show" });
    expect(decideAccess(route("reset-password"), user("user"), "/reset-password?token=x")).toEqual({ kind: "show" });
    expect(decideAccess(route("verify-email"), null, "/verify-email?token=x")).toEqual({ kind: "show" });
  });
});

describe("safeNextPath", () => {
  test.each([
    ["/admin/users?q=a", "/admin/users?q=a"],
    ["/profile", "/profile"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/ok\nwith-newline", "/"],
  ])("%p → %p", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  test("loginPath leaves the start page out of the query", () => {
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("//evil")).toBe("/login");
    expect(loginPath("/profile")).toBe("/login?next=%2Fprofile");
  });
});
