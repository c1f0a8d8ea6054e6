// Finds and reads the config file, then hands text and environment to the pure resolver.
// Order: --config FILE, $SKRIPTOTEKET_CONFIG, ./skriptoteket.toml, /etc/skriptoteket/skriptoteket.toml.
// A file named explicitly (flag or variable) must exist; the two default places are optional.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { COMMAND_LINE, ConfigError, ENVIRONMENT } from "./config.errors";
import { resolveConfig, type Env, type ResolvedConfig } from "./config.resolve";
import { CONFIG_ENV_VAR, LOCAL_CONFIG_NAME, SYSTEM_CONFIG_PATH } from "./config.keys";

export type LoadOptions = {
  /** Command-line arguments; only `--config FILE` / `--config=FILE` is read from them. */
  argv: string[];
  env: Env;
  cwd: string;
  /** The system-wide file; replaceable so tests need not touch /etc. */
  systemPath?: string;
};

export type LoadedConfig = ResolvedConfig & { path: string | null };

export type ConfigLocation = { path: string; from: "--config" | typeof CONFIG_ENV_VAR | "cwd" | "system" };

/** Reads, validates and returns the effective config; throws ConfigError with every problem found. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const location = locateConfigFile(options);
  if (!location) return { ...resolveConfig({ text: null, file: null, env: options.env }), path: null };
  const text = readConfigText(location.path);
  return { ...resolveConfig({ text, file: location.path, env: options.env }), path: location.path };
}

/** The file to read (absolute path), or null when none of the default places has one. */
export function locateConfigFile(options: LoadOptions): ConfigLocation | null {
  const fromArgv = configArgument(options.argv);
  if (fromArgv !== undefined) return explicitFile(resolve(options.cwd, fromArgv), "--config");
  const fromEnv = options.env[CONFIG_ENV_VAR];
  if (fromEnv) return explicitFile(resolve(options.cwd, fromEnv), CONFIG_ENV_VAR);
  const local = resolve(options.cwd, LOCAL_CONFIG_NAME);
  if (isFile(local)) return { path: local, from: "cwd" };
  const system = options.systemPath ?? SYSTEM_CONFIG_PATH;
  if (isFile(system)) return { path: system, from: "system" };
  return null;
}

/** The value of `--config FILE` or `--config=FILE`; arguments after "--" are not options. */
export function configArgument(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return undefined;
    if (arg.startsWith("--config=")) return requireValue(arg.slice("--config=".length));
    if (arg === "--config") return requireValue(argv[i + 1]);
  }
  return undefined;
}

function requireValue(value: string | undefined): string {
  if (value === undefined || value === "" || value.startsWith("--")) {
    throw new ConfigError([
      { file: COMMAND_LINE, message: `--config needs a file path, e.g. --config ${SYSTEM_CONFIG_PATH}.` },
    ]);
  }
  return value;
}

function explicitFile(path: string, from: "--config" | typeof CONFIG_ENV_VAR): ConfigLocation {
  const named = from === "--config" ? "--config" : `$${CONFIG_ENV_VAR}`;
  const where = from === "--config" ? COMMAND_LINE : ENVIRONMENT;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) {
    throw new ConfigError([
      { file: where, message: `${named} names ${path}, which does not exist. Fix the path (relative paths start at the working directory).` },
    ]);
  }
  if (!stat.isFile()) {
    throw new ConfigError([{ file: where, message: `${named} names ${path}, which is not a file.` }]);
  }
  return { path, from };
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function readConfigText(path: string): string {
  try {
    // Editors on Windows may save a byte-order mark, which TOML does not allow.
    return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new ConfigError([
      { file: path, message: `cannot read the file (${code}). Check that the service user may read it.` },
    ]);
  }
}
