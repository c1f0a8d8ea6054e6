// The command-line client against a real server in this process (the whole app on 127.0.0.1, run
// workers with Docker): `login` through the device flow (the test approves the code over the API as
// the signed-in person would in the browser), `run --wait` runs a tool and downloads its files,
// `tool push` saves a draft. Skipped without Docker or the runner image (an error with CI=true).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../main";
import type { CliIO } from "./command";
import { dockerAvailability, TEST_DOCKER_HOST, TEST_IMAGE } from "../execution/test-worker";
import { startRunWorkers } from "../execution/run-workers";
import type { WorkerHandle } from "../execution/worker";
import { createToolsDeps, importTool } from "../tools/tools.service";
import { createAccessTestApp, type AccessTestApp } from "../access/access.test-app";

const { skip } = await dockerAvailability("login-run.test.ts");

const TOOL_SOURCE = `import os
from skriptoteket_toolkit import list_input_files, read_inputs


def run_tool(input_dir, output_dir):
    inputs = read_inputs()
    with open(list_input_files()[0]["path"], encoding="utf-8") as handle:
        text = handle.read()
    os.makedirs(os.path.join(output_dir, "ut"), exist_ok=True)
    with open(os.path.join(output_dir, "ut", "svar.txt"), "w", encoding="utf-8") as out:
        out.write("%s: %s" % (inputs["rubrik"], text.strip().upper()))
    return "klart"
`;
const MANIFEST = {
  slug: "cli-versaler",
  title: "Versaler",
  entrypoint: "run_tool",
  input_schema: [
    { kind: "string", name: "rubrik", label: "Rubrik", required: true },
    { kind: "file", name: "fil", label: "Fil", accept: [".txt"], min: 1, max: 1, required: true },
  ],
  settings_schema: null,
};

function captureIO(home: string, cwd: string): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => void lines.push(l), err: (l) => void errors.push(l), env: { HOME: home, LANG: "en_US.UTF-8" }, cwd };
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip)("skriptoteket login / run / tool push against a running server", () => {
  let t: AccessTestApp;
  let server: ReturnType<typeof Bun.serve>;
  let workers: WorkerHandle;
  let home: string;
  let url: string;
  beforeAll(async () => {
    t = await createAccessTestApp("sqlite");
    Object.assign(t.config.runner, { image: TEST_IMAGE, docker_host: TEST_DOCKER_HOST, warm_pool: false });
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => t.app.handle(req) });
    url = `http://127.0.0.1:${server.port}`;
    workers = startRunWorkers({ config: t.config, store: t.store, log: t.access.log, concurrency: 1 });
    await importTool(createToolsDeps(t.store), { manifestText: JSON.stringify(MANIFEST), source: TOOL_SOURCE, publish: true, actor: { kind: "cli" } });
    home = mkdtempSync(join(tmpdir(), "skt-cli-home-"));
  });
  afterAll(async () => {
    await workers?.stop();
    await server?.stop(true);
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("login through the device flow keeps a 0600 token", async () => {
    const io = captureIO(home, home);
    const login = runCli(["login", "--server", `${url}/`], io);
    const code = await until("the user code", () => io.lines.join("\n").match(/enter the code ([A-Z]{4}-[A-Z]{4})/)?.[1]);
    expect(io.lines[0]).toContain("https://skriptoteket.skola.se/device");
    const admin = await t.loggedIn("admin");
    const confirmed = await admin.post("/api/v1/auth/device/confirm", { user_code: code, scopes: ["runs:read", "runs:write", "tools:write"] });
    expect(confirmed.body).toEqual({ status: "approved" });
    expect(await login).toBe(0);
    expect(io.lines.at(-1)).toContain(`Logged in to ${url} as admin@skola.se with tools:write, runs:read, runs:write`);
    const path = join(home, ".config", "skriptoteket", "credentials.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(path, "utf8")) as { current: string; servers: Record<string, { token: string; scopes: string[] }> };
    expect(saved.current).toBe(url);
    expect(saved.servers[url]!.scopes).toEqual(["tools:write", "runs:read", "runs:write"]);
  }, 30_000);

  test("run --wait runs the tool in Docker and downloads its files", async () => {
    const work = mkdtempSync(join(tmpdir(), "skt-cli-work-"));
    writeFileSync(join(work, "text.txt"), "hej på dig\n");
    const io = captureIO(home, work);
    const code = await runCli(["run", "cli-versaler", "--file", "text.txt", "--input", "rubrik=Svar", "--wait", "--out", "resultat"], io);
    expect({ code, errors: io.errors }).toEqual({ code: 0, errors: [] });
    expect(io.lines[0]).toMatch(/^run [0-9a-f-]{36} queued$/);
    expect(io.lines).toContain("status: succeeded");
    expect(io.lines).toContain("saved resultat/ut/svar.txt (17 bytes)");
    expect(readFileSync(join(work, "resultat", "ut", "svar.txt"), "utf8")).toBe("Svar: HEJ PÅ DIG");
    // the form's rules come back as the server's message
    const bad = captureIO(home, work);
    expect(await runCli(["run", "cli-versaler", "--input", "rubrik=Svar"], bad)).toBe(1);
    expect(bad.errors.join("\n")).toContain("runs.invalid_inputs");
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  test("tool push saves a draft version; the same content again saves nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skt-cli-tool-"));
    mkdirSync(join(dir, "cli-versaler"));
    writeFileSync(join(dir, "cli-versaler", "tool.json"), JSON.stringify(MANIFEST));
    writeFileSync(join(dir, "cli-versaler", "tool.py"), TOOL_SOURCE.replace("upper()", "lower()"));
    const io = captureIO(home, dir);
    expect(await runCli(["tool", "push", "cli-versaler", "--note", "gemener"], io)).toBe(0);
    expect(io.lines).toEqual([`cli-versaler: saved version 2 (draft) on ${url}`]);
    const again = captureIO(home, dir);
    expect(await runCli(["tool", "push", "cli-versaler"], again)).toBe(0);
    expect(again.lines[0]).toContain("unchanged");
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  test("without a login the commands say what to do", async () => {
    const empty = mkdtempSync(join(tmpdir(), "skt-cli-nohome-"));
    const io = captureIO(empty, empty);
    expect(await runCli(["run", "cli-versaler"], io)).toBe(2);
    expect(io.errors[0]).toContain('Run "skriptoteket login --server URL" first');
    rmSync(empty, { recursive: true, force: true });
  });
});

describe("run: artifact paths", () => {
  test("stay inside the chosen folder, without the output/ prefix", async () => {
    const { artifactTarget } = await import("./run");
    expect(artifactTarget("/tmp/ut", "output/a/b.txt")).toBe("/tmp/ut/a/b.txt");
    expect(artifactTarget("/tmp/ut", "/output/c.txt")).toBe("/tmp/ut/c.txt");
    expect(artifactTarget("/tmp/ut", "output/../../etc/passwd")).toBeNull();
    expect(artifactTarget("/tmp/ut", "output/")).toBeNull();
  });
});
