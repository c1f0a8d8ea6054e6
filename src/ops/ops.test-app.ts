// Test helper for the ops HTTP tests: the identity test app's store and accounts, served by an app
// that also mounts the ops routes under test (the lead registers them in http/app.ts).
import { Elysia, type AnyElysia } from "elysia";
import { errorHandler } from "../http/error-handler";
import { httpContext, type HttpContextPlugin } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { createLogger } from "../log/logger";
import { identityRoutes } from "../identity/identity.routes";
import { resolveSession } from "../identity/sessions.service";
import { Browser, emailOf, PASSWORDS, type TestApp } from "../identity/test-app";
import type { Role } from "../identity/roles.rules";

type RoutesPlugin = (ctx: HttpContextPlugin) => AnyElysia;

export function opsTestApp(h: TestApp, routes: RoutesPlugin[]) {
  const ctx = httpContext({ trustProxy: false, defaultLocale: "sv", resolveSession: resolveSession(h.deps), authRateLimiter: createRateLimiter({ limit: 10_000 }) });
  let app = new Elysia().use(errorHandler({ log: createLogger({ level: "error", write: () => {} }), defaultLocale: "sv" })).use(ctx).use(identityRoutes(ctx, h.deps));
  for (const r of routes) app = app.use(r(ctx));
  return {
    app,
    browser: () => new Browser(app),
    async as(role: Role): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email: emailOf(role), password: PASSWORDS[role] });
      if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
      return b;
    },
  };
}
