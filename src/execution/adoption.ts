// After a crash or restart: nothing may stay `running`, and no sandbox container may be left behind
// (ARCHITECTURE "A run, end to end": "a restarted server adopts or fails orphaned runs").
//
// adoptOrphans, run once at start before the first claim:
//   1. leased jobs whose owner is certainly dead (lease-owner.ts: same host, process gone) or whose lease
//      has expired are orphans;
//   2. an orphan whose container still exists on our Docker host is taken over (the lease moves to us)
//      and resumed: the driver waits for it with the remaining deadline, collects its output, and the
//      run is finalized like any other;
//   3. an orphan without a container is requeued while attempts remain, else failed with the
//      "interrupted … try again" message;
//   4. containers whose run is over, or queued again, are removed (sweepRunContainers).
// Containers of runs this store does not know are left alone: on a shared Docker host they may belong to
// another Skriptoteket installation.
import { isOwnerGone } from "./lease-owner";
import type { JobLease } from "./queue.repository";
import { RUN_TEXT, systemSummary } from "./run-messages";
import { discardContainer, type JobDeps, type JobMode } from "./run-job";
import type { RunContainer } from "./runner-driver";

export type AdoptionReport = {
  /** Runs whose container is being resumed. */
  adopted: string[];
  requeued: string[];
  failed: string[];
  removedContainers: string[];
};

export async function adoptOrphans(deps: JobDeps, owner: string, start: (lease: JobLease, mode: JobMode) => void): Promise<AdoptionReport> {
  const { queue, log } = deps;
  const report: AdoptionReport = { adopted: [], requeued: [], failed: [], removedContainers: [] };
  const now = deps.now();
  const orphans = (await queue.listLeased()).filter(
    (j) => j.owner !== owner && (isOwnerGone(j.owner) || (j.leaseExpiresAt !== null && j.leaseExpiresAt.getTime() < now.getTime())),
  );
  let containers: RunContainer[] | null = null;
  try {
    containers = await deps.driver.findRunContainers();
  } catch (err) {
    // without Docker nothing can be resumed; requeued runs remove their old container when they run again
    log.warn("adoption: cannot list run containers; orphaned runs are requeued", { error: err instanceof Error ? err.message : String(err) });
  }

  for (const job of orphans) {
    if (job.owner === null) continue; // not a state the queue produces; the reaper handles it
    const container = containers?.find((c) => c.runId === job.runId);
    if (container) {
      const lease = await queue.takeOver({ jobId: job.jobId, fromOwner: job.owner, toOwner: owner, leaseMs: deps.leaseMs, now: deps.now() });
      if (!lease) continue; // someone else adopted or reaped it first
      log.info("adoption: resuming an orphaned run", { run_id: job.runId, container_id: container.containerId, previous_owner: job.owner });
      report.adopted.push(job.runId);
      start(lease, { kind: "resume", containerId: container.containerId });
      continue;
    }
    const r = await queue.requeueOrFail({ jobId: job.jobId, owner: job.owner, now: deps.now(), message: systemSummary(RUN_TEXT.interrupted) });
    if (!r) continue;
    log.warn(r.outcome === "requeued" ? "adoption: requeued an orphaned run (no container left)" : "adoption: failed an orphaned run after its last attempt", {
      run_id: job.runId,
      previous_owner: job.owner,
      attempts: job.attempts,
    });
    (r.outcome === "requeued" ? report.requeued : report.failed).push(job.runId);
  }

  if (containers) {
    const adopted = new Set(report.adopted);
    report.removedContainers = await sweepRunContainers(
      deps,
      containers.filter((c) => !adopted.has(c.runId)),
    );
  }
  log.info("adoption done", { adopted: report.adopted.length, requeued: report.requeued.length, failed: report.failed.length, removed_containers: report.removedContainers.length });
  return report;
}

/**
 * Removes containers whose run is finished or queued again: no live worker is behind them (the driver
 * removes a run's container before its result is stored, and a queued run has no container yet). A
 * container seen while its run was `running` may belong to a live run and is left alone.
 */
export async function sweepRunContainers(deps: Pick<JobDeps, "driver" | "queue" | "scratchDir" | "log">, listed?: RunContainer[]): Promise<string[]> {
  const containers = listed ?? (await deps.driver.findRunContainers());
  if (containers.length === 0) return [];
  // statuses are read AFTER the list: a container listed earlier whose run is over now is stale
  const statuses = await deps.queue.runStatuses([...new Set(containers.map((c) => c.runId))]);
  const removed: string[] = [];
  for (const c of containers) {
    const status = statuses.get(c.runId);
    if (status === undefined || status === "running") continue;
    if (await discardContainer(deps, c.containerId, c.runId)) removed.push(c.containerId);
  }
  return removed;
}
