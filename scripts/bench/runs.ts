// Run latency and throughput through the real queue, workers, Docker driver and runner image, against
// the floor of a bare container lifecycle (target: p50 ≤ 1.3 × bare).
//
//   bun scripts/bench/runs.ts [--runs 40] [--drain 1000] [--image skriptoteket-runner:latest]
//
// 1. latency: for each concurrency C in 1, 4, 8, workers with C slots and C clients that each submit
//    a no-op run (createQueuedRun + wake, as the HTTP API does) and wait for it to finish, `--runs` runs
//    per level. submit→finished is measured from just before createQueuedRun to the worker's notify after
//    finalize (no polling in the measurement). Runs per minute = completed / wall time of the level.
// 2. bare: the same no-op (`python3 -c pass`) as a bare dockerode create → start → wait → remove of the
//    same image (docker-bare-lifecycle.ts), with the same C clients; the ratio is p50 / bare p50.
// 3. drain: `--drain` runs queued at once, then drained by workers at the concurrency that had the best
//    throughput; prints the drain time and fails on any run that did not succeed.
// Also printed per level: the driver's phase medians (create, upload, start, wait, collect, remove), their
// sum, and what is left of submit→finished for the queue, the store and the artifacts.
// Everything is bounded: a level may take at most 10 min, the drain 30 min; then the script exits 1.
// A temporary SQLite store and data folder are used and removed; the script exits by itself.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/log/logger";
import { createFsBlobStore } from "../../src/store/blob-store";
import { openSqlite } from "../../src/store/db";
import { migrate } from "../../src/store/migrate";
import { bareLifecycle } from "../../src/execution/docker-bare-lifecycle";
import { createDockerDriver } from "../../src/execution/docker-driver";
import { createQueueRepository } from "../../src/execution/queue.repository";
import type { JobDeps } from "../../src/execution/run-job";
import { createRunsRepository } from "../../src/execution/runs.repository";
import { insertTestTool, insertTestUser, queueTestRun } from "../../src/execution/test-runs";
import { startWorkers } from "../../src/execution/worker";

const LEVELS = [1, 4, 8];
const TARGET_RATIO = 1.3;
const LEVEL_TIMEOUT_MS = 10 * 60_000;
const DRAIN_TIMEOUT_MS = 30 * 60_000;
const NOOP_TOOL = "def run_tool(input_dir, output_dir):\n    return ''\n";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const perLevel = Math.max(4, Number(option("--runs", "40")) || 40);
const drainCount = Math.max(0, Number(option("--drain", "1000")) || 0);
const image = option("--image", "skriptoteket-runner:latest");

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

function withTimeout<T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s`)), timeoutMs))),
  ]);
}

const dir = mkdtempSync(join(tmpdir(), "skt-bench-runs-"));
const store = openSqlite(join(dir, "bench.db"));
let exitCode = 0;
try {
  await migrate(store);
  // the driver's debug line "runner: run finished" carries the phases of every run
  const phases: Record<string, number[]> = {};
  const log = createLogger({
    level: "debug",
    write: (line) => {
      const rec = JSON.parse(line) as { msg: string; phases?: Record<string, number> };
      if (rec.msg === "runner: run finished" && rec.phases) for (const [k, v] of Object.entries(rec.phases)) (phases[k] ??= []).push(v);
      else if (rec.msg.startsWith("worker:") || rec.msg.includes("failed")) console.error(line);
    },
  });
  const driver = createDockerDriver({ log });
  await driver.ping();
  if (!(await driver.imageExists(image))) throw new Error(`the runner image ${image} is missing (runner/build-image.sh)`);
  const runs = createRunsRepository(store);
  const userId = await insertTestUser(store);
  const tool = await insertTestTool(store, { source: NOOP_TOOL });

  // runId → resolve(finished at), set before submitting
  const waiting = new Map<string, (at: number) => void>();
  const deps: JobDeps = {
    queue: createQueueRepository(store),
    runs,
    driver,
    blobs: createFsBlobStore(dir),
    runner: { image, memory_mb: 1024, cpus: 1, pids_limit: 256, sandbox_timeout_seconds: 60, production_timeout_seconds: 120 },
    scratchDir: join(dir, "scratch"),
    log,
    now: () => new Date(),
    leaseMs: 30_000,
    heartbeatMs: 2_000,
    notify: (runId) => {
      const done = waiting.get(runId);
      if (!done) return;
      const at = performance.now();
      // notify also fires when a run starts; only a terminal status ends the wait
      void runs.getRun(runId).then((r) => {
        if (r && r.status !== "queued" && r.status !== "running") {
          waiting.delete(runId);
          done(at);
        }
      });
    },
  };

  const submitAndWait = async (wake: () => void): Promise<{ latency: number; status: string }> => {
    const id = Bun.randomUUIDv7();
    const t0 = performance.now();
    const finished = new Promise<number>((resolve) => waiting.set(id, resolve));
    await queueTestRun(store, { tool, userId, id, inputs: {} });
    wake();
    const t1 = await finished;
    return { latency: t1 - t0, status: (await runs.getRun(id))!.status };
  };

  console.log(`Runs through the queue: no-op tool, image ${image}, ${availableParallelism()} cores, ${perLevel} runs per level, SQLite store\n`);
  // warm-up: first container starts and the first queries are slower
  {
    const w = startWorkers(deps, { concurrency: 1, owner: "bench-warmup", pollMs: 200 });
    for (let i = 0; i < 3; i++) await submitAndWait(w.wake);
    await w.stop();
    for (let i = 0; i < 3; i++) await bareLifecycle(image);
    for (const k of Object.keys(phases)) phases[k] = [];
  }

  type Row = { c: number; p50: number; p95: number; perMin: number; bareP50: number; bareP95: number; barePerMin: number; failures: number; phases: Record<string, number>; driverP50: number };
  const rows: Row[] = [];
  for (const c of LEVELS) {
    for (const k of Object.keys(phases)) phases[k] = [];
    const w = startWorkers(deps, { concurrency: c, owner: `bench-${c}`, pollMs: 200 });
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const began = performance.now();
    await withTimeout(
      Promise.all(
        Array.from({ length: c }, async () => {
          while (next++ < perLevel) {
            const r = await submitAndWait(w.wake);
            latencies.push(r.latency);
            if (r.status !== "succeeded") failures++;
          }
        }),
      ),
      LEVEL_TIMEOUT_MS,
      `level ${c}`,
    );
    const wall = performance.now() - began;
    await w.stop();
    const levelPhases = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, quantile(v, 0.5)]));
    const driverTotals = (phases.create ?? []).map((_, i) => Object.values(phases).reduce((sum, v) => sum + (v[i] ?? 0), 0));

    const bare: number[] = [];
    let bareNext = 0;
    const bareBegan = performance.now();
    await withTimeout(
      Promise.all(
        Array.from({ length: c }, async () => {
          while (bareNext++ < perLevel) {
            const t = performance.now();
            await bareLifecycle(image);
            bare.push(performance.now() - t);
          }
        }),
      ),
      LEVEL_TIMEOUT_MS,
      `bare level ${c}`,
    );
    const bareWall = performance.now() - bareBegan;
    rows.push({
      c,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      perMin: (latencies.length / wall) * 60_000,
      bareP50: quantile(bare, 0.5),
      bareP95: quantile(bare, 0.95),
      barePerMin: (bare.length / bareWall) * 60_000,
      failures,
      phases: levelPhases,
      driverP50: quantile(driverTotals, 0.5),
    });
    if (failures) exitCode = 1;
  }

  console.log("concurrency | submit→finished p50 | p95     | runs/min | bare p50 | bare p95 | bare runs/min | p50 / bare p50 | failed");
  for (const r of rows) {
    console.log(
      `${String(r.c).padStart(11)} | ${ms(r.p50).padStart(19)} | ${ms(r.p95).padStart(7)} | ${r.perMin.toFixed(0).padStart(8)} | ${ms(r.bareP50).padStart(8)} | ${ms(r.bareP95).padStart(8)} | ${r.barePerMin.toFixed(0).padStart(13)} | ${(r.p50 / r.bareP50).toFixed(2).padStart(14)} | ${r.failures}`,
    );
  }
  const best = rows.reduce((a, b) => (b.perMin > a.perMin ? b : a));
  const ratio1 = rows[0]!.p50 / rows[0]!.bareP50;
  console.log(`\nsaturation: ${best.perMin.toFixed(0)} runs/min at concurrency ${best.c} (bare: ${Math.max(...rows.map((r) => r.barePerMin)).toFixed(0)} runs/min)`);
  console.log(`p50 at concurrency 1: ${ratio1.toFixed(2)} × bare (target ≤ ${TARGET_RATIO}) — ${ratio1 <= TARGET_RATIO ? "met" : "NOT met"}`);
  console.log("\nwhere the time goes (medians, ms): the driver's phases, their sum, and the rest (queue, store, artifacts)");
  for (const r of rows) {
    const list = Object.entries(r.phases)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(", ");
    console.log(`  concurrency ${r.c}: ${list}; driver ${r.driverP50.toFixed(0)}; rest ≈ ${(r.p50 - r.driverP50).toFixed(0)}`);
  }

  if (drainCount > 0) {
    const c = best.c;
    const ids: string[] = [];
    for (let i = 0; i < drainCount; i++) ids.push(await queueTestRun(store, { tool, userId, inputs: {} }));
    const q = createQueueRepository(store);
    const depth = await q.depth();
    const began = performance.now();
    const w = startWorkers(deps, { concurrency: c, owner: "bench-drain", pollMs: 200 });
    await withTimeout(
      (async () => {
        while ((await q.depth()) > 0 || w.inFlight() > 0) await Bun.sleep(250);
      })(),
      DRAIN_TIMEOUT_MS,
      "the drain",
    );
    const wall = performance.now() - began;
    await w.stop();
    const statuses = store.sqlite.query("SELECT status, count(*) AS n FROM runs WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status").all(JSON.stringify(ids)) as { status: string; n: number }[];
    const ok = statuses.find((s) => s.status === "succeeded")?.n ?? 0;
    console.log(`\ndrain: ${depth} queued runs at concurrency ${c} in ${(wall / 1000).toFixed(1)} s (${((ok / wall) * 60_000).toFixed(0)} runs/min); ${statuses.map((s) => `${s.status} ${s.n}`).join(", ")}`);
    if (ok !== drainCount) {
      console.log("drain: NOT every run succeeded");
      exitCode = 1;
    }
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  exitCode = 1;
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
