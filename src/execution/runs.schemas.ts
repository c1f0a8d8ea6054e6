// Request and response schemas of the run and settings API (TypeBox through Elysia's `t`). They
// validate input, document the API in OpenAPI and type the UI's client.
import { t } from "elysia";

/** Where state and history of one tool are kept apart (e.g. per class); "default" when not given. */
export const Context = t.String({
  minLength: 1,
  maxLength: 64,
  pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]*$",
  description: 'Keeps state apart per use of a tool, e.g. "klass-9a"; default "default"',
});
export const Slug = t.String({ minLength: 1, maxLength: 200 });
export const SlugParams = t.Object({ slug: Slug });
export const RunParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) });
export const ArtifactParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }), artifact_id: t.String({ minLength: 1, maxLength: 64 }) });

const RunStatus = t.Union([t.Literal("queued"), t.Literal("running"), t.Literal("succeeded"), t.Literal("failed"), t.Literal("timed_out"), t.Literal("cancelled")]);

export const RunBody = t.Object({
  files: t.Optional(t.Files({ description: "Uploads for the tool's file field (0..n)" })),
  // The framework turns JSON-looking form fields into values, so this is JSON text or its value.
  inputs: t.Optional(t.Unknown({ description: "JSON text of the form values, e.g. {\"title\": \"Åk 9\"}" })),
  session_files_mode: t.Optional(
    t.Union([t.Literal("none"), t.Literal("reuse"), t.Literal("clear")], {
      description:
        'The session files (input files of the latest form run in this context): "reuse" runs with them when no file is uploaded, "clear" forgets them first, "none" (default) uses the uploads only',
    }),
  ),
  context: t.Optional(Context),
  // JSON text like inputs: the framework may hand it over already parsed
  document_ids: t.Optional(t.Unknown({ description: 'JSON text of an array of the user\'s stored document ids, e.g. ["0193…"]: copied in as input files like uploads' })),
});

export const RunAccepted = t.Object({ run_id: t.String() });

export const SessionFilesQuery = t.Object({ context: t.Optional(Context) });

export const SessionFilesResponse = t.Object({
  files: t.Array(t.Object({ name: t.String(), bytes: t.Integer() }), { description: "Empty when there are none" }),
  run_id: t.Union([t.String(), t.Null()], { description: "The run the files were uploaded with" }),
});

export const ActionBody = t.Object({
  action_id: t.String({ minLength: 1, maxLength: 64 }),
  input: t.Optional(t.Unknown({ description: "Values of the action's fields" })),
  expected_state_rev: t.Integer({ minimum: 0, description: "state_rev of the run whose actions the page shows" }),
  context: t.Optional(Context),
});

const Artifact = t.Object({ artifact_id: t.String(), path: t.String(), bytes: t.Integer(), download_url: t.String() });
const Timestamp = t.String({ format: "date-time" });

export const RunResponse = t.Object({
  run_id: t.String(),
  tool_slug: t.String(),
  tool_title: t.String(),
  status: RunStatus,
  is_action: t.Boolean({ description: "An action run continues a session: no form values of its own; its input_files are the session files" }),
  context: t.String(),
  inputs: t.Record(t.String(), t.Unknown(), { description: "The normalized form values the run started with" }),
  input_files: t.Array(t.Object({ name: t.String(), bytes: t.Integer() }), { description: "The uploaded files, as stored (sanitized names)" }),
  error_summary: t.Union([t.String(), t.Null()]),
  ui_payload: t.Union([t.Record(t.String(), t.Unknown()), t.Null()], { description: "{contract_version: 2, outputs, next_actions} once finished" }),
  state_rev: t.Union([t.Integer(), t.Null()], { description: "The state revision this run wrote; send it as expected_state_rev with an action" }),
  artifacts: t.Array(Artifact),
  queued_at: Timestamp,
  started_at: t.Union([Timestamp, t.Null()]),
  finished_at: t.Union([Timestamp, t.Null()]),
  stdout: t.Optional(t.Union([t.String(), t.Null()], { description: "Maintainers only" })),
  stderr: t.Optional(t.Union([t.String(), t.Null()], { description: "Maintainers only" })),
});

export const CancelResponse = t.Object({ status: RunStatus });

export const SettingsResponse = t.Object({
  schema: t.Union([t.Array(t.Record(t.String(), t.Unknown())), t.Null()], { description: "Settings fields (action field kinds); null: the tool has no settings" }),
  values: t.Record(t.String(), t.Unknown()),
  rev: t.Integer({ description: "0 until saved the first time; send it back as expected_rev" }),
});

export const SettingsBody = t.Object({
  values: t.Record(t.String(), t.Unknown()),
  expected_rev: t.Integer({ minimum: 0 }),
});

export const RunListQuery = t.Object({
  tool: t.Optional(t.String({ maxLength: 200, description: "Slug of the tool" })),
  status: t.Optional(t.String({ maxLength: 200, description: "Comma-separated statuses, e.g. failed,timed_out" })),
  from: t.Optional(t.String({ maxLength: 40, description: "Queued at or after: 2026-11-23 (UTC midnight) or an ISO date-time" })),
  to: t.Optional(t.String({ maxLength: 40, description: "Queued before: an ISO date-time, or 2026-11-23 for up to the end of that day (UTC)" })),
  page: t.Optional(t.Number({ minimum: 1, maximum: 1_000_000, default: 1 })),
  page_size: t.Optional(t.Number({ minimum: 1, maximum: 100, default: 25 })),
});

const RunListItem = t.Object({
  run_id: t.String(),
  tool_slug: t.String(),
  tool_title: t.String(),
  status: RunStatus,
  is_action: t.Boolean(),
  context: t.String(),
  error_summary: t.Union([t.String(), t.Null()]),
  state_rev: t.Union([t.Integer(), t.Null()], { description: "The state revision this run wrote (two-step tools)" }),
  queued_at: Timestamp,
  started_at: t.Union([Timestamp, t.Null()]),
  finished_at: t.Union([Timestamp, t.Null()]),
  duration_ms: t.Union([t.Integer(), t.Null()]),
});

export const RunListResponse = t.Object({ items: t.Array(RunListItem), total: t.Integer(), page: t.Integer(), page_size: t.Integer() });

export const OutputParams = t.Object({
  id: t.String({ minLength: 1, maxLength: 64 }),
  index: t.Numeric({ minimum: 0, maximum: 1000, description: "Position of the output in ui_payload.outputs" }),
});
