// Entry point: the list of CLI commands. Each lives in src/cli/<name>.ts.
import type { CliIO, Command } from "./cli/command";
import { CliError } from "./cli/cli-error";
import pkg from "../package.json";

/**
 * Every command, loaded only when it runs: the Docker client alone costs ≈25 ms and ≈30 MiB at start-up,
 * so `serve` must not pay for `doctor`'s or `worker`'s imports. main.test.ts checks that each entry's
 * name and summary match the command module.
 */
export type CommandEntry = { name: string; summary: string; load: () => Promise<Command> };

export const commands: CommandEntry[] = [
  { name: "serve", summary: "Apply migrations and serve the web UI and API", load: async () => (await import("./cli/serve")).serveCommand },
  { name: "worker", summary: "Run queued tool runs (no web server), e.g. on an extra Docker host", load: async () => (await import("./cli/worker")).workerCommand },
  { name: "migrate", summary: "Create or upgrade the database schema", load: async () => (await import("./cli/migrate")).migrateCommand },
  { name: "user", summary: "Create, list and manage user accounts", load: async () => (await import("./cli/user")).userCommand },
  { name: "tool", summary: "Import tool folders (tool.json + tool.py) and list tools", load: async () => (await import("./cli/tool")).toolCommand },
  { name: "seed", summary: "Import and publish the built-in script bank (safe to run again)", load: async () => (await import("./cli/seed")).seedCommand },
  { name: "backup", summary: "Back up the database and files online, or verify a backup", load: async () => (await import("./cli/backup")).backupCommand },
  { name: "restore", summary: "Restore a backup into an empty data dir and database", load: async () => (await import("./cli/restore")).restoreCommand },
  { name: "retention", summary: "Remove data older than its retention period", load: async () => (await import("./cli/retention")).retentionCommand },
  { name: "config", summary: "Check the configuration or print the effective values", load: async () => (await import("./cli/config")).configCommand },
  { name: "login", summary: "Log the command line in to a Skriptoteket server (confirm in the browser)", load: async () => (await import("./cli/login")).loginCommand },
  { name: "run", summary: "Run a published tool on the server and download its files", load: async () => (await import("./cli/run")).runCommand },
  { name: "doctor", summary: "Check configuration, data directory, database, Docker and the runner image", load: async () => (await import("./cli/doctor")).doctorCommand },
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
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`Unknown command "${name}". Run "skriptoteket --help" to see the commands.`);
    return 2;
  }
  try {
    const cmd = await entry.load();
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
