// `skriptoteket backup [--out FILE]` and `skriptoteket backup verify FILE`: an online, consistent
// backup of the database and data_dir in one archive, and its check. See src/ops/backup.service.ts.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import type { CliIO, Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { loadCliConfig, splitConfigArg } from "./context";
import { CliError } from "./cli-error";
import { createLogger } from "../log/logger";
import { BackupError, createBackup } from "../ops/backup.service";
import { verifyBackup, type CheckLevel } from "../ops/backup-verify.service";
import { countOf, defaultBackupFileName, formatBytes } from "../ops/backup.rules";
import { PgToolMissingError } from "../ops/pg-tools";
import { createProgress, type Progress } from "../ops/progress";
import pkg from "../../package.json";

const USAGE = `Usage: skriptoteket backup [--out FILE] [--config FILE]
       skriptoteket backup verify FILE

  backup   Writes one archive with a consistent snapshot of the database (SQLite: VACUUM INTO;
           PostgreSQL: pg_dump, which must be installed) and every file under [storage] data_dir
           (uploaded and generated files, the server secret) except the live SQLite files and tmp/.
           The server may keep running: the snapshot is one moment's state and every file it refers
           to is in the archive. A manifest lists each entry's size and sha256 and the rows per table.
           --out FILE  where to write it: .tar.gz (default) or .tar; never overwritten.
                       Default: ./skriptoteket-backup-<date>-<time>.tar.gz
  verify   Reads a backup end to end: manifest, every checksum, and that the database opens
           (SQLite integrity_check; PostgreSQL pg_restore --list). Exit 0 when it can be restored.

Restore a backup with "skriptoteket restore FILE".`;

/**
 * Progress on stdout: a bar when stdout is a terminal (and $TERM names one), plain lines otherwise
 * (systemd journal, cron mail, tests, which pass an environment without TERM).
 */
export function cliProgress(io: CliIO): Progress {
  const tty = process.stdout.isTTY === true && Boolean(io.env.TERM) && io.env.TERM !== "dumb";
  return createProgress({ tty, line: io.out, raw: (s) => void process.stdout.write(s), columns: process.stdout.columns });
}

export const backupCommand: Command = {
  name: "backup",
  summary: "Back up the database and files online, or verify a backup",
  usage: USAGE,
  examples: [
    "skriptoteket backup --out /srv/backup/skriptoteket-$(date +%F).tar.gz",
    "skriptoteket backup verify /srv/backup/skriptoteket-2026-11-23.tar.gz",
  ],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { rest } = splitConfigArg(args);
    if (rest[0] === "verify") return runVerify(rest.slice(1), io);
    let out: string | undefined;
    try {
      out = parseArgs({ args: rest, options: { out: { type: "string" } }, strict: true, allowPositionals: false }).values.out;
    } catch (e) {
      throw new CliError(`${e instanceof Error ? e.message : String(e)}. Run "skriptoteket backup --help" for the usage.`, 2);
    }
    const { config } = loadCliConfig(args, io);
    const log = createLogger({ level: config.log.level, format: config.log.format, write: (l) => io.err(l) });
    const now = new Date();
    const target = resolve(io.cwd, out ?? defaultBackupFileName(now));
    try {
      const r = await createBackup({ config, log, version: pkg.version, now: () => now, env: io.env }, { out: target, progress: cliProgress(io) });
      io.out(`Backup written: ${r.path} (${formatBytes(r.archiveBytes)})`);
      io.out(`  ${r.manifest.dialect} database, ${r.manifest.schema_migrations} migrations, ${countOf(Object.keys(r.manifest.tables).length, "table")}; ${countOf(r.manifest.totals.files, "file")} (${formatBytes(r.manifest.totals.bytes)})`);
      if (r.manifest.missing_blobs.length) io.out(`  Note: ${countOf(r.manifest.missing_blobs.length, "file")} were deleted while the backup ran; their rows restore without them.`);
      io.out(`Check it with: skriptoteket backup verify ${r.path}`);
      return 0;
    } catch (e) {
      if (e instanceof BackupError || e instanceof PgToolMissingError) throw new CliError(e.message, 1);
      throw new CliError(`The backup failed: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
  },
};

const MARK: Record<CheckLevel, string> = { ok: "ok     ", warning: "warning", failed: "FAILED " };

async function runVerify(args: string[], io: CliIO): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith("-")) throw new CliError('Name one backup file: skriptoteket backup verify FILE. Run "skriptoteket backup --help" for the usage.', 2);
  const file = resolve(io.cwd, args[0]!);
  const report = await verifyBackup(file, { progress: cliProgress(io), env: io.env });
  io.out(`Backup ${file}`);
  const width = Math.max(...report.checks.map((c) => c.name.length));
  for (const c of report.checks) io.out(`  ${MARK[c.level]}  ${c.name.padEnd(width)}  ${c.detail}`);
  const failed = report.checks.filter((c) => c.level === "failed").length;
  io.out(report.ok ? "Result: the backup is complete and can be restored." : `Result: the backup is NOT usable (${failed} ${failed === 1 ? "check" : "checks"} failed).`);
  return report.ok ? 0 : 1;
}
