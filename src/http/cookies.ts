// Cookie names and flags in one place, so every Set-Cookie carries the same attributes.
export const SESSION_COOKIE = "skriptoteket_session";
/** Pre-session CSRF cookie (double submit) for anonymous mutating requests: login, register, reset. */
export const CSRF_COOKIE = "skriptoteket_csrf";

export type CookieFlags = { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; maxAge?: number };

export function cookieFlags(secure: boolean, maxAgeSeconds?: number): CookieFlags {
  const flags: CookieFlags = { httpOnly: true, sameSite: "lax", path: "/", secure };
  if (maxAgeSeconds !== undefined) flags.maxAge = maxAgeSeconds;
  return flags;
}

/** Reads one cookie from a Cookie header without Elysia's value coercion (tokens stay strings). */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}
