// What most commands need: the validated config, an open and migrated store, and a logger.
import { loadConfig } from "../config/config.load";
import { ConfigError } from "../config/config.errors";
import type { Config } from "../config/config.keys";
import { openStore, type Store } from "../store/db";
import { migrate } from "../store/migrate";
import { createLogger, type Logger } from "../log/logger";
import { ensureServerSecret } from "../config/server-secret";
import { CliError } from "./cli-error";
import type { CliIO } from "./command";

export type CliContext = { config: Config; configPath: string | null; store: Store; log: Logger; rest: string[]; close(): Promise<void> };

/** Splits `--config FILE` / `--config=FILE` off the arguments. */
export function splitConfigArg(args: string[]): { configArgs: string[]; rest: string[] } {
  const configArgs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--config") {
      configArgs.push(a, args[i + 1] ?? "");
      i++;
    } else if (a.startsWith("--config=")) configArgs.push(a);
    else rest.push(a);
  }
  return { configArgs, rest };
}

/** Loads the config or throws CliError(exit 2) with the file, key and line of every problem. */
export function loadCliConfig(args: string[], io: CliIO): { config: Config; configPath: string | null; rest: string[] } {
  const { configArgs, rest } = splitConfigArg(args);
  try {
    const { config, path } = loadConfig({ argv: configArgs, env: io.env, cwd: io.cwd });
    config.server.secret = ensureServerSecret(config.server.secret, config.storage.data_dir);
    return { config, configPath: path, rest };
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(e.format(), 2);
    throw e;
  }
}

export async function openCliContext(args: string[], io: CliIO, { runMigrations = true } = {}): Promise<CliContext> {
  const { config, configPath, rest } = loadCliConfig(args, io);
  const log = createLogger({ level: config.log.level, format: config.log.format, write: (l) => io.err(l) });
  const store = await openStore({ databaseUrl: config.database.url, dataDir: config.storage.data_dir, seedMigrated: runMigrations });
  try {
    if (runMigrations) await migrate(store);
  } catch (e) {
    await store.close();
    throw new CliError(`Could not migrate the database: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  return { config, configPath, store, log, rest, close: () => store.close() };
}
