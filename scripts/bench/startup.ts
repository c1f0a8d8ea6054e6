// Cold start and idle memory of the compiled binary, against the targets (≤ 60 ms, ≤ 90 MiB).
//
//   ./scripts/build.sh && bun scripts/bench/startup.ts [--runs 10] [--binary dist/skriptoteket]
//
// Each run starts `serve` in a new empty folder with a minimal config (a free 127.0.0.1 port and
// data_dir inside the folder), so the time includes creating the SQLite file and migrating it, as a
// first start on a new server does. Cold start = spawn until the first 200 from /healthz (polled
// every 1 ms); idle RSS = VmRSS 1 s after spawn. Every run is bounded (10 s), then killed.
// On a loaded machine wall time mostly measures the other processes, so two load-independent figures
// are printed too: the CPU time the server had used at its first 200 (all its threads, from
// /proc/<pid>/task/*/schedstat) and `since_process_start_ms` from its "listening" log line.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const TARGET_COLD_START_MS = 60;
const TARGET_IDLE_RSS_MIB = 90;
const RUN_TIMEOUT_MS = 10_000;
const RSS_AFTER_MS = 1_000;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const binary = resolve(option("--binary", join(import.meta.dir, "..", "..", "dist", "skriptoteket")));
const runs = Math.max(1, Number(option("--runs", "10")) || 10);

/** A port nobody listens on right now (the OS picks it; we close it again at once). */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** VmRSS of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** The environment without SKRIPTOTEKET_* variables, which would override the run's own config. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SKRIPTOTEKET_")) env[k] = v;
  return env;
}

/** CPU time used so far by every thread of a process, in ms (Linux; ns resolution). */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return ns / 1e6;
}

type RunResult = { coldMs: number; cpuMs: number; listeningMs: number; rssMiB: number };

/** `since_process_start_ms` of the "listening" log line (JSON or text format), NaN when absent. */
function listeningMs(stderr: string): number {
  const m = /"?since_process_start_ms"?[=:]\s*(\d+)/.exec(stderr);
  return m ? Number(m[1]) : NaN;
}

async function oneRun(): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "skt-bench-"));
  const port = freePort();
  writeFileSync(
    join(dir, "skriptoteket.toml"),
    `[server]\nlisten = "127.0.0.1:${port}"\n[storage]\ndata_dir = "${join(dir, "data")}"\n`,
  );
  const url = `http://127.0.0.1:${port}/healthz`;
  const started = performance.now();
  const child = Bun.spawn([binary, "serve"], { cwd: dir, env: cleanEnv(), stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const stderr = new Response(child.stderr).text();
  try {
    let coldMs = -1;
    let cpuAt200 = -1;
    while (coldMs < 0) {
      if (performance.now() - started > RUN_TIMEOUT_MS) throw new Error(`no 200 from ${url} within ${RUN_TIMEOUT_MS} ms`);
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${await stderr}`);
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status === 200) {
          coldMs = performance.now() - started;
          cpuAt200 = cpuMs(child.pid);
        }
      } catch {
        // not listening yet
      }
      if (coldMs < 0) await Bun.sleep(1);
    }
    await Bun.sleep(Math.max(0, RSS_AFTER_MS - (performance.now() - started)));
    const rss = rssMiB(child.pid);
    await stop(child);
    return { coldMs, cpuMs: cpuAt200, listeningMs: listeningMs(await stderr), rssMiB: rss };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stop(child: Bun.Subprocess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(3_000).then(() => false)]);
  if (!exited) child.kill("SIGKILL");
  await child.exited;
}

function stats(values: number[]): { min: number; median: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s[s.length - 1]! };
}

if (!existsSync(binary)) {
  console.error(`${binary} not found: run ./scripts/build.sh first`);
  process.exit(1);
}

const results: RunResult[] = [];
for (let i = 0; i < runs; i++) {
  const r = await oneRun();
  results.push(r);
  console.log(
    `run ${String(i + 1).padStart(2)}: cold start ${r.coldMs.toFixed(1)} ms (CPU ${r.cpuMs.toFixed(1)} ms, listening at ${r.listeningMs} ms), idle RSS ${r.rssMiB.toFixed(1)} MiB`,
  );
}
const cold = stats(results.map((r) => r.coldMs));
const rss = stats(results.map((r) => r.rssMiB));
const cpu = stats(results.map((r) => r.cpuMs));
const listening = stats(results.map((r) => r.listeningMs));
const verdict = (ok: boolean) => (ok ? "OK" : "OVER TARGET");
console.log("");
console.log(
  `cold start to first /healthz 200: median ${cold.median.toFixed(1)} ms (min ${cold.min.toFixed(1)}, max ${cold.max.toFixed(1)}); ` +
    `target ≤ ${TARGET_COLD_START_MS} ms: ${verdict(cold.median <= TARGET_COLD_START_MS)}`,
);
console.log(
  `idle RSS 1 s after start: median ${rss.median.toFixed(1)} MiB (min ${rss.min.toFixed(1)}, max ${rss.max.toFixed(1)}); ` +
    `target ≤ ${TARGET_IDLE_RSS_MIB} MiB: ${verdict(rss.median <= TARGET_IDLE_RSS_MIB)}`,
);
console.log(
  `CPU time at the first 200: median ${cpu.median.toFixed(1)} ms (min ${cpu.min.toFixed(1)}); "listening" logged at median ${listening.median} ms ` +
    "since process start (both independent of other load on the machine)",
);
