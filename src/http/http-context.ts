// The per-request context every route sees: request id, client ip, locale and the signed-in
// account, plus the `permission` and `rateLimit` route options. Every route declares
// `permission`; the route-permission test fails for a route without one.
import { Elysia } from "elysia";
import { timingSafeEqual } from "node:crypto";
import { checkPermission, type Permission, type Role } from "../identity/roles.rules";
import { HttpErrors, pickLocale, type Locale } from "./errors";
import { CSRF_COOKIE, readCookie, SESSION_COOKIE } from "./cookies";
import type { RateLimiter } from "./rate-limit";

export type AuthUser = { id: string; email: string; role: Role; locale: Locale | null };
export type AuthContext = { user: AuthUser; sessionId: string; csrfToken: string };

export type HttpContextDeps = {
  trustProxy: boolean;
  defaultLocale: Locale;
  /** Looks up a session cookie value; null when unknown, expired or revoked. */
  resolveSession(token: string, meta: { ip: string | null; userAgent: string | null }): Promise<AuthContext | null>;
  authRateLimiter: RateLimiter;
};

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const requestIds = new WeakMap<Request, string>();
// The macros below run in hooks whose context type does not carry `derive` results, so the
// derived context is also kept per request here.
const resolved = new WeakMap<Request, { auth: AuthContext | null; ip: string | null }>();

/** The request id of a request (also in error handlers, which run before derive on 404s). */
export function requestIdOf(request: Request): string {
  return requestIds.get(request) ?? "unknown";
}

function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function clientIp(request: Request, socketIp: string | null, trustProxy: boolean): string | null {
  if (trustProxy) {
    const fwd = request.headers.get("x-forwarded-for");
    const first = fwd?.split(",")[0]?.trim();
    if (first) return first;
  }
  return socketIp;
}

export function httpContext(deps: HttpContextDeps) {
  return new Elysia({ name: "http-context" })
    .onRequest(({ request, set }) => {
      const incoming = request.headers.get("x-request-id");
      const id = incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
      requestIds.set(request, id);
      set.headers["x-request-id"] = id;
    })
    .derive({ as: "global" }, async ({ request, server }) => {
      const ip = clientIp(request, server?.requestIP(request)?.address ?? null, deps.trustProxy);
      const userAgent = request.headers.get("user-agent");
      const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
      const auth = token ? await deps.resolveSession(token, { ip, userAgent }) : null;
      const locale = pickLocale(request.headers.get("accept-language"), auth?.user.locale ?? deps.defaultLocale);
      resolved.set(request, { auth, ip });
      return { requestId: requestIdOf(request), ip, userAgent, auth, locale };
    })
    .macro({
      /** Who may call the route; also enforces CSRF on mutating methods. */
      permission: (permission: Permission) => ({
        // Recorded as an OpenAPI security requirement: the docs show it and the route-permission test reads it.
        detail: { security: permission === "public" ? [] : [{ session: [permission] }] },
        // transform runs before body validation: an anonymous caller gets 401, not a schema error
        transform({ request }) {
          const auth = resolved.get(request)?.auth ?? null;
          const verdict = checkPermission(permission, auth?.user.role ?? null);
          if (verdict === "anonymous") throw HttpErrors.authRequired();
          if (verdict === "forbidden") throw HttpErrors.forbidden();
          if (MUTATING.has(request.method)) {
            const header = request.headers.get("x-csrf-token");
            const expected = auth ? auth.csrfToken : readCookie(request.headers.get("cookie"), CSRF_COOKIE);
            if (!sameToken(header, expected)) throw HttpErrors.csrf();
          }
        },
      }),
      /** Per-client-IP limit shared by the sensitive auth endpoints. */
      rateLimit: (enabled: boolean) => ({
        transform({ request, set }) {
          if (!enabled) return;
          const r = deps.authRateLimiter.hit(resolved.get(request)?.ip ?? "unknown");
          if (!r.ok) {
            set.headers["retry-after"] = String(r.retryAfterSeconds);
            throw HttpErrors.rateLimited({ retry_after_seconds: r.retryAfterSeconds });
          }
        },
      }),
    });
}

export type HttpContextPlugin = ReturnType<typeof httpContext>;
