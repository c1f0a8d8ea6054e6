// The rows retention counts and removes, per dialect. Removal goes in batches, each its own short
// transaction, so a first prune of a large site never holds the SQLite write lock for long.
import { and, desc, eq, inArray, isNotNull, isNull, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as liteRuns from "../execution/execution.schema.sqlite";
import * as pgRuns from "../execution/execution.schema.pg";
import * as liteId from "../identity/identity.schema.sqlite";
import * as pgId from "../identity/identity.schema.pg";
import { auditEvents as liteAudit } from "../audit/audit.schema.sqlite";
import { auditEvents as pgAudit } from "../audit/audit.schema.pg";
import { retentionReports as liteReports } from "./retention.schema.sqlite";
import { retentionReports as pgReports } from "./retention.schema.pg";
import { FINISHED_RUN_STATUSES, type RunKind } from "../execution/runs.repository";
import type { RetentionReport } from "./retention.rules";

export type Removed = { rows: number; files: number; bytes: number };
export type RunSelection = { kind: RunKind; cutoff: Date };
/** Sign-in records: `cutoff` for ended/expired ones, `idleCutoff` = cutoff minus the idle timeout for sessions nobody used since. */
export type SignInSelection = { cutoff: Date; idleCutoff: Date };
export type SimpleKind = "login_events" | "audit_events" | "sessions" | "email_tokens";
export type StoredReport = { id: string; trigger: RetentionReport["trigger"]; startedAt: Date; finishedAt: Date; report: RetentionReport };

export type RetentionRepository = {
  /** Finished runs (never queued or running) of `kind` that finished before the cutoff, with their files. */
  countRuns(sel: RunSelection): Promise<Removed>;
  /** Removes up to `limit` of them (jobs, input files and artifact rows too) in one transaction; returns their ids for the blob cleanup. */
  deleteRuns(sel: RunSelection, limit: number): Promise<Removed & { runIds: string[] }>;
  count(kind: SimpleKind, sel: SignInSelection): Promise<number>;
  /** Removes up to `limit` rows; returns how many. */
  deleteBatch(kind: SimpleKind, sel: SignInSelection, limit: number): Promise<number>;
  hasTable(name: string): Promise<boolean>;
  /** Stores a report and keeps only the newest `keep`. */
  saveReport(r: StoredReport, keep: number): Promise<void>;
  lastReport(): Promise<StoredReport | null>;
};

const FINISHED = [...FINISHED_RUN_STATUSES];

type RunTables = { runs: typeof liteRuns.runs | typeof pgRuns.runs };
function runCondition(t: RunTables, sel: RunSelection): SQL {
  const r = t.runs;
  // finished_at is set on every finish; queued_at covers a row that somehow lacks it
  return and(eq(r.kind, sel.kind), inArray(r.status, FINISHED), or(lt(r.finishedAt, sel.cutoff), and(isNull(r.finishedAt), lt(r.queuedAt, sel.cutoff))))!;
}

type IdTables = { loginEvents: typeof liteId.loginEvents | typeof pgId.loginEvents; sessions: typeof liteId.sessions | typeof pgId.sessions; emailTokens: typeof liteId.emailTokens | typeof pgId.emailTokens; audit: typeof liteAudit | typeof pgAudit };

function simpleCondition(t: IdTables, kind: SimpleKind, sel: SignInSelection): SQL {
  switch (kind) {
    case "login_events":
      return lt(t.loginEvents.createdAt, sel.cutoff);
    case "audit_events":
      return lt(t.audit.createdAt, sel.cutoff);
    case "sessions": {
      const s = t.sessions;
      // ended long enough ago: expired, revoked, or idle past its idle timeout
      return or(lt(s.expiresAt, sel.cutoff), and(isNotNull(s.revokedAt), lt(s.revokedAt, sel.cutoff)), lt(s.lastSeenAt, sel.idleCutoff))!;
    }
    case "email_tokens": {
      const e = t.emailTokens;
      return or(lt(e.expiresAt, sel.cutoff), and(isNotNull(e.usedAt), lt(e.usedAt, sel.cutoff)))!;
    }
  }
}

export function createRetentionRepositorySqlite(db: SqliteDb): RetentionRepository {
  const { runs, jobs, runFiles, artifacts } = liteRuns;
  const ids: IdTables = { loginEvents: liteId.loginEvents, sessions: liteId.sessions, emailTokens: liteId.emailTokens, audit: liteAudit };
  const tableOf = (kind: SimpleKind) => ({ login_events: ids.loginEvents, audit_events: ids.audit, sessions: ids.sessions, email_tokens: ids.emailTokens })[kind] as typeof liteId.sessions;
  const fileTotals = (runIds: SQL | string[]) => {
    const within = (col: typeof runFiles.runId | typeof artifacts.runId) => inArray(col, runIds);
    const f = db.select({ n: sql<number>`count(*)`, b: sql<number>`coalesce(sum(${runFiles.bytes}), 0)` }).from(runFiles).where(within(runFiles.runId)).get();
    const a = db.select({ n: sql<number>`count(*)`, b: sql<number>`coalesce(sum(${artifacts.bytes}), 0)` }).from(artifacts).where(within(artifacts.runId)).get();
    return { files: Number(f?.n ?? 0) + Number(a?.n ?? 0), bytes: Number(f?.b ?? 0) + Number(a?.b ?? 0) };
  };
  return {
    async countRuns(sel) {
      const where = runCondition({ runs }, sel);
      const rows = Number(db.select({ n: sql<number>`count(*)` }).from(runs).where(where).get()?.n ?? 0);
      return { rows, ...fileTotals(sql`(SELECT ${runs.id} FROM ${runs} WHERE ${where})`) };
    },
    async deleteRuns(sel, limit) {
      // synchronous callback: drizzle's async transactions are not atomic on bun:sqlite
      return db.transaction((tx) => {
        const runIds = tx.select({ id: runs.id }).from(runs).where(runCondition({ runs }, sel)).limit(limit).all().map((r) => r.id);
        if (!runIds.length) return { rows: 0, files: 0, bytes: 0, runIds };
        const totals = fileTotals(runIds);
        tx.delete(jobs).where(inArray(jobs.runId, runIds)).run();
        tx.delete(runFiles).where(inArray(runFiles.runId, runIds)).run();
        tx.delete(artifacts).where(inArray(artifacts.runId, runIds)).run();
        tx.delete(runs).where(inArray(runs.id, runIds)).run();
        return { rows: runIds.length, ...totals, runIds };
      });
    },
    async count(kind, sel) {
      const t = tableOf(kind);
      return Number(db.select({ n: sql<number>`count(*)` }).from(t).where(simpleCondition(ids, kind, sel)).get()?.n ?? 0);
    },
    async deleteBatch(kind, sel, limit) {
      const t = tableOf(kind);
      const batch = db.select({ id: t.id }).from(t).where(simpleCondition(ids, kind, sel)).limit(limit);
      return db.delete(t).where(inArray(t.id, batch)).returning({ id: t.id }).all().length;
    },
    async hasTable(name) {
      return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ${name}`)!.n > 0;
    },
    async saveReport(r, keep) {
      db.transaction((tx) => {
        tx.insert(liteReports).values(r).run();
        const newest = tx.select({ id: liteReports.id }).from(liteReports).orderBy(desc(liteReports.startedAt), desc(liteReports.id)).limit(keep);
        tx.delete(liteReports).where(notInArray(liteReports.id, newest)).run();
      });
    },
    async lastReport() {
      return db.select().from(liteReports).orderBy(desc(liteReports.startedAt), desc(liteReports.id)).limit(1).get() ?? null;
    },
  };
}

export function createRetentionRepositoryPg(db: PgDb): RetentionRepository {
  const { runs, jobs, runFiles, artifacts } = pgRuns;
  const ids: IdTables = { loginEvents: pgId.loginEvents, sessions: pgId.sessions, emailTokens: pgId.emailTokens, audit: pgAudit };
  const tableOf = (kind: SimpleKind) => ({ login_events: ids.loginEvents, audit_events: ids.audit, sessions: ids.sessions, email_tokens: ids.emailTokens })[kind] as typeof pgId.sessions;
  type Tx = Pick<PgDb, "select">;
  const fileTotals = async (q: Tx, runIds: SQL | string[]) => {
    const within = (col: typeof runFiles.runId | typeof artifacts.runId) => inArray(col, runIds);
    const [f] = await q.select({ n: sql<number>`count(*)::int`, b: sql<string>`coalesce(sum(${runFiles.bytes}), 0)::bigint` }).from(runFiles).where(within(runFiles.runId));
    const [a] = await q.select({ n: sql<number>`count(*)::int`, b: sql<string>`coalesce(sum(${artifacts.bytes}), 0)::bigint` }).from(artifacts).where(within(artifacts.runId));
    return { files: Number(f?.n ?? 0) + Number(a?.n ?? 0), bytes: Number(f?.b ?? 0) + Number(a?.b ?? 0) };
  };
  return {
    async countRuns(sel) {
      const where = runCondition({ runs }, sel);
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(runs).where(where);
      return { rows: Number(row?.n ?? 0), ...(await fileTotals(db, sql`(SELECT ${runs.id} FROM ${runs} WHERE ${where})`)) };
    },
    async deleteRuns(sel, limit) {
      return db.transaction(async (tx) => {
        // SKIP LOCKED: two servers pruning at once take different runs instead of waiting on each other
        const picked = await tx.select({ id: runs.id }).from(runs).where(runCondition({ runs }, sel)).limit(limit).for("update", { skipLocked: true });
        const runIds = picked.map((r) => r.id);
        if (!runIds.length) return { rows: 0, files: 0, bytes: 0, runIds };
        const totals = await fileTotals(tx, runIds);
        await tx.delete(jobs).where(inArray(jobs.runId, runIds));
        await tx.delete(runFiles).where(inArray(runFiles.runId, runIds));
        await tx.delete(artifacts).where(inArray(artifacts.runId, runIds));
        await tx.delete(runs).where(inArray(runs.id, runIds));
        return { rows: runIds.length, ...totals, runIds };
      });
    },
    async count(kind, sel) {
      const t = tableOf(kind);
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(t).where(simpleCondition(ids, kind, sel));
      return Number(row?.n ?? 0);
    },
    async deleteBatch(kind, sel, limit) {
      const t = tableOf(kind);
      const batch = db.select({ id: t.id }).from(t).where(simpleCondition(ids, kind, sel)).limit(limit);
      return (await db.delete(t).where(inArray(t.id, batch)).returning({ id: t.id })).length;
    },
    async hasTable(name) {
      const rows = await db.execute<{ t: string | null }>(sql`SELECT to_regclass(${`public.${name}`})::text AS t`);
      return Boolean(rows[0]?.t);
    },
    async saveReport(r, keep) {
      await db.transaction(async (tx) => {
        await tx.insert(pgReports).values(r);
        const newest = tx.select({ id: pgReports.id }).from(pgReports).orderBy(desc(pgReports.startedAt), desc(pgReports.id)).limit(keep);
        await tx.delete(pgReports).where(notInArray(pgReports.id, newest));
      });
    },
    async lastReport() {
      const [row] = await db.select().from(pgReports).orderBy(desc(pgReports.startedAt), desc(pgReports.id)).limit(1);
      return row ?? null;
    },
  };
}

export function createRetentionRepository(store: Store): RetentionRepository {
  return store.dialect === "sqlite" ? createRetentionRepositorySqlite(store.db) : createRetentionRepositoryPg(store.db);
}
