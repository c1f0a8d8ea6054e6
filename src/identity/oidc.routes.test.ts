// Single sign-on end to end over HTTP against a real OpenID Connect provider (oidc-provider on
// 127.0.0.1): the app's routes run in process, the provider's pages are fetched like a browser would.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { testStoreKinds } from "../store/test-db";
import { errorHandler } from "../http/error-handler";
import { httpContext } from "../http/http-context";
import { createRateLimiter } from "../http/rate-limit";
import { Browser, createTestApp, emailOf, PASSWORDS, type TestApp } from "./test-app";
import { identityRoutes } from "./identity.routes";
import { resolveSession } from "./sessions.service";
import { createOidcDeps } from "./oidc.service";
import { oidcRoutes } from "./oidc.routes";
import { startTestOidcProvider, TEST_CLIENT_ID, TEST_CLIENT_SECRET, type TestOidcProvider } from "./oidc.test-provider";
import { resolveConfig } from "../config/config.resolve";

const PUBLIC_URL = "https://skriptoteket.skola.se";
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/oidc/1/callback`;

/** Cookies of the provider's origin, as a browser keeps them (paths ignored: one test origin). */
class ProviderJar {
  private readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const value = pair.slice(eq + 1);
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
  }
}

describe.each(testStoreKinds())("single sign-on with OpenID Connect (%s)", (kind) => {
  let t: TestApp;
  let op: TestOidcProvider;
  let app: { handle(r: Request): Promise<Response> };

  beforeAll(async () => {
    op = await startTestOidcProvider({
      redirectUris: [CALLBACK],
      accounts: [
        { email: "anna@skola.se", givenName: "Anna", familyName: "Ek" },
        { email: "bo@skola.se", groups: ["skt-admins"] },
        { email: "superuser@skola.se", groups: [] },
        { email: "otto@skola.se", emailVerified: false },
      ],
    });
    t = await createTestApp(kind, { server: { public_url: PUBLIC_URL } });
    Object.assign(t.config.oidc_1, { issuer: op.issuer, client_id: TEST_CLIENT_ID, client_secret: TEST_CLIENT_SECRET, label: "Skolans konto" });
    const ctx = httpContext({ trustProxy: false, defaultLocale: "sv", resolveSession: resolveSession(t.deps), authRateLimiter: createRateLimiter({ limit: 10_000 }) });
    app = new Elysia()
      .use(errorHandler({ log: t.deps.log, defaultLocale: "sv" }))
      .use(ctx)
      .use(identityRoutes(ctx, t.deps))
      .use(oidcRoutes(ctx, createOidcDeps(t.deps, t.store)));
  });
  afterAll(async () => {
    await t.close();
    await op.close();
  });

  /** Clicks the login button, logs in at the provider as `email`, and follows the redirect back. */
  async function ssoLogin(email: string, opts: { returnTo?: string; browser?: Browser; provider?: string } = {}): Promise<{ location: string; browser: Browser }> {
    const browser = opts.browser ?? new Browser(app);
    const start = await browser.get(`/api/v1/auth/oidc/${opts.provider ?? "1"}/start${opts.returnTo ? `?return_to=${encodeURIComponent(opts.returnTo)}` : ""}`);
    expect(start.status).toBe(302);
    let location = start.headers.get("location") ?? "";
    const jar = new ProviderJar();
    // walk the provider's redirects and its login form until it sends the browser back to us
    for (let step = 0; step < 10 && location.startsWith(op.issuer); step++) {
      let res = await fetch(location, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.keep(res);
      if (res.status === 200) {
        const html = await res.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        if (!action) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`);
        const form = new URLSearchParams({ prompt: "login", login: email, password: "whatever" });
        res = await fetch(new URL(action, op.issuer), { method: "POST", redirect: "manual", body: form, headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" } });
        jar.keep(res);
      }
      location = new URL(res.headers.get("location") ?? "", location).href;
    }
    if (!location.startsWith(PUBLIC_URL)) return { location, browser };
    const back = await browser.get(location.slice(PUBLIC_URL.length));
    expect(back.status).toBe(302);
    return { location: back.headers.get("location") ?? "", browser };
  }

  test("GET /meta lists the login button; an unknown provider lands on the login page with a reason", async () => {
    const meta = await new Browser(app).get("/api/v1/meta");
    expect(meta.body.sso).toEqual({ providers: [{ id: "1", label: "Skolans konto", login_url: "/api/v1/auth/oidc/1/start" }], local_login: "everyone" });
    const unknown = await new Browser(app).get("/api/v1/auth/oidc/2/start");
    expect(unknown.headers.get("location")).toBe("/login?sso_error=sso.provider_not_found");
  });

  test("a first login creates the account just in time and returns to the page the user came from", async () => {
    const { location, browser } = await ssoLogin("anna@skola.se", { returnTo: "/tools?q=matte" });
    expect(location).toBe("/tools?q=matte");
    const me = await browser.get("/api/v1/auth/me");
    expect(me.body.user).toMatchObject({ email: "anna@skola.se", role: "user", first_name: "Anna", last_name: "Ek", email_verified: true });
    const userId = (me.body.user as { id: string }).id;
    expect(await t.auditActions(userId)).toEqual(["user.created", "auth.sso_login_succeeded"]);
    // the second login finds the linked account: no new account, no second "created"
    const again = await ssoLogin("anna@skola.se");
    expect(again.location).toBe("/");
    expect(((await again.browser.get("/api/v1/auth/me")).body.user as { id: string }).id).toBe(userId);
    expect(await t.auditActions(userId)).toEqual(["user.created", "auth.sso_login_succeeded", "auth.sso_login_succeeded"]);
    // the account has no usable password
    expect((await new Browser(app).post("/api/v1/auth/login", { email: "anna@skola.se", password: "whatever-at-all" })).status).toBe(401);
  });

  test("an existing local account is linked by e-mail address", async () => {
    const { browser } = await ssoLogin("user@skola.se");
    expect(((await browser.get("/api/v1/auth/me")).body.user as { id: string }).id).toBe(t.users.user);
  });

  test("a denied domain or an unconfirmed address gets no session and a reason on the login page", async () => {
    t.config.sso.allowed_domains = ["skola.se"];
    try {
      const denied = await ssoLogin("eve@gmail.com");
      expect(denied.location).toBe("/login?sso_error=sso.domain_not_allowed");
      expect((await denied.browser.get("/api/v1/auth/me")).status).toBe(401);
      expect(await t.deps.users.findByEmail("eve@gmail.com")).toBeNull();
      const failed = (await t.deps.audit.list({})).filter((e) => e.action === "auth.sso_login_failed").map((e) => e.after);
      expect(failed).toContainEqual({ provider: "1", email: "eve@gmail.com", reason: "sso.domain_not_allowed" });
      expect((await ssoLogin("otto@skola.se")).location).toBe("/login?sso_error=sso.email_unverified");
    } finally {
      t.config.sso.allowed_domains = [];
    }
  });

  test("the groups claim maps to a role, but never changes a superuser", async () => {
    // the test provider releases the groups claim with its "groups" scope (Keycloak and Entra ID use a mapper instead)
    Object.assign(t.config.oidc_1, { groups_claim: "groups", admin_groups: ["skt-admins"], contributor_groups: ["skt-contributors"], scopes: ["openid", "email", "profile", "groups"] });
    try {
      const bo = await ssoLogin("bo@skola.se");
      expect((await bo.browser.get("/api/v1/auth/me")).body.user).toMatchObject({ email: "bo@skola.se", role: "admin" });
      const boId = ((await bo.browser.get("/api/v1/auth/me")).body.user as { id: string }).id;
      expect(await t.auditActions(boId)).toEqual(["user.created", "user.role_mapped", "auth.sso_login_succeeded"]);
      const su = await ssoLogin("superuser@skola.se");
      expect((await su.browser.get("/api/v1/auth/me")).body.user).toMatchObject({ role: "superuser" });
      // a user outside every mapped group is a plain user again
      const anna = await ssoLogin("anna@skola.se");
      expect((await anna.browser.get("/api/v1/auth/me")).body.user).toMatchObject({ role: "user" });
    } finally {
      Object.assign(t.config.oidc_1, { groups_claim: "", admin_groups: [], contributor_groups: [], scopes: ["openid", "email", "profile"] });
    }
  });

  test("a callback without the flow cookie or with a forged state starts no session", async () => {
    const b = new Browser(app);
    const noCookie = await b.get("/api/v1/auth/oidc/1/callback?code=abc&state=xyz");
    expect(noCookie.headers.get("location")).toBe("/login?sso_error=sso.failed");
    // a real flow whose state is swapped on the way back
    const start = await b.get("/api/v1/auth/oidc/1/start");
    expect(start.status).toBe(302);
    const forged = await b.get("/api/v1/auth/oidc/1/callback?code=abc&state=forged");
    expect(forged.headers.get("location")).toBe("/login?sso_error=sso.failed");
    expect((await b.get("/api/v1/auth/me")).status).toBe(401);
    const cancelled = await b.get("/api/v1/auth/oidc/1/callback?error=access_denied");
    expect(cancelled.headers.get("location")).toBe("/login?sso_error=sso.failed");
  });

  test("an open redirect is refused: return_to must be a local path", async () => {
    expect((await ssoLogin("anna@skola.se", { returnTo: "//evil.example/x" })).location).toBe("/");
    expect((await ssoLogin("anna@skola.se", { returnTo: "https://evil.example/" })).location).toBe("/");
  });

  test('local_login = "admins" refuses passwords of non-admins but keeps admins able to log in', async () => {
    t.config.sso.local_login = "admins";
    try {
      const refused = await new Browser(app).post("/api/v1/auth/login", { email: emailOf("user"), password: PASSWORDS.user });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: "auth.local_login_disabled" } });
      expect((await new Browser(app).post("/api/v1/auth/login", { email: emailOf("admin"), password: PASSWORDS.admin })).status).toBe(200);
      expect((await new Browser(app).get("/api/v1/meta")).body.sso).toMatchObject({ local_login: "admins" });
      // single sign-on still works for everyone
      expect((await ssoLogin("user@skola.se")).location).toBe("/");
    } finally {
      t.config.sso.local_login = "everyone";
    }
  });
});

test("a configured provider needs client_id and the openid scope (config check)", () => {
  const check = (text: string) => {
    try {
      resolveConfig({ text, file: "skriptoteket.toml", env: {} });
      return "ok";
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  expect(check('[oidc_1]\nissuer = "https://login.example.com"\n')).toContain("client_id");
  expect(check('[oidc_2]\nissuer = "https://login.example.com"\nclient_id = "x"\nscopes = ["email"]\n')).toContain('"openid"');
  expect(check('[oidc_3]\nissuer = "https://login.example.com"\nclient_id = "x"\n')).toBe("ok");
});
