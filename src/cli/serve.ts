// `skriptoteket serve`: migrate, then serve the API and the embedded UI until SIGTERM/SIGINT.
import type { WebhookWorker } from "../access/webhooks.service";
import type { DocumentWorkerHandle } from "../documents/document-worker";
import type { Command } from "./command";
import { printHelp, wantsHelp } from "./help";
import { openCliContext } from "./context";
import { parseListen } from "./listen-address";
import { createApp } from "../http/app";
import { serveApp } from "../http/serve-app";
import { createMetrics } from "../ops/metrics";
import { createIdentityDeps } from "../identity/identity.deps";
import { createExecutionDeps } from "../execution/execution.deps";
import { createRunNotifier } from "../execution/run-events";
import type { WorkerHandle } from "../execution/worker";
import type { RunnerDriver } from "../execution/runner-driver";
import { createFsBlobStore } from "../store/blob-store";
import { createRetentionDeps, startRetentionSchedule } from "../ops/retention.service";
import { startToolEmbeddingSyncFor } from "../ai/tool-embeddings.service";
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
    // process metrics are registered once the server answers (≈5 ms of start-up; see below)
    const metrics = createMetrics({ defaults: false });
    const identity = createIdentityDeps({ store, config, log, metrics });
    const notifier = createRunNotifier();
    // The workers and the Docker client are loaded after the server listens (dynamic import): the
    // Docker client's modules cost ≈25 ms and ≈30 MiB, which start-up should not wait for.
    let workers: WorkerHandle | null = null;
    let webhooks: WebhookWorker | null = null;
    let documentWorkers: DocumentWorkerHandle | null = null;
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
      // only with [ai] enabled (ARCHITECTURE: Ollama is part of readiness then); with AI off nothing connects
      // only with [ai] enabled; with AI off nothing connects (src/ai/ai-off.test.ts)
      ...(config.ai.enabled ? { ollama: async () => (await import("../ai/ai-readiness")).ollamaReadiness(config.ai)() } : {}),
    };
    const app = createApp({ config, log, store, metrics, identity, execution, readiness, assets, version: pkg.version, notifyDocumentQueued: () => documentWorkers?.wake() });
    // daily retention prune inside serve, so no cron job is needed ([retention] enabled)
    const retention = startRetentionSchedule(createRetentionDeps({ store, config, log, blobStore: execution.blobStore, metrics }));
    // semantic search: keeps published tools' embeddings current; null with AI off (nothing connects)
    const toolEmbeddings = startToolEmbeddingSyncFor({ store, config, log });
    const { hostname, port } = parseListen(config.server.listen);
    // the request body cap protects memory: the larger of the run and document upload limits (each route
    // checks its own limit and says which); anything above it is refused with 413
    serveApp(app, { hostname, port, maxRequestBodySize: (Math.max(config.storage.max_upload_mb, config.documents.max_upload_mb) + 1) * MIB });
    const actualPort = app.server?.port ?? port;
    log.info("listening", {
      url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${actualPort}`,
      public_url: config.server.public_url,
      database: store.dialect,
      config: cli.configPath ?? "(defaults)",
      startup_ms: Math.round(performance.now() - t0),
      // performance.now() counts from process start: module loading included
      since_process_start_ms: Math.round(performance.now()),
    });
    // `[runner] concurrency` workers in this process; they adopt runs a crashed process left, first.
    // Started a moment after the first requests can be answered: loading them blocks for ≈30 ms.
    const workersStarted = new Promise<void>((resolve) =>
      setTimeout(async () => {
        metrics.collectDefaults();
        const { startRunWorkers } = await import("../execution/run-workers");
        workers = startRunWorkers({ config, store, log, metrics, notify: notifier.notify });
        // webhook deliveries of runs submitted with an API key (durable; each delivery is claimed first)
        const [{ createAccessDeps }, { startWebhookWorker }] = await Promise.all([import("../access/access.deps"), import("../access/webhooks.service")]);
        webhooks = startWebhookWorker(createAccessDeps({ store, config, log }));
        // the document pipeline (PDF text, rules, AI) through the same durable queue
        const { startDocumentWorkers } = await import("../documents/document-worker");
        documentWorkers = startDocumentWorkers({ store, config, log, blobStore: execution.blobStore });
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
        await webhooks?.stop();
        await documentWorkers?.stop();
        await retention.stop();
        await toolEmbeddings?.stop();
        await cli.close();
        resolve();
      };
      process.once("SIGTERM", () => void stop("SIGTERM"));
      process.once("SIGINT", () => void stop("SIGINT"));
    });
    return 0;
  },
};
