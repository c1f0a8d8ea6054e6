// The warm pool against the real Docker engine and the runner image (skipped locally without them, failing
// with CI=true, like docker-driver.test.ts). The scenarios of the driver contract run twice: once with a
// fresh container per run (the Docker driver, local run folders) and once served from the pool, with the
// same expectations — the pool must not be visible in a RunOutcome. They are written as harness scripts
// (top-level code runs when the harness imports the script), because a pool container already runs the
// harness: a `command` override would go to a fresh container. Then what only the pool has: its deadline
// counts from dispatch, a cancel while waiting for a container, adoption by name, left-overs of a dead
// server, and stop() leaving nothing behind.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../log/logger";
import { SANDBOX_UID } from "./docker-archive";
import { createDockerDriver, type DockerDriver } from "./docker-driver";
import { HOME_DIR } from "./run-env.rules";
import { DEFAULT_RUN_CAPS, DEFAULT_RUN_LIMITS, RUN_LABEL, type RunLimits, type RunnerDriver, type RunnerDriverError, type RunOutcome, type RunSpec } from "./runner-driver";
import { dockerAvailability, TEST_DOCKER_HOST, TEST_IMAGE } from "./test-worker";
import { createWarmPoolDriver, type WarmPoolDriver } from "./warm-pool-driver";
import { createSlotDirs, POOL_LABEL, poolContainerName, poolRootOf, runContainerName, slotDirsOf, WAIT_FOR_JOB_ENV, writeSlotJob } from "./warm-pool-slots";

const { skip } = await dockerAvailability("warm-pool-driver.test.ts");
const IS_LOCAL = TEST_DOCKER_HOST === "" || TEST_DOCKER_HOST.startsWith("unix://");
const log = createLogger({ level: "error" });
const scratch = mkdtempSync(join(tmpdir(), "skt-pool-test-"));
const usedRunIds = new Set<string>();
const OOM_LIMITS: RunLimits = { ...DEFAULT_RUN_LIMITS, memoryBytes: 128 * 1024 * 1024 };
const HARNESS_ENV = { HOME: HOME_DIR, XDG_CACHE_HOME: `${HOME_DIR}/.cache` };

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A run spec for the harness; `top` is top-level script code, run when the harness imports the script. */
function spec(overrides: Partial<RunSpec> & { top?: string } = {}): RunSpec {
  const { top, ...rest } = overrides;
  const runId = Bun.randomUUIDv7();
  usedRunIds.add(runId);
  return {
    runId,
    toolVersionId: "tv-pool",
    image: TEST_IMAGE,
    env: { ...HARNESS_ENV, SKRIPTOTEKET_ENTRYPOINT: "run_tool" },
    script: `${top ?? ""}\ndef run_tool(input_dir, output_dir):\n    return 'ok'\n`,
    inputFiles: [],
    memoryJson: '{"settings":{}}',
    timeoutMs: 20_000,
    limits: DEFAULT_RUN_LIMITS,
    caps: DEFAULT_RUN_CAPS,
    outputDir: mkdtempSync(join(scratch, "out-")),
    ...rest,
  };
}

function result(o: RunOutcome): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(o.resultJson!)) as Record<string, unknown>;
}

async function poolContainers(docker: DockerDriver): Promise<{ id: string; name: string; state: string; workRoot: boolean }[]> {
  const root = docker.steps.workRoot ?? "";
  const list = await docker.docker.listContainers({ all: true, filters: { label: [POOL_LABEL] } });
  return list
    .map((c) => ({ id: c.Id, name: c.Names[0] ?? "", state: c.State, workRoot: c.Mounts.some((m) => m.Source.startsWith(`${root}/`)) }))
    .filter((c) => c.workRoot);
}

function slotFolders(docker: DockerDriver): string[] {
  const root = poolRootOf(docker.steps.workRoot ?? "");
  return existsSync(root) ? readdirSync(root) : [];
}

type Mode = { name: string; driver: RunnerDriver; docker: DockerDriver; pool?: WarmPoolDriver };

function freshMode(): Mode {
  const docker = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log, workRoot: join(scratch, "runs-fresh") });
  return { name: "fresh container", driver: docker, docker };
}

function poolMode(): Mode {
  const docker = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log, workRoot: join(scratch, "runs-pool") });
  const pool = createWarmPoolDriver({
    docker,
    size: 1,
    log,
    prewarm: [
      { image: TEST_IMAGE, limits: DEFAULT_RUN_LIMITS },
      { image: TEST_IMAGE, limits: OOM_LIMITS },
    ],
  });
  return { name: "warm pool", driver: pool, docker, pool };
}

function contractSuite(makeMode: () => Mode): void {
  const mode = skip || !IS_LOCAL ? null : makeMode();
  describe.skipIf(skip || !IS_LOCAL)(`driver contract, ${mode?.name ?? ""} (real Docker)`, () => {
    const { driver, docker, pool } = mode ?? ({} as Mode);
    let servedBefore = 0;

    afterAll(async () => {
      await pool?.stop();
      if (pool) {
        expect(await poolContainers(docker)).toEqual([]);
        expect(slotFolders(docker)).toEqual([]);
      }
    });

    // each test is served by the pool (a container is ready) or not at all
    const it = (name: string, fn: () => Promise<void>, timeout = 30_000): void =>
      test(
        name,
        async () => {
          await pool?.whenFilled();
          servedBefore = pool?.stats().dispatched ?? 0;
          const freshBefore = pool?.stats().fresh ?? 0;
          await fn();
          if (pool) {
            expect(pool.stats().dispatched).toBe(servedBefore + 1);
            expect(pool.stats().fresh).toBe(freshBefore);
          }
        },
        timeout,
      );

    afterEach(async () => {
      const left = (await docker.findRunContainers()).filter((c) => usedRunIds.has(c.runId));
      expect(left).toEqual([]);
      const volumes = await docker.docker.listVolumes({ filters: { label: [RUN_LABEL] } });
      expect((volumes.Volumes ?? []).filter((v) => usedRunIds.has(v.Labels?.[RUN_LABEL] ?? ""))).toEqual([]);
      const root = docker.steps.workRoot ?? "";
      const runFolders = existsSync(root) ? readdirSync(root).filter((n) => n !== ".pool") : [];
      expect(runFolders).toEqual([]);
      if (pool) {
        await pool.whenFilled();
        // a refused run hands its container back while its replacement is already starting
        for (let i = 0; i < 500 && pool.stats().filling > 0; i++) await Bun.sleep(10);
        // nothing but the idle containers and their folders
        const { ready, filling } = pool.stats();
        expect((await poolContainers(docker)).map((c) => [c.state, c.name.startsWith("/skriptoteket-pool-")])).toEqual(Array(ready).fill(["running", true]));
        expect(slotFolders(docker).length).toBe(ready + filling);
      }
    });

    it("happy path: inputs in, env, stdout/stderr, output file and result.json out", async () => {
      const s = spec({
        env: { ...HARNESS_ENV, SKRIPTOTEKET_INPUTS: '{"klass":"7B"}' },
        script: [
          "import os, sys",
          "print('till stdout')",
          "print('till stderr', file=sys.stderr)",
          "def run_tool(input_dir, output_dir):",
          "    text = open(os.path.join(input_dir, 'elever.csv'), encoding='utf-8').read()",
          "    os.makedirs(os.path.join(output_dir, 'sub'))",
          "    open(os.path.join(output_dir, 'sub', 'STORA.txt'), 'w', encoding='utf-8').write(text.upper())",
          "    return {'outputs': [{'kind': 'notice', 'level': 'info', 'message': os.environ['SKRIPTOTEKET_INPUTS']}]}",
        ].join("\n"),
        inputFiles: [{ name: "elever.csv", data: new TextEncoder().encode("namn\nÅsa\n") }],
      });
      const seen: { name?: string; mount?: string; running?: boolean } = {};
      const o = await driver.run({
        ...s,
        onContainerCreated: async (id) => {
          const info = await docker.docker.getContainer(id).inspect();
          Object.assign(seen, { name: info.Name, mount: info.Mounts.find((m) => m.Destination === "/work")?.Type ?? "", running: info.State.Running });
        },
      });
      // both are named after the run (a second container for it is refused); a pool container is already running
      expect(seen).toEqual({ name: `/${runContainerName(s.runId)}`, mount: "bind", running: pool !== undefined });
      expect(o).toMatchObject({ started: true, exitCode: 0, oomKilled: false, timedOut: false, cancelled: false, stdout: "till stdout\n", stderr: "till stderr\n" });
      expect(result(o)).toMatchObject({ status: "succeeded", outputs: [{ kind: "notice", message: '{"klass":"7B"}' }], artifacts: [{ path: "output/sub/STORA.txt", bytes: 10 }] });
      expect(o.outputFiles).toEqual([{ path: "output/sub/STORA.txt", bytes: 10, hostPath: join(s.outputDir, "sub/STORA.txt") }]);
      expect(readFileSync(join(s.outputDir, "sub/STORA.txt"), "utf8")).toBe("NAMN\nÅSA\n");
      for (const phase of ["create", "upload", "start", "wait", "collect", "remove"] as const) expect(o.phases[phase]).toBeGreaterThan(0);
    });

    it("the script sees the same process: modules, environment, argv, folder, stdin, user", async () => {
      const o = await driver.run(
        spec({
          top: [
            "import json, os, sys",
            "env = {k: v for k, v in os.environ.items() if k not in ('HOSTNAME',)}",
            "print(json.dumps({'modules': sorted(sys.modules), 'env': env, 'argv': sys.argv, 'cwd': os.getcwd(), 'stdin': sys.stdin.read(),",
            "                  'ids': [os.getuid(), os.getgid(), os.getpid() > 1], 'path': sys.path}))",
          ].join("\n"),
        }),
      );
      const seen = JSON.parse(o.stdout) as Record<string, unknown>;
      // one answer for both modes: what a fresh container shows
      expect(seen).toMatchObject({ argv: ["/work/script.py"], cwd: "/work", stdin: "", ids: [SANDBOX_UID, SANDBOX_UID, true] });
      expect(Object.keys(seen.env as object)).not.toContain(WAIT_FOR_JOB_ENV);
      expect(seen.modules).not.toContain("dataclasses");
      expect(seen.modules).not.toContain("typing");
      processViews.push(seen);
    });

    it("deadline: SIGKILL (even when SIGTERM is ignored), timedOut within deadline + 2 s", async () => {
      const o = await driver.run(
        spec({ timeoutMs: 1_500, top: "import signal,time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('sover', flush=True)\ntime.sleep(60)" }),
      );
      expect(o).toMatchObject({ timedOut: true, cancelled: false, oomKilled: false, exitCode: 137, stdout: "sover\n" });
      expect(o.phases.wait).toBeGreaterThanOrEqual(1_400);
      expect(o.phases.wait).toBeLessThan(1_500 + 2_000);
    });

    it("memory hog: OOM-killed at the memory limit", async () => {
      const o = await driver.run(
        spec({ limits: OOM_LIMITS, top: "blocks = []\nfor i in range(64):\n    blocks.append(bytearray(16 * 1024 * 1024))\n    print(i * 16, flush=True)" }),
      );
      expect(o).toMatchObject({ oomKilled: true, exitCode: 137, timedOut: false });
      expect(Number(o.stdout.trim().split("\n").at(-1))).toBeLessThan(128);
    });

    it("sandbox: no network, read-only root, noexec /tmp, read-only inputs, no privileges, pids limit", async () => {
      const o = await driver.run(
        spec({
          inputFiles: [{ name: "in.txt", data: new TextEncoder().encode("x") }],
          top: [
            "import os, json, errno, socket, subprocess, shutil",
            "res = {'ifaces': sorted(os.listdir('/sys/class/net'))}",
            "def attempt(name, fn):",
            "    try:",
            "        fn(); res[name] = 'ok'",
            "    except OSError as e:",
            "        res[name] = errno.errorcode[e.errno]",
            "attempt('internet', lambda: socket.create_connection(('1.1.1.1', 80), timeout=3))",
            "attempt('root', lambda: open('/x', 'w'))",
            "attempt('input', lambda: open('/work/input/in.txt', 'a'))",
            "attempt('tmp', lambda: open('/tmp/x', 'w').write('y'))",
            "shutil.copy('/bin/true', '/tmp/true'); os.chmod('/tmp/true', 0o755)",
            "attempt('exec_tmp', lambda: subprocess.run(['/tmp/true']))",
            "status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() if ':\\t' in l)",
            "res['cap_eff'] = status['CapEff'].strip(); res['nnp'] = status['NoNewPrivs'].strip()",
            "res['pids_max'] = open('/sys/fs/cgroup/pids/pids.max').read().strip() if os.path.exists('/sys/fs/cgroup/pids/pids.max') else open('/sys/fs/cgroup/pids.max').read().strip()",
            "print(json.dumps(res))",
          ].join("\n"),
        }),
      );
      expect(JSON.parse(o.stdout)).toEqual({
        ifaces: ["lo"],
        internet: "ENETUNREACH",
        root: "EROFS",
        input: "EACCES",
        tmp: "ok",
        exec_tmp: "EACCES",
        cap_eff: "0000000000000000",
        nnp: "1",
        pids_max: String(DEFAULT_RUN_LIMITS.pidsLimit),
      });
    });

    it("cancel through AbortSignal mid-run kills at once", async () => {
      const ac = new AbortController();
      const began = performance.now();
      const o = await driver.run({
        ...spec({ signal: ac.signal, top: "import time\nprint('igång', flush=True)\ntime.sleep(60)" }),
        onContainerCreated: () => void setTimeout(() => ac.abort(), 1_500),
      });
      expect(o).toMatchObject({ cancelled: true, timedOut: false, started: true, exitCode: 137, stdout: "igång\n", resultProblem: "not read: the run was cancelled" });
      expect(performance.now() - began).toBeLessThan(5_000);
    });

    it("links in /work/output and as result.json are rejected and never followed", async () => {
      const s = spec({
        top: [
          "import os",
          "os.symlink('/etc/passwd', '/work/output/passwd')",
          "os.symlink('/etc', '/work/output/etc')",
          "open('/work/output/real.txt', 'w').write('riktig')",
          "os.link('/work/output/real.txt', '/work/output/same')",
          "os.symlink('/etc/passwd', '/work/result.json')",
          "os._exit(0)  # before the harness writes its own result.json over the link",
        ].join("\n"),
      });
      const o = await driver.run(s);
      expect(o.outputFiles.map((f) => f.path)).toEqual(["output/real.txt"]);
      const problems = new Map(o.outputProblems.map((p) => [p.path, p.reason]));
      for (const p of ["output/passwd", "output/etc"]) expect(problems.get(p)).toMatch(/symbolic link/);
      expect(problems.get("output/same")).toMatch(/hard link/);
      expect(readdirSync(s.outputDir)).toEqual(["real.txt"]);
      expect(o.resultProblem).toBe("result.json is not a regular file (symbolic link)");
    });

    it("a 60 MB result.json and 2,000 output files: capped and reported without reading them", async () => {
      const o = await driver.run(
        spec({
          caps: { ...DEFAULT_RUN_CAPS, outputFiles: 100 },
          top: [
            "import os, shutil",
            "for i in range(2_000):",
            "    open(f'/work/output/f{i:05}.txt', 'w').write(str(i))",
            "with open('/work/result.json', 'wb') as f:",
            "    for _ in range(60): f.write(b' ' * (1024 * 1024))",
            "os._exit(0)",
          ].join("\n"),
        }),
      );
      expect(o.outputFiles.length).toBe(100);
      expect(o.outputProblems).toEqual([{ path: "output/", reason: "more than 100 files; the rest was not read" }]);
      expect(o.resultProblem).toBe(`result.json is too large: ${60 * 1024 * 1024} bytes, the limit is ${DEFAULT_RUN_CAPS.resultBytes}`);
      expect(o.phases.collect).toBeLessThan(2_000);
    }, 60_000);

    it("/work/output replaced by a link to /etc: nothing collected", async () => {
      const s = spec({ top: "import shutil, os\nshutil.rmtree('/work/output')\nos.symlink('/etc', '/work/output')" });
      const o = await driver.run(s);
      expect(o.outputFiles).toEqual([]);
      expect(o.outputProblems).toEqual([{ path: "output/", reason: expect.stringMatching(/symbolic link/) }]);
      expect(readdirSync(s.outputDir)).toEqual([]);
    });

    it("adoption after a crash: launch, forget, find by run id, resume finishes and cleans up", async () => {
      const s = spec({ top: "import time, sys\nprint('före', flush=True)\ntime.sleep(1.5)\nopen('/work/output/klar.txt', 'w').write('klar')\nprint('fel', file=sys.stderr)" });
      const { containerId } = await driver.launch(s);
      // a restarted server that does not even have the pool on finds and finishes it
      const plain = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log, workRoot: docker.steps.workRoot ?? "" });
      const found = (await plain.findRunContainers()).find((c) => c.runId === s.runId);
      expect(found).toMatchObject({ containerId, toolVersionId: "tv-pool", state: "running" });
      const o = await plain.resume(containerId, { runId: s.runId, timeoutMs: s.timeoutMs, caps: s.caps, outputDir: s.outputDir });
      expect(o).toMatchObject({ started: true, exitCode: 0, timedOut: false, stdout: "före\n", stderr: "fel\n" });
      expect(o.outputFiles.map((f) => f.path)).toEqual(["output/klar.txt"]);
      expect(o.phases.wait).toBeGreaterThan(500);
    });

    it("two containers for one run are refused", async () => {
      const s = spec({ top: "import time\ntime.sleep(30)" });
      const first = await driver.launch(s);
      const readyBefore = pool?.stats().ready;
      await pool?.whenFilled();
      const err = await driver.run(s).catch((e: unknown) => e);
      expect((err as RunnerDriverError).code).toBe("docker_error");
      expect((err as Error).message).toMatch(/already/);
      // the pool's container was not spent on the refused run
      if (pool) expect(pool.stats().ready).toBeGreaterThanOrEqual(readyBefore ?? 0);
      const ac = new AbortController();
      ac.abort();
      await driver.resume(first.containerId, { runId: s.runId, timeoutMs: 30_000, caps: s.caps, outputDir: s.outputDir, signal: ac.signal });
    });
  });
}

/** What the script saw, per mode: must be the same. */
const processViews: Record<string, unknown>[] = [];
contractSuite(freshMode);
contractSuite(poolMode);
test.skipIf(skip || !IS_LOCAL)("a fresh container and a pool container look the same to the script", () => {
  expect(processViews.length).toBe(2);
  expect(processViews[1]).toEqual(processViews[0]!);
});

describe.skipIf(skip || !IS_LOCAL)("warm pool only (real Docker)", () => {
  const workRoot = join(scratch, "runs-pool-only");
  const docker = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log, workRoot });
  const pools: WarmPoolDriver[] = [];
  const newPool = (size = 1, prewarm = true): WarmPoolDriver => {
    const pool = createWarmPoolDriver({ docker, size, log, ...(prewarm ? { prewarm: [{ image: TEST_IMAGE, limits: DEFAULT_RUN_LIMITS }] } : {}) });
    pools.push(pool);
    return pool;
  };

  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.stop();
    expect((await docker.findRunContainers()).filter((c) => usedRunIds.has(c.runId))).toEqual([]);
    expect(await poolContainers(docker)).toEqual([]);
    expect(slotFolders(docker)).toEqual([]);
  });

  test("time spent waiting in the pool does not count: the deadline starts at dispatch", async () => {
    const pool = newPool();
    await pool.whenFilled();
    await Bun.sleep(1_500); // idle longer than the run's whole budget
    const o = await pool.run(spec({ timeoutMs: 1_000, top: "import time\ntime.sleep(0.3)" }));
    expect(o).toMatchObject({ timedOut: false, exitCode: 0 });
    expect(pool.stats().dispatched).toBe(1);
  });

  test("cancelled while waiting for a container that is still starting: nothing runs, nothing is left", async () => {
    const pool = newPool(1);
    await pool.whenFilled();
    const busy = spec({ top: "import time\ntime.sleep(30)" });
    const busyAbort = new AbortController();
    const first = pool.run({ ...busy, signal: busyAbort.signal });
    // wait until `busy` has the one ready container; its replacement is starting now
    for (let i = 0; i < 200 && pool.stats().dispatched === 0; i++) await Bun.sleep(10);
    expect(pool.stats()).toMatchObject({ ready: 0, filling: 1 });
    const ac = new AbortController();
    let created = false;
    const queued = pool.run({ ...spec({ signal: ac.signal }), onContainerCreated: () => void (created = true) });
    await Bun.sleep(5);
    ac.abort();
    const o = await queued;
    expect(o).toMatchObject({ cancelled: true, started: false, exitCode: null });
    expect(created).toBe(false);
    busyAbort.abort();
    expect(await first).toMatchObject({ cancelled: true, started: true });
    expect(pool.stats()).toMatchObject({ dispatched: 1, fresh: 0 });
  });

  test("cancelled before start: nothing runs, nothing is left", async () => {
    const pool = newPool();
    await pool.whenFilled();
    const ac = new AbortController();
    ac.abort();
    const o = await pool.run(spec({ signal: ac.signal, top: "open('/work/output/ran', 'w')" }));
    expect(o).toMatchObject({ cancelled: true, started: false, exitCode: null });
    expect(pool.stats()).toMatchObject({ dispatched: 0, ready: 1 });
  });

  test("runs the pool cannot serve exactly go to a fresh container: a command, startup-relevant env, no container ready", async () => {
    const pool = newPool(1, false);
    // no pool for these limits yet and none starting: fresh, and the pool starts filling
    const first = await pool.run(spec({ top: "print('kall')" }));
    expect(first.stdout).toBe("kall\n");
    expect(pool.stats().fresh).toBe(1);
    await pool.whenFilled();
    const withCommand = await pool.run({ ...spec(), command: ["python3", "-c", "print('kommando')"] });
    expect(withCommand.stdout).toBe("kommando\n");
    const withPythonEnv = await pool.run(spec({ env: { ...HARNESS_ENV, PYTHONHASHSEED: "0" }, top: "import os\nprint(os.environ['PYTHONHASHSEED'])" }));
    expect(withPythonEnv.stdout).toBe("0\n");
    expect(pool.stats()).toMatchObject({ fresh: 3, dispatched: 0, ready: 1 });
  });

  test("an idle container that dies is replaced (after a back-off), and the next run still gets a pool container", async () => {
    const pool = newPool();
    await pool.whenFilled();
    const [idle] = await poolContainers(docker);
    await docker.docker.getContainer(idle!.id).kill({ signal: "SIGKILL" });
    for (let i = 0; i < 500 && (await poolContainers(docker)).some((c) => c.id === idle!.id); i++) await Bun.sleep(10);
    // replaced after 1 s, not at once: a container that keeps dying must not make the pool spin
    expect(pool.stats()).toMatchObject({ ready: 0, filling: 0 });
    for (let i = 0; i < 500 && pool.stats().ready === 0; i++) await Bun.sleep(10);
    expect(pool.stats().ready).toBe(1);
    const o = await pool.run(spec({ top: "print('ny')" }));
    expect(o.stdout).toBe("ny\n");
    expect(pool.stats()).toMatchObject({ dispatched: 1, fresh: 0 });
  });

  test("an image whose harness does not wait for jobs turns the pool off for it; its runs go to fresh containers", async () => {
    // an image as built before wait mode: its command runs at once and exits 0
    const tag = `skriptoteket-runner:test-no-wait-${Date.now()}`;
    const base = await docker.docker.createContainer({ Image: TEST_IMAGE });
    await base.commit({ repo: tag.split(":")[0], tag: tag.split(":")[1], changes: 'CMD ["python3", "-c", "pass"]' });
    await base.remove();
    const lines: string[] = [];
    const pool = createWarmPoolDriver({ docker, size: 1, log: createLogger({ write: (l) => lines.push(l) }), prewarm: [{ image: tag, limits: DEFAULT_RUN_LIMITS }] });
    pools.push(pool);
    try {
      for (let i = 0; i < 500 && !lines.some((l) => l.includes("does not wait for jobs")); i++) await Bun.sleep(10);
      expect(lines.filter((l) => l.includes("does not wait for jobs"))).toHaveLength(1);
      await pool.whenFilled();
      expect(pool.stats()).toMatchObject({ ready: 0, filling: 0 });
      const o = await pool.run({ ...spec(), image: tag, command: undefined });
      expect(o.exitCode).toBe(0);
      expect(pool.stats()).toMatchObject({ fresh: 1, dispatched: 0, ready: 0, filling: 0 });
    } finally {
      await pool.stop();
      await docker.docker.getImage(tag).remove({ force: true });
    }
  });

  /** A pool container made by hand, renamed to a run as dispatch does, with or without its job record. */
  async function halfDispatched(runId: string, withJob: boolean) {
    const slotId = Bun.randomUUIDv7();
    const dirs = slotDirsOf(workRoot, slotId);
    await docker.steps.ensureWorkRoot();
    await createSlotDirs(workRoot, dirs);
    const c = await docker.docker.createContainer({
      name: poolContainerName(slotId),
      Image: TEST_IMAGE,
      User: `${SANDBOX_UID}:${SANDBOX_UID}`,
      Env: [`${WAIT_FOR_JOB_ENV}=1`],
      Labels: { [POOL_LABEL]: "elsewhere/1/dead" },
      OpenStdin: true,
      StdinOnce: true,
      NetworkDisabled: true,
      HostConfig: docker.steps.sandboxHostConfig(DEFAULT_RUN_LIMITS, dirs.work),
    });
    const attach = (await c.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as { destroy(): void };
    await c.start();
    await c.rename({ name: runContainerName(runId) });
    if (withJob) await writeSlotJob(dirs, { runId, toolVersionId: "tv-pool", dispatchedAt: Date.now() });
    // the server dies: its attach goes, and with it the harness's stdin
    attach.destroy();
    return { c, dirs };
  }

  for (const withJob of [false, true]) {
    test(`a container renamed for a run whose job line never came (${withJob ? "with" : "without"} a job record) is adopted as never started`, async () => {
      const s = spec();
      const { c, dirs } = await halfDispatched(s.runId, withJob);
      const found = (await docker.findRunContainers()).find((x) => x.runId === s.runId);
      expect(found?.containerId).toBe(c.id);
      if (withJob) expect((await c.wait()).StatusCode).toBe(75); // the harness: stdin ended, no job
      const o = await docker.resume(c.id, { runId: s.runId, timeoutMs: 20_000, caps: s.caps, outputDir: s.outputDir });
      expect(o).toMatchObject({ started: false, exitCode: null, cancelled: false });
      expect(existsSync(dirs.root)).toBe(false);
    });
  }

  test("idle containers of a server that died are removed by the next pool; its dispatched runs are left for adoption", async () => {
    const script = join(scratch, "dying-server.ts");
    writeFileSync(
      script,
      `import { createDockerDriver } from ${JSON.stringify(join(import.meta.dir, "docker-driver.ts"))};
import { createWarmPoolDriver } from ${JSON.stringify(join(import.meta.dir, "warm-pool-driver.ts"))};
import { DEFAULT_RUN_LIMITS } from ${JSON.stringify(join(import.meta.dir, "runner-driver.ts"))};
import { createLogger } from ${JSON.stringify(join(import.meta.dir, "..", "log", "logger.ts"))};
const docker = createDockerDriver({ dockerHost: ${JSON.stringify(TEST_DOCKER_HOST)}, workRoot: process.argv[2], log: createLogger({ write: () => {} }) });
const pool = createWarmPoolDriver({ docker, size: 2, log: createLogger({ write: () => {} }), prewarm: [{ image: ${JSON.stringify(TEST_IMAGE)}, limits: DEFAULT_RUN_LIMITS }] });
await pool.whenFilled();
console.log("filled");
await Bun.sleep(60_000);
`,
    );
    const child = Bun.spawn([process.execPath, script, workRoot], { stdout: "pipe", stderr: "inherit" });
    const reader = child.stdout.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("filled");
    const before = await poolContainers(docker);
    expect(before.map((c) => c.state)).toEqual(["running", "running"]);
    child.kill("SIGKILL");
    await child.exited;
    // their stdin closed with the server: each harness ends with "no job"
    for (let i = 0; i < 300 && (await poolContainers(docker)).some((c) => c.state === "running"); i++) await Bun.sleep(20);
    const exited = await Promise.all(before.map((c) => docker.docker.getContainer(c.id).inspect()));
    expect(exited.map((i) => i.State.ExitCode)).toEqual([75, 75]);
    const pool = newPool();
    await pool.whenFilled();
    const left = await poolContainers(docker);
    expect(left.filter((c) => before.some((b) => b.id === c.id))).toEqual([]);
    expect(slotFolders(docker).length).toBe(1);
  }, 60_000);

  test("stop() leaves no container, volume or folder behind, also with fills under way", async () => {
    const pool = newPool(3);
    await Bun.sleep(20); // fills are starting
    await pool.stop();
    pools.splice(0);
    expect(await poolContainers(docker)).toEqual([]);
    expect(slotFolders(docker)).toEqual([]);
    // a stopped pool hands every run to the Docker driver
    const o = await pool.run(spec({ top: "print('efter stopp')" }));
    expect(o.stdout).toBe("efter stopp\n");
    expect(pool.stats().fresh).toBe(1);
  });
});
