// API keys: issue (secret shown once), list, revoke, and the bearer lookup httpContext calls on every
// key request. The lookup reads the database each time (no cache), so a revoked or expired key is
// refused at the very next request.
import type { AuthContext, AuthUser, BearerMeta, HttpContextDeps } from "../http/http-context";
import type { RequestMeta } from "../audit/audit.service";
import { recordAudit } from "../audit/audit.service";
import { userActor, type ApiKeySnapshot } from "../audit/audit.actions";
import { AccessErrors } from "./access.errors";
import type { AccessDeps } from "./access.deps";
import type { ApiKeyRecord } from "./api-keys.repository";
import { generateApiKey, hashApiKey, keyPrefixOf, keyStatus, sameHash, shouldAuditUse, webhookSecretOf, type KeyStatus } from "./api-key.rules";
import { allowedScopesFor, parseScopes, scopesNotAllowed, type ApiScope } from "./scopes.rules";
import { checkWebhookUrl } from "./webhook.rules";
import { randomBytes } from "node:crypto";
import { resolveDeviceToken } from "./device-flow.service";

export type ApiKeyView = {
  id: string;
  label: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  status: KeyStatus;
  webhook_url: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyView(k: ApiKeyRecord, now: Date): ApiKeyView {
  return {
    id: k.id,
    label: k.label,
    prefix: k.prefix,
    scopes: k.scopes,
    created_at: k.createdAt.toISOString(),
    expires_at: iso(k.expiresAt),
    last_used_at: iso(k.lastUsedAt),
    revoked_at: iso(k.revokedAt),
    status: keyStatus(k, now),
    webhook_url: k.webhookUrl,
  };
}

function snapshot(k: ApiKeyRecord): ApiKeySnapshot {
  return { owner_id: k.userId, label: k.label, prefix: k.prefix, scopes: k.scopes, expires_at: iso(k.expiresAt), webhook_url: k.webhookUrl };
}

/** Checks requested scopes against the rules and what `role` may hand out; throws the user-facing error. */
export function requireGrantableScopes(requested: readonly string[], user: Pick<AuthUser, "role">): ApiScope[] {
  const parsed = parseScopes(requested);
  if (!parsed.ok) {
    if (parsed.error === "empty") throw AccessErrors.scopesEmpty();
    if (parsed.error === "unknown") throw AccessErrors.scopeInvalid({ scopes: parsed.unknown });
    throw AccessErrors.adminScopeExclusive();
  }
  const refused = scopesNotAllowed(parsed.scopes, user.role);
  if (refused.length) throw AccessErrors.scopeNotAllowed({ scopes: refused });
  return parsed.scopes;
}

export function allowedScopes(user: Pick<AuthUser, "role">): ApiScope[] {
  return allowedScopesFor(user.role);
}

export type CreateKeyInput = { label: string; scopes: string[]; expiresAt?: string | null; webhookUrl?: string | null };
export type CreatedKey = { key: ApiKeyView; secret: string; webhook_secret: string | null };

export async function createApiKey(deps: AccessDeps, owner: AuthUser, input: CreateKeyInput, meta: RequestMeta): Promise<CreatedKey> {
  const scopes = requireGrantableScopes(input.scopes, owner);
  const now = deps.now();
  let expiresAt: Date | null = null;
  if (input.expiresAt) {
    expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) throw AccessErrors.expiryInPast();
    if (expiresAt.getTime() <= now.getTime()) throw AccessErrors.expiryInPast();
  }
  let webhookUrl: string | null = null;
  if (input.webhookUrl) {
    const checked = checkWebhookUrl(input.webhookUrl);
    if (!checked.ok) throw AccessErrors.webhookUrlInvalid();
    webhookUrl = checked.url;
  }
  const { key, prefix } = generateApiKey();
  const webhookSalt = webhookUrl ? randomBytes(16).toString("base64url") : null;
  const record: ApiKeyRecord = {
    id: Bun.randomUUIDv7(),
    userId: owner.id,
    label: input.label.trim(),
    prefix,
    secretHash: hashApiKey(deps.serverSecret, key),
    scopes,
    createdAt: now,
    expiresAt,
    lastUsedAt: null,
    lastUseAuditedAt: null,
    revokedAt: null,
    revokedBy: null,
    webhookUrl,
    webhookSalt,
  };
  await deps.keys.insert(record);
  await recordAudit(deps, { ...meta, actor: userActor(owner), action: "api_key.created", target: { type: "api_key", id: record.id }, before: null, after: snapshot(record) });
  return { key: toKeyView(record, now), secret: key, webhook_secret: webhookSalt ? webhookSecretOf(deps.serverSecret, webhookSalt) : null };
}

export async function listOwnKeys(deps: AccessDeps, owner: AuthUser): Promise<ApiKeyView[]> {
  const now = deps.now();
  return (await deps.keys.list({ userId: owner.id, limit: 500 })).map((k) => toKeyView(k, now));
}

export type AdminKeyView = ApiKeyView & { user_id: string; user_email: string };
export type KeyStatusFilter = KeyStatus | "all";

export async function listAllKeys(deps: AccessDeps, filter: { userId?: string; status?: KeyStatusFilter }): Promise<AdminKeyView[]> {
  const now = deps.now();
  const rows = await deps.keys.list({ ...(filter.userId ? { userId: filter.userId } : {}), limit: 500 });
  return rows
    .map((k) => ({ ...toKeyView(k, now), user_id: k.userId, user_email: k.userEmail }))
    .filter((k) => !filter.status || filter.status === "all" || k.status === filter.status);
}

/** Revokes a key; `asAdmin` may revoke anyone's, others only their own (another's answers 404 like a missing one). */
export async function revokeApiKey(deps: AccessDeps, actor: AuthUser, keyId: string, asAdmin: boolean, meta: RequestMeta): Promise<void> {
  const key = await deps.keys.getById(keyId);
  if (!key || (!asAdmin && key.userId !== actor.id)) throw AccessErrors.keyNotFound();
  // revoking twice is fine (idempotent DELETE); only the first one is audited
  if (!(await deps.keys.revoke(key.id, deps.now(), actor.id))) return;
  await recordAudit(deps, {
    ...meta,
    actor: userActor(actor),
    action: "api_key.revoked",
    target: { type: "api_key", id: key.id },
    before: snapshot(key),
    after: { by: key.userId === actor.id ? "owner" : "admin" },
  });
}

export async function requireOwnKey(deps: AccessDeps, owner: AuthUser, keyId: string): Promise<ApiKeyRecord> {
  const key = await deps.keys.getById(keyId);
  if (!key || key.userId !== owner.id) throw AccessErrors.keyNotFound();
  return key;
}

async function resolveApiKey(deps: AccessDeps, token: string, meta: BearerMeta): Promise<AuthContext | null> {
  const prefix = keyPrefixOf(token);
  if (!prefix) return null;
  const key = await deps.keys.findByPrefix(prefix);
  if (!key || !sameHash(key.secretHash, hashApiKey(deps.serverSecret, token))) return null;
  const now = deps.now();
  if (keyStatus(key, now) !== "active") return null;
  const user = await deps.users.getById(key.userId);
  if (!user || !user.active) return null;
  const audited = shouldAuditUse(key.lastUseAuditedAt, now);
  await deps.keys.touch(key.id, now, audited);
  if (audited) {
    await recordAudit(deps, {
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      actor: userActor(user),
      action: "api_key.used",
      target: { type: "api_key", id: key.id },
      before: null,
      after: { prefix: key.prefix, method: meta.method, path: meta.path },
    });
  }
  return {
    user: { id: user.id, email: user.email, role: user.role, locale: user.locale },
    sessionId: "",
    csrfToken: "",
    key: { kind: "api_key", id: key.id, scopes: key.scopes, expiresAt: key.expiresAt },
  };
}

/** httpContext's bearer lookup: API keys ("skt_…") and device-flow tokens (JWTs). */
export function resolveBearer(deps: AccessDeps): NonNullable<HttpContextDeps["resolveBearer"]> {
  return async (token, meta) => {
    if (token.startsWith("skt_")) return resolveApiKey(deps, token, meta);
    return resolveDeviceToken(deps, token);
  };
}

/** Remembers runs a key with a webhook submitted (any 202 answer carrying a run_id), for the webhook worker. */
export function afterKeyRequest(deps: AccessDeps): NonNullable<HttpContextDeps["afterKeyRequest"]> {
  return async (auth, request, status, response) => {
    if (auth.key?.kind !== "api_key" || request.method !== "POST" || status !== 202) return;
    const runId = (response as { run_id?: unknown } | null)?.run_id;
    if (typeof runId !== "string") return;
    const key = await deps.keys.getById(auth.key.id);
    if (key?.webhookUrl) await deps.keys.linkRun(runId, key.id, deps.now());
  };
}
