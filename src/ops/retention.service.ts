// Retention: removes data older than its [retention] period — finished runs with their files, the
// editor's sandbox snapshots no run uses any more, login events, ended sessions and e-mail links,
// audit events, documents with their files, expired or revoked API keys, ended device sign-ins and
// finished webhook deliveries — or, as a dry run, only counts it. Rows go first, in short batches; a
// run's or document's files are deleted after its rows have committed, so a failure in between leaves
// an unreachable file (logged and reported), never a row pointing at a missing file.
// A real prune is audited and its report kept for the admin page (the newest KEEP_REPORTS).
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import type { Metrics } from "./metrics";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { recordAudit } from "../audit/audit.service";
import { createDocumentsRepository, type DocumentsRepository } from "../documents/documents.repository";
import { createRetentionRepository, type Removed, type RetentionRepository, type SimpleKind } from "./retention.repository";
import { retentionPlan, type RetentionItem, type RetentionPlanEntry, type RetentionReport } from "./retention.rules";

export type RetentionDeps = {
  repo: RetentionRepository;
  /** the documents feature's own delete, which also keeps its search index in step */
  documents: Pick<DocumentsRepository, "delete">;
  blobStore: BlobStore;
  audit: AuditRepository;
  config: Pick<Config, "retention" | "server">;
  log: Logger;
  now: () => Date;
  /** serve passes its registry so /metrics shows the last prune; the CLI has no /metrics to show it on */
  metrics?: RetentionMetrics;
};

export type RetentionMetrics = Pick<Metrics, "retentionLastRun" | "retentionRemoved">;

export function createRetentionDeps(opts: {
  store: Store;
  config: Pick<Config, "retention" | "server" | "storage">;
  log: Logger;
  blobStore?: BlobStore;
  now?: () => Date;
  metrics?: RetentionMetrics;
}): RetentionDeps {
  return {
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    repo: createRetentionRepository(opts.store),
    documents: createDocumentsRepository(opts.store),
    blobStore: opts.blobStore ?? createFsBlobStore(opts.config.storage.data_dir),
    audit: createAuditRepository(opts.store),
    config: opts.config,
    log: opts.log,
    now: opts.now ?? (() => new Date()),
  };
}

/** Runs per transaction (each with a few child rows); rows per transaction for the simple tables. */
export const RUN_BATCH = 200;
export const ROW_BATCH = 2000;
/** Reports kept for the admin page. */
export const KEEP_REPORTS = 30;

const MINUTE_MS = 60_000;

export async function pruneRetention(deps: RetentionDeps, { dryRun, trigger }: { dryRun: boolean; trigger: RetentionReport["trigger"] }): Promise<RetentionReport> {
  const startedAt = deps.now();
  const errors: string[] = [];
  const items: RetentionItem[] = [];
  for (const entry of retentionPlan(deps.config, startedAt)) {
    const base = { kind: entry.kind, key: entry.key, days: entry.days, cutoff: entry.cutoff.toISOString() };
    items.push({ ...base, ...(await pruneKind(deps, entry, dryRun, errors)) });
  }
  const report: RetentionReport = { trigger, dry_run: dryRun, started_at: startedAt.toISOString(), finished_at: deps.now().toISOString(), items, errors };
  if (!dryRun) {
    await deps.repo.saveReport({ id: Bun.randomUUIDv7(), trigger, startedAt, finishedAt: new Date(report.finished_at), report }, KEEP_REPORTS);
    await recordAudit(deps, {
      // the daily schedule acts for nobody: audited like other system actions, with no actor
      actor: trigger === "cli" ? { kind: "cli" } : { kind: "anonymous" },
      action: "retention.pruned",
      target: null,
      before: null,
      after: { items: items.filter((i) => !i.skipped).map((i) => ({ kind: i.kind, rows: i.rows, files: i.files, bytes: i.bytes })) },
    });
    if (deps.metrics) recordPruneMetrics(deps.metrics, report);
  }
  deps.log.info(dryRun ? "retention dry run" : "retention pruned", {
    trigger,
    removed: Object.fromEntries(items.filter((i) => !i.skipped).map((i) => [i.kind, { rows: i.rows, files: i.files, bytes: i.bytes }])),
    errors: errors.length,
  });
  if (errors.length) deps.log.warn("retention could not remove some files", { errors: errors.slice(0, 10) });
  return report;
}

/** A real prune's report into the metrics: its finish time, and what it removed by kind (files apart). */
export function recordPruneMetrics(metrics: RetentionMetrics, report: RetentionReport): void {
  let files = 0;
  for (const i of report.items) {
    if (i.skipped) continue;
    // inc(0) still creates the series, so every kind is visible (as 0) after the first prune
    metrics.retentionRemoved.inc({ kind: i.kind }, i.rows);
    files += i.files;
  }
  metrics.retentionRemoved.inc({ kind: "files" }, files);
  metrics.retentionLastRun.set(Date.parse(report.finished_at) / 1000);
}

/**
 * The gauge from the newest stored report, when serve starts: a restart must not look like retention
 * never ran (the alert would fire), and prunes by `skriptoteket retention prune` (cron) count too.
 */
async function seedLastRun(deps: RetentionDeps, metrics: RetentionMetrics): Promise<void> {
  try {
    const last = await deps.repo.lastReport();
    // a prune that finished meanwhile has set a newer time already
    if (last) metrics.retentionLastRun.set(Math.max(last.finishedAt.getTime() / 1000, (await metrics.retentionLastRun.get()).values[0]?.value ?? 0));
  } catch (error) {
    deps.log.warn("could not read the last retention report for the metrics", { error });
  }
}

async function pruneKind(deps: RetentionDeps, entry: RetentionPlanEntry, dryRun: boolean, errors: string[]): Promise<Removed> {
  switch (entry.kind) {
    case "runs":
    case "sandbox_runs":
      return pruneRuns(deps, entry, dryRun, errors);
    case "sandbox_snapshots":
      return pruneSnapshots(deps, entry, dryRun);
    case "documents":
      return pruneDocuments(deps, entry, dryRun, errors);
    default:
      return pruneRows(deps, entry, entry.kind, dryRun);
  }
}

async function pruneRuns(deps: RetentionDeps, entry: RetentionPlanEntry, dryRun: boolean, errors: string[]): Promise<Removed> {
  const sel = { kind: entry.kind === "sandbox_runs" ? ("sandbox" as const) : ("production" as const), cutoff: entry.cutoff };
  if (dryRun) return deps.repo.countRuns(sel);
  const total: Removed = { rows: 0, files: 0, bytes: 0 };
  for (;;) {
    const batch = await deps.repo.deleteRuns(sel, RUN_BATCH);
    total.rows += batch.rows;
    total.files += batch.files;
    total.bytes += batch.bytes;
    for (const runId of batch.runIds) {
      // every file of a run lives under runs/<id>/ (inputs and artifacts)
      await deps.blobStore.deletePrefix(`runs/${runId}`).catch((e: unknown) => errors.push(`files of run ${runId} were not removed: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (batch.rows < RUN_BATCH) return total;
  }
}

async function pruneRows(deps: RetentionDeps, entry: RetentionPlanEntry, kind: SimpleKind, dryRun: boolean): Promise<Removed> {
  // a session unused for its whole idle timeout has ended, even while its absolute expiry is ahead
  const idleCutoff = new Date(entry.cutoff.getTime() - deps.config.server.session_idle_minutes * MINUTE_MS);
  const sel = { cutoff: entry.cutoff, idleCutoff };
  if (dryRun) return { rows: await deps.repo.count(kind, sel), files: 0, bytes: 0 };
  let rows = 0;
  for (;;) {
    const n = await deps.repo.deleteBatch(kind, sel, ROW_BATCH);
    rows += n;
    if (n < ROW_BATCH) return { rows, files: 0, bytes: 0 };
  }
}

/**
 * The editor stores each buffer it test-runs as a snapshot (a tool_versions row numbered ≤ 0) and
 * reuses it while the buffer is unchanged. One goes once it is older than the sandbox-run period and
 * no run uses it — the sandbox runs of that age were removed just before. A reused old snapshot has a
 * recent run and stays.
 */
async function pruneSnapshots(deps: RetentionDeps, entry: RetentionPlanEntry, dryRun: boolean): Promise<Removed> {
  if (dryRun) return { rows: await deps.repo.countSnapshots(entry.cutoff), files: 0, bytes: 0 };
  let rows = 0;
  for (;;) {
    const batch = await deps.repo.deleteSnapshots(entry.cutoff, RUN_BATCH);
    rows += batch.rows;
    if (batch.picked < RUN_BATCH) return { rows, files: 0, bytes: 0 };
  }
}

/**
 * Documents uploaded before the cutoff, one by one through the documents feature's delete (the row
 * with its pages, category links and search-index row), then the original file. Documents the
 * pipeline is still working on are left for the next prune.
 */
async function pruneDocuments(deps: RetentionDeps, entry: RetentionPlanEntry, dryRun: boolean, errors: string[]): Promise<Removed> {
  if (dryRun) return deps.repo.countDocuments(entry.cutoff);
  const total: Removed = { rows: 0, files: 0, bytes: 0 };
  for (;;) {
    const batch = await deps.repo.expiredDocuments(entry.cutoff, RUN_BATCH);
    const removed: string[] = [];
    for (const d of batch) {
      // null: the owner deleted it meanwhile, and its file with it
      const gone = await deps.documents.delete(d.userId, d.id);
      if (!gone) continue;
      removed.push(d.id);
      total.rows += 1;
      total.files += 1;
      total.bytes += d.bytes;
      await deps.blobStore.delete(gone.storageKey).catch((e: unknown) => errors.push(`file of document ${d.id} was not removed: ${e instanceof Error ? e.message : String(e)}`));
    }
    await deps.repo.deleteDocumentJobs(removed);
    if (batch.length < RUN_BATCH) return total;
  }
}

export type RetentionSchedule = { stop(): Promise<void>; /** settles once the metrics hold the last stored prune */ ready: Promise<void> };

export type ScheduleOptions = { firstDelayMs?: number; intervalMs?: number };

/**
 * The daily prune inside `serve`: the first a few minutes after start (so a server that was down
 * catches up without slowing its own start), then every 24 hours. Off when [retention] enabled =
 * false. `stop()` cancels the timer and waits for a prune in progress.
 */
export function startRetentionSchedule(deps: RetentionDeps, { firstDelayMs = 5 * MINUTE_MS, intervalMs = 24 * 60 * MINUTE_MS }: ScheduleOptions = {}): RetentionSchedule {
  // seeded also when the schedule is off: a site pruning by cron still shows when it last did
  const ready = deps.metrics ? seedLastRun(deps, deps.metrics) : Promise.resolve();
  if (!deps.config.retention.enabled) {
    deps.log.info("retention schedule is off ([retention] enabled = false)");
    return { stop: () => ready, ready };
  }
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    if (stopped) return;
    if (!running) {
      running = pruneRetention(deps, { dryRun: false, trigger: "schedule" })
        .then(() => undefined)
        .catch((error: unknown) => deps.log.error("scheduled retention prune failed", { error }))
        .finally(() => {
          running = null;
        });
    }
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  // unref: the schedule never keeps a process alive on its own
  timer = setTimeout(tick, firstDelayMs);
  timer.unref();
  deps.log.info("retention schedule started", { first_in_seconds: Math.round(firstDelayMs / 1000), every_hours: intervalMs / 3_600_000 });
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ready;
      await running;
    },
  };
}
