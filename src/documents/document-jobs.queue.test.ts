// The document-pipeline jobs of the shared queue (queue.repository.ts), on both stores: one active job
// per document, leases only the holder can use, the reaper's attempts, cancel, and no mixing with run
// jobs (run workers never claim a document job and vice versa).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createQueueRepository, type QueueRepository } from "../execution/queue.repository";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";

const T0 = new Date("2026-03-02T08:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(testStoreKinds())("document jobs in the queue (%s)", (kind) => {
  let store: Store;
  let q: QueueRepository;
  beforeAll(async () => {
    store = await openTestStore(kind);
    q = createQueueRepository(store);
  });
  afterAll(() => store.close());

  test("one active job per document; run claims and depth ignore document jobs", async () => {
    expect(await q.enqueueDocumentJob({ documentId: "d1", now: T0 })).toBe(true);
    expect(await q.enqueueDocumentJob({ documentId: "d1", now: T0 })).toBe(false);
    expect(await q.claim({ owner: "run-worker", leaseMs: 1000, now: at(1) })).toBeNull();
    expect(await q.depth()).toBe(0);
    expect(await q.activeDocumentJobs(["d1", "d2"])).toEqual(new Set(["d1"]));
  });

  test("lease: only the holder heartbeats, releases and completes; then a new job may be queued", async () => {
    const lease = (await q.claimDocumentJob({ owner: "a", leaseMs: 1000, now: at(10) }))!;
    expect(lease).toMatchObject({ documentId: "d1", owner: "a", attempts: 1, maxAttempts: 3 });
    expect(await q.claimDocumentJob({ owner: "b", leaseMs: 1000, now: at(11) })).toBeNull();
    expect(await q.heartbeat({ jobId: lease.jobId, owner: "b", leaseMs: 1000, now: at(12) })).toEqual({ held: false, cancelRequested: false });
    expect(await q.heartbeat({ jobId: lease.jobId, owner: "a", leaseMs: 1000, now: at(12) })).toEqual({ held: true, cancelRequested: false });
    expect(await q.releaseDocumentJob({ jobId: lease.jobId, owner: "b", availableAt: at(13) })).toBe(false);
    expect(await q.releaseDocumentJob({ jobId: lease.jobId, owner: "a", availableAt: at(500) })).toBe(true);
    expect(await q.claimDocumentJob({ owner: "b", leaseMs: 1000, now: at(100) })).toBeNull(); // not available yet
    const again = (await q.claimDocumentJob({ owner: "b", leaseMs: 1000, now: at(600) }))!;
    expect(again.attempts).toBe(2);
    expect(await q.listLeasedDocumentJobs()).toEqual([{ jobId: again.jobId, documentId: "d1", owner: "b", attempts: 2, maxAttempts: 3 }]);
    expect(await q.completeDocumentJob({ jobId: again.jobId, owner: "a" })).toBe(false);
    expect(await q.completeDocumentJob({ jobId: again.jobId, owner: "b" })).toBe(true);
    expect(await q.activeDocumentJobs(["d1"])).toEqual(new Set());
    expect(await q.enqueueDocumentJob({ documentId: "d1", now: at(700) })).toBe(true);
    const third = (await q.claimDocumentJob({ owner: "c", leaseMs: 1000, now: at(700) }))!;
    expect(third.attempts).toBe(1);
    await q.completeDocumentJob({ jobId: third.jobId, owner: "c" });
  });

  test("reaper: requeued while attempts remain, then done (the caller fails the document)", async () => {
    await q.enqueueDocumentJob({ documentId: "d2", now: T0, maxAttempts: 2 });
    const first = (await q.claimDocumentJob({ owner: "dead", leaseMs: 100, now: at(1_000) }))!;
    expect(await q.reapExpiredDocumentJobs({ now: at(1_050) })).toEqual([]);
    expect(await q.reapExpiredDocumentJobs({ now: at(1_200) })).toEqual([{ documentId: "d2", outcome: "requeued" }]);
    expect(await q.heartbeat({ jobId: first.jobId, owner: "dead", leaseMs: 100, now: at(1_201) })).toMatchObject({ held: false });
    await q.claimDocumentJob({ owner: "dead-too", leaseMs: 100, now: at(1_300) });
    expect(await q.reapExpiredDocumentJobs({ now: at(1_500) })).toEqual([{ documentId: "d2", outcome: "failed" }]);
    expect(await q.activeDocumentJobs(["d2"])).toEqual(new Set());
  });

  test("cancel: a queued job is dropped, a leased one sees it at its next heartbeat", async () => {
    await q.enqueueDocumentJob({ documentId: "d3", now: T0 });
    await q.cancelDocumentJobs("d3");
    expect(await q.activeDocumentJobs(["d3"])).toEqual(new Set());
    await q.enqueueDocumentJob({ documentId: "d4", now: T0 });
    const lease = (await q.claimDocumentJob({ owner: "w", leaseMs: 1000, now: at(2_000) }))!;
    await q.cancelDocumentJobs("d4");
    expect(await q.heartbeat({ jobId: lease.jobId, owner: "w", leaseMs: 1000, now: at(2_001) })).toEqual({ held: true, cancelRequested: true });
    // a cancelled job whose holder dies is not retried
    expect(await q.reapExpiredDocumentJobs({ now: at(10_000) })).toEqual([{ documentId: "d4", outcome: "failed" }]);
  });
});
