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

const FAKE_PASSWORD = "fake-generated-password-7f3a";

function fakeBinaryScript(version: string): string {
  // Records argv and the data_dir override, like the real binary would use them. Accounts live in
  // data_dir/users.jsonl: `user list --json` prints them (one JSON object per line, nothing when
  // there is none) and `user create --email E` adds one and prints a generated password, as the
  // real binary does without a terminal.
  return [
    "#!/bin/sh",
    `echo "${version} $* data_dir=$SKRIPTOTEKET_STORAGE_DATA_DIR" >> "$FAKE_CALL_LOG"`,
    'users="$SKRIPTOTEKET_STORAGE_DATA_DIR/users.jsonl"',
    'case "$1 $2" in',
    '  "user list") if [ -f "$users" ]; then cat "$users"; fi ;;',
    `  "user create") echo "{\\"email\\":\\"$4\\"}" >> "$users"; echo "Created $4 (superuser), id 1."; echo "password: ${FAKE_PASSWORD}" ;;`,
    "esac",
    "",
  ].join("\n");
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
    const r = install("--binary", fakeBinary, "--no-start", "--admin-email", "rektor@skola.se");
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

    // migrate, the superuser check and doctor ran against the installed config, with data_dir
    // kept inside the throwaway root.
    const tail = `--config ${root}/etc/skriptoteket/skriptoteket.toml data_dir=${root}/var/lib/skriptoteket`;
    expect(readFileSync(callLog, "utf8").trim().split("\n")).toEqual([
      `v1 migrate ${tail}`,
      `v1 user list --json ${tail}`,
      `v1 user create --email rektor@skola.se --role superuser ${tail}`,
      `v1 doctor ${tail}`,
    ]);
  });

  test("the first run prints the superuser's password once, in the summary with the next steps", () => {
    // Run again on a fresh root so the output of a first install can be inspected here.
    const fresh = join(work, "fresh");
    const r = installInto(fresh, "--example", example, "--binary", fakeBinary, "--admin-email", "it@skola.se");
    expect(r.code).toBe(0);
    expect(r.out.split(FAKE_PASSWORD)).toHaveLength(2);
    expect(r.out).toMatch(new RegExp(`Admin: +it@skola\\.se\\n +Password: +${FAKE_PASSWORD} `));
    expect(r.out).toContain("Config:       /etc/skriptoteket/skriptoteket.toml");
    expect(r.out).toContain("Data:         /var/lib/skriptoteket");
    // No listen/public_url in this example: the defaults.
    expect(r.out).toContain("URL:          http://127.0.0.1:8080  (health: not checked (service not started))");
    for (const step of ['public_url = "https://', "cookie_secure = true", '[email] provider = "smtp"', "/metrics", "src/ops/prometheus-alerts.yml"]) {
      expect(r.out).toContain(step);
    }
    expect(r.out).toMatch(/^ +30 2 \* \* \* skriptoteket \/usr\/local\/bin\/skriptoteket backup --config \S+ --out \S+-\$\(date \+\\%F\)\.tar\.gz$/m);
    // --root touches neither Docker nor the runner image: it says what it would do.
    expect(r.out).toContain("--root: would install docker.io when missing");
    expect(r.out).toContain(`--root: would run ${repo}/runner/build-image.sh`);

    const skipped = installInto(join(work, "no-image"), "--example", example, "--binary", fakeBinary, "--no-runner-image");
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain("skipping the runner image");
    expect(skipped.out).not.toContain("would run");
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
    // An account exists: no second superuser, no password.
    expect(r.out).toContain("accounts exist already: not creating a superuser");
    expect(r.out).not.toContain(FAKE_PASSWORD);
    expect(readFileSync(callLog, "utf8")).not.toContain("v2 user create");
    expect(r.out).toContain("Admin:        existing accounts kept.");
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
  // Without --admin-email the first superuser is admin@<this host>, a dotted domain either way.
  expect(readFileSync(callLog, "utf8")).toMatch(/ user create --email admin@[a-z0-9-]+(\.[a-z0-9-]+)+ --role superuser /);
  expect(r.out).toMatch(/URL: +http:\/\/localhost:8080 /);
});

describe("the health check (install.sh sourced: functions only)", () => {
  // health_url reads [server] listen of the config under $root.
  function healthUrl(listen: string | null): string {
    const into = mkdtempSync(join(work, "health-"));
    const config = join(into, "etc/skriptoteket/skriptoteket.toml");
    Bun.spawnSync(["mkdir", "-p", join(into, "etc/skriptoteket")]);
    writeFileSync(config, listen === null ? "[server]\n" : `[server]\nlisten = "${listen}"\n`);
    const p = Bun.spawnSync(["bash", "-c", 'source "$1"; root="$2"; health_url', "sh", installer, into]);
    expect(p.exitCode).toBe(0);
    return p.stdout.toString().trim();
  }

  test("health_url asks this host on the configured port", () => {
    expect(healthUrl("0.0.0.0:9090")).toBe("http://127.0.0.1:9090/healthz");
    expect(healthUrl("10.1.2.3:8080")).toBe("http://10.1.2.3:8080/healthz");
    expect(healthUrl("[::]:8081")).toBe("http://127.0.0.1:8081/healthz");
    expect(healthUrl("[::1]:8082")).toBe("http://[::1]:8082/healthz");
    expect(healthUrl(null)).toBe("http://127.0.0.1:8080/healthz");
  });

  test("wait_healthy is true once /healthz answers 200, false when nothing answers in time", async () => {
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (req) => new Response(null, { status: new URL(req.url).pathname === "/healthz" ? 200 : 404 }),
    });
    try {
      const wait = async (url: string, seconds: number) =>
        Bun.spawn(["bash", "-c", 'source "$1"; wait_healthy "$2" "$3"', "sh", installer, url, String(seconds)]).exited;
      expect(await wait(`http://127.0.0.1:${server.port}/healthz`, 5)).toBe(0);
      expect(await wait(`http://127.0.0.1:${server.port}/nope`, 1)).toBe(1);
    } finally {
      server.stop(true);
    }
  });
});

test("with the real CLI: migrates, creates the first superuser once, and doctor runs", () => {
  const into = join(work, "real-cli");
  const cli = join(work, "real-cli-skriptoteket");
  writeFileSync(cli, `#!/bin/sh\nexec bun ${join(repo, "src/main.ts")} "$@"\n`);
  chmodSync(cli, 0o755);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SKRIPTOTEKET_")));
  const run = () => {
    const p = Bun.spawnSync(["bash", installer, "--root", into, "--binary", cli, "--admin-email", "rektor@skola.se"], { cwd: work, env });
    return { code: p.exitCode, out: p.stdout.toString() + p.stderr.toString() };
  };
  const first = run();
  expect(first.out).toContain("creating the first superuser rektor@skola.se");
  expect(first.code).toBe(0);
  const password = /^ +Password: +(\S+) /m.exec(first.out)?.[1] ?? "";
  expect(password.length).toBeGreaterThanOrEqual(12);
  expect(first.out.split(password)).toHaveLength(2);
  expect(first.out).toContain("ok    migrations  up to date");
  expect(existsSync(join(into, "var/lib/skriptoteket/skriptoteket.db"))).toBe(true);

  const again = run();
  expect(again.code).toBe(0);
  expect(again.out).toContain("accounts exist already: not creating a superuser");
  expect(again.out).not.toContain("Password:");
}, 30_000);
