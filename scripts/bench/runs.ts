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
// 3. the same latency level again with the warm pool (warm-pool-driver.ts, `[runner] warm_pool`) of C
//    started containers, as serve builds it with concurrency C; filled before the level starts.
// 4. drain: `--drain` runs queued at once, then drained by workers at the concurrency that had the best
//    throughput, once fresh containers only and once with the pool; prints the drain times and fails on any
//    run that did not succeed.
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
import { runLimits } from "../../src/execution/run-env.rules";
import type { JobDeps } from "../../src/execution/run-job";
import { createRunsRepository } from "../../src/execution/runs.repository";
import { insertTestTool, insertTestUser, queueTestRun } from "../../src/execution/test-runs";
import { createWarmPoolDriver, type WarmPoolDriver } from "../../src/execution/warm-pool-driver";
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
  // the same driver set-up as serve: local run folders (bind mounts) when the daemon is local
  const driver = createDockerDriver({ log, workRoot: join(dir, "work") });
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

  /** A warm pool of `c` started containers over the same Docker driver, filled: what serve builds with concurrency c. */
  const filledPool = async (c: number): Promise<WarmPoolDriver> => {
    const pool = createWarmPoolDriver({ docker: driver, size: c, log, prewarm: [{ image, limits: runLimits(deps.runner) }] });
    await pool.whenFilled();
    return pool;
  };

  console.log(`Runs through the queue: no-op tool, image ${image}, ${availableParallelism()} cores, ${perLevel} runs per level, SQLite store\n`);
  // warm-up: first container starts and the first queries are slower
  {
    const pool = await filledPool(1);
    for (const d of [driver, pool]) {
      const w = startWorkers({ ...deps, driver: d }, { concurrency: 1, owner: "bench-warmup", pollMs: 200 });
      for (let i = 0; i < 3; i++) await submitAndWait(w.wake);
      await w.stop();
    }
    await pool.stop();
    for (let i = 0; i < 3; i++) await bareLifecycle(image);
  }

  type Level = { p50: number; p95: number; perMin: number; failures: number; phases: Record<string, number>; driverP50: number };
  type Row = { c: number; fresh: Level; pool: Level; bareP50: number; bareP95: number; barePerMin: number };

  /** `perLevel` runs by c clients through workers of concurrency c over driver `d`. */
  const measureLevel = async (c: number, d: JobDeps["driver"], name: string): Promise<Level> => {
    for (const k of Object.keys(phases)) phases[k] = [];
    const w = startWorkers({ ...deps, driver: d }, { concurrency: c, owner: `bench-${name}-${c}`, pollMs: 200 });
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
      `level ${c} (${name})`,
    );
    const wall = performance.now() - began;
    await w.stop();
    const driverTotals = (phases.create ?? []).map((_, i) => Object.values(phases).reduce((sum, v) => sum + (v[i] ?? 0), 0));
    if (failures) exitCode = 1;
    return {
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      perMin: (latencies.length / wall) * 60_000,
      failures,
      phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, quantile(v, 0.5)])),
      driverP50: quantile(driverTotals, 0.5),
    };
  };

  const rows: Row[] = [];
  for (const c of LEVELS) {
    const fresh = await measureLevel(c, driver, "fresh");
    const pool = await filledPool(c);
    const pooled = await measureLevel(c, pool, "pool");
    await pool.stop();

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
    rows.push({ c, fresh, pool: pooled, bareP50: quantile(bare, 0.5), bareP95: quantile(bare, 0.95), barePerMin: (bare.length / bareWall) * 60_000 });
  }

  const table = (title: string, pick: (r: Row) => Level) => {
    console.log(`${title}\nconcurrency | submit→finished p50 | p95     | runs/min | bare p50 | bare p95 | bare runs/min | p50 / bare p50 | failed`);
    for (const r of rows) {
      const l = pick(r);
      console.log(
        `${String(r.c).padStart(11)} | ${ms(l.p50).padStart(19)} | ${ms(l.p95).padStart(7)} | ${l.perMin.toFixed(0).padStart(8)} | ${ms(r.bareP50).padStart(8)} | ${ms(r.bareP95).padStart(8)} | ${r.barePerMin.toFixed(0).padStart(13)} | ${(l.p50 / r.bareP50).toFixed(2).padStart(14)} | ${l.failures}`,
      );
    }
  };
  table("fresh container per run (warm_pool = false)", (r) => r.fresh);
  console.log("");
  table(`warm pool of C started containers (warm_pool = true)`, (r) => r.pool);
  const best = (pick: (r: Row) => Level) => rows.reduce((a, b) => (pick(b).perMin > pick(a).perMin ? b : a));
  const bestFresh = best((r) => r.fresh);
  const bestPool = best((r) => r.pool);
  console.log(`\nsaturation: fresh ${bestFresh.fresh.perMin.toFixed(0)} runs/min at concurrency ${bestFresh.c}, pool ${bestPool.pool.perMin.toFixed(0)} runs/min at concurrency ${bestPool.c} (bare: ${Math.max(...rows.map((r) => r.barePerMin)).toFixed(0)} runs/min)`);
  for (const [name, pick] of [["fresh", (r: Row) => r.fresh], ["pool", (r: Row) => r.pool]] as const) {
    const ratio1 = pick(rows[0]!).p50 / rows[0]!.bareP50;
    console.log(`p50 at concurrency 1, ${name}: ${ratio1.toFixed(2)} × bare (target ≤ ${TARGET_RATIO}) — ${ratio1 <= TARGET_RATIO ? "met" : "NOT met"}`);
  }
  console.log("\nwhere the time goes (medians, ms): the driver's phases, their sum, and the rest (queue, store, artifacts)");
  console.log("(pool: create = rename, upload = filling /work, start = sending the job)");
  for (const r of rows) {
    for (const [name, l] of [["fresh", r.fresh], ["pool", r.pool]] as const) {
      const list = Object.entries(l.phases)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(", ");
      console.log(`  concurrency ${r.c}, ${name.padEnd(5)}: ${list}; driver ${l.driverP50.toFixed(0)}; rest ≈ ${(l.p50 - l.driverP50).toFixed(0)}`);
    }
  }

  const drain = async (c: number, d: JobDeps["driver"], name: string) => {
    const ids: string[] = [];
    for (let i = 0; i < drainCount; i++) ids.push(await queueTestRun(store, { tool, userId, inputs: {} }));
    const q = createQueueRepository(store);
    const depth = await q.depth();
    const began = performance.now();
    const w = startWorkers({ ...deps, driver: d }, { concurrency: c, owner: `bench-drain-${name}`, pollMs: 200 });
    await withTimeout(
      (async () => {
        while ((await q.depth()) > 0 || w.inFlight() > 0) await Bun.sleep(250);
      })(),
      DRAIN_TIMEOUT_MS,
      `the drain (${name})`,
    );
    const wall = performance.now() - began;
    await w.stop();
    const statuses = store.sqlite.query("SELECT status, count(*) AS n FROM runs WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status").all(JSON.stringify(ids)) as { status: string; n: number }[];
    const ok = statuses.find((s) => s.status === "succeeded")?.n ?? 0;
    console.log(`drain, ${name}: ${depth} queued runs at concurrency ${c} in ${(wall / 1000).toFixed(1)} s (${((ok / wall) * 60_000).toFixed(0)} runs/min); ${statuses.map((s) => `${s.status} ${s.n}`).join(", ")}`);
    if (ok !== drainCount) {
      console.log(`drain, ${name}: NOT every run succeeded`);
      exitCode = 1;
    }
  };
  if (drainCount > 0) {
    console.log("");
    await drain(bestFresh.c, driver, "fresh");
    const pool = await filledPool(bestPool.c);
    await drain(bestPool.c, pool, "pool");
    await pool.stop();
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  exitCode = 1;
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
