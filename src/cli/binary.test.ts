// The single binary, as a site receives it: copied alone into an empty folder with a 3-line TOML.
// Needs dist/skriptoteket (scripts/test.sh builds it first).
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../main";
import { createEmptyPgDatabase } from "../store/test-db";

const BINARY = join(import.meta.dir, "../../dist/skriptoteket");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshFolder(): string {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run scripts/build.sh first`);
  const dir = mkdtempSync(join(tmpdir(), "skt-bin-"));
  dirs.push(dir);
  copyFileSync(BINARY, join(dir, "skriptoteket"));
  Bun.spawnSync(["chmod", "755", join(dir, "skriptoteket")]);
  return dir;
}

function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

async function waitHealthy(base: string, proc: Bun.Subprocess, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await Bun.sleep(20);
  }
  throw new Error("server did not become healthy");
}

function run(dir: string, args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawnSync([join(dir, "skriptoteket"), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env } });
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("dist/skriptoteket alone in an empty folder", () => {
  test("--help lists every subcommand, and each has its own --help", () => {
    const dir = freshFolder();
    const help = run(dir, ["--help"]);
    expect(help.code).toBe(0);
    for (const c of commands) {
      expect(help.out).toContain(c.name);
      const own = run(dir, [c.name, "--help"]);
      expect(own.code).toBe(0);
      expect(own.out).toContain(`skriptoteket ${c.name}`);
    }
  });

  test("starts with a 3-line TOML, creates and migrates its SQLite file, serves /, a deep route and /healthz", async () => {
    const dir = freshFolder();
    const port = freePort();
    writeFileSync(join(dir, "skriptoteket.toml"), `[server]\nlisten = "127.0.0.1:${port}"\npublic_url = "http://127.0.0.1:${port}"\n`);
    const proc = Bun.spawn([join(dir, "skriptoteket"), "serve"], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, stdout: "pipe", stderr: "pipe" });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitHealthy(base, proc);
      expect(existsSync(join(dir, "data", "skriptoteket.db"))).toBe(true);
      for (const path of ["/", "/profile", "/some/deep/route"]) {
        const res = await fetch(base + path);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text()).toContain("<script");
      }
      const api404 = await fetch(`${base}/api/v1/does-not-exist`);
      expect(api404.status).toBe(404);
      expect(((await api404.json()) as { error: { code: string } }).error.code).toBe("not_found");
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: { ok: true } } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain("skriptoteket_http_request_duration_seconds");
      expect((await fetch(`${base}/api/docs/json`)).status).toBe(200);
    } finally {
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    }
  });

  test("a broken config stops start-up with exit 2, naming the file, key and line", () => {
    const dir = freshFolder();
    writeFileSync(join(dir, "skriptoteket.toml"), `[server]\nlisten = "127.0.0.1:8099"\ncookie_secure = "yes please"\n\n[storage]\ndata_diir = "./x"\n`);
    const r = run(dir, ["serve"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("skriptoteket.toml:3");
    expect(r.err).toContain("cookie_secure");
    expect(r.err).toContain("skriptoteket.toml:6");
    expect(r.err).toContain("data_diir");
    const check = run(dir, ["config", "check"]);
    expect(check.code).toBe(2);
  });

  test("runs against PostgreSQL when [database] url is set (environment override)", async () => {
    const pg = await createEmptyPgDatabase();
    if (!pg) {
      if (process.env.CI) throw new Error("CI needs SKRIPTOTEKET_TEST_DATABASE_URL");
      return;
    }
    const dir = freshFolder();
    const port = freePort();
    try {
      const env = { SKRIPTOTEKET_DATABASE_URL: pg.url, SKRIPTOTEKET_SERVER_LISTEN: `127.0.0.1:${port}` };
      const m = run(dir, ["migrate"], env);
      expect(m.code).toBe(0);
      expect(m.out).toContain("PostgreSQL");
      const proc = Bun.spawn([join(dir, "skriptoteket"), "serve"], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "pipe" });
      try {
        await waitHealthy(`http://127.0.0.1:${port}`, proc);
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: { ok: true, detail: "postgres" } } });
        expect(existsSync(join(dir, "data", "skriptoteket.db"))).toBe(false);
      } finally {
        proc.kill("SIGTERM");
        await proc.exited;
      }
    } finally {
      await pg.drop();
    }
  });
});
