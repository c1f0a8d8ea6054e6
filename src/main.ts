// Entry point: the list of CLI commands. Each lives in src/cli/<name>.ts.
import type { CliIO, Command } from "./cli/command";
import { serveCommand } from "./cli/serve";
import { migrateCommand } from "./cli/migrate";
import { userCommand } from "./cli/user";
import { configCommand } from "./cli/config";
import { doctorCommand } from "./cli/doctor";
import { toolCommand } from "./cli/tool";
import { seedCommand } from "./cli/seed";
import { workerCommand } from "./cli/worker";
import { backupCommand } from "./cli/backup";
import { restoreCommand } from "./cli/restore";
import { retentionCommand } from "./cli/retention";
import { CliError } from "./cli/cli-error";
import pkg from "../package.json";

export const commands: Command[] = [
  serveCommand,
  workerCommand,
  migrateCommand,
  userCommand,
  toolCommand,
  seedCommand,
  backupCommand,
  restoreCommand,
  retentionCommand,
  configCommand,
  doctorCommand,
];

export function rootHelp(io: CliIO): void {
  io.out(`Skriptoteket ${pkg.version} — a teacher-first script hub in one binary.`);
  io.out("");
  io.out("Usage: skriptoteket <command> [options]      (skriptoteket <command> --help for details)");
  io.out("");
  io.out("Commands:");
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const c of commands) io.out(`  ${c.name.padEnd(width)}  ${c.summary}`);
  io.out("");
  io.out("Every command reads one TOML file: --config FILE, else $SKRIPTOTEKET_CONFIG, else ./skriptoteket.toml,");
  io.out("else /etc/skriptoteket/skriptoteket.toml, else built-in defaults.");
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    rootHelp(io);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "version") {
    io.out(pkg.version);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`Unknown command "${name}". Run "skriptoteket --help" to see the commands.`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(e.message);
      return e.exitCode;
    }
    throw e;
  }
}

if (import.meta.main) {
  const io: CliIO = {
    out: (l) => process.stdout.write(l + "\n"),
    err: (l) => process.stderr.write(l + "\n"),
    env: process.env,
    cwd: process.cwd(),
  };
  process.exit(await runCli(process.argv.slice(2), io));
}
