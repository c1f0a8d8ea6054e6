// Runs, their queue jobs, input files, artifacts, per-user tool state and settings (SQLite).
// Keep in step with execution.schema.pg.ts.
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { users } from "../identity/identity.schema.sqlite";
import { tools, toolVersions } from "../tools/tools.schema.sqlite";

const ms = (name: string) => integer(name, { mode: "timestamp_ms" });

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    toolVersionId: text("tool_version_id")
      .notNull()
      .references(() => toolVersions.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["production", "sandbox"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "timed_out", "cancelled"] }).notNull(),
    /** normalized non-file form values (SKRIPTOTEKET_INPUTS) */
    inputs: text("inputs", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** action runs: {action_id, input, state} as delivered in SKRIPTOTEKET_ACTION */
    action: text("action", { mode: "json" }).$type<Record<string, unknown> | null>(),
    context: text("context").notNull().default("default"),
    /** form runs: what the run did with the context's session files ("clear" ends them; see session-files.service.ts) */
    sessionFilesMode: text("session_files_mode", { enum: ["none", "reuse", "clear"] }).notNull().default("none"),
    errorSummary: text("error_summary"),
    uiPayload: text("ui_payload", { mode: "json" }).$type<Record<string, unknown> | null>(),
    stdout: text("stdout"),
    stderr: text("stderr"),
    exitCode: integer("exit_code"),
    oomKilled: integer("oom_killed", { mode: "boolean" }),
    containerId: text("container_id"),
    /** state revision written by this run, when it kept state */
    stateRev: integer("state_rev"),
    queuedAt: ms("queued_at").notNull(),
    startedAt: ms("started_at"),
    finishedAt: ms("finished_at"),
    durationMs: integer("duration_ms"),
  },
  (t) => [index("runs_user_idx").on(t.userId, t.queuedAt), index("runs_tool_idx").on(t.toolId, t.queuedAt), index("runs_status_idx").on(t.status)],
);

export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    /** "run": runs a tool (runId set); "document": the document pipeline (subjectId = the document id) */
    kind: text("kind", { enum: ["run", "document"] }).notNull().default("run"),
    runId: text("run_id").references(() => runs.id, { onDelete: "cascade" }),
    /** The document of a document job; no foreign key, so the queue does not depend on the documents feature */
    subjectId: text("subject_id"),
    /** higher first: sandbox runs go before production runs */
    priority: integer("priority").notNull().default(0),
    status: text("status", { enum: ["queued", "leased", "done"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: ms("lease_expires_at"),
    cancelRequested: integer("cancel_requested", { mode: "boolean" }).notNull().default(false),
    availableAt: ms("available_at").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [uniqueIndex("jobs_run_uq").on(t.runId), // one active (queued or leased) pipeline job per document
    uniqueIndex("jobs_active_subject_uq").on(t.subjectId).where(sql`status <> 'done'`), index("jobs_claim_idx").on(t.kind, t.status, t.priority, t.availableAt), index("jobs_lease_idx").on(t.status, t.leaseExpiresAt)],
);

/** Uploaded input files of a run; bytes live in the blob store under storageKey. */
export const runFiles = sqliteTable(
  "run_files",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
  },
  (t) => [index("run_files_run_idx").on(t.runId)],
);

export const artifacts = sqliteTable(
  "artifacts",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    /** "output/<relative path>" as in result.json */
    path: text("path").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("artifacts_run_idx").on(t.runId)],
);

/** State a tool keeps between action runs, per (user, tool, context), with a revision. */
export const toolState = sqliteTable(
  "tool_state",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    context: text("context").notNull(),
    state: text("state", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    rev: integer("rev").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.toolId, t.context] })],
);

/** A user's saved settings for a tool, per hash of the settings schema (and sandbox kept apart). */
export const toolSettings = sqliteTable(
  "tool_settings",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    schemaHash: text("schema_hash").notNull(),
    scope: text("scope", { enum: ["production", "sandbox"] }).notNull().default("production"),
    values: text("values", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    rev: integer("rev").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.toolId, t.schemaHash, t.scope] })],
);
