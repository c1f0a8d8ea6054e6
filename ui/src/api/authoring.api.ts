/**
 * Authoring and governance (/api/v1/authoring, contract-authoring.md): tool administration, versions and
 * drafts, the draft lock, sandbox runs, review and suggestions. Errors come back as ApiError with the
 * server's code (authoring.head_moved, authoring.locked, validation.failed with JSON-pointer details …).
 */
import { api } from "./api";
import type { Run, SessionFilesMode, ToolSettings } from "./runs.api";

export interface UserRef {
  id: string;
  /** "First Last", or the e-mail address when the account has no name. */
  name: string;
  email: string;
}

export interface LockView {
  holder: UserRef;
  acquired_at: string;
  heartbeat_at: string;
  expires_at: string;
  /** The signed-in user holds it. */
  mine: boolean;
}

export const VERSION_STATES = ["draft", "in_review", "active", "archived"] as const;
export type VersionState = (typeof VERSION_STATES)[number];

export interface VersionRef {
  id: string;
  number: number;
  state: VersionState;
}

export type ReviewEventKind = "saved" | "submitted" | "changes_requested" | "published" | "rolled_back";

export interface ReviewEvent {
  kind: ReviewEventKind;
  message: string | null;
  actor: UserRef | null;
  at: string;
}

export interface ToolSummary {
  id: string;
  slug: string;
  title: string;
  summary: string;
  is_published: boolean;
  professions: string[];
  categories: string[];
  /** What teachers run. */
  active_version: VersionRef | null;
  /** The newest version (the editor opens it). */
  head_version: VersionRef | null;
  pending_reviews: number;
  lock: LockView | null;
  updated_at: string;
}

export interface ToolDetail extends ToolSummary {
  maintainers: UserRef[];
  /** false once the tool has been published. */
  slug_editable: boolean;
  /** What the viewer may do: edit = maintainer or admin, review/manage = admin, rollback = superuser. */
  can: { edit: boolean; review: boolean; rollback: boolean; manage: boolean };
}

export interface VersionSummary {
  id: string;
  tool_id: string;
  number: number;
  state: VersionState;
  parent_version_id: string | null;
  created_at: string;
  created_by: UserRef | null;
  note: string | null;
  /** Oldest first. */
  events: ReviewEvent[];
}

/** The editor's buffer; what a save, validate or sandbox snapshot sends. */
export interface VersionContent {
  source: string;
  entrypoint: string;
  input_schema: unknown;
  settings_schema: unknown;
  usage_instructions: string;
}

export interface Version extends VersionSummary {
  source: string;
  entrypoint: string;
  input_schema: unknown[];
  settings_schema: unknown[] | null;
  usage_instructions: string;
}

/** A validation problem: `path` is a JSON pointer into VersionContent ("/input_schema/2/kind"). */
export interface Problem {
  path: string;
  message: string;
}

export type SuggestionStatus = "pending" | "accepted" | "denied";

export interface SuggestionDecision {
  decision: "accepted" | "denied";
  rationale: string | null;
  decided_by: UserRef | null;
  decided_at: string;
}

export interface Suggestion {
  id: string;
  title: string;
  description: string;
  professions: string[];
  categories: string[];
  status: SuggestionStatus;
  suggested_by: UserRef;
  created_at: string;
  /** Set when accepted. */
  tool_id: string | null;
  /** Oldest first. */
  decisions: SuggestionDecision[];
}

export interface ReviewItem {
  tool: { id: string; slug: string; title: string };
  version: VersionSummary;
}

/** A sandbox run as the run API returns it to authors: with the script's own output streams. */
export interface SandboxRun extends Run {
  stdout?: string | null;
  stderr?: string | null;
}

const BASE = "/api/v1/authoring";
const toolPath = (toolId: string) => `${BASE}/tools/${encodeURIComponent(toolId)}`;
const versionPath = (toolId: string, versionId: string) => `${toolPath(toolId)}/versions/${encodeURIComponent(versionId)}`;

// Tools

export function listTools(): Promise<{ items: ToolSummary[]; pending_reviews_total: number }> {
  return api.request("GET", `${BASE}/tools`);
}

export function getToolBySlug(slug: string): Promise<ToolDetail> {
  return api.request("GET", `${BASE}/tools/by-slug/${encodeURIComponent(slug)}`);
}

export interface ToolFields {
  slug: string;
  title: string;
  summary: string;
  professions: string[];
  categories: string[];
}

/** 422 validation.failed (details at /slug, /title …), 409 authoring.slug_taken. */
export function createTool(fields: ToolFields): Promise<ToolDetail> {
  return api.request("POST", `${BASE}/tools`, { body: fields });
}

/** 409 authoring.slug_frozen when the slug changes on a published tool. */
export function updateTool(toolId: string, changes: Partial<ToolFields>): Promise<ToolDetail> {
  return api.request("PATCH", toolPath(toolId), { body: changes });
}

/** 409 authoring.no_active_version when publishing a tool nothing was published for yet. */
export function setPublished(toolId: string, published: boolean): Promise<ToolDetail> {
  return api.request("PUT", `${toolPath(toolId)}/published`, { body: { published } });
}

/** 404 authoring.user_not_found, 422 authoring.maintainer_role. */
export async function addMaintainer(toolId: string, email: string): Promise<UserRef[]> {
  const { maintainers } = await api.request<{ maintainers: UserRef[] }>("POST", `${toolPath(toolId)}/maintainers`, { body: { email } });
  return maintainers;
}

export async function removeMaintainer(toolId: string, userId: string): Promise<UserRef[]> {
  const { maintainers } = await api.request<{ maintainers: UserRef[] }>("DELETE", `${toolPath(toolId)}/maintainers/${encodeURIComponent(userId)}`);
  return maintainers;
}

// Versions

export function listVersions(toolId: string): Promise<{ items: VersionSummary[]; head_version_id: string | null; active_version_id: string | null }> {
  return api.request("GET", `${toolPath(toolId)}/versions`);
}

export function getVersion(toolId: string, versionId: string): Promise<Version> {
  return api.request("GET", versionPath(toolId, versionId));
}

/**
 * Saves the buffer as a new draft based on `parentVersionId`. 409 authoring.head_moved (details
 * {head_version_id, head_number}), 423 authoring.locked (details {holder, expires_at}), 422 validation.failed.
 */
export function saveVersion(toolId: string, content: VersionContent, parentVersionId: string | null, note?: string): Promise<{ created: boolean; version: Version }> {
  return api.request("POST", `${toolPath(toolId)}/versions`, { body: { ...content, parent_version_id: parentVersionId, ...(note ? { note } : {}) } });
}

export function validateContent(toolId: string, content: VersionContent): Promise<{ ok: boolean; problems: Problem[] }> {
  return api.request("POST", `${toolPath(toolId)}/validate`, { body: content });
}

// Lock

export async function getLock(toolId: string): Promise<LockView | null> {
  const { lock } = await api.request<{ lock: LockView | null }>("GET", `${toolPath(toolId)}/lock`);
  return lock;
}

/** 423 authoring.locked (details {holder, expires_at}); `takeOver` is for admins. */
export async function acquireLock(toolId: string, takeOver = false): Promise<LockView> {
  const { lock } = await api.request<{ lock: LockView }>("POST", `${toolPath(toolId)}/lock`, { body: takeOver ? { take_over: true } : {} });
  return lock;
}

/** 423 authoring.lock_lost (details {holder}) when someone took it over. */
export async function heartbeatLock(toolId: string): Promise<LockView> {
  const { lock } = await api.request<{ lock: LockView }>("POST", `${toolPath(toolId)}/lock/heartbeat`);
  return lock;
}

export async function releaseLock(toolId: string): Promise<void> {
  await api.request("DELETE", `${toolPath(toolId)}/lock`);
}

// Sandbox

export function createSnapshot(toolId: string, content: VersionContent): Promise<{ snapshot_id: string; settings_schema: unknown[] | null }> {
  return api.request("POST", `${toolPath(toolId)}/sandbox/snapshots`, { body: content });
}

export interface SandboxRunInput {
  snapshotId: string;
  inputs: Record<string, unknown>;
  files: File[];
  session_files_mode?: SessionFilesMode;
}

/** 422 runs.invalid_inputs (details at /inputs/<field>, /files/<n>), 404 authoring.snapshot_not_found. */
export async function submitSandboxRun(toolId: string, input: SandboxRunInput): Promise<string> {
  const form = new FormData();
  form.append("snapshot_id", input.snapshotId);
  form.append("inputs", JSON.stringify(input.inputs));
  for (const file of input.files) form.append("files", file, file.name);
  if (input.session_files_mode && input.session_files_mode !== "none") form.append("session_files_mode", input.session_files_mode);
  const { run_id } = await api.request<{ run_id: string }>("POST", `${toolPath(toolId)}/sandbox/runs`, { form });
  return run_id;
}

export async function submitSandboxAction(
  toolId: string,
  action: { snapshot_id: string; action_id: string; input: Record<string, unknown>; expected_state_rev: number },
): Promise<string> {
  const { run_id } = await api.request<{ run_id: string }>("POST", `${toolPath(toolId)}/sandbox/actions`, { body: action });
  return run_id;
}

export function getSandboxSettings(toolId: string, snapshotId: string): Promise<ToolSettings> {
  return api.request("GET", `${toolPath(toolId)}/sandbox/settings`, { query: { snapshot_id: snapshotId } });
}

export function saveSandboxSettings(toolId: string, snapshotId: string, values: Record<string, unknown>, expectedRev: number): Promise<ToolSettings> {
  return api.request("PUT", `${toolPath(toolId)}/sandbox/settings`, { body: { snapshot_id: snapshotId, values, expected_rev: expectedRev } });
}

// Review

export function submitForReview(toolId: string, versionId: string, note: string): Promise<Version> {
  return api.request("POST", `${versionPath(toolId, versionId)}/submit`, { body: note ? { note } : {} });
}

export function publishVersion(toolId: string, versionId: string, note: string): Promise<Version> {
  return api.request("POST", `${versionPath(toolId, versionId)}/publish`, { body: note ? { note } : {} });
}

export function requestChanges(toolId: string, versionId: string, message: string): Promise<Version> {
  return api.request("POST", `${versionPath(toolId, versionId)}/request-changes`, { body: { message } });
}

export function rollbackTo(toolId: string, versionId: string, note: string): Promise<Version> {
  return api.request("POST", `${versionPath(toolId, versionId)}/rollback`, { body: note ? { note } : {} });
}

export async function listReviews(): Promise<ReviewItem[]> {
  const { items } = await api.request<{ items: ReviewItem[] }>("GET", `${BASE}/reviews`);
  return items;
}

// Suggestions

export interface SuggestionInput {
  title: string;
  description: string;
  professions: string[];
  categories: string[];
}

export function createSuggestion(input: SuggestionInput): Promise<Suggestion> {
  return api.request("POST", `${BASE}/suggestions`, { body: input });
}

export async function listSuggestions(status?: SuggestionStatus): Promise<Suggestion[]> {
  const { items } = await api.request<{ items: Suggestion[] }>("GET", `${BASE}/suggestions`, { query: { status } });
  return items;
}

/** 409 authoring.suggestion_decided, 409 authoring.slug_taken. */
export function acceptSuggestion(id: string, slug?: string): Promise<{ suggestion: Suggestion; tool: ToolDetail }> {
  return api.request("POST", `${BASE}/suggestions/${encodeURIComponent(id)}/accept`, { body: slug ? { slug } : {} });
}

/** The rationale is required (422 validation.failed at /rationale). */
export function denySuggestion(id: string, rationale: string): Promise<Suggestion> {
  return api.request("POST", `${BASE}/suggestions/${encodeURIComponent(id)}/deny`, { body: { rationale } });
}
