// Crash safety (acceptance): a real server process with workers is killed with SIGKILL while runs are
// running and queued, then started again. Every run must reach a terminal state — the running ones
// adopted from their still-running containers (or requeued when the container vanished with the crash),
// the queued ones simply run — and no sandbox container of these runs may be left.
//
// The tool comes in through the real `tool import` command; runs are queued straight into the store
// (the same createQueuedRun the HTTP API uses), so the test depends only on the worker side.
// The store is SQLite, or a fresh PostgreSQL database with SKRIPTOTEKET_TEST_STORE=postgres.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLogger } from "../log/logger";
import { openPostgres, openSqlite, type Store } from "../store/db";
import { createEmptyPgDatabase, processTestStoreKind } from "../store/test-db";
import { createDockerDriver } from "./docker-driver";
import { createRunsRepository, type RunRecord } from "./runs.repository";
import { insertTestUser, queueTestRun, type TestTool } from "./test-runs";
import { CONTRACT_TOOL_DIR, dockerAvailability, TEST_DOCKER_HOST, TEST_IMAGE, waitForRun } from "./test-worker";

const { skip } = await dockerAvailability("crash-safety.test.ts");
const ROOT = resolve(import.meta.dir, "../..");
const driver = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log: createLogger({ level: "error" }) });
const storeKind = processTestStoreKind();

/** The first row of a query, on either dialect (quoted aliases keep their case in PostgreSQL). */
async function firstRow<T>(store: Store, text: string): Promise<T> {
  return store.dialect === "sqlite" ? (store.sqlite.query(text).get() as T) : ((await store.sql.unsafe(text))[0] as T);
}

/** The process under test: `serve`, whose in-process workers run the queue (the same ones `worker` runs). */
function serverArgv(config: string): string[] {
  return ["bun", "src/main.ts", "serve", "--config", config];
}

describe.skipIf(skip)(`crash safety (${storeKind}): kill -9 with runs running and queued, then restart`, () => {
  const dir = mkdtempSync(join(tmpdir(), "skt-crash-"));
  const config = join(dir, "skriptoteket.toml");
  const logFile = (n: number) => join(dir, `server-${n}.log`);
  let store: Store;
  let pg: Awaited<ReturnType<typeof createEmptyPgDatabase>> = null;
  let server: ReturnType<typeof Bun.spawn> | null = null;
  const runIds: string[] = [];

  function start(n: number) {
    server = Bun.spawn(serverArgv(config), { cwd: ROOT, stdout: Bun.file(logFile(n)), stderr: Bun.file(logFile(n)), env: { ...process.env, SKRIPTOTEKET_CONFIG: config } });
  }

  beforeAll(async () => {
    if (storeKind === "postgres") pg = await createEmptyPgDatabase();
    writeFileSync(
      config,
      [
        "[server]",
        'listen = "127.0.0.1:0"',
        "[storage]",
        `data_dir = ${JSON.stringify(join(dir, "data"))}`,
        ...(pg ? ["[database]", `url = ${JSON.stringify(pg.url)}`] : []),
        "[runner]",
        `image = ${JSON.stringify(TEST_IMAGE)}`,
        `docker_host = ${JSON.stringify(TEST_DOCKER_HOST)}`,
        "concurrency = 2",
        "production_timeout_seconds = 60",
        "[log]",
        'level = "info"',
        'format = "json"',
        "",
      ].join("\n"),
    );
    const imported = Bun.spawnSync(["bun", "src/main.ts", "tool", "import", CONTRACT_TOOL_DIR, "--publish", "--config", config], { cwd: ROOT });
    if (imported.exitCode !== 0) throw new Error(`tool import failed: ${imported.stderr.toString()}`);
    store = pg ? await openPostgres(pg.url, 2) : openSqlite(join(dir, "data", "skriptoteket.db"));
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGKILL");
      await server.exited;
    }
    // never leave containers behind, even when an assertion failed
    for (const c of (await driver.findRunContainers()).filter((c) => runIds.includes(c.runId))) {
      await driver.docker.getContainer(c.containerId).remove({ force: true, v: true }).catch(() => undefined);
    }
    await store?.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("every run ends terminal, adopted or requeued, queued ones still run, no container left", async () => {
    const runs = createRunsRepository(store);
    const row = await firstRow<TestTool>(store, `SELECT t.id AS "toolId", t.active_version_id AS "versionId", t.slug AS slug FROM tools t WHERE t.slug = 'kontraktstest'`);
    expect(row.versionId).toBeString();
    const userId = await insertTestUser(store);
    const submit = (inputs: Record<string, unknown>) => queueTestRun(store, { tool: row, userId, inputs }).then((id) => (runIds.push(id), id));
    const survivor = await submit({ mode: "sleep", seconds: 8 });
    const vanished = await submit({ mode: "sleep", seconds: 8 });
    const queued = [await submit({ mode: "noop" }), await submit({ mode: "kinds", title: "efter kraschen" }), await submit({ mode: "sleep", seconds: 1 }), await submit({ mode: "noop" })];

    start(1);
    const isRunning = (r: RunRecord) => r.status === "running" && r.containerId !== null;
    const [s1, s2] = await Promise.all([waitForRun(runs, survivor, { until: isRunning, timeoutMs: 30_000 }), waitForRun(runs, vanished, { until: isRunning, timeoutMs: 30_000 })]);
    // the scripts run (they print before sleeping) when the server dies
    await Bun.sleep(1_000);
    server!.kill("SIGKILL");
    await server!.exited;
    for (const id of queued) expect((await runs.getRun(id))?.status).toBe("queued");
    expect((await runs.getRun(survivor))?.status).toBe("running");
    const containers = await driver.findRunContainers();
    expect(containers.find((c) => c.runId === survivor)).toMatchObject({ containerId: s1.containerId, state: "running" });
    // the second container vanishes with the crash (as after a reboot of the Docker host)
    await driver.docker.getContainer(s2.containerId!).remove({ force: true, v: true });

    start(2);
    const done = await Promise.all([survivor, vanished, ...queued].map((id) => waitForRun(runs, id, { timeoutMs: 60_000 })));
    expect(done.map((r) => r.status)).toEqual(Array(6).fill("succeeded"));
    expect(done[0]).toMatchObject({ stdout: "sleeping\n", containerId: s1.containerId });
    expect((done[0]!.uiPayload as { outputs: unknown[] }).outputs).toEqual([{ kind: "notice", level: "info", message: "slept" }]);
    expect((await runs.listArtifacts(queued[1]!)).map((a) => a.path)).toEqual(["output/rapport.txt", "output/sub/data.bin"]);

    const log = readFileSync(logFile(2), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.find((l) => l.msg === "adoption done")).toMatchObject({ adopted: 1, requeued: 1, failed: 0 });
    expect(log.find((l) => l.msg === "run finished" && l.run_id === vanished)).toMatchObject({ attempt: 2, outcome: "succeeded" });

    // a clean stop afterwards
    server!.kill("SIGTERM");
    expect(await server!.exited).toBe(0);
    expect((await driver.findRunContainers()).filter((c) => runIds.includes(c.runId))).toEqual([]);
    const stuck = await firstRow<{ n: number | string }>(store, "SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running')");
    expect(Number(stuck.n)).toBe(0);
  }, 120_000);
});
