// `skriptoteket config check|print`: validate the configuration or show the effective values.
import type { CliIO, Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { loadConfig, type LoadedConfig } from "../config/config.load";
import { ConfigError } from "../config/config.errors";
import { maskSecrets } from "../config/config.mask";
import { renderConfigToml } from "../config/config.render";
import { LOCAL_CONFIG_NAME, SYSTEM_CONFIG_PATH } from "../config/config.keys";

const USAGE_ERROR = 2;

export const configCommand: Command = {
  name: "config",
  summary: "Check the configuration or print the effective values",
  usage: [
    "Usage: skriptoteket config check [--config FILE]",
    "       skriptoteket config print [--config FILE]",
    "",
    "  check   Validate the file and the SKRIPTOTEKET_* environment variables. Exit 0 when valid;",
    "          otherwise exit 2 and list every problem as file:line: [section] key: what to fix.",
    "  print   Show the effective configuration (file + environment + defaults) as TOML, secrets masked.",
    "",
    `The file is --config FILE, else $SKRIPTOTEKET_CONFIG, else ./${LOCAL_CONFIG_NAME}, else ${SYSTEM_CONFIG_PATH};`,
    "without any, the built-in defaults are used. skriptoteket.example.toml documents every key.",
  ].join("\n"),
  examples: [
    "skriptoteket config check",
    "skriptoteket config check --config /etc/skriptoteket/skriptoteket.toml",
    "SKRIPTOTEKET_LOG_LEVEL=debug skriptoteket config print",
  ],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const [subcommand, ...rest] = args;
    if (subcommand !== "check" && subcommand !== "print") {
      const what = subcommand === undefined ? "Missing subcommand" : `Unknown subcommand "${subcommand}"`;
      return usageError(`${what}: use "config check" or "config print".`, io);
    }
    const options = parseOptions(rest);
    if ("error" in options) return usageError(options.error, io);

    let loaded: LoadedConfig;
    try {
      loaded = loadConfig({ argv: options.argv, env: io.env, cwd: io.cwd });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const line of error.format().split("\n")) io.err(line);
      return 2;
    }
    return subcommand === "check" ? check(loaded, io) : print(loaded, io);
  },
};

function check(loaded: LoadedConfig, io: CliIO): number {
  io.out(
    loaded.path
      ? `OK: ${loaded.path}`
      : `OK: defaults (no file given and none at ./${LOCAL_CONFIG_NAME} or ${SYSTEM_CONFIG_PATH})`,
  );
  return 0;
}

function print(loaded: LoadedConfig, io: CliIO): number {
  io.out(`# Effective configuration from ${loaded.path ?? "the built-in defaults"}; secrets are masked.`);
  const text = renderConfigToml(maskSecrets(loaded.config), loaded.sources);
  for (const line of text.replace(/\n$/, "").split("\n")) io.out(line);
  return 0;
}

/** Only `--config FILE` / `--config=FILE` is accepted after the subcommand. */
function parseOptions(args: string[]): { argv: string[] } | { error: string } {
  const argv: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    let file: string | undefined;
    if (arg === "--config") file = args[++i];
    else if (arg.startsWith("--config=")) file = arg.slice("--config=".length);
    else return { error: `Unknown argument "${arg}".` };
    if (!file || file.startsWith("--")) return { error: "--config needs a file path." };
    argv.push("--config", file);
  }
  return { argv: argv.slice(-2) };
}

function usageError(message: string, io: CliIO): number {
  io.err(message);
  io.err('Run "skriptoteket config --help" for usage.');
  return USAGE_ERROR;
}
