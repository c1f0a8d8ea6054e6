// `skriptoteket serve`: migrate, then serve the API and the embedded UI until SIGTERM/SIGINT.
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext } from "./context";
import { parseListen } from "./listen-address";
import { createApp } from "../http/app";
import { createMetrics } from "../ops/metrics";
import { createIdentityDeps } from "../identity/identity.deps";
import { createExecutionDeps } from "../execution/execution.deps";
import { createRunNotifier } from "../execution/run-events";
import type { WorkerHandle } from "../execution/worker";
import type { RunnerDriver } from "../execution/runner-driver";
import { createFsBlobStore } from "../store/blob-store";
import { createRetentionDeps, startRetentionSchedule } from "../ops/retention.service";
import { assets } from "../assets.gen.js";
import pkg from "../../package.json";

const MIB = 1024 * 1024;
const WORKER_START_DELAY_MS = 200;

export const serveCommand: Command = {
  name: "serve",
  summary: "Apply migrations and serve the web UI and API",
  usage: "Usage: skriptoteket serve [--config FILE]\n\nListens on [server] listen (default 0.0.0.0:8080). Stops cleanly on SIGTERM or SIGINT.",
  examples: ["skriptoteket serve", "skriptoteket serve --config /etc/skriptoteket/skriptoteket.toml"],
  async run(args, io) {
    if (wantsHelp(args)) return printHelp(this, io);
    const t0 = performance.now();
    const cli = await openCliContext(args, io);
    const { config, store, log } = cli;
    const metrics = createMetrics();
    const identity = createIdentityDeps({ store, config, log, metrics });
    const notifier = createRunNotifier();
    // The workers and the Docker client are loaded after the server listens (dynamic import): the
    // Docker client's modules cost ≈25 ms and ≈30 MiB, which start-up should not wait for.
    let workers: WorkerHandle | null = null;
    const execution = createExecutionDeps({
      store,
      config,
      log,
      metrics,
      blobStore: createFsBlobStore(config.storage.data_dir),
      notifier,
      notifyQueued: () => workers?.wake(),
      abortLocal: (runId) => workers?.abortLocal(runId) ?? false,
    });
    let docker: Promise<RunnerDriver> | null = null;
    const dockerClient = () =>
      (docker ??= import("../execution/docker-driver").then((m) => m.createDockerDriver({ dockerHost: config.runner.docker_host, log })));
    const readiness = {
      docker: async () => {
        await (await dockerClient()).ping();
        return { ok: true };
      },
      runner_image: async () =>
        (await (await dockerClient()).imageExists(config.runner.image))
          ? { ok: true, detail: config.runner.image }
          : { ok: false, detail: `${config.runner.image} is missing: run runner/build-image.sh` },
    };
    const app = createApp({ config, log, store, metrics, identity, execution, readiness, assets, version: pkg.version });
    // daily retention prune inside serve, so no cron job is needed ([retention] enabled)
    const retention = startRetentionSchedule(createRetentionDeps({ store, config, log, blobStore: execution.blobStore, metrics }));
    const { hostname, port } = parseListen(config.server.listen);
    // the request body cap protects memory; uploads larger than this are refused with 413
    // reusePort off: a second server on the same port must fail loudly, not silently share requests
    app.listen({ hostname, port, reusePort: false, maxRequestBodySize: (config.storage.max_upload_mb + 1) * MIB });
    const actualPort = app.server?.port ?? port;
    log.info("listening", {
      url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${actualPort}`,
      public_url: config.server.public_url,
      database: store.dialect,
      config: cli.configPath ?? "(defaults)",
      startup_ms: Math.round(performance.now() - t0),
    });
    // `[runner] concurrency` workers in this process; they adopt runs a crashed process left, first.
    // Started a moment after the first requests can be answered: loading them blocks for ≈30 ms.
    const workersStarted = new Promise<void>((resolve) =>
      setTimeout(async () => {
        const { startRunWorkers } = await import("../execution/run-workers");
        workers = startRunWorkers({ config, store, log, metrics, notify: notifier.notify });
        resolve();
      }, WORKER_START_DELAY_MS),
    );
    await new Promise<void>((resolve) => {
      const stop = async (signal: string) => {
        log.info("stopping", { signal });
        await app.stop();
        // running containers are finished or left for adoption by the next start; nothing is lost
        await workersStarted;
        await workers?.stop();
        await retention.stop();
        await cli.close();
        resolve();
      };
      process.once("SIGTERM", () => void stop("SIGTERM"));
      process.once("SIGINT", () => void stop("SIGINT"));
    });
    return 0;
  },
};
