// The editor's sandbox: store the buffer as a snapshot, run it (form and files) or continue it with a
// next action, and keep sandbox settings. Runs are then followed with the run API (/api/v1/runs/:id).
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import type { AuthoringDeps } from "./authoring.deps";
import { ContentBody, RunAccepted, SandboxActionBody, SandboxRunBody, SandboxSettingsBody, SandboxSettingsQuery, SettingsResponse, SnapshotResponse, ToolParams } from "./authoring.schemas";
import { createSandboxSnapshot, getSandboxSettings, runSandbox, runSandboxAction, saveSandboxSettings } from "./sandbox.service";

const tags = ["authoring"];
const EDITOR = "Contributors who maintain the tool, admins and superusers (403 authoring.not_maintainer otherwise).";

export function sandboxRoutes(ctx: HttpContextPlugin, deps: AuthoringDeps) {
  return new Elysia({ name: "authoring-sandbox-routes" })
    .use(ctx)
    .post(
      "/tools/:tool_id/sandbox/snapshots",
      async (c) => {
        const r = await createSandboxSnapshot(deps, requireAuth(c.auth).user, c.params.tool_id, c.body, c.locale);
        c.set.status = 201;
        return r;
      },
      {
        permission: "contributor",
        params: ToolParams,
        body: ContentBody,
        response: { 201: SnapshotResponse },
        detail: { summary: "Store the unsaved buffer as a sandbox snapshot (same content, same id)", description: `${EDITOR} 422 validation.failed [{path, message}].`, tags },
      },
    )
    .post(
      "/tools/:tool_id/sandbox/runs",
      async (c) => {
        const r = await runSandbox(deps, requireAuth(c.auth).user, c.params.tool_id, {
          snapshotId: c.body.snapshot_id,
          inputs: c.body.inputs,
          files: c.body.files ?? [],
          sessionFilesMode: c.body.session_files_mode,
          locale: c.locale,
        });
        c.set.status = 202;
        return r;
      },
      {
        permission: "contributor",
        params: ToolParams,
        body: SandboxRunBody,
        response: { 202: RunAccepted },
        detail: {
          summary: "Run a snapshot in the sandbox (multipart: snapshot_id, inputs as JSON text, files)",
          description: `${EDITOR} Follow it with GET /api/v1/runs/:run_id (stdout, stderr, timing) and its /events. 404 authoring.snapshot_not_found; 422 runs.invalid_inputs.`,
          tags,
        },
      },
    )
    .post(
      "/tools/:tool_id/sandbox/actions",
      async (c) => {
        const r = await runSandboxAction(deps, requireAuth(c.auth).user, c.params.tool_id, {
          snapshotId: c.body.snapshot_id,
          actionId: c.body.action_id,
          input: c.body.input,
          expectedStateRev: c.body.expected_state_rev,
          locale: c.locale,
        });
        c.set.status = 202;
        return r;
      },
      {
        permission: "contributor",
        params: ToolParams,
        body: SandboxActionBody,
        response: { 202: RunAccepted },
        detail: { summary: "Continue the sandbox state with a next action of the latest sandbox run", description: `${EDITOR} 409 runs.state_conflict; 409 runs.action_not_offered.`, tags },
      },
    )
    .get("/tools/:tool_id/sandbox/settings", async (c) => getSandboxSettings(deps, requireAuth(c.auth).user, c.params.tool_id, c.query.snapshot_id), {
      permission: "contributor",
      params: ToolParams,
      query: SandboxSettingsQuery,
      response: SettingsResponse,
      detail: { summary: "The author's sandbox settings for the snapshot's settings schema (apart from production)", description: EDITOR, tags },
    })
    .put(
      "/tools/:tool_id/sandbox/settings",
      async (c) =>
        saveSandboxSettings(deps, requireAuth(c.auth).user, c.params.tool_id, { snapshotId: c.body.snapshot_id, values: c.body.values, expectedRev: c.body.expected_rev, locale: c.locale }),
      {
        permission: "contributor",
        params: ToolParams,
        body: SandboxSettingsBody,
        response: SettingsResponse,
        detail: { summary: "Save sandbox settings", description: `${EDITOR} 422 settings.invalid; 409 settings.conflict.`, tags },
      },
    );
}
