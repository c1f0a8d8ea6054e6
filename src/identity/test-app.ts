// Test helper for the identity HTTP tests: an app over a fresh store with a movable clock, a
// capturing logger and mailer, seeded accounts, and a tiny cookie-keeping "browser".
import { Elysia } from "elysia";
import { defaultConfig, type Config } from "../config/config.keys";
import { createLogger, type Logger } from "../log/logger";
import { createMetrics } from "../ops/metrics";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { openTestStore, type TestStoreKind } from "../store/test-db";
import type { Store } from "../store/db";
import type { EmailMessage, Mailer } from "../email/mailer";
import { createIdentityDeps, type IdentityDeps } from "./identity.deps";
import { identityRoutes } from "./identity.routes";
import { adminUsersRoutes } from "./admin-users.routes";
import { resolveSession } from "./sessions.service";
import { createUser } from "./users.service";
import type { Role } from "./roles.rules";

export const PASSWORDS: Record<Role, string> = {
  user: "Användarens-lösen-1",
  contributor: "Bidragsgivarens-lösen-2",
  admin: "Administratörens-lösen-3",
  superuser: "Superanvändarens-lösen-4",
};
export const emailOf = (role: Role) => `${role}@skola.se`;

export type TestAppOptions = {
  auth?: Partial<Config["auth"]>;
  server?: Partial<Config["server"]>;
  rateLimit?: number;
  trustProxy?: boolean;
  /** Defaults to an in-memory mailer whose messages land in `mail`. */
  mailer?: (log: Logger) => Mailer;
};

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export async function createTestApp(kind: TestStoreKind, opts: TestAppOptions = {}) {
  const store: Store = await openTestStore(kind);
  const config = defaultConfig();
  Object.assign(config.auth, opts.auth);
  Object.assign(config.server, { public_url: "https://skriptoteket.skola.se" }, opts.server);
  const logLines: string[] = [];
  const log = createLogger({ level: "debug", write: (l) => logLines.push(l) });
  const mail: EmailMessage[] = [];
  const clock = { now: new Date("2026-03-02T08:00:00.000Z") };
  const metrics = createMetrics({ defaults: false });
  const deps: IdentityDeps = createIdentityDeps({
    store,
    config,
    log,
    metrics,
    mailer: opts.mailer?.(log) ?? { send: async (m) => void mail.push(m) },
    now: () => new Date(clock.now),
    version: "9.9.9-test",
  });
  const ctx = httpContext({
    trustProxy: opts.trustProxy ?? false,
    defaultLocale: "sv",
    resolveSession: resolveSession(deps),
    authRateLimiter: createRateLimiter({ limit: opts.rateLimit ?? 10_000 }),
  });
  const app = new Elysia()
    .use(errorHandler({ log, defaultLocale: "sv" }))
    .use(ctx)
    .use(identityRoutes(ctx, deps))
    .use(adminUsersRoutes(ctx, deps));
  const users: Record<Role, string> = { user: "", contributor: "", admin: "", superuser: "" };
  for (const role of Object.keys(PASSWORDS) as Role[]) {
    const { user } = await createUser(deps, { email: emailOf(role), role, password: PASSWORDS[role], firstName: role, lastName: "Test", actor: { kind: "cli" } });
    users[role] = user.id;
  }
  return {
    app,
    deps,
    store,
    config,
    mail,
    logLines,
    metrics,
    users,
    advance(minutes: number) {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
    },
    browser: () => new Browser(app),
    /** A browser already logged in as `role` (or as the given e-mail and password). */
    async loggedIn(role: Role, email = emailOf(role), password = PASSWORDS[role]): Promise<Browser> {
      const b = new Browser(app);
      const res = await b.post("/api/v1/auth/login", { email, password });
      if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return b;
    },
    /** Audit actions in order, optionally only those about one user. */
    async auditActions(targetId?: string): Promise<string[]> {
      return (await deps.audit.list(targetId ? { targetId } : {})).map((e) => e.action);
    },
    close: () => store.close(),
  };
}

type Json = Record<string, unknown>;
export type ApiResponse = { status: number; body: Json; headers: Headers; cookies: Record<string, { value: string; attrs: string[] }> };
export type CallOptions = { csrf?: string | false; headers?: Record<string, string> };

/** Keeps cookies and the CSRF token like the UI does (GET /auth/csrf first, then the login's token). */
export class Browser {
  readonly jar = new Map<string, string>();
  csrf: string | null = null;
  constructor(private readonly app: { handle(r: Request): Promise<Response> }) {}

  get session(): string | undefined {
    return this.jar.get("skriptoteket_session");
  }

  async get(path: string, opts: CallOptions = {}): Promise<ApiResponse> {
    return this.call("GET", path, undefined, opts);
  }
  async post(path: string, body?: unknown, opts: CallOptions = {}): Promise<ApiResponse> {
    return this.call("POST", path, body, opts);
  }
  async patch(path: string, body?: unknown, opts: CallOptions = {}): Promise<ApiResponse> {
    return this.call("PATCH", path, body, opts);
  }

  async call(method: string, path: string, body: unknown, opts: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (method !== "GET") {
      if (opts.csrf === undefined && this.csrf === null) await this.refreshCsrf();
      const token = opts.csrf === undefined ? this.csrf : opts.csrf;
      if (token) headers["x-csrf-token"] = token;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await this.app.handle(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    const cookies = this.keepCookies(res);
    const text = await res.text();
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    const parsed = text && isJson ? (JSON.parse(text) as Json) : {};
    if (typeof parsed.csrf_token === "string") this.csrf = parsed.csrf_token;
    return { status: res.status, body: parsed, headers: res.headers, cookies };
  }

  async refreshCsrf(): Promise<void> {
    const r = await this.get("/api/v1/auth/csrf");
    if (r.status !== 200) throw new Error(`csrf: ${r.status}`);
  }

  private keepCookies(res: Response): ApiResponse["cookies"] {
    const out: ApiResponse["cookies"] = {};
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      out[name] = { value, attrs };
      if (value === "" || attrs.some((a) => /^max-age=0$/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return out;
  }
}

/** The one-time token of the last mailed link to `to` whose path is `path`. */
export function tokenFromMail(mail: EmailMessage[], to: string, path: "/verify-email" | "/reset-password"): string {
  const msg = mail.findLast((m) => m.to === to && m.text.includes(path));
  const token = msg?.text.match(/[?&]token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no ${path} mail to ${to}`);
  return token;
}
