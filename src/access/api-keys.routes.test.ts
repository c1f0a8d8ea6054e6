// API keys over HTTP on both stores: create (secret once), list, use, revoke, admin view, audit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { createAccessTestApp, type AccessTestApp } from "./access.test-app";
import { runForm } from "../execution/runs.test-app";

const codeOf = (body: Record<string, unknown>) => (body as { error?: { code?: string } }).error?.code;

for (const kind of testStoreKinds()) {
  describe(`API keys on ${kind}`, () => {
    let t: AccessTestApp;
    beforeAll(async () => {
      t = await createAccessTestApp(kind);
      await t.addTool("hej");
    });
    afterAll(async () => t?.close());

    test("allowed scopes follow the role", async () => {
      const user = await t.loggedIn("user");
      expect((await user.get("/api/v1/auth/allowed-scopes")).body).toEqual({ scopes: ["tools:read", "runs:read", "runs:write", "documents:read", "documents:write"] });
      const admin = await t.loggedIn("admin");
      expect((await admin.get("/api/v1/auth/allowed-scopes")).body.scopes).toContain("admin");
    });

    test("create shows the secret once; the list never does; the key works as a bearer without CSRF", async () => {
      const b = await t.loggedIn("user");
      const created = await b.post("/api/v1/access/keys", { label: "Skript", scopes: ["RUNS:READ", "tools:read"] });
      expect(created.status).toBe(201);
      const secret = created.body.secret as string;
      const key = created.body.key as Record<string, unknown>;
      expect(secret).toMatch(/^skt_[a-z0-9]{8}_/);
      expect(key).toMatchObject({ label: "Skript", scopes: ["tools:read", "runs:read"], status: "active", expires_at: null, last_used_at: null, webhook_url: null });
      expect(secret.startsWith(key.prefix as string)).toBe(true);
      expect(created.body.webhook_secret).toBeNull();

      const list = await b.get("/api/v1/access/keys");
      expect(JSON.stringify(list.body)).not.toContain(secret);
      expect(JSON.stringify(list.body)).not.toContain(secret.slice(13));

      const catalog = await t.bearer(secret, "GET", "/api/v1/catalog/tools");
      expect(catalog.status).toBe(200);
      const runs = await t.bearer(secret, "GET", "/api/v1/runs");
      expect(runs.status).toBe(200);
      // runs:write is missing: submitting is refused before anything else
      const run = await t.raw("/api/v1/tools/hej/run", { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: runForm({}) });
      expect(run.status).toBe(403);
      expect(((await run.json()) as { error: { code: string } }).error.code).toBe("auth.scope_missing");

      const after = await b.get("/api/v1/access/keys");
      const listed = (after.body.keys as { id: string; last_used_at: string | null }[]).find((k) => k.id === key.id)!;
      expect(listed.last_used_at).not.toBeNull();
    });

    test("a bearer with a valid session cookie still only has the key's rights", async () => {
      const admin = await t.loggedIn("admin");
      const k = await t.key("admin", ["tools:read"]);
      const cookie = [...admin.jar].map(([n, v]) => `${n}=${v}`).join("; ");
      const res = await t.bearer(k.secret, "GET", "/api/v1/admin/audit", undefined, { cookie });
      expect([res.status, codeOf(res.body)]).toEqual([403, "auth.scope_missing"]);
      const me = await t.bearer(k.secret, "GET", "/api/v1/access/whoami", undefined, { cookie });
      expect(me.body).toMatchObject({ user: { email: "admin@skola.se" }, key: { kind: "api_key", scopes: ["tools:read"] } });
    });

    test("a key runs a tool with runs:write and sees only its owner's runs", async () => {
      const k = await t.key("contributor", ["runs:write", "runs:read"]);
      const res = await t.raw("/api/v1/tools/hej/run", { method: "POST", headers: { authorization: `Bearer ${k.secret}` }, body: runForm({}) });
      expect(res.status).toBe(202);
      const { run_id } = (await res.json()) as { run_id: string };
      const view = await t.bearer(k.secret, "GET", `/api/v1/runs/${run_id}`);
      expect(view.status).toBe(200);
      const other = await t.key("user", ["runs:read"]);
      expect((await t.bearer(other.secret, "GET", `/api/v1/runs/${run_id}`)).status).toBe(404);
    });

    test("scope and input errors", async () => {
      const b = await t.loggedIn("user");
      const cases: [unknown, number, string][] = [
        [{ label: "x", scopes: [] }, 422, "access.scopes_empty"],
        [{ label: "x", scopes: ["runs:read", "root"] }, 422, "access.scope_invalid"],
        [{ label: "x", scopes: ["admin", "runs:read"] }, 422, "access.admin_scope_exclusive"],
        [{ label: "x", scopes: ["admin"] }, 403, "access.scope_not_allowed"],
        [{ label: "x", scopes: ["tools:write"] }, 403, "access.scope_not_allowed"],
        [{ label: "x", scopes: ["runs:read"], expires_at: "2020-01-01T00:00:00Z" }, 422, "access.expiry_in_past"],
        [{ label: "x", scopes: ["runs:read"], webhook_url: "ftp://example.org/" }, 422, "access.webhook_url_invalid"],
        [{ label: "", scopes: ["runs:read"] }, 422, "validation.failed"],
      ];
      for (const [body, status, code] of cases) {
        const res = await b.post("/api/v1/access/keys", body);
        expect([res.status, codeOf(res.body)]).toEqual([status, code]);
      }
      const bad = await b.post("/api/v1/access/keys", { label: "x", scopes: ["runs:read", "root"] });
      expect(bad.body.error).toMatchObject({ details: { scopes: ["root"] } });
    });

    test("revoking refuses the key at the next request; others' keys are 404 to a user, revocable by an admin", async () => {
      const owner = await t.loggedIn("user");
      const created = await owner.post("/api/v1/access/keys", { label: "Revoke me", scopes: ["runs:read"] });
      const secret = created.body.secret as string;
      const id = (created.body.key as { id: string }).id;
      expect((await t.bearer(secret, "GET", "/api/v1/runs")).status).toBe(200);
      const stranger = await t.loggedIn("contributor");
      expect(codeOf((await stranger.call("DELETE", `/api/v1/access/keys/${id}`, undefined)).body)).toBe("access.key_not_found");
      expect((await owner.call("DELETE", `/api/v1/access/keys/${id}`, undefined)).status).toBe(204);
      expect(codeOf((await t.bearer(secret, "GET", "/api/v1/runs")).body)).toBe("auth.key_invalid");
      const listed = (await owner.get("/api/v1/access/keys")).body.keys as { id: string; status: string }[];
      expect(listed.find((k) => k.id === id)?.status).toBe("revoked");

      const other = await t.key("user", ["tools:read"], { label: "Admin revokes" });
      const admin = await t.loggedIn("admin");
      const all = await admin.get(`/api/v1/admin/access/keys?user_id=${t.users.user.id}&status=active`);
      const row = (all.body.keys as { id: string; user_email: string; status: string }[]).find((k) => k.id === other.key.id);
      expect(row).toMatchObject({ user_email: "user@skola.se", status: "active" });
      expect((await admin.call("DELETE", `/api/v1/admin/access/keys/${other.key.id}`, undefined)).status).toBe(204);
      expect(codeOf((await t.bearer(other.secret, "GET", "/api/v1/catalog/tools")).body)).toBe("auth.key_invalid");
      const revokedList = await admin.get(`/api/v1/admin/access/keys?status=revoked`);
      expect((revokedList.body.keys as { id: string }[]).map((k) => k.id)).toEqual(expect.arrayContaining([id, other.key.id]));
    });

    test("an expired key is refused, and so is the key of a deactivated owner", async () => {
      const k = await t.key("user", ["runs:read"], { expiresAt: new Date(t.now().getTime() + 5 * 60_000).toISOString() });
      expect((await t.bearer(k.secret, "GET", "/api/v1/runs")).status).toBe(200);
      t.advance(6);
      expect(codeOf((await t.bearer(k.secret, "GET", "/api/v1/runs")).body)).toBe("auth.key_invalid");
      const c = await t.key("contributor", ["runs:read"]);
      expect((await t.bearer(c.secret, "GET", "/api/v1/runs")).status).toBe(200);
      await t.identity.users.updateAccount(t.users.contributor.id, { active: false }, t.now());
      expect(codeOf((await t.bearer(c.secret, "GET", "/api/v1/runs")).body)).toBe("auth.key_invalid");
      await t.identity.users.updateAccount(t.users.contributor.id, { active: true }, t.now());
    });

    test("issue, use (once a minute) and revocation are audited without the secret", async () => {
      const k = await t.key("user", ["tools:read"], { label: "Audit" });
      for (let i = 0; i < 3; i++) await t.bearer(k.secret, "GET", "/api/v1/catalog/tools");
      const events = await t.identity.audit.list({ targetId: k.key.id });
      expect(events.map((e) => e.action)).toEqual(["api_key.created", "api_key.used"]);
      expect(events[1]!.after).toEqual({ prefix: k.key.prefix, method: "GET", path: "/api/v1/catalog/tools" });
      t.advance(1.5);
      await t.bearer(k.secret, "GET", "/api/v1/catalog/tools");
      const b = await t.loggedIn("user");
      await b.call("DELETE", `/api/v1/access/keys/${k.key.id}`, undefined);
      const all = await t.identity.audit.list({ targetId: k.key.id });
      expect(all.map((e) => e.action)).toEqual(["api_key.created", "api_key.used", "api_key.used", "api_key.revoked"]);
      expect(JSON.stringify(all)).not.toContain(k.secret.slice(13));
    });
  });
}
