// Adoption after a crash, with real Docker: a "dead" worker (a process of this host that has exited)
// left runs in every state; a new worker pool started with adopt: true must resume, requeue or fail
// each of them, remove containers of finished runs, and leave a live worker's run alone.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Store } from "../store/db";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { JobLease } from "./queue.repository";
import { discardContainer } from "./run-job";
import { RUN_TEXT, systemSummary } from "./run-messages";
import { buildRunEnv, RUN_CAPS, runLimits } from "./run-env.rules";
import { insertTestTool, insertTestUser, queueTestRun, type TestTool } from "./test-runs";
import { CONTRACT_TOOL_SOURCE, createTestJobDeps, dockerAvailability, memoryLogger, waitForRun, type TestJobDeps } from "./test-worker";
import { startWorkers, type WorkerHandle } from "./worker";

const { skip } = await dockerAvailability("adoption.test.ts");
const LEASE = 30_000;

/** A pid that certainly belonged to a process of this host that is gone now. */
async function deadPid(): Promise<number> {
  const p = Bun.spawn(["true"]);
  await p.exited;
  return p.pid;
}

for (const kind of testStoreKinds()) {
  describe.skipIf(skip)(`adoption of orphaned runs (${kind})`, () => {
    let store: Store;
    let deps: TestJobDeps;
    let tool: TestTool;
    let userId: string;
    let workers: WorkerHandle | null = null;
    const logs = memoryLogger();

    beforeAll(async () => {
      store = await openTestStore(kind);
      deps = createTestJobDeps(store, logs.log);
      userId = await insertTestUser(store);
      tool = await insertTestTool(store, { source: CONTRACT_TOOL_SOURCE });
    });
    afterAll(async () => {
      await workers?.stop();
      await store?.close();
      deps?.cleanup();
    });

    /** Queues a run and claims it for `owner` (the worker that will "die"). */
    async function claimedRun(owner: string, inputs: Record<string, unknown>): Promise<JobLease> {
      const id = await queueTestRun(store, { tool, userId, inputs });
      const lease = await deps.queue.claim({ owner, leaseMs: LEASE, now: new Date() });
      if (lease?.runId !== id) throw new Error("claimed another run than the one just queued");
      return lease;
    }

    /** Starts the run's container the way a worker does, then "forgets" it (the worker dies). */
    async function launch(lease: JobLease, inputs: Record<string, unknown>): Promise<string> {
      const { containerId } = await deps.driver.launch({
        runId: lease.runId,
        toolVersionId: tool.versionId,
        image: deps.runner.image,
        env: buildRunEnv({ entrypoint: "run_tool", inputs, action: null, files: [] }),
        script: CONTRACT_TOOL_SOURCE,
        inputFiles: [],
        memoryJson: '{"settings":{}}',
        limits: runLimits(deps.runner),
        caps: RUN_CAPS,
        timeoutMs: 60_000,
        outputDir: mkdtempSync(join(deps.dataDir, "launch-")),
      });
      expect(await deps.queue.setContainerId({ jobId: lease.jobId, owner: lease.owner, runId: lease.runId, containerId })).toBe(true);
      return containerId;
    }

    test("resumes running and exited containers, requeues or fails the rest, removes stale containers, spares live runs", async () => {
      const dead = `${hostname()}/${await deadPid()}/deadbeef`;
      const live = "other-host/42/alive0";

      const running = await claimedRun(dead, { mode: "sleep", seconds: 2 });
      await launch(running, { mode: "sleep", seconds: 2 });
      const exited = await claimedRun(dead, { mode: "kinds", title: "x" });
      const exitedContainer = await launch(exited, { mode: "kinds", title: "x" });
      const noContainer = await claimedRun(dead, { mode: "noop" });
      // attempts used up: claimed, released and claimed again until attempts = max_attempts (3)
      const spent = await claimedRun(dead, { mode: "noop" });
      for (let i = 0; i < 2; i++) {
        expect(await deps.queue.release({ jobId: spent.jobId, owner: dead, availableAt: new Date(0), now: new Date() })).toBe(true);
        expect((await deps.queue.claim({ owner: dead, leaseMs: LEASE, now: new Date() }))?.attempts).toBe(i + 2);
      }
      // a run that finished, but whose container was left behind
      const over = await claimedRun("w-over", { mode: "noop" });
      const overContainer = await launch(over, { mode: "noop" });
      await deps.queue.finalize({ jobId: over.jobId, runId: over.runId, owner: "w-over", status: "succeeded", errorSummary: null, uiPayload: null, stdout: "", stderr: "", exitCode: 0, oomKilled: false, durationMs: 1, finishedAt: new Date(), artifacts: [], toolState: null });
      // a live worker on another host: its lease is valid, its container must survive
      const alive = await claimedRun(live, { mode: "sleep", seconds: 30 });
      const aliveContainer = await launch(alive, { mode: "sleep", seconds: 30 });

      // let the exited one finish while nobody watches
      for (let i = 0; i < 100 && (await deps.driver.findRunContainers()).find((c) => c.containerId === exitedContainer)?.state !== "exited"; i++) await Bun.sleep(100);

      workers = startWorkers(deps, { concurrency: 2, owner: `adopter-${kind}-${crypto.randomUUID().slice(0, 6)}`, adopt: true, pollMs: 100, housekeepingMs: 60_000 });
      const report = await workers.adopted;
      expect(report).not.toBeNull();
      expect(new Set(report!.adopted)).toEqual(new Set([running.runId, exited.runId]));
      expect(report!.requeued).toEqual([noContainer.runId]);
      expect(report!.failed).toEqual([spent.runId]);
      expect(report!.removedContainers).toEqual([overContainer]);

      const [r1, r2, r3, r4] = await Promise.all([running, exited, noContainer, spent].map((l) => waitForRun(deps.runsRepo, l.runId, { timeoutMs: 30_000 })));
      expect(r1).toMatchObject({ status: "succeeded", stdout: "sleeping\n" });
      expect((r1!.uiPayload as { outputs: unknown[] }).outputs).toEqual([{ kind: "notice", level: "info", message: "slept" }]);
      expect(r2?.status).toBe("succeeded");
      expect((await deps.runsRepo.listArtifacts(exited.runId)).map((a) => a.path)).toEqual(["output/rapport.txt", "output/sub/data.bin"]);
      expect(r3?.status).toBe("succeeded");
      expect(logs.records("run finished").find((r) => r.run_id === noContainer.runId)?.attempt).toBe(2);
      expect(r4).toMatchObject({ status: "failed", errorSummary: systemSummary(RUN_TEXT.interrupted) });

      // the live worker's run is untouched
      expect((await deps.runsRepo.getRun(alive.runId))?.status).toBe("running");
      const containers = await deps.driver.findRunContainers();
      expect(containers.map((c) => c.containerId)).toContain(aliveContainer);
      const ours = new Set([running, exited, noContainer, spent, over].map((l) => l.runId));
      expect(containers.filter((c) => ours.has(c.runId))).toEqual([]);
      expect(await discardContainer(deps, aliveContainer, alive.runId)).toBe(true);
    }, 60_000);
  });
}
