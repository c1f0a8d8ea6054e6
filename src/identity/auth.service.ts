// Signing in and out, self-registration, e-mail verification and password recovery/change.
// Every login attempt is recorded (login event, metric, audit); answers never reveal more than
// the API contract allows (forgot/resend always succeed, unknown e-mail = wrong password).
import type { AuthContext } from "../http/http-context";
import type { Locale } from "../http/errors";
import { userActor, type AuditActor } from "../audit/audit.actions";
import { recordAudit, type RequestMeta } from "../audit/audit.service";
import { renderEmail, type EmailKind } from "../email/templates";
import type { IdentityDeps } from "./identity.deps";
import { IdentityErrors } from "./identity.errors";
import { hashPassword, randomToken, sha256Hex, verifyAgainstDummy, verifyPassword } from "./identity.crypto";
import { checkRegistration, EMAIL_TOKEN_TTL_MS, isLocked, lockAfterFailure, normalizeEmail, type EmailTokenPurpose } from "./identity.rules";
import type { LoginOutcome } from "./login-events.repository";
import type { UserRecord } from "./users.repository";
import { assertAcceptablePassword, assertValidEmail } from "./users.service";
import { startSession, type StartedSession } from "./sessions.service";
import { passwordLoginAllowed } from "./oidc.rules";
import { OidcErrors } from "./oidc.errors";

/** Request facts the services record; `locale` is the caller's language (for e-mails). */
export type AuthMeta = RequestMeta & { locale: Locale };

const ANONYMOUS: AuditActor = { kind: "anonymous" };

// ---------- login ----------

async function recordAttempt(deps: IdentityDeps, email: string, user: UserRecord | null, outcome: LoginOutcome, meta: AuthMeta): Promise<void> {
  await deps.loginEvents.record({ userId: user?.id ?? null, email, outcome, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 512) ?? null, createdAt: deps.now() });
  deps.metrics.logins.inc({ outcome });
  const target = user ? { type: "user" as const, id: user.id } : null;
  if (outcome === "success" && user) {
    await recordAudit(deps, { ...meta, actor: userActor(user), action: "auth.login_succeeded", target, before: null, after: null });
  } else {
    await recordAudit(deps, { ...meta, actor: ANONYMOUS, action: "auth.login_failed", target, before: null, after: { email, outcome } });
  }
}

/** Counts a wrong password; the failure that reaches the limit locks the account. */
async function countFailure(deps: IdentityDeps, user: UserRecord): Promise<void> {
  const failures = await deps.users.incrementFailedLogins(user.id, deps.now());
  const policy = { attempts: deps.config.auth.lockout_attempts, minutes: deps.config.auth.lockout_minutes };
  const until = lockAfterFailure(failures, policy, deps.now());
  if (until) {
    await deps.users.lockUntil(user.id, until, deps.now());
    deps.log.warn("account locked after failed logins", { user_id: user.id, failures, locked_until: until.toISOString() });
  }
}

export type LoginResult = StartedSession & { user: UserRecord };

export async function login(deps: IdentityDeps, input: { email: string; password: string; meta: AuthMeta }): Promise<LoginResult> {
  const email = normalizeEmail(input.email).slice(0, 254);
  const { meta } = input;
  const user = await deps.users.findByEmail(email);
  if (!user) {
    await verifyAgainstDummy(input.password);
    await recordAttempt(deps, email, null, "unknown_user", meta);
    throw IdentityErrors.invalidCredentials();
  }
  if (isLocked(user.lockedUntil, deps.now())) {
    await recordAttempt(deps, email, user, "locked", meta);
    throw IdentityErrors.locked({ locked_until: user.lockedUntil?.toISOString() });
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await countFailure(deps, user);
    await recordAttempt(deps, email, user, "bad_password", meta);
    throw IdentityErrors.invalidCredentials();
  }
  // Only someone who knows the password learns that the account is inactive or unverified.
  if (!user.active) {
    await recordAttempt(deps, email, user, "inactive", meta);
    throw IdentityErrors.accountInactive();
  }
  if (deps.config.auth.require_email_verification && !user.emailVerified) {
    await recordAttempt(deps, email, user, "unverified", meta);
    throw IdentityErrors.emailNotVerified();
  }
  // [sso] local_login = "admins": everyone else signs in through the provider (oidc.service.ts).
  if (!passwordLoginAllowed(user.role, deps.config.sso.local_login)) {
    await recordAttempt(deps, email, user, "password_login_disabled", meta);
    throw OidcErrors.localLoginDisabled();
  }
  await deps.users.recordSuccessfulLogin(user.id, deps.now());
  const started = await startSession(deps, user.id, meta);
  await recordAttempt(deps, email, user, "success", meta);
  return { ...started, user: (await deps.users.getById(user.id)) ?? user };
}

export async function logout(deps: IdentityDeps, input: { auth: AuthContext; meta: RequestMeta }): Promise<void> {
  await deps.sessions.revoke(input.auth.sessionId, deps.now());
  await recordAudit(deps, {
    ...input.meta,
    actor: userActor(input.auth.user),
    action: "auth.logout",
    target: { type: "user", id: input.auth.user.id },
    before: null,
    after: null,
  });
}

// ---------- e-mailed links ----------

const LINK_PATH: Record<EmailTokenPurpose, string> = { verify_email: "/verify-email", reset_password: "/reset-password" };

/**
 * Creates a one-time token (older ones of the same purpose stop working) and mails the link.
 * Sending happens in the background: SMTP takes long enough that waiting for it would tell a
 * visitor whether an address has an account; a failure is logged (without the body) instead.
 */
async function sendTokenLink(deps: IdentityDeps, user: UserRecord, purpose: EmailTokenPurpose & EmailKind, locale: Locale): Promise<void> {
  const token = randomToken();
  const now = deps.now();
  await deps.emailTokens.create({ tokenHash: sha256Hex(token), userId: user.id, purpose, expiresAt: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS[purpose]), now });
  const link = `${deps.config.server.public_url}${LINK_PATH[purpose]}?token=${encodeURIComponent(token)}`;
  const msg = renderEmail(purpose, { to: user.email, locale: user.locale ?? locale, link, validMinutes: EMAIL_TOKEN_TTL_MS[purpose] / 60_000, firstName: user.firstName });
  deps.mailer.send(msg).catch((error: unknown) => {
    deps.log.error("e-mail could not be sent", { email_to: user.email, purpose, error: error instanceof Error ? error.message : String(error) });
  });
}

// ---------- registration and verification ----------

export type RegisterInput = { email: string; password: string; firstName: string; lastName: string; locale: Locale | null; meta: AuthMeta };

export async function register(deps: IdentityDeps, input: RegisterInput): Promise<{ verificationRequired: boolean }> {
  const { auth } = deps.config;
  const email = assertValidEmail(input.email);
  const verdict = checkRegistration(email, { mode: auth.registration, allowedDomains: auth.allowed_domains });
  if (verdict === "closed") throw IdentityErrors.registrationClosed();
  if (verdict === "domain_not_allowed") throw IdentityErrors.domainNotAllowed();
  assertAcceptablePassword(deps, input.password, email);
  const verificationRequired = auth.require_email_verification;
  const user = await deps.users.create({
    email,
    passwordHash: await hashPassword(input.password),
    role: "user",
    active: true,
    emailVerified: !verificationRequired,
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    locale: input.locale,
    now: deps.now(),
  });
  if (!user) throw IdentityErrors.emailTaken();
  await recordAudit(deps, {
    ...input.meta,
    actor: userActor(user),
    action: "user.registered",
    target: { type: "user", id: user.id },
    before: null,
    after: { email: user.email, role: user.role, active: user.active, email_verified: user.emailVerified },
  });
  if (verificationRequired) await sendTokenLink(deps, user, "verify_email", input.meta.locale);
  return { verificationRequired };
}

async function markVerified(deps: IdentityDeps, user: UserRecord, meta: RequestMeta): Promise<void> {
  if (user.emailVerified) return;
  await deps.users.updateAccount(user.id, { emailVerified: true }, deps.now());
  await recordAudit(deps, {
    ...meta,
    actor: userActor(user),
    action: "user.email_verified",
    target: { type: "user", id: user.id },
    before: { email_verified: false },
    after: { email_verified: true },
  });
}

export async function verifyEmail(deps: IdentityDeps, input: { token: string; meta: RequestMeta }): Promise<void> {
  const used = await deps.emailTokens.consume(sha256Hex(input.token), "verify_email", deps.now());
  const user = used ? await deps.users.getById(used.userId) : null;
  if (!user) throw IdentityErrors.tokenInvalid();
  await markVerified(deps, user, input.meta);
}

/** Always "accepted": whether a mail goes out depends on the account, which the caller must not learn. */
export async function resendVerification(deps: IdentityDeps, input: { email: string; meta: AuthMeta }): Promise<void> {
  const user = await deps.users.findByEmail(input.email.slice(0, 254));
  if (!user || !user.active || user.emailVerified) return;
  await sendTokenLink(deps, user, "verify_email", input.meta.locale);
}

// ---------- passwords ----------

/** Always "accepted", like resendVerification. */
export async function forgotPassword(deps: IdentityDeps, input: { email: string; meta: AuthMeta }): Promise<void> {
  const user = await deps.users.findByEmail(input.email.slice(0, 254));
  if (!user || !user.active) return;
  await sendTokenLink(deps, user, "reset_password", input.meta.locale);
  await recordAudit(deps, { ...input.meta, actor: ANONYMOUS, action: "auth.password_reset_requested", target: { type: "user", id: user.id }, before: null, after: null });
}

/**
 * Sets the new password, ends every session and lifts a lock. Opening the mailed link also proves
 * the address, so an unverified account becomes verified.
 */
export async function resetPassword(deps: IdentityDeps, input: { token: string; password: string; meta: RequestMeta }): Promise<void> {
  const tokenHash = sha256Hex(input.token);
  // Look first, consume after the policy check: a rejected password must not burn the link.
  const pending = await deps.emailTokens.findValid(tokenHash, "reset_password", deps.now());
  const owner = pending ? await deps.users.getById(pending.userId) : null;
  if (!owner || !owner.active) throw IdentityErrors.tokenInvalid();
  assertAcceptablePassword(deps, input.password, owner.email);
  if (!(await deps.emailTokens.consume(tokenHash, "reset_password", deps.now()))) throw IdentityErrors.tokenInvalid();
  await deps.users.setPassword(owner.id, await hashPassword(input.password), deps.now());
  const revoked = await deps.sessions.revokeAllForUser(owner.id, deps.now());
  await recordAudit(deps, {
    ...input.meta,
    actor: userActor(owner),
    action: "auth.password_reset_completed",
    target: { type: "user", id: owner.id },
    before: null,
    after: { sessions_revoked: revoked },
  });
  await markVerified(deps, owner, input.meta);
}

/**
 * The signed-in user's own change. A wrong current password counts toward the lockout like a
 * failed login, so a stolen session cannot be used to guess the password at full speed.
 */
export async function changePassword(deps: IdentityDeps, input: { auth: AuthContext; currentPassword: string; newPassword: string; meta: RequestMeta }): Promise<void> {
  const user = await deps.users.getById(input.auth.user.id);
  if (!user) throw IdentityErrors.invalidCredentials();
  if (isLocked(user.lockedUntil, deps.now())) throw IdentityErrors.locked({ locked_until: user.lockedUntil?.toISOString() });
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await countFailure(deps, user);
    throw IdentityErrors.invalidCredentials();
  }
  assertAcceptablePassword(deps, input.newPassword, user.email, "/new_password");
  await deps.users.setPassword(user.id, await hashPassword(input.newPassword), deps.now());
  const revoked = await deps.sessions.revokeAllForUser(user.id, deps.now(), input.auth.sessionId);
  await recordAudit(deps, {
    ...input.meta,
    actor: userActor(user),
    action: "user.password_changed",
    target: { type: "user", id: user.id },
    before: null,
    after: { sessions_revoked: revoked },
  });
}
