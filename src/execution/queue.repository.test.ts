// The queue's lease rules, one suite on SQLite and PostgreSQL (SKRIPTOTEKET_TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createFsBlobStore } from "../store/blob-store";
import { openSqlite, type Store } from "../store/db";
import { openTestStore, testStoreKinds } from "../store/test-db";
import { createQueueRepository, type Finalization, type JobLease, type QueueRepository } from "./queue.repository";
import { createRunsRepository, type RunsRepository } from "./runs.repository";
import { insertTestTool, insertTestUser, queueTestRun, type TestTool } from "./test-runs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LEASE = 30_000;
const t0 = new Date("2030-01-01T10:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

for (const kind of testStoreKinds()) {
  describe(`queue repository (${kind})`, () => {
    let store: Store;
    let queue: QueueRepository;
    let runs: RunsRepository;
    let tool: TestTool;
    let userId: string;
    const blobDir = mkdtempSync(join(tmpdir(), "skt-queue-blobs-"));
    const blobs = createFsBlobStore(blobDir);

    beforeAll(async () => {
      store = await openTestStore(kind);
      queue = createQueueRepository(store);
      runs = createRunsRepository(store);
      userId = await insertTestUser(store);
      tool = await insertTestTool(store, { source: "def run_tool(i, o):\n    return 'ok'\n", settingsSchema: [{ kind: "string", name: "lang", label: "Lang" }] });
    });
    afterAll(async () => {
      await store.close();
      rmSync(blobDir, { recursive: true, force: true });
    });

    /** Claims until the queue is empty, so every test starts from an empty queue. */
    async function drain(owner = "drain") {
      while (await queue.claim({ owner, leaseMs: LEASE, now: at(10 ** 9) })) {
        /* claimed */
      }
      for (const j of await queue.listLeased()) await queue.finalize(finalization({ jobId: j.jobId, runId: j.runId, owner: j.owner ?? "" }));
    }

    function finalization(over: Partial<Finalization> & Pick<Finalization, "jobId" | "runId" | "owner">): Finalization {
      return {
        status: "succeeded",
        errorSummary: null,
        uiPayload: { contract_version: 2, outputs: [], next_actions: [] },
        stdout: "out",
        stderr: "",
        exitCode: 0,
        oomKilled: false,
        durationMs: 123,
        finishedAt: at(5_000),
        artifacts: [],
        toolState: null,
        ...over,
      };
    }

    async function claim(owner: string, now = at(1_000)): Promise<JobLease> {
      const lease = await queue.claim({ owner, leaseMs: LEASE, now });
      if (!lease) throw new Error("nothing to claim");
      return lease;
    }

    test("claims the highest priority first, then the oldest; marks job leased and run running", async () => {
      await drain();
      const old = await queueTestRun(store, { tool, userId, now: at(0) });
      const newer = await queueTestRun(store, { tool, userId, now: at(10) });
      const sandbox = await queueTestRun(store, { tool, userId, kind: "sandbox", now: at(20) });
      const order: string[] = [];
      for (let i = 0; i < 3; i++) order.push((await claim("w1")).runId);
      expect(order).toEqual([sandbox, old, newer]);
      expect(await queue.claim({ owner: "w1", leaseMs: LEASE, now: at(1_000) })).toBeNull();
      const run = await runs.getRun(old);
      expect(run?.status).toBe("running");
      expect(run?.startedAt?.getTime()).toBe(at(1_000).getTime());
      const leased = (await queue.listLeased()).find((j) => j.runId === old)!;
      expect(leased).toMatchObject({ owner: "w1", attempts: 1, maxAttempts: 3 });
      expect(leased.leaseExpiresAt?.getTime()).toBe(at(1_000 + LEASE).getTime());
    });

    test("a job released with a delay is not claimed before its time", async () => {
      await drain();
      const id = await queueTestRun(store, { tool, userId, now: at(0) });
      const lease = await claim("w1");
      expect(await queue.release({ jobId: lease.jobId, owner: "w1", availableAt: at(60_000), now: at(1_000) })).toBe(true);
      const run = await runs.getRun(id);
      expect(run).toMatchObject({ status: "queued", startedAt: null, containerId: null });
      expect(await queue.claim({ owner: "w2", leaseMs: LEASE, now: at(59_999) })).toBeNull();
      const again = await queue.claim({ owner: "w2", leaseMs: LEASE, now: at(60_000) });
      expect(again?.runId).toBe(id);
      expect(again?.attempts).toBe(2);
      // release by a non-holder changes nothing
      expect(await queue.release({ jobId: again!.jobId, owner: "w1", availableAt: at(0), now: at(60_001) })).toBe(false);
    });

    test("concurrent claimers never get the same job", async () => {
      await drain();
      const ids = new Set<string>();
      for (let i = 0; i < 60; i++) ids.add(await queueTestRun(store, { tool, userId, now: at(i) }));
      // SQLite: a second connection to the same file, like a second process; PostgreSQL: the pool
      const other = store.dialect === "sqlite" ? openSqlite(store.file) : null;
      const queues = [queue, other ? createQueueRepository(other) : queue];
      const claimed: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const q = queues[w % 2]!;
          for (;;) {
            const lease = await q.claim({ owner: `w${w}`, leaseMs: LEASE, now: at(1_000) });
            if (!lease) return;
            claimed.push(lease.runId);
            await Bun.sleep(0);
          }
        }),
      );
      await other?.close();
      expect(claimed.length).toBe(60);
      expect(new Set(claimed)).toEqual(ids);
    });

    test("heartbeat extends only the holder's lease and reports a cancel request", async () => {
      await drain();
      const id = await queueTestRun(store, { tool, userId, now: at(0) });
      const lease = await claim("w1");
      expect(await queue.heartbeat({ jobId: lease.jobId, owner: "w2", leaseMs: LEASE, now: at(2_000) })).toEqual({ held: false, cancelRequested: false });
      expect(await queue.heartbeat({ jobId: lease.jobId, owner: "w1", leaseMs: LEASE, now: at(2_000) })).toEqual({ held: true, cancelRequested: false });
      expect((await queue.listLeased()).find((j) => j.runId === id)?.leaseExpiresAt?.getTime()).toBe(at(2_000 + LEASE).getTime());
      expect(await queue.requestCancel({ runId: id, now: at(2_500), message: "cancelled" })).toBe("requested");
      expect(await queue.heartbeat({ jobId: lease.jobId, owner: "w1", leaseMs: LEASE, now: at(3_000) })).toEqual({ held: true, cancelRequested: true });
      expect((await runs.getRun(id))?.status).toBe("running");
    });

    test("setContainerId only by the lease holder", async () => {
      await drain();
      const id = await queueTestRun(store, { tool, userId, now: at(0) });
      const lease = await claim("w1");
      expect(await queue.setContainerId({ jobId: lease.jobId, owner: "w2", runId: id, containerId: "c-other" })).toBe(false);
      expect(await queue.setContainerId({ jobId: lease.jobId, owner: "w1", runId: id, containerId: "c-1" })).toBe(true);
      expect((await runs.getRun(id))?.containerId).toBe("c-1");
      expect((await queue.listLeased()).find((j) => j.runId === id)?.containerId).toBe("c-1");
    });

    test("finalize writes run, artifacts and job in one go, only for the lease holder, only once", async () => {
      await drain();
      const id = await queueTestRun(store, { tool, userId, now: at(0) });
      const lease = await claim("w1");
      const f = finalization({
        jobId: lease.jobId,
        runId: id,
        owner: "w1",
        status: "failed",
        errorSummary: "boom",
        stdout: "hello",
        stderr: "trace",
        exitCode: 0,
        oomKilled: false,
        durationMs: 321,
        artifacts: [
          { id: Bun.randomUUIDv7(), path: "output/b.txt", bytes: 2, sha256: "bb", storageKey: `runs/${id}/artifacts/b` },
          { id: Bun.randomUUIDv7(), path: "output/a.txt", bytes: 1, sha256: "aa", storageKey: `runs/${id}/artifacts/a` },
        ],
      });
      expect(await queue.finalize({ ...f, owner: "w2" })).toBe(false);
      expect((await runs.getRun(id))?.status).toBe("running");
      expect(await runs.listArtifacts(id)).toEqual([]);

      expect(await queue.finalize(f)).toBe(true);
      const run = await runs.getRun(id);
      expect(run).toMatchObject({ status: "failed", errorSummary: "boom", stdout: "hello", stderr: "trace", exitCode: 0, oomKilled: false, durationMs: 321, stateRev: null });
      expect(run?.finishedAt?.getTime()).toBe(at(5_000).getTime());
      expect(run?.uiPayload).toEqual({ contract_version: 2, outputs: [], next_actions: [] });
      expect((await runs.listArtifacts(id)).map((a) => [a.path, a.bytes, a.sha256])).toEqual([
        ["output/a.txt", 1, "aa"],
        ["output/b.txt", 2, "bb"],
      ]);
      expect(await queue.listLeased()).toEqual([]);
      // a second finalize (a late duplicate) is refused and writes nothing
      expect(await queue.finalize({ ...f, status: "succeeded", artifacts: [{ id: Bun.randomUUIDv7(), path: "output/c", bytes: 0, sha256: "", storageKey: "k" }] })).toBe(false);
      expect((await runs.getRun(id))?.status).toBe("failed");
      expect((await runs.listArtifacts(id)).length).toBe(2);
    });

    test("finalize writes tool state revisions: new state, then carried forward", async () => {
      await drain();
      const context = `ctx-${crypto.randomUUID()}`;
      const first = await queueTestRun(store, { tool, userId, context, now: at(0) });
      const l1 = await claim("w1");
      const toolState = { userId, toolId: tool.toolId, context };
      expect(await queue.finalize(finalization({ jobId: l1.jobId, runId: first, owner: "w1", toolState: { ...toolState, state: { step: 1 } } }))).toBe(true);
      expect((await runs.getRun(first))?.stateRev).toBe(1);
      expect(await runs.getToolState(userId, tool.toolId, context)).toMatchObject({ state: { step: 1 }, rev: 1 });

      const second = await queueTestRun(store, { tool, userId, context, action: { action_id: "next", input: {}, state: { step: 1 } }, now: at(10) });
      const l2 = await claim("w1");
      expect(await queue.finalize(finalization({ jobId: l2.jobId, runId: second, owner: "w1", toolState: { ...toolState, state: null } }))).toBe(true);
      expect((await runs.getRun(second))?.stateRev).toBe(2);
      expect(await runs.getToolState(userId, tool.toolId, context)).toMatchObject({ state: { step: 1 }, rev: 2 });

      const third = await queueTestRun(store, { tool, userId, context, now: at(20) });
      const l3 = await claim("w1");
      expect(await queue.finalize(finalization({ jobId: l3.jobId, runId: third, owner: "w1", toolState: { ...toolState, state: { step: 3, list: [1, 2] } } }))).toBe(true);
      expect(await runs.getToolState(userId, tool.toolId, context)).toMatchObject({ state: { step: 3, list: [1, 2] }, rev: 3 });
      // the payload of the run that wrote a revision is found by it (the runs service relies on this)
      expect((await runs.findStateRun({ userId, toolId: tool.toolId, context, rev: 3 }))?.id).toBe(third);
    });

    test("reaper: expired leases are requeued while attempts remain, then the run fails", async () => {
      await drain();
      const id = await queueTestRun(store, { tool, userId, now: at(0) });
      const keep = await queueTestRun(store, { tool, userId, now: at(1) });
      let lease = await claim("dead", at(1_000));
      const alive = await claim("alive", at(1_000));
      expect(alive.runId).toBe(keep);
      expect(await queue.heartbeat({ jobId: alive.jobId, owner: "alive", leaseMs: LEASE, now: at(30_000) })).toMatchObject({ held: true });
      // the lease runs out at 31,000: nothing expires before
      expect(await queue.reapExpired({ now: at(31_000), message: "interrupted" })).toEqual([]);
      for (let attempt = 1; attempt <= 3; attempt++) {
        const now = at(attempt * 100_000);
        // the live worker keeps heartbeating: its job is never reaped
        expect((await queue.heartbeat({ jobId: alive.jobId, owner: "alive", leaseMs: LEASE, now: at(attempt * 100_000 - 1) })).held).toBe(true);
        const reaped = await queue.reapExpired({ now, message: "interrupted" });
        expect(reaped).toEqual([{ runId: id, outcome: attempt < 3 ? "requeued" : "failed" }]);
        if (attempt < 3) {
          expect(await runs.getRun(id)).toMatchObject({ status: "queued", startedAt: null });
          lease = (await queue.claim({ owner: "dead", leaseMs: LEASE, now: at(attempt * 100_000 + 1) }))!;
          expect(lease.runId).toBe(id);
          expect(lease.attempts).toBe(attempt + 1);
        }
      }
      const run = await runs.getRun(id);
      expect(run).toMatchObject({ status: "failed", errorSummary: "interrupted" });
      expect(run?.finishedAt?.getTime()).toBe(at(300_000).getTime());
      // the dead owner's late finalize is refused
      expect(await queue.finalize(finalization({ jobId: lease.jobId, runId: id, owner: "dead" }))).toBe(false);
      expect((await runs.getRun(id))?.status).toBe("failed");
    });

    test("requeueOrFail and takeOver act only while the named owner holds the lease", async () => {
      await drain();
      const a = await queueTestRun(store, { tool, userId, now: at(0) });
      const b = await queueTestRun(store, { tool, userId, now: at(1) });
      const la = await claim("gone");
      const lb = await claim("gone");
      expect(await queue.requeueOrFail({ jobId: la.jobId, owner: "someone-else", now: at(2_000), message: "x" })).toBeNull();
      expect(await queue.requeueOrFail({ jobId: la.jobId, owner: "gone", now: at(2_000), message: "x" })).toEqual({ runId: a, outcome: "requeued" });
      expect((await runs.getRun(a))?.status).toBe("queued");

      expect(await queue.takeOver({ jobId: lb.jobId, fromOwner: "wrong", toOwner: "me", leaseMs: LEASE, now: at(3_000) })).toBeNull();
      const taken = await queue.takeOver({ jobId: lb.jobId, fromOwner: "gone", toOwner: "me", leaseMs: LEASE, now: at(3_000) });
      expect(taken).toMatchObject({ runId: b, owner: "me", attempts: 1 });
      expect(taken?.startedAt.getTime()).toBe(at(1_000).getTime());
      expect((await queue.heartbeat({ jobId: lb.jobId, owner: "gone", leaseMs: LEASE, now: at(3_001) })).held).toBe(false);
      expect((await queue.heartbeat({ jobId: lb.jobId, owner: "me", leaseMs: LEASE, now: at(3_001) })).held).toBe(true);
    });

    test("cancel: a queued run at once, a running one by request, a finished or unknown one not at all", async () => {
      await drain();
      const queued = await queueTestRun(store, { tool, userId, now: at(0) });
      expect(await queue.requestCancel({ runId: queued, now: at(500), message: "cancelled by you" })).toBe("cancelled");
      const run = await runs.getRun(queued);
      expect(run).toMatchObject({ status: "cancelled", errorSummary: "cancelled by you" });
      expect(run?.finishedAt?.getTime()).toBe(at(500).getTime());
      expect(await queue.claim({ owner: "w1", leaseMs: LEASE, now: at(1_000) })).toBeNull();
      expect(await queue.requestCancel({ runId: queued, now: at(600), message: "again" })).toBe("finished");
      expect(await queue.requestCancel({ runId: "no-such-run", now: at(600), message: "x" })).toBe("not_found");
    });

    test("queue position and depth", async () => {
      await drain();
      const p1 = await queueTestRun(store, { tool, userId, now: at(0) });
      const p2 = await queueTestRun(store, { tool, userId, now: at(1) });
      expect(await queue.depth()).toBe(2);
      expect(await queue.queuePosition(p1)).toBe(1);
      expect(await queue.queuePosition(p2)).toBe(2);
      const s = await queueTestRun(store, { tool, userId, kind: "sandbox", now: at(2) });
      expect(await queue.queuePosition(s)).toBe(1);
      expect(await queue.queuePosition(p1)).toBe(2);
      expect(await queue.queuePosition(p2)).toBe(3);
      expect(await queue.depth()).toBe(3);
      await claim("w1");
      expect(await queue.queuePosition(s)).toBeNull();
      expect(await queue.queuePosition(p1)).toBe(1);
      expect(await queue.depth()).toBe(2);
      expect(await queue.queuePosition("no-such-run")).toBeNull();
    });

    test("getRunWork and runStatuses", async () => {
      await drain();
      const id = await queueTestRun(store, {
        tool,
        userId,
        kind: "sandbox",
        inputs: { title: "x" },
        context: "c1",
        blobs,
        files: [
          { name: "b.csv", data: new TextEncoder().encode("b,1\n") },
          { name: "a.csv", data: new TextEncoder().encode("a\n") },
        ],
        now: at(0),
      });
      const work = await queue.getRunWork(id);
      expect(work).toMatchObject({
        runId: id,
        toolId: tool.toolId,
        toolSlug: tool.slug,
        toolVersionId: tool.versionId,
        versionNumber: 1,
        userId,
        kind: "sandbox",
        inputs: { title: "x" },
        action: null,
        context: "c1",
        entrypoint: "run_tool",
        source: "def run_tool(i, o):\n    return 'ok'\n",
        settingsSchema: [{ kind: "string", name: "lang", label: "Lang" }],
      });
      expect(work?.files.map((f) => [f.name, f.bytes])).toEqual([
        ["b.csv", 4],
        ["a.csv", 2],
      ]);
      expect(await queue.getRunWork("nope")).toBeNull();
      const statuses = await queue.runStatuses([id, "nope"]);
      expect([...statuses]).toEqual([[id, "queued"]]);
    });
  });
}
