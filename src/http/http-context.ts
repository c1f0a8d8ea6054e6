// The per-request context every route sees: request id, client ip, locale and the signed-in
// account, plus the `permission` and `rateLimit` route options. Every route declares
// `permission`; the route-permission test fails for a route without one.
import { Elysia, type DocumentDecoration } from "elysia";
import { timingSafeEqual } from "node:crypto";
import { checkPermission, type Permission, type Role } from "../identity/roles.rules";
import { keyPassesRoute, type RouteScope } from "../access/scopes.rules";
import { HttpErrors, pickLocale, type Locale } from "./errors";
import { CSRF_COOKIE, readCookie, SESSION_COOKIE } from "./cookies";
import type { RateLimiter } from "./rate-limit";

export type AuthUser = { id: string; email: string; role: Role; locale: Locale | null };
/** A request authenticated with `Authorization: Bearer`: an API key or a device-flow token. */
export type KeyAuth = { kind: "api_key" | "device_token"; id: string; scopes: string[]; expiresAt: Date | null };
/** For key requests sessionId and csrfToken are "" (no session exists); `key` says which key. */
export type AuthContext = { user: AuthUser; sessionId: string; csrfToken: string; key?: KeyAuth };

/** What the bearer lookup gets to know about the request (for the key's "used" audit event). */
export type BearerMeta = { ip: string | null; userAgent: string | null; requestId: string; method: string; path: string };

export type HttpContextDeps = {
  trustProxy: boolean;
  defaultLocale: Locale;
  /** Looks up a session cookie value; null when unknown, expired or revoked. */
  resolveSession(token: string, meta: { ip: string | null; userAgent: string | null }): Promise<AuthContext | null>;
  authRateLimiter: RateLimiter;
  /** Looks up an `Authorization: Bearer` value; null when unknown, malformed, revoked or expired. */
  resolveBearer?(token: string, meta: BearerMeta): Promise<AuthContext | null>;
  /** Called after a key request's handler (webhooks remember the runs a key submitted). */
  afterKeyRequest?(auth: AuthContext, request: Request, status: number, response: unknown): Promise<void>;
};

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const requestIds = new WeakMap<Request, string>();
// The macros below run in hooks whose context type does not carry `derive` results, so the
// derived context is also kept per request here.
// `bearer`: "none" without an Authorization header, "invalid" when one was sent but refused.
const resolved = new WeakMap<Request, { auth: AuthContext | null; ip: string | null; bearer: "none" | "valid" | "invalid" }>();

/** The request id of a request (also in error handlers, which run before derive on 404s). */
export function requestIdOf(request: Request): string {
  return requestIds.get(request) ?? "unknown";
}

function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The token of `Authorization: Bearer <token>`, else null. */
export function bearerToken(header: string | null): string | null {
  const m = header ? /^Bearer\s+(\S{1,4096})\s*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

/** The scope a route declared with the `scope` option (kept in its OpenAPI detail as `x-scope`). */
export function declaredScope(detail: unknown): RouteScope | undefined {
  const value = (detail as { "x-scope"?: unknown } | undefined)?.["x-scope"];
  return typeof value === "string" ? (value as RouteScope) : undefined;
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
      // A bearer token decides alone: cookies never add to (or unlock) a key request.
      const bearer = bearerToken(request.headers.get("authorization"));
      let auth: AuthContext | null;
      if (bearer !== null) auth = deps.resolveBearer ? await deps.resolveBearer(bearer, { ip, userAgent, requestId: requestIdOf(request), method: request.method, path: new URL(request.url).pathname }) : null;
      else {
        const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
        auth = token ? await deps.resolveSession(token, { ip, userAgent }) : null;
      }
      const locale = pickLocale(request.headers.get("accept-language"), auth?.user.locale ?? deps.defaultLocale);
      resolved.set(request, { auth, ip, bearer: bearer === null ? "none" : auth ? "valid" : "invalid" });
      return { requestId: requestIdOf(request), ip, userAgent, auth, locale };
    })
    .onAfterHandle({ as: "global" }, async ({ request, set, response }) => {
      const auth = resolved.get(request)?.auth;
      if (auth?.key && deps.afterKeyRequest) await deps.afterKeyRequest(auth, request, typeof set.status === "number" ? set.status : 200, response);
    })
    .macro({
      /** Who may call the route; also enforces CSRF on mutating methods. */
      permission: (permission: Permission) => {
        // The route's own hook object, captured at registration: at request time its detail also
        // carries the `scope` option, whichever of the two options the route wrote first.
        let routeHook: unknown = {};
        return {
          // Recorded as an OpenAPI security requirement: the docs show it and the route-permission test reads it.
          detail: { security: permission === "public" ? [] : [{ session: [permission] }] },
          introspect(hook) {
            routeHook = hook;
          },
          // transform runs before body validation: an anonymous caller gets 401, not a schema error
          transform({ request }) {
            const state = resolved.get(request);
            const auth = state?.auth ?? null;
            const scope = declaredScope((routeHook as { detail?: unknown }).detail);
            if (permission !== "public" && state?.bearer === "invalid") throw HttpErrors.keyInvalid();
            const verdict = checkPermission(permission, auth?.user.role ?? null);
            if (verdict === "anonymous") throw HttpErrors.authRequired();
            if (verdict === "forbidden") throw HttpErrors.forbidden();
            if (permission !== "public" && auth?.key) {
              if (!keyPassesRoute(scope, auth.key.scopes)) throw HttpErrors.scopeMissing({ required: scope ?? null });
              // CSRF guards cookies a browser sends by itself; a bearer header is never sent that way.
              return;
            }
            if (scope === "any-key" && auth) throw HttpErrors.keyRequired();
            checkCsrf(request, auth);
          },
        };
      },
      /** Lets API keys (and device tokens) with this scope call the route; without it the route is session-only. */
      scope: (scope: RouteScope) => ({ detail: { "x-scope": scope } as DocumentDecoration }),
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

function checkCsrf(request: Request, auth: AuthContext | null): void {
  if (!MUTATING.has(request.method)) return;
  const header = request.headers.get("x-csrf-token");
  const expected = auth ? auth.csrfToken : readCookie(request.headers.get("cookie"), CSRF_COOKIE);
  if (!sameToken(header, expected)) throw HttpErrors.csrf();
}

export type HttpContextPlugin = ReturnType<typeof httpContext>;
