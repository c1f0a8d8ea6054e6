// A teacher's own runs after the fact: the paged history, deleting a run with its files, running a
// finished run again with the same values and files, and downloading its results together (all
// files as one zip, a table as an Excel workbook). Owner only, like everything about runs
// (runs.service.ts explains why admins are no exception).
import type { AuthUser } from "../http/http-context";
import { HttpErrors, type Locale } from "../http/errors";
import { SNIFF_BYTES, toErrorDetails, validateInputSchema, validateRunInputs } from "../tools/input-schema.rules";
import type { TableOutput } from "./contract.types";
import type { ExecutionDeps } from "./execution.deps";
import { artifactsZipName, parseDateBound, parseStatusFilter, safeFileStem, zipEntryNames, type FilterProblem } from "./run-history.rules";
import { RunErrors } from "./runs.errors";
import type { RunListItem, RunStatus } from "./runs.repository";
import { enqueueRun, requireOwnRun, requireRunnableTool } from "./runs.service";
import { tableToXlsx } from "./table-xlsx.rules";
import { zipStream } from "./zip-stream";

// ---------- GET /runs ----------

export type RunListQuery = { tool?: string; status?: string; from?: string; to?: string; page?: number; page_size?: number };

export type RunListItemView = {
  run_id: string;
  tool_slug: string;
  tool_title: string;
  status: RunStatus;
  is_action: boolean;
  context: string;
  error_summary: string | null;
  state_rev: number | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
};

export type RunListView = { items: RunListItemView[]; total: number; page: number; page_size: number };

export const RUN_LIST_PAGE_SIZE = 25;

function listItemView(r: RunListItem): RunListItemView {
  return {
    run_id: r.id,
    tool_slug: r.toolSlug,
    tool_title: r.toolTitle,
    status: r.status,
    is_action: r.isAction,
    context: r.context,
    error_summary: r.errorSummary,
    state_rev: r.stateRev,
    queued_at: r.queuedAt.toISOString(),
    started_at: r.startedAt?.toISOString() ?? null,
    finished_at: r.finishedAt?.toISOString() ?? null,
    duration_ms: r.durationMs,
  };
}

/**
 * The viewer's runs, newest first, filtered by tool (slug), statuses (comma-separated) and queued date.
 * Production runs only: test runs from the editor's sandbox belong to the editor (and would fill the
 * history with half-finished experiments); they cannot be rerun from here either.
 */
export async function listRunHistory(deps: ExecutionDeps, viewer: AuthUser, query: RunListQuery): Promise<RunListView> {
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? RUN_LIST_PAGE_SIZE;
  const { statuses, problems } = parseStatusFilter(query.status);
  const bound = (name: "from" | "to"): Date | undefined => {
    const raw = query[name];
    if (raw === undefined || raw === "") return undefined;
    const at = parseDateBound(raw, name);
    if (!at) problems.push({ path: `/${name}`, message: `"${raw.slice(0, 40)}" is not a date. Use 2026-11-23 or 2026-11-23T08:00:00Z.` } satisfies FilterProblem);
    return at ?? undefined;
  };
  const from = bound("from");
  const to = bound("to");
  if (problems.length) throw HttpErrors.validation(problems);
  let toolId: string | undefined;
  if (query.tool) {
    // A tool that does not exist (any more) has no runs: an empty page, not an error (stale bookmarks).
    const tool = await deps.tools.getBySlug(query.tool);
    if (!tool) return { items: [], total: 0, page, page_size: pageSize };
    toolId = tool.id;
  }
  const result = await deps.runs.listRuns({ userId: viewer.id, kind: "production", toolId, statuses: statuses.length ? statuses : undefined, from, to, page, pageSize });
  return { items: result.items.map(listItemView), total: result.total, page, page_size: pageSize };
}

// ---------- DELETE /runs/{id} ----------

/**
 * Deletes a finished run: the rows first (one statement, which also refuses a run that is still
 * queued or running), then its input files and artifacts. A blob that cannot be removed is logged and
 * left behind: it is unreachable once the rows are gone, and the user's delete has happened.
 */
export async function deleteOwnRun(deps: ExecutionDeps, viewer: AuthUser, runId: string): Promise<void> {
  const outcome = await deps.runs.deleteFinishedRun({ runId, userId: viewer.id });
  if (outcome === "not_found") throw RunErrors.runNotFound();
  if (outcome === "active") throw RunErrors.runStillActive();
  await deps.blobStore.deletePrefix(`runs/${runId}`).catch((error: unknown) => deps.log.error("could not remove the files of a deleted run", { run_id: runId, error }));
  deps.log.info("run deleted", { run_id: runId });
}

// ---------- POST /runs/{id}/rerun ----------

/**
 * Queues a new run of the tool's current version with the same form values and input files as a
 * finished run that was started from the form (not an action run: that continues a session whose
 * state has moved on). The values and files are checked against the current input schema, since the
 * tool may have changed; the files are copied, so deleting either run leaves the other whole.
 */
export async function rerunOwnRun(deps: ExecutionDeps, viewer: AuthUser, runId: string, locale: Locale): Promise<{ runId: string }> {
  const run = await requireOwnRun(deps, viewer, runId);
  if (run.status === "queued" || run.status === "running" || run.kind !== "production" || run.action !== null) throw RunErrors.rerunNotPossible();
  const tool = await deps.tools.getById(run.toolId);
  if (!tool) throw RunErrors.toolNotFound();
  const runnable = await requireRunnableTool(deps, tool.slug, viewer);
  const files = await deps.runs.listRunFiles(run.id);
  const blobs = await Promise.all(files.map((f) => deps.blobStore.get(f.storageKey)));
  const uploads = files.map((f, i) => ({ name: f.name, file: blobs[i] }));
  if (uploads.some((u) => !u.file)) throw RunErrors.rerunFilesMissing();
  const present = uploads as { name: string; file: Blob }[];

  const schema = validateInputSchema(runnable.version.inputSchema);
  if (!schema.ok) throw new Error(`tool ${runnable.tool.slug} v${runnable.version.number}: stored input schema is invalid (${schema.errors[0]?.en})`);
  const heads = await Promise.all(present.map(async (u) => ({ name: u.name, head: new Uint8Array(await u.file.slice(0, SNIFF_BYTES).arrayBuffer()) })));
  const checked = validateRunInputs({ schema: schema.schema, values: run.inputs, files: heads });
  if (!checked.ok) throw RunErrors.rerunInputsChanged(toErrorDetails(checked.errors, locale, "/inputs"));

  const next = await enqueueRun(deps, {
    userId: viewer.id,
    tool: runnable,
    kind: "production",
    inputs: checked.values,
    action: null,
    context: run.context,
    uploads: present,
  });
  deps.log.info("run rerun", { run_id: next.id, from_run_id: run.id });
  return { runId: next.id };
}

// ---------- GET /runs/{id}/artifacts.zip ----------

export type ZipDownload = { stream: ReadableStream<Uint8Array>; fileName: string };

/** Every file the run produced, as one zip streamed from the blob store (entry names without "output/"). */
export async function openArtifactsZip(deps: ExecutionDeps, viewer: AuthUser, runId: string): Promise<ZipDownload> {
  const run = await requireOwnRun(deps, viewer, runId);
  const [tool, artifacts] = await Promise.all([deps.tools.getById(run.toolId), deps.runs.listArtifacts(run.id)]);
  if (artifacts.length === 0) throw RunErrors.noArtifacts();
  const blobs = await Promise.all(artifacts.map((a) => deps.blobStore.get(a.storageKey)));
  const missing = artifacts.filter((_, i) => !blobs[i]);
  if (missing.length) {
    deps.log.warn("artifact blobs missing", { run_id: run.id, artifact_ids: missing.map((a) => a.id) });
    throw RunErrors.artifactNotFound();
  }
  const names = zipEntryNames(artifacts.map((a) => a.path));
  const entries = artifacts.map((a, i) => ({ name: names[i]!, blob: blobs[i]!, mtime: a.createdAt }));
  return { stream: zipStream(entries), fileName: artifactsZipName(tool?.slug ?? "korning", run.queuedAt) };
}

// ---------- GET /runs/{id}/outputs/{index}/table.xlsx ----------

export type XlsxDownload = { bytes: Uint8Array; fileName: string };

function isTableOutput(value: unknown): value is TableOutput {
  if (typeof value !== "object" || value === null) return false;
  const o = value as Record<string, unknown>;
  return o.kind === "table" && Array.isArray(o.columns) && Array.isArray(o.rows);
}

/** The table output at `index` of the run's stored payload as an .xlsx workbook. */
export async function tableWorkbook(deps: ExecutionDeps, viewer: AuthUser, runId: string, index: number): Promise<XlsxDownload> {
  const run = await requireOwnRun(deps, viewer, runId);
  const outputs = run.uiPayload?.outputs;
  const output = Array.isArray(outputs) ? (outputs as unknown[])[index] : undefined;
  if (!isTableOutput(output)) throw RunErrors.outputNotFound();
  const tool = await deps.tools.getById(run.toolId);
  const stem = safeFileStem(output.title ?? "", safeFileStem(tool?.slug ?? "", "tabell"));
  return { bytes: tableToXlsx(output), fileName: `${stem}.xlsx` };
}
