// Single sign-on: the login button's target (/start redirects to the provider) and the provider's
// redirect back (/callback). Both are browser navigations, so they answer with redirects: a refusal
// lands on /login?sso_error=<code>, where the login page shows the translated reason.
import { Elysia, t, type Cookie } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { AppError } from "../http/errors";
import { cookieFlags, readCookie, SESSION_COOKIE } from "../http/cookies";
import { endSession, requestMeta } from "./sessions.service";
import { OidcErrors } from "./oidc.errors";
import { decodeFlowState, OIDC_FLOW_TTL_MS } from "./oidc.rules";
import { finishOidcLogin, startOidcLogin, type OidcDeps } from "./oidc.service";

/**
 * The flow state (state, nonce, PKCE verifier, return path) between /start and /callback. HttpOnly and
 * SameSite=Lax (sent on the provider's top-level redirect back). It needs no signature: state, nonce
 * and verifier are checked by the provider and against the signed ID token, so a visitor who edits
 * their own cookie only breaks their own login, and the return path is re-checked as a local path.
 */
export const OIDC_FLOW_COOKIE = "skriptoteket_oidc";

const tags = ["auth"];
const ProviderParams = t.Object({ id: t.String({ pattern: "^[0-9]{1,2}$" }) });

function loginPageWith(error: AppError): string {
  return `/login?sso_error=${encodeURIComponent(error.code)}`;
}

export function oidcRoutes(ctx: HttpContextPlugin, deps: OidcDeps) {
  const secure = deps.config.server.cookie_secure;
  const setCookie = (jar: Record<string, Cookie<unknown>>, name: string, value: string, maxAge: number) => jar[name]?.set({ value, ...cookieFlags(secure, maxAge) });
  return new Elysia({ name: "oidc-routes", prefix: "/api/v1/auth/oidc" })
    .use(ctx)
    .get(
      "/:id/start",
      async (c) => {
        try {
          const { url, flow } = await startOidcLogin(deps, { providerId: c.params.id, returnTo: c.query.return_to ?? null });
          setCookie(c.cookie, OIDC_FLOW_COOKIE, flow, OIDC_FLOW_TTL_MS / 1000);
          return c.redirect(url, 302);
        } catch (error) {
          if (error instanceof AppError) return c.redirect(loginPageWith(error), 302);
          throw error;
        }
      },
      {
        permission: "public",
        rateLimit: true,
        params: ProviderParams,
        query: t.Object({ return_to: t.Optional(t.String({ maxLength: 2000 })) }),
        detail: { summary: "Log in with a single sign-on provider: redirects to it (the login page's button)", tags },
      },
    )
    .get(
      "/:id/callback",
      async (c) => {
        const flow = decodeFlowState(readCookie(c.request.headers.get("cookie"), OIDC_FLOW_COOKIE), c.params.id, deps.now().getTime());
        setCookie(c.cookie, OIDC_FLOW_COOKIE, "", 0);
        try {
          // no flow cookie (expired, another browser) or the provider reports an error (e.g. the user cancelled)
          if (!flow || c.query.error) throw OidcErrors.failed();
          const query = new URL(c.request.url).search.slice(1);
          const result = await finishOidcLogin(deps, { providerId: c.params.id, flow, query, meta: requestMeta(c) });
          if (c.auth) await endSession(deps, c.auth.sessionId);
          setCookie(c.cookie, SESSION_COOKIE, result.token, result.maxAgeSeconds);
          return c.redirect(result.returnTo, 302);
        } catch (error) {
          if (error instanceof AppError) return c.redirect(loginPageWith(error), 302);
          throw error;
        }
      },
      {
        permission: "public",
        rateLimit: true,
        params: ProviderParams,
        query: t.Object({
          code: t.Optional(t.String({ maxLength: 4096 })),
          state: t.Optional(t.String({ maxLength: 1024 })),
          error: t.Optional(t.String({ maxLength: 256 })),
          error_description: t.Optional(t.String({ maxLength: 2048 })),
          iss: t.Optional(t.String({ maxLength: 2048 })),
          session_state: t.Optional(t.String({ maxLength: 1024 })),
        }),
        detail: { summary: "The provider's redirect back: starts a session and returns to the page the user came from", tags },
      },
    );
}
