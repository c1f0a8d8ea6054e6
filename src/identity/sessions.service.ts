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
import { rememberSession, SESSION_CACHE_TTL_MS } from "./session-cache";

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

/** The session lookup httpContext calls for every request carrying a session cookie. */
export function resolveSession(deps: IdentityDeps): HttpContextDeps["resolveSession"] {
  const cache = deps.sessionCache;
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
      rememberSession(cache, tokenHash, entry, generation);
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
