// The CLI's device login: the CLI starts a grant and polls; a signed-in user confirms the user code in
// the browser and picks scopes; the next poll hands out a short-lived token (a JWT naming the grant)
// once. Every token use re-reads the grant, so its expiry (and revocation) holds at once.
import { createHash, randomBytes } from "node:crypto";
import type { AuthContext, AuthUser } from "../http/http-context";
import type { RequestMeta } from "../audit/audit.service";
import { recordAudit } from "../audit/audit.service";
import { userActor } from "../audit/audit.actions";
import { AccessErrors } from "./access.errors";
import type { AccessDeps } from "./access.deps";
import type { DeviceGrantRecord } from "./device-grants.repository";
import { DEVICE_CODE_TTL_SECONDS, formatUserCode, generateUserCode, normalizeUserCode, pollVerdict } from "./device-flow.rules";
import { allowedScopesFor, type ApiScope } from "./scopes.rules";
import { requireGrantableScopes } from "./api-keys.service";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export type DeviceStart = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
};

export async function startDeviceFlow(deps: AccessDeps, input: { clientName: string | null }): Promise<DeviceStart> {
  const now = deps.now();
  const deviceCode = randomBytes(32).toString("base64url");
  // 20^8 codes: a clash with a live one is rare, but two people must never confirm the same code
  let userCode = generateUserCode();
  for (let i = 0; i < 5 && (await deps.grants.findLiveByUserCode(userCode, now)); i++) userCode = generateUserCode();
  await deps.grants.insert({
    id: Bun.randomUUIDv7(),
    deviceCodeHash: sha256(deviceCode),
    userCode,
    clientName: input.clientName?.trim().slice(0, 100) || null,
    status: "pending",
    userId: null,
    scopes: [],
    createdAt: now,
    expiresAt: new Date(now.getTime() + DEVICE_CODE_TTL_SECONDS * 1000),
    lastPolledAt: null,
    decidedAt: null,
    accessExpiresAt: null,
    revokedAt: null,
  });
  const formatted = formatUserCode(userCode);
  return {
    device_code: deviceCode,
    user_code: formatted,
    verification_uri: `${deps.publicUrl}/device`,
    verification_uri_complete: `${deps.publicUrl}/device?code=${formatted}`,
    expires_in: DEVICE_CODE_TTL_SECONDS,
    interval: deps.devicePollSeconds,
  };
}

export type PollResult =
  | { status: "pending"; interval: number }
  | { status: "approved"; access_token: string; token_type: "Bearer"; expires_in: number; scopes: string[] };

export async function pollDeviceFlow(deps: AccessDeps, deviceCode: string): Promise<PollResult> {
  const grant = deviceCode.length <= 100 ? await deps.grants.findByDeviceCodeHash(sha256(deviceCode)) : null;
  if (!grant) throw AccessErrors.deviceCodeExpired();
  const now = deps.now();
  const verdict = pollVerdict(grant, now, deps.devicePollSeconds);
  if (verdict === "expired") throw AccessErrors.deviceCodeExpired();
  if (verdict === "slow_down") throw AccessErrors.deviceSlowDown({ interval: deps.devicePollSeconds });
  await deps.grants.touchPoll(grant.id, now);
  if (verdict === "denied") throw AccessErrors.deviceDenied();
  if (verdict === "pending") return { status: "pending", interval: deps.devicePollSeconds };
  const expiresIn = deps.deviceTokenMinutes * 60;
  const accessExpiresAt = new Date(now.getTime() + expiresIn * 1000);
  // consume first: of two racing polls only one gets a token
  if (!(await deps.grants.consume(grant.id, accessExpiresAt))) throw AccessErrors.deviceCodeExpired();
  const token = await deps.deviceTokens.sign({ sub: grant.userId!, gid: grant.id, exp: Math.floor(accessExpiresAt.getTime() / 1000) });
  const user = await deps.users.getById(grant.userId!);
  if (user) {
    await recordAudit(deps, {
      actor: userActor(user),
      action: "device.access_issued",
      target: { type: "device_grant", id: grant.id },
      before: null,
      after: { scopes: grant.scopes, expires_at: accessExpiresAt.toISOString() },
    });
  }
  return { status: "approved", access_token: token, token_type: "Bearer", expires_in: expiresIn, scopes: grant.scopes };
}

export type GrantView = {
  user_code: string;
  client_name: string | null;
  created_at: string;
  expires_at: string;
  status: "pending" | "approved" | "denied";
  allowed_scopes: ApiScope[];
};

async function requireLiveGrant(deps: AccessDeps, userCode: string): Promise<DeviceGrantRecord> {
  const code = normalizeUserCode(userCode);
  const grant = code ? await deps.grants.findLiveByUserCode(code, deps.now()) : null;
  if (!grant || grant.status === "consumed") throw AccessErrors.deviceCodeNotFound();
  return grant;
}

export async function getGrantView(deps: AccessDeps, user: AuthUser, userCode: string): Promise<GrantView> {
  const g = await requireLiveGrant(deps, userCode);
  return {
    user_code: formatUserCode(g.userCode),
    client_name: g.clientName,
    created_at: g.createdAt.toISOString(),
    expires_at: g.expiresAt.toISOString(),
    status: g.status === "consumed" ? "approved" : g.status,
    allowed_scopes: allowedScopesFor(user.role),
  };
}

export async function confirmDeviceGrant(deps: AccessDeps, user: AuthUser, userCode: string, requested: string[], meta: RequestMeta): Promise<void> {
  const scopes = requireGrantableScopes(requested, user);
  const g = await requireLiveGrant(deps, userCode);
  if (!(await deps.grants.decide(g.id, { status: "approved", userId: user.id, scopes, at: deps.now() }))) throw AccessErrors.deviceAlreadyDecided();
  await recordAudit(deps, { ...meta, actor: userActor(user), action: "device.approved", target: { type: "device_grant", id: g.id }, before: null, after: { client_name: g.clientName, scopes } });
}

export async function denyDeviceGrant(deps: AccessDeps, user: AuthUser, userCode: string, meta: RequestMeta): Promise<void> {
  const g = await requireLiveGrant(deps, userCode);
  if (!(await deps.grants.decide(g.id, { status: "denied", userId: user.id, scopes: [], at: deps.now() }))) throw AccessErrors.deviceAlreadyDecided();
  await recordAudit(deps, { ...meta, actor: userActor(user), action: "device.denied", target: { type: "device_grant", id: g.id }, before: null, after: { client_name: g.clientName } });
}

/** A device token as the bearer: valid signature, its grant handed out, not expired or revoked, owner active. */
export async function resolveDeviceToken(deps: AccessDeps, token: string): Promise<AuthContext | null> {
  if (token.length > 2048 || token.split(".").length !== 3) return null;
  const claims = await deps.deviceTokens.verify(token);
  if (!claims || typeof claims.gid !== "string" || typeof claims.sub !== "string") return null;
  const grant = await deps.grants.getById(claims.gid);
  if (!grant || grant.status !== "consumed" || grant.revokedAt || grant.userId !== claims.sub) return null;
  if (!grant.accessExpiresAt || grant.accessExpiresAt.getTime() <= deps.now().getTime()) return null;
  const user = await deps.users.getById(grant.userId);
  if (!user || !user.active) return null;
  return {
    user: { id: user.id, email: user.email, role: user.role, locale: user.locale },
    sessionId: "",
    csrfToken: "",
    key: { kind: "device_token", id: grant.id, scopes: grant.scopes, expiresAt: grant.accessExpiresAt },
  };
}
