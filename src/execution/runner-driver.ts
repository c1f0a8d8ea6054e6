// The runner driver: runs ONE tool script in a fresh, locked-down sandbox and hands back what it
// produced (tool-contract.md §8). The queue worker is the only caller. Two implementations:
// docker-driver.ts (a fresh container per run) and warm-pool-driver.ts (containers started ahead and
// used once each, `[runner] warm_pool`; it hands what it cannot serve to the Docker driver).
//
// Life of a run, as the worker sees it:
//   const outcome = await driver.run({ ...spec, onContainerCreated: (id) => persistContainerId(runId, id) });
// and after a server crash:
//   for (const c of await driver.findRunContainers()) await driver.resume(c.containerId, collectSpecOf(c.runId));
// `run` and `resume` remove the container (and its /work volume) in every outcome, also when they throw.

/** One uploaded file; lands in the container as `/work/input/<name>` (name already sanitized, §2). */
export type RunInputFile = { name: string; data: Uint8Array | Blob };

export type RunLimits = {
  /** Memory limit; swap is set equal, so the script gets no swap. */
  memoryBytes: number;
  /** CPU quota in units of 1e-9 CPUs (1 CPU = 1_000_000_000). */
  nanoCpus: number;
  /** Max processes/threads in the container (fork bombs stop here). */
  pidsLimit: number;
  /** Max size of any ONE file the script writes (ulimit fsize; writes past it fail with EFBIG). */
  fileSizeBytes: number;
  /** Max open file descriptors (ulimit nofile). */
  openFiles: number;
};

export type RunCaps = {
  /** Bytes kept of stdout and, separately, of stderr; the rest is drained and discarded. */
  logBytes: number;
  /** Total bytes of regular files accepted from /work/output; reading stops past it. */
  outputBytes: number;
  /** Max regular files accepted from /work/output (directories are counted separately against the same number). */
  outputFiles: number;
  /** Max size of /work/result.json; a larger one is reported, never read. */
  resultBytes: number;
};

/** What `resume` needs to finish a run it did not start (everything that is not about creating it). */
export type CollectSpec = {
  runId: string;
  /** Wall-clock budget counted from the container's start; past it the container gets SIGKILL. */
  timeoutMs: number;
  caps: RunCaps;
  /** Host directory (existing, empty) that receives the accepted files of /work/output. */
  outputDir: string;
  /** Aborting kills the container at once; the outcome then says `cancelled`. */
  signal?: AbortSignal;
};

export type RunSpec = CollectSpec & {
  toolVersionId: string;
  image: string;
  /** The container's environment, computed by the caller (tool-contract §2); passed through as is. */
  env: Record<string, string>;
  /** Python source, uploaded as /work/script.py. */
  script: string;
  inputFiles: RunInputFile[];
  /** Content of /work/memory.json (`{"settings": {...}}`), already serialized. */
  memoryJson: string;
  limits: RunLimits;
  /**
   * Overrides the image's CMD (which runs the harness). Only for diagnostics and the driver's own tests;
   * the worker never sets it.
   */
  command?: string[];
  /**
   * Called (and awaited) right after the container exists and BEFORE anything runs in it, so the worker
   * can persist the id for adoption after a crash. If it throws, the container is removed and `run`
   * rethrows.
   */
  onContainerCreated?: (containerId: string) => void | Promise<void>;
};

/** A file accepted from /work/output. */
export type RunOutputFile = {
  /** Path as the tool contract names it: `output/<relative path>`. */
  path: string;
  bytes: number;
  /** Where it was written: `<outputDir>/<relative path>` (outputDir mirrors /work/output). */
  hostPath: string;
};

/** Something in /work/output that was not accepted (symlink, device, bad name, over a cap …). */
export type RunOutputProblem = { path: string; reason: string };

export type RunPhases = {
  create: number;
  upload: number;
  start: number;
  wait: number;
  collect: number;
  remove: number;
};

export type RunOutcome = {
  containerId: string;
  /** False when the script never ran: cancelled before start, or `resume` found a created-only container. */
  started: boolean;
  /** The container's exit code; null when it never started. 137 = SIGKILL (timeout, cancel or OOM). */
  exitCode: number | null;
  oomKilled: boolean;
  timedOut: boolean;
  cancelled: boolean;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Raw bytes of /work/result.json, or null when missing, too large or not a regular file. */
  resultJson: Uint8Array | null;
  /** Why resultJson is null (missing, too large, symlink …); absent when it was read. */
  resultProblem?: string;
  outputFiles: RunOutputFile[];
  outputProblems: RunOutputProblem[];
  /** Wall time of the whole call (create → remove, or adopt → remove). */
  durationMs: number;
  /** Milliseconds per phase; phases a call did not perform are 0. */
  phases: RunPhases;
};

/** A sandbox container found by its `skriptoteket.run_id` label, e.g. after a restart. */
export type RunContainer = {
  containerId: string;
  runId: string;
  toolVersionId: string;
  /** Docker's state: created, running, paused, exited, dead … */
  state: string;
  createdAt: Date;
};

export type RunnerDriverErrorCode =
  /** The daemon cannot be reached (socket missing, TLS failure, connection refused). */
  | "docker_unavailable"
  /** The runner image is not present on the Docker host. */
  | "image_missing"
  /** The container disappeared (removed by someone else) before the run could be finished. */
  | "container_gone"
  /** The spec is unusable (bad input name, env key …); nothing was created. */
  | "invalid_spec"
  /** runner.docker_host cannot be understood. */
  | "invalid_config"
  /** Any other daemon error. */
  | "docker_error";

export class RunnerDriverError extends Error {
  override readonly name = "RunnerDriverError";
  constructor(
    readonly code: RunnerDriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RunnerDriver {
  /** Create, upload, start, supervise (deadline, cancel, log caps), collect, remove. */
  run(spec: RunSpec): Promise<RunOutcome>;
  /**
   * Create, upload and start WITHOUT supervising: returns as soon as the script runs. Nothing watches the
   * deadline afterwards; finish with `resume(containerId, …)`. For callers that supervise elsewhere (and
   * the adoption tests). Output goes only to the container log, which `resume` reads.
   */
  launch(spec: RunSpec): Promise<{ containerId: string }>;
  /**
   * Finish a container this process did not supervise (after a crash): wait with the remaining deadline
   * (counted from the container's start), read the logs, collect, remove. stdout/stderr then come from the
   * daemon's container log, which keeps only the last ≈1 MB of a chatty run. A container that was created
   * but never started is removed and reported with `started: false` (the run may be retried).
   * Throws `container_gone` when the container no longer exists.
   */
  resume(containerId: string, spec: CollectSpec): Promise<RunOutcome>;
  /** Every container carrying the run label, running or not — on a shared Docker host also those of other
   *  Skriptoteket servers, so adopt only runs this server's store says it owns. */
  findRunContainers(): Promise<RunContainer[]>;
  /** Remove labelled containers whose run id is not in `knownRunIds`; returns the removed container ids. */
  removeOrphans(knownRunIds: Iterable<string>): Promise<string[]>;
  /** Throws `docker_unavailable` when the daemon does not answer. */
  ping(): Promise<void>;
  imageExists(image: string): Promise<boolean>;
}

export const RUN_LABEL = "skriptoteket.run_id";
export const TOOL_VERSION_LABEL = "skriptoteket.tool_version_id";

/** Defaults of tool-contract §8; the worker derives the real values from config.runner. */
export const DEFAULT_RUN_LIMITS: RunLimits = {
  memoryBytes: 1024 * 1024 * 1024,
  nanoCpus: 1_000_000_000,
  pidsLimit: 256,
  fileSizeBytes: 64 * 1024 * 1024,
  openFiles: 256,
};

export const DEFAULT_RUN_CAPS: RunCaps = {
  logBytes: 200_000,
  outputBytes: 200 * 1024 * 1024,
  outputFiles: 1_000,
  resultBytes: 1024 * 1024,
};
