// Load: simulated teachers browsing the catalog and running tools against ONE server, the way a school
// uses it at its busiest. Targets: 0 errors, 0 lost runs, API p95 ≤ 100 ms.
//
//   bun scripts/bench/load.ts [--seconds 300] [--teachers 50] [--run-share 0.5] [--postgres] [--binary dist/skriptoteket]
//
// Set-up, as an operator would do it: a fresh data dir, `seed` (the built-in script bank), one account
// per teacher (`user create`), then `serve` on a free 127.0.0.1 port (loopback only). SQLite by default;
// --postgres uses a fresh database on $SKRIPTOTEKET_TEST_DATABASE_URL's server (dropped afterwards).
// [auth] rate_limit_per_minute is raised because every teacher comes from 127.0.0.1 here; behind a
// school's NAT set it for the number of teachers, or set [server] trust_proxy behind a proxy.
//
// Each teacher logs in (index.html, meta, me, csrf, login) within the first 10 s, then repeats until
// --seconds are over, with 1–5 s of thinking before each step: home → catalog list → a search → a tool's
// page (+ its settings); in `--run-share` of the rounds the teacher then runs that tool with a small file
// (multipart), follows it over Server-Sent Events like the UI, reads the run and downloads an
// artifact; now and then opens the run history. Four script-bank tools are used (CSV → Excel, guardians'
// e-mail list, random groups, readability), each with a small realistic file.
//
// When the time is up no new step starts; runs still going are followed for at most --drain seconds
// (default 180). A run that is not finished by then is LOST, and so is one the server still lists as
// queued or running afterwards. Errors: any unexpected status, a failed or timed-out run, a network
// error or a request taking over 30 s. Latency is per request including the body; the event stream is
// not a request-response and is reported as run turnaround (submit → finished event) instead.
// The whole bench is bounded (set-up 2 min, load, drain, then a hard stop) and cleans up after itself.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ApiSession, runForm } from "../e2e/api-session";
import { createEmptyPgDatabase } from "../../src/store/test-db";

const TARGET_API_P95_MS = 100;
const REQUEST_TIMEOUT_MS = 30_000;
const SETUP_TIMEOUT_MS = 120_000;
const RAMP_UP_MS = 10_000;
const PASSWORD = "Läsårsstart-i-augusti-2026";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1]!.startsWith("--") ? process.argv[i + 1]! : fallback;
}
const seconds = Math.max(5, Number(option("--seconds", "300")) || 300);
const teacherCount = Math.max(1, Number(option("--teachers", "50")) || 50);
const runShare = Math.min(1, Math.max(0, Number(option("--run-share", "0.5"))));
const drainSeconds = Math.max(10, Number(option("--drain", "180")) || 180);
const usePostgres = process.argv.includes("--postgres");
const binary = resolve(option("--binary", join(import.meta.dir, "..", "..", "dist", "skriptoteket")));

// ---- what teachers do ------------------------------------------------------------------------------

const PUPILS = [
  "Alva Andersson", "Elias Berg", "Maja Berg", "Noah Carlsson", "Ella Danielsson", "Hugo Ek", "Wilma Eriksson",
  "Liam Forsberg", "Saga Gustafsson", "William Hansson", "Alma Holm", "Oscar Isaksson", "Freja Johansson",
  "Lucas Jonsson", "Ebba Karlsson", "Adam Lund", "Astrid Lindqvist", "Nils Magnusson", "Selma Nilsson",
  "Vincent Olsson", "Ines Persson", "Theo Sandberg", "Stella Svensson", "Måns Öberg",
];
const enc = new TextEncoder();
const lines = (rows: string[][]) => enc.encode(rows.map((r) => r.join(";")).join("\r\n") + "\r\n");
const mail = (name: string, n: number) => `${name.toLowerCase().replace(/[^a-zåäö]+/g, ".").replace(/[åä]/g, "a").replace(/ö/g, "o")}.vh${n}@example.se`;

type ToolRun = { slug: string; inputs: Record<string, unknown>; file: { name: string; content: Uint8Array } };
const TOOL_RUNS: ToolRun[] = [
  {
    slug: "csv-excel",
    inputs: {},
    file: { name: "elever-7b.csv", content: lines([["Namn", "Klass", "Poäng"], ...PUPILS.map((p, i) => [p, "7B", `${10 + (i % 9)},5`])]) },
  },
  {
    slug: "vardnadshavare-epost",
    inputs: { avgransare: "semikolon" },
    file: { name: "klasslista-7c.csv", content: lines([["Namn", "Klass", "Vårdnadshavare e-post", "Vårdnadshavare 2 e-post"], ...PUPILS.map((p) => [p, "7C", mail(p, 1), mail(p, 2)])]) },
  },
  {
    slug: "slumpa-grupper",
    inputs: { indelning: "storlek", antal: 4 },
    file: { name: "klasslista-8a.csv", content: lines([["Namn", "Klass"], ...PUPILS.map((p) => [p, "8A"])]) },
  },
  {
    slug: "lasbarhet-lix",
    inputs: {},
    file: {
      name: "brev-till-vardnadshavare.txt",
      content: enc.encode(
        "Hej! Nästa vecka åker klass 7B på studiebesök till Naturhistoriska riksmuseet. Vi samlas vid skolan klockan 8.15 " +
          "och är tillbaka ungefär klockan 14. Eleverna behöver ha med sig matsäck, vattenflaska och kläder efter väder. " +
          "Hör gärna av er till mig om ni har frågor. Med vänliga hälsningar, klassföreståndaren.\n",
      ),
    },
  },
];
const SEARCHES = ["excel", "grupper", "e-post", "läsbarhet", "vårdnadshavare", "namnlappar", "närvaro", "word"];

// ---- measurements ----------------------------------------------------------------------------------

const latencies = new Map<string, number[]>();
const errors: string[] = [];
let requests = 0;
type RunRecord = { id: string; slug: string; submittedAt: number; finishedAt: number | null; status: string | null };
const runs: RunRecord[] = [];

function fail(what: string): void {
  errors.push(what);
  if (errors.length <= 10) console.error(`error: ${what}`);
}

/** One request, timed including its body; `expect` is the status that counts as success. */
async function call(session: ApiSession, label: string, method: string, path: string, body: { json?: unknown; form?: FormData } = {}, expect = 200): Promise<{ status: number; text: string } | null> {
  const t0 = performance.now();
  try {
    const res = await session.request(method, path, body, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    const ms = performance.now() - t0;
    requests++;
    let list = latencies.get(label);
    if (!list) latencies.set(label, (list = []));
    list.push(ms);
    if (res.status !== expect) {
      fail(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return null;
    }
    return { status: res.status, text };
  } catch (err) {
    requests++;
    fail(`${method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

/** Follows a run's event stream to its `finished` event, as the UI's EventSource does; returns the status. */
async function follow(session: ApiSession, runId: string, deadline: number): Promise<string | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - Date.now()));
  try {
    const res = await session.request("GET", `/api/v1/runs/${runId}/events`, {}, { signal: abort.signal });
    requests++;
    if (res.status !== 200 || !res.body) {
      fail(`GET /runs/${runId}/events: ${res.status}`);
      return null;
    }
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      const m = /event: finished\ndata: (\{[^\n]*\})\n\n/.exec(buffer);
      if (m) {
        abort.abort();
        return (JSON.parse(m[1]!) as { status: string }).status;
      }
    }
    return null; // the server ended the stream without a verdict: the run is looked up afterwards
  } catch (err) {
    if (abort.signal.aborted) return null; // past the drain deadline
    fail(`GET /runs/${runId}/events: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// ---- one teacher -----------------------------------------------------------------------------------

const random = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** One teacher's session until the load ends; returns the signed-in session (null when login failed). */
async function teacher(base: string, email: string, loadEnd: number, drainEnd: number): Promise<ApiSession | null> {
  const s = new ApiSession(base);
  const think = async () => {
    const ms = random(1_000, 5_000);
    if (Date.now() + ms >= loadEnd) return false;
    await Bun.sleep(ms);
    return true;
  };
  await Bun.sleep(random(0, RAMP_UP_MS));
  // opening the site: the page, what the UI asks before login, then the login itself
  await call(s, "GET / (index.html)", "GET", "/");
  await call(s, "GET /meta", "GET", "/api/v1/meta");
  await call(s, "GET /auth/me (401 before login)", "GET", "/api/v1/auth/me", {}, 401);
  const csrf = await call(s, "GET /auth/csrf", "GET", "/api/v1/auth/csrf");
  if (!csrf) return null;
  s.csrf = (JSON.parse(csrf.text) as { csrf_token: string }).csrf_token;
  const login = await call(s, "POST /auth/login", "POST", "/api/v1/auth/login", { json: { email, password: PASSWORD } });
  if (!login) return null;
  s.csrf = (JSON.parse(login.text) as { csrf_token: string }).csrf_token;
  await call(s, "GET /auth/me", "GET", "/api/v1/auth/me");

  while (Date.now() < loadEnd) {
    await call(s, "GET /catalog/home", "GET", "/api/v1/catalog/home");
    if (!(await think())) break;
    await call(s, "GET /catalog/tools", "GET", "/api/v1/catalog/tools");
    if (!(await think())) break;
    await call(s, "GET /catalog/tools?q=", "GET", `/api/v1/catalog/tools?q=${encodeURIComponent(pick(SEARCHES))}`);
    if (!(await think())) break;
    const tool = pick(TOOL_RUNS);
    await call(s, "GET /catalog/tools/:slug", "GET", `/api/v1/catalog/tools/${tool.slug}`);
    await call(s, "GET /tools/:slug/settings", "GET", `/api/v1/tools/${tool.slug}/settings`);
    if (!(await think())) break;
    if (Math.random() < runShare) {
      const submittedAt = Date.now();
      const accepted = await call(s, "POST /tools/:slug/run", "POST", `/api/v1/tools/${tool.slug}/run`, { form: runForm(tool.inputs, [tool.file]) }, 202);
      if (accepted) {
        const run: RunRecord = { id: (JSON.parse(accepted.text) as { run_id: string }).run_id, slug: tool.slug, submittedAt, finishedAt: null, status: null };
        runs.push(run);
        // a run submitted near the end is still followed, up to the drain deadline
        const status = await follow(s, run.id, drainEnd);
        const view = await call(s, "GET /runs/:id", "GET", `/api/v1/runs/${run.id}`);
        const parsed = view ? (JSON.parse(view.text) as { status: string; artifacts: { download_url: string }[] }) : null;
        if (parsed && ["succeeded", "failed", "timed_out", "cancelled"].includes(parsed.status)) {
          run.status = parsed.status;
          run.finishedAt = Date.now();
          if (status !== parsed.status) fail(`run ${run.id}: the event stream said ${status ?? "nothing"}, the run is ${parsed.status}`);
          if (parsed.status !== "succeeded") fail(`run ${run.id} (${tool.slug}) ended ${parsed.status}`);
          else if (parsed.artifacts.length > 0) await call(s, "GET /runs/:id/artifacts/:aid", "GET", pick(parsed.artifacts).download_url);
        }
      }
      if (!(await think())) break;
    }
    if (Math.random() < 0.2) {
      await call(s, "GET /runs (history)", "GET", "/api/v1/runs");
      if (!(await think())) break;
    }
  }
  return s;
}

// ---- set-up and report -----------------------------------------------------------------------------

function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** The environment without SKRIPTOTEKET_* variables, which would override the bench's own config. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SKRIPTOTEKET_")) env[k] = v;
  return env;
}

async function cli(args: string[], cwd: string): Promise<void> {
  const p = Bun.spawn([binary, ...args], { cwd, env: cleanEnv(), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  if (code !== 0) throw new Error(`skriptoteket ${args.slice(0, 2).join(" ")} exited with ${code}:\n${err}${out}`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) and peak RSS of a process, from /proc (Linux, 100 ticks/s). */
function processUsage(pid: number): { cpuSeconds: number; peakRssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, peakRssMiB: hwm / 1024 };
}

const fmt = (ms: number) => (Number.isNaN(ms) ? "-" : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

if (!existsSync(binary)) {
  console.error(`${binary} is missing: build it with scripts/build.sh`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "skt-bench-load-"));
const port = freePort();
const base = `http://127.0.0.1:${port}`;
let child: ReturnType<typeof Bun.spawn> | null = null;
let pg: Awaited<ReturnType<typeof createEmptyPgDatabase>> = null;
let exitCode = 0;
// the hard stop: whatever hangs, the bench ends
const hardStop = setTimeout(
  () => {
    console.error("load: hard time limit reached; stopping");
    child?.kill("SIGKILL");
    process.exit(1);
  },
  SETUP_TIMEOUT_MS + (seconds + drainSeconds + 60) * 1000,
);
try {
  if (usePostgres) {
    pg = await createEmptyPgDatabase();
    if (!pg) throw new Error("--postgres needs SKRIPTOTEKET_TEST_DATABASE_URL=postgres://user:password@host:5432/postgres (a role that may CREATE DATABASE)");
  }
  writeFileSync(
    join(dir, "skriptoteket.toml"),
    [
      "[server]",
      `listen = "127.0.0.1:${port}"`,
      `public_url = "${base}"`,
      "[storage]",
      `data_dir = ${JSON.stringify(join(dir, "data"))}`,
      ...(pg ? ["[database]", `url = ${JSON.stringify(pg.url)}`] : []),
      "[auth]",
      "rate_limit_per_minute = 100000",
      "[log]",
      'level = "info"',
      "",
    ].join("\n"),
  );
  const t0 = performance.now();
  await cli(["migrate"], dir);
  await cli(["seed"], dir);
  const emails = Array.from({ length: teacherCount }, (_, i) => `larare${i + 1}@skola.se`);
  // four at a time: each is a process with one argon2 hash
  for (let i = 0; i < emails.length; i += 4) {
    await Promise.all(emails.slice(i, i + 4).map((email) => cli(["user", "create", "--email", email, "--role", "user", "--password", PASSWORD], dir)));
  }
  console.log(`set-up: ${usePostgres ? "PostgreSQL" : "SQLite"}, script bank seeded, ${teacherCount} teachers created in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);

  const logFile = join(dir, "server.log");
  child = Bun.spawn([binary, "serve"], { cwd: dir, env: cleanEnv(), stdin: "ignore", stdout: Bun.file(logFile), stderr: Bun.file(logFile) });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${readFileSync(logFile, "utf8")}`);
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() - started > 30_000) throw new Error(`${base}/readyz is not 200 after 30 s (Docker, runner image?):\n${await fetch(`${base}/readyz`).then((r) => r.text(), String)}`);
    await Bun.sleep(100);
  }
  const usage0 = processUsage(child.pid);

  console.log(`load: ${teacherCount} teachers for ${seconds} s against ${binary} serve (pid ${child.pid}) at ${base}; run share ${runShare}`);
  const loadStart = Date.now();
  const loadEnd = loadStart + seconds * 1000;
  const drainEnd = loadEnd + drainSeconds * 1000;
  const progress = setInterval(() => {
    const done = runs.filter((r) => r.status !== null).length;
    console.log(`  ${Math.round((Date.now() - loadStart) / 1000)} s: ${requests} requests, ${runs.length} runs (${done} finished), ${errors.length} errors`);
  }, 30_000);
  const sessions = await Promise.all(emails.map((email) => teacher(base, email, loadEnd, drainEnd)));
  clearInterval(progress);
  const wall = (Date.now() - loadStart) / 1000;

  // what the server itself still holds as unfinished counts as lost too (a run nobody followed)
  const lostIds = new Set<string>();
  for (const s of sessions) {
    if (!s) continue;
    const open = await s.getJson<{ items: { run_id: string }[]; total: number }>("/api/v1/runs?status=queued,running&page_size=100");
    for (const item of open.items) lostIds.add(item.run_id);
    if (open.total > open.items.length) fail(`${open.total} unfinished runs of one teacher on the server; only the first 100 are counted`);
  }
  const usage1 = processUsage(child.pid);
  const serverErrors = readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => l.includes('"level":"error"'));

  // ---- the report ----
  const api = [...latencies.entries()].filter(([label]) => !label.startsWith("GET / ")).flatMap(([, v]) => v).sort((a, b) => a - b);
  const finished = runs.filter((r) => r.status !== null);
  for (const r of runs) if (r.status === null) lostIds.add(r.id);
  const lost = lostIds.size;
  const turnaround = finished.map((r) => r.finishedAt! - r.submittedAt).sort((a, b) => a - b);
  const apiP95 = percentile(api, 95);
  console.log(`\nrequests: ${requests} in ${wall.toFixed(0)} s (${(requests / wall).toFixed(1)}/s), errors: ${errors.length}, server error log lines: ${serverErrors.length}`);
  console.log("\nendpoint                               count   p50 ms  p95 ms  p99 ms  max ms");
  for (const [label, list] of [...latencies.entries()].sort((a, b) => b[1].length - a[1].length)) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`${label.padEnd(37)} ${String(sorted.length).padStart(6)} ${fmt(percentile(sorted, 50)).padStart(8)} ${fmt(percentile(sorted, 95)).padStart(7)} ${fmt(percentile(sorted, 99)).padStart(7)} ${fmt(sorted[sorted.length - 1]!).padStart(7)}`);
  }
  console.log(`${"all API requests".padEnd(37)} ${String(api.length).padStart(6)} ${fmt(percentile(api, 50)).padStart(8)} ${fmt(apiP95).padStart(7)} ${fmt(percentile(api, 99)).padStart(7)} ${fmt(api[api.length - 1] ?? NaN).padStart(7)}`);
  const bySlug = TOOL_RUNS.map((t) => `${t.slug} ${runs.filter((r) => r.slug === t.slug).length}`).join(", ");
  console.log(`\nruns: ${runs.length} submitted (${(runs.length / (seconds / 60)).toFixed(1)}/min; ${bySlug}), ${finished.filter((r) => r.status === "succeeded").length} succeeded, ${finished.filter((r) => r.status !== "succeeded").length} not, ${lost} lost`);
  console.log(`run turnaround (submit → finished event, ms): p50 ${fmt(percentile(turnaround, 50))}, p95 ${fmt(percentile(turnaround, 95))}, max ${fmt(turnaround[turnaround.length - 1] ?? NaN)}`);
  console.log(`server: ${(usage1.cpuSeconds - usage0.cpuSeconds).toFixed(1)} CPU s over ${wall.toFixed(0)} s (${(((usage1.cpuSeconds - usage0.cpuSeconds) / wall) * 100).toFixed(0)}% of one core; containers not included), peak RSS ${usage1.peakRssMiB.toFixed(0)} MiB`);
  for (const line of serverErrors.slice(0, 5)) console.log(`server error: ${line.slice(0, 300)}`);

  const met = { errors: errors.length === 0 && serverErrors.length === 0, lost: lost === 0, p95: apiP95 <= TARGET_API_P95_MS };
  console.log(
    `\ntargets: 0 errors ${met.errors ? "met" : "NOT MET"}; 0 lost runs ${met.lost ? "met" : "NOT MET"}; API p95 ${fmt(apiP95)} ms ≤ ${TARGET_API_P95_MS} ms ${met.p95 ? "met" : "NOT MET"}`,
  );
  if (!met.errors || !met.lost || !met.p95) exitCode = 1;
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  exitCode = 1;
} finally {
  if (child) {
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(35_000).then(() => false)]);
    if (!exited) child.kill("SIGKILL");
    await child.exited;
  }
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
  clearTimeout(hardStop);
}
process.exit(exitCode);
