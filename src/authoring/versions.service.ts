// Versions in the editor and in review. Every save is a new immutable draft version on top of the
// head it names (409 when the head moved); the review steps only move states (authoring.rules.ts),
// each in one transaction that also moves the tool's active version, with an event for the history,
// an audit event and — best effort — e-mail to the people who act next.
import { userActor, type VersionStates } from "../audit/audit.actions";
import { recordAudit } from "../audit/audit.service";
import { HttpErrors, type Locale } from "../http/errors";
import type { AuthUser } from "../http/http-context";
import { isSandboxSnapshot, type ToolRecord, type ToolVersionRecord } from "../tools/tools.repository";
import { contentHash, type StateChange } from "../tools/tools.rules";
import type { AuthoringDeps } from "./authoring.deps";
import { notifyReview, type ReviewNotice } from "./authoring.emails";
import { AuthoringErrors } from "./authoring.errors";
import type { VersionEventKind } from "./authoring.repository";
import {
  checkVersionContent,
  headOf,
  localizeProblems,
  maySave,
  planRequestChanges,
  planReviewPublish,
  planRollback,
  planSubmit,
  type CheckedContent,
  type LifecyclePlan,
  type VersionContentInput,
} from "./authoring.rules";
import { requireEditableTool, requireTool } from "./authoring.service";
import { lockedError } from "./locks.service";
import { loadUserRefs, versionSummary, versionView, type VersionSummaryView, type VersionView } from "./authoring.views";

// ---------- reading ----------

async function viewsOf(deps: AuthoringDeps, tool: ToolRecord, versions: ToolVersionRecord[]) {
  const events = await deps.authoring.listVersionEvents(tool.id);
  const users = await loadUserRefs(deps, [...versions.map((v) => v.createdBy), ...events.map((e) => e.actorId)]);
  return { events, users };
}

export async function listVersions(
  deps: AuthoringDeps,
  viewer: AuthUser,
  toolId: string,
): Promise<{ items: VersionSummaryView[]; head_version_id: string | null; active_version_id: string | null }> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  const versions = await deps.tools.listVersions(tool.id);
  const { events, users } = await viewsOf(deps, tool, versions);
  return {
    items: versions.map((v) => versionSummary(v, users, events)).reverse(),
    head_version_id: headOf(versions)?.id ?? null,
    active_version_id: tool.activeVersionId,
  };
}

/** A real version of the tool (sandbox snapshots, numbered ≤ 0, are not versions). */
async function requireVersion(deps: AuthoringDeps, tool: ToolRecord, versionId: string): Promise<ToolVersionRecord> {
  const v = await deps.tools.getVersion(versionId);
  if (!v || v.toolId !== tool.id || isSandboxSnapshot(v)) throw AuthoringErrors.versionNotFound();
  return v;
}

async function versionViewOf(deps: AuthoringDeps, tool: ToolRecord, v: ToolVersionRecord): Promise<VersionView> {
  const { events, users } = await viewsOf(deps, tool, [v]);
  return versionView(v, users, events);
}

export async function getVersion(deps: AuthoringDeps, viewer: AuthUser, toolId: string, versionId: string): Promise<VersionView> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  return versionViewOf(deps, tool, await requireVersion(deps, tool, versionId));
}

// ---------- validate and save ----------

/** 422 validation.failed with every problem, or the content to store. */
export function requireValidContent(input: VersionContentInput, locale: Locale): CheckedContent {
  const checked = checkVersionContent(input);
  if (!checked.ok) throw HttpErrors.validation(localizeProblems(checked.problems, locale));
  return checked.content;
}

export async function validateDraft(deps: AuthoringDeps, viewer: AuthUser, toolId: string, input: VersionContentInput, locale: Locale) {
  await requireEditableTool(deps, viewer, toolId);
  const checked = checkVersionContent(input);
  return { ok: checked.ok, problems: checked.ok ? [] : localizeProblems(checked.problems, locale) };
}

export type SaveDraftInput = VersionContentInput & { parent_version_id: string | null; note?: string };

export async function saveDraft(deps: AuthoringDeps, viewer: AuthUser, toolId: string, input: SaveDraftInput, locale: Locale): Promise<{ created: boolean; version: VersionView }> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  const content = requireValidContent(input, locale);
  const lock = await deps.authoring.getLock(tool.id);
  if (!maySave(lock, viewer.id, deps.now())) throw await lockedError(deps, lock!);
  const hash = contentHash(content);
  const head = headOf(await deps.tools.listVersions(tool.id));
  if ((head?.id ?? null) !== input.parent_version_id) throw AuthoringErrors.headMoved({ head_version_id: head?.id ?? null, head_number: head?.number ?? null });
  // Saving what the head already holds adds nothing (a repeated `tool push`, a save without edits).
  if (head && head.contentHash === hash) return { created: false, version: await versionViewOf(deps, tool, head) };
  const saved = await deps.tools.createVersionOnHead(
    {
      toolId: tool.id,
      state: "draft",
      source: content.source,
      entrypoint: content.entrypoint,
      inputSchema: content.input_schema,
      settingsSchema: content.settings_schema,
      usageInstructions: content.usage_instructions,
      contentHash: hash,
      parentVersionId: input.parent_version_id,
      createdBy: viewer.id,
      note: input.note?.trim() || null,
      now: deps.now(),
    },
    input.parent_version_id,
  );
  if (!saved.ok) throw AuthoringErrors.headMoved({ head_version_id: saved.head?.id ?? null, head_number: saved.head?.number ?? null });
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "version.created",
    target: { type: "tool_version", id: saved.version.id },
    before: null,
    after: { slug: tool.slug, number: saved.version.number, parent_version_id: saved.version.parentVersionId },
  });
  return { created: true, version: await versionViewOf(deps, tool, saved.version) };
}

// ---------- review ----------

type Step = {
  plan: (versions: ToolVersionRecord[], id: string) => LifecyclePlan;
  event: VersionEventKind;
  /** Whether the target becomes the tool's active version. */
  activates: boolean;
};

const STEPS = {
  submit: { plan: planSubmit, event: "submitted", activates: false },
  requestChanges: { plan: planRequestChanges, event: "changes_requested", activates: false },
  publish: { plan: planReviewPublish, event: "published", activates: true },
  rollback: { plan: planRollback, event: "rolled_back", activates: true },
} satisfies Record<string, Step>;

function statesOf(tool: ToolRecord, versions: ToolVersionRecord[], changes: StateChange[], side: "from" | "to"): VersionStates {
  const states: Record<string, string> = {};
  for (const c of changes) {
    const v = versions.find((x) => x.id === c.versionId);
    if (v) states[String(v.number)] = c[side];
  }
  return { slug: tool.slug, states };
}

/** Plans and applies one step, retrying once when a concurrent change moved a state in between. */
async function applyStep(deps: AuthoringDeps, viewer: AuthUser, tool: ToolRecord, versionId: string, step: Step, message: string | null) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const versions = await deps.tools.listVersions(tool.id);
    const target = versions.find((v) => v.id === versionId);
    if (!target) throw AuthoringErrors.versionNotFound();
    const plan = step.plan(versions, versionId);
    if (!plan.ok) throw AuthoringErrors.invalidTransition({ from: plan.from, to: plan.to });
    const current = await requireTool(deps, tool.id);
    const ok = await deps.tools.applyStateChanges({
      toolId: tool.id,
      changes: plan.changes,
      ...(step.activates ? { activeVersionId: target.id } : {}),
      now: deps.now(),
    });
    if (!ok) continue;
    await deps.authoring.addVersionEvent({ toolId: tool.id, versionId: target.id, kind: step.event, message, actorId: viewer.id, createdAt: deps.now() });
    return { versions, target, plan: plan.changes, previousActiveId: current.activeVersionId };
  }
  throw AuthoringErrors.invalidTransition({ from: "changed", to: "changed" });
}

async function sendNotice(deps: AuthoringDeps, notice: ReviewNotice) {
  try {
    await notifyReview(deps, notice);
  } catch (error) {
    // E-mail is a courtesy: the review step has happened, and the version list shows it anyway.
    deps.log.warn("review notification failed", { tool_id: notice.tool.id, kind: notice.kind, error });
  }
}

export async function submitForReview(deps: AuthoringDeps, viewer: AuthUser, toolId: string, versionId: string, note: string | null): Promise<VersionView> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  await requireVersion(deps, tool, versionId);
  const r = await applyStep(deps, viewer, tool, versionId, STEPS.submit, note?.trim() || null);
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "version.submitted",
    target: { type: "tool_version", id: versionId },
    before: statesOf(tool, r.versions, r.plan, "from"),
    after: { ...statesOf(tool, r.versions, r.plan, "to"), note: note?.trim() || null },
  });
  await sendNotice(deps, { kind: "submitted", tool, version: r.target, actor: viewer, message: note?.trim() || null });
  return versionViewOf(deps, tool, await requireVersion(deps, tool, versionId));
}

export async function requestChanges(deps: AuthoringDeps, viewer: AuthUser, toolId: string, versionId: string, message: string): Promise<VersionView> {
  const tool = await requireTool(deps, toolId);
  await requireVersion(deps, tool, versionId);
  const r = await applyStep(deps, viewer, tool, versionId, STEPS.requestChanges, message.trim());
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "version.changes_requested",
    target: { type: "tool_version", id: versionId },
    before: statesOf(tool, r.versions, r.plan, "from"),
    after: { ...statesOf(tool, r.versions, r.plan, "to"), message: message.trim() },
  });
  await sendNotice(deps, { kind: "changes_requested", tool, version: r.target, actor: viewer, message: message.trim() });
  return versionViewOf(deps, tool, await requireVersion(deps, tool, versionId));
}

export async function publishVersion(deps: AuthoringDeps, viewer: AuthUser, toolId: string, versionId: string, note: string | null): Promise<VersionView> {
  const tool = await requireTool(deps, toolId);
  await requireVersion(deps, tool, versionId);
  const r = await applyStep(deps, viewer, tool, versionId, STEPS.publish, note?.trim() || null);
  const previous = r.versions.find((v) => v.id === r.previousActiveId) ?? null;
  const archived = r.plan.filter((c) => c.to === "archived").map((c) => r.versions.find((v) => v.id === c.versionId)?.number ?? 0);
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "version.published",
    target: { type: "tool_version", id: versionId },
    before: { slug: tool.slug, active_version: previous?.number ?? null, tool_published: tool.isPublished },
    after: { slug: tool.slug, active_version: r.target.number, archived_versions: archived },
  });
  await sendNotice(deps, { kind: "published", tool, version: r.target, actor: viewer, message: note?.trim() || null });
  return versionViewOf(deps, tool, await requireVersion(deps, tool, versionId));
}

export async function rollbackToVersion(deps: AuthoringDeps, viewer: AuthUser, toolId: string, versionId: string, note: string | null): Promise<VersionView> {
  const tool = await requireTool(deps, toolId);
  await requireVersion(deps, tool, versionId);
  const r = await applyStep(deps, viewer, tool, versionId, STEPS.rollback, note?.trim() || null);
  const previous = r.versions.find((v) => v.id === r.previousActiveId) ?? null;
  await recordAudit(deps, {
    actor: userActor(viewer),
    action: "version.rolled_back",
    target: { type: "tool_version", id: versionId },
    before: { ...statesOf(tool, r.versions, r.plan, "from"), active_version: previous?.number ?? null },
    after: { ...statesOf(tool, r.versions, r.plan, "to"), active_version: r.target.number },
  });
  return versionViewOf(deps, tool, await requireVersion(deps, tool, versionId));
}

/** Every version waiting for review, oldest submission first (admins' review queue). */
export async function listPendingReviews(deps: AuthoringDeps): Promise<{ items: { tool: { id: string; slug: string; title: string }; version: VersionSummaryView }[] }> {
  const states = (await deps.tools.listVersionStates()).filter((s) => s.state === "in_review");
  const items: { tool: { id: string; slug: string; title: string }; version: VersionSummaryView; submittedAt: number }[] = [];
  for (const s of states) {
    const tool = await deps.tools.getById(s.toolId);
    const v = await deps.tools.getVersion(s.id);
    if (!tool || !v) continue;
    const { events, users } = await viewsOf(deps, tool, [v]);
    const submitted = events.filter((e) => e.versionId === v.id && e.kind === "submitted").at(-1);
    items.push({ tool: { id: tool.id, slug: tool.slug, title: tool.title }, version: versionSummary(v, users, events), submittedAt: (submitted?.createdAt ?? v.createdAt).getTime() });
  }
  items.sort((a, b) => a.submittedAt - b.submittedAt);
  return { items: items.map(({ tool, version }) => ({ tool, version })) };
}
