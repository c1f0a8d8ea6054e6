// HTTP scenarios of /api/v1/meta, /api/v1/auth/* and /api/v1/profile*, on every test store.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testStoreKinds } from "../store/test-db";
import { createTestApp, emailOf, PASSWORDS, tokenFromMail, type TestApp, type TestAppOptions } from "./test-app";
import { defaultConfig } from "../config/config.keys";
import { createSmtpMailer } from "../email/smtp-mailer";
import { plainTextOf, startSmtpSink } from "../email/test-smtp";

const API = "/api/v1";
const errorCode = (body: Record<string, unknown>) => (body.error as { code?: string } | undefined)?.code;

for (const kind of testStoreKinds()) {
  describe(`identity API on ${kind}`, () => {
    const apps: TestApp[] = [];
    const open = async (opts: TestAppOptions = {}) => {
      const h = await createTestApp(kind, opts);
      apps.push(h);
      return h;
    };
    afterAll(async () => {
      for (const h of apps) await h.close();
    });

    describe("meta and CSRF", () => {
      let h: TestApp;
      beforeAll(async () => {
        h = await open({ auth: { registration: "domains", allowed_domains: ["skola.se"] } });
      });

      test("GET /meta tells the UI the site's settings", async () => {
        const r = await h.browser().get(`${API}/meta`);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({
          default_locale: "sv",
          registration: "domains",
          allowed_domains: ["skola.se"],
          version: "9.9.9-test",
          max_upload_mb: h.config.storage.max_upload_mb,
          max_upload_files: h.config.storage.max_upload_files,
          ai_enabled: false,
          sso: { providers: [], local_login: "everyone" },
        });
        expect(r.body.max_upload_mb).toBeGreaterThan(0);
      });

      test("GET /auth/csrf without a session sets the pre-session cookie and returns the same token, stable across calls", async () => {
        const b = h.browser();
        const first = await b.get(`${API}/auth/csrf`);
        const token = first.body.csrf_token as string;
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const cookie = first.cookies.skriptoteket_csrf!;
        expect(cookie.value).toBe(token);
        expect(cookie.attrs).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax"]));
        expect((await b.get(`${API}/auth/csrf`)).body.csrf_token).toBe(token);
      });

      test("GET /auth/csrf with a session returns the session's token (the one login returned)", async () => {
        const b = await h.loggedIn("user");
        const loginToken = b.csrf;
        expect((await b.get(`${API}/auth/csrf`)).body.csrf_token).toBe(loginToken!);
      });

      test.each([
        ["login without the header", "none", `${API}/auth/login`, 403, "csrf.invalid"],
        ["login with a header that is not the cookie's", "wrong", `${API}/auth/login`, 403, "csrf.invalid"],
        ["login with the cookie's token", "cookie", `${API}/auth/login`, 200, undefined],
      ] as const)("anonymous %s", async (_name, csrf, path, status, code) => {
        const b = h.browser();
        await b.refreshCsrf();
        const header = csrf === "none" ? false : csrf === "wrong" ? "x".repeat(43) : undefined;
        const r = await b.post(path, { email: emailOf("user"), password: PASSWORDS.user }, { csrf: header });
        expect(r.status).toBe(status);
        expect(errorCode(r.body)).toBe(code);
      });

      test("with a session, a mutating request needs the session's token, not the pre-session one", async () => {
        const b = h.browser();
        await b.refreshCsrf();
        const preSession = b.csrf!;
        await b.post(`${API}/auth/login`, { email: emailOf("user"), password: PASSWORDS.user });
        for (const csrf of [false, preSession] as const) {
          const r = await b.post(`${API}/auth/logout`, undefined, { csrf });
          expect([r.status, errorCode(r.body)]).toEqual([403, "csrf.invalid"]);
        }
        expect((await b.get(`${API}/auth/me`)).status).toBe(200);
      });
    });

    describe("login, lockout and logout", () => {
      let h: TestApp;
      beforeAll(async () => {
        h = await open({ server: { cookie_secure: true, session_absolute_hours: 24 } });
      });

      test("login sets a Secure HttpOnly Lax cookie for the absolute lifetime and returns the user and CSRF token", async () => {
        const b = h.browser();
        const r = await b.post(`${API}/auth/login`, { email: "  USER@Skola.se ", password: PASSWORDS.user });
        expect(r.status).toBe(200);
        const cookie = r.cookies.skriptoteket_session!;
        expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(cookie.attrs).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "Secure", "SameSite=Lax", `Max-Age=${24 * 3600}`]));
        expect(r.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(r.body.user).toMatchObject({ email: "user@skola.se", role: "user", active: true, email_verified: true, last_login_at: "2026-03-02T08:00:00.000Z" });
        // the cookie value is not what the database holds
        expect(await h.deps.sessions.findByTokenHash(cookie.value)).toBeNull();
        const events = await h.deps.loginEvents.listForUser(h.users.user, { limit: 5, offset: 0 });
        expect(events.items[0]?.outcome).toBe("success");
        expect(await h.auditActions(h.users.user)).toContain("auth.login_succeeded");
      });

      test("the stored password hash is argon2id with the configured cost", async () => {
        const u = await h.deps.users.findByEmail(emailOf("user"));
        expect(u?.passwordHash).toStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
      });

      test("GET /auth/me returns the user JSON of the contract", async () => {
        const b = await h.loggedIn("contributor");
        const r = await b.get(`${API}/auth/me`);
        expect(r.status).toBe(200);
        expect(Object.keys(r.body.user as object).sort()).toEqual(
          ["active", "created_at", "email", "email_verified", "first_name", "id", "last_login_at", "last_name", "locale", "role"].sort(),
        );
        expect(r.body.user).toMatchObject({ id: h.users.contributor, role: "contributor", first_name: "contributor", last_name: "Test", locale: null });
        expect((await h.browser().get(`${API}/auth/me`)).status).toBe(401);
      });

      test.each([
        ["wrong password", emailOf("admin"), "fel-lösenord-123", "bad_password"],
        ["unknown e-mail", "nobody@skola.se", "fel-lösenord-123", "unknown_user"],
      ])("%s → 401 auth.invalid_credentials, recorded", async (_name, email, password, outcome) => {
        const r = await h.browser().post(`${API}/auth/login`, { email, password });
        expect([r.status, errorCode(r.body)]).toEqual([401, "auth.invalid_credentials"]);
        expect(r.body.request_id).toBeString();
        const failed = await h.deps.audit.list({ action: "auth.login_failed" });
        expect(failed.at(-1)?.after).toEqual({ email, outcome });
        expect(await h.metrics.registry.getSingleMetricAsString("skriptoteket_logins_total")).toContain(`outcome="${outcome}"`);
      });

      test("five wrong passwords lock the account: the 6th attempt is 423 even with the right password, until the lock ends", async () => {
        const email = emailOf("contributor");
        for (let i = 1; i <= 5; i++) {
          const r = await h.browser().post(`${API}/auth/login`, { email, password: `wrong-${i}-password` });
          expect([i, r.status]).toEqual([i, 401]);
        }
        const sixth = await h.browser().post(`${API}/auth/login`, { email, password: "wrong-6-password" });
        expect([sixth.status, errorCode(sixth.body)]).toEqual([423, "auth.locked"]);
        expect(sixth.body.error).toMatchObject({ details: { locked_until: "2026-03-02T08:15:00.000Z" } });
        const right = await h.browser().post(`${API}/auth/login`, { email, password: PASSWORDS.contributor });
        expect(right.status).toBe(423);
        h.advance(14);
        expect((await h.browser().post(`${API}/auth/login`, { email, password: PASSWORDS.contributor })).status).toBe(423);
        h.advance(1);
        expect((await h.browser().post(`${API}/auth/login`, { email, password: PASSWORDS.contributor })).status).toBe(200);
        const outcomes = (await h.deps.loginEvents.listForUser(h.users.contributor, { limit: 20, offset: 0 })).items.map((e) => e.outcome);
        expect(outcomes.slice(0, 4)).toEqual(["success", "locked", "locked", "locked"]);
      });

      test("logout revokes the session and clears the cookie; the old cookie is then anonymous", async () => {
        const b = await h.loggedIn("user");
        const oldCookie = b.session!;
        const r = await b.post(`${API}/auth/logout`);
        expect(r.status).toBe(204);
        expect(r.cookies.skriptoteket_session?.attrs).toEqual(expect.arrayContaining(["Max-Age=0", "Path=/", "HttpOnly"]));
        expect(b.session).toBeUndefined();
        b.jar.set("skriptoteket_session", oldCookie);
        const me = await b.get(`${API}/auth/me`);
        expect([me.status, errorCode(me.body)]).toEqual([401, "auth.required"]);
        expect((await h.auditActions(h.users.user)).at(-1)).toBe("auth.logout");
      });

      test("a session ends after the idle time; lastSeen is written at most once a minute", async () => {
        const b = await h.loggedIn("admin");
        const session = async () => (await h.deps.sessions.listActiveForUser(h.users.admin))[0]!;
        const started = (await session()).lastSeenAt;
        h.advance(0.5);
        expect((await b.get(`${API}/auth/me`)).status).toBe(200);
        expect((await session()).lastSeenAt).toEqual(started);
        h.advance(1);
        expect((await b.get(`${API}/auth/me`)).status).toBe(200);
        expect((await session()).lastSeenAt.getTime()).toBe(started.getTime() + 90_000);
        h.advance(119);
        expect((await b.get(`${API}/auth/me`)).status).toBe(200);
        h.advance(120);
        expect((await b.get(`${API}/auth/me`)).status).toBe(401);
      });

      test("a session ends at its absolute lifetime even when active", async () => {
        const b = await h.loggedIn("admin");
        for (let hour = 0; hour < 23; hour++) {
          h.advance(60);
          expect((await b.get(`${API}/auth/me`)).status).toBe(200);
        }
        h.advance(60);
        expect((await b.get(`${API}/auth/me`)).status).toBe(401);
      });
    });

    describe("registration policy", () => {
      const body = (email: string, password = "Ett-bra-lösenord-9") => ({ email, password, first_name: "Ny", last_name: "Person" });
      // one app per policy; each row registers a different address
      const byPolicy = new Map<string, Promise<TestApp>>();
      const appFor = (auth: { registration: "closed" | "open" | "domains"; allowed_domains?: readonly string[] }) => {
        const key = JSON.stringify(auth);
        if (!byPolicy.has(key)) byPolicy.set(key, open({ auth: { registration: auth.registration, allowed_domains: [...(auth.allowed_domains ?? [])] } }));
        return byPolicy.get(key)!;
      };
      test.each([
        ["closed", { registration: "closed" }, body("ny@skola.se"), 403, "auth.registration_closed"],
        ["domains: allowed domain", { registration: "domains", allowed_domains: ["skola.se"] }, body("ny@skola.se"), 201, undefined],
        ["domains: subdomain not listed", { registration: "domains", allowed_domains: ["skola.se"] }, body("elev@elev.skola.se"), 403, "auth.domain_not_allowed"],
        ["domains: other domain", { registration: "domains", allowed_domains: ["skola.se"] }, body("ny@gmail.com"), 403, "auth.domain_not_allowed"],
        ["open: any domain", { registration: "open" }, body("ny@gmail.com"), 201, undefined],
        ["open: same address again", { registration: "open" }, body("Ny@Gmail.com"), 409, "auth.email_taken"],
        ["open: taken e-mail in other case", { registration: "open" }, body("USER@skola.se"), 409, "auth.email_taken"],
        ["open: too short password", { registration: "open" }, body("ny@skola.se", "kort"), 422, "auth.weak_password"],
        ["open: password = e-mail", { registration: "open" }, body("ny.person@skola.se", "ny.person@skola.se"), 422, "auth.weak_password"],
        ["open: invalid e-mail", { registration: "open" }, body("not-an-address"), 422, "validation.failed"],
        ["open: missing names", { registration: "open" }, { email: "ny@skola.se", password: "Ett-bra-lösenord-9" }, 422, "validation.failed"],
      ] as const)("%s", async (_name, auth, payload, status, code) => {
        const h = await appFor(auth);
        const registered = async () => (await h.deps.audit.list({ action: "user.registered" })).length;
        const before = await registered();
        const r = await h.browser().post(`${API}/auth/register`, payload);
        expect(r.status).toBe(status);
        expect(errorCode(r.body)).toBe(code);
        expect(await registered()).toBe(before + (status === 201 ? 1 : 0));
        if (status === 201) expect(r.body).toEqual({ verification_required: true });
        if (code === "auth.weak_password") expect((r.body.error as { details: { path: string }[] }).details[0]?.path).toBe("/password");
      });
    });

    describe("e-mail verification", () => {
      let h: TestApp;
      beforeAll(async () => {
        h = await open({ auth: { registration: "open", require_email_verification: true } });
      });

      test("register → login refused until the mailed link is opened → the link works once", async () => {
        const email = "Ny.Larare@Skola.se";
        const b = h.browser();
        const reg = await b.post(`${API}/auth/register`, { email, password: "Ett-bra-lösenord-9", first_name: "Nora", last_name: "Lärare", locale: "en" });
        expect(reg.status).toBe(201);
        const refused = await b.post(`${API}/auth/login`, { email, password: "Ett-bra-lösenord-9" });
        expect([refused.status, errorCode(refused.body)]).toEqual([403, "auth.email_not_verified"]);
        const msg = h.mail.at(-1)!;
        expect(msg.to).toBe("ny.larare@skola.se");
        expect(msg.subject).toContain("Confirm your e-mail address"); // the locale chosen at registration
        expect(msg.text).toContain("https://skriptoteket.skola.se/verify-email?token=");
        const token = tokenFromMail(h.mail, "ny.larare@skola.se", "/verify-email");
        const ok = await b.post(`${API}/auth/verify-email`, { token });
        expect([ok.status, ok.body]).toEqual([200, { verified: true }]);
        const again = await b.post(`${API}/auth/verify-email`, { token });
        expect([again.status, errorCode(again.body)]).toEqual([400, "auth.token_invalid"]);
        expect((await b.post(`${API}/auth/login`, { email, password: "Ett-bra-lösenord-9" })).status).toBe(200);
        const u = await h.deps.users.findByEmail(email);
        expect(await h.auditActions(u!.id)).toEqual(["user.registered", "auth.login_failed", "user.email_verified", "auth.login_succeeded"]);
      });

      test("resend is always 202; only an unverified account gets a new link, and the older link stops working", async () => {
        const b = h.browser();
        await b.post(`${API}/auth/register`, { email: "sen@skola.se", password: "Ett-bra-lösenord-9", first_name: "S", last_name: "En" });
        const first = tokenFromMail(h.mail, "sen@skola.se", "/verify-email");
        const count = h.mail.length;
        for (const email of ["sen@skola.se", "nobody@skola.se", emailOf("user")]) {
          const r = await b.post(`${API}/auth/resend-verification`, { email });
          expect([r.status, r.body]).toEqual([202, {}]);
        }
        expect(h.mail.length).toBe(count + 1);
        expect(h.mail.at(-1)?.subject).toContain("Bekräfta"); // no locale chosen: the site default
        const second = tokenFromMail(h.mail, "sen@skola.se", "/verify-email");
        expect(second).not.toBe(first);
        expect((await b.post(`${API}/auth/verify-email`, { token: first })).status).toBe(400);
        expect((await b.post(`${API}/auth/verify-email`, { token: second })).status).toBe(200);
      });

      test("a verification link expires", async () => {
        const b = h.browser();
        await b.post(`${API}/auth/register`, { email: "sent@skola.se", password: "Ett-bra-lösenord-9", first_name: "S", last_name: "T" });
        const token = tokenFromMail(h.mail, "sent@skola.se", "/verify-email");
        h.advance(72 * 60);
        expect((await b.post(`${API}/auth/verify-email`, { token })).status).toBe(400);
      });
    });

    describe("forgot and reset password", () => {
      let h: TestApp;
      beforeAll(async () => {
        h = await open();
      });

      test("forgot is 202 for everyone; only a real account gets a link", async () => {
        const b = h.browser();
        for (const email of ["nobody@skola.se", emailOf("user")]) expect((await b.post(`${API}/auth/forgot-password`, { email })).status).toBe(202);
        expect(h.mail.map((m) => m.to)).toEqual([emailOf("user")]);
        expect(h.mail[0]?.text).toContain("https://skriptoteket.skola.se/reset-password?token=");
        expect(await h.auditActions(h.users.user)).toContain("auth.password_reset_requested");
      });

      test("reset: a weak password keeps the link usable; a good one ends all sessions and works once", async () => {
        const other = await h.loggedIn("user");
        const b = h.browser();
        const token = tokenFromMail(h.mail, emailOf("user"), "/reset-password");
        const weak = await b.post(`${API}/auth/reset-password`, { token, password: "kort" });
        expect([weak.status, errorCode(weak.body)]).toEqual([422, "auth.weak_password"]);
        const ok = await b.post(`${API}/auth/reset-password`, { token, password: "Nytt-lösenord-efter-reset" });
        expect([ok.status, ok.body]).toEqual([200, {}]);
        expect((await other.get(`${API}/auth/me`)).status).toBe(401);
        expect((await b.post(`${API}/auth/reset-password`, { token, password: "Ett-annat-lösenord-2" })).status).toBe(400);
        expect((await h.browser().post(`${API}/auth/login`, { email: emailOf("user"), password: PASSWORDS.user })).status).toBe(401);
        expect((await h.browser().post(`${API}/auth/login`, { email: emailOf("user"), password: "Nytt-lösenord-efter-reset" })).status).toBe(200);
        const done = await h.deps.audit.list({ action: "auth.password_reset_completed" });
        expect(done.map((e) => e.after)).toEqual([{ sessions_revoked: 1 }]);
      });

      test("a reset link lifts a lockout and is valid for an hour only", async () => {
        const email = emailOf("admin");
        for (let i = 0; i < 5; i++) await h.browser().post(`${API}/auth/login`, { email, password: `wrong-${i}-password` });
        expect((await h.browser().post(`${API}/auth/login`, { email, password: PASSWORDS.admin })).status).toBe(423);
        await h.browser().post(`${API}/auth/forgot-password`, { email });
        const late = tokenFromMail(h.mail, email, "/reset-password");
        h.advance(61);
        expect((await h.browser().post(`${API}/auth/reset-password`, { token: late, password: "Helt-nytt-lösenord-1" })).status).toBe(400);
        await h.browser().post(`${API}/auth/forgot-password`, { email });
        const token = tokenFromMail(h.mail, email, "/reset-password");
        expect((await h.browser().post(`${API}/auth/reset-password`, { token, password: "Helt-nytt-lösenord-1" })).status).toBe(200);
        expect((await h.browser().post(`${API}/auth/login`, { email, password: "Helt-nytt-lösenord-1" })).status).toBe(200);
      });
    });

    describe("profile and own password", () => {
      let h: TestApp;
      beforeAll(async () => {
        h = await open();
      });

      test("GET and PATCH /profile; the audit holds only what changed", async () => {
        const b = await h.loggedIn("user");
        expect((await b.get(`${API}/profile`)).body.user).toMatchObject({ email: emailOf("user"), first_name: "user", locale: null });
        const r = await b.patch(`${API}/profile`, { first_name: "  Åsa ", last_name: "Test", locale: "en" });
        expect(r.status).toBe(200);
        expect(r.body.user).toMatchObject({ first_name: "Åsa", last_name: "Test", locale: "en" });
        const [event] = await h.deps.audit.list({ action: "profile.updated" });
        expect([event?.before, event?.after]).toEqual([{ first_name: "user", locale: null }, { first_name: "Åsa", locale: "en" }]);
        const bad = await b.patch(`${API}/profile`, { locale: "de" });
        expect([bad.status, errorCode(bad.body)]).toEqual([422, "validation.failed"]);
        expect((await b.patch(`${API}/profile`, { locale: null })).body.user).toMatchObject({ locale: null });
        expect((await h.browser().get(`${API}/profile`)).status).toBe(401);
      });

      test("the chosen language is used for the user's e-mails", async () => {
        const b = await h.loggedIn("admin");
        await b.patch(`${API}/profile`, { locale: "en" });
        await h.browser().post(`${API}/auth/forgot-password`, { email: emailOf("admin") }, { headers: { "accept-language": "sv" } });
        expect(h.mail.at(-1)?.subject).toBe("Choose a new password for Skriptoteket");
      });

      test("change password: wrong current → 401, weak → 422, ok → 204 and only other sessions end", async () => {
        const here = await h.loggedIn("contributor");
        const elsewhere = await h.loggedIn("contributor");
        const wrong = await here.post(`${API}/profile/password`, { current_password: "not-my-password", new_password: "Ett-nytt-lösenord-5" });
        expect([wrong.status, errorCode(wrong.body)]).toEqual([401, "auth.invalid_credentials"]);
        const weak = await here.post(`${API}/profile/password`, { current_password: PASSWORDS.contributor, new_password: "Password123" });
        expect([weak.status, (weak.body.error as { details: { path: string }[] }).details[0]?.path]).toEqual([422, "/new_password"]);
        const ok = await here.post(`${API}/profile/password`, { current_password: PASSWORDS.contributor, new_password: "Ett-nytt-lösenord-5" });
        expect(ok.status).toBe(204);
        expect((await here.get(`${API}/auth/me`)).status).toBe(200);
        expect((await elsewhere.get(`${API}/auth/me`)).status).toBe(401);
        expect((await h.browser().post(`${API}/auth/login`, { email: emailOf("contributor"), password: "Ett-nytt-lösenord-5" })).status).toBe(200);
        const [event] = await h.deps.audit.list({ action: "user.password_changed" });
        expect(event?.after).toEqual({ sessions_revoked: 1 });
      });
    });

    describe("rate limit", () => {
      test("login is limited per client IP: 429 with Retry-After, other IPs unaffected", async () => {
        const h = await open({ rateLimit: 3, trustProxy: true });
        const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
        const b = h.browser();
        await b.refreshCsrf();
        for (let i = 0; i < 3; i++) expect((await b.post(`${API}/auth/login`, { email: "x@skola.se", password: "whatever-123" }, from("10.0.0.7"))).status).toBe(401);
        const limited = await b.post(`${API}/auth/login`, { email: emailOf("user"), password: PASSWORDS.user }, from("10.0.0.7"));
        expect([limited.status, errorCode(limited.body)]).toEqual([429, "rate_limited"]);
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(limited.body.error).toMatchObject({ details: { retry_after_seconds: expect.any(Number) } });
        const other = await b.post(`${API}/auth/login`, { email: emailOf("user"), password: PASSWORDS.user }, from("10.0.0.8"));
        expect(other.status).toBe(200);
        const events = await h.deps.loginEvents.listForUser(h.users.user, { limit: 5, offset: 0 });
        expect(events.items[0]).toMatchObject({ outcome: "success", ip: "10.0.0.8" });
      });
    });
  });
}

describe("no password, token or hash reaches the log or the audit log (smtp provider)", () => {
  const sink = startSmtpSink();
  let h: TestApp;
  beforeAll(async () => {
    const smtp = { ...defaultConfig().email, provider: "smtp" as const, smtp_host: "127.0.0.1", smtp_port: sink.port, smtp_security: "none" as const };
    h = await createTestApp("sqlite", { auth: { registration: "open" }, mailer: (log) => createSmtpMailer(smtp, log) });
  });
  afterAll(async () => {
    sink.stop();
    await h?.close();
  });

  const mailedToken = async (n: number, path: string) => {
    const messages = await sink.waitFor(n);
    const text = plainTextOf(messages[n - 1]!.raw);
    expect(text).toContain(`https://skriptoteket.skola.se${path}?token=`);
    return text.match(/token=([A-Za-z0-9_-]+)/)![1]!;
  };

  test("a full account life through the API leaves no secret behind", async () => {
    const secrets: string[] = ["Första-lösenordet-1", "Andra-lösenordet-22", "Tredje-lösenordet-333", "Ett-fel-lösenord-4444"];
    const b = h.browser();
    await b.post(`${API}/auth/register`, { email: "hemlig@skola.se", password: secrets[0], first_name: "H", last_name: "L" });
    const verify = await mailedToken(1, "/verify-email");
    expect((await b.post(`${API}/auth/verify-email`, { token: verify })).status).toBe(200);
    expect((await b.post(`${API}/auth/login`, { email: "hemlig@skola.se", password: secrets[3] })).status).toBe(401);
    expect((await b.post(`${API}/auth/login`, { email: "hemlig@skola.se", password: secrets[0] })).status).toBe(200);
    secrets.push(b.session!, b.csrf!);
    expect((await b.post(`${API}/profile/password`, { current_password: secrets[0], new_password: secrets[1] })).status).toBe(204);
    await h.browser().post(`${API}/auth/forgot-password`, { email: "hemlig@skola.se" });
    const reset = await mailedToken(2, "/reset-password");
    expect((await h.browser().post(`${API}/auth/reset-password`, { token: reset, password: secrets[2] })).status).toBe(200);
    const su = await h.loggedIn("superuser");
    const id = (await h.deps.users.findByEmail("hemlig@skola.se"))!.id;
    const generated = (await su.post(`/api/v1/admin/users/${id}/reset-password`)).body.password as string;
    secrets.push(verify, reset, generated, su.session!, su.csrf!, PASSWORDS.superuser, (await h.deps.users.getById(id))!.passwordHash);

    const logs = h.logLines.join("\n");
    expect(logs).toContain("e-mail sent");
    const audit = JSON.stringify(await h.deps.audit.list());
    expect(audit).toContain("auth.password_reset_completed");
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
    expect(audit).not.toContain("$argon2");
  });
});
