// `skriptoteket retention prune [--dry-run]`: removes data older than its [retention] period now,
// instead of waiting for serve's daily run; --dry-run only counts. See src/ops/retention.service.ts.
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext, splitConfigArg } from "./context";
import { CliError } from "./cli-error";
import { createRetentionDeps, pruneRetention } from "../ops/retention.service";
import { reportLines } from "../ops/retention.rules";

const USAGE = `Usage: skriptoteket retention prune [--dry-run] [--config FILE]

Removes what is older than its period in [retention]:
  runs_days          finished tool runs with their input files, output files and logs
                     (queued and running runs are never removed); delivered or failed
                     webhook deliveries
  sandbox_runs_days  finished test runs from the editor's sandbox, with their files, then
                     the editor's stored test buffers (sandbox snapshots) no run uses
  login_events_days  login attempts; ended login sessions; used or expired e-mail links;
                     expired or revoked API keys; ended device sign-ins
  audit_events_days  audit log events
  documents_days     uploaded documents with their text and files (counted from the upload;
                     documents still being processed wait for the next prune)
--dry-run counts what would be removed and removes nothing. serve also prunes once a day
unless [retention] enabled = false. See src/ops/PRIVACY.md for every kind of data kept.`;

export const retentionCommand: Command = {
  name: "retention",
  summary: "Remove data older than its retention period",
  usage: USAGE,
  examples: ["skriptoteket retention prune --dry-run", "skriptoteket retention prune --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { rest } = splitConfigArg(args);
    const [sub, ...options] = rest;
    if (sub !== "prune") throw new CliError(`${sub === undefined ? "Missing subcommand" : `Unknown subcommand "${sub}"`}: use "retention prune". Run "skriptoteket retention --help" for the usage.`, 2);
    const unknown = options.find((o) => o !== "--dry-run");
    if (unknown !== undefined) throw new CliError(`Unknown argument "${unknown}" for "retention prune". Run "skriptoteket retention --help" for the usage.`, 2);
    const cli = await openCliContext(args, io);
    try {
      const deps = createRetentionDeps({ store: cli.store, config: cli.config, log: cli.log });
      const report = await pruneRetention(deps, { dryRun: options.includes("--dry-run"), trigger: "cli" });
      for (const line of reportLines(report)) io.out(line);
      return 0;
    } finally {
      await cli.close();
    }
  },
};
