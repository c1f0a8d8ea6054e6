// `skriptoteket seed`: import and publish the script bank that is built into the binary
// (src/tools/script-bank). Safe to run on every start: tools that already hold the bank's content
// are left as they are (see script-bank.service.ts).
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext, splitConfigArg } from "./context";
import { formatManifestProblem } from "../tools/tool-manifest.rules";
import { createToolsDeps } from "../tools/tools.service";
import { seedScriptBank, type SeedOutcome } from "../tools/script-bank/script-bank.service";

const USAGE_ERROR = 2;

export const seedCommand: Command = {
  name: "seed",
  summary: "Import and publish the built-in script bank (safe to run again)",
  usage: [
    "Usage: skriptoteket seed [--config FILE]",
    "",
    "Imports every tool of the built-in script bank and publishes it. Prints one line per tool:",
    "  created    the tool did not exist; version 1 is published",
    "  updated    this binary carries new content for the tool; it became a new, published version",
    "  unchanged  the tool already has a version with this content; nothing is touched, so versions,",
    "             titles and unpublishing done by administrators are kept",
    "Exit 0 when every tool was seeded, 1 when any failed (the others are still seeded).",
  ].join("\n"),
  examples: ["skriptoteket seed", "skriptoteket seed --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const { configArgs, rest } = splitConfigArg(args);
    if (rest.length) {
      io.err(`Unknown argument "${rest[0]}" for "seed".`);
      io.err('Run "skriptoteket seed --help" for the usage.');
      return USAGE_ERROR;
    }
    const ctx = await openCliContext(configArgs, io);
    try {
      const outcomes = await seedScriptBank(createToolsDeps(ctx.store));
      for (const o of outcomes) {
        if (o.status === "failed") {
          io.err(`${o.slug}: failed`);
          for (const p of o.problems) io.err(`  ${formatManifestProblem(p)}`);
        } else io.out(describeOutcome(o));
      }
      return outcomes.some((o) => o.status === "failed") ? 1 : 0;
    } finally {
      await ctx.close();
    }
  },
};

export function describeOutcome(o: Exclude<SeedOutcome, { status: "failed" }>): string {
  return o.status === "unchanged" ? `${o.slug}: unchanged (version ${o.version})` : `${o.slug}: ${o.status} — version ${o.version} published`;
}
