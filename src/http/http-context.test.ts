// The request pipeline without a database: permission, CSRF, rate limit, request id, error shape,
// security headers. A fake session resolver stands in for identity (tested in src/identity).
import { describe, expect, test } from "bun:test";
import { Elysia, t } from "elysia";
import { httpContext, type AuthContext } from "./http-context";
import { errorHandler } from "./error-handler";
import { securityHeaders, CONTENT_SECURITY_POLICY } from "./security-headers";
import { createRateLimiter } from "./rate-limit";
import { createLogger } from "../log/logger";

const sessions: Record<string, AuthContext> = {
  "tok-user": { user: { id: "u1", email: "u@x.se", role: "user", locale: "en" }, sessionId: "s1", csrfToken: "csrf-user" },
  "tok-admin": { user: { id: "u2", email: "a@x.se", role: "admin", locale: null }, sessionId: "s2", csrfToken: "csrf-admin" },
};

function makeApp(limit = 100) {
  const logLines: string[] = [];
  const ctx = httpContext({
    trustProxy: true,
    defaultLocale: "sv",
    resolveSession: async (token) => sessions[token] ?? null,
    authRateLimiter: createRateLimiter({ limit }),
  });
  const app = new Elysia()
    .use(securityHeaders({ hsts: false }))
    .use(errorHandler({ log: createLogger({ write: (l) => logLines.push(l) }), defaultLocale: "sv" }))
    .use(ctx)
    .get("/api/me", ({ auth }) => ({ email: auth?.user.email }), { permission: "user" })
    .post("/api/admin/thing", ({ body }) => body, { permission: "admin", body: t.Object({ n: t.Number() }) })
    .post("/api/public", () => ({ ok: true }), { permission: "public", rateLimit: true })
    .get("/api/boom", () => {
      throw new Error("secret internals");
    }, { permission: "public" })
    .get("/api/*", () => new Response("nope", { status: 404 }), { permission: "public" });
  return { app, logLines };
}

const req = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  new Request(`http://localhost${path}`, init);
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});

describe("permission and CSRF", () => {
  const { app } = makeApp();
  test.each([
    ["anonymous → 401 before the body is validated", "/api/admin/thing", json({}), 401, "auth.required"],
    ["user → 403 on an admin route", "/api/admin/thing", json({ n: 1 }, { cookie: "skriptoteket_session=tok-user", "x-csrf-token": "csrf-user" }), 403, "auth.forbidden"],
    ["admin without CSRF header → 403", "/api/admin/thing", json({ n: 1 }, { cookie: "skriptoteket_session=tok-admin" }), 403, "csrf.invalid"],
    ["admin with another session's CSRF token → 403", "/api/admin/thing", json({ n: 1 }, { cookie: "skriptoteket_session=tok-admin", "x-csrf-token": "csrf-user" }), 403, "csrf.invalid"],
    ["admin with bad body → 422 with a path", "/api/admin/thing", json({ n: "x" }, { cookie: "skriptoteket_session=tok-admin", "x-csrf-token": "csrf-admin" }), 422, "validation.failed"],
    ["anonymous public POST without the CSRF cookie → 403", "/api/public", json({}), 403, "csrf.invalid"],
    ["unknown session cookie is anonymous", "/api/me", { headers: { cookie: "skriptoteket_session=forged" } }, 401, "auth.required"],
  ])("%s", async (_name, path, init, status, code) => {
    const res = await app.handle(req(path, init));
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown }; request_id: string };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
    expect(body.request_id).toBe(res.headers.get("x-request-id")!);
    if (status === 422) expect(body.error.details).toEqual([expect.objectContaining({ path: "/n" })]);
  });

  test("allowed requests pass; double-submit cookie works for anonymous POST", async () => {
    const ok = await app.handle(req("/api/admin/thing", json({ n: 7 }, { cookie: "skriptoteket_session=tok-admin", "x-csrf-token": "csrf-admin" })));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ n: 7 });
    const pub = await app.handle(req("/api/public", json({}, { cookie: "skriptoteket_csrf=anon1234", "x-csrf-token": "anon1234" })));
    expect(pub.status).toBe(200);
    const me = await app.handle(req("/api/me", { headers: { cookie: "skriptoteket_session=tok-user" } }));
    expect(await me.json()).toEqual({ email: "u@x.se" });
  });
});

describe("errors, ids, headers, limits", () => {
  test("messages follow Accept-Language; default is Swedish", async () => {
    const { app } = makeApp();
    const sv = (await (await app.handle(req("/api/me"))).json()) as { error: { message: string } };
    const en = (await (await app.handle(req("/api/me", { headers: { "accept-language": "en-GB,en;q=0.8" } }))).json()) as { error: { message: string } };
    expect(sv.error.message).toBe("Du behöver logga in.");
    expect(en.error.message).toBe("You need to log in.");
  });

  test("unexpected errors are 500 'internal' without internals, logged with the request id", async () => {
    const { app, logLines } = makeApp();
    const res = await app.handle(req("/api/boom", { headers: { "x-request-id": "req-12345678" } }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text).error.code).toBe("internal");
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
    expect(logLines.some((l) => l.includes("req-12345678") && l.includes("secret internals"))).toBe(true);
  });

  test("security headers on every response", async () => {
    const { app } = makeApp();
    for (const path of ["/api/me", "/api/nothing-here"]) {
      const res = await app.handle(req(path));
      expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-eval");
  });

  test("rate limit per client IP answers 429 with Retry-After", async () => {
    const { app } = makeApp(2);
    const hit = (ip: string) =>
      app.handle(req("/api/public", json({}, { "x-forwarded-for": ip, cookie: "skriptoteket_csrf=anon1234", "x-csrf-token": "anon1234" })));
    expect((await hit("10.9.9.1")).status).toBe(200);
    expect((await hit("10.9.9.1")).status).toBe(200);
    const third = await hit("10.9.9.1");
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await hit("10.9.9.2")).status).toBe(200);
  });
});
