import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createAuditRepository, type AuditRepository } from "./audit.repository";
import { findSecret, recordAudit } from "./audit.service";
import { AUDIT_ACTIONS, isAuditAction } from "./audit.actions";

test("the action list names every action once", () => {
  expect(AUDIT_ACTIONS).toContain("user.role_changed");
  expect(AUDIT_ACTIONS).toContain("auth.password_reset_completed");
  expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  expect(isAuditAction("profile.updated")).toBe(true);
  expect(isAuditAction("user.deleted")).toBe(false);
  expect(isAuditAction("toString")).toBe(false);
});

test.each([
  [{ role: "admin" }, null],
  [{ sessions_revoked: 2 }, null],
  [{ password: "x" }, "/password"],
  [{ new_password: "x" }, "/new_password"],
  [{ passwordHash: "x" }, "/passwordHash"],
  [{ nested: { token: "x" } }, "/nested/token"],
  [{ list: [{ csrf_token: "x" }] }, "/list/0/csrf_token"],
  [{ note: "$argon2id$v=19$m=19456,t=2,p=1$abc" }, "/note"],
  [{ api_key: "k" }, "/api_key"],
])("findSecret(%j) → %p", (value, path) => {
  expect(findSecret(value)).toBe(path);
});

for (const kind of testStoreKinds()) {
  describe(`recordAudit on ${kind}`, () => {
    let store: Store;
    let audit: AuditRepository;
    const now = () => new Date("2026-03-01T10:00:00.000Z");
    beforeAll(async () => {
      store = await openTestStore(kind);
      audit = createAuditRepository(store);
    });
    afterAll(async () => store?.close());

    test("maps actors and request facts to columns", async () => {
      const meta = { ip: "10.1.1.1", userAgent: "ua", requestId: "r-1" };
      await recordAudit({ audit, now }, { ...meta, actor: { kind: "user", id: "u1", email: "a@skola.se" }, action: "user.role_changed", target: { type: "user", id: "u2" }, before: { role: "user" }, after: { role: "admin" } });
      await recordAudit({ audit, now }, { actor: { kind: "cli" }, action: "user.created", target: { type: "user", id: "u3" }, before: null, after: { email: "b@skola.se", role: "user", active: true, email_verified: true } });
      await recordAudit({ audit, now }, { actor: { kind: "anonymous" }, action: "auth.password_reset_requested", target: { type: "user", id: "u3" }, before: null, after: null });
      const rows = await audit.list();
      expect(rows.map((r) => [r.actorId, r.actorEmail, r.action, r.targetId])).toEqual([
        ["u1", "a@skola.se", "user.role_changed", "u2"],
        ["cli", null, "user.created", "u3"],
        [null, null, "auth.password_reset_requested", "u3"],
      ]);
      expect(rows[0]).toMatchObject({ ip: "10.1.1.1", userAgent: "ua", requestId: "r-1", targetType: "user", createdAt: now() });
      expect(rows[1]).toMatchObject({ ip: null, userAgent: null, requestId: null });
    });

    test("refuses a payload that carries a secret and writes nothing", async () => {
      const before = (await audit.list()).length;
      // A payload smuggled past the types, as a careless caller could with a cast.
      const after = { sessions_revoked: 1, password: "hunter2hunter2" } as unknown as { sessions_revoked: number };
      await expect(recordAudit({ audit, now }, { actor: { kind: "cli" }, action: "user.password_reset", target: { type: "user", id: "u3" }, before: null, after })).rejects.toThrow(/secret at \/after\/password/);
      expect((await audit.list()).length).toBe(before);
    });
  });
}
