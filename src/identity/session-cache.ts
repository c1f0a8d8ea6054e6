// Resolved sessions, kept briefly in memory: every request with a session cookie resolves it, and the
// two queries were a third of the server's CPU under load. Writes through the repositories returned by
// `withSessionCacheInvalidation` (logout, revocation, password, role, deactivation, profile) drop the
// affected entries at once; changes made by another process (a second server, the CLI) are seen within
// SESSION_CACHE_TTL_MS at the latest.
import type { AuthContext } from "../http/http-context";
import type { SessionRecord, SessionsRepository } from "./sessions.repository";
import type { UsersRepository } from "./users.repository";

export const SESSION_CACHE_TTL_MS = 2_000;
const SESSION_CACHE_MAX_ENTRIES = 10_000;

export type CachedSession = { session: SessionRecord; user: AuthContext["user"]; until: number };

/** Resolved sessions by token hash, one per identity deps (per server, per test app). */
export type SessionCache = {
  byTokenHash: Map<string, CachedSession>;
  /** Bumped by every invalidation: a lookup that overlapped one does not store its (maybe stale) result. */
  generation: number;
};

export function createSessionCache(): SessionCache {
  return { byTokenHash: new Map(), generation: 0 };
}

/** Stores a lookup's result unless an invalidation happened since it started (`generation`). */
export function rememberSession(cache: SessionCache, tokenHash: string, entry: CachedSession, startedAtGeneration: number): void {
  if (startedAtGeneration !== cache.generation) return;
  if (cache.byTokenHash.size >= SESSION_CACHE_MAX_ENTRIES) cache.byTokenHash.clear();
  cache.byTokenHash.set(tokenHash, entry);
}

function forget(cache: SessionCache, match: (entry: CachedSession) => boolean): void {
  cache.generation++;
  for (const [key, entry] of cache.byTokenHash) if (match(entry)) cache.byTokenHash.delete(key);
}

/**
 * The repositories with every method that ends sessions or changes what a session carries (role,
 * active, locale, password) dropping the cached entries before and after the write, so no caller can
 * forget to (a lookup running meanwhile cannot put a stale entry back: see `generation`).
 */
export function withSessionCacheInvalidation(
  repos: { sessions: SessionsRepository; users: UsersRepository },
  cache: SessionCache,
): { sessions: SessionsRepository; users: UsersRepository } {
  const { sessions, users } = repos;
  const bySession = (id: string) => forget(cache, (e) => e.session.id === id);
  const byUser = (id: string) => forget(cache, (e) => e.user.id === id);
  const around = async <T>(drop: () => void, write: () => Promise<T>): Promise<T> => {
    drop();
    try {
      return await write();
    } finally {
      drop();
    }
  };
  return {
    sessions: {
      ...sessions,
      revoke: (id, now) => around(() => bySession(id), () => sessions.revoke(id, now)),
      revokeAllForUser: (userId, now, except) => around(() => byUser(userId), () => sessions.revokeAllForUser(userId, now, except)),
    },
    users: {
      ...users,
      updateAccount: (id, patch, now) => around(() => byUser(id), () => users.updateAccount(id, patch, now)),
      setPassword: (id, hash, now) => around(() => byUser(id), () => users.setPassword(id, hash, now)),
      updateProfile: (id, patch, now) => around(() => byUser(id), () => users.updateProfile(id, patch, now)),
    },
  };
}
