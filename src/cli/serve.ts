// `skriptoteket serve`: migrate, then serve the API and the embedded UI until SIGTERM/SIGINT.
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext } from "./context";
import { parseListen } from "./listen-address";
import { createApp } from "../http/app";
import { createMetrics } from "../ops/metrics";
import { createIdentityDeps } from "../identity/identity.deps";
import { createExecutionDeps } from "../execution/execution.deps";
import { startRunWorkers } from "../execution/run-workers";
import { createRunNotifier } from "../execution/run-events";
import { createDockerDriver } from "../execution/docker-driver";
import { createFsBlobStore } from "../store/blob-store";
import { createRetentionDeps, startRetentionSchedule } from "../ops/retention.service";
import { assets } from "../assets.gen.js";
import pkg from "../../package.json";

const MIB = 1024 * 1024;

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
    // `[runner] concurrency` workers in this process (0: runs are left to `skriptoteket worker` elsewhere)
    const notifier = createRunNotifier();
    const workers = config.runner.concurrency > 0 ? startRunWorkers({ config, store, log, metrics, notify: notifier.notify }) : null;
    const execution = createExecutionDeps({
      store,
      config,
      log,
      metrics,
      blobStore: createFsBlobStore(config.storage.data_dir),
      notifier,
      ...(workers ? { notifyQueued: workers.wake, abortLocal: workers.abortLocal } : {}),
    });
    const docker = createDockerDriver({ dockerHost: config.runner.docker_host, log });
    const readiness = {
      docker: async () => {
        await docker.ping();
        return { ok: true };
      },
      runner_image: async () =>
        (await docker.imageExists(config.runner.image))
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
    await new Promise<void>((resolve) => {
      const stop = async (signal: string) => {
        log.info("stopping", { signal });
        await app.stop();
        // running containers are finished or left for adoption by the next start; nothing is lost
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
