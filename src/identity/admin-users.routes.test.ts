// HTTP scenarios of /api/v1/admin/users*, on every test store.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { createTestApp, emailOf, PASSWORDS, type Browser, type TestApp } from "./test-app";
import type { Role } from "./roles.rules";

const USERS = "/api/v1/admin/users";
const errorCode = (body: Record<string, unknown>) => (body.error as { code?: string } | undefined)?.code;

for (const kind of testStoreKinds()) {
  describe(`admin users API on ${kind}`, () => {
    let h: TestApp;
    let su: Browser;
    beforeAll(async () => {
      h = await createTestApp(kind);
      su = await h.loggedIn("superuser");
    });
    afterAll(async () => h?.close());

    describe("only superusers get in", () => {
      const routes = [
        ["GET", ""],
        ["GET", "/{user}"],
        ["PATCH", "/{user}"],
        ["POST", "/{user}/reset-password"],
        ["GET", "/{user}/login-events"],
      ] as const;
      const cases = (["anonymous", "user", "contributor", "admin"] as const).flatMap((who) => routes.map(([method, path]) => [who, method, path] as const));

      test.each(cases)("%s: %s %s → refused", async (who, method, path) => {
        const b = who === "anonymous" ? h.browser() : await h.loggedIn(who);
        const r = await b.call(method, USERS + path.replace("{user}", h.users.user), method === "PATCH" ? { role: "superuser" } : undefined);
        expect([r.status, errorCode(r.body)]).toEqual(who === "anonymous" ? [401, "auth.required"] : [403, "auth.forbidden"]);
      });

      test("nothing changed through the refused calls", async () => {
        expect((await h.deps.users.getById(h.users.user))?.role).toBe("user");
        expect(await h.deps.audit.list({ action: "user.role_changed" })).toEqual([]);
        expect(await h.deps.audit.list({ action: "user.password_reset" })).toEqual([]);
      });
    });

    describe("list and read", () => {
      test.each([
        ["everyone, e-mail order", "", ["admin", "contributor", "superuser", "user"], 4],
        ["search by name", "?q=CONTRIB", ["contributor"], 1],
        ["filter by role", "?role=admin", ["admin"], 1],
        ["paging", "?page=2&page_size=3", ["user"], 4],
        ["empty q is no filter", "?q=&page_size=2", ["admin", "contributor"], 4],
      ] as const)("%s", async (_name, query, roles, total) => {
        const r = await su.get(`${USERS}${query}`);
        expect(r.status).toBe(200);
        expect((r.body.items as { email: string }[]).map((u) => u.email)).toEqual(roles.map((x) => emailOf(x as Role)));
        expect(r.body.total).toBe(total);
      });

      test.each([
        ["page 0", "?page=0"],
        ["page size over 100", "?page_size=101"],
        ["unknown role", "?role=owner"],
      ])("bad query: %s → 422", async (_name, query) => {
        const r = await su.get(`${USERS}${query}`);
        expect([r.status, errorCode(r.body)]).toEqual([422, "validation.failed"]);
      });

      test("one user; unknown id → 404", async () => {
        const r = await su.get(`${USERS}/${h.users.contributor}`);
        expect(r.body.user).toMatchObject({ id: h.users.contributor, email: emailOf("contributor"), role: "contributor" });
        const missing = await su.get(`${USERS}/no-such-user`);
        expect([missing.status, errorCode(missing.body)]).toEqual([404, "not_found"]);
      });
    });

    describe("changing accounts", () => {
      test("role change is audited with before/after, actor and request id", async () => {
        const r = await su.patch(`${USERS}/${h.users.user}`, { role: "contributor" }, { headers: { "x-request-id": "req-role-change-1" } });
        expect([r.status, (r.body.user as { role: string }).role]).toEqual([200, "contributor"]);
        const [event] = await h.deps.audit.list({ action: "user.role_changed" });
        expect(event).toMatchObject({
          actorId: h.users.superuser,
          actorEmail: emailOf("superuser"),
          targetType: "user",
          targetId: h.users.user,
          before: { role: "user" },
          after: { role: "contributor" },
          requestId: "req-role-change-1",
        });
        await su.patch(`${USERS}/${h.users.user}`, { role: "user" });
      });

      test.each([
        ["demote yourself", { role: "admin" }],
        ["deactivate yourself", { active: false }],
      ])("%s → 409 users.self_change, nothing changes", async (_name, body) => {
        const r = await su.patch(`${USERS}/${h.users.superuser}`, body);
        expect([r.status, errorCode(r.body)]).toEqual([409, "users.self_change"]);
        expect(await h.deps.users.getById(h.users.superuser)).toMatchObject({ role: "superuser", active: true });
      });

      test("keeping your own role is not a change", async () => {
        const before = (await h.auditActions(h.users.superuser)).length;
        const r = await su.patch(`${USERS}/${h.users.superuser}`, { role: "superuser", active: true });
        expect(r.status).toBe(200);
        expect((await h.auditActions(h.users.superuser)).length).toBe(before);
      });

      test("deactivate ends the user's sessions and refuses login; activate lets them back", async () => {
        const victim = await h.loggedIn("admin");
        const live = (await h.deps.sessions.listActiveForUser(h.users.admin)).length;
        const off = await su.patch(`${USERS}/${h.users.admin}`, { active: false });
        expect((off.body.user as { active: boolean }).active).toBe(false);
        expect((await victim.get("/api/v1/auth/me")).status).toBe(401);
        const login = await h.browser().post("/api/v1/auth/login", { email: emailOf("admin"), password: PASSWORDS.admin });
        expect([login.status, errorCode(login.body)]).toEqual([403, "auth.account_inactive"]);
        const wrong = await h.browser().post("/api/v1/auth/login", { email: emailOf("admin"), password: "not-the-password" });
        expect(wrong.status).toBe(401); // the inactive state is only told to someone who knows the password
        await su.patch(`${USERS}/${h.users.admin}`, { active: true });
        expect((await h.browser().post("/api/v1/auth/login", { email: emailOf("admin"), password: PASSWORDS.admin })).status).toBe(200);
        const events = (await h.deps.audit.list({ targetId: h.users.admin })).filter((e) => e.action.startsWith("user."));
        expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
          ["user.created", null, { email: emailOf("admin"), role: "admin", active: true, email_verified: true }],
          ["user.deactivated", { active: true }, { active: false, sessions_revoked: live }],
          ["user.activated", { active: false }, { active: true }],
        ]);
      });

      test("admin password reset: a generated password shown once, sessions end, login works with it", async () => {
        const victim = await h.loggedIn("contributor");
        const live = (await h.deps.sessions.listActiveForUser(h.users.contributor)).length;
        const r = await su.post(`${USERS}/${h.users.contributor}/reset-password`);
        expect(r.status).toBe(200);
        const password = r.body.password as string;
        expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
        expect((await victim.get("/api/v1/auth/me")).status).toBe(401);
        expect(await h.deps.sessions.listActiveForUser(h.users.contributor)).toEqual([]);
        expect((await h.browser().post("/api/v1/auth/login", { email: emailOf("contributor"), password: PASSWORDS.contributor })).status).toBe(401);
        expect((await h.browser().post("/api/v1/auth/login", { email: emailOf("contributor"), password })).status).toBe(200);
        const [event] = await h.deps.audit.list({ action: "user.password_reset" });
        expect(event).toMatchObject({ actorId: h.users.superuser, targetId: h.users.contributor, after: { sessions_revoked: live } });
        expect(JSON.stringify(await h.deps.audit.list())).not.toContain(password);
        expect((await su.post(`${USERS}/no-such-user/reset-password`)).status).toBe(404);
      });

      test("a body that is not the schema → 422", async () => {
        const r = await su.patch(`${USERS}/${h.users.user}`, { role: "owner" });
        expect([r.status, errorCode(r.body)]).toEqual([422, "validation.failed"]);
      });
    });

    describe("login events", () => {
      test("newest first with outcome, ip and user agent, paged", async () => {
        const ua = { headers: { "user-agent": "Firefox/140" } };
        await h.browser().post("/api/v1/auth/login", { email: emailOf("user"), password: "wrong-password-1" }, ua);
        await h.browser().post("/api/v1/auth/login", { email: emailOf("user"), password: PASSWORDS.user }, ua);
        const r = await su.get(`${USERS}/${h.users.user}/login-events?page_size=2`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ page: 1, page_size: 2 });
        const items = r.body.items as Record<string, unknown>[];
        expect(items.map((e) => e.outcome)).toEqual(["success", "bad_password"]);
        expect(Object.keys(items[0]!).sort()).toEqual(["created_at", "id", "ip", "outcome", "user_agent"]);
        expect(items[0]).toMatchObject({ user_agent: "Firefox/140", ip: null });
        expect(r.body.total as number).toBeGreaterThanOrEqual(2);
        expect((await su.get(`${USERS}/no-such-user/login-events`)).status).toBe(404);
      });
    });
  });
}
