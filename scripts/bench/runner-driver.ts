// Latency of one no-op tool run through the Docker runner driver, against the bare container lifecycle.
//
//   bun scripts/bench/runner-driver.ts [--runs 20] [--image skriptoteket-runner:latest] [--docker-host ""]
//
// Per round, in turn (so that all variants see the same machine load): the bare lifecycle
// (create → start → wait → remove of `python3 -c pass`, docker-bare-lifecycle.ts), the driver with the
// volume + archive path, the driver with the local bind-mount path, and the warm pool over the local path
// (warm-pool-driver.ts, one started container, refilled between samples) — all running the real harness
// with a tool whose run_tool returns a string. Prints min / median / max of each, the driver's phase
// medians and the ratio of the medians to the bare one (the issue's target for the whole queue: ≤ 1.3×).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bareLifecycle } from "../../src/execution/docker-bare-lifecycle";
import { createDockerDriver } from "../../src/execution/docker-driver";
import { HOME_DIR } from "../../src/execution/run-env.rules";
import { DEFAULT_RUN_CAPS, DEFAULT_RUN_LIMITS, type RunnerDriver } from "../../src/execution/runner-driver";
import { createWarmPoolDriver } from "../../src/execution/warm-pool-driver";
import { createLogger } from "../../src/log/logger";

const WARMUP = 3;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const runs = Math.max(1, Number(option("--runs", "20")) || 20);
const image = option("--image", "skriptoteket-runner:latest");
const dockerHost = option("--docker-host", "");
const scratch = mkdtempSync(join(tmpdir(), "skt-bench-driver-"));
const log = createLogger({ write: () => {} });
const volume = createDockerDriver({ dockerHost, log, localIo: false });
const local = createDockerDriver({ dockerHost, log, localIo: true, workRoot: join(scratch, "runs") });
const pool = createWarmPoolDriver({ docker: createDockerDriver({ dockerHost, log, localIo: true, workRoot: join(scratch, "pool") }), size: 1, log, prewarm: [{ image, limits: DEFAULT_RUN_LIMITS }] });

type Sample = { total: number; phases?: Partial<Record<string, number>> };

async function noOpRun(driver: RunnerDriver): Promise<Sample> {
  const began = performance.now();
  const o = await driver.run({
    runId: Bun.randomUUIDv7(),
    toolVersionId: "bench",
    image,
    // what the worker always sets (run-env.rules.ts); the pool serves only runs that agree with its containers
    env: { HOME: HOME_DIR, XDG_CACHE_HOME: `${HOME_DIR}/.cache` },
    script: "def run_tool(input_dir, output_dir):\n    return 'ok'\n",
    inputFiles: [],
    memoryJson: '{"settings":{}}',
    timeoutMs: 30_000,
    limits: DEFAULT_RUN_LIMITS,
    caps: DEFAULT_RUN_CAPS,
    outputDir: mkdtempSync(join(scratch, "out-")),
  });
  const total = performance.now() - began;
  if (o.exitCode !== 0 || o.resultJson === null) {
    throw new Error(`the no-op run failed: exit ${o.exitCode}, ${o.resultProblem ?? ""}\n${o.stderr}`);
  }
  return { total, phases: o.phases };
}

const variants: { name: string; once: () => Promise<Sample> }[] = [
  {
    name: "bare lifecycle",
    once: async () => {
      const { total, ...phases } = await bareLifecycle(image, { dockerHost });
      return { total, phases };
    },
  },
  { name: "driver, volume + archives", once: () => noOpRun(volume) },
  { name: "driver, local bind mount", once: () => noOpRun(local) },
  {
    name: "warm pool, local",
    once: async () => {
      await pool.whenFilled(); // the refill after the previous sample is not part of a run
      return noOpRun(pool);
    },
  },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
try {
  for (let i = 0; i < WARMUP; i++) for (const v of variants) await v.once();
  for (let i = 0; i < runs; i++) for (const v of variants) samples.get(v.name)!.push(await v.once());
} finally {
  await pool.stop();
  rmSync(scratch, { recursive: true, force: true });
}

const bare = median(samples.get("bare lifecycle")!.map((s) => s.total));
console.log(`${runs} runs each, interleaved; ms`);
for (const v of variants) {
  const list = samples.get(v.name)!;
  const totals = list.map((s) => s.total);
  const med = median(totals);
  let line = `${v.name.padEnd(26)} median ${med.toFixed(1).padStart(6)}  min ${Math.min(...totals).toFixed(1).padStart(6)}  max ${Math.max(...totals).toFixed(1).padStart(6)}  ×bare ${(med / bare).toFixed(2)}`;
  const phases = list[0]?.phases;
  if (phases) {
    const keys = Object.keys(phases);
    line += `\n${"".padEnd(26)} phases: ${keys.map((k) => `${k} ${median(list.map((s) => s.phases?.[k] ?? 0)).toFixed(1)}`).join(", ")}`;
  }
  console.log(line);
}
