import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configArgument, loadConfig, locateConfigFile, type LoadOptions } from "./config.load";
import { ConfigError, type ConfigProblem } from "./config.errors";
import { defaultConfig } from "./config.keys";

const root = mkdtempSync(join(tmpdir(), "skt-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string; // a fresh folder per test holding the candidate files
let cwd: string;
let systemPath: string;
let explicitPath: string;
let envPath: string;
let counter = 0;

beforeEach(() => {
  dir = join(root, String(counter++));
  cwd = join(dir, "work");
  mkdirSync(join(dir, "etc"), { recursive: true });
  mkdirSync(cwd, { recursive: true });
  systemPath = join(dir, "etc", "skriptoteket.toml");
  explicitPath = join(dir, "explicit.toml");
  envPath = join(dir, "from-env.toml");
});

/** Each candidate sets a different log level, so the level shows which file was read. */
function writeCandidates(which: ("explicit" | "env" | "cwd" | "system")[]) {
  const files = { explicit: explicitPath, env: envPath, cwd: join(cwd, "skriptoteket.toml"), system: systemPath };
  const levels = { explicit: "debug", env: "info", cwd: "warn", system: "error" };
  for (const w of which) writeFileSync(files[w], `[log]\nlevel = "${levels[w]}"\n`);
}

function options(argv: string[] = [], env: Record<string, string | undefined> = {}): LoadOptions {
  return { argv, env, cwd, systemPath };
}

function problemsOf(run: () => unknown): ConfigProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("lookup order", () => {
  test("--config beats the variable, which beats ./skriptoteket.toml, which beats the system file", () => {
    writeCandidates(["explicit", "env", "cwd", "system"]);
    const env = { SKRIPTOTEKET_CONFIG: envPath };
    expect(loadConfig(options(["serve", "--config", explicitPath], env))).toMatchObject({
      path: explicitPath,
      config: { log: { level: "debug" } },
    });
    expect(loadConfig(options([], env))).toMatchObject({ path: envPath, config: { log: { level: "info" } } });
    expect(loadConfig(options())).toMatchObject({
      path: join(cwd, "skriptoteket.toml"),
      config: { log: { level: "warn" } },
    });
    rmSync(join(cwd, "skriptoteket.toml"));
    expect(loadConfig(options())).toMatchObject({ path: systemPath, config: { log: { level: "error" } } });
  });

  test("no file anywhere gives the defaults and path null", () => {
    const loaded = loadConfig(options());
    expect(loaded.path).toBeNull();
    expect(loaded.config).toEqual(defaultConfig());
  });

  test("the environment still applies without a file", () => {
    expect(loadConfig(options([], { SKRIPTOTEKET_LOG_LEVEL: "warn" })).config.log.level).toBe("warn");
  });

  test("relative paths are resolved from cwd; --config=FILE works too", () => {
    writeCandidates(["explicit", "env"]);
    expect(locateConfigFile(options(["--config=../explicit.toml"]))).toEqual({ path: explicitPath, from: "--config" });
    expect(locateConfigFile(options([], { SKRIPTOTEKET_CONFIG: "../from-env.toml" }))).toEqual({
      path: envPath,
      from: "SKRIPTOTEKET_CONFIG",
    });
  });

  test("an empty SKRIPTOTEKET_CONFIG counts as unset; a directory named skriptoteket.toml is skipped", () => {
    writeCandidates(["system"]);
    mkdirSync(join(cwd, "skriptoteket.toml"));
    expect(locateConfigFile(options([], { SKRIPTOTEKET_CONFIG: "" }))).toEqual({ path: systemPath, from: "system" });
  });
});

describe("explicit files must exist", () => {
  test("a missing --config file is an error even when other files exist", () => {
    writeCandidates(["cwd", "system"]);
    expect(problemsOf(() => loadConfig(options(["--config", "nope.toml"])))).toEqual([
      {
        file: "command line",
        message: `--config names ${join(cwd, "nope.toml")}, which does not exist. Fix the path (relative paths start at the working directory).`,
      },
    ]);
  });

  test("a missing SKRIPTOTEKET_CONFIG file is an error naming the variable", () => {
    writeCandidates(["cwd"]);
    const [problem] = problemsOf(() => loadConfig(options([], { SKRIPTOTEKET_CONFIG: "/no/such/file.toml" })));
    expect(problem?.file).toBe("environment");
    expect(problem?.message).toStartWith("$SKRIPTOTEKET_CONFIG names /no/such/file.toml, which does not exist.");
  });

  test("a directory given with --config is an error", () => {
    const [problem] = problemsOf(() => loadConfig(options(["--config", "."])));
    expect(problem?.message).toBe(`--config names ${cwd}, which is not a file.`);
  });

  test("--config without a value is an error", () => {
    expect(problemsOf(() => configArgument(["--config"]))[0]?.message).toStartWith("--config needs a file path");
    expect(problemsOf(() => configArgument(["--config", "--help"]))[0]?.file).toBe("command line");
    expect(configArgument(["--", "--config", "x"])).toBeUndefined();
  });
});

describe("reading", () => {
  test("problems name the absolute path of the file that was read", () => {
    writeFileSync(join(cwd, "skriptoteket.toml"), "[server]\nlisten = 8080\n");
    const [problem] = problemsOf(() => loadConfig(options()));
    expect(problem).toMatchObject({ file: join(cwd, "skriptoteket.toml"), line: 2, key: "server.listen" });
  });

  test("a byte-order mark is ignored", () => {
    writeFileSync(explicitPath, '\uFEFF[log]\nlevel = "warn"\n');
    expect(loadConfig(options(["--config", explicitPath])).config.log.level).toBe("warn");
  });
});
