// Submitting runs and action runs, reading a run, cancelling it and handing out its artifacts.
// Nothing here waits for a container: a submission stores the run (queued) and returns; a worker
// picks it up (queue.repository.ts, worker.ts).
//
// Who sees what (decided here, tested in runs.routes.test.ts):
// - A run is visible only to the user who started it. Everyone else gets 404 — admins too: runs hold
//   pupils' data, and reading other people's runs belongs to a later, audited support feature rather
//   than to a role that happens to be high.
// - stdout/stderr are shown to maintainers only: admins and superusers always, contributors for their
//   sandbox runs. Teachers see the payload and the error summary, never a traceback.
// - Runs start only from published tools with an active version; anything else is "tool not found"
//   (404) for every role. Sandbox runs of drafts come with the editor.
import type { AuthUser } from "../http/http-context";
import type { Locale } from "../http/errors";
import { roleAtLeast } from "../identity/roles.rules";
import { SNIFF_BYTES, toErrorDetails, validateInputSchema, validateRunInputs } from "../tools/input-schema.rules";
import type { ToolRecord, ToolVersionRecord } from "../tools/tools.repository";
import { findNextAction, validateActionInput } from "./actions.rules";
import type { JsonObject } from "./contract.types";
import type { ExecutionDeps } from "./execution.deps";
import { normalizeNextActions } from "./payload.rules";
import { RUN_TEXT, systemSummary } from "./run-messages";
import { RunErrors, withValues } from "./runs.errors";
import type { ArtifactRecord, RunKind, RunRecord, RunStatus, SessionFilesMode } from "./runs.repository";
import { isStaleRevision } from "./state.rules";
import { sanitizeUploadNames } from "./upload-names.rules";

const MIB = 1024 * 1024;
export const DEFAULT_CONTEXT = "default";

/**
 * Session files: the input files of a user's latest form run of a tool in a context (per user, tool,
 * context; runs.repository.ts findSessionFiles says which run that is). Action runs continuing the
 * context get them in /work/input, as follow-up actions did in the original Skriptoteket. On a new
 * form run, "reuse" takes them as the run's files when nothing was uploaded, "clear" forgets them
 * (the run is stored with its mode, which ends the older run's files as session files) and "none"
 * uses the uploads only. They are copied into each run (new blob keys), so deleting a run — by the
 * user or by retention — never takes another run's inputs with it.
 */
export const SESSION_FILES_MODES = ["none", "reuse", "clear"] as const satisfies readonly SessionFilesMode[];
export type { SessionFilesMode };

// ---------- the tool a run starts from ----------

export type RunnableTool = { tool: ToolRecord; version: ToolVersionRecord };

/**
 * A published tool and its active version, or 404 (also for unpublished tools: their existence is not revealed,
 * and for a tool limited to groups the viewer is not in).
 */
export async function requireRunnableTool(deps: Pick<ExecutionDeps, "tools" | "toolAccess">, slug: string, viewer?: AuthUser): Promise<RunnableTool> {
  const tool = await deps.tools.getBySlug(slug);
  if (!tool || !tool.isPublished || !tool.activeVersionId) throw RunErrors.toolNotFound();
  if (viewer && deps.toolAccess && !(await deps.toolAccess.canSee(viewer, tool.id))) throw RunErrors.toolNotFound();
  const version = await deps.tools.getVersion(tool.activeVersionId);
  if (!version || version.state !== "active") throw RunErrors.toolNotFound();
  return { tool, version };
}

// ---------- queueing ----------

/** A file for the run's input folder: a fresh upload, or a stored input of an earlier run (rerun). */
export type Upload = { file: Blob; name: string };

export type EnqueueInput = {
  userId: string;
  tool: RunnableTool;
  kind: RunKind;
  inputs: JsonObject;
  action: JsonObject | null;
  context: string;
  uploads: Upload[];
  /** Form runs: what the run did with the context's session files (stored on the run). */
  sessionFilesMode?: SessionFilesMode;
};

/**
 * Stores the uploads under runs/<runId>/inputs/<fileId>, then run + job + file rows in one
 * transaction. The blobs go first so a queued run never points at missing files; if anything fails
 * they are removed again, so no blob outlives a run that was never created.
 */
export async function enqueueRun(deps: ExecutionDeps, input: EnqueueInput): Promise<RunRecord> {
  const runId = Bun.randomUUIDv7();
  const prefix = `runs/${runId}/inputs`;
  try {
    const files = [];
    for (const upload of input.uploads) {
      const id = Bun.randomUUIDv7();
      const bytes = new Uint8Array(await upload.file.arrayBuffer());
      const storageKey = `${prefix}/${id}`;
      await deps.blobStore.put(storageKey, bytes);
      files.push({ id, name: upload.name, bytes: bytes.byteLength, sha256: new Bun.CryptoHasher("sha256").update(bytes).digest("hex"), storageKey });
    }
    const run = await deps.runs.createQueuedRun({
      id: runId,
      toolId: input.tool.tool.id,
      toolVersionId: input.tool.version.id,
      userId: input.userId,
      kind: input.kind,
      inputs: input.inputs,
      action: input.action,
      context: input.context,
      sessionFilesMode: input.sessionFilesMode,
      files,
      now: deps.now(),
    });
    deps.log.info("run queued", { run_id: run.id, tool: input.tool.tool.slug, kind: run.kind, files: files.length, action: input.action ? input.action.action_id : null });
    deps.notifyQueued?.(run.id);
    return run;
  } catch (e) {
    await deps.blobStore.deletePrefix(prefix).catch((cleanup: unknown) => deps.log.error("could not remove the uploads of a failed submission", { run_id: runId, error: cleanup }));
    throw e;
  }
}

// ---------- POST /tools/{slug}/run ----------

export type SubmitRunInput = {
  viewer: AuthUser;
  slug: string;
  /** The multipart `inputs` field: JSON text, or already parsed (the framework parses JSON-looking form fields). */
  inputs: unknown;
  files: File[];
  context?: string;
  sessionFilesMode?: SessionFilesMode;
  locale: Locale;
};

/**
 * The multipart `document_ids` field (JSON text of an id array, or already parsed) → the viewer's
 * stored documents as files, copied into the run like uploads (they count toward the upload limits).
 */
export async function storedDocumentFiles(deps: ExecutionDeps, viewer: AuthUser, raw: unknown, locale: Locale): Promise<File[]> {
  if (raw === undefined || raw === null || raw === "") return [];
  let ids: unknown = raw;
  if (typeof raw === "string") {
    try {
      ids = JSON.parse(raw);
    } catch {
      ids = null;
    }
  }
  const message = locale === "sv" ? "Ange dokumentens id som en JSON-lista med text." : "Give the document ids as a JSON list of strings.";
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string" && id.length > 0 && id.length <= 64)) throw RunErrors.invalidInputs([{ path: "/document_ids", message }]);
  if (ids.length > deps.config.storage.max_upload_files) throw withValues(RunErrors.defs.tooManyFiles, { max_files: deps.config.storage.max_upload_files });
  if (ids.length === 0) return [];
  if (!deps.documentInputs) throw RunErrors.invalidInputs([{ path: "/document_ids", message }]);
  return deps.documentInputs(viewer.id, ids as string[]);
}

/** The `inputs` form field as a value: absent → {}, JSON text → parsed, anything else as given (the rules check the shape). */
function parseInputsField(raw: unknown, locale: Locale): unknown {
  if (raw === undefined || raw === null || raw === "") return {};
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    const message = locale === "sv" ? "Formulärets värden är inte giltig JSON." : "The form values are not valid JSON.";
    throw RunErrors.invalidInputs([{ path: "/inputs", message }]);
  }
}

// ---------- session files ----------

export type SessionFiles = { runId: string; uploads: Upload[] };

/** The session files of (user, tool, context) with their bytes, or null when there are none. */
export async function loadSessionFiles(deps: ExecutionDeps, key: { userId: string; toolId: string; context: string }): Promise<SessionFiles | null> {
  const session = await deps.runs.findSessionFiles(key);
  if (!session) return null;
  const blobs = await Promise.all(session.files.map((f) => deps.blobStore.get(f.storageKey)));
  const uploads: Upload[] = [];
  session.files.forEach((f, i) => {
    const file = blobs[i];
    if (file) uploads.push({ name: f.name, file });
  });
  if (uploads.length !== session.files.length) {
    deps.log.warn("session file blobs missing", { run_id: session.runId, missing: session.files.length - uploads.length });
    throw RunErrors.sessionFilesMissing();
  }
  return { runId: session.runId, uploads };
}

export type SessionFilesView = { files: { name: string; bytes: number }[]; run_id: string | null };

/** GET /tools/{slug}/session-files: names and sizes only (the viewer's own, like everything about runs). */
export async function getSessionFilesView(deps: ExecutionDeps, viewer: AuthUser, slug: string, context: string | undefined): Promise<SessionFilesView> {
  const runnable = await requireRunnableTool(deps, slug, viewer);
  const session = await deps.runs.findSessionFiles({ userId: viewer.id, toolId: runnable.tool.id, context: context ?? DEFAULT_CONTEXT });
  if (!session) return { files: [], run_id: null };
  return { files: session.files.map((f) => ({ name: f.name, bytes: f.bytes })), run_id: session.runId };
}

/** Checks limits, names, values and files of a first run, then queues it. */
export async function submitRun(deps: ExecutionDeps, input: SubmitRunInput): Promise<{ runId: string }> {
  return submitRunOf(deps, await requireRunnableTool(deps, input.slug, input.viewer), "production", input);
}

/**
 * submitRun for a tool version the caller resolved: production runs the active version; the editor's
 * sandbox (src/authoring) runs a snapshot with kind "sandbox" (sandbox limits and settings).
 */
export async function submitRunOf(deps: ExecutionDeps, runnable: RunnableTool, kind: RunKind, input: Omit<SubmitRunInput, "slug">): Promise<{ runId: string }> {
  const { max_upload_files, max_upload_mb } = deps.config.storage;
  // Limits first and without reading any file: they protect the server, the rest protects the tool.
  if (input.files.length > max_upload_files) throw withValues(RunErrors.defs.tooManyFiles, { max_files: max_upload_files });
  const total = input.files.reduce((sum, f) => sum + f.size, 0);
  if (total > max_upload_mb * MIB) throw withValues(RunErrors.defs.uploadTooLarge, { max_mb: max_upload_mb });

  const names = sanitizeUploadNames(input.files.map((f) => (typeof f.name === "string" ? f.name : "")));
  if (!names.ok) throw RunErrors.invalidInputs(toErrorDetails(names.errors, input.locale, "/files"));

  const schema = validateInputSchema(runnable.version.inputSchema);
  if (!schema.ok) throw new Error(`tool ${runnable.tool.slug} v${runnable.version.number}: stored input schema is invalid (${schema.errors[0]?.en})`);
  const context = input.context ?? DEFAULT_CONTEXT;
  const mode = input.sessionFilesMode ?? "none";
  let uploads: Upload[] = input.files.map((file, i) => ({ file, name: names.names[i]! }));
  // "reuse" without uploads: the session files are the run's files and face the same checks as uploads.
  if (mode === "reuse" && uploads.length === 0) {
    uploads = (await loadSessionFiles(deps, { userId: input.viewer.id, toolId: runnable.tool.id, context }))?.uploads ?? [];
  }
  const heads = await Promise.all(uploads.map(async (u) => ({ name: u.name, head: new Uint8Array(await u.file.slice(0, SNIFF_BYTES).arrayBuffer()) })));
  const checked = validateRunInputs({ schema: schema.schema, values: parseInputsField(input.inputs, input.locale), files: heads });
  if (!checked.ok) {
    // "no files allowed" concerns the uploads as a whole (path "/files"), the rest a form field ("/inputs/<name>")
    const files = checked.errors.filter((e) => e.code === "files_none_allowed");
    const fields = checked.errors.filter((e) => e.code !== "files_none_allowed");
    throw RunErrors.invalidInputs([...toErrorDetails(fields, input.locale, "/inputs"), ...toErrorDetails(files, input.locale, "/files")]);
  }
  const run = await enqueueRun(deps, {
    userId: input.viewer.id,
    tool: runnable,
    kind,
    inputs: checked.values,
    action: null,
    context,
    uploads,
    sessionFilesMode: mode,
  });
  return { runId: run.id };
}

// ---------- POST /tools/{slug}/actions ----------

export type SubmitActionInput = {
  viewer: AuthUser;
  slug: string;
  actionId: string;
  input: unknown;
  expectedStateRev: number;
  context?: string;
  locale: Locale;
};

/**
 * An action run continues the (user, tool, context) state at the revision the page was showing: the
 * action must be one the run that wrote that revision offered, and its input must fit the action's
 * fields. It runs the tool's active version with inputs {} and SKRIPTOTEKET_ACTION = {action_id,
 * input, state} (stored as runs.action, which the worker passes on as is) and the context's session
 * files (copied) in /work/input. The active version, not the
 * one that wrote the state: archived versions never run again, so a tool updated mid-session continues
 * with its new code (its author keeps the state shape compatible, as with the original Skriptoteket).
 */
export async function submitAction(deps: ExecutionDeps, input: SubmitActionInput): Promise<{ runId: string }> {
  return submitActionOf(deps, await requireRunnableTool(deps, input.slug, input.viewer), "production", input);
}

/** submitAction for a resolved tool version and run kind (the editor's sandbox, see submitRunOf). */
export async function submitActionOf(deps: ExecutionDeps, runnable: RunnableTool, kind: RunKind, input: Omit<SubmitActionInput, "slug">): Promise<{ runId: string }> {
  const context = input.context ?? DEFAULT_CONTEXT;
  const current = await deps.runs.getToolState(input.viewer.id, runnable.tool.id, context);
  if (isStaleRevision(input.expectedStateRev, current?.rev ?? null) || !current) {
    throw RunErrors.stateConflict({ expected_state_rev: input.expectedStateRev, current_state_rev: current?.rev ?? 0 });
  }
  const writer = await deps.runs.findStateRun({ userId: input.viewer.id, toolId: runnable.tool.id, context, rev: current.rev });
  const stored = writer?.uiPayload?.next_actions;
  // The stored payload was normalized when the run finished; normalizing again is idempotent and types it.
  const offered = normalizeNextActions(Array.isArray(stored) ? stored : []).actions;
  const action = findNextAction(offered, input.actionId);
  if (!action) throw RunErrors.actionNotOffered({ action_id: input.actionId });
  const checked = validateActionInput(action, input.input);
  if (!checked.ok) throw RunErrors.invalidInputs(toErrorDetails(checked.errors, input.locale, "/input"));
  const session = await loadSessionFiles(deps, { userId: input.viewer.id, toolId: runnable.tool.id, context });
  const run = await enqueueRun(deps, {
    userId: input.viewer.id,
    tool: runnable,
    kind,
    inputs: {},
    action: { action_id: action.action_id, input: checked.values, state: current.state as JsonObject },
    context,
    uploads: session?.uploads ?? [],
  });
  return { runId: run.id };
}

// ---------- reading a run ----------

/** The run, when `viewer` may see it (the owner); otherwise 404. */
export async function requireOwnRun(deps: Pick<ExecutionDeps, "runs">, viewer: AuthUser, runId: string): Promise<RunRecord> {
  const run = await deps.runs.getRun(runId);
  if (!run || run.userId !== viewer.id) throw RunErrors.runNotFound();
  return run;
}

/** Maintainers see the script's own output (see the file header). */
export function mayReadLogs(viewer: AuthUser, run: Pick<RunRecord, "kind">): boolean {
  return roleAtLeast(viewer.role, "admin") || (viewer.role === "contributor" && run.kind === "sandbox");
}

export type ArtifactView = { artifact_id: string; path: string; bytes: number; download_url: string };

export type RunView = {
  run_id: string;
  tool_slug: string;
  tool_title: string;
  status: RunStatus;
  /** An action run continues a session (no form values of its own; its input files are the session files). */
  is_action: boolean;
  context: string;
  /** The normalized form values the run started with ({} for action runs). */
  inputs: Record<string, unknown>;
  input_files: { name: string; bytes: number }[];
  error_summary: string | null;
  ui_payload: Record<string, unknown> | null;
  state_rev: number | null;
  artifacts: ArtifactView[];
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  stdout?: string | null;
  stderr?: string | null;
};

export function artifactView(runId: string, a: ArtifactRecord): ArtifactView {
  return { artifact_id: a.id, path: a.path, bytes: a.bytes, download_url: `/api/v1/runs/${runId}/artifacts/${a.id}` };
}

export async function getRunView(deps: ExecutionDeps, viewer: AuthUser, runId: string): Promise<RunView> {
  const run = await requireOwnRun(deps, viewer, runId);
  const [tool, artifacts, files] = await Promise.all([deps.tools.getById(run.toolId), deps.runs.listArtifacts(run.id), deps.runs.listRunFiles(run.id)]);
  const view: RunView = {
    run_id: run.id,
    tool_slug: tool?.slug ?? "",
    tool_title: tool?.title ?? "",
    status: run.status,
    is_action: run.action !== null,
    context: run.context,
    inputs: run.inputs,
    input_files: files.map((f) => ({ name: f.name, bytes: f.bytes })),
    error_summary: run.errorSummary,
    ui_payload: run.uiPayload,
    state_rev: run.stateRev,
    artifacts: artifacts.map((a) => artifactView(run.id, a)),
    queued_at: run.queuedAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
  };
  if (mayReadLogs(viewer, run)) {
    view.stdout = run.stdout;
    view.stderr = run.stderr;
  }
  return view;
}

// The viewer's run history (list, delete, rerun, downloads together): run-history.service.ts.

// ---------- cancel ----------

/**
 * Queued → cancelled at once; running → cancel requested (the worker holding the lease kills the
 * container and finalizes the run as cancelled; in this process at once via abortLocal); finished →
 * unchanged. Returns the run's status after the call.
 */
export async function cancelRun(deps: ExecutionDeps, viewer: AuthUser, runId: string): Promise<{ status: RunStatus }> {
  const run = await requireOwnRun(deps, viewer, runId);
  const outcome = await deps.queue.requestCancel({ runId: run.id, now: deps.now(), message: systemSummary(RUN_TEXT.cancelled) });
  if (outcome === "not_found") throw RunErrors.runNotFound();
  if (outcome === "requested") deps.abortLocal?.(run.id);
  deps.events.notifier?.notify(run.id);
  deps.log.info("run cancel", { run_id: run.id, outcome });
  const after = await deps.runs.getRun(run.id);
  return { status: after?.status ?? "cancelled" };
}

// ---------- artifacts ----------

/** Safe content types by extension; everything else downloads as application/octet-stream. Never HTML, SVG or XML: they can carry script. */
const SAFE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".zip": "application/zip",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  ".odt": "application/vnd.oasis.opendocument.text",
  ".ods": "application/vnd.oasis.opendocument.spreadsheet",
  ".odp": "application/vnd.oasis.opendocument.presentation",
};

export function artifactContentType(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return (dot > 0 && SAFE_CONTENT_TYPES[fileName.slice(dot).toLowerCase()]) || "application/octet-stream";
}

/** The download name: the last segment of "output/a/b.pdf", without control or bidi characters. */
export function artifactFileName(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "_").trim();
  return clean === "" || clean === "." || clean === ".." ? "download" : clean;
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 / RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export type ArtifactDownload = { blob: Blob; fileName: string; contentType: string; bytes: number };

export async function openArtifact(deps: ExecutionDeps, viewer: AuthUser, runId: string, artifactId: string): Promise<ArtifactDownload> {
  const run = await requireOwnRun(deps, viewer, runId);
  const artifact = await deps.runs.getArtifact(run.id, artifactId);
  if (!artifact) throw RunErrors.artifactNotFound();
  const blob = await deps.blobStore.get(artifact.storageKey);
  if (!blob) {
    deps.log.warn("artifact blob missing", { run_id: run.id, artifact_id: artifact.id, key: artifact.storageKey });
    throw RunErrors.artifactNotFound();
  }
  const fileName = artifactFileName(artifact.path);
  return { blob, fileName, contentType: artifactContentType(fileName), bytes: artifact.bytes };
}
