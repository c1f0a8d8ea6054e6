// install.sh into a throwaway root (--root), with a fake binary that records how it was called.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(import.meta.dir, "..");
const installer = join(repo, "install.sh");

let work: string;
let root: string;
let fakeBinary: string;
let example: string;
let callLog: string;

function fakeBinaryScript(version: string): string {
  // Records argv and the data_dir override, like the real binary's migrate would use them.
  return `#!/bin/sh\necho "${version} $* data_dir=$SKRIPTOTEKET_STORAGE_DATA_DIR" >> "$FAKE_CALL_LOG"\n`;
}

function install(...args: string[]): { code: number; out: string } {
  return installInto(root, "--example", example, ...args);
}

function installInto(into: string, ...args: string[]): { code: number; out: string } {
  const p = Bun.spawnSync(["bash", installer, "--root", into, ...args], {
    env: { ...process.env, FAKE_CALL_LOG: callLog },
  });
  return { code: p.exitCode ?? -1, out: p.stdout.toString() + p.stderr.toString() };
}

const file = (p: string) => join(root, p);
const mode = (p: string) => statSync(file(p)).mode & 0o777;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "skt-install-"));
  root = join(work, "root");
  callLog = join(work, "calls.log");
  fakeBinary = join(work, "skriptoteket");
  writeFileSync(fakeBinary, fakeBinaryScript("v1"));
  chmodSync(fakeBinary, 0o755);
  example = join(work, "skriptoteket.example.toml");
  writeFileSync(
    example,
    [
      "# Skriptoteket example",
      "[server]",
      '# listen = "0.0.0.0:8080"',
      "# Key for hashing tokens.",
      '# secret = ""',
      "",
      "[storage]",
      "# Folder for the database.",
      '# data_dir = "./data"',
      "max_upload_mb = 50",
      "",
    ].join("\n"),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("install.sh --root", () => {
  let firstSecret = "";

  test("installs binary, config, data folder and a hardened unit, then migrates", () => {
    const r = install("--binary", fakeBinary, "--no-start");
    expect(r.out).toContain("migrating");
    expect(r.code).toBe(0);

    expect(readFileSync(file("usr/local/bin/skriptoteket"), "utf8")).toBe(fakeBinaryScript("v1"));
    expect(mode("usr/local/bin/skriptoteket")).toBe(0o755);
    expect(mode("var/lib/skriptoteket")).toBe(0o750);

    const config = readFileSync(file("etc/skriptoteket/skriptoteket.toml"), "utf8");
    expect(mode("etc/skriptoteket/skriptoteket.toml")).toBe(0o640);
    expect(config).toContain('[storage]\n# Folder for the database.\ndata_dir = "/var/lib/skriptoteket"\n');
    const secret = /\[server\][^[]*\nsecret = "([0-9a-f]+)"\n/.exec(config);
    expect(secret?.[1]).toHaveLength(64);
    firstSecret = secret?.[1] ?? "";
    // The example's documentation survives.
    expect(config).toContain("# Key for hashing tokens.");
    expect(config).toContain("max_upload_mb = 50");

    const unit = readFileSync(file("etc/systemd/system/skriptoteket.service"), "utf8");
    for (const line of [
      "User=skriptoteket",
      "ExecStart=/usr/local/bin/skriptoteket serve --config /etc/skriptoteket/skriptoteket.toml",
      "Restart=on-failure",
      "NoNewPrivileges=true",
      "ProtectSystem=strict",
      "ReadWritePaths=/var/lib/skriptoteket",
      "PrivateTmp=true",
      "WantedBy=multi-user.target",
    ]) {
      expect(unit.split("\n")).toContain(line);
    }

    // migrate ran against the installed config, with data_dir kept inside the throwaway root.
    expect(readFileSync(callLog, "utf8").trim().split("\n")).toEqual([
      `v1 migrate --config ${root}/etc/skriptoteket/skriptoteket.toml data_dir=${root}/var/lib/skriptoteket`,
    ]);
  });

  test("a re-run upgrades the binary and keeps the config as the admin left it", () => {
    const configPath = file("etc/skriptoteket/skriptoteket.toml");
    writeFileSync(configPath, readFileSync(configPath, "utf8") + "\n# local change\n");
    const edited = readFileSync(configPath, "utf8");
    writeFileSync(fakeBinary, fakeBinaryScript("v2"));

    const r = install("--binary", fakeBinary, "--no-start");
    expect(r.code).toBe(0);
    expect(r.out).toContain("keeping existing /etc/skriptoteket/skriptoteket.toml");
    expect(readFileSync(configPath, "utf8")).toBe(edited);
    expect(edited).toContain(`secret = "${firstSecret}"`);
    expect(readFileSync(file("usr/local/bin/skriptoteket"), "utf8")).toBe(fakeBinaryScript("v2"));
    expect(readFileSync(callLog, "utf8")).toContain("v2 migrate --config");
  });

  test("--uninstall removes service and binary but keeps config and data; --purge removes them", () => {
    writeFileSync(file("var/lib/skriptoteket/skriptoteket.db"), "data");
    const r = install("--uninstall");
    expect(r.code).toBe(0);
    expect(existsSync(file("etc/systemd/system/skriptoteket.service"))).toBe(false);
    expect(existsSync(file("usr/local/bin/skriptoteket"))).toBe(false);
    expect(existsSync(file("etc/skriptoteket/skriptoteket.toml"))).toBe(true);
    expect(readFileSync(file("var/lib/skriptoteket/skriptoteket.db"), "utf8")).toBe("data");

    const purged = install("--uninstall", "--purge");
    expect(purged.code).toBe(0);
    expect(existsSync(file("etc/skriptoteket"))).toBe(false);
    expect(existsSync(file("var/lib/skriptoteket"))).toBe(false);
  });

  test("refuses a missing binary and unknown arguments", () => {
    const missing = install("--binary", join(work, "nope"), "--no-start");
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain("no executable at");
    const unknown = install("--frobnicate");
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toContain("unknown argument: --frobnicate");
  });
});

test("with the repository's example file the written config passes `config check`", () => {
  const into = join(work, "real-example");
  const r = installInto(into, "--binary", fakeBinary, "--no-start");
  expect(r.code).toBe(0);
  const config = join(into, "etc/skriptoteket/skriptoteket.toml");
  const text = readFileSync(config, "utf8");
  expect(text).toMatch(/^data_dir = "\/var\/lib\/skriptoteket"$/m);
  expect(text).toMatch(/^secret = "[0-9a-f]{64}"$/m);
  const check = Bun.spawnSync(["bun", join(repo, "src/main.ts"), "config", "check", "--config", config], {
    cwd: work,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SKRIPTOTEKET_"))),
  });
  expect(check.stdout.toString() + check.stderr.toString()).toContain(`OK: ${config}`);
  expect(check.exitCode).toBe(0);
});
