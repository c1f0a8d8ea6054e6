// Integration tests against the real Docker engine and the runner image (runner/build-image.sh).
// Locally they are skipped (with a note) when Docker or the image is missing; with CI=true they FAIL instead.
// SKRIPTOTEKET_TEST_DOCKER_HOST / SKRIPTOTEKET_TEST_RUNNER_IMAGE point them at another daemon or image.
//
// The whole suite runs once per way of filling /work (MODES): the volume + archive path, the local
// bind-mount path as a root server lays it out ("chown"), and — for the tests that touch /work — the
// local path as a non-root server lays it out ("shared"). The local modes need a daemon on this machine.
// Every test checks afterwards that no container, volume or run folder of its runs is left and that the
// number of dangling volumes did not grow.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../log/logger";
import { bareLifecycle } from "./docker-bare-lifecycle";
import { LOCAL_DOCKER_SOCKET } from "./docker-connection";
import { createDockerDriver, type DockerDriver, isLocalDockerHost } from "./docker-driver";
import {
  DEFAULT_RUN_CAPS,
  DEFAULT_RUN_LIMITS,
  RUN_LABEL,
  type RunnerDriverError,
  type RunOutcome,
  type RunSpec,
} from "./runner-driver";

const IMAGE = process.env.SKRIPTOTEKET_TEST_RUNNER_IMAGE || "skriptoteket-runner:latest";
const DOCKER_HOST = process.env.SKRIPTOTEKET_TEST_DOCKER_HOST ?? "";
const REQUIRED = process.env.CI === "true";
const LOCAL_POSSIBLE = isLocalDockerHost(DOCKER_HOST);
const IS_ROOT = process.getuid?.() === 0;

const logLines: string[] = [];
const log = createLogger({ level: "debug", write: (l) => logLines.push(l) });
const probe = createDockerDriver({ dockerHost: DOCKER_HOST, localIo: false, log });
const reachable = await probe.ping().then(
  () => true,
  () => false,
);
const imagePresent = reachable && (await probe.imageExists(IMAGE));
const skip = !REQUIRED && !imagePresent;
if (skip) {
  console.warn(
    `docker-driver.test.ts: skipped — ${reachable ? `image ${IMAGE} is missing (runner/build-image.sh)` : "Docker is not reachable"}; with CI=true these tests fail instead`,
  );
}

const scratch = mkdtempSync(join(tmpdir(), "skt-driver-test-"));
const usedRunIds = new Set<string>();
let danglingBefore = 0;

type Mode = {
  name: string;
  driver: DockerDriver;
  /** Set for the local modes: where the run folders are made. */
  workRoot?: string;
  /** Only these tests run in this mode (the rest does not depend on how /work is filled). */
  only?: Set<string>;
};

function localMode(name: string, ownership: "chown" | "shared", only?: Set<string>): Mode {
  const workRoot = join(scratch, `runs-${name}`);
  const driver = createDockerDriver({ dockerHost: DOCKER_HOST, log, workRoot, runDirOwnership: ownership });
  return { name, driver, workRoot, ...(only ? { only } : {}) };
}

const MODES: Mode[] = [
  { name: "volume", driver: createDockerDriver({ dockerHost: DOCKER_HOST, log, localIo: false }) },
  ...(LOCAL_POSSIBLE
    ? [
        localMode("local", "chown"),
        localMode(
          "local-shared",
          "shared",
          new Set([
            "happy path through the harness: inputs in, output file and result.json out",
            "read-only root, noexec /tmp, read-only inputs, no privileges",
            "links in /work/output are rejected and never followed (files, folders, result.json)",
            "/work/output itself replaced by a link to /etc: nothing collected",
            "100 MB result.json: reported as too large without downloading it",
            "adoption after a crash: launch, forget, find by label, resume finishes and cleans up",
          ]),
        ),
      ]
    : []),
];

async function danglingVolumes(): Promise<number> {
  const r = await probe.docker.listVolumes({ filters: { dangling: ["true"] } });
  return r.Volumes?.length ?? 0;
}

/** Polls `read` for up to 3 s until it is at most `target`; returns the last value. */
async function settled(read: () => Promise<number>, target: number): Promise<number> {
  const until = Date.now() + 3_000;
  let value = await read();
  while (value > target && Date.now() < until) {
    await Bun.sleep(100);
    value = await read();
  }
  return value;
}

function runFolders(workRoot: string): string[] {
  return existsSync(workRoot) ? readdirSync(workRoot) : [];
}

/** A run spec with test defaults; `py` replaces the harness by `python3 -c py`. */
function spec(overrides: Partial<RunSpec> & { py?: string } = {}): RunSpec {
  const { py, ...rest } = overrides;
  const runId = Bun.randomUUIDv7();
  usedRunIds.add(runId);
  return {
    runId,
    toolVersionId: "tv-test",
    image: IMAGE,
    env: {},
    script: "def run_tool(input_dir, output_dir):\n    return 'ok'\n",
    inputFiles: [],
    memoryJson: '{"settings":{}}',
    timeoutMs: 20_000,
    limits: DEFAULT_RUN_LIMITS,
    caps: DEFAULT_RUN_CAPS,
    outputDir: mkdtempSync(join(scratch, "out-")),
    ...(py !== undefined ? { command: ["python3", "-c", py] } : {}),
    ...rest,
  };
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function json(outcome: RunOutcome): unknown {
  return JSON.parse(outcome.stdout);
}

async function leftContainers(driver: DockerDriver): Promise<string[]> {
  return (await driver.findRunContainers()).filter((c) => usedRunIds.has(c.runId)).map((c) => c.containerId);
}

function suite(mode: Mode): void {
  const { driver } = mode;
  /** Registers a test unless this mode runs only a chosen few (see MODES). */
  const it = (name: string, fn: () => Promise<void>, timeout?: number): void => {
    if (mode.only && !mode.only.has(name)) return;
    test(name, fn, timeout);
  };

  describe.skipIf(skip)(`docker driver, /work ${mode.name} (real Docker)`, () => {
    beforeAll(async () => {
      // with CI=true a missing daemon or image must fail loudly, not skip
      await driver.ping();
      expect(await driver.imageExists(IMAGE)).toBe(true);
      danglingBefore = await danglingVolumes();
    });

    afterEach(async () => {
      const left = (await driver.findRunContainers()).filter((c) => usedRunIds.has(c.runId));
      expect(left).toEqual([]);
      const volumes = await driver.docker.listVolumes({ filters: { label: [RUN_LABEL] } });
      const ours = (volumes.Volumes ?? []).filter((v) => usedRunIds.has(v.Labels?.[RUN_LABEL] ?? ""));
      expect(ours).toEqual([]);
      // other suites on this daemon come and go; a volume we leaked stays
      expect(await settled(danglingVolumes, danglingBefore)).toBeLessThanOrEqual(danglingBefore);
      if (mode.workRoot) expect(runFolders(mode.workRoot)).toEqual([]);
    });

    it("happy path through the harness: inputs in, output file and result.json out", async () => {
      const s = spec({
        script: [
          "import os, sys",
          "def run_tool(input_dir, output_dir):",
          "    names = sorted(os.listdir(input_dir))",
          "    text = open(os.path.join(input_dir, 'elever.csv'), encoding='utf-8').read()",
          "    blob = open(os.path.join(input_dir, 'blob.txt'), encoding='utf-8').read()",
          "    os.makedirs(os.path.join(output_dir, 'sub'))",
          "    open(os.path.join(output_dir, 'sub', 'STORA.txt'), 'w', encoding='utf-8').write(text.upper() + blob)",
          "    print('till stdout')",
          "    print('till stderr', file=sys.stderr)",
          "    return {'outputs': [{'kind': 'notice', 'level': 'info', 'message': ','.join(names)}]}",
        ].join("\n"),
        inputFiles: [
          { name: "elever.csv", data: new TextEncoder().encode("namn\nÅsa\n") },
          { name: "blob.txt", data: new Blob(["från blob"]) },
        ],
        env: { SKRIPTOTEKET_ENTRYPOINT: "run_tool" },
      });
      const created: string[] = [];
      let workMount = "";
      const o = await driver.run({
        ...s,
        onContainerCreated: async (id) => {
          created.push(id);
          const info = await driver.docker.getContainer(id).inspect();
          workMount = info.Mounts.find((m) => m.Destination === "/work")?.Type ?? "";
        },
      });

      expect(created).toEqual([o.containerId]);
      expect(workMount).toBe(mode.workRoot ? "bind" : "volume");
      expect(driver.localIo).toBe(mode.workRoot !== undefined);
      expect(o).toMatchObject({ started: true, exitCode: 0, oomKilled: false, timedOut: false, cancelled: false });
      expect(o.stdout).toBe("till stdout\n");
      expect(o.stderr).toBe("till stderr\n");
      expect(o.resultProblem).toBeUndefined();
      const result = JSON.parse(new TextDecoder().decode(o.resultJson!));
      expect(result).toMatchObject({
        contract_version: 2,
        status: "succeeded",
        outputs: [{ kind: "notice", message: "blob.txt,elever.csv" }],
        artifacts: [{ path: "output/sub/STORA.txt", bytes: 20 }],
      });
      expect(o.outputFiles).toEqual([
        { path: "output/sub/STORA.txt", bytes: 20, hostPath: join(s.outputDir, "sub/STORA.txt") },
      ]);
      expect(readFileSync(join(s.outputDir, "sub/STORA.txt"), "utf8")).toBe("NAMN\nÅSA\nfrån blob");
      expect(o.outputProblems).toEqual([]);
      for (const phase of ["create", "upload", "start", "wait", "collect", "remove"] as const) {
        expect(o.phases[phase]).toBeGreaterThan(0);
      }
      expect(o.durationMs).toBeGreaterThanOrEqual(o.phases.create + o.phases.wait);
    });

    it("exit code, stdout and stderr kept apart, env passed through", async () => {
      const o = await driver.run(
        spec({
          env: { SKRIPTOTEKET_INPUTS: '{"klass":"7B"}' },
          py: "import os,sys; print(os.environ['SKRIPTOTEKET_INPUTS']); print('fel', file=sys.stderr); sys.exit(3)",
        }),
      );
      expect(o.exitCode).toBe(3);
      expect(o.stdout).toBe('{"klass":"7B"}\n');
      expect(o.stderr).toBe("fel\n");
      expect(o.resultJson).toBeNull();
      expect(o.resultProblem).toBe("result.json is missing");
    });

    it("50 MB on stdout: 200,000 bytes kept, the run ends at once and the server stays responsive", async () => {
      let maxGap = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 10);
      const began = performance.now();
      let o: RunOutcome;
      try {
        o = await driver.run(
          spec({
            timeoutMs: 60_000,
            py: "import sys\nline = ('x' * 99 + '\\n').encode()\nfor _ in range(500_000): sys.stdout.buffer.write(line)\nsys.stderr.write('e' * 300_000)\n",
          }),
        );
      } finally {
        clearInterval(ticker);
      }
      const took = performance.now() - began;
      expect(o.exitCode).toBe(0);
      expect(o.timedOut).toBe(false);
      expect(o.stdoutTruncated).toBe(true);
      expect(o.stdout.length).toBe(200_000);
      expect(o.stdout.startsWith("x".repeat(99) + "\n")).toBe(true);
      expect(o.stderrTruncated).toBe(true);
      expect(o.stderr).toBe("e".repeat(200_000));
      expect(took).toBeLessThan(15_000);
      expect(maxGap).toBeLessThan(300);
      console.log(`50 MB stdout: ${took.toFixed(0)} ms, longest event-loop gap ${maxGap.toFixed(0)} ms`);
    }, 60_000);

    it("deadline: SIGKILL (even when SIGTERM is ignored), timedOut within deadline + 2 s", async () => {
      const o = await driver.run(
        spec({
          timeoutMs: 1_500,
          py: "import signal,time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('sover', flush=True)\ntime.sleep(60)",
        }),
      );
      expect(o).toMatchObject({ timedOut: true, cancelled: false, oomKilled: false, exitCode: 137 });
      expect(o.stdout).toBe("sover\n");
      expect(o.phases.wait).toBeGreaterThanOrEqual(1_450);
      expect(o.phases.wait).toBeLessThan(1_500 + 2_000);
    }, 20_000);

    it("memory hog: OOM-killed at the memory limit", async () => {
      const o = await driver.run(
        spec({
          limits: { ...DEFAULT_RUN_LIMITS, memoryBytes: 128 * 1024 * 1024 },
          py: "blocks = []\nfor i in range(64):\n    blocks.append(bytearray(16 * 1024 * 1024))\n    print(i * 16, flush=True)",
        }),
      );
      expect(o).toMatchObject({ oomKilled: true, exitCode: 137, timedOut: false });
      const lastMb = Number(o.stdout.trim().split("\n").at(-1));
      expect(lastMb).toBeLessThan(128);
    }, 20_000);

    it("fork bomb: stopped at the pids limit, host unaffected", async () => {
      const o = await driver.run(
        spec({
          limits: { ...DEFAULT_RUN_LIMITS, pidsLimit: 64 },
          py: [
            "import os, time, errno, json",
            "n = 0",
            "while True:",
            "    try:",
            "        pid = os.fork()",
            "    except OSError as e:",
            "        print(json.dumps({'forks': n, 'errno': e.errno}), flush=True)",
            "        break",
            "    if pid == 0:",
            "        time.sleep(30)",
            "        os._exit(0)",
            "    n += 1",
          ].join("\n"),
        }),
      );
      const r = json(o) as { forks: number; errno: number };
      expect(r.errno).toBe(11); // EAGAIN
      expect(r.forks).toBeLessThan(64);
      expect(r.forks).toBeGreaterThan(10);
      // PID 1 (tini) exits with the parent; the kernel ends the sleeping children with the namespace
      expect(o).toMatchObject({ exitCode: 0, timedOut: false });
    }, 30_000);

    it("no network: only lo, connections fail", async () => {
      const o = await driver.run(
        spec({
          py: [
            "import os, socket, json",
            "res = {'ifaces': sorted(os.listdir('/sys/class/net'))}",
            "for name, addr in [('internet', ('1.1.1.1', 80)), ('gateway', ('172.17.0.1', 2375))]:",
            "    s = socket.socket(); s.settimeout(3)",
            "    try:",
            "        s.connect(addr); res[name] = 'connected'",
            "    except OSError as e:",
            "        res[name] = e.errno",
            "try:",
            "    socket.getaddrinfo('example.com', 80); res['dns'] = 'resolved'",
            "except OSError as e:",
            "    res['dns'] = 'failed'",
            "print(json.dumps(res))",
          ].join("\n"),
        }),
      );
      const r = json(o) as Record<string, unknown>;
      expect(r.ifaces).toEqual(["lo"]);
      expect(r.internet).toBe(101); // ENETUNREACH
      expect(r.gateway).toBe(101);
      expect(r.dns).toBe("failed");
    });

    it("read-only root, noexec /tmp, read-only inputs, no privileges", async () => {
      const o = await driver.run(
        spec({
          inputFiles: [{ name: "in.txt", data: new TextEncoder().encode("x") }],
          py: [
            "import os, json, errno, subprocess, shutil",
            "res = {'uid': os.getuid(), 'gid': os.getgid()}",
            "def attempt(name, fn):",
            "    try:",
            "        fn(); res[name] = 'ok'",
            "    except OSError as e:",
            "        res[name] = errno.errorcode[e.errno]",
            "attempt('root', lambda: open('/x', 'w'))",
            "attempt('etc', lambda: open('/etc/x', 'w'))",
            "attempt('input', lambda: open('/work/input/in.txt', 'a'))",
            "attempt('input_new', lambda: open('/work/input/new.txt', 'w'))",
            "attempt('tmp', lambda: open('/tmp/x', 'w').write('y'))",
            "attempt('work', lambda: open('/work/result.json', 'w').write('{}'))",
            "shutil.copy('/bin/true', '/tmp/true'); os.chmod('/tmp/true', 0o755)",
            "attempt('exec_tmp', lambda: subprocess.run(['/tmp/true']))",
            "status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() if ':\\t' in l)",
            "res['cap_eff'] = status['CapEff'].strip(); res['nnp'] = status['NoNewPrivs'].strip()",
            "print(json.dumps(res))",
          ].join("\n"),
        }),
      );
      expect(json(o)).toEqual({
        uid: 10001,
        gid: 10001,
        root: "EROFS",
        etc: "EROFS",
        input: "EACCES",
        input_new: "EACCES",
        tmp: "ok",
        work: "ok",
        exec_tmp: "EACCES",
        cap_eff: "0000000000000000",
        nnp: "1",
      });
    });

    it("10,000 output files: capped at outputFiles with a problem", async () => {
      const s = spec({
        caps: { ...DEFAULT_RUN_CAPS, outputFiles: 1_000 },
        py: "for i in range(10_000):\n    open(f'/work/output/f{i:05}.txt', 'w').write(str(i))",
      });
      const o = await driver.run(s);
      expect(o.exitCode).toBe(0);
      expect(o.outputFiles.length).toBe(1_000);
      expect(readdirSync(s.outputDir).length).toBe(1_000);
      expect(o.outputProblems).toEqual([{ path: "output/", reason: "more than 1000 files; the rest was not read" }]);
    }, 30_000);

    it("links in /work/output are rejected and never followed (files, folders, result.json)", async () => {
      const s = spec({
        py: [
          "import os",
          "os.symlink('/etc/passwd', '/work/output/passwd')",
          "os.symlink('/etc', '/work/output/etc')",
          "os.symlink('/', '/work/output/root')",
          "os.symlink('/etc/passwd', '/work/result.json')",
          "open('/work/output/real.txt', 'w').write('riktig')",
          "os.link('/work/output/real.txt', '/work/output/same')",
        ].join("\n"),
      });
      const o = await driver.run(s);
      // the tar holds the first name of the hard-linked pair as a file, the second as a link
      expect(o.outputFiles.map((f) => f.path)).toEqual(["output/real.txt"]);
      const problems = new Map(o.outputProblems.map((p) => [p.path, p.reason]));
      for (const p of ["output/passwd", "output/etc", "output/root"]) expect(problems.get(p)).toMatch(/symbolic link/);
      expect(problems.get("output/same")).toMatch(/hard link/);
      expect(readdirSync(s.outputDir)).toEqual(["real.txt"]);
      expect(o.resultJson).toBeNull();
      expect(o.resultProblem).toBe("result.json is not a regular file (symbolic link)");
    });

    it("/work/output itself replaced by a link to /etc: nothing collected", async () => {
      const s = spec({ py: "import shutil, os\nshutil.rmtree('/work/output')\nos.symlink('/etc', '/work/output')" });
      const o = await driver.run(s);
      expect(o.outputFiles).toEqual([]);
      expect(o.outputProblems).toEqual([{ path: "output/", reason: expect.stringMatching(/symbolic link/) }]);
      expect(readdirSync(s.outputDir)).toEqual([]);
    });

    it("100 MB result.json: reported as too large without downloading it", async () => {
      const s = spec({
        limits: { ...DEFAULT_RUN_LIMITS, fileSizeBytes: 128 * 1024 * 1024 },
        py: "with open('/work/result.json', 'wb') as f:\n    for _ in range(100): f.write(b' ' * (1024 * 1024))",
      });
      const o = await driver.run(s);
      expect(o.exitCode).toBe(0);
      expect(o.resultJson).toBeNull();
      expect(o.resultProblem).toBe(`result.json is too large: ${100 * 1024 * 1024} bytes, the limit is ${1024 * 1024}`);
      expect(o.phases.collect).toBeLessThan(2_000);
    }, 30_000);

    it("the file size limit stops a single huge file with EFBIG", async () => {
      const o = await driver.run(
        spec({
          limits: { ...DEFAULT_RUN_LIMITS, fileSizeBytes: 8 * 1024 * 1024 },
          py: [
            "import errno",
            "try:",
            "    with open('/work/output/big.bin', 'wb') as f:",
            "        for _ in range(16): f.write(b'x' * (1024 * 1024))",
            "except OSError as e:",
            "    print(errno.errorcode[e.errno])",
          ].join("\n"),
        }),
      );
      expect(o.stdout).toBe("EFBIG\n");
      expect(o.outputFiles).toEqual([expect.objectContaining({ path: "output/big.bin", bytes: 8 * 1024 * 1024 })]);
    }, 30_000);

    it("cancel through AbortSignal mid-run kills at once", async () => {
      const ac = new AbortController();
      const began = performance.now();
      // counted from create: on a busy machine start + Python startup alone can take most of a second
      const o = await driver.run({
        ...spec({ signal: ac.signal, py: "import time\nprint('igång', flush=True)\ntime.sleep(60)" }),
        onContainerCreated: () => void setTimeout(() => ac.abort(), 1_500),
      });
      expect(o).toMatchObject({ cancelled: true, timedOut: false, started: true, exitCode: 137 });
      expect(o.stdout).toBe("igång\n");
      expect(o.resultProblem).toBe("not read: the run was cancelled");
      expect(performance.now() - began).toBeLessThan(5_000);
    });

    it("cancelled before start: nothing runs, nothing is left", async () => {
      const ac = new AbortController();
      ac.abort();
      const o = await driver.run(spec({ signal: ac.signal, py: "open('/work/output/ran', 'w')" }));
      expect(o).toMatchObject({ cancelled: true, started: false, exitCode: null });
    });

    it("adoption after a crash: launch, forget, find by label, resume finishes and cleans up", async () => {
      const s = spec({
        timeoutMs: 20_000,
        py: "import time, sys\nprint('före', flush=True)\ntime.sleep(1.5)\nopen('/work/output/klar.txt', 'w').write('klar')\nprint('fel', file=sys.stderr)",
      });
      const { containerId } = await driver.launch(s);
      // the "crashed" process held nothing but the id; a new one finds the container by its label
      const found = (await driver.findRunContainers()).find((c) => c.runId === s.runId);
      expect(found).toMatchObject({ containerId, toolVersionId: "tv-test", state: "running" });
      const o = await driver.resume(found!.containerId, {
        runId: s.runId,
        timeoutMs: s.timeoutMs,
        caps: s.caps,
        outputDir: s.outputDir,
      });
      expect(o).toMatchObject({ started: true, exitCode: 0, timedOut: false, stdout: "före\n", stderr: "fel\n" });
      expect(o.outputFiles.map((f) => f.path)).toEqual(["output/klar.txt"]);
      expect(readFileSync(join(s.outputDir, "klar.txt"), "utf8")).toBe("klar");
      expect(o.phases.wait).toBeGreaterThan(500);
    });

    it("adoption honours the original deadline, counted from the container's start", async () => {
      const s = spec({ timeoutMs: 2_500, py: "import time\ntime.sleep(60)" });
      const { containerId } = await driver.launch(s);
      await Bun.sleep(1_500); // the "crash" ate 1.5 s of the 2.5 s budget
      const o = await driver.resume(containerId, { runId: s.runId, timeoutMs: 2_500, caps: s.caps, outputDir: s.outputDir });
      expect(o).toMatchObject({ timedOut: true, exitCode: 137 });
      // ≈1 s left when adopted (plus the kill); a fresh 2.5 s budget would wait longer than 2 s
      expect(o.phases.wait).toBeGreaterThan(600);
      expect(o.phases.wait).toBeLessThan(2_000);
    });

    it("adopting an already finished container; a gone container is reported", async () => {
      const s = spec({ py: "print('klart')" });
      const { containerId } = await driver.launch(s);
      await driver.docker.getContainer(containerId).wait();
      const o = await driver.resume(containerId, { runId: s.runId, timeoutMs: 5_000, caps: s.caps, outputDir: s.outputDir });
      expect(o).toMatchObject({ exitCode: 0, stdout: "klart\n", timedOut: false });
      const err = await driver.resume(containerId, { runId: s.runId, timeoutMs: 5_000, caps: s.caps, outputDir: s.outputDir }).catch(
        (e: unknown) => e,
      );
      expect((err as RunnerDriverError).code).toBe("container_gone");
    });

    it("removeOrphans removes only containers of unknown runs", async () => {
      const keep = spec({ py: "import time\ntime.sleep(30)" });
      const orphan = spec({ py: "import time\ntime.sleep(30)" });
      const a = await driver.launch(keep);
      const b = await driver.launch(orphan);
      // other test suites may have runs on this daemon right now: only our orphan is "unknown"
      const known = (await driver.findRunContainers()).map((c) => c.runId).filter((id) => id !== orphan.runId);
      expect(await driver.removeOrphans(known)).toEqual([b.containerId]);
      const left = (await driver.findRunContainers()).filter((c) => usedRunIds.has(c.runId)).map((c) => c.containerId);
      expect(left).toEqual([a.containerId]);
      const ac = new AbortController();
      ac.abort();
      const o = await driver.resume(a.containerId, { runId: keep.runId, timeoutMs: 30_000, caps: keep.caps, outputDir: keep.outputDir, signal: ac.signal });
      expect(o.cancelled).toBe(true);
    });

    it("a missing image is a clear error and leaves nothing behind", async () => {
      const err = await driver.run(spec({ image: "skriptoteket-runner:does-not-exist" })).catch((e: unknown) => e);
      expect((err as RunnerDriverError).code).toBe("image_missing");
      expect(await driver.imageExists("skriptoteket-runner:does-not-exist")).toBe(false);
    });

    it("a failing onContainerCreated removes the container and rethrows", async () => {
      const s = spec({ py: "print('must not run')" });
      let seen = "";
      const err = await driver
        .run({
          ...s,
          onContainerCreated: (id) => {
            seen = id;
            throw new Error("db down");
          },
        })
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe("db down");
      expect(seen).not.toBe("");
      const gone = await driver.docker.getContainer(seen).inspect().catch((e: { statusCode?: number }) => e.statusCode);
      expect(gone).toBe(404);
    });

    it("two containers for one run are refused (the name is per run)", async () => {
      const s = spec({ py: "import time\ntime.sleep(30)" });
      const first = await driver.launch(s);
      const err = await driver.run(s).catch((e: unknown) => e);
      expect((err as RunnerDriverError).code).toBe("docker_error");
      expect((err as Error).message).toMatch(/already/);
      const ac = new AbortController();
      ac.abort();
      await driver.resume(first.containerId, { runId: s.runId, timeoutMs: 30_000, caps: s.caps, outputDir: s.outputDir, signal: ac.signal });
    });

    it("bareLifecycle: the no-op floor the bench compares against", async () => {
      const t = await bareLifecycle(IMAGE, { dockerHost: DOCKER_HOST });
      expect(t.total).toBeGreaterThan(0);
      expect(t.total).toBeGreaterThanOrEqual(t.create + t.start + t.wait);
      // a bench running elsewhere on this daemon has short-lived containers with the same label; a leak stays
      const leftBench = () => driver.docker.listContainers({ all: true, filters: { label: ["skriptoteket.bench"] } });
      expect(await settled(async () => (await leftBench()).length, 0)).toBe(0);
    });
  });
}

for (const mode of MODES) suite(mode);

// ---- the local path only -------------------------------------------------------------------------------

const local = MODES.find((m) => m.name === "local");
const localShared = MODES.find((m) => m.name === "local-shared");

describe.skipIf(skip || !local)("docker driver, local /work only (real Docker)", () => {
  const driver = local?.driver ?? probe;
  const workRoot = local?.workRoot ?? "";

  afterEach(async () => {
    expect(await leftContainers(driver)).toEqual([]);
    expect(runFolders(workRoot)).toEqual([]);
    if (localShared?.workRoot) expect(runFolders(localShared.workRoot)).toEqual([]);
  });

  const layoutScript = [
    "import os, json, errno",
    "def st(p):",
    "    s = os.lstat(p)",
    "    return [s.st_uid, oct(s.st_mode & 0o7777)]",
    "res = {p: st(p) for p in ['/work', '/work/script.py', '/work/memory.json', '/work/input', '/work/input/in.txt', '/work/output']}",
    "def attempt(name, fn):",
    "    try:",
    "        fn(); res[name] = 'ok'",
    "    except OSError as e:",
    "        res[name] = errno.errorcode[e.errno]",
    // a hard link to a server file would let output/ carry it; fs.protected_hardlinks refuses it
    "attempt('link_script', lambda: os.link('/work/script.py', '/work/output/s'))",
    "attempt('rename_script', lambda: os.rename('/work/script.py', '/work/s.py'))",
    "attempt('rename_input', lambda: os.rename('/work/input', '/work/in'))",
    "print(json.dumps(res))",
  ].join("\n");
  const protectedHardlinks = readFileSync("/proc/sys/fs/protected_hardlinks", "utf8").trim() === "1";

  test("layout as a root server makes it: /work and output/ belong to 10001, the server's files are read-only", async () => {
    const s = spec({ inputFiles: [{ name: "in.txt", data: new TextEncoder().encode("x") }], py: layoutScript });
    let hostRootMode = 0;
    let hostDirExists = false;
    const o = await driver.run({
      ...s,
      onContainerCreated: () => {
        hostRootMode = statSync(workRoot).mode & 0o777;
        hostDirExists = existsSync(join(workRoot, s.runId));
      },
    });
    expect(hostRootMode).toBe(0o700);
    expect(hostDirExists).toBe(true);
    expect(json(o)).toEqual({
      "/work": [10001, "0o755"],
      "/work/script.py": [0, "0o644"],
      "/work/memory.json": [0, "0o644"],
      "/work/input": [0, "0o755"],
      "/work/input/in.txt": [0, "0o644"],
      "/work/output": [10001, "0o755"],
      link_script: protectedHardlinks ? "EPERM" : "ok",
      // the script owns /work, exactly as with the volume (whose /work is copied up from the image)
      rename_script: "ok",
      rename_input: "ok",
    });
  });

  test.skipIf(!localShared)("layout as a non-root server makes it: 0777 /work and output/, 0444/0555 inputs", async () => {
    const s = spec({ inputFiles: [{ name: "in.txt", data: new TextEncoder().encode("x") }], py: layoutScript });
    const o = await localShared!.driver.run(s);
    const uid = process.getuid?.() ?? 0;
    expect(json(o)).toEqual({
      "/work": [uid, "0o777"],
      "/work/script.py": [uid, "0o444"],
      "/work/memory.json": [uid, "0o444"],
      "/work/input": [uid, "0o555"],
      "/work/input/in.txt": [uid, "0o444"],
      "/work/output": [uid, "0o777"],
      link_script: protectedHardlinks ? "EPERM" : "ok",
      // not sticky, so that a script may replace output/ as on the volume path; it can move the
      // server's files, never change them
      rename_script: "ok",
      rename_input: "ok",
    });
  });

  test("fifos, sockets, a non-UTF-8 name and 40 nested folders: nothing blocks, each is reported or collected", async () => {
    const s = spec({
      py: [
        "import os, socket",
        "os.mkfifo('/work/result.json')",
        "os.mkfifo('/work/output/fifo')",
        "socket.socket(socket.AF_UNIX).bind('/work/output/sock')",
        "fd = os.open(b'/work/output/bad\\xff', os.O_CREAT | os.O_WRONLY)",
        "os.write(fd, b'x'); os.close(fd)",
        "d = '/work/output/deep/' + '/'.join(['d'] * 40)",
        "os.makedirs(d)",
        "open(d + '/leaf.txt', 'w').write('blad')",
      ].join("\n"),
    });
    const o = await driver.run(s);
    expect(o.exitCode).toBe(0);
    expect(o.resultJson).toBeNull();
    expect(o.resultProblem).toBe("result.json is not a regular file (fifo)");
    const leaf = `deep/${Array(40).fill("d").join("/")}/leaf.txt`;
    expect(o.outputFiles).toEqual([{ path: `output/${leaf}`, bytes: 4, hostPath: join(s.outputDir, leaf) }]);
    expect(readFileSync(join(s.outputDir, leaf), "utf8")).toBe("blad");
    expect(o.outputProblems).toEqual([
      { path: "output/bad\ufffd", reason: "the name is not valid UTF-8; not collected" },
      { path: "output/fifo", reason: "not a regular file (fifo); not collected" },
      { path: "output/sock", reason: "not a regular file (socket); not collected" },
    ]);
    expect(o.phases.collect).toBeLessThan(2_000);
  });

  test("/work/output replaced by a file, result.json by a folder: reported, nothing collected", async () => {
    const o = await driver.run(
      spec({ py: "import shutil, os\nshutil.rmtree('/work/output')\nopen('/work/output', 'w').write('x')\nos.mkdir('/work/result.json')" }),
    );
    expect(o.outputFiles).toEqual([]);
    expect(o.outputProblems).toEqual([{ path: "output/", reason: "/work/output is not a directory; not collected" }]);
    expect(o.resultProblem).toBe("result.json is not a regular file (directory)");
  });

  test("byte cap: files are taken in name order until the next one would pass outputBytes", async () => {
    const s = spec({
      caps: { ...DEFAULT_RUN_CAPS, outputBytes: 250 },
      py: "for n in ['a', 'b', 'c', 'd']:\n    open(f'/work/output/{n}.txt', 'w').write(n * 100)",
    });
    const o = await driver.run(s);
    expect(o.outputFiles.map((f) => [f.path, f.bytes])).toEqual([
      ["output/a.txt", 100],
      ["output/b.txt", 100],
    ]);
    expect(o.outputProblems).toEqual([
      { path: "output/c.txt", reason: "the output passes the limit of 250 bytes; this file and the rest were not read" },
    ]);
    expect(readdirSync(s.outputDir).sort()).toEqual(["a.txt", "b.txt"]);
  });

  test("a folder left by a crashed attempt is replaced; the script never sees what was in it", async () => {
    const s = spec({ py: "import os, json\nprint(json.dumps(sorted(os.listdir('/work'))))" });
    mkdirSync(join(workRoot, s.runId), { recursive: true });
    writeFileSync(join(workRoot, s.runId, "stale.txt"), "från förra försöket");
    const o = await driver.run(s);
    expect(json(o)).toEqual(["input", "memory.json", "output", "script.py"]);
  });

  test("a second run for a running run id is refused without touching the first run's folder", async () => {
    const s = spec({ py: "import time\ntime.sleep(1)\nopen('/work/output/first.txt', 'w').write('1')" });
    const first = await driver.launch(s);
    const err = await driver.run(s).catch((e: unknown) => e);
    expect((err as RunnerDriverError).code).toBe("docker_error");
    expect((err as Error).message).toMatch(/already/);
    expect(existsSync(join(workRoot, s.runId, "script.py"))).toBe(true);
    const o = await driver.resume(first.containerId, { runId: s.runId, timeoutMs: 20_000, caps: s.caps, outputDir: s.outputDir });
    expect(o.outputFiles.map((f) => f.path)).toEqual(["output/first.txt"]);
    expect(existsSync(join(workRoot, s.runId))).toBe(false);
  });

  test("the run folder survives until resume, which reads and deletes it; a gone container's folder is deleted too", async () => {
    const s = spec({ py: "open('/work/output/klar.txt', 'w').write('klar')" });
    const { containerId } = await driver.launch(s);
    await driver.docker.getContainer(containerId).wait();
    expect(readFileSync(join(workRoot, s.runId, "output", "klar.txt"), "utf8")).toBe("klar");
    const o = await driver.resume(containerId, { runId: s.runId, timeoutMs: 5_000, caps: s.caps, outputDir: s.outputDir });
    expect(o.outputFiles.map((f) => f.path)).toEqual(["output/klar.txt"]);
    expect(existsSync(join(workRoot, s.runId))).toBe(false);

    const gone = spec();
    mkdirSync(join(workRoot, gone.runId, "output"), { recursive: true });
    const err = await driver
      .resume("skriptoteket-no-such-container", { runId: gone.runId, timeoutMs: 5_000, caps: gone.caps, outputDir: gone.outputDir })
      .catch((e: unknown) => e);
    expect((err as RunnerDriverError).code).toBe("container_gone");
    expect(existsSync(join(workRoot, gone.runId))).toBe(false);
  });

  test("removeOrphans also deletes run folders of unknown runs, but not young ones, known ones or foreign names", async () => {
    const [unknownOld, unknownYoung, knownOld] = [Bun.randomUUIDv7(), Bun.randomUUIDv7(), Bun.randomUUIDv7()];
    const longAgo = Date.now() / 1000 - 600;
    for (const id of [unknownOld, unknownYoung, knownOld]) {
      mkdirSync(join(workRoot, id, "output", "sub"), { recursive: true });
      writeFileSync(join(workRoot, id, "output", "sub", "f.txt"), "x");
    }
    mkdirSync(join(workRoot, "not a run"));
    utimesSync(join(workRoot, "not a run"), longAgo, longAgo);
    utimesSync(join(workRoot, unknownOld), longAgo, longAgo);
    utimesSync(join(workRoot, knownOld), longAgo, longAgo);
    // other suites may have runs on this daemon right now: they are all "known"
    const running = (await driver.findRunContainers()).map((c) => c.runId);
    await driver.removeOrphans([...running, knownOld]);
    expect(runFolders(workRoot).sort()).toEqual([unknownYoung, knownOld, "not a run"].sort());
    for (const name of runFolders(workRoot)) rmSync(join(workRoot, name), { recursive: true });
  });

  // The daemon resolves a bind source in ITS mount namespace. A tmpfs mounted over the work root in a
  // private namespace hides our folders from it, as when the server runs in a container with the socket.
  test.skipIf(!IS_ROOT)("a daemon that cannot see the run folders: the driver switches to volumes and the run succeeds", async () => {
    const hidden = join(scratch, "hidden");
    mkdirSync(hidden);
    const s = spec({ py: "open('/work/output/x.txt', 'w').write('via volym')" });
    const script = join(scratch, "fallback.ts");
    writeFileSync(
      script,
      `import { createDockerDriver } from ${JSON.stringify(join(import.meta.dir, "docker-driver.ts"))};
import { createLogger } from ${JSON.stringify(join(import.meta.dir, "..", "log", "logger.ts"))};
const spec = JSON.parse(process.argv[3]);
const lines = [];
const d = createDockerDriver({ dockerHost: ${JSON.stringify(DOCKER_HOST)}, workRoot: process.argv[2], log: createLogger({ write: (l) => lines.push(l) }) });
const before = d.localIo;
const o = await d.run(spec);
console.log(JSON.stringify({ before, after: d.localIo, exitCode: o.exitCode, files: o.outputFiles.map((f) => f.path),
  warned: lines.some((l) => l.includes("does not see the local run folders")) }));
`,
    );
    const { signal: _signal, onContainerCreated: _cb, ...plain } = s;
    const proc = Bun.spawnSync(
      [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount -t tmpfs -o mode=0700 tmpfs "$1" && exec "$2" "$3" "$1/runs" "$4"',
        "sh",
        hidden,
        process.execPath,
        script,
        JSON.stringify(plain),
      ],
      { stderr: "pipe" },
    );
    expect(proc.stderr.toString()).toBe("");
    expect(JSON.parse(proc.stdout.toString())).toEqual({
      before: true,
      after: false,
      exitCode: 0,
      files: ["output/x.txt"],
      warned: true,
    });
    expect(readFileSync(join(s.outputDir, "x.txt"), "utf8")).toBe("via volym");
    expect(readdirSync(hidden)).toEqual([]);
  }, 30_000);

  // The server as install.sh runs it: not root, in the docker group. Without capabilities it cannot
  // chown, and cannot read a 0600 file or delete a folder the script made: the archives and a clean-up
  // container take over. With CAP_CHOWN + CAP_DAC_OVERRIDE it works like root, without either.
  const socketGid = existsSync(LOCAL_DOCKER_SOCKET) ? statSync(LOCAL_DOCKER_SOCKET).gid : -1;
  const nonRootCases = [
    { caps: [], title: "a non-root server: unreadable output comes through the archives, script-made folders go with a clean-up container" },
    { caps: ["chown", "dac_override"], title: "a non-root server with CAP_CHOWN + CAP_DAC_OVERRIDE: no fall-backs needed" },
  ];
  for (const { caps, title } of nonRootCases) {
    test.skipIf(!IS_ROOT || DOCKER_HOST !== "" || socketGid < 0)(
      title,
      async () => {
        const NOBODY = 65534;
        const home = join(scratch, `nonroot-${caps.length}`);
        mkdirSync(home);
        chownSync(home, NOBODY, NOBODY);
        chmodSync(scratch, 0o755); // only so nobody can reach its own folder and the script
        const s = spec({
          outputDir: join(home, "out"),
          py: [
            "import os",
            "os.makedirs('/work/output/open/deeper')",
            "open('/work/output/open/deeper/a.txt', 'w').write('a')",
            "os.makedirs('/work/output/closed', mode=0o700)",
            "fd = os.open('/work/output/closed/secret.txt', os.O_CREAT | os.O_WRONLY, 0o600)",
            "os.write(fd, b'hemlig'); os.close(fd)",
            "os.makedirs('/work/cache/x', mode=0o500)",
            "open('/work/result.json', 'w').write('{}')",
          ].join("\n"),
        });
        const script = join(home, "nonroot.ts");
        writeFileSync(
          script,
          `import { mkdirSync, readdirSync, readFileSync } from "node:fs";
  import { createDockerDriver } from ${JSON.stringify(join(import.meta.dir, "docker-driver.ts"))};
  import { createLogger } from ${JSON.stringify(join(import.meta.dir, "..", "log", "logger.ts"))};
  const spec = JSON.parse(process.argv[3]);
  mkdirSync(spec.outputDir);
  const lines = [];
  const d = createDockerDriver({ workRoot: process.argv[2], log: createLogger({ write: (l) => lines.push(l) }) });
  const o = await d.run(spec);
  console.log(JSON.stringify({
    uid: process.getuid(),
    exitCode: o.exitCode,
    stderr: o.stderr,
    result: o.resultJson ? new TextDecoder().decode(o.resultJson) : o.resultProblem,
    files: o.outputFiles.map((f) => [f.path, readFileSync(f.hostPath, "utf8")]),
    problems: o.outputProblems,
    left: readdirSync(process.argv[2]),
    viaArchives: lines.some((l) => l.includes("collecting through the archives")),
    scrubbed: lines.some((l) => l.includes("clean-up container")),
    warnings: lines.filter((l) => l.includes('"warn"')),
  }));
  `,
        );
        chownSync(script, NOBODY, NOBODY);
        const { signal: _signal, onContainerCreated: _cb, ...plain } = s;
        const proc = Bun.spawnSync(
          [
            "setpriv",
            `--reuid=${NOBODY}`,
            `--regid=${NOBODY}`,
            `--groups=${socketGid}`,
            ...(caps.length ? [`--inh-caps=${caps.map((c) => `+${c}`).join(",")}`, `--ambient-caps=${caps.map((c) => `+${c}`).join(",")}`] : []),
            process.execPath,
            script,
            join(home, "runs"),
            JSON.stringify(plain),
          ],
          { cwd: home, env: { ...process.env, HOME: home, BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" }, stderr: "pipe" },
        );
        expect(proc.stderr.toString()).toBe("");
        expect(JSON.parse(proc.stdout.toString())).toEqual({
          uid: NOBODY,
          exitCode: 0,
          stderr: "",
          result: "{}",
          files: [
            ["output/closed/secret.txt", "hemlig"],
            ["output/open/deeper/a.txt", "a"],
          ],
          problems: [],
          left: [],
          viaArchives: caps.length === 0,
          scrubbed: caps.length === 0,
          warnings: [],
        });
        const scrubbers = await driver.docker.listContainers({ all: true, filters: { label: ["skriptoteket.scrub_run_id"] } });
        expect(scrubbers.filter((c) => c.Labels["skriptoteket.scrub_run_id"] === s.runId)).toEqual([]);
      },
      60_000,
    );
  }
});

test("an unreachable daemon is docker_unavailable", async () => {
  const d = createDockerDriver({ dockerHost: `unix://${join(scratch, "no.sock")}`, log: createLogger({ write: () => {} }) });
  const err = await d.ping().catch((e: unknown) => e);
  expect((err as RunnerDriverError).code).toBe("docker_unavailable");
});

test("local I/O is the default only for a local daemon with a work root; true without one is a config error", () => {
  const quiet = createLogger({ write: () => {} });
  expect(createDockerDriver({ log: quiet, workRoot: scratch }).localIo).toBe(true);
  expect(createDockerDriver({ log: quiet, dockerHost: "unix:///run/podman/podman.sock", workRoot: scratch }).localIo).toBe(true);
  expect(createDockerDriver({ log: quiet }).localIo).toBe(false);
  expect(createDockerDriver({ log: quiet, dockerHost: "tcp://10.0.0.5:2375", workRoot: scratch }).localIo).toBe(false);
  expect(createDockerDriver({ log: quiet, workRoot: scratch, localIo: false }).localIo).toBe(false);
  expect(() => createDockerDriver({ log: quiet, localIo: true })).toThrow(/workRoot/);
});
