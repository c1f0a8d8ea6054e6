// Tool administration: the authoring list of tools, a tool's page, creating and changing tools,
// catalog visibility and maintainers. Also the access check every authoring route uses after its
// role permission: a contributor must maintain the tool; admins and superusers may edit any tool.
import { userActor, type ToolSnapshot } from "../audit/audit.actions";
import { recordAudit } from "../audit/audit.service";
import { HttpErrors, type Locale } from "../http/errors";
import type { AuthUser } from "../http/http-context";
import { roleAtLeast } from "../identity/roles.rules";
import type { ToolRecord, ToolPatch } from "../tools/tools.repository";
import type { AuthoringDeps } from "./authoring.deps";
import { AuthoringErrors } from "./authoring.errors";
import { localizeProblems, toolFieldProblems, type ToolFieldsInput } from "./authoring.rules";
import { loadUserRefs, lockView, toolDetail, toolSummary, type ToolDetailView, type ToolSummaryView, type UserRef } from "./authoring.views";

export const isAdmin = (viewer: AuthUser) => roleAtLeast(viewer.role, "admin");

export async function requireTool(deps: Pick<AuthoringDeps, "tools">, toolId: string): Promise<ToolRecord> {
  const tool = await deps.tools.getById(toolId);
  if (!tool) throw AuthoringErrors.toolNotFound();
  return tool;
}

/** The tool, when the viewer may edit it (a maintainer, or an admin/superuser); 404 / 403 otherwise. */
export async function requireEditableTool(deps: Pick<AuthoringDeps, "tools" | "authoring">, viewer: AuthUser, toolId: string): Promise<ToolRecord> {
  const tool = await requireTool(deps, toolId);
  if (!isAdmin(viewer) && !(await deps.authoring.isMaintainer(tool.id, viewer.id))) throw AuthoringErrors.notMaintainer();
  return tool;
}

export function toolSnapshot(t: ToolRecord): ToolSnapshot {
  return { slug: t.slug, title: t.title, summary: t.summary, professions: t.professions, categories: t.categories, is_published: t.isPublished };
}

async function taxonomySlugs(deps: Pick<AuthoringDeps, "taxonomy">) {
  const [p, c] = await Promise.all([deps.taxonomy.list("professions"), deps.taxonomy.list("categories")]);
  return { professions: new Set(p.map((e) => e.slug)), categories: new Set(c.map((e) => e.slug)) };
}

/** 422 validation.failed with every problem of the tool fields, or nothing. */
export async function checkToolFields(deps: Pick<AuthoringDeps, "taxonomy">, fields: ToolFieldsInput, locale: Locale): Promise<void> {
  const problems = toolFieldProblems(fields, await taxonomySlugs(deps));
  if (problems.length) throw HttpErrors.validation(localizeProblems(problems, locale));
}

// ---------- reading ----------

export async function listAuthoringTools(deps: AuthoringDeps, viewer: AuthUser): Promise<{ items: ToolSummaryView[]; pending_reviews_total: number }> {
  const now = deps.now();
  const [all, states, locks] = await Promise.all([deps.tools.list(), deps.tools.listVersionStates(), deps.authoring.listLiveLocks(now)]);
  const maintained = isAdmin(viewer) ? null : new Set(await deps.authoring.listMaintainedToolIds(viewer.id));
  const visible = maintained ? all.filter((t) => maintained.has(t.id)) : all;
  const holders = await loadUserRefs(deps, locks.map((l) => l.holderId));
  const items = visible.map((tool) => {
    const lock = locks.find((l) => l.toolId === tool.id) ?? null;
    return toolSummary(
      tool,
      states.filter((s) => s.toolId === tool.id),
      lockView(lock, lock ? holders.get(lock.holderId) : undefined, viewer.id, now),
    );
  });
  items.sort((a, b) => a.title.localeCompare(b.title, "sv"));
  return { items, pending_reviews_total: items.reduce((n, t) => n + t.pending_reviews, 0) };
}

export async function toolDetailOf(deps: AuthoringDeps, viewer: AuthUser, tool: ToolRecord): Promise<ToolDetailView> {
  const now = deps.now();
  const [states, lock, maintainers] = await Promise.all([
    deps.tools.listVersionStates().then((all) => all.filter((s) => s.toolId === tool.id)),
    deps.authoring.getLock(tool.id),
    deps.authoring.listMaintainers(tool.id),
  ]);
  const users = await loadUserRefs(deps, [lock?.holderId ?? null, ...maintainers.map((m) => m.userId)]);
  const summary = toolSummary(tool, states, lockView(lock, lock ? users.get(lock.holderId) : undefined, viewer.id, now));
  const refs = maintainers.map((m) => users.get(m.userId)).filter((u): u is UserRef => u !== undefined);
  return toolDetail(summary, refs, viewer, maintainers.some((m) => m.userId === viewer.id));
}

export async function getToolDetail(deps: AuthoringDeps, viewer: AuthUser, toolId: string): Promise<ToolDetailView> {
  return toolDetailOf(deps, viewer, await requireEditableTool(deps, viewer, toolId));
}

export async function getToolDetailBySlug(deps: AuthoringDeps, viewer: AuthUser, slug: string): Promise<ToolDetailView> {
  const tool = await deps.tools.getBySlug(slug);
  if (!tool) throw AuthoringErrors.toolNotFound();
  return getToolDetail(deps, viewer, tool.id);
}

// ---------- changing (admins) ----------

export type CreateToolInput = { slug: string; title: string; summary?: string; professions?: string[]; categories?: string[] };

/** A new, unpublished tool without versions (the first draft is saved in the editor). */
export async function createTool(deps: AuthoringDeps, viewer: AuthUser, input: CreateToolInput, locale: Locale): Promise<ToolRecord> {
  const fields = { slug: input.slug, title: input.title.trim(), summary: (input.summary ?? "").trim(), professions: input.professions ?? [], categories: input.categories ?? [] };
  await checkToolFields(deps, fields, locale);
  const tool = await deps.tools.create({ ...fields, now: deps.now() });
  if (!tool) throw AuthoringErrors.slugTaken();
  await recordAudit(deps, { actor: userActor(viewer), action: "tool.created", target: { type: "tool", id: tool.id }, before: null, after: toolSnapshot(tool) });
  return tool;
}

export async function updateTool(deps: AuthoringDeps, viewer: AuthUser, toolId: string, input: ToolFieldsInput, locale: Locale): Promise<ToolDetailView> {
  const tool = await requireTool(deps, toolId);
  const patch: ToolPatch = {};
  if (input.slug !== undefined && input.slug !== tool.slug) patch.slug = input.slug;
  if (input.title !== undefined) patch.title = input.title.trim();
  if (input.summary !== undefined) patch.summary = input.summary.trim();
  if (input.professions !== undefined) patch.professions = input.professions;
  if (input.categories !== undefined) patch.categories = input.categories;
  await checkToolFields(deps, patch, locale);
  // A published tool's address is in bookmarks and run history (tools.rules.ts slugChangeProblem).
  if (patch.slug !== undefined && tool.isPublished) throw AuthoringErrors.slugFrozen();
  const result = await deps.tools.update(tool.id, patch, deps.now());
  if (!result.ok) throw result.reason === "slug_taken" ? AuthoringErrors.slugTaken() : AuthoringErrors.toolNotFound();
  await recordAudit(deps, { actor: userActor(viewer), action: "tool.updated", target: { type: "tool", id: tool.id }, before: toolSnapshot(tool), after: toolSnapshot(result.tool) });
  return toolDetailOf(deps, viewer, result.tool);
}

/** Shows or hides the tool in the catalog; showing needs an active version. The catalog sees it on its next request (revision triggers). */
export async function setToolPublished(deps: AuthoringDeps, viewer: AuthUser, toolId: string, published: boolean): Promise<ToolDetailView> {
  const tool = await requireTool(deps, toolId);
  if (tool.isPublished !== published) {
    const active = tool.activeVersionId ? await deps.tools.getVersion(tool.activeVersionId) : null;
    if (published && (!active || active.state !== "active")) throw AuthoringErrors.noActiveVersion();
    await deps.tools.applyStateChanges({ toolId: tool.id, changes: [], isPublished: published, now: deps.now() });
    const actor = userActor(viewer);
    const target = { type: "tool" as const, id: tool.id };
    if (published && active) await recordAudit(deps, { actor, action: "tool.published", target, before: { is_published: false }, after: { is_published: true, active_version: active.number } });
    else await recordAudit(deps, { actor, action: "tool.unpublished", target, before: { is_published: true }, after: { is_published: false } });
  }
  return toolDetailOf(deps, viewer, await requireTool(deps, toolId));
}

async function maintainerRefs(deps: AuthoringDeps, toolId: string): Promise<UserRef[]> {
  const rows = await deps.authoring.listMaintainers(toolId);
  const users = await loadUserRefs(deps, rows.map((r) => r.userId));
  return rows.map((r) => users.get(r.userId)).filter((u): u is UserRef => u !== undefined);
}

/** Adds a maintainer by e-mail; only contributors and up (idempotent). */
export async function addMaintainer(deps: AuthoringDeps, viewer: AuthUser, toolId: string, email: string): Promise<{ maintainers: UserRef[] }> {
  const tool = await requireTool(deps, toolId);
  const user = await deps.users.findByEmail(email.trim().toLowerCase());
  if (!user) throw AuthoringErrors.userNotFound();
  if (!roleAtLeast(user.role, "contributor")) throw AuthoringErrors.maintainerRole();
  const before = await maintainerRefs(deps, tool.id);
  if (await deps.authoring.addMaintainer(tool.id, user.id, deps.now())) {
    const after = await maintainerRefs(deps, tool.id);
    await recordAudit(deps, {
      actor: userActor(viewer),
      action: "tool.maintainer_added",
      target: { type: "tool", id: tool.id },
      before: { maintainers: before.map((u) => u.email) },
      after: { maintainers: after.map((u) => u.email) },
    });
    return { maintainers: after };
  }
  return { maintainers: before };
}

export async function removeMaintainer(deps: AuthoringDeps, viewer: AuthUser, toolId: string, userId: string): Promise<{ maintainers: UserRef[] }> {
  const tool = await requireTool(deps, toolId);
  const before = await maintainerRefs(deps, tool.id);
  if (await deps.authoring.removeMaintainer(tool.id, userId)) {
    const after = await maintainerRefs(deps, tool.id);
    await recordAudit(deps, {
      actor: userActor(viewer),
      action: "tool.maintainer_removed",
      target: { type: "tool", id: tool.id },
      before: { maintainers: before.map((u) => u.email) },
      after: { maintainers: after.map((u) => u.email) },
    });
    return { maintainers: after };
  }
  return { maintainers: before };
}
