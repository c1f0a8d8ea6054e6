// Browser sessions: started at login, looked up on every request (through httpContext), ended by
// logout, password changes and deactivation. The cookie holds 32 random bytes; the database only
// their SHA-256, so a leaked backup logs nobody in.
import type { AuthContext, HttpContextDeps } from "../http/http-context";
import { HttpErrors, type Locale } from "../http/errors";
import type { RequestMeta } from "../audit/audit.service";
import type { IdentityDeps } from "./identity.deps";
import { randomToken, sha256Hex } from "./identity.crypto";
import { checkSession, sessionExpiresAt, shouldTouchSession, type SessionPolicy } from "./identity.rules";
import type { SessionRecord } from "./sessions.repository";

export function sessionPolicy(deps: Pick<IdentityDeps, "config">): SessionPolicy {
  return { idleMinutes: deps.config.server.session_idle_minutes, absoluteHours: deps.config.server.session_absolute_hours };
}

export type StartedSession = { session: SessionRecord; token: string; csrfToken: string; maxAgeSeconds: number };

export async function startSession(deps: IdentityDeps, userId: string, meta: { ip: string | null; userAgent: string | null }): Promise<StartedSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = deps.now();
  const policy = sessionPolicy(deps);
  const session = await deps.sessions.create({
    tokenHash: sha256Hex(token),
    userId,
    csrfToken,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    createdAt: now,
    expiresAt: sessionExpiresAt(now, policy),
  });
  return { session, token, csrfToken, maxAgeSeconds: policy.absoluteHours * 3600 };
}

// A cookie value of ours is 43 characters; anything much longer is not worth hashing.
const MAX_TOKEN_LENGTH = 128;

/**
 * How long a resolved session is reused without asking the store. Every request with a cookie
 * resolves it, and the two queries were a third of the server's CPU under load. Changes made in THIS
 * process (logout, revocation, password, role, deactivation, profile) drop the entries at once
 * (invalidateOnChanges); changes made by another process (a second server, the CLI) are seen within
 * this time at the latest.
 */
export const SESSION_CACHE_TTL_MS = 2_000;
const SESSION_CACHE_MAX_ENTRIES = 10_000;

type CachedSession = { session: SessionRecord; user: AuthContext["user"]; until: number };

/** Resolved sessions by token hash, one cache per sessions repository (per server, per test app). */
type SessionCache = {
  byTokenHash: Map<string, CachedSession>;
  /** Bumped by every invalidation: a lookup that overlapped one does not store its (maybe stale) result. */
  generation: number;
};

const sessionCaches = new WeakMap<IdentityDeps["sessions"], SessionCache>();

function sessionCacheFor(deps: IdentityDeps): SessionCache {
  let cache = sessionCaches.get(deps.sessions);
  if (!cache) {
    cache = { byTokenHash: new Map(), generation: 0 };
    sessionCaches.set(deps.sessions, cache);
    invalidateOnChanges(deps, cache);
  }
  return cache;
}

function forget(cache: SessionCache, match: (entry: CachedSession) => boolean): void {
  cache.generation++;
  for (const [key, entry] of cache.byTokenHash) if (match(entry)) cache.byTokenHash.delete(key);
}

/**
 * Wraps the repository methods that end sessions or change what a session carries (role, active,
 * locale, password), so every caller — whichever service — drops the cached entries, before and after
 * the write (a lookup running meanwhile cannot put a stale one back: see `generation`).
 */
function invalidateOnChanges(deps: IdentityDeps, cache: SessionCache): void {
  const sessions = deps.sessions;
  const users = deps.users;
  const { revoke, revokeAllForUser } = sessions;
  const { updateAccount, setPassword, updateProfile } = users;
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
  sessions.revoke = (id, now) => around(() => bySession(id), () => revoke.call(sessions, id, now));
  sessions.revokeAllForUser = (userId, now, except) => around(() => byUser(userId), () => revokeAllForUser.call(sessions, userId, now, except));
  users.updateAccount = (id, patch, now) => around(() => byUser(id), () => updateAccount.call(users, id, patch, now));
  users.setPassword = (id, hash, now) => around(() => byUser(id), () => setPassword.call(users, id, hash, now));
  users.updateProfile = (id, patch, now) => around(() => byUser(id), () => updateProfile.call(users, id, patch, now));
}

/** The session lookup httpContext calls for every request carrying a session cookie. */
export function resolveSession(deps: IdentityDeps): HttpContextDeps["resolveSession"] {
  const cache = sessionCacheFor(deps);
  return async function resolveSessionCookie(token): Promise<AuthContext | null> {
    if (token.length > MAX_TOKEN_LENGTH) return null;
    const tokenHash = sha256Hex(token);
    const now = deps.now();
    const policy = sessionPolicy(deps);
    let entry = cache.byTokenHash.get(tokenHash);
    if (entry && entry.until <= performance.now()) {
      cache.byTokenHash.delete(tokenHash);
      entry = undefined;
    }
    if (!entry) {
      const generation = cache.generation;
      const session = await deps.sessions.findByTokenHash(tokenHash);
      if (!session) return null;
      const user = await deps.users.getById(session.userId);
      // Deactivation revokes sessions; checking `active` as well closes any gap between the two.
      if (!user || !user.active) return null;
      entry = { session, user: { id: user.id, email: user.email, role: user.role, locale: user.locale }, until: performance.now() + SESSION_CACHE_TTL_MS };
      if (generation === cache.generation) {
        if (cache.byTokenHash.size >= SESSION_CACHE_MAX_ENTRIES) cache.byTokenHash.clear();
        cache.byTokenHash.set(tokenHash, entry);
      }
    }
    // expiry is checked on every request, cached or not (the clock moves; tests move it too)
    if (checkSession(entry.session, policy, now) !== "valid") {
      cache.byTokenHash.delete(tokenHash);
      return null;
    }
    if (shouldTouchSession(entry.session.lastSeenAt, now)) {
      await deps.sessions.touch(entry.session.id, now);
      entry.session = { ...entry.session, lastSeenAt: now };
    }
    return { user: entry.user, sessionId: entry.session.id, csrfToken: entry.session.csrfToken };
  };
}

export async function endSession(deps: IdentityDeps, sessionId: string): Promise<void> {
  await deps.sessions.revoke(sessionId, deps.now());
}

/** For handlers behind `permission: "user"` (or higher): the context type still allows null. */
export function requireAuth(auth: AuthContext | null): AuthContext {
  if (!auth) throw HttpErrors.authRequired();
  return auth;
}

/** The request facts services record, from the httpContext fields of a handler. */
export function requestMeta(c: { ip: string | null; userAgent: string | null; requestId: string; locale: Locale }): RequestMeta & { locale: Locale } {
  return { ip: c.ip, userAgent: c.userAgent, requestId: c.requestId, locale: c.locale };
}
