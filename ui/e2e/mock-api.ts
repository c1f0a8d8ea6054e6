// An in-memory stand-in for the foundation API (api.md), served through Playwright's page.route, so
// the UI can be exercised and screenshotted without the server. It follows the contract's shapes,
// status codes and CSRF rule (the header must match the last token handed out), not its internals.
import type { BrowserContext, Route } from "playwright-core";
import type { RetentionKind, RetentionOverview } from "../src/api/retention-types";

type Role = "user" | "contributor" | "admin" | "superuser";

export interface MockUser {
  id: string;
  email: string;
  role: Role;
  active: boolean;
  email_verified: boolean;
  first_name: string;
  last_name: string;
  locale: "sv" | "en" | null;
  created_at: string;
  last_login_at: string | null;
  password: string;
}

export interface MockApiOptions {
  registration?: "closed" | "open" | "domains";
  allowedDomains?: string[];
  defaultLocale?: "sv" | "en";
  /** Extra generated users, to have several pages in the admin list. */
  extraUsers?: number;
}

export interface MockApi {
  users: MockUser[];
  /** Every API call seen, as "METHOD /path". */
  calls: string[];
  currentUserId: string | null;
  /** What GET /api/v1/admin/retention answers (admins and superusers); tests may replace it. */
  retention: RetentionOverview;
}

/** A site with the default periods whose daily prune removed old runs, logins and audit events. */
export function sampleRetention(): RetentionOverview {
  const item = (kind: RetentionKind, key: string, days: number, rows: number, files = 0, bytes = 0, skipped?: string) => ({
    kind,
    key: `retention.${key}`,
    days,
    cutoff: new Date(Date.UTC(2026, 10, 20, 2, 5) - days * 86_400_000).toISOString(),
    rows,
    files,
    bytes,
    ...(skipped ? { skipped } : {}),
  });
  return {
    enabled: true,
    periods: { runs_days: 90, sandbox_runs_days: 30, login_events_days: 180, audit_events_days: 730, documents_days: 365 },
    last_report: {
      trigger: "schedule",
      dry_run: false,
      started_at: new Date(Date.UTC(2026, 10, 20, 2, 5)).toISOString(),
      finished_at: new Date(Date.UTC(2026, 10, 20, 2, 5, 3)).toISOString(),
      items: [
        item("runs", "runs_days", 90, 412, 913, 48_300_000),
        item("sandbox_runs", "sandbox_runs_days", 30, 37, 40, 1_200_000),
        item("login_events", "login_events_days", 180, 1250),
        item("sessions", "login_events_days", 180, 96),
        item("email_tokens", "login_events_days", 180, 14),
        item("audit_events", "audit_events_days", 730, 0),
        item("documents", "documents_days", 365, 0, 0, 0, "this version stores no documents"),
        item("sandbox_snapshots", "sandbox_runs_days", 30, 0, 0, 0, "this version stores no sandbox snapshots"),
      ],
      errors: [],
    },
  };
}

const FIRST = ["Anna", "Erik", "Maja", "Omar", "Sofia", "Lars", "Elin", "Nils", "Fatima", "Johan"];
const LAST = ["Andersson", "Berg", "Karlsson", "Lind", "Nilsson", "Persson", "Svensson", "Holm"];

export function seedUsers(extra: number): MockUser[] {
  const base = (id: string, email: string, role: Role, first: string, last: string, password: string): MockUser => ({
    id,
    email,
    role,
    active: true,
    email_verified: true,
    first_name: first,
    last_name: last,
    locale: null,
    created_at: "2026-09-01T08:00:00.000Z",
    last_login_at: "2026-11-20T07:45:00.000Z",
    password,
  });
  const users = [
    base("u1", "rektor@skola.se", "superuser", "Sara", "Superadmin", "superhemligt-123"),
    base("u2", "anna.larare@skola.se", "user", "Anna", "Lärare", "anna-losen-123"),
    base("u3", "erik.it@skola.se", "admin", "Erik", "It-ansvarig", "erik-losen-123"),
  ];
  for (let i = 0; i < extra; i++) {
    const first = FIRST[i % FIRST.length] ?? "Kim";
    const last = LAST[i % LAST.length] ?? "Ek";
    const user = base(`g${i}`, `${first}.${last}${i}@skola.se`.toLowerCase(), i % 7 === 0 ? "contributor" : "user", first, last, "x");
    user.email_verified = i % 5 !== 0;
    user.active = i % 9 !== 0;
    user.last_login_at = i % 4 === 0 ? null : user.last_login_at;
    users.push(user);
  }
  return users;
}

function publicUser({ password: _password, ...user }: MockUser) {
  return user;
}

function error(status: number, code: string, message: string, details: unknown = null) {
  return { status, body: { error: { code, message, details }, request_id: "mock-req" } };
}

export async function installMockApi(context: BrowserContext, options: MockApiOptions = {}): Promise<MockApi> {
  const state: MockApi = { users: seedUsers(options.extraUsers ?? 0), calls: [], currentUserId: null, retention: sampleRetention() };
  let csrfToken = "csrf-0";
  let tokenCounter = 0;
  const newToken = () => (csrfToken = `csrf-${++tokenCounter}`);

  const handler = async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const method = request.method();
    const path = url.pathname;
    state.calls.push(`${method} ${path}`);
    const body = (request.postDataJSON() ?? {}) as Record<string, unknown>;
    const me = state.users.find((user) => user.id === state.currentUserId) ?? null;
    const reply = (status: number, json: unknown) =>
      route.fulfill({ status, contentType: "application/json", body: json === undefined ? "" : JSON.stringify(json) });
    const fail = (e: { status: number; body: unknown }) => reply(e.status, e.body);

    if (method !== "GET" && request.headers()["x-csrf-token"] !== csrfToken) {
      return fail(error(403, "csrf.invalid", "Säkerhetstoken saknas eller är ogiltig."));
    }

    if (method === "GET" && path === "/api/v1/meta") {
      return reply(200, {
        default_locale: options.defaultLocale ?? "sv",
        registration: options.registration ?? "domains",
        allowed_domains: options.allowedDomains ?? ["skola.se", "kommun.se"],
        version: "0.1.0-mock",
        max_upload_mb: 1,
        max_upload_files: 4,
      });
    }
    if (method === "GET" && path === "/api/v1/auth/csrf") return reply(200, { csrf_token: me ? csrfToken : newToken() });
    if (method === "POST" && path === "/api/v1/auth/login") {
      const user = state.users.find((u) => u.email === body.email && u.password === body.password);
      if (!user) return fail(error(401, "auth.invalid_credentials", "Fel e-post eller lösenord."));
      if (!user.active) return fail(error(403, "auth.account_inactive", "Kontot är inaktiverat."));
      if (!user.email_verified) return fail(error(403, "auth.email_not_verified", "E-postadressen är inte bekräftad."));
      state.currentUserId = user.id;
      return reply(200, { user: publicUser(user), csrf_token: newToken() });
    }
    if (method === "POST" && path === "/api/v1/auth/register") {
      const password = String(body.password ?? "");
      if (password.length < 12) {
        return fail(error(422, "auth.weak_password", "Lösenordet är för svagt.", [{ path: "/password", message: "Minst 12 tecken." }]));
      }
      if (state.users.some((u) => u.email === body.email)) return fail(error(409, "auth.email_taken", "Upptagen."));
      return reply(201, { verification_required: true });
    }
    if (method === "POST" && path === "/api/v1/auth/verify-email") {
      return body.token === "good-token" ? reply(200, { verified: true }) : fail(error(400, "auth.token_invalid", "Ogiltig länk."));
    }
    if (method === "POST" && (path === "/api/v1/auth/resend-verification" || path === "/api/v1/auth/forgot-password")) {
      return reply(202, {});
    }
    if (method === "POST" && path === "/api/v1/auth/reset-password") {
      return body.token === "good-token" ? reply(200, {}) : fail(error(400, "auth.token_invalid", "Ogiltig länk."));
    }

    // Everything below needs a session.
    if (!me) return fail(error(401, "auth.required", "Du behöver logga in."));

    if (method === "POST" && path === "/api/v1/auth/logout") {
      state.currentUserId = null;
      newToken();
      return route.fulfill({ status: 204, body: "" });
    }
    if (method === "GET" && (path === "/api/v1/auth/me" || path === "/api/v1/profile")) return reply(200, { user: publicUser(me) });
    if (method === "PATCH" && path === "/api/v1/profile") {
      if (typeof body.first_name === "string") me.first_name = body.first_name;
      if (typeof body.last_name === "string") me.last_name = body.last_name;
      if (body.locale === "sv" || body.locale === "en") me.locale = body.locale;
      return reply(200, { user: publicUser(me) });
    }
    if (method === "POST" && path === "/api/v1/profile/password") {
      if (body.current_password !== me.password) return fail(error(401, "auth.invalid_credentials", "Fel lösenord."));
      const next = String(body.new_password ?? "");
      if (next.length < 12) {
        return fail(error(422, "auth.weak_password", "Lösenordet är för svagt.", [{ path: "/new_password", message: "Minst 12 tecken." }]));
      }
      me.password = next;
      return route.fulfill({ status: 204, body: "" });
    }

    if (method === "GET" && path === "/api/v1/admin/retention") {
      if (me.role !== "admin" && me.role !== "superuser") return fail(error(403, "auth.forbidden", "Ingen behörighet."));
      return reply(200, state.retention);
    }
    if (path.startsWith("/api/v1/admin/")) {
      if (me.role !== "superuser") return fail(error(403, "auth.forbidden", "Ingen behörighet."));
      if (method === "GET" && path === "/api/v1/admin/users") {
        const q = (url.searchParams.get("q") ?? "").toLowerCase();
        const role = url.searchParams.get("role");
        const page = Number(url.searchParams.get("page") ?? "1");
        const size = Number(url.searchParams.get("page_size") ?? "25");
        const matches = state.users.filter(
          (u) =>
            (!q || `${u.email} ${u.first_name} ${u.last_name}`.toLowerCase().includes(q)) && (!role || u.role === role),
        );
        return reply(200, { items: matches.slice((page - 1) * size, page * size).map(publicUser), total: matches.length, page, page_size: size });
      }
      const match = /^\/api\/v1\/admin\/users\/([^/]+)(\/.*)?$/.exec(path);
      const target = match ? state.users.find((u) => u.id === decodeURIComponent(match[1] ?? "")) : undefined;
      if (!target) return fail(error(404, "not_found", "Finns inte."));
      const rest = match?.[2] ?? "";
      if (method === "GET" && rest === "") return reply(200, { user: publicUser(target) });
      if (method === "PATCH" && rest === "") {
        if (target.id === me.id) return fail(error(409, "users.self_change", "Du kan inte ändra dig själv."));
        if (typeof body.role === "string") target.role = body.role as Role;
        if (typeof body.active === "boolean") target.active = body.active;
        return reply(200, { user: publicUser(target) });
      }
      if (method === "POST" && rest === "/reset-password") {
        target.password = "Tmp-7fK2-q9Wx-Lm4p";
        return reply(200, { password: target.password });
      }
      if (method === "GET" && rest === "/login-events") {
        const outcomes = ["success", "bad_password", "success", "locked", "unknown_user"];
        const items = outcomes.map((outcome, i) => ({
          id: `e${i}`,
          outcome,
          ip: `10.0.0.${10 + i}`,
          user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
          created_at: new Date(Date.UTC(2026, 10, 20 - i, 7, 45)).toISOString(),
        }));
        return reply(200, { items, total: items.length, page: 1, page_size: 20 });
      }
    }
    return fail(error(404, "not_found", "Finns inte."));
  };

  await context.route("**/api/**", handler);
  return state;
}
