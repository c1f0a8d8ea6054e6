// Site facts, signing in and out, registration, e-mail links and the user's own profile.
import { Elysia, type Cookie } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { cookieFlags, CSRF_COOKIE, readCookie, SESSION_COOKIE, type CookieFlags } from "../http/cookies";
import type { IdentityDeps } from "./identity.deps";
import * as auth from "./auth.service";
import { updateProfile } from "./profile.service";
import { endSession, requestMeta, requireAuth } from "./sessions.service";
import { getUser, toUserJson } from "./users.service";
import { randomToken } from "./identity.crypto";
import { configuredProviders } from "./oidc.rules";
import {
  ChangePasswordBody,
  CsrfResponse,
  EmailBody,
  Empty,
  LoginBody,
  LoginResponse,
  MetaResponse,
  ProfilePatchBody,
  RegisterBody,
  RegisterResponse,
  ResetPasswordBody,
  TokenBody,
  UserEnvelope,
} from "./identity.schemas";

const tags = ["auth"];
const profileTags = ["profile"];

function setCookie(jar: Record<string, Cookie<unknown>>, name: string, value: string, flags: CookieFlags): void {
  jar[name]?.set({ value, ...flags });
}

// Our tokens are 32 bytes in base64url; a cookie of another shape is not reused.
const OUR_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function identityRoutes(ctx: HttpContextPlugin, deps: IdentityDeps) {
  const secure = deps.config.server.cookie_secure;
  return new Elysia({ name: "identity-routes", prefix: "/api/v1" })
    .use(ctx)
    .get(
      "/meta",
      () => ({
        default_locale: deps.config.server.default_locale,
        registration: deps.config.auth.registration,
        allowed_domains: deps.config.auth.allowed_domains,
        version: deps.version,
        // shown next to the file picker, so a teacher learns the limits before uploading
        max_upload_mb: deps.config.storage.max_upload_mb,
        max_upload_files: deps.config.storage.max_upload_files,
        // with AI off the UI shows no AI element at all
        ai_enabled: deps.config.ai.enabled,
        // the login page's single sign-on buttons
        sso: {
          providers: configuredProviders(deps.config).map((p) => ({ id: p.id, label: p.label, login_url: `/api/v1/auth/oidc/${p.id}/start` })),
          local_login: deps.config.sso.local_login,
        },
      }),
      { permission: "public", response: MetaResponse, detail: { summary: "Site facts the UI needs before login", tags: ["meta"] } },
    )
    .get(
      "/auth/csrf",
      ({ auth: session, cookie, request }) => {
        if (session) return { csrf_token: session.csrfToken };
        const existing = readCookie(request.headers.get("cookie"), CSRF_COOKIE);
        const token = existing && OUR_TOKEN.test(existing) ? existing : randomToken();
        setCookie(cookie, CSRF_COOKIE, token, cookieFlags(secure));
        return { csrf_token: token };
      },
      {
        permission: "public",
        response: CsrfResponse,
        detail: { summary: "The CSRF token to send as X-CSRF-Token (the session's, or a pre-session cookie's)", tags },
      },
    )
    .post(
      "/auth/login",
      async (c) => {
        const result = await auth.login(deps, { email: c.body.email, password: c.body.password, meta: requestMeta(c) });
        if (c.auth) await endSession(deps, c.auth.sessionId);
        setCookie(c.cookie, SESSION_COOKIE, result.token, cookieFlags(secure, result.maxAgeSeconds));
        return { user: toUserJson(result.user), csrf_token: result.csrfToken };
      },
      {
        permission: "public",
        rateLimit: true,
        body: LoginBody,
        response: LoginResponse,
        detail: { summary: "Log in with e-mail and password; sets the session cookie", tags },
      },
    )
    .post(
      "/auth/logout",
      async (c) => {
        await auth.logout(deps, { auth: requireAuth(c.auth), meta: requestMeta(c) });
        setCookie(c.cookie, SESSION_COOKIE, "", cookieFlags(secure, 0));
        c.set.status = 204;
      },
      { permission: "user", detail: { summary: "Log out: ends the session and clears the cookie", tags } },
    )
    .get("/auth/me", async (c) => ({ user: toUserJson(await getUser(deps, requireAuth(c.auth).user.id)) }), {
      permission: "user",
      response: UserEnvelope,
      detail: { summary: "The signed-in user", tags },
    })
    .post(
      "/auth/register",
      async (c) => {
        const { email, password, first_name, last_name, locale } = c.body;
        const meta = requestMeta(c);
        const r = await auth.register(deps, { email, password, firstName: first_name, lastName: last_name, locale: locale ?? null, meta });
        c.set.status = 201;
        return { verification_required: r.verificationRequired };
      },
      {
        permission: "public",
        rateLimit: true,
        body: RegisterBody,
        response: { 201: RegisterResponse },
        detail: { summary: "Create an account (when [auth] registration allows it)", tags },
      },
    )
    .post(
      "/auth/verify-email",
      async (c) => {
        await auth.verifyEmail(deps, { token: c.body.token, meta: requestMeta(c) });
        return { verified: true as const };
      },
      { permission: "public", rateLimit: true, body: TokenBody, detail: { summary: "Confirm an e-mail address with the mailed token", tags } },
    )
    .post(
      "/auth/resend-verification",
      async (c) => {
        await auth.resendVerification(deps, { email: c.body.email, meta: requestMeta(c) });
        c.set.status = 202;
        return {};
      },
      {
        permission: "public",
        rateLimit: true,
        body: EmailBody,
        response: { 202: Empty },
        detail: { summary: "Send the verification link again (always 202)", tags },
      },
    )
    .post(
      "/auth/forgot-password",
      async (c) => {
        await auth.forgotPassword(deps, { email: c.body.email, meta: requestMeta(c) });
        c.set.status = 202;
        return {};
      },
      {
        permission: "public",
        rateLimit: true,
        body: EmailBody,
        response: { 202: Empty },
        detail: { summary: "Mail a password reset link (always 202)", tags },
      },
    )
    .post(
      "/auth/reset-password",
      async (c) => {
        await auth.resetPassword(deps, { token: c.body.token, password: c.body.password, meta: requestMeta(c) });
        return {};
      },
      {
        permission: "public",
        rateLimit: true,
        body: ResetPasswordBody,
        response: Empty,
        detail: { summary: "Set a new password with the mailed token; ends all sessions", tags },
      },
    )
    .get("/profile", async (c) => ({ user: toUserJson(await getUser(deps, requireAuth(c.auth).user.id)) }), {
      permission: "user",
      response: UserEnvelope,
      detail: { summary: "The signed-in user's profile", tags: profileTags },
    })
    .patch(
      "/profile",
      async (c) => {
        const { first_name, last_name, locale } = c.body;
        const patch = { firstName: first_name, lastName: last_name, locale };
        const user = await updateProfile(deps, { auth: requireAuth(c.auth), patch, meta: requestMeta(c) });
        return { user: toUserJson(user) };
      },
      {
        permission: "user",
        body: ProfilePatchBody,
        response: UserEnvelope,
        detail: { summary: "Change name or preferred language", tags: profileTags },
      },
    )
    .post(
      "/profile/password",
      async (c) => {
        const { current_password, new_password } = c.body;
        await auth.changePassword(deps, { auth: requireAuth(c.auth), currentPassword: current_password, newPassword: new_password, meta: requestMeta(c) });
        c.set.status = 204;
      },
      {
        permission: "user",
        body: ChangePasswordBody,
        detail: { summary: "Change the own password; other sessions end, this one stays", tags: profileTags },
      },
    );
}
