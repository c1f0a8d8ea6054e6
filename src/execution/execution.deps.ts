// Everything the run API's services need, built once in the composition root (cli/serve.ts) or a
// test. Repositories pick their dialect here; nothing else in the feature knows about dialects.
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Metrics } from "../ops/metrics";
import type { Store } from "../store/db";
import type { BlobStore } from "../store/blob-store";
import { createToolsRepository, type ToolsRepository } from "../tools/tools.repository";
import { createQueueRepository, type QueueRepository } from "./queue.repository";
import type { RunEventOptions, RunNotifier } from "./run-events";
import type { ToolAccess } from "../groups/tool-access";
import { createRunsRepository, type RunsRepository } from "./runs.repository";

/** The queue operations the run API uses (the worker uses the rest of QueueRepository). */
export type RunQueue = Pick<QueueRepository, "requestCancel" | "queuePosition">;

export type ExecutionDeps = {
  runs: RunsRepository;
  tools: ToolsRepository;
  queue: RunQueue;
  blobStore: BlobStore;
  config: Pick<Config, "storage" | "runner">;
  log: Logger;
  /** The clock; tests fix it. */
  now: () => Date;
  /** Poll interval, heartbeat and optional in-process notifier of the run event streams. */
  events: Pick<RunEventOptions, "pollMs" | "heartbeatMs" | "notifier">;
  /** Called after a run was queued: the in-process worker's wake(), so it claims at once instead of at its next poll. */
  notifyQueued?: (runId: string) => void;
  /** Called after a cancel request for a running run: the in-process worker's abortLocal(runId), which kills the
   *  container at once when this process runs it (otherwise its worker sees the request at its next heartbeat). */
  abortLocal?: (runId: string) => boolean;
  /** Hides tools limited to groups from non-members (src/groups); http/app.ts sets it. */
  toolAccess?: ToolAccess;
  /** The viewer's stored documents (src/documents) as input files of a run, in the given order; http/app.ts sets it. */
  documentInputs?: (userId: string, documentIds: readonly string[]) => Promise<File[]>;
};

export type CreateExecutionDepsOptions = {
  store: Store;
  config: Pick<Config, "storage" | "runner">;
  log: Logger;
  /** Not used yet by the API side; accepted so the composition root passes the same set everywhere. */
  metrics?: Metrics;
  blobStore: BlobStore;
  now?: () => Date;
  /** Defaults to the store's queue repository. */
  queue?: RunQueue;
  notifier?: RunNotifier;
  notifyQueued?: (runId: string) => void;
  abortLocal?: (runId: string) => boolean;
  pollMs?: number;
  heartbeatMs?: number;
};

export function createExecutionDeps(opts: CreateExecutionDepsOptions): ExecutionDeps {
  return {
    runs: createRunsRepository(opts.store),
    tools: createToolsRepository(opts.store),
    queue: opts.queue ?? createQueueRepository(opts.store),
    blobStore: opts.blobStore,
    config: opts.config,
    log: opts.log,
    now: opts.now ?? (() => new Date()),
    events: { pollMs: opts.pollMs, heartbeatMs: opts.heartbeatMs, notifier: opts.notifier },
    notifyQueued: opts.notifyQueued,
    abortLocal: opts.abortLocal,
  };
}
