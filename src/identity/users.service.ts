// Account administration, shared by the admin API and the `user` CLI: create, list, change role,
// (de)activate, reset a password, read login events. Also the user JSON every route returns.
import { HttpErrors } from "../http/errors";
import type { AuditActor } from "../audit/audit.actions";
import { recordAudit, type RequestMeta } from "../audit/audit.service";
import type { Locale } from "../http/errors";
import type { IdentityDeps } from "./identity.deps";
import { IdentityErrors } from "./identity.errors";
import { hashPassword } from "./identity.crypto";
import { checkPassword, describePasswordProblem, generatePassword, isValidEmail, normalizeEmail } from "./identity.rules";
import type { LoginEventRecord } from "./login-events.repository";
import type { Role } from "./roles.rules";
import type { UserRecord } from "./users.repository";

export type UserJson = {
  id: string;
  email: string;
  role: Role;
  active: boolean;
  email_verified: boolean;
  first_name: string;
  last_name: string;
  locale: Locale | null;
  created_at: string;
  last_login_at: string | null;
};

export function toUserJson(u: UserRecord): UserJson {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    active: u.active,
    email_verified: u.emailVerified,
    first_name: u.firstName,
    last_name: u.lastName,
    locale: u.locale,
    created_at: u.createdAt.toISOString(),
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
  };
}

export type Page = { page: number; pageSize: number };
export type Paged<T> = { items: T[]; total: number; page: number; page_size: number };

/** 422 validation.failed on /email unless the address is plausible; returns it normalized. */
export function assertValidEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (!isValidEmail(normalized)) throw HttpErrors.validation([{ path: "/email", message: "Enter a valid e-mail address, like name@skola.se." }]);
  return normalized;
}

/** 422 auth.weak_password with the reason, for the field at `path`. */
export function assertAcceptablePassword(deps: Pick<IdentityDeps, "config">, password: string, email: string, path = "/password"): void {
  const minLength = deps.config.auth.password_min_length;
  const problem = checkPassword(password, { minLength, email });
  if (problem) throw IdentityErrors.weakPassword([{ path, message: describePasswordProblem(problem, minLength), reason: problem, min_length: minLength }]);
}

/** A password that satisfies the configured policy (which may ask for more than 16 characters). */
export function newGeneratedPassword(deps: Pick<IdentityDeps, "config">): string {
  return generatePassword(Math.max(16, deps.config.auth.password_min_length));
}

export async function getUser(deps: IdentityDeps, id: string): Promise<UserRecord> {
  const user = await deps.users.getById(id);
  if (!user) throw HttpErrors.notFound();
  return user;
}

export async function findUserByEmail(deps: IdentityDeps, email: string): Promise<UserRecord> {
  const user = await deps.users.findByEmail(email);
  if (!user) throw HttpErrors.notFound();
  return user;
}

export type CreateUserInput = {
  email: string;
  role: Role;
  /** null: generate one and return it (shown once). */
  password: string | null;
  firstName?: string;
  lastName?: string;
  actor: AuditActor;
  meta?: RequestMeta;
};

/** Accounts made by an operator are active and trusted: the e-mail address counts as verified. */
export async function createUser(deps: IdentityDeps, input: CreateUserInput): Promise<{ user: UserRecord; generatedPassword: string | null }> {
  const email = assertValidEmail(input.email);
  const password = input.password ?? newGeneratedPassword(deps);
  assertAcceptablePassword(deps, password, email);
  const user = await deps.users.create({
    email,
    passwordHash: await hashPassword(password),
    role: input.role,
    active: true,
    emailVerified: true,
    firstName: input.firstName?.trim() ?? "",
    lastName: input.lastName?.trim() ?? "",
    locale: null,
    now: deps.now(),
  });
  if (!user) throw IdentityErrors.emailTaken();
  await recordAudit(deps, {
    ...input.meta,
    actor: input.actor,
    action: "user.created",
    target: { type: "user", id: user.id },
    before: null,
    after: { email: user.email, role: user.role, active: user.active, email_verified: user.emailVerified },
  });
  return { user, generatedPassword: input.password === null ? password : null };
}

export async function listUsers(deps: IdentityDeps, filter: { q?: string; role?: Role } & Page): Promise<Paged<UserRecord>> {
  const { items, total } = await deps.users.list({ q: filter.q, role: filter.role, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize });
  return { items, total, page: filter.page, page_size: filter.pageSize };
}

export type AccountChange = { actor: AuditActor; id: string; role?: Role; active?: boolean; meta?: RequestMeta };

/** Role and active flag. A superuser cannot lower their own role or deactivate themselves (409). */
export async function changeAccount(deps: IdentityDeps, change: AccountChange): Promise<UserRecord> {
  let user = await getUser(deps, change.id);
  const self = change.actor.kind === "user" && change.actor.id === user.id;
  const demotes = change.role !== undefined && change.role !== user.role;
  if (self && (demotes || change.active === false)) throw IdentityErrors.selfChange();
  const target = { type: "user" as const, id: user.id };
  const base = { ...change.meta, actor: change.actor, target };
  if (change.role !== undefined && change.role !== user.role) {
    const before = user.role;
    user = (await deps.users.updateAccount(user.id, { role: change.role }, deps.now())) ?? user;
    await recordAudit(deps, { ...base, action: "user.role_changed", before: { role: before }, after: { role: user.role } });
  }
  if (change.active === false && user.active) {
    user = (await deps.users.updateAccount(user.id, { active: false }, deps.now())) ?? user;
    const revoked = await deps.sessions.revokeAllForUser(user.id, deps.now());
    await recordAudit(deps, { ...base, action: "user.deactivated", before: { active: true }, after: { active: false, sessions_revoked: revoked } });
  }
  if (change.active === true && !user.active) {
    user = (await deps.users.updateAccount(user.id, { active: true }, deps.now())) ?? user;
    await recordAudit(deps, { ...base, action: "user.activated", before: { active: false }, after: { active: true } });
  }
  return user;
}

/** Sets a generated password (returned once), ends the user's sessions and lifts any lock. */
export async function resetPasswordByAdmin(deps: IdentityDeps, input: { actor: AuditActor; id: string; meta?: RequestMeta }): Promise<{ user: UserRecord; password: string }> {
  const user = await getUser(deps, input.id);
  const password = newGeneratedPassword(deps);
  await deps.users.setPassword(user.id, await hashPassword(password), deps.now());
  const revoked = await deps.sessions.revokeAllForUser(user.id, deps.now());
  await recordAudit(deps, {
    ...input.meta,
    actor: input.actor,
    action: "user.password_reset",
    target: { type: "user", id: user.id },
    before: null,
    after: { sessions_revoked: revoked },
  });
  return { user, password };
}

export async function listLoginEvents(deps: IdentityDeps, input: { id: string } & Page): Promise<Paged<LoginEventRecord>> {
  const user = await getUser(deps, input.id);
  const { items, total } = await deps.loginEvents.listForUser(user.id, { limit: input.pageSize, offset: (input.page - 1) * input.pageSize });
  return { items, total, page: input.page, page_size: input.pageSize };
}
