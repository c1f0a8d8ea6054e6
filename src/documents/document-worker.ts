// The document pipeline's workers: jobs of kind "document" from the same durable queue as runs
// (queue.repository.ts) with the same lease rules — claimed with a lease, kept alive by heartbeats,
// completed only by the holder, reaped when the holder dies. Separate from the run workers because
// they need no Docker and must not take run slots (a long AI call would block tool runs).
//
// Crash safety, so no document stays in progress:
// - at start, leases of dead holders on this host (lease-owner.ts) are requeued at once (or the
//   document fails once its attempts are used up), without waiting for the lease to expire;
// - housekeeping reaps expired leases (any host) the same way;
// - a sweep fails documents still "extracting"/"classifying" without an active job (the process died
//   between its last write and the job's completion), and queues "uploaded" ones that have no job
//   (the process died between storing the upload and queueing it): no upload is lost.
//
//   const docs = startDocumentWorkers({ store, config, log, blobStore });   // serve / worker
//   createDocumentsDeps({ …, notifyQueued: docs.wake }); on SIGTERM: await docs.stop();
import { closeSharedPdfTextPool } from "./pdf-text-pool";
import { aiClientFor } from "../ai/ai-client";
import type { Config } from "../config/config.keys";
import { createOwnerId, isOwnerGone, registerLiveOwner, unregisterLiveOwner } from "../execution/lease-owner";
import { createQueueRepository, type DocumentJobLease, type QueueRepository } from "../execution/queue.repository";
import type { Logger } from "../log/logger";
import type { BlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { processDocument, type PipelineDeps } from "./document-pipeline";
import { DocumentFailures } from "./documents.errors";
import { createDocumentsRepository } from "./documents.repository";

export type DocumentWorkerOptions = {
  owner?: string;
  concurrency?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  housekeepingMs?: number;
  /** How long a document may sit in progress without an active job before the sweep acts. */
  sweepAfterMs?: number;
};

export type DocumentWorkerHandle = {
  readonly owner: string;
  /** Resolves when the start-up requeue of dead holders' jobs is done. */
  readonly adopted: Promise<void>;
  wake(): void;
  inFlight(): number;
  /** One housekeeping pass now (tests; the timer runs it every housekeepingMs). */
  housekeeping(): Promise<void>;
  stop(options?: { graceMs?: number }): Promise<void>;
};

const DEFAULTS = { concurrency: 1, leaseMs: 30_000, heartbeatMs: 2_000, pollMs: 500, housekeepingMs: 5_000, sweepAfterMs: 60_000 };

export function startDocumentWorkersWith(deps: PipelineDeps & { queue: QueueRepository }, options: DocumentWorkerOptions = {}): DocumentWorkerHandle {
  const o = { ...DEFAULTS, ...options };
  const owner = options.owner ?? createOwnerId();
  const { queue, documents, log } = deps;
  registerLiveOwner(owner);
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  let stopping = false;
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

  async function failInterrupted(documentId: string): Promise<void> {
    await documents.fail(documentId, { code: DocumentFailures.defs.interrupted.code, detail: "the job's attempts were used up by interrupted workers" }, deps.now());
  }

  async function runJob(lease: DocumentJobLease, abort: AbortController): Promise<void> {
    // heartbeats keep the lease; a lost lease or a cancel (document deleted) stops the pipeline
    const beat = setInterval(() => {
      queue
        .heartbeat({ jobId: lease.jobId, owner, leaseMs: o.leaseMs, now: deps.now() })
        .then((h) => {
          if (!h.held || h.cancelRequested) abort.abort(new Error(h.held ? "cancelled" : "lease lost"));
        })
        .catch((err: unknown) => log.warn("document worker: heartbeat failed", { job_id: lease.jobId, error: String(err) }));
    }, o.heartbeatMs);
    try {
      await processDocument(deps, lease.documentId, abort.signal);
    } catch (err) {
      if (abort.signal.aborted) {
        log.info("document job stopped", { document_id: lease.documentId, reason: String(abort.signal.reason) });
      } else {
        log.error("document pipeline crashed", { document_id: lease.documentId, error: err instanceof Error ? err : String(err) });
        await documents.fail(lease.documentId, { code: DocumentFailures.defs.failed.code, detail: err instanceof Error ? err.message : String(err) }, deps.now()).catch(() => false);
      }
    } finally {
      clearInterval(beat);
    }
    // stopping mid-job (SIGTERM): leave the lease; the next start requeues it at once
    if (stopping && abort.signal.aborted) return;
    if (!(await queue.completeDocumentJob({ jobId: lease.jobId, owner }))) return;
    // A reprocess right after the pipeline's last write found this job still active, so its own job
    // was not created; the document waits as "uploaded": queue it now (a duplicate is a no-op).
    if ((await documents.get(null, lease.documentId))?.status === "uploaded") {
      await queue.enqueueDocumentJob({ documentId: lease.documentId, now: deps.now() });
      wake();
    }
  }

  function track(lease: DocumentJobLease): void {
    const abort = new AbortController();
    const done = runJob(lease, abort)
      .catch((err: unknown) => log.error("document worker: job failed", { document_id: lease.documentId, error: err instanceof Error ? err : String(err) }))
      .finally(() => {
        running.delete(lease.jobId);
        wake();
      });
    running.set(lease.jobId, { done, abort });
  }

  async function adoptDeadHolders(): Promise<void> {
    for (const job of await queue.listLeasedDocumentJobs()) {
      if (!isOwnerGone(job.owner) || job.owner === null) continue;
      if (job.attempts >= job.maxAttempts) {
        if (await queue.completeDocumentJob({ jobId: job.jobId, owner: job.owner })) await failInterrupted(job.documentId);
      } else if (await queue.releaseDocumentJob({ jobId: job.jobId, owner: job.owner, availableAt: deps.now() })) {
        log.warn("document worker: requeued the job of a dead worker", { document_id: job.documentId, owner: job.owner });
      }
    }
  }

  async function sweep(): Promise<void> {
    const stale = await documents.listStale(["uploaded", "extracting", "classifying"], new Date(deps.now().getTime() - o.sweepAfterMs), 200);
    if (!stale.length) return;
    const active = await queue.activeDocumentJobs(stale);
    for (const id of stale.filter((s) => !active.has(s))) {
      const d = await documents.get(null, id);
      if (d?.status === "uploaded") {
        if (await queue.enqueueDocumentJob({ documentId: id, now: deps.now() })) log.warn("document worker: queued an upload that had no job", { document_id: id });
      } else if (d) {
        await failInterrupted(id);
      }
    }
  }

  let housekeepingBusy = false;
  async function housekeeping(): Promise<void> {
    if (housekeepingBusy || stopping) return;
    housekeepingBusy = true;
    try {
      await adopted;
      for (const r of await queue.reapExpiredDocumentJobs({ now: deps.now() })) {
        log.warn("document worker: reaped an expired lease", { document_id: r.documentId, outcome: r.outcome });
        if (r.outcome === "failed") await failInterrupted(r.documentId);
        else wake();
      }
      await sweep();
    } catch (err) {
      log.warn("document worker: housekeeping failed", { error: err instanceof Error ? err.message : String(err) });
    } finally {
      housekeepingBusy = false;
    }
  }

  const adopted = adoptDeadHolders().catch((err: unknown) => log.error("document worker: requeueing dead workers' jobs failed; the reaper will", { error: String(err) }));

  async function dispatch(): Promise<void> {
    await adopted;
    while (!stopping) {
      if (running.size >= o.concurrency) {
        await pause(o.pollMs);
        continue;
      }
      let lease: DocumentJobLease | null = null;
      try {
        lease = await queue.claimDocumentJob({ owner, leaseMs: o.leaseMs, now: deps.now() });
      } catch (err) {
        log.error("document worker: claiming a job failed", { error: err instanceof Error ? err.message : String(err) });
      }
      if (!lease) {
        await pause(o.pollMs);
        continue;
      }
      track(lease);
    }
  }

  const loop = dispatch();
  const timer = setInterval(() => void housekeeping(), o.housekeepingMs);
  log.info("document workers started", { owner, concurrency: o.concurrency, ai: deps.ai !== null });

  return {
    owner,
    adopted,
    wake,
    inFlight: () => running.size,
    housekeeping,
    async stop({ graceMs = 10_000 } = {}) {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      wake();
      await loop;
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const late = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timeout = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timeout);
      if (late) {
        // stop the pipelines; their leases stay and the next start requeues them
        for (const r of running.values()) r.abort.abort(new Error("shutting down"));
        await all;
      } else unregisterLiveOwner(owner);
      // the PDF text threads end with the pipelines that used them
      closeSharedPdfTextPool();
      log.info("document workers stopped", { owner });
    },
  };
}

/** The composition root's entry (serve, worker): builds the queue, repository and AI client from the config. */
export function startDocumentWorkers(input: { store: Store; config: Config; log: Logger; blobStore: BlobStore; concurrency?: number }): DocumentWorkerHandle {
  return startDocumentWorkersWith(
    {
      queue: createQueueRepository(input.store),
      documents: createDocumentsRepository(input.store),
      blobStore: input.blobStore,
      ai: aiClientFor(input.config.ai),
      config: input.config,
      log: input.log,
      now: () => new Date(),
    },
    { concurrency: input.concurrency ?? Math.max(1, input.config.ai.concurrency) },
  );
}
