// `skriptoteket restore FILE [--force]`: a backup back into an empty data dir (and an empty
// PostgreSQL database), then migrated to this version. See src/ops/restore.service.ts.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { splitConfigArg } from "./context";
import { CliError } from "./cli-error";
import { cliProgress } from "./backup";
import { loadConfig } from "../config/config.load";
import { ConfigError } from "../config/config.errors";
import { createLogger } from "../log/logger";
import { RestoreError, restoreBackup } from "../ops/restore.service";
import { PgToolMissingError } from "../ops/pg-tools";
import { countOf } from "../ops/backup.rules";

const USAGE = `Usage: skriptoteket restore FILE [--force] [--config FILE]

Restores a backup made by "skriptoteket backup" into [storage] data_dir and, for a PostgreSQL
backup, into the database of [database] url. A SQLite backup needs a SQLite config, a PostgreSQL
backup a PostgreSQL one (pg_restore must be installed). Stop the server first.

The data dir must be empty (or not exist) and the database must have no tables; otherwise the
command stops and names what is there. --force deletes it first (every file in the data dir,
every schema in the database). The whole backup is read and checked before anything is changed.
A backup from an older version is migrated to this version's schema afterwards.`;

export const restoreCommand: Command = {
  name: "restore",
  summary: "Restore a backup into an empty data dir and database",
  usage: USAGE,
  examples: ["skriptoteket restore /srv/backup/skriptoteket-2026-11-23.tar.gz", "skriptoteket restore backup.tar.gz --force --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { configArgs, rest } = splitConfigArg(args);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { force: { type: "boolean" } }, strict: true, allowPositionals: true });
    } catch (e) {
      throw new CliError(`${e instanceof Error ? e.message : String(e)}. Run "skriptoteket restore --help" for the usage.`, 2);
    }
    if (parsed.positionals.length !== 1) throw new CliError('Name one backup file: skriptoteket restore FILE. Run "skriptoteket restore --help" for the usage.', 2);
    // loadConfig, not loadCliConfig: that one creates data_dir/server-secret, and the data dir must
    // stay empty until the backup's own secret is restored into it
    let config;
    try {
      config = loadConfig({ argv: configArgs, env: io.env, cwd: io.cwd }).config;
    } catch (e) {
      if (e instanceof ConfigError) throw new CliError(e.format(), 2);
      throw e;
    }
    const log = createLogger({ level: config.log.level, format: config.log.format, write: (l) => io.err(l) });
    const file = resolve(io.cwd, parsed.positionals[0]!);
    try {
      const r = await restoreBackup({ config, log, now: () => new Date(), env: io.env }, { file, force: parsed.values.force === true, progress: cliProgress(io) });
      if (r.cleared.length) io.out(`Removed first (--force): ${countOf(r.cleared.length, "entry", "entries")}.`);
      io.out(`Restored the backup of ${r.manifest.created_at} (Skriptoteket ${r.manifest.version}, ${r.manifest.dialect}): ${countOf(r.manifest.totals.files, "file")} and the database.`);
      io.out(r.migrationsApplied ? `Applied ${r.migrationsApplied} migrations: the schema is now this version's.` : "The schema was already this version's.");
      io.out("Start the server again: skriptoteket serve");
      return 0;
    } catch (e) {
      if (e instanceof RestoreError || e instanceof PgToolMissingError) throw new CliError(e.message, 1);
      throw new CliError(`The restore failed: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
  },
};
