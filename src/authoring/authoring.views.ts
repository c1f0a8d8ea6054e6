// The JSON shapes of the authoring API (contract-authoring.md), built from records. Pure apart from
// looking up the people named in them.
import type { AuthUser } from "../http/http-context";
import { roleAtLeast } from "../identity/roles.rules";
import type { UserRecord } from "../identity/users.repository";
import type { ToolRecord, ToolVersionRecord, VersionStateRow } from "../tools/tools.repository";
import type { VersionState } from "../tools/tools.rules";
import type { LockRecord, VersionEventRecord } from "./authoring.repository";
import { displayName, headOf, lockStatus } from "./authoring.rules";
import type { AuthoringDeps } from "./authoring.deps";

export type UserRef = { id: string; name: string; email: string };
export type LockView = { holder: UserRef; acquired_at: string; heartbeat_at: string; expires_at: string; mine: boolean };
export type VersionRef = { id: string; number: number; state: VersionState };
export type ReviewEventView = { kind: VersionEventRecord["kind"]; message: string | null; actor: UserRef | null; at: string };

export type ToolSummaryView = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  is_published: boolean;
  professions: string[];
  categories: string[];
  active_version: VersionRef | null;
  head_version: VersionRef | null;
  pending_reviews: number;
  lock: LockView | null;
  updated_at: string;
};
export type ToolDetailView = ToolSummaryView & {
  maintainers: UserRef[];
  slug_editable: boolean;
  can: { edit: boolean; review: boolean; rollback: boolean; manage: boolean };
};
export type VersionSummaryView = {
  id: string;
  tool_id: string;
  number: number;
  state: VersionState;
  parent_version_id: string | null;
  created_at: string;
  created_by: UserRef | null;
  note: string | null;
  events: ReviewEventView[];
};
export type VersionView = VersionSummaryView & {
  source: string;
  entrypoint: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  usage_instructions: string;
};

export function userRef(u: Pick<UserRecord, "id" | "email" | "firstName" | "lastName">): UserRef {
  return { id: u.id, name: displayName(u), email: u.email };
}

/** Looks up each distinct id once; unknown (erased) users are left out. */
export async function loadUserRefs(deps: Pick<AuthoringDeps, "users">, ids: Iterable<string | null>): Promise<Map<string, UserRef>> {
  const out = new Map<string, UserRef>();
  for (const id of new Set([...ids].filter((x): x is string => x !== null))) {
    const u = await deps.users.getById(id);
    if (u) out.set(id, userRef(u));
  }
  return out;
}

export function lockView(lock: LockRecord | null, holder: UserRef | undefined, viewerId: string, now: Date): LockView | null {
  if (!lock || !holder || lockStatus(lock, viewerId, now) === "free") return null;
  return {
    holder,
    acquired_at: lock.acquiredAt.toISOString(),
    heartbeat_at: lock.heartbeatAt.toISOString(),
    expires_at: lock.expiresAt.toISOString(),
    mine: lock.holderId === viewerId,
  };
}

const ref = (v: { id: string; number: number; state: VersionState } | null | undefined): VersionRef | null => (v ? { id: v.id, number: v.number, state: v.state } : null);

export function toolSummary(tool: ToolRecord, versions: readonly VersionStateRow[], lock: LockView | null): ToolSummaryView {
  const active = versions.find((v) => v.id === tool.activeVersionId);
  return {
    id: tool.id,
    slug: tool.slug,
    title: tool.title,
    summary: tool.summary,
    is_published: tool.isPublished,
    professions: tool.professions,
    categories: tool.categories,
    active_version: ref(active),
    head_version: ref(headOf(versions)),
    pending_reviews: versions.filter((v) => v.state === "in_review").length,
    lock,
    updated_at: tool.updatedAt.toISOString(),
  };
}

export function toolDetail(summary: ToolSummaryView, maintainers: UserRef[], viewer: AuthUser, isMaintainer: boolean): ToolDetailView {
  const admin = roleAtLeast(viewer.role, "admin");
  return {
    ...summary,
    maintainers,
    slug_editable: !summary.is_published,
    can: { edit: admin || isMaintainer, review: admin, rollback: roleAtLeast(viewer.role, "superuser"), manage: admin },
  };
}

export function versionSummary(v: ToolVersionRecord, users: Map<string, UserRef>, events: readonly VersionEventRecord[]): VersionSummaryView {
  return {
    id: v.id,
    tool_id: v.toolId,
    number: v.number,
    state: v.state,
    parent_version_id: v.parentVersionId,
    created_at: v.createdAt.toISOString(),
    created_by: v.createdBy ? (users.get(v.createdBy) ?? null) : null,
    note: v.note,
    events: events
      .filter((e) => e.versionId === v.id)
      .map((e) => ({ kind: e.kind, message: e.message, actor: e.actorId ? (users.get(e.actorId) ?? null) : null, at: e.createdAt.toISOString() })),
  };
}

export function versionView(v: ToolVersionRecord, users: Map<string, UserRef>, events: readonly VersionEventRecord[]): VersionView {
  return {
    ...versionSummary(v, users, events),
    source: v.source,
    entrypoint: v.entrypoint,
    input_schema: v.inputSchema,
    settings_schema: v.settingsSchema,
    usage_instructions: v.usageInstructions,
  };
}
