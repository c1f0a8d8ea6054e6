// Worker logic that needs no real container: many jobs over several worker pools (each job runs
// exactly once), and the failure policy when the driver cannot run a container. A scripted driver
// stands in for Docker (RunnerDriver is an interface precisely for a second implementation).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { openTestStore, testStoreKinds } from "../store/test-db";
import { createQueueRepository } from "./queue.repository";
import { RUN_TEXT, systemSummary } from "./run-messages";
import type { JobDeps } from "./run-job";
import { RunnerDriverError, type RunnerDriver, type RunOutcome, type RunSpec } from "./runner-driver";
import { createRunsRepository, type RunsRepository } from "./runs.repository";
import { insertTestTool, insertTestUser, queueTestRun, type TestTool } from "./test-runs";
import { memoryLogger, waitForRun } from "./test-worker";
import { startWorkers } from "./worker";
import { createMetrics } from "../ops/metrics";

type Script = (spec: RunSpec, call: number) => Promise<RunOutcome>;

/** A driver whose run() follows `script`; counts calls per run id. */
function scriptedDriver(script: Script): RunnerDriver & { calls: Map<string, number>; maxParallel: number } {
  const calls = new Map<string, number>();
  let parallel = 0;
  const driver = {
    calls,
    maxParallel: 0,
    async run(spec: RunSpec) {
      const n = (calls.get(spec.runId) ?? 0) + 1;
      calls.set(spec.runId, n);
      parallel++;
      driver.maxParallel = Math.max(driver.maxParallel, parallel);
      try {
        return await script(spec, n);
      } finally {
        parallel--;
      }
    },
    launch: () => Promise.reject(new Error("not scripted")),
    resume: () => Promise.reject(new Error("not scripted")),
    findRunContainers: async () => [],
    removeOrphans: async () => [],
    ping: async () => undefined,
    imageExists: async () => true,
  };
  return driver;
}

function succeeded(spec: RunSpec, message = "ok"): RunOutcome {
  const result = { contract_version: 2, status: "succeeded", error_summary: null, outputs: [{ kind: "notice", level: "info", message }], next_actions: [], state: null, artifacts: [] };
  return {
    containerId: `c-${spec.runId}`,
    started: true,
    exitCode: 0,
    oomKilled: false,
    timedOut: false,
    cancelled: false,
    stdout: "",
    stderr: "",
    stdoutTruncated: false,
    stderrTruncated: false,
    resultJson: new TextEncoder().encode(JSON.stringify(result)),
    outputFiles: [],
    outputProblems: [],
    durationMs: 1,
    phases: { create: 0, upload: 0, start: 0, wait: 0, collect: 0, remove: 0 },
  };
}

for (const kind of testStoreKinds()) {
  describe(`worker logic with a scripted driver (${kind})`, () => {
    let store: Store;
    let runs: RunsRepository;
    let tool: TestTool;
    let userId: string;
    const dataDir = mkdtempSync(join(tmpdir(), "skt-runjob-"));
    let clockOffset = 0;

    function deps(driver: RunnerDriver, log = memoryLogger().log): JobDeps {
      return {
        queue: createQueueRepository(store),
        runs,
        driver,
        blobs: createFsBlobStore(dataDir),
        runner: { image: "img:test", memory_mb: 256, cpus: 1, pids_limit: 64, sandbox_timeout_seconds: 5, production_timeout_seconds: 5 },
        scratchDir: join(dataDir, "scratch"),
        log,
        now: () => new Date(Date.now() + clockOffset),
        leaseMs: 30_000,
        heartbeatMs: 1_000,
      };
    }

    beforeAll(async () => {
      store = await openTestStore(kind);
      runs = createRunsRepository(store);
      userId = await insertTestUser(store);
      tool = await insertTestTool(store, { source: "def run_tool(i, o):\n    return ''\n" });
    });
    afterAll(async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test("300 jobs over three pools of four: every job runs exactly once, never more than 12 at a time", async () => {
      const driver = scriptedDriver(async (spec) => {
        await Bun.sleep(Math.random() * 4);
        return succeeded(spec);
      });
      const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => queueTestRun(store, { tool, userId, kind: i % 7 === 0 ? "sandbox" : "production" })));
      const pools = [0, 1, 2].map((p) => startWorkers(deps(driver), { concurrency: 4, owner: `pool-${p}`, pollMs: 20, housekeepingMs: 1_000 }));
      try {
        const done = await Promise.all(ids.map((id) => waitForRun(runs, id, { timeoutMs: 60_000 })));
        expect(done.filter((r) => r.status !== "succeeded")).toEqual([]);
        expect(driver.calls.size).toBe(300);
        expect([...driver.calls.values()].every((n) => n === 1)).toBe(true);
        expect(driver.maxParallel).toBeLessThanOrEqual(12);
        expect(driver.maxParallel).toBeGreaterThan(1);
      } finally {
        await Promise.all(pools.map((p) => p.stop()));
      }
    }, 90_000);

    test("a failing Docker call is retried after a back-off, then succeeds", async () => {
      const driver = scriptedDriver(async (spec, call) => {
        if (call === 1) throw new RunnerDriverError("docker_error", "Cannot start the container: boom");
        return succeeded(spec, `attempt ${call}`);
      });
      const logs = memoryLogger();
      const pool = startWorkers(deps(driver, logs.log), { concurrency: 1, owner: "retry", pollMs: 20, housekeepingMs: 1_000 });
      try {
        const id = await queueTestRun(store, { tool, userId });
        pool.wake();
        await waitForRun(runs, id, { until: (r) => r.status === "queued" && driver.calls.get(id) === 1 });
        expect(logs.records("worker: run released for another attempt")[0]).toMatchObject({ run_id: id, attempts: 1, retry_in_ms: 2_000 });
        clockOffset += 2_000; // the back-off has passed
        const run = await waitForRun(runs, id);
        expect(run.status).toBe("succeeded");
        expect((run.uiPayload as { outputs: unknown[] }).outputs).toEqual([{ kind: "notice", level: "info", message: "attempt 2" }]);
      } finally {
        await pool.stop();
      }
    });

    test("an unreachable Docker pauses claiming until it answers again", async () => {
      let down = false;
      const driver = scriptedDriver(async (spec) => {
        if (down || driver.calls.get(spec.runId) === 1) {
          down = true; // the daemon dies during the first run
          throw new RunnerDriverError("docker_unavailable", "Docker does not answer (ECONNREFUSED).");
        }
        return succeeded(spec);
      });
      driver.ping = async () => {
        if (down) throw new RunnerDriverError("docker_unavailable", "Docker does not answer (ECONNREFUSED).");
      };
      const logs = memoryLogger();
      const pool = startWorkers(deps(driver, logs.log), { concurrency: 1, owner: "down", pollMs: 20, housekeepingMs: 1_000, dockerRetryMs: 50 });
      try {
        const id = await queueTestRun(store, { tool, userId });
        pool.wake();
        await waitForRun(runs, id, { until: (r) => r.status === "queued" && driver.calls.get(id) === 1 });
        clockOffset += 60_000; // the back-off has passed: only the pause keeps the run waiting
        await Bun.sleep(300);
        expect(driver.calls.get(id)).toBe(1);
        expect((await runs.getRun(id))?.status).toBe("queued");
        expect(logs.records("worker: Docker does not answer; claiming paused until it does").length).toBe(1);
        down = false;
        expect(await waitForRun(runs, id)).toMatchObject({ status: "succeeded" });
        expect(driver.calls.get(id)).toBe(2);
      } finally {
        await pool.stop();
      }
    });

    test("a worker started while Docker is down claims nothing until it answers", async () => {
      let down = true;
      const driver = scriptedDriver(async (spec) => succeeded(spec));
      driver.ping = async () => {
        if (down) throw new RunnerDriverError("docker_unavailable", "Docker does not answer (ENOENT).");
      };
      const id = await queueTestRun(store, { tool, userId });
      const pool = startWorkers(deps(driver), { concurrency: 1, owner: "late-docker", pollMs: 20, housekeepingMs: 1_000, dockerRetryMs: 50 });
      try {
        await Bun.sleep(300);
        expect(driver.calls.get(id)).toBeUndefined();
        expect((await runs.getRun(id))?.status).toBe("queued");
        down = false;
        expect(await waitForRun(runs, id)).toMatchObject({ status: "succeeded" });
        expect(driver.calls.get(id)).toBe(1);
      } finally {
        await pool.stop();
      }
    });

    test("after the last attempt the run fails with a clear message", async () => {
      const driver = scriptedDriver(async () => {
        throw new RunnerDriverError("docker_error", "Cannot create the container: no space left on device");
      });
      const pool = startWorkers(deps(driver), { concurrency: 1, owner: "fails", pollMs: 20, housekeepingMs: 1_000 });
      try {
        const id = await queueTestRun(store, { tool, userId });
        pool.wake();
        for (let attempt = 1; attempt < 3; attempt++) {
          await waitForRun(runs, id, { until: (r) => r.status === "queued" && driver.calls.get(id) === attempt });
          clockOffset += 60_000;
        }
        expect(await waitForRun(runs, id)).toMatchObject({ status: "failed", errorSummary: systemSummary(RUN_TEXT.runnerUnavailable), startedAt: expect.any(Date) });
        expect(driver.calls.get(id)).toBe(3);
      } finally {
        await pool.stop();
      }
    });

    test("a worker that lost its lease mid-run discards its result and leaves the container alone", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let aborted = false;
      const driver = scriptedDriver(async (spec) => {
        spec.signal?.addEventListener("abort", () => (aborted = true));
        await gate;
        return succeeded(spec, "late");
      });
      const logs = memoryLogger();
      const d = deps(driver, logs.log);
      d.heartbeatMs = 50;
      const pool = startWorkers(d, { concurrency: 1, owner: "slowpoke", pollMs: 20, housekeepingMs: 60_000 });
      try {
        const id = await queueTestRun(store, { tool, userId });
        pool.wake();
        await waitForRun(runs, id, { until: (r) => r.status === "running" && driver.calls.get(id) === 1 });
        const leased = (await d.queue.listLeased()).find((j) => j.runId === id)!;
        expect(await d.queue.takeOver({ jobId: leased.jobId, fromOwner: "slowpoke", toOwner: "adopter", leaseMs: 30_000, now: new Date() })).not.toBeNull();
        await Bun.sleep(200); // a few heartbeats notice the loss
        release();
        await waitForRun(runs, id, { until: () => logs.records("worker: run result discarded").some((r) => r.run_id === id) });
        expect(aborted).toBe(false);
        const run = await runs.getRun(id);
        expect(run).toMatchObject({ status: "running", uiPayload: null });
        expect((await d.queue.listLeased()).find((j) => j.runId === id)?.owner).toBe("adopter");
        // the "adopter" finishes it, so no later test sees a leased job
        expect(
          await d.queue.finalize({ jobId: leased.jobId, runId: id, owner: "adopter", status: "succeeded", errorSummary: null, uiPayload: null, stdout: "", stderr: "", exitCode: 0, oomKilled: false, durationMs: 1, finishedAt: new Date(), artifacts: [], toolState: null }),
        ).toBe(true);
      } finally {
        await pool.stop();
      }
    });

    test("metrics: queue depth, wait and duration histograms, outcomes by status", async () => {
      const metrics = createMetrics({ defaults: false });
      const driver = scriptedDriver(async (spec) => succeeded(spec));
      const d = { ...deps(driver), metrics };
      const waiting = await queueTestRun(store, { tool, userId, kind: "sandbox" });
      const pool = startWorkers(d, { concurrency: 1, owner: "metrics", pollMs: 20, housekeepingMs: 50 });
      try {
        await waitForRun(runs, waiting);
        await Bun.sleep(120); // a housekeeping tick after the run
        const text = await metrics.registry.metrics();
        expect(text).toContain('skriptoteket_runs_total{status="succeeded",kind="sandbox",app="skriptoteket"} 1');
        expect(text).toContain('skriptoteket_run_wait_seconds_count{app="skriptoteket",kind="sandbox"} 1');
        expect(text).toContain('skriptoteket_run_duration_seconds_count{app="skriptoteket",kind="sandbox"} 1');
        expect(text).toContain('skriptoteket_run_queue_depth{app="skriptoteket"} 0');
      } finally {
        await pool.stop();
      }
    });

    test("a missing runner image or a missing input file fails the run at once", async () => {
      const driver = scriptedDriver(async () => {
        throw new RunnerDriverError("image_missing", "The runner image img:test is missing on the Docker host.");
      });
      const pool = startWorkers(deps(driver), { concurrency: 1, owner: "noimage", pollMs: 20, housekeepingMs: 1_000 });
      try {
        const id = await queueTestRun(store, { tool, userId });
        const blobs = createFsBlobStore(dataDir);
        const withFile = await queueTestRun(store, { tool, userId, blobs, files: [{ name: "elever.csv", data: new Uint8Array([1]) }] });
        const [file] = await runs.listRunFiles(withFile);
        await blobs.delete(file!.storageKey);
        pool.wake();
        expect(await waitForRun(runs, id)).toMatchObject({ status: "failed", errorSummary: systemSummary(RUN_TEXT.imageMissing("img:test")) });
        expect(driver.calls.get(id)).toBe(1);
        expect(await waitForRun(runs, withFile)).toMatchObject({ status: "failed", errorSummary: systemSummary(RUN_TEXT.inputFileMissing("elever.csv")) });
        expect(driver.calls.get(withFile)).toBeUndefined();
      } finally {
        await pool.stop();
      }
    });
  });
}
