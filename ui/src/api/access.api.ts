/**
 * The access feature's API: personal API keys, the admins' key list, the audit log, the CLI's device
 * login, groups and tool access, and the single sign-on facts of GET /meta. Shapes as in
 * .tmp/contract-access.md (src/access, src/audit) and src/groups/groups.schemas.ts.
 */
import { api } from "./api";
import type { Meta } from "./api-types";

// ---------- single sign-on (GET /api/v1/meta) ----------

export interface SsoProvider {
  id: string;
  label: string;
  /** Where the login button goes: the server redirects on to the provider. */
  login_url: string;
}
export interface SsoMeta {
  providers: SsoProvider[];
  local_login: "everyone" | "admins";
}

/** The login buttons; none when the server has no provider (or predates single sign-on). */
export function ssoOf(meta: Meta | null | undefined): SsoMeta {
  const sso = (meta as { sso?: Partial<SsoMeta> } | null | undefined)?.sso;
  return { providers: Array.isArray(sso?.providers) ? sso.providers : [], local_login: sso?.local_login === "admins" ? "admins" : "everyone" };
}

// ---------- API keys ----------

export type KeyStatus = "active" | "expired" | "revoked";

export interface ApiKey {
  id: string;
  label: string;
  /** The public start of the secret, to recognise a key. */
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  status: KeyStatus;
  webhook_url: string | null;
}
export interface AdminApiKey extends ApiKey {
  user_id: string;
  user_email: string;
}
export interface CreatedKey {
  key: ApiKey;
  /** Shown once; never retrievable again. */
  secret: string;
  webhook_secret: string | null;
}
export interface NewKey {
  label: string;
  scopes: string[];
  expires_at: string | null;
  webhook_url: string | null;
}

export async function allowedScopes(): Promise<string[]> {
  return (await api.request<{ scopes: string[] }>("GET", "/api/v1/auth/allowed-scopes")).scopes;
}
export async function listKeys(): Promise<ApiKey[]> {
  return (await api.request<{ keys: ApiKey[] }>("GET", "/api/v1/access/keys")).keys;
}
export function createKey(input: NewKey): Promise<CreatedKey> {
  return api.request<CreatedKey>("POST", "/api/v1/access/keys", { body: input });
}
export async function revokeKey(id: string): Promise<void> {
  await api.request<unknown>("DELETE", `/api/v1/access/keys/${encodeURIComponent(id)}`);
}
export async function listAllKeys(status: KeyStatus | "all"): Promise<AdminApiKey[]> {
  return (await api.request<{ keys: AdminApiKey[] }>("GET", "/api/v1/admin/access/keys", { query: { status } })).keys;
}
export async function revokeAnyKey(id: string): Promise<void> {
  await api.request<unknown>("DELETE", `/api/v1/admin/access/keys/${encodeURIComponent(id)}`);
}

// ---------- audit log ----------

export interface AuditItem {
  id: string;
  created_at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
}
export interface AuditEvent extends AuditItem {
  user_agent: string | null;
  before: unknown;
  after: unknown;
}
export interface AuditFilter {
  from: string;
  to: string;
  actor: string;
  action: string;
  target_type: string;
  q: string;
}
export interface AuditPage {
  items: AuditItem[];
  total: number;
  page: number;
  page_size: number;
}

export const AUDIT_PAGE_SIZE = 50;

export function listAudit(filter: AuditFilter, page: number): Promise<AuditPage> {
  return api.request<AuditPage>("GET", "/api/v1/admin/audit", { query: { ...filter, page, page_size: AUDIT_PAGE_SIZE } });
}
export function auditFacets(): Promise<{ actions: string[]; target_types: string[] }> {
  return api.request("GET", "/api/v1/admin/audit/facets");
}
export async function getAuditEvent(id: string): Promise<AuditEvent> {
  return (await api.request<{ event: AuditEvent }>("GET", `/api/v1/admin/audit/${encodeURIComponent(id)}`)).event;
}
/** The CSV download of every event matching the filter (a plain link: the browser sends the cookie). */
export function auditCsvUrl(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  const query = params.toString();
  return `/api/v1/admin/audit.csv${query ? `?${query}` : ""}`;
}

// ---------- device login (the CLI's `skriptoteket login`) ----------

export interface DeviceRequest {
  user_code: string;
  client_name: string | null;
  created_at: string;
  expires_at: string;
  status: "pending" | "approved" | "denied";
  allowed_scopes: string[];
}

export function getDeviceRequest(userCode: string): Promise<DeviceRequest> {
  return api.request<DeviceRequest>("GET", `/api/v1/auth/device/${encodeURIComponent(userCode)}`);
}
export async function confirmDevice(userCode: string, scopes: string[]): Promise<void> {
  await api.request<unknown>("POST", "/api/v1/auth/device/confirm", { body: { user_code: userCode, scopes } });
}
export async function denyDevice(userCode: string): Promise<void> {
  await api.request<unknown>("POST", "/api/v1/auth/device/deny", { body: { user_code: userCode } });
}

// ---------- groups and tool access (admins) ----------

export interface Group {
  id: string;
  name: string;
  member_count: number;
  tool_count: number;
  created_at: string;
  updated_at: string;
}
export interface GroupMember {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  added_at: string;
}
export interface GroupDetail {
  group: Group;
  members: GroupMember[];
  tools: { slug: string; title: string }[];
}
export interface ToolAccess {
  slug: string;
  title: string;
  group_ids: string[];
}

export async function listGroups(): Promise<Group[]> {
  return (await api.request<{ items: Group[] }>("GET", "/api/v1/admin/groups")).items;
}
export async function createGroup(name: string): Promise<Group> {
  return (await api.request<{ group: Group }>("POST", "/api/v1/admin/groups", { body: { name } })).group;
}
export async function renameGroup(id: string, name: string): Promise<Group> {
  return (await api.request<{ group: Group }>("PATCH", `/api/v1/admin/groups/${encodeURIComponent(id)}`, { body: { name } })).group;
}
export async function deleteGroup(id: string): Promise<void> {
  await api.request<unknown>("DELETE", `/api/v1/admin/groups/${encodeURIComponent(id)}`);
}
export function getGroup(id: string): Promise<GroupDetail> {
  return api.request<GroupDetail>("GET", `/api/v1/admin/groups/${encodeURIComponent(id)}`);
}
export async function addMember(id: string, email: string): Promise<GroupMember> {
  return (await api.request<{ member: GroupMember }>("POST", `/api/v1/admin/groups/${encodeURIComponent(id)}/members`, { body: { email } })).member;
}
export async function removeMember(id: string, userId: string): Promise<void> {
  await api.request<unknown>("DELETE", `/api/v1/admin/groups/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`);
}
export function getToolAccess(slug: string): Promise<ToolAccess> {
  return api.request<ToolAccess>("GET", `/api/v1/admin/tools/${encodeURIComponent(slug)}/access`);
}
export function setToolAccess(slug: string, groupIds: string[]): Promise<ToolAccess> {
  return api.request<ToolAccess>("PUT", `/api/v1/admin/tools/${encodeURIComponent(slug)}/access`, { body: { group_ids: groupIds } });
}
