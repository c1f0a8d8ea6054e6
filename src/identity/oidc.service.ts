// Single sign-on with OpenID Connect (openid-client): the authorization code flow with PKCE, state and
// nonce; just-in-time accounts; the [sso] e-mail domain allowlist; the optional groups-claim → role
// mapping. Every outcome is a login event, a metric and an audit event, like a password login.
import * as client from "openid-client";
import type { Store } from "../store/db";
import { userActor, type AuditActor } from "../audit/audit.actions";
import { recordAudit } from "../audit/audit.service";
import { AppError } from "../http/errors";
import type { IdentityDeps } from "./identity.deps";
import { normalizeEmail } from "./identity.rules";
import type { LoginOutcome } from "./login-events.repository";
import { OidcErrors } from "./oidc.errors";
import { createOidcIdentitiesRepository, type OidcIdentitiesRepository } from "./oidc.repository";
import {
  configuredProviders,
  emailDomainAllowed,
  emailFromClaims,
  encodeFlowState,
  groupsFromClaims,
  mappedRole,
  safeReturnPath,
  type OidcFlowState,
  type OidcProvider,
} from "./oidc.rules";
import { startSession, type StartedSession } from "./sessions.service";
import type { AuthMeta } from "./auth.service";
import type { UserRecord } from "./users.repository";

// An account made by single sign-on has no password: this is no valid hash, so every password
// check fails (verifyPassword reads a malformed hash as "wrong password").
const NO_PASSWORD = "!sso";
const DISCOVERY_TIMEOUT_S = 10;

export type OidcDeps = IdentityDeps & {
  oidcIdentities: OidcIdentitiesRepository;
  /** The provider's discovered configuration, cached per process (a failed discovery is retried next time). */
  discover(provider: OidcProvider): Promise<client.Configuration>;
};

export function createOidcDeps(identity: IdentityDeps, store: Store): OidcDeps {
  const cache = new Map<string, Promise<client.Configuration>>();
  return {
    ...identity,
    oidcIdentities: createOidcIdentitiesRepository(store),
    discover(provider) {
      const key = `${provider.id}|${provider.issuer}|${provider.clientId}`;
      let found = cache.get(key);
      if (!found) {
        // http:// issuers only exist in tests and labs; openid-client refuses them unless allowed.
        const execute = provider.issuer.startsWith("http://") ? [client.allowInsecureRequests] : [];
        found = client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, { execute, timeout: DISCOVERY_TIMEOUT_S });
        found.catch(() => cache.delete(key));
        cache.set(key, found);
      }
      return found;
    },
  };
}

export function findProvider(deps: Pick<IdentityDeps, "config">, id: string): OidcProvider {
  const provider = configuredProviders(deps.config).find((p) => p.id === id);
  if (!provider) throw OidcErrors.providerNotFound();
  return provider;
}

export function callbackUrl(deps: Pick<IdentityDeps, "config">, providerId: string): string {
  return `${deps.config.server.public_url}/api/v1/auth/oidc/${providerId}/callback`;
}

async function discoverOrFail(deps: OidcDeps, provider: OidcProvider): Promise<client.Configuration> {
  try {
    return await deps.discover(provider);
  } catch (error) {
    deps.log.error("sso provider discovery failed", { provider: provider.id, issuer: provider.issuer, error: error instanceof Error ? error.message : String(error) });
    throw OidcErrors.providerUnavailable();
  }
}

/** Step 1: the provider's authorization URL, and the flow state the browser keeps (HttpOnly cookie) until the callback. */
export async function startOidcLogin(deps: OidcDeps, input: { providerId: string; returnTo: string | null }): Promise<{ url: string; flow: string }> {
  const provider = findProvider(deps, input.providerId);
  const config = await discoverOrFail(deps, provider);
  const verifier = client.randomPKCECodeVerifier();
  const flow: OidcFlowState = {
    provider: provider.id,
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier,
    returnTo: safeReturnPath(input.returnTo),
    createdAt: deps.now().getTime(),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(deps, provider.id),
    scope: provider.scopes.join(" "),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, flow: encodeFlowState(flow) };
}

export type OidcLoginResult = StartedSession & { user: UserRecord; returnTo: string; created: boolean };

async function recordDenied(deps: OidcDeps, provider: OidcProvider, email: string | null, user: UserRecord | null, error: AppError, meta: AuthMeta): Promise<void> {
  const outcome: LoginOutcome = "sso_denied";
  await deps.loginEvents.record({ userId: user?.id ?? null, email: email ?? "", outcome, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 512) ?? null, createdAt: deps.now() });
  deps.metrics.logins.inc({ outcome });
  const actor: AuditActor = user ? userActor(user) : { kind: "anonymous" };
  await recordAudit(deps, {
    ...meta,
    actor,
    action: "auth.sso_login_failed",
    target: user ? { type: "user", id: user.id } : null,
    before: null,
    after: { provider: provider.id, email, reason: error.code },
  });
}

/** The claims of the ID token, completed from the userinfo endpoint when the token carries no e-mail. */
async function exchangeCode(deps: OidcDeps, provider: OidcProvider, flow: OidcFlowState, query: string): Promise<Record<string, unknown>> {
  const config = await discoverOrFail(deps, provider);
  try {
    // The redirect URI sent to the token endpoint is this URL without its query, exactly as registered.
    const current = new URL(`${callbackUrl(deps, provider.id)}?${query}`);
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims: Record<string, unknown> = { ...tokens.claims() };
    if (!emailFromClaims(claims) && tokens.access_token && typeof claims.sub === "string") {
      Object.assign(claims, await client.fetchUserInfo(config, tokens.access_token, claims.sub), { sub: claims.sub });
    }
    return claims;
  } catch (error) {
    deps.log.warn("sso code exchange failed", { provider: provider.id, error: error instanceof Error ? error.message : String(error) });
    throw OidcErrors.failed();
  }
}

function nameFromClaims(claims: Record<string, unknown>): { firstName: string; lastName: string } {
  const str = (k: string) => (typeof claims[k] === "string" ? (claims[k] as string).trim().slice(0, 100) : "");
  return { firstName: str("given_name") || str("name"), lastName: str("family_name") };
}

/** The linked account, else the account with the same e-mail (linked now), else a new one when allowed. */
async function findOrCreateUser(deps: OidcDeps, issuer: string, subject: string, email: string, claims: Record<string, unknown>, meta: AuthMeta): Promise<{ user: UserRecord | null; created: boolean }> {
  const linked = await deps.oidcIdentities.find(issuer, subject);
  if (linked) {
    await deps.oidcIdentities.touch(linked.id, deps.now());
    return { user: await deps.users.getById(linked.userId), created: false };
  }
  let user = await deps.users.findByEmail(email);
  let created = false;
  if (!user) {
    if (!deps.config.sso.create_accounts) return { user: null, created: false };
    const { firstName, lastName } = nameFromClaims(claims);
    user = await deps.users.create({ email: normalizeEmail(email), passwordHash: NO_PASSWORD, role: "user", active: true, emailVerified: true, firstName, lastName, locale: null, now: deps.now() });
    // null: a concurrent first login created it a moment ago
    user ??= await deps.users.findByEmail(email);
    if (!user) throw OidcErrors.failed();
    created = true;
    await recordAudit(deps, {
      ...meta,
      actor: userActor(user),
      action: "user.created",
      target: { type: "user", id: user.id },
      before: null,
      after: { email: user.email, role: user.role, active: user.active, email_verified: user.emailVerified },
    });
  }
  await deps.oidcIdentities.link({ issuer, subject, userId: user.id, now: deps.now() });
  return { user, created };
}

/**
 * Step 2, the callback: checks state, nonce and PKCE through the code exchange, then the e-mail rules,
 * finds or creates the account, maps the role and starts a session. A refusal throws an OidcErrors
 * error after recording it.
 */
export async function finishOidcLogin(deps: OidcDeps, input: { providerId: string; flow: OidcFlowState; query: string; meta: AuthMeta }): Promise<OidcLoginResult> {
  const provider = findProvider(deps, input.providerId);
  const { meta } = input;
  let email: string | null = null;
  let user: UserRecord | null = null;
  try {
    const claims = await exchangeCode(deps, provider, input.flow, input.query);
    const subject = typeof claims.sub === "string" ? claims.sub : "";
    email = emailFromClaims(claims);
    if (!email || !subject) throw OidcErrors.emailMissing();
    if (claims.email_verified === false) throw OidcErrors.emailUnverified();
    if (!emailDomainAllowed(email, deps.config.sso.allowed_domains)) throw OidcErrors.domainNotAllowed();
    const issuer = typeof claims.iss === "string" ? claims.iss : provider.issuer;
    const found = await findOrCreateUser(deps, issuer, subject, email, claims, meta);
    user = found.user;
    if (!user) throw OidcErrors.noAccount();
    if (!user.active) throw OidcErrors.accountInactive();

    const role = provider.groupsClaim ? mappedRole(user.role, groupsFromClaims(claims, provider.groupsClaim), provider) : null;
    if (role) {
      const before = user.role;
      user = (await deps.users.updateAccount(user.id, { role }, deps.now())) ?? user;
      await recordAudit(deps, { ...meta, actor: userActor(user), action: "user.role_mapped", target: { type: "user", id: user.id }, before: { role: before }, after: { role, provider: provider.id } });
    }
    await deps.users.recordSuccessfulLogin(user.id, deps.now());
    const started = await startSession(deps, user.id, meta);
    await deps.loginEvents.record({ userId: user.id, email: user.email, outcome: "sso_success", ip: meta.ip, userAgent: meta.userAgent?.slice(0, 512) ?? null, createdAt: deps.now() });
    deps.metrics.logins.inc({ outcome: "sso_success" });
    await recordAudit(deps, {
      ...meta,
      actor: userActor(user),
      action: "auth.sso_login_succeeded",
      target: { type: "user", id: user.id },
      before: null,
      after: { provider: provider.id, created: found.created, role: user.role },
    });
    return { ...started, user, returnTo: input.flow.returnTo, created: found.created };
  } catch (error) {
    if (error instanceof AppError) await recordDenied(deps, provider, email, user, error, meta);
    throw error;
  }
}
