// Runs as the API sees them — submitting (run + job + input files in one transaction), reading,
// listing, artifacts — plus the per-user tool state and settings with their revisions, for SQLite and
// PostgreSQL. The queue (claim, lease, finalize, cancel, position) lives in queue.repository.ts.
// Blob bytes are not touched here: the service writes them before createQueuedRun and removes them
// when it fails.
//
// Revisions (tool state and settings): 0 means "nothing stored yet"; the first write makes rev 1 and
// every later write adds one. A write names the revision it replaces (expectedRev); any other current
// revision is a conflict and nothing is written, so two tabs cannot silently overwrite each other.
import { and, count, desc, eq, exists, gte, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./execution.schema.sqlite";
import * as pg from "./execution.schema.pg";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";

export const RUN_STATUS_VALUES = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUS_VALUES)[number];
export type RunKind = "production" | "sandbox";
/** What a form run did with its context's session files (runs.service.ts). */
export type SessionFilesMode = "none" | "reuse" | "clear";
export type SettingsScope = "production" | "sandbox";

/** Queue priority of a new job: higher is claimed first, so an author's sandbox run is not stuck behind production runs. */
export const JOB_PRIORITY: Record<RunKind, number> = { sandbox: 10, production: 0 };

export type RunRecord = {
  id: string;
  toolId: string;
  toolVersionId: string;
  userId: string | null;
  kind: RunKind;
  status: RunStatus;
  inputs: Record<string, unknown>;
  action: Record<string, unknown> | null;
  context: string;
  /** Form runs: what the run did with the context's session files. */
  sessionFilesMode: SessionFilesMode;
  errorSummary: string | null;
  uiPayload: Record<string, unknown> | null;
  stdout: string | null;
  stderr: string | null;
  exitCode: number | null;
  oomKilled: boolean | null;
  containerId: string | null;
  stateRev: number | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
};

/** A run in a list: no payload or logs (history pages load those per run). */
export type RunListItem = Pick<
  RunRecord,
  "id" | "toolId" | "toolVersionId" | "kind" | "status" | "context" | "errorSummary" | "stateRev" | "queuedAt" | "startedAt" | "finishedAt" | "durationMs"
> & {
  toolSlug: string;
  toolTitle: string;
  isAction: boolean;
};

export type RunFileRecord = { id: string; runId: string; name: string; bytes: number; sha256: string; storageKey: string };
export type ArtifactRecord = { id: string; runId: string; path: string; bytes: number; sha256: string; storageKey: string; createdAt: Date };

export type NewQueuedRun = {
  id: string;
  toolId: string;
  toolVersionId: string;
  userId: string;
  kind: RunKind;
  inputs: Record<string, unknown>;
  action: Record<string, unknown> | null;
  context: string;
  /** Form runs; "none" when not given. */
  sessionFilesMode?: SessionFilesMode;
  /** Already in the blob store under storageKey. */
  files: Omit<RunFileRecord, "runId">[];
  now: Date;
};

export type RunListFilter = {
  userId: string;
  /** only runs of this kind (the history lists production runs; the editor shows sandbox runs) */
  kind?: RunKind;
  toolId?: string;
  statuses?: RunStatus[];
  /** queued_at >= from */
  from?: Date;
  /** queued_at < to */
  to?: Date;
  page: number;
  pageSize: number;
};

export type ToolStateRecord = { state: Record<string, unknown>; rev: number; updatedAt: Date };
export type SettingsKey = { userId: string; toolId: string; schemaHash: string; scope: SettingsScope };
export type SettingsRecord = { values: Record<string, unknown>; rev: number; updatedAt: Date };
export type RevWrite = { ok: true; rev: number } | { ok: false; currentRev: number };
/** deleteFinishedRun: "active" when the run is still queued or running (its worker would lose it mid-way). */
export type RunDeletion = "deleted" | "active" | "not_found";

/** Statuses a run never leaves: only such runs may be deleted. */
export const FINISHED_RUN_STATUSES = ["succeeded", "failed", "timed_out", "cancelled"] as const satisfies readonly RunStatus[];

export type RunsRepository = {
  /** Run (queued) + job (queued, priority by kind) + run_files rows, in one transaction. */
  createQueuedRun(run: NewQueuedRun): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | null>;
  /** Only the status: what event streams poll several times a second (the full row carries payload and logs). */
  getRunStatus(id: string): Promise<RunStatus | null>;
  /** Newest first (queued_at, then id). */
  listRuns(filter: RunListFilter): Promise<{ items: RunListItem[]; total: number }>;
  /**
   * Deletes a finished run of `userId` with its job, input file and artifact rows (foreign keys
   * cascade). The blobs are the caller's to remove.
   */
  deleteFinishedRun(input: { runId: string; userId: string }): Promise<RunDeletion>;
  listRunFiles(runId: string): Promise<RunFileRecord[]>;
  /** In path order. */
  listArtifacts(runId: string): Promise<ArtifactRecord[]>;
  /** Only when the artifact belongs to the run. */
  getArtifact(runId: string, artifactId: string): Promise<ArtifactRecord | null>;
  /** The run that wrote revision `rev` of (user, tool, context)'s state: its payload holds the offered next actions. */
  findStateRun(input: { userId: string; toolId: string; context: string; rev: number }): Promise<RunRecord | null>;
  /**
   * The session files of (user, tool, context): the input files of the newest production form run
   * (not an action run) that has files or was made with "clear" — with files, that run and its files;
   * a "clear" run without files, or no such run, means there are none.
   */
  findSessionFiles(input: { userId: string; toolId: string; context: string }): Promise<{ runId: string; files: RunFileRecord[] } | null>;
  getToolState(userId: string, toolId: string, context: string): Promise<ToolStateRecord | null>;
  writeToolState(input: { userId: string; toolId: string; context: string; state: Record<string, unknown>; expectedRev: number; now: Date }): Promise<RevWrite>;
  getSettings(key: SettingsKey): Promise<SettingsRecord | null>;
  saveSettings(input: SettingsKey & { values: Record<string, unknown>; expectedRev: number; now: Date }): Promise<RevWrite>;
};

function runRow(r: NewQueuedRun) {
  return {
    id: r.id,
    toolId: r.toolId,
    toolVersionId: r.toolVersionId,
    userId: r.userId,
    kind: r.kind,
    status: "queued" as const,
    inputs: r.inputs,
    action: r.action,
    context: r.context,
    sessionFilesMode: r.sessionFilesMode ?? "none",
    queuedAt: r.now,
  };
}

function jobRow(r: NewQueuedRun) {
  return { id: Bun.randomUUIDv7(), runId: r.id, priority: JOB_PRIORITY[r.kind], status: "queued" as const, availableAt: r.now, createdAt: r.now };
}

const fileRows = (r: NewQueuedRun) => r.files.map((f) => ({ ...f, runId: r.id }));

function toListItem(row: { run: Omit<RunListItem, "toolSlug" | "toolTitle" | "isAction"> & { action: unknown }; toolSlug: string; toolTitle: string }): RunListItem {
  const { action, ...run } = row.run;
  return { ...run, toolSlug: row.toolSlug, toolTitle: row.toolTitle, isAction: action !== null };
}

export function createRunsRepositorySqlite(db: SqliteDb): RunsRepository {
  const { runs, jobs, runFiles, artifacts, toolState, toolSettings } = lite;
  const { tools } = liteTools;
  const getRun = async (id: string): Promise<RunRecord | null> => db.select().from(runs).where(eq(runs.id, id)).get() ?? null;
  const listColumns = {
    id: runs.id,
    toolId: runs.toolId,
    toolVersionId: runs.toolVersionId,
    kind: runs.kind,
    status: runs.status,
    context: runs.context,
    errorSummary: runs.errorSummary,
    stateRev: runs.stateRev,
    queuedAt: runs.queuedAt,
    startedAt: runs.startedAt,
    finishedAt: runs.finishedAt,
    durationMs: runs.durationMs,
    action: runs.action,
  };
  const listWhere = (f: RunListFilter): SQL | undefined => {
    const parts: (SQL | undefined)[] = [eq(runs.userId, f.userId)];
    if (f.kind) parts.push(eq(runs.kind, f.kind));
    if (f.toolId) parts.push(eq(runs.toolId, f.toolId));
    if (f.statuses?.length) parts.push(inArray(runs.status, f.statuses));
    if (f.from) parts.push(gte(runs.queuedAt, f.from));
    if (f.to) parts.push(lt(runs.queuedAt, f.to));
    return and(...parts);
  };
  const currentStateRev = (userId: string, toolId: string, context: string) =>
    db
      .select({ rev: toolState.rev })
      .from(toolState)
      .where(and(eq(toolState.userId, userId), eq(toolState.toolId, toolId), eq(toolState.context, context)))
      .get()?.rev ?? 0;
  const settingsWhere = (k: SettingsKey) =>
    and(eq(toolSettings.userId, k.userId), eq(toolSettings.toolId, k.toolId), eq(toolSettings.schemaHash, k.schemaHash), eq(toolSettings.scope, k.scope));

  return {
    async createQueuedRun(r) {
      // Synchronous callback: drizzle's async transactions are not atomic on bun:sqlite.
      db.transaction(
        (tx) => {
          tx.insert(runs).values(runRow(r)).run();
          tx.insert(jobs).values(jobRow(r)).run();
          if (r.files.length) tx.insert(runFiles).values(fileRows(r)).run();
        },
        { behavior: "immediate" },
      );
      const run = await getRun(r.id);
      if (!run) throw new Error(`run ${r.id} vanished right after insert`);
      return run;
    },
    getRun,
    async getRunStatus(id) {
      return db.select({ status: runs.status }).from(runs).where(eq(runs.id, id)).get()?.status ?? null;
    },
    async listRuns(f) {
      const where = listWhere(f);
      const rows = db
        .select({ run: listColumns, toolSlug: tools.slug, toolTitle: tools.title })
        .from(runs)
        .innerJoin(tools, eq(tools.id, runs.toolId))
        .where(where)
        .orderBy(desc(runs.queuedAt), desc(runs.id))
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .all();
      const total = db.select({ n: count() }).from(runs).where(where).get()?.n ?? 0;
      return { items: rows.map(toListItem), total };
    },
    async deleteFinishedRun({ runId, userId }) {
      // One statement: a run that is still queued or running is never deleted, whatever happens meanwhile.
      const own = and(eq(runs.id, runId), eq(runs.userId, userId));
      const hit = db
        .delete(runs)
        .where(and(own, inArray(runs.status, FINISHED_RUN_STATUSES)))
        .returning({ id: runs.id })
        .get();
      if (hit) return "deleted";
      return db.select({ id: runs.id }).from(runs).where(own).get() ? "active" : "not_found";
    },
    async listRunFiles(runId) {
      return db.select().from(runFiles).where(eq(runFiles.runId, runId)).orderBy(runFiles.id).all();
    },
    async listArtifacts(runId) {
      return db.select().from(artifacts).where(eq(artifacts.runId, runId)).orderBy(artifacts.path).all();
    },
    async getArtifact(runId, artifactId) {
      return (
        db
          .select()
          .from(artifacts)
          .where(and(eq(artifacts.id, artifactId), eq(artifacts.runId, runId)))
          .get() ?? null
      );
    },
    async findStateRun({ userId, toolId, context, rev }) {
      return (
        db
          .select()
          .from(runs)
          .where(and(eq(runs.userId, userId), eq(runs.toolId, toolId), eq(runs.context, context), eq(runs.stateRev, rev)))
          .orderBy(desc(runs.queuedAt))
          .limit(1)
          .get() ?? null
      );
    },
    async findSessionFiles(key) {
      const row = db
        .select({ id: runs.id })
        .from(runs)
        .where(
          and(
            eq(runs.userId, key.userId),
            eq(runs.toolId, key.toolId),
            eq(runs.context, key.context),
            eq(runs.kind, "production"),
            isNull(runs.action),
            or(eq(runs.sessionFilesMode, "clear"), exists(db.select({ id: runFiles.id }).from(runFiles).where(eq(runFiles.runId, runs.id)))),
          ),
        )
        .orderBy(desc(runs.queuedAt), desc(runs.id))
        .limit(1)
        .get();
      if (!row) return null;
      const files = db.select().from(runFiles).where(eq(runFiles.runId, row.id)).orderBy(runFiles.id).all();
      return files.length ? { runId: row.id, files } : null;
    },
    async getToolState(userId, toolId, context) {
      const row = db
        .select({ state: toolState.state, rev: toolState.rev, updatedAt: toolState.updatedAt })
        .from(toolState)
        .where(and(eq(toolState.userId, userId), eq(toolState.toolId, toolId), eq(toolState.context, context)))
        .get();
      return row ?? null;
    },
    async writeToolState({ userId, toolId, context, state, expectedRev, now }) {
      return db.transaction(
        (tx): RevWrite => {
          if (expectedRev === 0) {
            const hit = tx
              .insert(toolState)
              .values({ userId, toolId, context, state, rev: 1, updatedAt: now })
              .onConflictDoNothing()
              .returning({ rev: toolState.rev })
              .get();
            return hit ? { ok: true, rev: hit.rev } : { ok: false, currentRev: currentStateRev(userId, toolId, context) };
          }
          const hit = tx
            .update(toolState)
            .set({ state, rev: expectedRev + 1, updatedAt: now })
            .where(and(eq(toolState.userId, userId), eq(toolState.toolId, toolId), eq(toolState.context, context), eq(toolState.rev, expectedRev)))
            .returning({ rev: toolState.rev })
            .get();
          return hit ? { ok: true, rev: hit.rev } : { ok: false, currentRev: currentStateRev(userId, toolId, context) };
        },
        { behavior: "immediate" },
      );
    },
    async getSettings(key) {
      return db.select({ values: toolSettings.values, rev: toolSettings.rev, updatedAt: toolSettings.updatedAt }).from(toolSettings).where(settingsWhere(key)).get() ?? null;
    },
    async saveSettings({ values, expectedRev, now, ...key }) {
      return db.transaction(
        (tx): RevWrite => {
          const hit =
            expectedRev === 0
              ? tx
                  .insert(toolSettings)
                  .values({ ...key, values, rev: 1, updatedAt: now })
                  .onConflictDoNothing()
                  .returning({ rev: toolSettings.rev })
                  .get()
              : tx
                  .update(toolSettings)
                  .set({ values, rev: expectedRev + 1, updatedAt: now })
                  .where(and(settingsWhere(key), eq(toolSettings.rev, expectedRev)))
                  .returning({ rev: toolSettings.rev })
                  .get();
          if (hit) return { ok: true, rev: hit.rev };
          return { ok: false, currentRev: tx.select({ rev: toolSettings.rev }).from(toolSettings).where(settingsWhere(key)).get()?.rev ?? 0 };
        },
        { behavior: "immediate" },
      );
    },
  };
}

export function createRunsRepositoryPg(db: PgDb): RunsRepository {
  const { runs, jobs, runFiles, artifacts, toolState, toolSettings } = pg;
  const { tools } = pgTools;
  const getRun = async (id: string): Promise<RunRecord | null> => (await db.select().from(runs).where(eq(runs.id, id)))[0] ?? null;
  const listColumns = {
    id: runs.id,
    toolId: runs.toolId,
    toolVersionId: runs.toolVersionId,
    kind: runs.kind,
    status: runs.status,
    context: runs.context,
    errorSummary: runs.errorSummary,
    stateRev: runs.stateRev,
    queuedAt: runs.queuedAt,
    startedAt: runs.startedAt,
    finishedAt: runs.finishedAt,
    durationMs: runs.durationMs,
    action: runs.action,
  };
  const listWhere = (f: RunListFilter): SQL | undefined => {
    const parts: (SQL | undefined)[] = [eq(runs.userId, f.userId)];
    if (f.kind) parts.push(eq(runs.kind, f.kind));
    if (f.toolId) parts.push(eq(runs.toolId, f.toolId));
    if (f.statuses?.length) parts.push(inArray(runs.status, f.statuses));
    if (f.from) parts.push(gte(runs.queuedAt, f.from));
    if (f.to) parts.push(lt(runs.queuedAt, f.to));
    return and(...parts);
  };
  const stateWhere = (userId: string, toolId: string, context: string) => and(eq(toolState.userId, userId), eq(toolState.toolId, toolId), eq(toolState.context, context));
  const settingsWhere = (k: SettingsKey) =>
    and(eq(toolSettings.userId, k.userId), eq(toolSettings.toolId, k.toolId), eq(toolSettings.schemaHash, k.schemaHash), eq(toolSettings.scope, k.scope));

  return {
    async createQueuedRun(r) {
      await db.transaction(async (tx) => {
        await tx.insert(runs).values(runRow(r));
        await tx.insert(jobs).values(jobRow(r));
        if (r.files.length) await tx.insert(runFiles).values(fileRows(r));
      });
      const run = await getRun(r.id);
      if (!run) throw new Error(`run ${r.id} vanished right after insert`);
      return run;
    },
    getRun,
    async getRunStatus(id) {
      const [row] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, id));
      return row?.status ?? null;
    },
    async listRuns(f) {
      const where = listWhere(f);
      const rows = await db
        .select({ run: listColumns, toolSlug: tools.slug, toolTitle: tools.title })
        .from(runs)
        .innerJoin(tools, eq(tools.id, runs.toolId))
        .where(where)
        .orderBy(desc(runs.queuedAt), desc(runs.id))
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize);
      const [total] = await db.select({ n: count() }).from(runs).where(where);
      return { items: rows.map(toListItem), total: total?.n ?? 0 };
    },
    async deleteFinishedRun({ runId, userId }) {
      const own = and(eq(runs.id, runId), eq(runs.userId, userId));
      const [hit] = await db
        .delete(runs)
        .where(and(own, inArray(runs.status, FINISHED_RUN_STATUSES)))
        .returning({ id: runs.id });
      if (hit) return "deleted";
      const [row] = await db.select({ id: runs.id }).from(runs).where(own);
      return row ? "active" : "not_found";
    },
    async listRunFiles(runId) {
      return db.select().from(runFiles).where(eq(runFiles.runId, runId)).orderBy(runFiles.id);
    },
    async listArtifacts(runId) {
      return db.select().from(artifacts).where(eq(artifacts.runId, runId)).orderBy(artifacts.path);
    },
    async getArtifact(runId, artifactId) {
      const [row] = await db
        .select()
        .from(artifacts)
        .where(and(eq(artifacts.id, artifactId), eq(artifacts.runId, runId)));
      return row ?? null;
    },
    async findStateRun({ userId, toolId, context, rev }) {
      const [row] = await db
        .select()
        .from(runs)
        .where(and(eq(runs.userId, userId), eq(runs.toolId, toolId), eq(runs.context, context), eq(runs.stateRev, rev)))
        .orderBy(desc(runs.queuedAt))
        .limit(1);
      return row ?? null;
    },
    async findSessionFiles(key) {
      const [row] = await db
        .select({ id: runs.id })
        .from(runs)
        .where(
          and(
            eq(runs.userId, key.userId),
            eq(runs.toolId, key.toolId),
            eq(runs.context, key.context),
            eq(runs.kind, "production"),
            isNull(runs.action),
            or(eq(runs.sessionFilesMode, "clear"), exists(db.select({ id: runFiles.id }).from(runFiles).where(eq(runFiles.runId, runs.id)))),
          ),
        )
        .orderBy(desc(runs.queuedAt), desc(runs.id))
        .limit(1);
      if (!row) return null;
      const files = await db.select().from(runFiles).where(eq(runFiles.runId, row.id)).orderBy(runFiles.id);
      return files.length ? { runId: row.id, files } : null;
    },
    async getToolState(userId, toolId, context) {
      const [row] = await db
        .select({ state: toolState.state, rev: toolState.rev, updatedAt: toolState.updatedAt })
        .from(toolState)
        .where(stateWhere(userId, toolId, context));
      return row ?? null;
    },
    async writeToolState({ userId, toolId, context, state, expectedRev, now }) {
      // One statement each; the rev condition (or the primary key on insert) makes a concurrent
      // writer lose instead of overwrite, so no explicit transaction is needed.
      const [hit] =
        expectedRev === 0
          ? await db.insert(toolState).values({ userId, toolId, context, state, rev: 1, updatedAt: now }).onConflictDoNothing().returning({ rev: toolState.rev })
          : await db
              .update(toolState)
              .set({ state, rev: expectedRev + 1, updatedAt: now })
              .where(and(stateWhere(userId, toolId, context), eq(toolState.rev, expectedRev)))
              .returning({ rev: toolState.rev });
      if (hit) return { ok: true, rev: hit.rev };
      const [current] = await db.select({ rev: toolState.rev }).from(toolState).where(stateWhere(userId, toolId, context));
      return { ok: false, currentRev: current?.rev ?? 0 };
    },
    async getSettings(key) {
      const [row] = await db.select({ values: toolSettings.values, rev: toolSettings.rev, updatedAt: toolSettings.updatedAt }).from(toolSettings).where(settingsWhere(key));
      return row ?? null;
    },
    async saveSettings({ values, expectedRev, now, ...key }) {
      const [hit] =
        expectedRev === 0
          ? await db
              .insert(toolSettings)
              .values({ ...key, values, rev: 1, updatedAt: now })
              .onConflictDoNothing()
              .returning({ rev: toolSettings.rev })
          : await db
              .update(toolSettings)
              .set({ values, rev: expectedRev + 1, updatedAt: now })
              .where(and(settingsWhere(key), eq(toolSettings.rev, expectedRev)))
              .returning({ rev: toolSettings.rev });
      if (hit) return { ok: true, rev: hit.rev };
      const [current] = await db.select({ rev: toolSettings.rev }).from(toolSettings).where(settingsWhere(key));
      return { ok: false, currentRev: current?.rev ?? 0 };
    },
  };
}

export function createRunsRepository(store: Store): RunsRepository {
  return store.dialect === "sqlite" ? createRunsRepositorySqlite(store.db) : createRunsRepositoryPg(store.db);
}
