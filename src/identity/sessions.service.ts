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

/** The session lookup httpContext calls for every request carrying a session cookie. */
export function resolveSession(deps: IdentityDeps): HttpContextDeps["resolveSession"] {
  return async function resolveSessionCookie(token): Promise<AuthContext | null> {
    if (token.length > MAX_TOKEN_LENGTH) return null;
    const session = await deps.sessions.findByTokenHash(sha256Hex(token));
    if (!session) return null;
    const now = deps.now();
    if (checkSession(session, sessionPolicy(deps), now) !== "valid") return null;
    const user = await deps.users.getById(session.userId);
    // Deactivation revokes sessions; checking `active` as well closes any gap between the two.
    if (!user || !user.active) return null;
    if (shouldTouchSession(session.lastSeenAt, now)) await deps.sessions.touch(session.id, now);
    return {
      user: { id: user.id, email: user.email, role: user.role, locale: user.locale },
      sessionId: session.id,
      csrfToken: session.csrfToken,
    };
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
