// The session cache's invalidation, against real SQLite repositories: a change through the wrapped
// repositories drops the entries it affects, and a lookup that overlapped a change stores nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityRepositories } from "./identity.deps";
import { createSessionCache, rememberSession, withSessionCacheInvalidation, type CachedSession, type SessionCache } from "./session-cache";

let store: Store;
beforeAll(async () => {
  store = await openTestStore("sqlite");
});
afterAll(() => store?.close());

const NOW = new Date("2026-11-23T10:00:00Z");

async function setUp() {
  const cache = createSessionCache();
  const base = createIdentityRepositories(store);
  const repos = withSessionCacheInvalidation(base, cache);
  const user = (await base.users.create({
    email: `${crypto.randomUUID()}@skola.se`,
    passwordHash: "x",
    role: "user",
    active: true,
    emailVerified: true,
    firstName: "Anna",
    lastName: "Andersson",
    locale: null,
    now: NOW,
  }))!;
  const session = async () =>
    base.sessions.create({ tokenHash: crypto.randomUUID(), userId: user.id, csrfToken: "c", ip: null, userAgent: null, createdAt: NOW, expiresAt: new Date(NOW.getTime() + 3_600_000) });
  const entryFor = (s: Awaited<ReturnType<typeof session>>): CachedSession => ({ session: s, user: { id: user.id, email: user.email, role: "user", locale: null }, until: Number.MAX_SAFE_INTEGER });
  return { cache, repos, user, session, entryFor };
}

const cached = (cache: SessionCache) => [...cache.byTokenHash.keys()].sort();

describe("session cache", () => {
  test("revoking one session drops only that session's entry", async () => {
    const { cache, repos, session, entryFor } = await setUp();
    const [a, b] = [await session(), await session()];
    rememberSession(cache, "a", entryFor(a), cache.generation);
    rememberSession(cache, "b", entryFor(b), cache.generation);
    await repos.sessions.revoke(a.id, NOW);
    expect(cached(cache)).toEqual(["b"]);
  });

  test("a role change, a password change or a profile change drops every entry of that user", async () => {
    const { cache, repos, user, session, entryFor } = await setUp();
    for (const change of [
      () => repos.users.updateAccount(user.id, { role: "contributor" }, NOW),
      () => repos.users.setPassword(user.id, "y", NOW),
      () => repos.users.updateProfile(user.id, { locale: "en" }, NOW),
      () => repos.sessions.revokeAllForUser(user.id, NOW),
    ]) {
      const s = await session();
      rememberSession(cache, "x", entryFor(s), cache.generation);
      await change();
      expect(cached(cache)).toEqual([]);
    }
  });

  test("a lookup that started before a change does not store its possibly stale result", async () => {
    const { cache, repos, user, session, entryFor } = await setUp();
    const s = await session();
    const started = cache.generation;
    await repos.users.updateAccount(user.id, { active: false }, NOW);
    rememberSession(cache, "late", entryFor(s), started);
    expect(cached(cache)).toEqual([]);
  });
});
