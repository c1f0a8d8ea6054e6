// API key scopes: what a key may do, which scopes an account may hand out, and whether a key passes a
// route's declared scope. Pure rules, no I/O.
import { roleAtLeast, type Role } from "../identity/roles.rules";

/** In display order. `tools:write` (the authoring API, for `skriptoteket tool push`) is needed by maintainers. */
export const API_SCOPES = ["tools:read", "tools:write", "runs:read", "runs:write", "documents:read", "documents:write", "admin"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * What a route declares: a scope a key must hold, or "any-key" for routes only a key may call (a
 * session cookie is refused there). A route without a declaration is session-only.
 */
export type RouteScope = ApiScope | "any-key";

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPES as readonly string[]).includes(value);
}

export type ParsedScopes =
  | { ok: true; scopes: ApiScope[] }
  | { ok: false; error: "empty" }
  | { ok: false; error: "unknown"; unknown: string[] }
  | { ok: false; error: "admin_exclusive" };

/** Lower-cases and trims, removes duplicates, keeps display order; `admin` must stand alone. */
export function parseScopes(input: readonly string[]): ParsedScopes {
  const wanted = new Set(input.map((s) => s.trim().toLowerCase()).filter((s) => s !== ""));
  if (wanted.size === 0) return { ok: false, error: "empty" };
  const unknown = [...wanted].filter((s) => !isApiScope(s));
  if (unknown.length) return { ok: false, error: "unknown", unknown };
  if (wanted.has("admin") && wanted.size > 1) return { ok: false, error: "admin_exclusive" };
  return { ok: true, scopes: API_SCOPES.filter((s) => wanted.has(s)) };
}

/** The scopes an account of `role` may put on a key: never more than the role itself can do. */
export function allowedScopesFor(role: Role): ApiScope[] {
  return API_SCOPES.filter((s) => {
    if (s === "admin") return roleAtLeast(role, "admin");
    if (s === "tools:write") return roleAtLeast(role, "contributor");
    return true;
  });
}

/** The requested scopes `role` may not hand out (empty when all are allowed). */
export function scopesNotAllowed(scopes: readonly ApiScope[], role: Role): ApiScope[] {
  const allowed = new Set(allowedScopesFor(role));
  return scopes.filter((s) => !allowed.has(s));
}

/**
 * Whether a key with `keyScopes` may call a route that declared `declared`. An `admin` key holds every
 * scope; a key holds nothing on a session-only route (declared undefined).
 */
export function keyPassesRoute(declared: RouteScope | undefined, keyScopes: readonly string[]): boolean {
  if (declared === undefined) return false;
  if (declared === "any-key") return true;
  return keyScopes.includes(declared) || keyScopes.includes("admin");
}
