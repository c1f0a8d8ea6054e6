// One suite, every identity and audit repository method, on SQLite and (when configured) PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityRepositories, type IdentityRepositories } from "./identity.deps";
import type { NewUser } from "./users.repository";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function newUser(email: string, over: Partial<NewUser> = {}): NewUser {
  return {
    email,
    passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$fake",
    role: "user",
    active: true,
    emailVerified: false,
    firstName: "",
    lastName: "",
    locale: null,
    now: T0,
    ...over,
  };
}

for (const kind of testStoreKinds()) {
  describe(`identity repositories on ${kind}`, () => {
    let store: Store;
    let r: IdentityRepositories;
    beforeAll(async () => {
      store = await openTestStore(kind);
      r = createIdentityRepositories(store);
    });
    afterAll(async () => store?.close());

    const create = async (email: string, over: Partial<NewUser> = {}) => {
      const u = await r.users.create(newUser(email, over));
      if (!u) throw new Error(`could not create ${email}`);
      return u;
    };

    describe("users", () => {
      test("create stores a normalized e-mail, the profile and timestamps", async () => {
        const u = await create("  Anna.Svensson@Skola.SE", { firstName: "Anna", lastName: "Svensson", locale: "en", role: "contributor" });
        expect(u).toMatchObject({
          email: "anna.svensson@skola.se",
          role: "contributor",
          active: true,
          emailVerified: false,
          failedLoginCount: 0,
          lockedUntil: null,
          lastLoginAt: null,
          firstName: "Anna",
          lastName: "Svensson",
          locale: "en",
        });
        expect(u.createdAt).toEqual(T0);
        expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
      });

      test("create returns null for a taken e-mail, in any case", async () => {
        expect(await r.users.create(newUser("ANNA.svensson@skola.se"))).toBeNull();
      });

      test("getById and findByEmail (case-insensitive); unknown → null", async () => {
        const byEmail = await r.users.findByEmail("Anna.Svensson@SKOLA.se");
        expect(byEmail?.firstName).toBe("Anna");
        expect((await r.users.getById(byEmail!.id))?.email).toBe("anna.svensson@skola.se");
        expect(await r.users.findByEmail("nobody@skola.se")).toBeNull();
        expect(await r.users.getById("no-such-id")).toBeNull();
      });

      test("list: search by e-mail, first, last and full name; role filter; paging with total", async () => {
        await create("bo.ek@skola.se", { firstName: "Bo", lastName: "Ek", role: "admin" });
        await create("cecilia@kommun.se", { firstName: "Cecilia", lastName: "Lind" });
        await create("percent@skola.se", { firstName: "Hundra%", lastName: "Procent_" });
        const emails = async (f: Parameters<typeof r.users.list>[0]) => (await r.users.list(f)).items.map((u) => u.email);
        expect(await emails({ limit: 10, offset: 0 })).toEqual(["anna.svensson@skola.se", "bo.ek@skola.se", "cecilia@kommun.se", "percent@skola.se"]);
        expect(await emails({ q: "KOMMUN", limit: 10, offset: 0 })).toEqual(["cecilia@kommun.se"]);
        expect(await emails({ q: "lind", limit: 10, offset: 0 })).toEqual(["cecilia@kommun.se"]);
        expect(await emails({ q: "bo ek", limit: 10, offset: 0 })).toEqual(["bo.ek@skola.se"]);
        expect(await emails({ q: "%", limit: 10, offset: 0 })).toEqual(["percent@skola.se"]);
        expect(await emails({ q: "_", limit: 10, offset: 0 })).toEqual(["percent@skola.se"]);
        expect(await emails({ role: "admin", limit: 10, offset: 0 })).toEqual(["bo.ek@skola.se"]);
        expect(await emails({ q: "skola", role: "user", limit: 10, offset: 0 })).toEqual(["percent@skola.se"]);
        const page2 = await r.users.list({ limit: 2, offset: 2 });
        expect(page2.total).toBe(4);
        expect(page2.items.map((u) => u.email)).toEqual(["cecilia@kommun.se", "percent@skola.se"]);
        expect((await r.users.list({ q: "skola", limit: 1, offset: 0 })).total).toBe(3);
      });

      test("updateAccount changes only what is given; unknown id → null", async () => {
        const u = await create("upd@skola.se");
        const changed = await r.users.updateAccount(u.id, { role: "superuser", emailVerified: true }, at(5));
        expect(changed).toMatchObject({ role: "superuser", emailVerified: true, active: true });
        expect(changed?.updatedAt).toEqual(at(5));
        expect((await r.users.updateAccount(u.id, { active: false }, at(6)))?.role).toBe("superuser");
        expect((await r.users.getById(u.id))?.active).toBe(false);
        expect(await r.users.updateAccount("missing", { active: true }, at(7))).toBeNull();
      });

      test("failed logins count atomically; lockUntil restarts the count; success clears everything", async () => {
        const u = await create("lock@skola.se");
        const counts = await Promise.all([1, 2, 3].map(() => r.users.incrementFailedLogins(u.id, at(1))));
        expect(counts.sort()).toEqual([1, 2, 3]);
        await r.users.lockUntil(u.id, at(15), at(1));
        expect(await r.users.getById(u.id)).toMatchObject({ failedLoginCount: 0, lockedUntil: at(15) });
        expect(await r.users.incrementFailedLogins(u.id, at(2))).toBe(1);
        await r.users.recordSuccessfulLogin(u.id, at(20));
        expect(await r.users.getById(u.id)).toMatchObject({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: at(20) });
      });

      test("setPassword replaces the hash and lifts a lock", async () => {
        const u = await create("pw@skola.se");
        await r.users.incrementFailedLogins(u.id, at(1));
        await r.users.lockUntil(u.id, at(15), at(1));
        await r.users.setPassword(u.id, "$argon2id$new", at(2));
        expect(await r.users.getById(u.id)).toMatchObject({ passwordHash: "$argon2id$new", failedLoginCount: 0, lockedUntil: null, updatedAt: at(2) });
      });

      test("updateProfile changes only the given fields, locale may be cleared", async () => {
        const u = await create("prof@skola.se", { firstName: "Old", lastName: "Name", locale: "sv" });
        expect(await r.users.updateProfile(u.id, { firstName: "Åsa" }, at(3))).toMatchObject({ firstName: "Åsa", lastName: "Name", locale: "sv" });
        expect(await r.users.updateProfile(u.id, { locale: null, lastName: "Öberg" }, at(4))).toMatchObject({ firstName: "Åsa", lastName: "Öberg", locale: null });
        expect(await r.users.updateProfile("missing", { firstName: "x" }, at(4))).toBeNull();
      });
    });

    describe("sessions", () => {
      const session = (userId: string, tokenHash: string, createdAt = T0) => ({
        tokenHash,
        userId,
        csrfToken: `csrf-${tokenHash}`,
        ip: "10.0.0.1",
        userAgent: "test-agent",
        createdAt,
        expiresAt: at(60 * 24),
      });

      test("create and findByTokenHash round-trip; lastSeen starts at creation", async () => {
        const u = await create("sess@skola.se");
        const s = await r.sessions.create(session(u.id, "h1"));
        const found = await r.sessions.findByTokenHash("h1");
        expect(found).toEqual(s);
        expect(found).toMatchObject({ userId: u.id, csrfToken: "csrf-h1", lastSeenAt: T0, revokedAt: null, ip: "10.0.0.1", userAgent: "test-agent" });
        expect(await r.sessions.findByTokenHash("nope")).toBeNull();
      });

      test("touch moves lastSeenAt; revoke marks once (a second revoke keeps the first time)", async () => {
        const s = (await r.sessions.findByTokenHash("h1"))!;
        await r.sessions.touch(s.id, at(3));
        expect((await r.sessions.findByTokenHash("h1"))?.lastSeenAt).toEqual(at(3));
        await r.sessions.revoke(s.id, at(4));
        await r.sessions.revoke(s.id, at(9));
        expect((await r.sessions.findByTokenHash("h1"))?.revokedAt).toEqual(at(4));
      });

      test("revokeAllForUser spares the excepted session and other users; listActiveForUser shows the live ones", async () => {
        const u = await create("many@skola.se");
        const other = await create("other@skola.se");
        const a = await r.sessions.create(session(u.id, "m1", at(1)));
        await r.sessions.create(session(u.id, "m2", at(2)));
        const c = await r.sessions.create(session(u.id, "m3", at(3)));
        const o = await r.sessions.create(session(other.id, "o1"));
        expect((await r.sessions.listActiveForUser(u.id)).map((s) => s.tokenHash)).toEqual(["m3", "m2", "m1"]);
        expect(await r.sessions.revokeAllForUser(u.id, at(10), c.id)).toBe(2);
        expect((await r.sessions.listActiveForUser(u.id)).map((s) => s.id)).toEqual([c.id]);
        expect((await r.sessions.findByTokenHash("m1"))?.revokedAt).toEqual(at(10));
        expect(await r.sessions.revokeAllForUser(u.id, at(11))).toBe(1);
        expect(await r.sessions.listActiveForUser(u.id)).toEqual([]);
        expect((await r.sessions.findByTokenHash(a.tokenHash))?.revokedAt).toEqual(at(10));
        expect((await r.sessions.listActiveForUser(other.id)).map((s) => s.id)).toEqual([o.id]);
      });
    });

    describe("login events", () => {
      test("record and list newest first with paging; events of unknown users have no user", async () => {
        const u = await create("events@skola.se");
        for (const [i, outcome] of (["bad_password", "bad_password", "success"] as const).entries()) {
          await r.loginEvents.record({ userId: u.id, email: u.email, outcome, ip: "10.0.0.2", userAgent: "ua", createdAt: at(i) });
        }
        const unknown = await r.loginEvents.record({ userId: null, email: "ghost@skola.se", outcome: "unknown_user", ip: null, userAgent: null, createdAt: at(9) });
        expect(unknown.userId).toBeNull();
        const first = await r.loginEvents.listForUser(u.id, { limit: 2, offset: 0 });
        expect(first.total).toBe(3);
        expect(first.items.map((e) => e.outcome)).toEqual(["success", "bad_password"]);
        expect(first.items[0]).toMatchObject({ email: "events@skola.se", ip: "10.0.0.2", userAgent: "ua", createdAt: at(2) });
        const second = await r.loginEvents.listForUser(u.id, { limit: 2, offset: 2 });
        expect(second.items.map((e) => e.createdAt)).toEqual([at(0)]);
      });
    });

    describe("email tokens", () => {
      test("a valid token is found, consumed once, then gone", async () => {
        const u = await create("tok@skola.se");
        await r.emailTokens.create({ tokenHash: "t1", userId: u.id, purpose: "verify_email", expiresAt: at(60), now: T0 });
        expect((await r.emailTokens.findValid("t1", "verify_email", at(1)))?.userId).toBe(u.id);
        expect(await r.emailTokens.findValid("t1", "reset_password", at(1))).toBeNull();
        expect(await r.emailTokens.consume("t1", "reset_password", at(1))).toBeNull();
        const results = await Promise.all([r.emailTokens.consume("t1", "verify_email", at(1)), r.emailTokens.consume("t1", "verify_email", at(1))]);
        expect(results.filter((x) => x !== null)).toEqual([{ userId: u.id }]);
        expect(await r.emailTokens.findValid("t1", "verify_email", at(2))).toBeNull();
      });

      test("an expired token cannot be used", async () => {
        const u = (await r.users.findByEmail("tok@skola.se"))!;
        await r.emailTokens.create({ tokenHash: "t2", userId: u.id, purpose: "reset_password", expiresAt: at(60), now: T0 });
        expect(await r.emailTokens.findValid("t2", "reset_password", at(60))).toBeNull();
        expect(await r.emailTokens.consume("t2", "reset_password", at(61))).toBeNull();
      });

      test("a new token invalidates older unused ones of the same purpose only", async () => {
        const u = await create("newer@skola.se");
        await r.emailTokens.create({ tokenHash: "old", userId: u.id, purpose: "reset_password", expiresAt: at(60), now: T0 });
        await r.emailTokens.create({ tokenHash: "verify", userId: u.id, purpose: "verify_email", expiresAt: at(60), now: T0 });
        const fresh = await r.emailTokens.create({ tokenHash: "new", userId: u.id, purpose: "reset_password", expiresAt: at(61), now: at(1) });
        expect(fresh).toMatchObject({ userId: u.id, purpose: "reset_password", createdAt: at(1), usedAt: null });
        expect(await r.emailTokens.consume("old", "reset_password", at(2))).toBeNull();
        expect(await r.emailTokens.consume("verify", "verify_email", at(2))).toEqual({ userId: u.id });
        expect(await r.emailTokens.consume("new", "reset_password", at(2))).toEqual({ userId: u.id });
      });
    });

    describe("audit events", () => {
      test("append keeps JSON payloads and request facts; list filters and keeps order", async () => {
        const u = await create("audited@skola.se");
        const base = { actorEmail: null, ip: "10.0.0.3", userAgent: "ua", requestId: "req-1", targetType: "user", targetId: u.id };
        const first = await r.audit.append({ ...base, actorId: "cli", action: "user.created", before: null, after: { email: u.email, role: "user", nested: { n: 1, list: ["å"] } }, createdAt: at(1) });
        await r.audit.append({ ...base, actorId: u.id, actorEmail: u.email, action: "user.role_changed", before: { role: "user" }, after: { role: "admin" }, createdAt: at(1) });
        await r.audit.append({ ...base, targetId: "someone-else", actorId: null, action: "auth.login_failed", before: null, after: { email: "x@y.se", outcome: "unknown_user" }, createdAt: at(2) });
        const all = await r.audit.list({ targetId: u.id });
        expect(all.map((e) => e.action)).toEqual(["user.created", "user.role_changed"]);
        expect(all[0]).toEqual(first);
        expect(all[0]).toMatchObject({ actorId: "cli", after: { email: u.email, nested: { n: 1, list: ["å"] } }, before: null, ip: "10.0.0.3", requestId: "req-1", createdAt: at(1) });
        expect(all[1]).toMatchObject({ before: { role: "user" }, after: { role: "admin" } });
        expect((await r.audit.list({ action: "auth.login_failed" })).map((e) => e.targetId)).toEqual(["someone-else"]);
        expect((await r.audit.list({ actorId: u.id })).map((e) => e.action)).toEqual(["user.role_changed"]);
        expect((await r.audit.list({ targetType: "user", limit: 1 })).length).toBe(1);
      });

      test("the repository offers no way to change or remove events", () => {
        expect(Object.keys(r.audit).sort()).toEqual(["append", "list"]);
      });
    });
  });
}
