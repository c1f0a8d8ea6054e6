// The durable run queue (ARCHITECTURE "A run, end to end" step 2): jobs are claimed with a lease, kept
// alive by heartbeats, finalized only by the lease holder, and freed by the reaper when a holder dies.
// Submitting a run (run + job + files) is runs.repository.ts's createQueuedRun.
//
// Lease rules, the same on both stores:
// - claim: the highest priority, oldest available queued job → leased (owner, expiry, attempts + 1), its
//   run → running (started_at). SQLite: one BEGIN IMMEDIATE transaction (the write lock is taken up front,
//   so two processes never both read the same job); PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so
//   concurrent claimers pass over each other's rows instead of waiting.
// - Everything a worker writes afterwards names its job AND owner and is a no-op once the lease is gone
//   (taken over, reaped, or the run deleted): heartbeat, setContainerId, release, finalize. A worker whose
//   finalize returns false discards its result.
// - An expired lease is reaped: requeued while attempts < max_attempts, else the run fails with the
//   caller's message. A lease that has expired but not been reaped still belongs to its owner.
// - Timestamps come from the caller (`now`), so tests control time and all writes of one step agree.
import { and, asc, count, desc, eq, gt, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./execution.schema.sqlite";
import * as pg from "./execution.schema.pg";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";

export type RunKind = "production" | "sandbox";
export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled";
export type FinalStatus = "succeeded" | "failed" | "timed_out" | "cancelled";

/** A job this process holds. */
export type JobLease = {
  jobId: string;
  runId: string;
  owner: string;
  attempts: number;
  maxAttempts: number;
  leaseExpiresAt: Date;
  queuedAt: Date;
  startedAt: Date;
};

/** Everything needed to start a run's container. */
export type RunWork = {
  runId: string;
  toolId: string;
  toolSlug: string;
  toolVersionId: string;
  versionNumber: number;
  userId: string | null;
  kind: RunKind;
  inputs: Record<string, unknown>;
  action: Record<string, unknown> | null;
  context: string;
  queuedAt: Date;
  source: string;
  entrypoint: string;
  settingsSchema: unknown[] | null;
  /** In upload order. */
  files: { name: string; bytes: number; storageKey: string }[];
};

/** A leased job as adoption sees it. */
export type LeasedJob = {
  jobId: string;
  runId: string;
  owner: string | null;
  leaseExpiresAt: Date | null;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  containerId: string | null;
};

export type NewArtifact = { id: string; path: string; bytes: number; sha256: string; storageKey: string };

export type Finalization = {
  jobId: string;
  runId: string;
  owner: string;
  status: FinalStatus;
  errorSummary: string | null;
  uiPayload: Record<string, unknown> | null;
  stdout: string | null;
  stderr: string | null;
  exitCode: number | null;
  oomKilled: boolean | null;
  durationMs: number | null;
  finishedAt: Date;
  artifacts: NewArtifact[];
  /** Write a new revision of (user, tool, context)'s state; state null carries the current one forward. */
  toolState: { userId: string; toolId: string; context: string; state: Record<string, unknown> | null } | null;
};

export type ReapOutcome = { runId: string; outcome: "requeued" | "failed" };

/**
 * A document-pipeline job (kind "document") this process holds: the same lease, heartbeat and reaper
 * rules as a run job, but no run row; subjectId is the document. The documents feature keeps the
 * document's own status (src/documents/document-worker.ts).
 */
export type DocumentJobLease = { jobId: string; documentId: string; owner: string; attempts: number; maxAttempts: number; leaseExpiresAt: Date };
export type DocumentReapOutcome = { documentId: string; outcome: "requeued" | "failed" };
export type CancelOutcome = "cancelled" | "requested" | "finished" | "not_found";

export type QueueRepository = {
  /** The next job, leased to `owner` until now + leaseMs; null when none is available. */
  claim(input: { owner: string; leaseMs: number; now: Date }): Promise<JobLease | null>;
  /** Run, tool, version and input files of a run; null when the run (or its version) is gone. */
  getRunWork(runId: string): Promise<RunWork | null>;
  /** Extends the lease while `owner` holds it; also tells whether a cancel was requested. */
  heartbeat(input: { jobId: string; owner: string; leaseMs: number; now: Date }): Promise<{ held: boolean; cancelRequested: boolean }>;
  /** Records the sandbox container of the run (for adoption after a crash); only by the lease holder. */
  setContainerId(input: { jobId: string; owner: string; runId: string; containerId: string }): Promise<boolean>;
  /**
   * The terminal write, in ONE transaction: run fields, artifacts, job done, state revision. Only by
   * the lease holder; false (nothing written) when the lease is lost.
   */
  finalize(f: Finalization): Promise<boolean>;
  /** Back to the queue for another attempt (run queued again, no start time, no container). */
  release(input: { jobId: string; owner: string; availableAt: Date; now: Date }): Promise<boolean>;
  /** Expired leases: requeued while attempts remain, else the run fails with `message`. */
  reapExpired(input: { now: Date; message: string }): Promise<ReapOutcome[]>;
  /** The same for one job whose owner is known to be gone (adoption found no container). */
  requeueOrFail(input: { jobId: string; owner: string; now: Date; message: string }): Promise<ReapOutcome | null>;
  /** Moves a lease from a gone owner to `toOwner` (adoption); null when someone else changed it first. */
  takeOver(input: { jobId: string; fromOwner: string; toOwner: string; leaseMs: number; now: Date }): Promise<JobLease | null>;
  /** Queued → cancelled at once; running → cancel_requested (the worker sees it at its next heartbeat). */
  requestCancel(input: { runId: string; now: Date; message: string }): Promise<CancelOutcome>;
  /** 1 = next to be claimed; null when the run is not queued. */
  queuePosition(runId: string): Promise<number | null>;
  /** Queued jobs (also those waiting for a retry delay). */
  depth(): Promise<number>;
  listLeased(): Promise<LeasedJob[]>;
  /** Status of each of these runs that exists. */
  runStatuses(runIds: readonly string[]): Promise<Map<string, RunStatus>>;

  // ---- document-pipeline jobs (heartbeat above serves them too) ----
  /** Queues the pipeline of a document; false when it already has a queued or leased job (no duplicates). */
  enqueueDocumentJob(input: { documentId: string; now: Date; maxAttempts?: number }): Promise<boolean>;
  /** The next available document job, leased to `owner`; null when none. */
  claimDocumentJob(input: { owner: string; leaseMs: number; now: Date }): Promise<DocumentJobLease | null>;
  /** Done; only by the lease holder (false when the lease was lost). */
  completeDocumentJob(input: { jobId: string; owner: string }): Promise<boolean>;
  /** Back to the queue for another attempt at `availableAt`; only by the lease holder. */
  releaseDocumentJob(input: { jobId: string; owner: string; availableAt: Date }): Promise<boolean>;
  /** Expired document leases: requeued while attempts remain, else done (the caller fails the document). */
  reapExpiredDocumentJobs(input: { now: Date }): Promise<DocumentReapOutcome[]>;
  /** Leased document jobs with their holders (a restarted process requeues those of dead holders at once). */
  listLeasedDocumentJobs(): Promise<{ jobId: string; documentId: string; owner: string | null; attempts: number; maxAttempts: number }[]>;
  /** Which of these documents have a queued or leased job. */
  activeDocumentJobs(documentIds: readonly string[]): Promise<Set<string>>;
  /** A queued job of the document is dropped; a leased one is asked to stop (seen at its next heartbeat). */
  cancelDocumentJobs(documentId: string): Promise<void>;
};

/** Thrown inside a transaction to roll it back when the lease is no longer ours. */
class LeaseLost extends Error {}

const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);

function finalRunSet(f: Finalization, stateRev: number | null) {
  return {
    status: f.status,
    errorSummary: f.errorSummary,
    uiPayload: f.uiPayload,
    stdout: f.stdout,
    stderr: f.stderr,
    exitCode: f.exitCode,
    oomKilled: f.oomKilled,
    durationMs: f.durationMs,
    finishedAt: f.finishedAt,
    stateRev,
  };
}

/** The run of a job that will not be attempted again: failed, with the reason. */
function failedRunSet(message: string, now: Date) {
  return { status: "failed" as const, errorSummary: message, finishedAt: now };
}

const requeuedRunSet = { status: "queued" as const, startedAt: null, containerId: null };

/** The run of a run job. Document jobs (no run) never reach the run paths: those select kind = "run". */
function runOf(job: { id: string; runId: string | null }): string {
  if (job.runId === null) throw new Error(`job ${job.id} is not a run job`);
  return job.runId;
}

export function createQueueRepositorySqlite(db: SqliteDb): QueueRepository {
  const { runs, jobs, runFiles, artifacts, toolState } = lite;
  const { tools, toolVersions } = liteTools;
  type Tx = Parameters<Parameters<SqliteDb["transaction"]>[0]>[0];

  /** Requeue or fail one leased job inside a transaction; the guard decides whether it is still ours to reap. */
  function reapOne(tx: Tx, job: { id: string; runId: string | null; attempts: number; maxAttempts: number }, guard: ReturnType<typeof and>, now: Date, message: string): ReapOutcome | null {
    const retry = job.attempts < job.maxAttempts;
    const hit = tx
      .update(jobs)
      .set(retry ? { status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt: now } : { status: "done", leaseExpiresAt: null })
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "leased"), guard))
      .returning({ id: jobs.id })
      .get();
    if (!hit) return null;
    tx.update(runs)
      .set(retry ? requeuedRunSet : failedRunSet(message, now))
      .where(eq(runs.id, runOf(job)))
      .run();
    return { runId: runOf(job), outcome: retry ? "requeued" : "failed" };
  }

  return {
    async claim({ owner, leaseMs, now }) {
      const available = and(eq(jobs.kind, "run"), eq(jobs.status, "queued"), lte(jobs.availableAt, now));
      // a plain read first: an idle queue is polled often, and BEGIN IMMEDIATE takes the write lock
      if (!db.select({ id: jobs.id }).from(jobs).where(available).limit(1).get()) return null;
      return db.transaction(
        (tx): JobLease | null => {
          const next = tx
            .select({ id: jobs.id, runId: jobs.runId })
            .from(jobs)
            .where(available)
            .orderBy(desc(jobs.priority), asc(jobs.availableAt), asc(jobs.id))
            .limit(1)
            .get();
          if (!next) return null;
          const leaseExpiresAt = addMs(now, leaseMs);
          const job = tx
            .update(jobs)
            .set({ status: "leased", leaseOwner: owner, leaseExpiresAt, attempts: sql`${jobs.attempts} + 1` })
            .where(eq(jobs.id, next.id))
            .returning({ attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
            .get()!;
          const runId = runOf(next);
          const run = tx.update(runs).set({ status: "running", startedAt: now }).where(eq(runs.id, runId)).returning({ queuedAt: runs.queuedAt }).get();
          if (!run) throw new Error(`job ${next.id} has no run ${runId}`);
          return { jobId: next.id, runId, owner, attempts: job.attempts, maxAttempts: job.maxAttempts, leaseExpiresAt, queuedAt: run.queuedAt, startedAt: now };
        },
        { behavior: "immediate" },
      );
    },

    async getRunWork(runId) {
      const row = db
        .select({
          runId: runs.id,
          toolId: runs.toolId,
          toolSlug: tools.slug,
          toolVersionId: runs.toolVersionId,
          versionNumber: toolVersions.number,
          userId: runs.userId,
          kind: runs.kind,
          inputs: runs.inputs,
          action: runs.action,
          context: runs.context,
          queuedAt: runs.queuedAt,
          source: toolVersions.source,
          entrypoint: toolVersions.entrypoint,
          settingsSchema: toolVersions.settingsSchema,
        })
        .from(runs)
        .innerJoin(tools, eq(tools.id, runs.toolId))
        .innerJoin(toolVersions, eq(toolVersions.id, runs.toolVersionId))
        .where(eq(runs.id, runId))
        .get();
      if (!row) return null;
      const files = db.select({ name: runFiles.name, bytes: runFiles.bytes, storageKey: runFiles.storageKey }).from(runFiles).where(eq(runFiles.runId, runId)).orderBy(asc(runFiles.id)).all();
      return { ...row, action: row.action ?? null, settingsSchema: row.settingsSchema ?? null, files };
    },

    async heartbeat({ jobId, owner, leaseMs, now }) {
      const row = db
        .update(jobs)
        .set({ leaseExpiresAt: addMs(now, leaseMs) })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
        .returning({ cancelRequested: jobs.cancelRequested })
        .get();
      return row ? { held: true, cancelRequested: row.cancelRequested } : { held: false, cancelRequested: false };
    },

    async setContainerId({ jobId, owner, runId, containerId }) {
      return db.transaction(
        (tx) => {
          const held = tx
            .select({ id: jobs.id })
            .from(jobs)
            .where(and(eq(jobs.id, jobId), eq(jobs.runId, runId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
            .get();
          if (!held) return false;
          tx.update(runs).set({ containerId }).where(eq(runs.id, runId)).run();
          return true;
        },
        { behavior: "immediate" },
      );
    },

    async finalize(f) {
      try {
        db.transaction(
          (tx) => {
            const job = tx
              .update(jobs)
              .set({ status: "done", leaseExpiresAt: null })
              .where(and(eq(jobs.id, f.jobId), eq(jobs.runId, f.runId), eq(jobs.leaseOwner, f.owner), eq(jobs.status, "leased")))
              .returning({ id: jobs.id })
              .get();
            if (!job) throw new LeaseLost();
            let stateRev: number | null = null;
            if (f.toolState) {
              const { userId, toolId, context, state } = f.toolState;
              // one atomic upsert: rev + 1 even when two runs of the same user finish at once
              const row = tx
                .insert(toolState)
                .values({ userId, toolId, context, state: state ?? {}, rev: 1, updatedAt: f.finishedAt })
                .onConflictDoUpdate({
                  target: [toolState.userId, toolState.toolId, toolState.context],
                  set: { rev: sql`${toolState.rev} + 1`, updatedAt: f.finishedAt, ...(state === null ? {} : { state: sql`excluded.state` }) },
                })
                .returning({ rev: toolState.rev })
                .get()!;
              stateRev = row.rev;
            }
            tx.update(runs).set(finalRunSet(f, stateRev)).where(eq(runs.id, f.runId)).run();
            if (f.artifacts.length) tx.insert(artifacts).values(f.artifacts.map((a) => ({ ...a, runId: f.runId, createdAt: f.finishedAt }))).run();
          },
          { behavior: "immediate" },
        );
        return true;
      } catch (e) {
        if (e instanceof LeaseLost) return false;
        throw e;
      }
    },

    async release({ jobId, owner, availableAt }) {
      return db.transaction(
        (tx) => {
          const job = tx
            .update(jobs)
            .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt })
            .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
            .returning({ id: jobs.id, runId: jobs.runId })
            .get();
          if (!job) return false;
          tx.update(runs).set(requeuedRunSet).where(eq(runs.id, runOf(job))).run();
          return true;
        },
        { behavior: "immediate" },
      );
    },

    async reapExpired({ now, message }) {
      const expired = db
        .select({ id: jobs.id, runId: jobs.runId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
        .from(jobs)
        .where(and(eq(jobs.kind, "run"), eq(jobs.status, "leased"), lt(jobs.leaseExpiresAt, now)))
        .all();
      const out: ReapOutcome[] = [];
      for (const job of expired) {
        // still expired at the moment of the write: a heartbeat in between wins
        const r = db.transaction((tx) => reapOne(tx, job, lt(jobs.leaseExpiresAt, now), now, message), { behavior: "immediate" });
        if (r) out.push(r);
      }
      return out;
    },

    async requeueOrFail({ jobId, owner, now, message }) {
      return db.transaction(
        (tx) => {
          const job = tx.select({ id: jobs.id, runId: jobs.runId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts }).from(jobs).where(eq(jobs.id, jobId)).get();
          return job ? reapOne(tx, job, eq(jobs.leaseOwner, owner), now, message) : null;
        },
        { behavior: "immediate" },
      );
    },

    async takeOver({ jobId, fromOwner, toOwner, leaseMs, now }) {
      const leaseExpiresAt = addMs(now, leaseMs);
      const job = db
        .update(jobs)
        .set({ leaseOwner: toOwner, leaseExpiresAt })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, fromOwner), eq(jobs.status, "leased")))
        .returning({ id: jobs.id, runId: jobs.runId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
        .get();
      if (!job) return null;
      const runId = runOf(job);
      const run = db.select({ queuedAt: runs.queuedAt, startedAt: runs.startedAt }).from(runs).where(eq(runs.id, runId)).get();
      if (!run) return null;
      return { jobId, runId, owner: toOwner, attempts: job.attempts, maxAttempts: job.maxAttempts, leaseExpiresAt, queuedAt: run.queuedAt, startedAt: run.startedAt ?? now };
    },

    async requestCancel({ runId, now, message }) {
      return db.transaction(
        (tx): CancelOutcome => {
          const run = tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).get();
          if (!run) return "not_found";
          const job = tx.select({ id: jobs.id, status: jobs.status }).from(jobs).where(eq(jobs.runId, runId)).get();
          if (job?.status === "queued") {
            tx.update(jobs).set({ status: "done", cancelRequested: true }).where(eq(jobs.id, job.id)).run();
            tx.update(runs).set({ status: "cancelled", errorSummary: message, finishedAt: now }).where(eq(runs.id, runId)).run();
            return "cancelled";
          }
          if (job?.status === "leased") {
            tx.update(jobs).set({ cancelRequested: true }).where(eq(jobs.id, job.id)).run();
            return "requested";
          }
          return "finished";
        },
        { behavior: "immediate" },
      );
    },

    async queuePosition(runId) {
      const me = db.select({ id: jobs.id, priority: jobs.priority, availableAt: jobs.availableAt }).from(jobs).where(and(eq(jobs.runId, runId), eq(jobs.status, "queued"))).get();
      if (!me) return null;
      const ahead = db
        .select({ n: count() })
        .from(jobs)
        .where(
          and(
            eq(jobs.kind, "run"),
            eq(jobs.status, "queued"),
            or(gt(jobs.priority, me.priority), and(eq(jobs.priority, me.priority), or(lt(jobs.availableAt, me.availableAt), and(eq(jobs.availableAt, me.availableAt), lt(jobs.id, me.id))))),
          ),
        )
        .get();
      return (ahead?.n ?? 0) + 1;
    },

    async depth() {
      return db.select({ n: count() }).from(jobs).where(and(eq(jobs.kind, "run"), eq(jobs.status, "queued"))).get()?.n ?? 0;
    },

    async listLeased() {
      return db
        .select({
          jobId: jobs.id,
          runId: runs.id,
          owner: jobs.leaseOwner,
          leaseExpiresAt: jobs.leaseExpiresAt,
          attempts: jobs.attempts,
          maxAttempts: jobs.maxAttempts,
          cancelRequested: jobs.cancelRequested,
          containerId: runs.containerId,
        })
        .from(jobs)
        .innerJoin(runs, eq(runs.id, jobs.runId))
        .where(eq(jobs.status, "leased"))
        .all();
    },

    async enqueueDocumentJob({ documentId, now, maxAttempts = 3 }) {
      // the partial unique index jobs_active_subject_uq makes a second active job a no-op
      const row = db
        .insert(jobs)
        .values({ id: Bun.randomUUIDv7(), kind: "document", subjectId: documentId, status: "queued", maxAttempts, availableAt: now, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: jobs.id })
        .get();
      return row !== undefined;
    },

    async claimDocumentJob({ owner, leaseMs, now }) {
      const available = and(eq(jobs.kind, "document"), eq(jobs.status, "queued"), lte(jobs.availableAt, now));
      if (!db.select({ id: jobs.id }).from(jobs).where(available).limit(1).get()) return null;
      return db.transaction(
        (tx): DocumentJobLease | null => {
          const next = tx.select({ id: jobs.id }).from(jobs).where(available).orderBy(asc(jobs.availableAt), asc(jobs.id)).limit(1).get();
          if (!next) return null;
          const leaseExpiresAt = addMs(now, leaseMs);
          const job = tx
            .update(jobs)
            .set({ status: "leased", leaseOwner: owner, leaseExpiresAt, attempts: sql`${jobs.attempts} + 1` })
            .where(eq(jobs.id, next.id))
            .returning({ subjectId: jobs.subjectId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
            .get()!;
          return { jobId: next.id, documentId: job.subjectId ?? "", owner, attempts: job.attempts, maxAttempts: job.maxAttempts, leaseExpiresAt };
        },
        { behavior: "immediate" },
      );
    },

    async completeDocumentJob({ jobId, owner }) {
      const row = db
        .update(jobs)
        .set({ status: "done", leaseExpiresAt: null })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
        .returning({ id: jobs.id })
        .get();
      return row !== undefined;
    },

    async releaseDocumentJob({ jobId, owner, availableAt }) {
      const row = db
        .update(jobs)
        .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
        .returning({ id: jobs.id })
        .get();
      return row !== undefined;
    },

    async reapExpiredDocumentJobs({ now }) {
      const expired = db
        .select({ id: jobs.id, subjectId: jobs.subjectId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts, cancelRequested: jobs.cancelRequested })
        .from(jobs)
        .where(and(eq(jobs.kind, "document"), eq(jobs.status, "leased"), lt(jobs.leaseExpiresAt, now)))
        .all();
      const out: DocumentReapOutcome[] = [];
      for (const job of expired) {
        const retry = job.attempts < job.maxAttempts && !job.cancelRequested;
        // still expired at the moment of the write: a heartbeat in between wins
        const hit = db
          .update(jobs)
          .set(retry ? { status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt: now } : { status: "done", leaseExpiresAt: null })
          .where(and(eq(jobs.id, job.id), eq(jobs.status, "leased"), lt(jobs.leaseExpiresAt, now)))
          .returning({ id: jobs.id })
          .get();
        if (hit && job.subjectId) out.push({ documentId: job.subjectId, outcome: retry ? "requeued" : "failed" });
      }
      return out;
    },

    async listLeasedDocumentJobs() {
      return db
        .select({ jobId: jobs.id, documentId: sql<string>`coalesce(${jobs.subjectId}, '')`, owner: jobs.leaseOwner, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
        .from(jobs)
        .where(and(eq(jobs.kind, "document"), eq(jobs.status, "leased")))
        .all();
    },

    async activeDocumentJobs(documentIds) {
      const out = new Set<string>();
      for (let i = 0; i < documentIds.length; i += 500) {
        const rows = db
          .select({ subjectId: jobs.subjectId })
          .from(jobs)
          .where(and(eq(jobs.kind, "document"), inArray(jobs.subjectId, documentIds.slice(i, i + 500)), inArray(jobs.status, ["queued", "leased"])))
          .all();
        for (const r of rows) if (r.subjectId) out.add(r.subjectId);
      }
      return out;
    },

    async cancelDocumentJobs(documentId) {
      const mine = and(eq(jobs.kind, "document"), eq(jobs.subjectId, documentId));
      db.transaction(
        (tx) => {
          tx.update(jobs).set({ status: "done", cancelRequested: true }).where(and(mine, eq(jobs.status, "queued"))).run();
          tx.update(jobs).set({ cancelRequested: true }).where(and(mine, eq(jobs.status, "leased"))).run();
        },
        { behavior: "immediate" },
      );
    },

    async runStatuses(runIds) {
      const out = new Map<string, RunStatus>();
      for (let i = 0; i < runIds.length; i += 500) {
        const rows = db
          .select({ id: runs.id, status: runs.status })
          .from(runs)
          .where(inArray(runs.id, runIds.slice(i, i + 500)))
          .all();
        for (const r of rows) out.set(r.id, r.status);
      }
      return out;
    },
  };
}

export function createQueueRepositoryPg(db: PgDb): QueueRepository {
  const { runs, jobs, runFiles, artifacts, toolState } = pg;
  const { tools, toolVersions } = pgTools;
  type Tx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

  async function reapOne(tx: Tx, job: { id: string; runId: string | null; attempts: number; maxAttempts: number }, guard: ReturnType<typeof and>, now: Date, message: string): Promise<ReapOutcome | null> {
    const retry = job.attempts < job.maxAttempts;
    const [hit] = await tx
      .update(jobs)
      .set(retry ? { status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt: now } : { status: "done", leaseExpiresAt: null })
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "leased"), guard))
      .returning({ id: jobs.id });
    if (!hit) return null;
    await tx
      .update(runs)
      .set(retry ? requeuedRunSet : failedRunSet(message, now))
      .where(eq(runs.id, runOf(job)));
    return { runId: runOf(job), outcome: retry ? "requeued" : "failed" };
  }

  return {
    async claim({ owner, leaseMs, now }) {
      return db.transaction(async (tx): Promise<JobLease | null> => {
        const [next] = await tx
          .select({ id: jobs.id, runId: jobs.runId })
          .from(jobs)
          .where(and(eq(jobs.kind, "run"), eq(jobs.status, "queued"), lte(jobs.availableAt, now)))
          .orderBy(desc(jobs.priority), asc(jobs.availableAt), asc(jobs.id))
          .limit(1)
          .for("update", { skipLocked: true });
        if (!next) return null;
        const leaseExpiresAt = addMs(now, leaseMs);
        const [job] = await tx
          .update(jobs)
          .set({ status: "leased", leaseOwner: owner, leaseExpiresAt, attempts: sql`${jobs.attempts} + 1` })
          .where(eq(jobs.id, next.id))
          .returning({ attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
        const runId = runOf(next);
        const [run] = await tx.update(runs).set({ status: "running", startedAt: now }).where(eq(runs.id, runId)).returning({ queuedAt: runs.queuedAt });
        if (!job || !run) throw new Error(`job ${next.id} or its run ${runId} vanished while locked`);
        return { jobId: next.id, runId, owner, attempts: job.attempts, maxAttempts: job.maxAttempts, leaseExpiresAt, queuedAt: run.queuedAt, startedAt: now };
      });
    },

    async getRunWork(runId) {
      const [row] = await db
        .select({
          runId: runs.id,
          toolId: runs.toolId,
          toolSlug: tools.slug,
          toolVersionId: runs.toolVersionId,
          versionNumber: toolVersions.number,
          userId: runs.userId,
          kind: runs.kind,
          inputs: runs.inputs,
          action: runs.action,
          context: runs.context,
          queuedAt: runs.queuedAt,
          source: toolVersions.source,
          entrypoint: toolVersions.entrypoint,
          settingsSchema: toolVersions.settingsSchema,
        })
        .from(runs)
        .innerJoin(tools, eq(tools.id, runs.toolId))
        .innerJoin(toolVersions, eq(toolVersions.id, runs.toolVersionId))
        .where(eq(runs.id, runId));
      if (!row) return null;
      const files = await db.select({ name: runFiles.name, bytes: runFiles.bytes, storageKey: runFiles.storageKey }).from(runFiles).where(eq(runFiles.runId, runId)).orderBy(asc(runFiles.id));
      return { ...row, action: row.action ?? null, settingsSchema: row.settingsSchema ?? null, files };
    },

    async heartbeat({ jobId, owner, leaseMs, now }) {
      const [row] = await db
        .update(jobs)
        .set({ leaseExpiresAt: addMs(now, leaseMs) })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
        .returning({ cancelRequested: jobs.cancelRequested });
      return row ? { held: true, cancelRequested: row.cancelRequested } : { held: false, cancelRequested: false };
    },

    async setContainerId({ jobId, owner, runId, containerId }) {
      return db.transaction(async (tx) => {
        const [held] = await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.id, jobId), eq(jobs.runId, runId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
          .for("update");
        if (!held) return false;
        await tx.update(runs).set({ containerId }).where(eq(runs.id, runId));
        return true;
      });
    },

    async finalize(f) {
      try {
        await db.transaction(async (tx) => {
          // the row lock taken here serializes finalize against reap, take-over and cancel
          const [job] = await tx
            .update(jobs)
            .set({ status: "done", leaseExpiresAt: null })
            .where(and(eq(jobs.id, f.jobId), eq(jobs.runId, f.runId), eq(jobs.leaseOwner, f.owner), eq(jobs.status, "leased")))
            .returning({ id: jobs.id });
          if (!job) throw new LeaseLost();
          let stateRev: number | null = null;
          if (f.toolState) {
            const { userId, toolId, context, state } = f.toolState;
            const [row] = await tx
              .insert(toolState)
              .values({ userId, toolId, context, state: state ?? {}, rev: 1, updatedAt: f.finishedAt })
              .onConflictDoUpdate({
                target: [toolState.userId, toolState.toolId, toolState.context],
                set: { rev: sql`${toolState.rev} + 1`, updatedAt: f.finishedAt, ...(state === null ? {} : { state: sql`excluded.state` }) },
              })
              .returning({ rev: toolState.rev });
            stateRev = row?.rev ?? null;
          }
          await tx.update(runs).set(finalRunSet(f, stateRev)).where(eq(runs.id, f.runId));
          if (f.artifacts.length) await tx.insert(artifacts).values(f.artifacts.map((a) => ({ ...a, runId: f.runId, createdAt: f.finishedAt })));
        });
        return true;
      } catch (e) {
        if (e instanceof LeaseLost) return false;
        throw e;
      }
    },

    async release({ jobId, owner, availableAt }) {
      return db.transaction(async (tx) => {
        const [job] = await tx
          .update(jobs)
          .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt })
          .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
          .returning({ id: jobs.id, runId: jobs.runId });
        if (!job) return false;
        await tx.update(runs).set(requeuedRunSet).where(eq(runs.id, runOf(job)));
        return true;
      });
    },

    async reapExpired({ now, message }) {
      const expired = await db
        .select({ id: jobs.id, runId: jobs.runId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
        .from(jobs)
        .where(and(eq(jobs.kind, "run"), eq(jobs.status, "leased"), lt(jobs.leaseExpiresAt, now)));
      const out: ReapOutcome[] = [];
      for (const job of expired) {
        const r = await db.transaction((tx) => reapOne(tx, job, lt(jobs.leaseExpiresAt, now), now, message));
        if (r) out.push(r);
      }
      return out;
    },

    async requeueOrFail({ jobId, owner, now, message }) {
      return db.transaction(async (tx) => {
        const [job] = await tx.select({ id: jobs.id, runId: jobs.runId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts }).from(jobs).where(eq(jobs.id, jobId));
        return job ? reapOne(tx, job, eq(jobs.leaseOwner, owner), now, message) : null;
      });
    },

    async takeOver({ jobId, fromOwner, toOwner, leaseMs, now }) {
      const leaseExpiresAt = addMs(now, leaseMs);
      const [job] = await db
        .update(jobs)
        .set({ leaseOwner: toOwner, leaseExpiresAt })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, fromOwner), eq(jobs.status, "leased")))
        .returning({ id: jobs.id, runId: jobs.runId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
      if (!job) return null;
      const runId = runOf(job);
      const [run] = await db.select({ queuedAt: runs.queuedAt, startedAt: runs.startedAt }).from(runs).where(eq(runs.id, runId));
      if (!run) return null;
      return { jobId, runId, owner: toOwner, attempts: job.attempts, maxAttempts: job.maxAttempts, leaseExpiresAt, queuedAt: run.queuedAt, startedAt: run.startedAt ?? now };
    },

    async requestCancel({ runId, now, message }) {
      return db.transaction(async (tx): Promise<CancelOutcome> => {
        // locks the job row: a claim in progress finishes first (or skips this row), never both
        const [job] = await tx.select({ id: jobs.id, status: jobs.status }).from(jobs).where(eq(jobs.runId, runId)).for("update");
        if (job?.status === "queued") {
          await tx.update(jobs).set({ status: "done", cancelRequested: true }).where(eq(jobs.id, job.id));
          await tx.update(runs).set({ status: "cancelled", errorSummary: message, finishedAt: now }).where(eq(runs.id, runId));
          return "cancelled";
        }
        if (job?.status === "leased") {
          await tx.update(jobs).set({ cancelRequested: true }).where(eq(jobs.id, job.id));
          return "requested";
        }
        const [run] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
        return run ? "finished" : "not_found";
      });
    },

    async queuePosition(runId) {
      const [me] = await db.select({ id: jobs.id, priority: jobs.priority, availableAt: jobs.availableAt }).from(jobs).where(and(eq(jobs.runId, runId), eq(jobs.status, "queued")));
      if (!me) return null;
      const [ahead] = await db
        .select({ n: count() })
        .from(jobs)
        .where(
          and(
            eq(jobs.kind, "run"),
            eq(jobs.status, "queued"),
            or(gt(jobs.priority, me.priority), and(eq(jobs.priority, me.priority), or(lt(jobs.availableAt, me.availableAt), and(eq(jobs.availableAt, me.availableAt), lt(jobs.id, me.id))))),
          ),
        );
      return (ahead?.n ?? 0) + 1;
    },

    async depth() {
      const [row] = await db.select({ n: count() }).from(jobs).where(and(eq(jobs.kind, "run"), eq(jobs.status, "queued")));
      return row?.n ?? 0;
    },

    async listLeased() {
      return db
        .select({
          jobId: jobs.id,
          runId: runs.id,
          owner: jobs.leaseOwner,
          leaseExpiresAt: jobs.leaseExpiresAt,
          attempts: jobs.attempts,
          maxAttempts: jobs.maxAttempts,
          cancelRequested: jobs.cancelRequested,
          containerId: runs.containerId,
        })
        .from(jobs)
        .innerJoin(runs, eq(runs.id, jobs.runId))
        .where(eq(jobs.status, "leased"));
    },

    async enqueueDocumentJob({ documentId, now, maxAttempts = 3 }) {
      // the partial unique index jobs_active_subject_uq makes a second active job a no-op
      const rows = await db
        .insert(jobs)
        .values({ id: Bun.randomUUIDv7(), kind: "document", subjectId: documentId, status: "queued", maxAttempts, availableAt: now, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: jobs.id });
      return rows.length > 0;
    },

    async claimDocumentJob({ owner, leaseMs, now }) {
      return db.transaction(async (tx): Promise<DocumentJobLease | null> => {
        const [next] = await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.kind, "document"), eq(jobs.status, "queued"), lte(jobs.availableAt, now)))
          .orderBy(asc(jobs.availableAt), asc(jobs.id))
          .limit(1)
          .for("update", { skipLocked: true });
        if (!next) return null;
        const leaseExpiresAt = addMs(now, leaseMs);
        const [job] = await tx
          .update(jobs)
          .set({ status: "leased", leaseOwner: owner, leaseExpiresAt, attempts: sql`${jobs.attempts} + 1` })
          .where(eq(jobs.id, next.id))
          .returning({ subjectId: jobs.subjectId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts });
        if (!job) throw new Error(`job ${next.id} vanished while locked`);
        return { jobId: next.id, documentId: job.subjectId ?? "", owner, attempts: job.attempts, maxAttempts: job.maxAttempts, leaseExpiresAt };
      });
    },

    async completeDocumentJob({ jobId, owner }) {
      const rows = await db
        .update(jobs)
        .set({ status: "done", leaseExpiresAt: null })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
        .returning({ id: jobs.id });
      return rows.length > 0;
    },

    async releaseDocumentJob({ jobId, owner, availableAt }) {
      const rows = await db
        .update(jobs)
        .set({ status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt })
        .where(and(eq(jobs.id, jobId), eq(jobs.leaseOwner, owner), eq(jobs.status, "leased")))
        .returning({ id: jobs.id });
      return rows.length > 0;
    },

    async reapExpiredDocumentJobs({ now }) {
      const expired = await db
        .select({ id: jobs.id, subjectId: jobs.subjectId, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts, cancelRequested: jobs.cancelRequested })
        .from(jobs)
        .where(and(eq(jobs.kind, "document"), eq(jobs.status, "leased"), lt(jobs.leaseExpiresAt, now)));
      const out: DocumentReapOutcome[] = [];
      for (const job of expired) {
        const retry = job.attempts < job.maxAttempts && !job.cancelRequested;
        const [hit] = await db
          .update(jobs)
          .set(retry ? { status: "queued", leaseOwner: null, leaseExpiresAt: null, availableAt: now } : { status: "done", leaseExpiresAt: null })
          .where(and(eq(jobs.id, job.id), eq(jobs.status, "leased"), lt(jobs.leaseExpiresAt, now)))
          .returning({ id: jobs.id });
        if (hit && job.subjectId) out.push({ documentId: job.subjectId, outcome: retry ? "requeued" : "failed" });
      }
      return out;
    },

    async listLeasedDocumentJobs() {
      return db
        .select({ jobId: jobs.id, documentId: sql<string>`coalesce(${jobs.subjectId}, '')`, owner: jobs.leaseOwner, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
        .from(jobs)
        .where(and(eq(jobs.kind, "document"), eq(jobs.status, "leased")));
    },

    async activeDocumentJobs(documentIds) {
      const out = new Set<string>();
      for (let i = 0; i < documentIds.length; i += 500) {
        const rows = await db
          .select({ subjectId: jobs.subjectId })
          .from(jobs)
          .where(and(eq(jobs.kind, "document"), inArray(jobs.subjectId, documentIds.slice(i, i + 500)), inArray(jobs.status, ["queued", "leased"])));
        for (const r of rows) if (r.subjectId) out.add(r.subjectId);
      }
      return out;
    },

    async cancelDocumentJobs(documentId) {
      const mine = and(eq(jobs.kind, "document"), eq(jobs.subjectId, documentId));
      await db.transaction(async (tx) => {
        await tx.update(jobs).set({ status: "done", cancelRequested: true }).where(and(mine, eq(jobs.status, "queued")));
        await tx.update(jobs).set({ cancelRequested: true }).where(and(mine, eq(jobs.status, "leased")));
      });
    },

    async runStatuses(runIds) {
      const out = new Map<string, RunStatus>();
      for (let i = 0; i < runIds.length; i += 500) {
        const rows = await db
          .select({ id: runs.id, status: runs.status })
          .from(runs)
          .where(inArray(runs.id, runIds.slice(i, i + 500)));
        for (const r of rows) out.set(r.id, r.status);
      }
      return out;
    },
  };
}

export function createQueueRepository(store: Store): QueueRepository {
  return store.dialect === "sqlite" ? createQueueRepositorySqlite(store.db) : createQueueRepositoryPg(store.db);
}
