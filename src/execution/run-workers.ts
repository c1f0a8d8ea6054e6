// The composition root of the workers, shared by `skriptoteket serve` (in-process workers) and
// `skriptoteket worker` (workers only): builds the Docker driver, the queue and the blob store from the
// config, adopts orphaned runs, then starts `[runner] concurrency` workers.
//
//   const notifier = createRunNotifier();
//   const workers = startRunWorkers({ config, store, log, metrics, notify: notifier.notify });
//   createExecutionDeps({ …, notifier, notifyQueued: workers.wake, abortLocal: workers.abortLocal })
//   on SIGTERM: await workers.stop();
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import { createFsBlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { createDockerDriver } from "./docker-driver";
import { createOwnerId } from "./lease-owner";
import { createQueueRepository } from "./queue.repository";
import { runLimits } from "./run-env.rules";
import type { JobDeps, RunMetrics } from "./run-job";
import { createRunsRepository } from "./runs.repository";
import { createWarmPoolDriver } from "./warm-pool-driver";
import { startWorkers, type WorkerHandle } from "./worker";

/** A lease outlives ten missed heartbeats; a dead worker's runs are retried after at most this long. */
export const LEASE_MS = 30_000;
export const HEARTBEAT_MS = 2_000;

export type RunWorkersInput = {
  config: Config;
  store: Store;
  log: Logger;
  metrics?: RunMetrics;
  /** Default: config.runner.concurrency. */
  concurrency?: number;
  /** Run status changed (started, finished, requeued): e.g. the run event streams' notifier.notify. */
  notify?: (runId: string) => void;
};

export function startRunWorkers({ config, store, log, metrics, concurrency, notify }: RunWorkersInput): WorkerHandle {
  // With a local daemon, run folders under data_dir are bind-mounted (no archive round trips: about
  // 1.2x a bare container instead of 2.2x); a remote daemon gets a volume and archives.
  const docker = createDockerDriver({ dockerHost: config.runner.docker_host, log, workRoot: join(config.storage.data_dir, "tmp", "work") });
  // [runner] warm_pool: `concurrency` containers started ahead (warm-pool-driver.ts); local run folders only
  const slots = concurrency ?? config.runner.concurrency;
  const pool =
    config.runner.warm_pool && docker.localIo
      ? createWarmPoolDriver({ docker, size: slots, log, prewarm: [{ image: config.runner.image, limits: runLimits(config.runner) }] })
      : null;
  const driver = pool ?? docker;
  const deps: JobDeps = {
    queue: createQueueRepository(store),
    runs: createRunsRepository(store),
    driver,
    blobs: createFsBlobStore(config.storage.data_dir),
    runner: config.runner,
    scratchDir: join(config.storage.data_dir, "tmp", "runs"),
    log,
    ...(metrics ? { metrics } : {}),
    ...(notify ? { notify } : {}),
    now: () => new Date(),
    leaseMs: LEASE_MS,
    heartbeatMs: HEARTBEAT_MS,
  };
  // a missing image or an unreachable daemon is worth an early, loud line; runs then fail with a message
  void driver
    .ping()
    .then(() => driver.imageExists(config.runner.image))
    .then((present) => {
      if (!present) log.error("runner image missing: no tool can run until it is installed", { image: config.runner.image });
    })
    .catch((err: unknown) => log.error("Docker does not answer: runs wait until it does", { error: err instanceof Error ? err.message : String(err) }));
  void removeStaleScratch(deps.scratchDir, log);
  const workers = startWorkers(deps, { concurrency: slots, owner: createOwnerId(), adopt: true });
  if (!pool) return workers;
  return {
    ...workers,
    async stop(options) {
      await workers.stop(options);
      await pool.stop(); // the idle containers; runs still going are adopted by the next start
    },
  };
}

/** Output folders a crashed process left behind. Only old ones: another process may share data_dir. */
async function removeStaleScratch(dir: string, log: Logger, olderThanMs = 60 * 60_000): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const name of entries) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > olderThanMs) {
      await rm(path, { recursive: true, force: true }).catch((err: unknown) => log.warn("worker: cannot remove an old scratch folder", { path, error: String(err) }));
    }
  }
}
