// `skriptoteket migrate`: apply the embedded migrations and report what was done.
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext } from "./context";
import { migrate } from "../store/migrate";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Create or upgrade the database schema",
  usage: "Usage: skriptoteket migrate [--config FILE]\n\nApplies every embedded migration not yet applied. Safe to run again; serve also does it.",
  examples: ["skriptoteket migrate --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const ctx = await openCliContext(args, io, { runMigrations: false });
    try {
      const r = await migrate(ctx.store);
      const where = ctx.store.dialect === "sqlite" ? ctx.store.file : "PostgreSQL";
      io.out(`Applied ${r.applied} of ${r.total} migrations (${where}); the schema is up to date.`);
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
