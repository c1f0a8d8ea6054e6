// Running tools: submit a run or an action run, follow it (JSON and Server-Sent Events), cancel it,
// download its files. Every handler hands plain values to runs.service.ts; no request waits on a
// container.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import type { ExecutionDeps } from "./execution.deps";
import { runEventStream } from "./run-events";
import { deleteOwnRun, listRunHistory, openArtifactsZip, rerunOwnRun, tableWorkbook } from "./run-history.service";
import { cancelRun, contentDisposition, getRunView, getSessionFilesView, openArtifact, requireOwnRun, storedDocumentFiles, submitAction, submitRun } from "./runs.service";
import {
  ActionBody,
  ArtifactParams,
  CancelResponse,
  OutputParams,
  RunAccepted,
  RunBody,
  RunListQuery,
  RunListResponse,
  RunParams,
  RunResponse,
  SessionFilesQuery,
  SessionFilesResponse,
  SlugParams,
} from "./runs.schemas";

const tags = ["runs"];

/** Headers of every download of tool output: never rendered in our origin, never sniffed. */
function downloadHeaders(contentType: string, fileName: string): Record<string, string> {
  return {
    "content-type": contentType,
    "content-disposition": contentDisposition(fileName),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": "private, no-cache",
  };
}

export function runsRoutes(ctx: HttpContextPlugin, deps: ExecutionDeps) {
  return new Elysia({ name: "runs-routes", prefix: "/api/v1" })
    .use(ctx)
    .post(
      "/tools/:slug/run",
      async (c) => {
        const { runId } = await submitRun(deps, {
          viewer: requireAuth(c.auth).user,
          slug: c.params.slug,
          inputs: c.body.inputs,
          files: [...(c.body.files ?? []), ...(await storedDocumentFiles(deps, requireAuth(c.auth).user, c.body.document_ids, c.locale))],
          context: c.body.context,
          sessionFilesMode: c.body.session_files_mode,
          locale: c.locale,
        });
        c.set.status = 202;
        return { run_id: runId };
      },
      {
        permission: "user",
        scope: "runs:write",
        params: SlugParams,
        body: RunBody,
        response: { 202: RunAccepted },
        detail: {
          summary: "Start a run of a published tool (multipart: files, inputs as JSON text); answers at once with the run id",
          description:
            'Inputs are normalized against the active version\'s input schema; 422 lists problems as details [{path: "/inputs/<field>" or "/files/<n>", message}]. ' +
            "Upload limits come from [storage] max_upload_files (422) and max_upload_mb (413). session_files_mode \"reuse\" without uploads runs with the session files (checked like uploads); " +
            "409 runs.session_files_missing when their stored bytes are gone.",
          tags,
        },
      },
    )
    .get("/tools/:slug/session-files", async (c) => getSessionFilesView(deps, requireAuth(c.auth).user, c.params.slug, c.query.context), {
      permission: "user",
      scope: "runs:read",
      params: SlugParams,
      query: SessionFilesQuery,
      response: SessionFilesResponse,
      detail: {
        summary: "The signed-in user's session files of a tool in a context: the input files of the latest form run, kept for reuse and follow-up actions",
        description: 'Action runs get these files in /work/input. Send session_files_mode "reuse" or "clear" with the next run to use or forget them.',
        tags,
      },
    })
    .post(
      "/tools/:slug/actions",
      async (c) => {
        const { runId } = await submitAction(deps, {
          viewer: requireAuth(c.auth).user,
          slug: c.params.slug,
          actionId: c.body.action_id,
          input: c.body.input,
          expectedStateRev: c.body.expected_state_rev,
          context: c.body.context,
          locale: c.locale,
        });
        c.set.status = 202;
        return { run_id: runId };
      },
      {
        permission: "user",
        scope: "runs:write",
        params: SlugParams,
        body: ActionBody,
        response: { 202: RunAccepted },
        detail: {
          summary: "Continue a tool's state with one of the next actions the latest run offered",
          description: "409 runs.state_conflict when expected_state_rev is not the current state revision (reload); 409 runs.action_not_offered for an action the state does not offer.",
          tags,
        },
      },
    )
    .get("/runs", async (c) => listRunHistory(deps, requireAuth(c.auth).user, c.query), {
      permission: "user",
      scope: "runs:read",
      query: RunListQuery,
      response: RunListResponse,
      detail: {
        summary: "The signed-in user's runs, newest first, paged; filter by tool slug, statuses and queued date",
        description: "422 validation.failed for an unknown status or a malformed date ({path: \"/status\" | \"/from\" | \"/to\"}). An unknown tool gives an empty page.",
        tags,
      },
    })
    .get("/runs/:id", async (c) => getRunView(deps, requireAuth(c.auth).user, c.params.id), {
      permission: "user",
      scope: "runs:read",
      params: RunParams,
      response: RunResponse,
      detail: { summary: "A run of the signed-in user: status, payload, artifacts (stdout/stderr for maintainers)", tags },
    })
    .get(
      "/runs/:id/events",
      async (c) => {
        const run = await requireOwnRun(deps, requireAuth(c.auth).user, c.params.id);
        const stream = runEventStream({ getRunStatus: (id) => deps.runs.getRunStatus(id), position: (id) => deps.queue.queuePosition(id) }, run.id, {
          ...deps.events,
          signal: c.request.signal,
          onError: (error) => deps.log.error("run event stream failed", { run_id: run.id, error }),
        });
        return new Response(stream, {
          headers: {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-cache, no-transform",
            // nginx and similar proxies must pass events on at once
            "x-accel-buffering": "no",
          },
        });
      },
      {
        permission: "user",
        scope: "runs:read",
        params: RunParams,
        detail: {
          summary: "Server-Sent Events of a run: queued {position}, running, finished {status}; ends after finished",
          description: "Polls the store, so it also follows runs of a separate worker process. Close the EventSource on `finished`.",
          tags,
        },
      },
    )
    .post(
      "/runs/:id/cancel",
      async (c) => {
        const result = await cancelRun(deps, requireAuth(c.auth).user, c.params.id);
        c.set.status = 202;
        return result;
      },
      {
        permission: "user",
        scope: "runs:write",
        params: RunParams,
        response: { 202: CancelResponse },
        detail: {
          summary: "Cancel a run: a queued run is cancelled at once, a running one is stopped by its worker; returns the status now",
          tags,
        },
      },
    )
    .delete(
      "/runs/:id",
      async (c) => {
        await deleteOwnRun(deps, requireAuth(c.auth).user, c.params.id);
        c.set.status = 204;
      },
      {
        permission: "user",
        scope: "runs:write",
        params: RunParams,
        detail: {
          summary: "Delete a finished run of the signed-in user with its input files and artifacts",
          description: "409 runs.still_active while the run is queued or running (cancel it first).",
          tags,
        },
      },
    )
    .post(
      "/runs/:id/rerun",
      async (c) => {
        const { runId } = await rerunOwnRun(deps, requireAuth(c.auth).user, c.params.id, c.locale);
        c.set.status = 202;
        return { run_id: runId };
      },
      {
        permission: "user",
        scope: "runs:write",
        params: RunParams,
        response: { 202: RunAccepted },
        detail: {
          summary: "Run a finished run again: the tool's current version with the same form values and (copied) input files",
          description:
            "409 runs.rerun_not_possible for action runs and runs still going on; 409 runs.rerun_inputs_changed (details: the problems) when the tool's form no longer accepts the values; " +
            "409 runs.rerun_files_missing when the stored input files are gone; 404 runs.tool_not_found when the tool is no longer published.",
          tags,
        },
      },
    )
    .get(
      "/runs/:id/artifacts.zip",
      async (c) => {
        const zip = await openArtifactsZip(deps, requireAuth(c.auth).user, c.params.id);
        return new Response(zip.stream, { headers: downloadHeaders("application/zip", zip.fileName) });
      },
      {
        permission: "user",
        scope: "runs:read",
        params: RunParams,
        detail: { summary: "All files the run produced as one zip (attachment, owner only); 404 runs.no_artifacts when there are none", tags },
      },
    )
    .get(
      "/runs/:id/outputs/:index/table.xlsx",
      async (c) => {
        const book = await tableWorkbook(deps, requireAuth(c.auth).user, c.params.id, c.params.index);
        return new Response(book.bytes, { headers: downloadHeaders("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", book.fileName) });
      },
      {
        permission: "user",
        scope: "runs:read",
        params: OutputParams,
        detail: { summary: "A table output of the run as an Excel workbook (attachment, owner only); 404 runs.output_not_found when the output is not a table", tags },
      },
    )
    .get(
      "/runs/:id/artifacts/:artifact_id",
      async (c) => {
        const file = await openArtifact(deps, requireAuth(c.auth).user, c.params.id, c.params.artifact_id);
        // Tool output never renders in our origin: always a download, never sniffed, and a sandbox CSP
        // in case a browser shows it anyway.
        c.set.headers["content-security-policy"] = "default-src 'none'; sandbox";
        c.set.headers["x-content-type-options"] = "nosniff";
        return new Response(file.blob, { headers: downloadHeaders(file.contentType, file.fileName) });
      },
      {
        permission: "user",
        scope: "runs:read",
        params: ArtifactParams,
        detail: { summary: "Download a file the run produced (attachment, owner only)", tags },
      },
    );
}
