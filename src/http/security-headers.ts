// Security headers on every response, API and UI alike. The CSP allows only this origin: no inline
// script, no CDN (air-gapped sites), no framing. Inline styles are allowed because Web Awesome
// components set style attributes; scripts are never inline.
import { Elysia } from "elysia";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export function securityHeaders({ hsts }: { hsts: boolean }) {
  return new Elysia({ name: "security-headers" }).onRequest(({ set }) => {
    set.headers["content-security-policy"] = CONTENT_SECURITY_POLICY;
    set.headers["x-content-type-options"] = "nosniff";
    set.headers["x-frame-options"] = "DENY";
    set.headers["referrer-policy"] = "same-origin";
    set.headers["cross-origin-opener-policy"] = "same-origin";
    set.headers["permissions-policy"] = "camera=(), microphone=(), geolocation=()";
    if (hsts) set.headers["strict-transport-security"] = "max-age=31536000";
  });
}
