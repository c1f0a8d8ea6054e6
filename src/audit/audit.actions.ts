// Every audited state change, by name, with the shape of its before/after payloads. Services emit
// these and tests assert them. Payloads describe what changed, never secrets: no passwords, hashes
// or tokens (recordAudit refuses them).
import type { Role } from "../identity/roles.rules";
import type { Locale } from "../http/errors";

type Change<Before, After> = { before: Before; after: After };

export type UserSnapshot = { email: string; role: Role; active: boolean; email_verified: boolean };
export type ProfileFields = { first_name?: string; last_name?: string; locale?: Locale | null };

export type AuditPayloads = {
  "auth.login_succeeded": Change<null, null>;
  /** `outcome` is the login event outcome (bad_password, locked, …); `email` as typed, normalized. */
  "auth.login_failed": Change<null, { email: string; outcome: string }>;
  "auth.logout": Change<null, null>;
  "user.created": Change<null, UserSnapshot>;
  "user.registered": Change<null, UserSnapshot>;
  "user.role_changed": Change<{ role: Role }, { role: Role }>;
  "user.deactivated": Change<{ active: true }, { active: false; sessions_revoked: number }>;
  "user.activated": Change<{ active: false }, { active: true }>;
  /** An admin (or the CLI) set a generated password. */
  "user.password_reset": Change<null, { sessions_revoked: number }>;
  /** The user changed their own password while signed in. */
  "user.password_changed": Change<null, { sessions_revoked: number }>;
  "user.email_verified": Change<{ email_verified: false }, { email_verified: true }>;
  "auth.password_reset_requested": Change<null, null>;
  "auth.password_reset_completed": Change<null, { sessions_revoked: number }>;
  "profile.updated": Change<ProfileFields, ProfileFields>;
  /** `tool import` created the tool (before null) or changed its title, summary or tags. */
  "tool.imported": Change<ToolSnapshot | null, ToolSnapshot>;
  "version.created": Change<null, { slug: string; number: number; parent_version_id: string | null }>;
  /** The version became active; the previously active one (if any) was archived in the same transaction. */
  "version.published": Change<
    { slug: string; active_version: number | null; tool_published: boolean },
    { slug: string; active_version: number; archived_versions: number[] }
  >;
  /** An admin added a profession or category (appended last). */
  "taxonomy.entry_created": Change<null, TaxonomyEntrySnapshot>;
  "taxonomy.entry_renamed": Change<TaxonomyLabels, TaxonomyLabels>;
  /** The whole new order of one taxonomy (target null). */
  "taxonomy.reordered": Change<{ kind: TaxonomyKindName; slugs: string[] }, { kind: TaxonomyKindName; slugs: string[] }>;
  /** Only possible while no tool uses the entry. */
  "taxonomy.entry_removed": Change<TaxonomyEntrySnapshot, null>;
  /** Retention removed expired data (by `retention prune` or the daily schedule in serve; target null). */
  "retention.pruned": Change<null, { items: RetentionItemCounts[] }>;
  /** Everything stored about a user was exported (the data subject's copy). */
  "user.exported": Change<null, { tables: TableRowCount[]; files: number; bytes: number }>;
  /** A user and their data were erased; their e-mail address and name in earlier events now read `pseudonym`. */
  "user.erased": Change<null, { pseudonym: string; tables: TableRowCount[]; files: number; bytes: number; audit_events_pseudonymised: number }>;
  /** The database and files were restored from a backup; written into the restored database after migrating. */
  "backup.restored": Change<null, { backup_created_at: string; backup_version: string; migrations_applied: number }>;
  // ---- access (src/access): API keys and the CLI's device login ----
  /** `owner_id`: whose key it is. The secret itself is never recorded. */
  "api_key.created": Change<null, ApiKeySnapshot>;
  "api_key.revoked": Change<ApiKeySnapshot, { by: "owner" | "admin" }>;
  /** A request with the key; written at most once a minute per key. */
  "api_key.used": Change<null, { prefix: string; method: string; path: string }>;
  "device.approved": Change<null, { client_name: string | null; scopes: string[] }>;
  "device.denied": Change<null, { client_name: string | null }>;
  /** The CLI fetched its short-lived token after the approval. */
  "device.access_issued": Change<null, { scopes: string[]; expires_at: string }>;
  /** Signed in through an OpenID Connect provider; `created` when the account was made just now. */
  "auth.sso_login_succeeded": Change<null, { provider: string; created: boolean; role: Role }>;
  /** An SSO login was refused; `reason` is the error code (domain not allowed, inactive, …). */
  "auth.sso_login_failed": Change<null, { provider: string; email: string | null; reason: string }>;
  /** The provider's groups claim changed the local role at login (never for superusers). */
  "user.role_mapped": Change<{ role: Role }, { role: Role; provider: string }>;
  "group.created": Change<null, { name: string }>;
  "group.renamed": Change<{ name: string }, { name: string }>;
  "group.deleted": Change<{ name: string; members: number; tools: number }, null>;
  "group.member_added": Change<null, { group: string; user_id: string; email: string }>;
  "group.member_removed": Change<{ group: string; user_id: string; email: string }, null>;
  /** The groups a tool is limited to (by name); empty = everyone may use it. */
  "tool.access_changed": Change<{ slug: string; groups: string[] }, { slug: string; groups: string[] }>;
  // ---- authoring and governance (src/authoring) ----
  "tool.created": Change<null, ToolSnapshot>;
  "tool.updated": Change<ToolSnapshot, ToolSnapshot>;
  "tool.published": Change<{ is_published: false }, { is_published: true; active_version: number }>;
  "tool.unpublished": Change<{ is_published: true }, { is_published: false }>;
  "tool.maintainer_added": Change<{ maintainers: string[] }, { maintainers: string[] }>;
  "tool.maintainer_removed": Change<{ maintainers: string[] }, { maintainers: string[] }>;
  /** An admin took over someone else's live draft lock. */
  "tool.lock_taken_over": Change<{ holder: string }, { holder: string }>;
  "version.submitted": Change<VersionStates, VersionStates & { note: string | null }>;
  "version.changes_requested": Change<VersionStates, VersionStates & { message: string }>;
  /** A superuser made an archived version active again. */
  "version.rolled_back": Change<VersionStates & { active_version: number | null }, VersionStates & { active_version: number }>;
  "suggestion.created": Change<null, SuggestionSnapshot>;
  "suggestion.accepted": Change<{ status: string }, { status: "accepted"; tool_id: string; slug: string }>;
  "suggestion.denied": Change<{ status: string }, { status: "denied"; rationale: string }>;
};

/** The states of the versions a governance step moved, by number: {"3": "in_review"}. */
export type VersionStates = { slug: string; states: Record<string, string> };
export type SuggestionSnapshot = { title: string; description: string; professions: string[]; categories: string[] };

export type ApiKeySnapshot = { owner_id: string; label: string; prefix: string; scopes: string[]; expires_at: string | null; webhook_url: string | null };

export type RetentionItemCounts = { kind: string; rows: number; files: number; bytes: number };
export type TableRowCount = { table: string; rows: number };

export type TaxonomyKindName = "professions" | "categories";
export type TaxonomyEntrySnapshot = { kind: TaxonomyKindName; slug: string; label_sv: string; label_en: string; sort_order: number };
export type TaxonomyLabels = { kind: TaxonomyKindName; slug: string; label_sv: string; label_en: string };

export type ToolSnapshot = { slug: string; title: string; summary: string; professions: string[]; categories: string[]; is_published: boolean };

export type AuditAction = keyof AuditPayloads;

// A Record over the union makes the compiler fail when an action is added above but not here.
const ACTION_SET: Record<AuditAction, true> = {
  "auth.login_succeeded": true,
  "auth.login_failed": true,
  "auth.logout": true,
  "user.created": true,
  "user.registered": true,
  "user.role_changed": true,
  "user.deactivated": true,
  "user.activated": true,
  "user.password_reset": true,
  "user.password_changed": true,
  "user.email_verified": true,
  "auth.password_reset_requested": true,
  "auth.password_reset_completed": true,
  "profile.updated": true,
  "tool.imported": true,
  "version.created": true,
  "version.published": true,
  "taxonomy.entry_created": true,
  "taxonomy.entry_renamed": true,
  "taxonomy.reordered": true,
  "taxonomy.entry_removed": true,
  "retention.pruned": true,
  "user.exported": true,
  "user.erased": true,
  "backup.restored": true,
  "api_key.created": true,
  "api_key.revoked": true,
  "api_key.used": true,
  "device.approved": true,
  "device.denied": true,
  "device.access_issued": true,
  "auth.sso_login_succeeded": true,
  "auth.sso_login_failed": true,
  "user.role_mapped": true,
  "group.created": true,
  "group.renamed": true,
  "group.deleted": true,
  "group.member_added": true,
  "group.member_removed": true,
  "tool.access_changed": true,
  "tool.created": true,
  "tool.updated": true,
  "tool.published": true,
  "tool.unpublished": true,
  "tool.maintainer_added": true,
  "tool.maintainer_removed": true,
  "tool.lock_taken_over": true,
  "version.submitted": true,
  "version.changes_requested": true,
  "version.rolled_back": true,
  "suggestion.created": true,
  "suggestion.accepted": true,
  "suggestion.denied": true,
};

export const AUDIT_ACTIONS = Object.keys(ACTION_SET) as AuditAction[];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(ACTION_SET, value);
}

/**
 * Who did it. Stored as actor_id/actor_email: a user → (id, email); the CLI → ("cli", null), since
 * an operator at the server's shell has no account; anonymous (a visitor registering or asking for
 * a reset link) → (null, null).
 */
export type AuditActor = { kind: "user"; id: string; email: string } | { kind: "cli" } | { kind: "anonymous" };

export const CLI_ACTOR_ID = "cli";

/** What it was done to; `type` is the kind of record ("user", later "tool", "run", …). */
export type AuditTarget =
  | { type: "user"; id: string }
  | { type: "tool"; id: string }
  | { type: "tool_version"; id: string }
  | { type: "profession"; id: string }
  | { type: "category"; id: string }
  | { type: "api_key"; id: string }
  | { type: "device_grant"; id: string }
  | { type: "group"; id: string }
  | { type: "suggestion"; id: string };

export function userActor(user: { id: string; email: string }): AuditActor {
  return { kind: "user", id: user.id, email: user.email };
}
