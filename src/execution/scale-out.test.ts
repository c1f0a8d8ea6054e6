// The PostgreSQL deployment (ARCHITECTURE "Scale-out"), with real processes: TWO `serve` instances on
// distinct ports and ONE `skriptoteket worker` share one fresh PostgreSQL database and one data_dir.
// Teachers submit runs through both servers' HTTP APIs (login, CSRF, multipart upload), as they would
// behind a load balancer. Every run must succeed exactly once: one claim (attempts = 1), one
// "run finished" line in exactly one process's log, from the process holding the lease, one container
// of its own. Each of the three processes must have run some. Files cross processes: the upload
// reaches the tool whichever process runs it, and artifacts download from the other server. After
// SIGTERM every process exits 0 and no container of these runs is left.
//
// Needs Docker with the runner image and SKRIPTOTEKET_TEST_DATABASE_URL (scripts/test.sh sets it);
// skipped with a note without them, failing instead when CI=true.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ApiSession, runForm } from "../../scripts/e2e/api-session";
import { createLogger } from "../log/logger";
import { openPostgres } from "../store/db";
import { createEmptyPgDatabase } from "../store/test-db";
import { createDockerDriver } from "./docker-driver";
import { CONTRACT_TOOL_DIR, dockerAvailability, TEST_DOCKER_HOST, TEST_IMAGE } from "./test-worker";

const ROOT = resolve(import.meta.dir, "../..");
const RUNS_PER_SERVER = 12;
const TERMINAL = new Set(["succeeded", "failed", "timed_out", "cancelled"]);
const TEACHERS = [
  { email: "larare-a@skola.se", password: "Kanelbullar-pa-rasten-4" },
  { email: "larare-b@skola.se", password: "Hallonsaft-och-hembakat-8" },
];

const { skip: noDocker } = await dockerAvailability("scale-out.test.ts");
const pg = noDocker ? null : await createEmptyPgDatabase();
if (!pg && !noDocker) {
  if (process.env.CI) throw new Error("scale-out.test.ts: CI=true but SKRIPTOTEKET_TEST_DATABASE_URL is not set");
  console.warn("scale-out.test.ts: skipped — SKRIPTOTEKET_TEST_DATABASE_URL is not set");
}
const driver = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log: createLogger({ level: "error" }) });

type Proc = { name: string; child: ReturnType<typeof Bun.spawn>; logFile: string; port: number | null };
type LogLine = Record<string, unknown> & { msg?: string };

function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** The environment without SKRIPTOTEKET_* overrides from the caller (the config file decides). */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SKRIPTOTEKET_")) env[k] = v;
  return { ...env, ...extra };
}

function logLines(file: string): LogLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    // a line being written right now is incomplete: complete lines only
    .filter((l) => l.startsWith("{") && l.endsWith("}"))
    .map((l) => JSON.parse(l) as LogLine);
}

/** Polls `probe` until it returns non-null; errors count as "not yet" only with `tolerateErrors` (a server still starting). */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>, { tolerateErrors = false } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = tolerateErrors ? await probe().catch(() => null) : await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await Bun.sleep(100);
  }
}

describe.skipIf(!pg)("PostgreSQL scale-out: two serve instances and one worker on one database", () => {
  const dir = mkdtempSync(join(tmpdir(), "skt-scale-out-"));
  const config = join(dir, "skriptoteket.toml");
  const procs: Proc[] = [];
  const runIds: string[] = [];

  function cli(args: string[]): void {
    const p = Bun.spawnSync(["bun", "src/main.ts", ...args, "--config", config], { cwd: ROOT, env: cleanEnv() });
    if (p.exitCode !== 0) throw new Error(`${args.slice(0, 2).join(" ")} failed (${p.exitCode}): ${p.stderr.toString()}${p.stdout.toString()}`);
  }

  function start(name: string, argv: string[], port: number | null): Proc {
    const logFile = join(dir, `${name}.log`);
    const env = cleanEnv(port === null ? {} : { SKRIPTOTEKET_SERVER_LISTEN: `127.0.0.1:${port}` });
    const child = Bun.spawn(["bun", "src/main.ts", ...argv, "--config", config], { cwd: ROOT, env, stdin: "ignore", stdout: Bun.file(logFile), stderr: Bun.file(logFile) });
    const proc = { name, child, logFile, port };
    procs.push(proc);
    return proc;
  }

  beforeAll(async () => {
    writeFileSync(
      config,
      [
        "[server]",
        'listen = "127.0.0.1:0"',
        // one secret for every instance: sessions and tokens are valid on any of them
        `secret = ${JSON.stringify("scale-out-test-secret-".padEnd(48, "x"))}`,
        "[storage]",
        // one data_dir shared by all processes stands in for shared storage (NFS, later S3)
        `data_dir = ${JSON.stringify(join(dir, "data"))}`,
        "[database]",
        `url = ${JSON.stringify(pg!.url)}`,
        "[runner]",
        `image = ${JSON.stringify(TEST_IMAGE)}`,
        `docker_host = ${JSON.stringify(TEST_DOCKER_HOST)}`,
        // one slot per process: three processes share two cores here, and each must get work
        "concurrency = 1",
        "production_timeout_seconds = 60",
        "[log]",
        'level = "info"',
        'format = "json"',
        "",
      ].join("\n"),
    );
    cli(["migrate"]);
    cli(["tool", "import", CONTRACT_TOOL_DIR, "--publish"]);
    for (const t of TEACHERS) cli(["user", "create", "--email", t.email, "--role", "user", "--password", t.password]);
  }, 60_000);

  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode === null) {
        p.child.kill("SIGKILL");
        await p.child.exited;
      }
    }
    // never leave containers behind, even when an assertion failed
    for (const c of (await driver.findRunContainers().catch(() => [])).filter((c) => runIds.includes(c.runId))) {
      await driver.docker.getContainer(c.containerId).remove({ force: true, v: true }).catch(() => undefined);
    }
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  test("every run submitted through either server succeeds exactly once; all three processes run some; clean stop", async () => {
    const servers = [start("serve-a", ["serve"], freePort()), start("serve-b", ["serve"], freePort())];
    const worker = start("worker", ["worker", "--concurrency", "1"], null);
    const urls = servers.map((s) => `http://127.0.0.1:${s.port}`);
    for (const url of urls) {
      await until(`${url}/readyz`, 30_000, async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : null), { tolerateErrors: true });
    }
    const owners = new Map<string, string>();
    await until("every process started its workers", 30_000, async () => {
      for (const p of [...servers, worker]) {
        const line = logLines(p.logFile).find((l) => l.msg === "workers started");
        if (typeof line?.owner === "string") owners.set(line.owner, p.name);
      }
      return owners.size === 3 ? true : null;
    });

    // teacher A uses server A, teacher B server B; both submit their runs in one burst
    const sessions = await Promise.all(
      TEACHERS.map(async (t, i) => {
        const s = new ApiSession(urls[i]!);
        await s.login(t.email, t.password);
        return s;
      }),
    );
    const submitted = await Promise.all(
      sessions.flatMap((s, i) =>
        Array.from({ length: RUNS_PER_SERVER }, async (_, n) => {
          const title = `server ${i} run ${n}`;
          const res = await s.request("POST", "/api/v1/tools/kontraktstest/run", { form: runForm({ mode: "kinds", title }, [{ name: `lista-${i}-${n}.txt`, content: `${title}\n` }]) });
          const text = await res.text();
          expect({ status: res.status, text }).toEqual({ status: 202, text: expect.stringContaining('"run_id"') });
          const runId = (JSON.parse(text) as { run_id: string }).run_id;
          runIds.push(runId);
          return { session: i, runId, title, file: `lista-${i}-${n}.txt` };
        }),
      ),
    );
    expect(new Set(runIds).size).toBe(2 * RUNS_PER_SERVER);

    // follow each run on the OTHER server with the same session cookie: no sticky sessions needed
    type RunView = { status: string; ui_payload: { outputs: { kind: string; value?: unknown }[] } | null; artifacts: { artifact_id: string; path: string; download_url: string }[] };
    const views = await Promise.all(
      submitted.map(async (r) => {
        const other = sessions[r.session]!.on(urls[1 - r.session]!);
        const view = await until(`run ${r.runId} finished`, 120_000, async () => {
          const v = await other.getJson<RunView>(`/api/v1/runs/${r.runId}`);
          return TERMINAL.has(v.status) ? v : null;
        });
        return { ...r, view, other };
      }),
    );
    for (const { view, title, file, runId, other } of views) {
      expect({ runId, status: view.status }).toEqual({ runId, status: "succeeded" });
      // the upload went to one server's data_dir handling; the run may have executed in any process
      const echo = view.ui_payload?.outputs.find((o) => o.kind === "json")?.value as { contents?: Record<string, string> } | undefined;
      expect(echo?.contents).toEqual({ [file]: `${title}\n` });
      const report = view.artifacts.find((a) => a.path === "output/rapport.txt");
      expect(report).toBeDefined();
      const download = await other.request("GET", report!.download_url);
      expect(await download.text()).toBe(`Rapport för ${title}\n`);
    }

    // exactly once: one claim per job, finished by its lease holder, logged once in all three logs
    const pgStore = await openPostgres(pg!.url, 1);
    const jobs = await pgStore.sql<{ run_id: string; attempts: number; status: string; lease_owner: string; container_id: string | null }[]>`
      SELECT j.run_id, j.attempts, j.status, j.lease_owner, r.container_id FROM jobs j JOIN runs r ON r.id = j.run_id`;
    await pgStore.close();
    expect(jobs.length).toBe(runIds.length);
    for (const j of jobs) expect({ run: j.run_id, attempts: j.attempts, status: j.status, known: owners.has(j.lease_owner) }).toEqual({ run: j.run_id, attempts: 1, status: "done", known: true });
    expect(new Set(jobs.map((j) => j.container_id)).size).toBe(runIds.length);

    const finishedBy = new Map<string, string[]>();
    for (const p of [...servers, worker]) {
      for (const l of logLines(p.logFile).filter((l) => l.msg === "run finished")) {
        expect(l).toMatchObject({ outcome: "succeeded", attempt: 1 });
        finishedBy.set(String(l.run_id), [...(finishedBy.get(String(l.run_id)) ?? []), p.name]);
      }
    }
    expect([...finishedBy.keys()].sort()).toEqual([...runIds].sort());
    for (const j of jobs) expect({ run: j.run_id, by: finishedBy.get(j.run_id) }).toEqual({ run: j.run_id, by: [owners.get(j.lease_owner)!] });
    const perProcess = Object.fromEntries(["serve-a", "serve-b", "worker"].map((name) => [name, jobs.filter((j) => owners.get(j.lease_owner) === name).length]));
    console.log("runs per process:", perProcess);
    for (const n of Object.values(perProcess)) expect(n).toBeGreaterThan(0);

    // a clean stop of all three
    for (const p of procs) p.child.kill("SIGTERM");
    expect(await Promise.all(procs.map((p) => p.child.exited))).toEqual([0, 0, 0]);
    expect((await driver.findRunContainers()).filter((c) => runIds.includes(c.runId))).toEqual([]);
  }, 180_000);
});
