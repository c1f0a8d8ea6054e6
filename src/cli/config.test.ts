import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { configCommand } from "./config";
import type { CliIO } from "./command";

const root = mkdtempSync(join(tmpdir(), "skt-cli-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fresh, empty working directory, so no ./skriptoteket.toml is found by accident. */
function freshDir(): string {
  const dir = join(root, String(counter++));
  mkdirSync(dir);
  return dir;
}

async function run(args: string[], { env = {}, cwd = freshDir() }: { env?: CliIO["env"]; cwd?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await configCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd });
  return { code, out, err };
}

test("check: a valid file prints OK with its path and exits 0", async () => {
  const cwd = freshDir();
  writeFileSync(join(cwd, "skriptoteket.toml"), '[server]\nlisten = "127.0.0.1:8080"\n');
  expect(await run(["check"], { cwd })).toEqual({ code: 0, out: [`OK: ${join(cwd, "skriptoteket.toml")}`], err: [] });
});

test("check: without any file it reports the defaults", async () => {
  const result = await run(["check"]);
  expect(result.code).toBe(0);
  expect(result.out[0]).toStartWith("OK: defaults");
});

test("check: every problem is printed as file:line and the exit code is 2", async () => {
  const cwd = freshDir();
  const file = join(cwd, "bad.toml");
  writeFileSync(file, '[server]\nlisten = 8080\n[auth]\nregistration = "domains"\nlockout = 3\n');
  const result = await run(["check", "--config", file], { cwd, env: { SKRIPTOTEKET_LOG_LEVEL: "loud" } });
  expect(result.code).toBe(2);
  expect(result.out).toEqual([]);
  expect(result.err).toEqual([
    `${file}:2: [server] listen: expected a string like "0.0.0.0:8080", got 8080 (integer). Fix the value or remove the line to use the default.`,
    `${file}:4: [auth] registration: "domains" needs at least one entry in allowed_domains. Add allowed_domains = ["skola.se"] to [auth] or choose another registration.`,
    `${file}:5: [auth] lockout: unknown key. Fix the name or remove the line; [auth] has registration, allowed_domains, require_email_verification, lockout_attempts, lockout_minutes, rate_limit_per_minute, password_min_length.`,
    'environment: SKRIPTOTEKET_LOG_LEVEL: expected one of "debug", "info", "warn" or "error", got "loud". Fix the variable or unset it.',
  ]);
});

test("check: a missing --config file exits 2", async () => {
  const result = await run(["check", "--config=/no/such.toml"]);
  expect(result.code).toBe(2);
  expect(result.err[0]).toBe(
    "command line: --config names /no/such.toml, which does not exist. Fix the path (relative paths start at the working directory).",
  );
});

test("print: shows the effective config as TOML with secrets masked", async () => {
  const cwd = freshDir();
  writeFileSync(
    join(cwd, "skriptoteket.toml"),
    `[server]\nsecret = "${"k".repeat(40)}"\n[email]\nsmtp_password = "hunter2"\nsmtp_user = "mailer"\n`,
  );
  const result = await run(["print"], {
    cwd,
    env: { SKRIPTOTEKET_DATABASE_URL: "postgres://app:topsecret@db:5432/skript", SKRIPTOTEKET_LOG_FORMAT: "pretty" },
  });
  expect(result.code).toBe(0);
  const text = result.out.join("\n");
  expect(text).not.toContain("k".repeat(40));
  expect(text).not.toContain("hunter2");
  expect(text).not.toContain("topsecret");
  expect(result.out).toContain('secret = "********"');
  expect(result.out).toContain('smtp_password = "********"');
  expect(result.out).toContain('smtp_user = "mailer"');
  expect(result.out).toContain('url = "postgres://app:********@db:5432/skript"  # from SKRIPTOTEKET_DATABASE_URL');
  expect(result.out[0]).toBe(`# Effective configuration from ${join(cwd, "skriptoteket.toml")}; secrets are masked.`);
  expect(parse(text)).toMatchObject({ log: { format: "pretty" }, runner: { pids_limit: 256 } });
});

test("print: a bad config exits 2 like check", async () => {
  const result = await run(["print"], { env: { SKRIPTOTEKET_RUNNER_CPUS: "many" } });
  expect(result.code).toBe(2);
  expect(result.out).toEqual([]);
  expect(result.err[0]).toStartWith("environment: SKRIPTOTEKET_RUNNER_CPUS:");
});

test("--help on the command or a subcommand prints usage and examples and exits 0", async () => {
  for (const args of [["--help"], ["check", "--help"], ["print", "-h"]]) {
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.out[0]).toStartWith("skriptoteket config");
    const text = result.out.join("\n");
    expect(text).toContain("Usage: skriptoteket config check [--config FILE]\n       skriptoteket config print");
    expect(text).toContain("Examples:\n  skriptoteket config check\n");
  }
});

test("usage errors exit 2 with a hint", async () => {
  for (const args of [[], ["validate"], ["check", "--verbose"], ["print", "--config"]]) {
    const result = await run(args);
    expect([args, result.code]).toEqual([args, 2]);
    expect(result.err.at(-1)).toBe('Run "skriptoteket config --help" for usage.');
  }
});
