// `skriptoteket worker`: runs queued tool runs and nothing else — no web server, no UI. For extra Docker
// hosts that share the PostgreSQL store with the `serve` instances (ARCHITECTURE "Scale-out").
// It imports only config/, store/, log/ and execution/ (plus the rules files those use); worker.test.ts
// checks the import graph so the worker never boots the web app.
import type { CliIO, Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext } from "./context";
import { startRunWorkers } from "../execution/run-workers";
import { createFsBlobStore } from "../store/blob-store";

const USAGE_ERROR = 2;

export const workerCommand: Command = {
  name: "worker",
  summary: "Run queued tool runs (no web server), e.g. on an extra Docker host",
  usage: [
    "Usage: skriptoteket worker [--config FILE] [--concurrency N]",
    "",
    "Claims runs from the queue in the configured database and runs them in Docker ([runner] section),",
    "until SIGTERM or SIGINT. At start it resumes or requeues runs left by a stopped server on this host.",
    "  --concurrency N   runs at the same time (default: [runner] concurrency; about the number of cores)",
    "Several workers and `serve` instances can share one PostgreSQL database; each run is executed once.",
  ].join("\n"),
  examples: ["skriptoteket worker --config /etc/skriptoteket/skriptoteket.toml", "skriptoteket worker --concurrency 4"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const parsed = parseWorkerArgs(args);
    if ("error" in parsed) {
      io.err(parsed.error);
      io.err('Run "skriptoteket worker --help" for the usage.');
      return USAGE_ERROR;
    }
    const cli = await openCliContext(parsed.rest, io);
    const { config, store, log } = cli;
    const workers = startRunWorkers({ config, store, log, ...(parsed.concurrency ? { concurrency: parsed.concurrency } : {}) });
    // PDF pipeline jobs share the queue; a worker-only process takes them too
    const { startDocumentWorkers } = await import("../documents/document-worker");
    const documentWorkers = startDocumentWorkers({ store, config, log, blobStore: createFsBlobStore(config.storage.data_dir) });
    log.info("worker running", { database: store.dialect, config: cli.configPath ?? "(defaults)", owner: workers.owner });
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info("stopping", { signal });
        resolve();
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
    await workers.stop();
    await documentWorkers.stop();
    await cli.close();
    return 0;
  },
};

/** Splits `--concurrency N` (or `=N`) off; everything else goes to the config loader. */
export function parseWorkerArgs(args: string[]): { concurrency: number | null; rest: string[] } | { error: string } {
  const rest: string[] = [];
  let concurrency: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let value: string | undefined;
    if (a === "--concurrency") value = args[++i] ?? "";
    else if (a.startsWith("--concurrency=")) value = a.slice("--concurrency=".length);
    else if (a === "--config" || a.startsWith("--config=")) {
      rest.push(a);
      if (a === "--config") rest.push(args[++i] ?? "");
      continue;
    } else return { error: `Unknown argument "${a}" for "worker".` };
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 256) return { error: `--concurrency must be a whole number from 1 to 256, got "${value}".` };
    concurrency = n;
  }
  return { concurrency, rest };
}
