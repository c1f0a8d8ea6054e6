// The workers of one process: a single dispatcher claims jobs while fewer than `concurrency` runs are
// in flight, and each claimed job runs in run-job.ts. Beside it, a housekeeping timer reaps expired
// leases (anyone's: every worker process does it), refreshes the queue-depth gauge and now and then
// removes containers of runs that are already over.
//
// Why one dispatcher instead of N polling loops: an idle queue then costs one cheap query per poll
// interval whatever the concurrency, and a slot that frees up claims at once (no poll delay while busy).
// Submitters in the same process call wake() so a new run starts without waiting for the next poll;
// other processes (PostgreSQL, `skriptoteket worker` elsewhere) see it within pollMs.
//
// stop(): no new claims; in-flight runs get `graceMs` to finish. Runs still going after that keep their
// containers and leases — the process is about to exit, and the next start adopts them (adoption.ts).
import type { Logger } from "../log/logger";
import { adoptOrphans, sweepRunContainers, type AdoptionReport } from "./adoption";
import { registerLiveOwner, unregisterLiveOwner } from "./lease-owner";
import { RUN_TEXT, systemSummary } from "./run-messages";
import { executeJob, type JobDeps, type JobMode, type JobResult } from "./run-job";
import type { JobLease } from "./queue.repository";

export type WorkerOptions = {
  concurrency: number;
  owner: string;
  /** Idle poll period; wake() cuts it short. */
  pollMs?: number;
  /** Reaper and queue-depth period. */
  housekeepingMs?: number;
  /** Period of the sweep for containers of finished runs. */
  sweepMs?: number;
  /** Adopt or requeue the runs of dead owners before claiming anything (serve and worker do). */
  adopt?: boolean;
  /** While Docker does not answer, how often to ping it before claiming again. */
  dockerRetryMs?: number;
};

export type WorkerHandle = {
  readonly owner: string;
  /** Resolves when adoption (if asked for) has made its decisions; adopted runs may still be running. */
  readonly adopted: Promise<AdoptionReport | null>;
  /** A run was queued: claim now instead of at the next poll. */
  wake(): void;
  /** Kills the container of a run this process is running (after queue.requestCancel); false if not here. */
  abortLocal(runId: string): boolean;
  /** Runs in flight in this process. */
  inFlight(): number;
  stop(options?: { graceMs?: number }): Promise<void>;
};

const DEFAULTS = { pollMs: 500, housekeepingMs: 5_000, sweepMs: 60_000, dockerRetryMs: 5_000 };

export function startWorkers(deps: JobDeps, options: WorkerOptions): WorkerHandle {
  const { owner, concurrency } = options;
  const pollMs = options.pollMs ?? DEFAULTS.pollMs;
  const { queue, log } = deps;
  registerLiveOwner(owner);

  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  let stopping = false;
  let dockerDown = false;
  // wake() while the dispatcher is busy (not pausing) is remembered, so its next pause returns at once
  let waiter: (() => void) | null = null;
  let woken = false;
  const wake = () => {
    const w = waiter;
    waiter = null;
    if (w) w();
    else woken = true;
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) {
        woken = false;
        return resolve();
      }
      const timer = setTimeout(() => {
        waiter = null;
        resolve();
      }, ms);
      waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  function track(lease: JobLease, mode: JobMode): void {
    const abort = new AbortController();
    const done = executeJob(deps, lease, mode, abort.signal)
      .then((r: JobResult) => {
        if (r.dockerDown) dockerDown = true;
      })
      .catch((err: unknown) => log.error("worker: job crashed", { run_id: lease.runId, error: err instanceof Error ? err : String(err) }))
      .finally(() => {
        running.delete(lease.runId);
        wake();
      });
    running.set(lease.runId, { done, abort });
  }

  const adopted: Promise<AdoptionReport | null> = options.adopt
    ? adoptOrphans(deps, owner, track).catch((err: unknown) => {
        log.error("worker: adoption of orphaned runs failed; the reaper will requeue them", { error: err instanceof Error ? err : String(err) });
        return null;
      })
    : Promise.resolve(null);

  async function waitForDocker(): Promise<void> {
    log.warn("worker: Docker does not answer; claiming paused until it does");
    while (!stopping) {
      try {
        await deps.driver.ping();
        dockerDown = false;
        log.info("worker: Docker answers again; claiming resumed");
        return;
      } catch {
        await pause(options.dockerRetryMs ?? DEFAULTS.dockerRetryMs);
      }
    }
  }

  async function dispatch(): Promise<void> {
    await adopted;
    // a daemon that is down at start would otherwise cost the first claimed run an attempt
    await deps.driver.ping().catch(() => (dockerDown = true));
    while (!stopping) {
      if (running.size >= concurrency) {
        await pause(pollMs);
        continue;
      }
      if (dockerDown) {
        await waitForDocker();
        continue;
      }
      let lease: JobLease | null;
      try {
        lease = await queue.claim({ owner, leaseMs: deps.leaseMs, now: deps.now() });
      } catch (err) {
        log.error("worker: claiming a job failed", { error: err instanceof Error ? err.message : String(err) });
        await pause(pollMs);
        continue;
      }
      if (!lease) {
        await pause(pollMs);
        continue;
      }
      deps.notify?.(lease.runId);
      track(lease, { kind: "run" });
    }
  }

  let housekeepingBusy = false;
  let lastSweep = Date.now();
  async function housekeeping(): Promise<void> {
    if (housekeepingBusy || stopping) return;
    housekeepingBusy = true;
    try {
      // the reaper must not requeue an orphan that adoption is about to resume from its container
      await adopted;
      const reaped = await queue.reapExpired({ now: deps.now(), message: systemSummary(RUN_TEXT.interrupted) });
      for (const r of reaped) log.warn("worker: reaped an expired lease", { run_id: r.runId, outcome: r.outcome });
      if (reaped.some((r) => r.outcome === "requeued")) wake();
      deps.metrics?.runQueueDepth.set(await queue.depth());
      if (Date.now() - lastSweep >= (options.sweepMs ?? DEFAULTS.sweepMs) && !dockerDown) {
        lastSweep = Date.now();
        await sweepRunContainers(deps);
      }
    } catch (err) {
      log.warn("worker: housekeeping failed", { error: err instanceof Error ? err.message : String(err) });
    } finally {
      housekeepingBusy = false;
    }
  }

  const loop = dispatch();
  const timer = setInterval(() => void housekeeping(), options.housekeepingMs ?? DEFAULTS.housekeepingMs);
  log.info("workers started", { owner, concurrency });

  return {
    owner,
    adopted,
    wake,
    abortLocal(runId) {
      const r = running.get(runId);
      if (!r) return false;
      r.abort.abort();
      return true;
    },
    inFlight: () => running.size,
    async stop({ graceMs = 30_000 } = {}) {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      wake();
      await loop;
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const late = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timeout = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timeout);
      if (late) log.warn("workers stopped with runs in flight; the next start adopts them", { owner, in_flight: running.size });
      else unregisterLiveOwner(owner);
      log.info("workers stopped", { owner });
    },
  };
}
