// Every registered route × API keys, table-driven like src/http/route-permissions.test.ts: a key with
// the route's declared scope gets past authentication, a key without it gets 403 auth.scope_missing, a
// key on a session-only route (no scope declared) gets 403, and revoked or expired keys get 401 at
// once. New routes of any feature are covered the moment they are registered.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { API_DOCS_PLUGIN_ROUTES } from "../http/api-docs";
import { declaredScope } from "../http/http-context";
import { PERMISSIONS, roleAtLeast, type Permission, type Role } from "../identity/roles.rules";
import { allowedScopesFor, API_SCOPES, type ApiScope, type RouteScope } from "./scopes.rules";
import { createAccessTestApp, type AccessTestApp } from "./access.test-app";

let t: AccessTestApp;
beforeAll(async () => {
  t = await createAccessTestApp("sqlite");
});
afterAll(async () => t?.close());

function declaredPermission(detail: unknown): Permission | undefined {
  const security = (detail as { security?: { session?: string[] }[] } | undefined)?.security;
  if (!Array.isArray(security)) return undefined;
  if (security.length === 0) return "public";
  const p = security[0]?.session?.[0];
  return (PERMISSIONS as readonly string[]).includes(p ?? "") ? (p as Permission) : undefined;
}

type Row = { method: string; path: string; permission: Permission; scope: RouteScope | undefined };

function routeTable(): Row[] {
  return t.app.routes
    .filter((r) => !API_DOCS_PLUGIN_ROUTES.includes(`${r.method} ${r.path}`))
    .map((r) => {
      const detail = (r.hooks as { detail?: unknown }).detail;
      return { method: r.method, path: r.path, permission: declaredPermission(detail)!, scope: declaredScope(detail) };
    })
    .filter((r) => r.permission !== undefined && r.permission !== "public");
}

/** The account that owns the keys for a route: its permission level, or higher when the scope needs it. */
function ownerFor(row: Row, scopes: readonly ApiScope[]): Role {
  const base: Role = row.permission === "public" ? "user" : row.permission;
  const candidates: Role[] = (["user", "contributor", "admin", "superuser"] as Role[]).filter((r) => roleAtLeast(r, base));
  return candidates.find((r) => scopes.every((s) => allowedScopesFor(r).includes(s))) ?? "superuser";
}

const keys = new Map<string, string>();
async function keyFor(role: Role, scopes: ApiScope[], extra: { expiresAt?: string } = {}): Promise<string> {
  const id = `${role} ${scopes.join(",")} ${extra.expiresAt ?? ""}`;
  if (!keys.has(id)) keys.set(id, (await t.key(role, scopes, extra)).secret);
  return keys.get(id)!;
}

const DENIED = new Set(["auth.required", "auth.forbidden", "auth.scope_missing", "auth.key_invalid", "csrf.invalid", "access.key_required"]);
const probePath = (path: string) => path.replace(/:[a-z_]+/g, crypto.randomUUID()).replace(/\*$/, "probe");
const codeOf = (body: Record<string, unknown>) => (body as { error?: { code?: string } }).error?.code;

describe("API key scopes over every route", () => {
  test("the table covers the routes of every feature, with scopes on runs, catalog and admin routes", () => {
    const rows = routeTable();
    expect(rows.length).toBeGreaterThan(30);
    const scoped = rows.filter((r) => r.scope);
    expect(scoped.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["POST /api/v1/tools/:slug/run", "GET /api/v1/runs/:id", "GET /api/v1/catalog/tools/:slug", "GET /api/v1/admin/audit", "GET /api/v1/access/whoami"]),
    );
    // keys never manage keys or sessions
    for (const r of rows.filter((r) => r.path.startsWith("/api/v1/access/keys") || r.path.startsWith("/api/v1/auth/"))) expect(r.scope).toBeUndefined();
  });

  test("a key with the route's scope passes; without it 403; session-only routes 403", async () => {
    const failures: string[] = [];
    for (const row of routeTable()) {
      const path = probePath(row.path);
      const body = row.method === "GET" ? undefined : {};
      if (row.scope === undefined) {
        // the strongest key there is still cannot use a session-only route
        const res = await t.bearer(await keyFor("superuser", ["admin"]), row.method, path, body);
        if (res.status !== 403 || codeOf(res.body) !== "auth.scope_missing") failures.push(`${row.method} ${row.path} session-only: got ${res.status} ${codeOf(res.body)}`);
        continue;
      }
      const having: ApiScope[] = row.scope === "any-key" ? ["runs:read"] : [row.scope];
      const ok = await t.bearer(await keyFor(ownerFor(row, having), having), row.method, path, body);
      if (DENIED.has(codeOf(ok.body) ?? "")) failures.push(`${row.method} ${row.path} with ${having}: got ${ok.status} ${codeOf(ok.body)}`);
      if (row.scope === "any-key") continue;
      const other = API_SCOPES.filter((s) => s !== row.scope && s !== "admin");
      const lacking = other.find((s) => allowedScopesFor(ownerFor(row, [s])).includes(s))!;
      const denied = await t.bearer(await keyFor(ownerFor(row, [lacking]), [lacking]), row.method, path, body);
      if (denied.status !== 403 || codeOf(denied.body) !== "auth.scope_missing") failures.push(`${row.method} ${row.path} with ${lacking}: got ${denied.status} ${codeOf(denied.body)}`);
    }
    expect(failures).toEqual([]);
  }, 180_000);

  test("revoked and expired keys get 401 on every route, at once", async () => {
    const revoked = await t.key("superuser", ["admin"]);
    const expiring = await t.key("superuser", ["admin"], { expiresAt: new Date(t.now().getTime() + 60_000).toISOString() });
    // both work before
    for (const k of [revoked, expiring]) expect((await t.bearer(k.secret, "GET", "/api/v1/access/whoami")).status).toBe(200);
    const admin = await t.loggedIn("superuser");
    expect((await admin.call("DELETE", `/api/v1/access/keys/${revoked.key.id}`, undefined)).status).toBe(204);
    t.advance(2);
    const failures: string[] = [];
    for (const row of routeTable()) {
      for (const [name, k] of [["revoked", revoked], ["expired", expiring]] as const) {
        const res = await t.bearer(k.secret, row.method, probePath(row.path), row.method === "GET" ? undefined : {});
        if (res.status !== 401 || codeOf(res.body) !== "auth.key_invalid") failures.push(`${row.method} ${row.path} ${name}: ${res.status} ${codeOf(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);

  test("a made-up or malformed bearer is 401; a cookie never unlocks a key-only route", async () => {
    for (const token of ["skt_abcdefgh_" + "A".repeat(43), "nonsense", "a.b.c"]) {
      const res = await t.bearer(token, "GET", "/api/v1/runs");
      expect([res.status, codeOf(res.body)]).toEqual([401, "auth.key_invalid"]);
    }
    const b = await t.loggedIn("admin");
    const res = await b.get("/api/v1/access/whoami");
    expect([res.status, codeOf(res.body)]).toEqual([403, "access.key_required"]);
  });
});
