// Integration tests against the real Docker engine and the runner image (runner/build-image.sh).
// Locally they are skipped (with a note) when Docker or the image is missing; with CI=true they FAIL instead.
// SKRIPTOTEKET_TEST_DOCKER_HOST / SKRIPTOTEKET_TEST_RUNNER_IMAGE point them at another daemon or image.
//
// Every test checks afterwards that no container or volume of its runs is left and that the number of
// dangling volumes did not grow.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../log/logger";
import { bareLifecycle } from "./docker-bare-lifecycle";
import { createDockerDriver } from "./docker-driver";
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

const logLines: string[] = [];
const driver = createDockerDriver({ dockerHost: DOCKER_HOST, log: createLogger({ level: "debug", write: (l) => logLines.push(l) }) });
const reachable = await driver.ping().then(
  () => true,
  () => false,
);
const imagePresent = reachable && (await driver.imageExists(IMAGE));
const skip = !REQUIRED && !imagePresent;
if (skip) {
  console.warn(
    `docker-driver.test.ts: skipped — ${reachable ? `image ${IMAGE} is missing (runner/build-image.sh)` : "Docker is not reachable"}; with CI=true these tests fail instead`,
  );
}

const scratch = mkdtempSync(join(tmpdir(), "skt-driver-test-"));
const usedRunIds = new Set<string>();
let danglingBefore = 0;

async function danglingVolumes(): Promise<number> {
  const r = await driver.docker.listVolumes({ filters: { dangling: ["true"] } });
  return r.Volumes?.length ?? 0;
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

describe.skipIf(skip)("docker driver (real Docker)", () => {
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
    expect(await danglingVolumes()).toBeLessThanOrEqual(danglingBefore);
  });

  test("happy path through the harness: inputs in, output file and result.json out", async () => {
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
    const o = await driver.run({ ...s, onContainerCreated: (id) => void created.push(id) });

    expect(created).toEqual([o.containerId]);
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

  test("exit code, stdout and stderr kept apart, env passed through", async () => {
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

  test("50 MB on stdout: 200,000 bytes kept, the run ends at once and the server stays responsive", async () => {
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

  test("deadline: SIGKILL (even when SIGTERM is ignored), timedOut within deadline + 2 s", async () => {
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

  test("memory hog: OOM-killed at the memory limit", async () => {
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

  test("fork bomb: stopped at the pids limit, host unaffected", async () => {
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

  test("no network: only lo, connections fail", async () => {
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

  test("read-only root, noexec /tmp, read-only inputs, no privileges", async () => {
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

  test("10,000 output files: capped at outputFiles with a problem", async () => {
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

  test("links in /work/output are rejected and never followed (files, folders, result.json)", async () => {
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

  test("/work/output itself replaced by a link to /etc: nothing collected", async () => {
    const s = spec({ py: "import shutil, os\nshutil.rmtree('/work/output')\nos.symlink('/etc', '/work/output')" });
    const o = await driver.run(s);
    expect(o.outputFiles).toEqual([]);
    expect(o.outputProblems).toEqual([{ path: "output/", reason: expect.stringMatching(/symbolic link/) }]);
    expect(readdirSync(s.outputDir)).toEqual([]);
  });

  test("100 MB result.json: reported as too large without downloading it", async () => {
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

  test("the file size limit stops a single huge file with EFBIG", async () => {
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

  test("cancel through AbortSignal mid-run kills at once", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    const began = performance.now();
    const o = await driver.run(spec({ signal: ac.signal, py: "import time\nprint('igång', flush=True)\ntime.sleep(60)" }));
    expect(o).toMatchObject({ cancelled: true, timedOut: false, started: true, exitCode: 137 });
    expect(o.stdout).toBe("igång\n");
    expect(o.resultProblem).toBe("not read: the run was cancelled");
    expect(performance.now() - began).toBeLessThan(5_000);
  });

  test("cancelled before start: nothing runs, nothing is left", async () => {
    const ac = new AbortController();
    ac.abort();
    const o = await driver.run(spec({ signal: ac.signal, py: "open('/work/output/ran', 'w')" }));
    expect(o).toMatchObject({ cancelled: true, started: false, exitCode: null });
  });

  test("adoption after a crash: launch, forget, find by label, resume finishes and cleans up", async () => {
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

  test("adoption honours the original deadline, counted from the container's start", async () => {
    const s = spec({ timeoutMs: 2_500, py: "import time\ntime.sleep(60)" });
    const { containerId } = await driver.launch(s);
    await Bun.sleep(1_500); // the "crash" ate 1.5 s of the 2.5 s budget
    const o = await driver.resume(containerId, { runId: s.runId, timeoutMs: 2_500, caps: s.caps, outputDir: s.outputDir });
    expect(o).toMatchObject({ timedOut: true, exitCode: 137 });
    // ≈1 s left when adopted (plus the kill); a fresh 2.5 s budget would wait longer than 2 s
    expect(o.phases.wait).toBeGreaterThan(600);
    expect(o.phases.wait).toBeLessThan(2_000);
  });

  test("adopting an already finished container; a gone container is reported", async () => {
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

  test("removeOrphans removes only containers of unknown runs", async () => {
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

  test("a missing image is a clear error and leaves nothing behind", async () => {
    const err = await driver.run(spec({ image: "skriptoteket-runner:does-not-exist" })).catch((e: unknown) => e);
    expect((err as RunnerDriverError).code).toBe("image_missing");
    expect(await driver.imageExists("skriptoteket-runner:does-not-exist")).toBe(false);
  });

  test("a failing onContainerCreated removes the container and rethrows", async () => {
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

  test("two containers for one run are refused (the name is per run)", async () => {
    const s = spec({ py: "import time\ntime.sleep(30)" });
    const first = await driver.launch(s);
    const err = await driver.run(s).catch((e: unknown) => e);
    expect((err as RunnerDriverError).code).toBe("docker_error");
    expect((err as Error).message).toMatch(/already/);
    const ac = new AbortController();
    ac.abort();
    await driver.resume(first.containerId, { runId: s.runId, timeoutMs: 30_000, caps: s.caps, outputDir: s.outputDir, signal: ac.signal });
  });

  test("bareLifecycle: the no-op floor the bench compares against", async () => {
    const t = await bareLifecycle(IMAGE, { dockerHost: DOCKER_HOST });
    expect(t.total).toBeGreaterThan(0);
    expect(t.total).toBeGreaterThanOrEqual(t.create + t.start + t.wait);
    const bench = await driver.docker.listContainers({ all: true, filters: { label: ["skriptoteket.bench"] } });
    expect(bench).toEqual([]);
  });
});

test("an unreachable daemon is docker_unavailable", async () => {
  const d = createDockerDriver({ dockerHost: `unix://${join(scratch, "no.sock")}`, log: createLogger({ write: () => {} }) });
  const err = await d.ping().catch((e: unknown) => e);
  expect((err as RunnerDriverError).code).toBe("docker_unavailable");
});
