// Response schema of the retention admin API (TypeBox through Elysia's `t`): validates the answer,
// documents it in OpenAPI and types the UI's client.
import { t } from "elysia";

const Kind = t.Union([
  t.Literal("runs"),
  t.Literal("sandbox_runs"),
  t.Literal("login_events"),
  t.Literal("sessions"),
  t.Literal("email_tokens"),
  t.Literal("audit_events"),
  t.Literal("documents"),
  t.Literal("sandbox_snapshots"),
  t.Literal("webhook_deliveries"),
  t.Literal("api_keys"),
  t.Literal("device_grants"),
]);

export const RetentionItemSchema = t.Object({
  kind: Kind,
  key: t.String({ description: 'The config key that sets the period, e.g. "retention.runs_days"' }),
  days: t.Integer(),
  cutoff: t.String({ format: "date-time", description: "Data older than this was (or would be) removed" }),
  rows: t.Integer(),
  files: t.Integer({ description: "Files removed with the rows" }),
  bytes: t.Integer(),
  skipped: t.Optional(t.String({ description: "Why nothing was done for this kind" })),
});

export const RetentionReportSchema = t.Object({
  trigger: t.Union([t.Literal("cli"), t.Literal("schedule")]),
  dry_run: t.Boolean(),
  started_at: t.String({ format: "date-time" }),
  finished_at: t.String({ format: "date-time" }),
  items: t.Array(RetentionItemSchema),
  errors: t.Array(t.String(), { description: "Files that could not be removed after their rows were" }),
});

export const RetentionOverview = t.Object({
  enabled: t.Boolean({ description: "[retention] enabled: serve prunes once a day" }),
  periods: t.Object({
    runs_days: t.Integer(),
    sandbox_runs_days: t.Integer(),
    login_events_days: t.Integer(),
    audit_events_days: t.Integer(),
    documents_days: t.Integer(),
  }),
  last_report: t.Union([RetentionReportSchema, t.Null()], { description: "The newest prune (not dry runs); null before the first" }),
});
