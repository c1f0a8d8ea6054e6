/**
 * Running tools and the run history (src/execution/runs.routes.ts): submit a run (multipart) or an
 * action, read and follow a run, cancel, list, delete and run again; a tool's personal settings.
 */
import { api } from "./api";
import type { UiPayload } from "./contract-types";

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "timed_out", "cancelled"];

export function isFinished(status: RunStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export interface Artifact {
  artifact_id: string;
  /** "output/<relative path>" */
  path: string;
  bytes: number;
  download_url: string;
}

export interface Run {
  run_id: string;
  tool_slug: string;
  tool_title: string;
  status: RunStatus;
  is_action: boolean;
  context: string;
  inputs: Record<string, unknown>;
  input_files: { name: string; bytes: number }[];
  error_summary: string | null;
  ui_payload: UiPayload | null;
  /** The state revision this run wrote; an action continues from it. */
  state_rev: number | null;
  artifacts: Artifact[];
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RunListItem {
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
}

export interface RunList {
  items: RunListItem[];
  total: number;
  page: number;
  page_size: number;
}

export interface RunListQuery {
  tool?: string;
  status?: string;
  /** ISO date-times (the UI sends the user's own midnights). */
  from?: string;
  to?: string;
  page?: number;
  page_size?: number;
}

/** What a run does with the session files (the input files of the latest form run in the context). */
export type SessionFilesMode = "none" | "reuse" | "clear";

export interface SubmitRunInput {
  inputs: Record<string, unknown>;
  files: File[];
  context?: string;
  /** "reuse": run with the session files when no file is chosen; "clear": forget them first. Default "none". */
  session_files_mode?: SessionFilesMode;
}

export interface SessionFiles {
  files: { name: string; bytes: number }[];
  /** The run they were uploaded with; null when there are none. */
  run_id: string | null;
}

const slugPath = (slug: string) => `/api/v1/tools/${encodeURIComponent(slug)}`;
const runPath = (id: string) => `/api/v1/runs/${encodeURIComponent(id)}`;

/** 202 {run_id}; 422 runs.invalid_inputs with details at /inputs/<field> and /files/<n>; 413 runs.upload_too_large. */
export async function submitRun(slug: string, input: SubmitRunInput): Promise<string> {
  const form = new FormData();
  form.append("inputs", JSON.stringify(input.inputs));
  for (const file of input.files) form.append("files", file, file.name);
  if (input.context) form.append("context", input.context);
  if (input.session_files_mode && input.session_files_mode !== "none") form.append("session_files_mode", input.session_files_mode);
  const { run_id } = await api.request<{ run_id: string }>("POST", `${slugPath(slug)}/run`, { form });
  return run_id;
}

/** The signed-in user's session files of a tool (names and sizes), which follow-up actions also get. */
export function getSessionFiles(slug: string, context?: string): Promise<SessionFiles> {
  return api.request("GET", `${slugPath(slug)}/session-files`, { query: { context } });
}

/** 409 runs.state_conflict when another run moved the state on since `expectedStateRev`. */
export async function submitAction(slug: string, action: { action_id: string; input: Record<string, unknown>; expected_state_rev: number; context?: string }): Promise<string> {
  const { run_id } = await api.request<{ run_id: string }>("POST", `${slugPath(slug)}/actions`, { body: action });
  return run_id;
}

export function getRun(id: string): Promise<Run> {
  return api.request("GET", runPath(id));
}

export function cancelRun(id: string): Promise<{ status: RunStatus }> {
  return api.request("POST", `${runPath(id)}/cancel`);
}

export function listRuns(query: RunListQuery): Promise<RunList> {
  return api.request("GET", "/api/v1/runs", { query: { ...query } });
}

/** 409 runs.still_active while the run is queued or running. */
export async function deleteRun(id: string): Promise<void> {
  await api.request("DELETE", runPath(id));
}

/** A new run with the same values and files; 409 runs.rerun_* when that is not possible. */
export async function rerun(id: string): Promise<string> {
  const { run_id } = await api.request<{ run_id: string }>("POST", `${runPath(id)}/rerun`);
  return run_id;
}

/** Server-Sent Events of a run (queued {position}, running, finished {status}). */
export function runEventsUrl(id: string): string {
  return `${runPath(id)}/events`;
}

export function artifactsZipUrl(id: string): string {
  return `${runPath(id)}/artifacts.zip`;
}

export function tableXlsxUrl(id: string, outputIndex: number): string {
  return `${runPath(id)}/outputs/${outputIndex}/table.xlsx`;
}

export interface ToolSettings {
  /** Field definitions (action field kinds); null: the tool has no settings. */
  schema: unknown[] | null;
  values: Record<string, unknown>;
  /** 0 until saved once; send it back as expected_rev. */
  rev: number;
}

export function getToolSettings(slug: string): Promise<ToolSettings> {
  return api.request("GET", `${slugPath(slug)}/settings`);
}

/** 409 settings.conflict when saved elsewhere since `expectedRev`; 422 settings.invalid at /values/<field>. */
export function saveToolSettings(slug: string, values: Record<string, unknown>, expectedRev: number): Promise<ToolSettings> {
  return api.request("PUT", `${slugPath(slug)}/settings`, { body: { values, expected_rev: expectedRev } });
}
