// The rows retention counts and removes, per dialect: runs with their files, sign-in records, audit
// events, sandbox snapshots, documents (through the documents feature's own delete), API keys,
// device sign-ins and webhook deliveries. Removal goes in batches, each its own short
// transaction, so a first prune of a large site never holds the SQLite write lock for long.
import { and, desc, eq, inArray, isNotNull, isNull, lt, lte, notInArray, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as liteRuns from "../execution/execution.schema.sqlite";
import * as pgRuns from "../execution/execution.schema.pg";
import * as liteId from "../identity/identity.schema.sqlite";
import * as pgId from "../identity/identity.schema.pg";
import { auditEvents as liteAudit } from "../audit/audit.schema.sqlite";
import { auditEvents as pgAudit } from "../audit/audit.schema.pg";
import * as liteAccess from "../access/access.schema.sqlite";
import * as pgAccess from "../access/access.schema.pg";
import { toolVersions as liteVersions } from "../tools/tools.schema.sqlite";
import { toolVersions as pgVersions } from "../tools/tools.schema.pg";
import { documents as liteDocuments } from "../documents/documents.schema.sqlite";
import { documents as pgDocuments } from "../documents/documents.schema.pg";
import { IN_PROGRESS_STATUSES } from "../documents/documents.types";
import { retentionReports as liteReports } from "./retention.schema.sqlite";
import { retentionReports as pgReports } from "./retention.schema.pg";
import { FINISHED_RUN_STATUSES, type RunKind } from "../execution/runs.repository";
import type { RetentionReport } from "./retention.rules";

export type Removed = { rows: number; files: number; bytes: number };
export type RunSelection = { kind: RunKind; cutoff: Date };
/** Sign-in records: `cutoff` for ended/expired ones, `idleCutoff` = cutoff minus the idle timeout for sessions nobody used since. */
export type SignInSelection = { cutoff: Date; idleCutoff: Date };
export type SimpleKind = "login_events" | "audit_events" | "sessions" | "email_tokens" | "webhook_deliveries" | "api_keys" | "device_grants";
/** A document retention removes: the owner and blob key for the documents feature's own delete. */
export type ExpiredDocument = { id: string; userId: string; storageKey: string; bytes: number };
export type StoredReport = { id: string; trigger: RetentionReport["trigger"]; startedAt: Date; finishedAt: Date; report: RetentionReport };

export type RetentionRepository = {
  /** Finished runs (never queued or running) of `kind` that finished before the cutoff, with their files. */
  countRuns(sel: RunSelection): Promise<Removed>;
  /** Removes up to `limit` of them (jobs, input files and artifact rows too) in one transaction; returns their ids for the blob cleanup. */
  deleteRuns(sel: RunSelection, limit: number): Promise<Removed & { runIds: string[] }>;
  count(kind: SimpleKind, sel: SignInSelection): Promise<number>;
  /** Removes up to `limit` rows; returns how many. */
  deleteBatch(kind: SimpleKind, sel: SignInSelection, limit: number): Promise<number>;
  /** Sandbox snapshots (tool_versions numbered ≤ 0) created before the cutoff that no run uses any more. */
  countSnapshots(cutoff: Date): Promise<number>;
  /**
   * Removes up to `limit` of them; `picked` is how many were candidates (the batch loop ends when it
   * is below the limit), `rows` how many went — a run queued meanwhile keeps its snapshot.
   */
  deleteSnapshots(cutoff: Date, limit: number): Promise<{ picked: number; rows: number }>;
  /** Documents uploaded before the cutoff that the pipeline no longer works on, with their bytes. */
  countDocuments(cutoff: Date): Promise<Removed>;
  expiredDocuments(cutoff: Date, limit: number): Promise<ExpiredDocument[]>;
  /** The finished pipeline jobs of removed documents (jobs name documents without a foreign key). */
  deleteDocumentJobs(documentIds: string[]): Promise<void>;
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

type IdTables = {
  loginEvents: typeof liteId.loginEvents | typeof pgId.loginEvents;
  sessions: typeof liteId.sessions | typeof pgId.sessions;
  emailTokens: typeof liteId.emailTokens | typeof pgId.emailTokens;
  audit: typeof liteAudit | typeof pgAudit;
  deliveries: typeof liteAccess.webhookDeliveries | typeof pgAccess.webhookDeliveries;
  apiKeys: typeof liteAccess.apiKeys | typeof pgAccess.apiKeys;
  deviceGrants: typeof liteAccess.deviceGrants | typeof pgAccess.deviceGrants;
};

/** Set, and before the cutoff. */
const ended = (at: AnyColumn, cutoff: Date) => and(isNotNull(at), lt(at, cutoff));

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
    case "webhook_deliveries":
      // pending deliveries are still being retried: only delivered or given-up ones go
      return and(inArray(t.deliveries.status, ["delivered", "failed"]), lt(t.deliveries.createdAt, sel.cutoff))!;
    case "api_keys": {
      // a key without an expiry that was never revoked is in use, however old
      const k = t.apiKeys;
      return or(ended(k.expiresAt, sel.cutoff), ended(k.revokedAt, sel.cutoff))!;
    }
    case "device_grants": {
      // ended: its code expired unused, or the access token it handed out expired, or it was revoked
      const g = t.deviceGrants;
      return or(and(lt(g.expiresAt, sel.cutoff), or(isNull(g.accessExpiresAt), lt(g.accessExpiresAt, sel.cutoff))), ended(g.revokedAt, sel.cutoff))!;
    }
  }
}

type SnapshotTables = { versions: typeof liteVersions | typeof pgVersions; runs: typeof liteRuns.runs | typeof pgRuns.runs };
function snapshotCondition(t: SnapshotTables, cutoff: Date): SQL {
  const v = t.versions;
  // tool_id first: runs are indexed by tool, so the check does not scan every run
  const unused = sql`NOT EXISTS (SELECT 1 FROM ${t.runs} WHERE ${t.runs.toolId} = ${v.toolId} AND ${t.runs.toolVersionId} = ${v.id})`;
  return and(lte(v.number, 0), lt(v.createdAt, cutoff), unused)!;
}

type DocumentTable = typeof liteDocuments | typeof pgDocuments;
function documentCondition(d: DocumentTable, cutoff: Date): SQL {
  // a document the pipeline still works on is left to it (the next prune takes it)
  return and(lt(d.createdAt, cutoff), notInArray(d.status, [...IN_PROGRESS_STATUSES]))!;
}

/** The table of a simple kind; every one has an `id` primary key, which the batch delete uses. */
function tableOfKind(ids: IdTables, kind: SimpleKind) {
  return { login_events: ids.loginEvents, audit_events: ids.audit, sessions: ids.sessions, email_tokens: ids.emailTokens, webhook_deliveries: ids.deliveries, api_keys: ids.apiKeys, device_grants: ids.deviceGrants }[kind];
}

export function createRetentionRepositorySqlite(db: SqliteDb): RetentionRepository {
  const { runs, jobs, runFiles, artifacts } = liteRuns;
  const ids: IdTables = { loginEvents: liteId.loginEvents, sessions: liteId.sessions, emailTokens: liteId.emailTokens, audit: liteAudit, deliveries: liteAccess.webhookDeliveries, apiKeys: liteAccess.apiKeys, deviceGrants: liteAccess.deviceGrants };
  const tableOf = (kind: SimpleKind) => tableOfKind(ids, kind) as typeof liteId.sessions;
  const snapshots: SnapshotTables = { versions: liteVersions, runs };
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
    async countSnapshots(cutoff) {
      const v = liteVersions;
      return Number(db.select({ n: sql<number>`count(*)` }).from(v).where(snapshotCondition(snapshots, cutoff)).get()?.n ?? 0);
    },
    async deleteSnapshots(cutoff, limit) {
      // one statement, so the "no run uses it" check and the delete see the same data; the versions'
      // cascading keys take their review events and publications (a snapshot has none) along
      const v = liteVersions;
      const batch = db.select({ id: v.id }).from(v).where(snapshotCondition(snapshots, cutoff)).limit(limit);
      const rows = db.delete(v).where(inArray(v.id, batch)).returning({ id: v.id }).all().length;
      return { picked: rows, rows };
    },
    async countDocuments(cutoff) {
      const d = liteDocuments;
      const row = db.select({ n: sql<number>`count(*)`, b: sql<number>`coalesce(sum(${d.bytes}), 0)` }).from(d).where(documentCondition(d, cutoff)).get();
      return { rows: Number(row?.n ?? 0), files: Number(row?.n ?? 0), bytes: Number(row?.b ?? 0) };
    },
    async expiredDocuments(cutoff, limit) {
      const d = liteDocuments;
      return db.select({ id: d.id, userId: d.userId, storageKey: d.storageKey, bytes: d.bytes }).from(d).where(documentCondition(d, cutoff)).orderBy(d.createdAt, d.id).limit(limit).all();
    },
    async deleteDocumentJobs(documentIds) {
      if (documentIds.length) db.delete(jobs).where(and(eq(jobs.kind, "document"), inArray(jobs.subjectId, documentIds), eq(jobs.status, "done"))).run();
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
  const ids: IdTables = { loginEvents: pgId.loginEvents, sessions: pgId.sessions, emailTokens: pgId.emailTokens, audit: pgAudit, deliveries: pgAccess.webhookDeliveries, apiKeys: pgAccess.apiKeys, deviceGrants: pgAccess.deviceGrants };
  const tableOf = (kind: SimpleKind) => tableOfKind(ids, kind) as typeof pgId.sessions;
  const snapshots: SnapshotTables = { versions: pgVersions, runs };
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
    async countSnapshots(cutoff) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(pgVersions).where(snapshotCondition(snapshots, cutoff));
      return Number(row?.n ?? 0);
    },
    async deleteSnapshots(cutoff, limit) {
      const v = pgVersions;
      return db.transaction(async (tx) => {
        // FOR UPDATE conflicts with the key-share lock a run insert takes on the version it names, so
        // SKIP LOCKED passes over a snapshot whose run is being queued right now; the check is made
        // again under the lock for a run that committed in between
        const picked = (await tx.select({ id: v.id }).from(v).where(snapshotCondition(snapshots, cutoff)).limit(limit).for("update", { skipLocked: true })).map((r) => r.id);
        if (!picked.length) return { picked: 0, rows: 0 };
        const removed = await tx.delete(v).where(and(inArray(v.id, picked), snapshotCondition(snapshots, cutoff))).returning({ id: v.id });
        return { picked: picked.length, rows: removed.length };
      });
    },
    async countDocuments(cutoff) {
      const d = pgDocuments;
      const [row] = await db.select({ n: sql<number>`count(*)::int`, b: sql<string>`coalesce(sum(${d.bytes}), 0)::bigint` }).from(d).where(documentCondition(d, cutoff));
      return { rows: Number(row?.n ?? 0), files: Number(row?.n ?? 0), bytes: Number(row?.b ?? 0) };
    },
    async expiredDocuments(cutoff, limit) {
      const d = pgDocuments;
      return db.select({ id: d.id, userId: d.userId, storageKey: d.storageKey, bytes: d.bytes }).from(d).where(documentCondition(d, cutoff)).orderBy(d.createdAt, d.id).limit(limit);
    },
    async deleteDocumentJobs(documentIds) {
      if (documentIds.length) await db.delete(jobs).where(and(eq(jobs.kind, "document"), inArray(jobs.subjectId, documentIds), eq(jobs.status, "done")));
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
