// Catalog list and search under load, against the target p99 ≤ 20 ms.
//
//   bun scripts/bench/catalog.ts [--seconds 10] [--concurrency 50] [--tools 500] [--binary dist/skriptoteket]
//                                [--client wrk|bun] [--only TEXT] [--keep]
// (--only: the scenarios whose name contains TEXT; --keep: leave the seeded data dir for a closer look)
//
// Seeds a fresh SQLite data dir the way an operator would (`tool import --all --publish` of generated
// tool folders with Swedish titles, summaries and usage instructions; `user create`), starts the real
// server (`bun src/main.ts serve`, or the compiled binary with --binary), logs in once and drives each
// scenario with `concurrency` parallel clients sharing that session cookie for `seconds` (after a 1 s
// warm-up), then prints p50/p90/p99/max latency and requests/s per scenario.
// The load generator shares the machine's 2 cores with the server, so the cheaper it is the less it
// takes from the server: by default it is wrk (C, one thread, `apt install wrk`; keep-alive
// connections, a Lua script rotates the paths and reports the percentiles), as one would put on a
// separate machine; `--client bun` uses 50 fetch loops in this process instead (their own event loop
// then adds to the latency they see, and receiving the 140 KiB list costs them about as much CPU as
// the server spends making it). "srv p50/p99" is the server's own time per request (from its access
// log, which this script reads — an unread log pipe would also stall the server), and "server CPU
// ms/req" (from /proc) its CPU cost per request, which bounds its throughput.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const TARGET_P99_MS = 20;
const START_TIMEOUT_MS = 20_000;
const WARMUP_MS = 1_000;
const EMAIL = "bench@skola.se";
const PASSWORD = "Bänkprov-lösenord-123";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const root = resolve(import.meta.dir, "..", "..");
const seconds = Math.max(1, Number(option("--seconds", "10")) || 10);
const concurrency = Math.max(1, Number(option("--concurrency", "50")) || 50);
const toolCount = Math.max(1, Number(option("--tools", "500")) || 500);
const binary = option("--binary", "");
const clientKind = option("--client", Bun.which("wrk") ? "wrk" : "bun");
if (clientKind !== "wrk" && clientKind !== "bun") throw new Error(`--client must be wrk or bun, not ${clientKind}`);
if (clientKind === "wrk" && !Bun.which("wrk")) throw new Error("--client wrk: wrk is not installed (apt-get install -y wrk), or use --client bun");
const server = binary ? [resolve(binary)] : ["bun", join(root, "src", "main.ts")];

/** A port nobody listens on right now (the OS picks it; we close it again at once). */
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

// ---- seed data ---------------------------------------------------------------------------------

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same catalog. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ["Skapa", "Sammanställ", "Planera", "Analysera", "Slumpa", "Exportera", "Granska", "Beräkna", "Sortera", "Skicka"];
const THINGS = [
  "grupper", "läsbarhet", "närvaro", "betygsunderlag", "lektionsplan", "e-post till vårdnadshavare", "elevlista", "schema",
  "mentorssamtal", "provresultat", "läxor", "klasslista", "åtgärdsprogram", "utvecklingssamtal", "frånvaro", "kursplan",
];
const FILLER = [
  "Verktyget läser en CSV-fil med elevernas namn och klass.", "Resultatet visas som en tabell som du kan ladda ned.",
  "Välj vilken termin och vilka grupper som ska ingå.", "Inga uppgifter sparas efter körningen.",
  "Kontrollera att filen har en rubrikrad.", "Texten analyseras med LIX för att mäta läsbarhet.",
  "Du kan skicka ett e-postutskick till alla vårdnadshavare.", "Planeringen följer läsårets veckor.",
  "Använd exportfilen från skolans administrativa system.", "Mentorer får en sammanfattning per elev.",
];
const PROFESSIONS = ["larare", "specialpedagog", "skoladministrator", "rektor", "gemensamt"];
const CATEGORIES = ["lektionsplanering", "mentorskap", "administration", "ovrigt"];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}
function some<T>(rnd: () => number, list: readonly T[], max: number): T[] {
  const n = 1 + Math.floor(rnd() * max);
  return [...new Set(Array.from({ length: n }, () => pick(rnd, list)))];
}

function writeToolFolders(dir: string, count: number): void {
  const rnd = random(42);
  for (let i = 1; i <= count; i++) {
    const title = `${pick(rnd, VERBS)} ${pick(rnd, THINGS)} ${i}`;
    const folder = join(dir, `verktyg-${i}`);
    mkdirSync(folder);
    const manifest = {
      slug: `verktyg-${i}`,
      title,
      summary: `${title}: ${pick(rnd, FILLER)} ${pick(rnd, FILLER)}`,
      usage_instructions: Array.from({ length: 6 }, () => pick(rnd, FILLER)).join(" "),
      professions: some(rnd, PROFESSIONS, 2),
      categories: some(rnd, CATEGORIES, 2),
    };
    writeFileSync(join(folder, "tool.json"), JSON.stringify(manifest, null, 2));
    writeFileSync(join(folder, "tool.py"), `def run_tool(input_dir, output_dir):\n    return "verktyg ${i}"\n`);
  }
}

function cli(args: string[], cwd: string): void {
  const p = Bun.spawnSync([...server, ...args], { cwd, env: cleanEnv(), stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`${args.join(" ")} exited with ${p.exitCode}:\n${p.stderr.toString()}${p.stdout.toString()}`);
}

// ---- HTTP --------------------------------------------------------------------------------------

function cookieFrom(res: Response, name: string): string {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    if (pair.startsWith(`${name}=`)) return pair;
  }
  throw new Error(`no ${name} cookie in the response (${res.status})`);
}

async function login(base: string): Promise<string> {
  const pre = await fetch(`${base}/api/v1/auth/csrf`);
  const { csrf_token } = (await pre.json()) as { csrf_token: string };
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrf_token, cookie: cookieFrom(pre, "skriptoteket_csrf") },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return cookieFrom(res, "skriptoteket_session");
}

type Scenario = { name: string; paths: string[] };

const SEARCHES = ["läsbarhet", "grupper", "e-post", "planera elever", "lasb"];
// Every ordered pair of two words from the titles: 650 queries, more than the server's cache of 500
// searches per catalog revision holds, so in turn nearly every request is a full-text query.
const TITLE_WORDS = [...VERBS.map((v) => v.toLowerCase()), ...THINGS.map((t) => t.split(" ")[0]!)];
const FRESH_SEARCHES = TITLE_WORDS.flatMap((a) => TITLE_WORDS.filter((b) => b !== a).map((b) => `${a} ${b}`));

// The two baselines show the floor of this harness on this machine: /healthz (no session, no store)
// and /auth/me (the same session lookup every catalog request makes, and a tiny answer).
const SCENARIOS: Scenario[] = [
  { name: "baseline: /healthz", paths: ["/healthz"] },
  { name: "baseline: /auth/me", paths: ["/api/v1/auth/me"] },
  { name: "list, all 500 tools", paths: ["/api/v1/catalog/tools"] },
  { name: "list, first page (limit=50)", paths: ["/api/v1/catalog/tools?limit=50"] },
  { name: "facets (2 professions × 2 categories)", paths: ["/api/v1/catalog/tools?professions=larare,rektor&categories=lektionsplanering,administration"] },
  // The generated texts share sentences, so these queries hit about 60% of the tools: a heavy case.
  { name: "search (5 Swedish queries)", paths: SEARCHES.map((q) => `/api/v1/catalog/tools?q=${encodeURIComponent(q)}`) },
  { name: "search, first page (limit=50)", paths: SEARCHES.map((q) => `/api/v1/catalog/tools?limit=50&q=${encodeURIComponent(q)}`) },
  { name: "search, 650 queries (beyond the cache)", paths: FRESH_SEARCHES.map((q) => `/api/v1/catalog/tools?limit=50&q=${encodeURIComponent(q)}`) },
  { name: "search + facet", paths: [`/api/v1/catalog/tools?q=${encodeURIComponent("närvaro")}&professions=larare`] },
];

/** CPU time (user + system) the process has used so far, in ms, from /proc (Linux; 100 ticks/s). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // fields after the ")" that ends the command name: state is field 3, utime 14, stime 15
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `concurrency` clients request the scenario's paths in turn for `ms`; returns the latencies. */
async function drive(base: string, cookie: string, paths: string[], ms: number): Promise<{ latencies: number[]; errors: number; bytes: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + ms;
  let n = 0;
  const client = async () => {
    while (performance.now() < end) {
      const path = paths[n++ % paths.length]!;
      const t0 = performance.now();
      const res = await fetch(base + path, { headers: { cookie } });
      const body = await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      bytes += body.byteLength;
      if (res.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { latencies, errors, bytes };
}

/**
 * The same drive with wrk: `concurrency` keep-alive connections on one thread, the paths in turn
 * (Lua), percentiles from wrk's latency histogram (µs resolution). Its `done` hook prints one JSON
 * line, so nothing depends on wrk's human-readable report.
 */
async function driveWrk(base: string, cookie: string, paths: string[], ms: number): Promise<DriveResult> {
  const script = join(dir, "wrk-scenario.lua");
  writeFileSync(
    script,
    [
      `wrk.headers["cookie"] = ${JSON.stringify(cookie)}`,
      `local paths = { ${paths.map((p) => JSON.stringify(p)).join(", ")} }`,
      "local n = 0",
      "request = function()",
      "  n = n + 1",
      "  return wrk.format(\"GET\", paths[(n % #paths) + 1])",
      "end",
      "done = function(summary, latency, requests)",
      "  local e = summary.errors",
      "  io.write(string.format('WRK {\"requests\":%d,\"bytes\":%d,\"errors\":%d,\"non2xx\":%d,\"p50\":%d,\"p90\":%d,\"p99\":%d,\"max\":%d}\\n',",
      "    summary.requests, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,",
      "    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))",
      "end",
      "",
    ].join("\n"),
  );
  const seconds = Math.max(1, Math.round(ms / 1000));
  const p = Bun.spawn(["wrk", "-t1", `-c${concurrency}`, `-d${seconds}s`, "--timeout", "5s", "-s", script, base], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const line = out.split("\n").find((l) => l.startsWith("WRK "));
  if (code !== 0 || !line) throw new Error(`wrk exited with ${code}:\n${err}${out}`);
  const w = JSON.parse(line.slice(4)) as { requests: number; bytes: number; errors: number; non2xx: number; p50: number; p90: number; p99: number; max: number };
  const us = (v: number) => v / 1000;
  return { requests: w.requests, errors: w.errors + w.non2xx, bytes: w.bytes, p50: us(w.p50), p90: us(w.p90), p99: us(w.p99), max: us(w.max) };
}

type DriveResult = { requests: number; errors: number; bytes: number; p50: number; p90: number; p99: number; max: number };

/** The fetch-loop drive, summarized like driveWrk's (wrk counts response bytes with headers; this the bodies). */
async function driveBun(base: string, cookie: string, paths: string[], ms: number): Promise<DriveResult> {
  const r = await drive(base, cookie, paths, ms);
  const sorted = r.latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors: r.errors,
    bytes: r.bytes,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

const driveScenario = clientKind === "wrk" ? driveWrk : driveBun;

/** The server's own duration (ms) of every logged API request, in log order (src/http/access-log.ts). */
const serverMs: number[] = [];
let serverLog = "";

async function readAccessLog(stream: ReadableStream<Uint8Array>): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = serverLog + decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    serverLog = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.includes('"msg":"http"')) continue;
      const m = /"ms":([\d.]+)/.exec(line);
      if (m) serverMs.push(Number(m[1]));
    }
  }
}

// ---- main --------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "skt-bench-catalog-"));
const port = freePort();
const base = `http://127.0.0.1:${port}`;
writeFileSync(
  join(dir, "skriptoteket.toml"),
  `[server]\nlisten = "127.0.0.1:${port}"\n[storage]\ndata_dir = "${join(dir, "data")}"\n[auth]\nrate_limit_per_minute = 100000\n`,
);
let child: ReturnType<typeof Bun.spawn> | null = null;
let failed = false;
try {
  const tools = join(dir, "tools");
  mkdirSync(tools);
  writeToolFolders(tools, toolCount);
  const t0 = performance.now();
  cli(["migrate"], dir);
  cli(["tool", "import", "--all", tools, "--publish"], dir);
  cli(["user", "create", "--email", EMAIL, "--role", "user", "--password", PASSWORD], dir);
  console.log(`seeded ${toolCount} published tools and one user in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);

  child = Bun.spawn([...server, "serve"], { cwd: dir, env: cleanEnv(), stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  void readAccessLog(child.stderr as ReadableStream<Uint8Array>);
  const started = performance.now();
  for (;;) {
    if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`no 200 from ${base}/healthz within ${START_TIMEOUT_MS} ms`);
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${serverLog}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await Bun.sleep(20);
  }
  const cookie = await login(base);
  const check = (await (await fetch(`${base}/api/v1/catalog/tools`, { headers: { cookie } })).json()) as { items?: unknown[] };
  if (check.items?.length !== toolCount) throw new Error(`the catalog lists ${check.items?.length ?? "no"} tools, expected ${toolCount}: are the catalog routes wired into src/http/app.ts?`);

  console.log(`server: ${server.join(" ")} serve; ${concurrency} clients (${clientKind === "wrk" ? "wrk, one thread" : "fetch loops in this process"}), ${seconds} s per scenario after ${WARMUP_MS} ms warm-up\n`);
  console.log("scenario                                  requests  req/s    p50 ms  p90 ms  p99 ms  max ms  srv p50  srv p99  KiB/resp  errors  server CPU ms/req");
  const only = option("--only", "");
  for (const s of SCENARIOS.filter((x) => x.name.includes(only))) {
    await driveScenario(base, cookie, s.paths, WARMUP_MS);
    await Bun.sleep(100); // the warm-up's log lines
    const logged0 = serverMs.length;
    const cpu0 = cpuMs(child.pid);
    const r = await driveScenario(base, cookie, s.paths, seconds * 1000);
    const serverCpuPerRequest = (cpuMs(child.pid) - cpu0) / Math.max(1, r.requests);
    await Bun.sleep(100);
    const server = serverMs.slice(logged0).sort((a, b) => a - b);
    const serverCol = (p: number) => (server.length ? percentile(server, p).toFixed(1) : "-").padStart(8);
    if (!s.name.startsWith("baseline") && (r.p99 > TARGET_P99_MS || r.errors > 0)) failed = true;
    console.log(
      [
        s.name.padEnd(40),
        String(r.requests).padStart(9),
        (r.requests / seconds).toFixed(0).padStart(7),
        r.p50.toFixed(1).padStart(8),
        r.p90.toFixed(1).padStart(7),
        r.p99.toFixed(1).padStart(7),
        r.max.toFixed(1).padStart(7),
        serverCol(50),
        serverCol(99),
        (r.bytes / Math.max(1, r.requests) / 1024).toFixed(1).padStart(9),
        String(r.errors).padStart(7),
        serverCpuPerRequest.toFixed(2).padStart(12),
      ].join(" "),
    );
  }
  console.log(`\ntarget p99 ≤ ${TARGET_P99_MS} ms with no errors in every catalog scenario: ${failed ? "NOT MET" : "met"}`);
} finally {
  if (child) {
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(3_000).then(() => false)]);
    if (!exited) child.kill("SIGKILL");
    await child.exited;
  }
  if (process.argv.includes("--keep")) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
