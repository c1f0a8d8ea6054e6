// The Docker runner driver (tool-contract §8, ARCHITECTURE "A run, end to end" step 3): one fresh,
// hardened container per run, talked to over the Engine API with dockerode.
//
//   create (network disabled, non-root, no caps, read-only root, limits, labels, anonymous /work volume)
//   → onContainerCreated(id) → upload /work (tar) → attach → start
//   → wait raced with the deadline and the cancel signal (both: SIGKILL, then wait)
//   → stdout/stderr demuxed and capped → inspect (exit code, OOMKilled)
//   → download result.json and /work/output with caps → remove container + volume (always)
//
// Measured choices (runner-notes §2–§3, stack-notes §3):
// - `NetworkDisabled: true` next to `NetworkMode: "none"` skips libnetwork's sandbox (≈70 ms a run); the
//   container still gets its own network namespace with only `lo`.
// - The deadline is enforced on the container (kill), never on a client process.
// - /work is an anonymous volume filled by archive upload, so the daemon can be remote (TLS) and the server
//   never shares a host path; `remove({force, v})` deletes the volume with the container.
// - The json-file log (kept small) is only read when a run is adopted after a restart; normally output
//   comes over the attach stream, which we read to the end but keep only up to the cap.
// Image requirement: /work must exist in the image and belong to uid 10001 (runner/build-image.sh does
// this); Docker copies that owner into each new anonymous volume, which lets the harness write
// /work/result.json. The archive's own root entry cannot set it (Docker ignores the owner of `./`).
// Podman: its Docker-compatible socket works the same (docker_host = "unix:///run/podman/podman.sock");
// see docker-connection.ts for why it must be rootful on cgroup v1 hosts.
import Docker from "dockerode";
import type { Logger } from "../log/logger";
import { extractOutputArchive, packWorkArchive, readSingleFileArchive, SANDBOX_UID } from "./docker-archive";
import { dockerConnectionOptions } from "./docker-connection";
import { drainInto, StdioDemuxer } from "./docker-streams";
import {
  type CollectSpec,
  RUN_LABEL,
  type RunContainer,
  type RunnerDriver,
  RunnerDriverError,
  type RunOutcome,
  type RunPhases,
  type RunSpec,
  TOOL_VERSION_LABEL,
} from "./runner-driver";

export type DockerDriverOptions = {
  /** config.runner.docker_host; "" = the local socket (see docker-connection.ts). */
  dockerHost?: string;
  log: Logger;
};

/** A driver plus its dockerode client (for doctor output and tests). */
export type DockerDriver = RunnerDriver & { readonly docker: Docker };

const WORK_DIR = "/work";
const TMPFS_OPTIONS = "rw,noexec,nosuid,nodev,size=256m";
/** Container log kept by the daemon: only for adoption after a restart, so small. */
const LOG_CONFIG = { Type: "json-file", Config: { "max-size": "1m", "max-file": "1" } };
/** After the container has stopped, how long the rest of the attach/log stream may take to arrive. */
const STREAM_DRAIN_MS = 5_000;
/** How long a SIGKILLed container may take to be reported stopped before we give up on it. */
const KILL_WAIT_MS = 15_000;
/** Upper bound for downloading result.json and /work/output together. */
const COLLECT_TIMEOUT_MS = 120_000;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_SAFE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,200}$/;

export function createDockerDriver({ dockerHost = "", log }: DockerDriverOptions): DockerDriver {
  const docker = new Docker(dockerConnectionOptions(dockerHost));

  function createOptions(spec: RunSpec): Docker.ContainerCreateOptions {
    const env: string[] = [];
    for (const [key, value] of Object.entries(spec.env)) {
      if (!ENV_KEY.test(key)) throw new RunnerDriverError("invalid_spec", `Environment key "${key}" is not allowed.`);
      if (value.includes("\0")) throw new RunnerDriverError("invalid_spec", `Environment value of ${key} contains NUL.`);
      env.push(`${key}=${value}`);
    }
    const { limits } = spec;
    return {
      // a name per run makes a second container for the same run fail at create (409) instead of running twice
      ...(NAME_SAFE.test(spec.runId) ? { name: `skriptoteket-run-${spec.runId}` } : {}),
      Image: spec.image,
      ...(spec.command ? { Cmd: spec.command } : {}),
      User: `${SANDBOX_UID}:${SANDBOX_UID}`,
      WorkingDir: WORK_DIR,
      Env: env,
      Labels: { [RUN_LABEL]: spec.runId, [TOOL_VERSION_LABEL]: spec.toolVersionId },
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: false,
      Tty: false,
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: "none",
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        ReadonlyRootfs: true,
        Tmpfs: { "/tmp": TMPFS_OPTIONS },
        Memory: limits.memoryBytes,
        MemorySwap: limits.memoryBytes,
        NanoCpus: limits.nanoCpus,
        PidsLimit: limits.pidsLimit,
        Ulimits: [
          { Name: "nofile", Soft: limits.openFiles, Hard: limits.openFiles },
          { Name: "fsize", Soft: limits.fileSizeBytes, Hard: limits.fileSizeBytes },
        ],
        LogConfig: LOG_CONFIG,
        IpcMode: "private",
        // under host memory pressure the kernel should pick a sandbox before the server or the daemon
        OomScoreAdj: 500,
        AutoRemove: false,
        // anonymous volume (no Source): created with the container, seeded from the image's /work
        // (owner 10001 included), removed by remove({v: true}); labelled so a leak can be found
        Mounts: [
          // @types/dockerode wants Source and every VolumeOptions field; the API needs none of them
          {
            Type: "volume",
            Target: WORK_DIR,
            ReadOnly: false,
            VolumeOptions: { NoCopy: false, Labels: { [RUN_LABEL]: spec.runId } },
          } as unknown as Docker.MountSettings,
        ],
      },
    };
  }

  /** create → onContainerCreated → upload. The container is returned so the caller's finally removes it. */
  async function createAndUpload(
    spec: RunSpec,
    phases: RunPhases,
    created: (c: Docker.Container) => void,
  ): Promise<Docker.Container> {
    const options = createOptions(spec);
    const archive = packWorkArchive(spec); // validates input names before anything exists
    let t = performance.now();
    let container: Docker.Container;
    try {
      container = await docker.createContainer(options);
    } catch (err) {
      archive.destroy();
      throw toDriverError(err, "create the container", spec.image);
    }
    created(container);
    phases.create = performance.now() - t;
    await spec.onContainerCreated?.(container.id);
    t = performance.now();
    try {
      await container.putArchive(archive as unknown as NodeJS.ReadableStream, { path: WORK_DIR }); // a streamx Readable
    } catch (err) {
      throw toDriverError(err, "upload /work");
    }
    phases.upload = performance.now() - t;
    return container;
  }

  async function run(spec: RunSpec): Promise<RunOutcome> {
    const began = performance.now();
    const phases = zeroPhases();
    let container: Docker.Container | null = null;
    let attach: NodeJS.ReadableStream | null = null;
    let outcome: RunOutcome | null = null;
    try {
      // the callback hands the container over as soon as it exists, so finally removes it even when the
      // upload or onContainerCreated fails
      container = await createAndUpload(spec, phases, (c) => (container = c));
      const c = container;
      if (spec.signal?.aborted) {
        outcome = emptyOutcome(c.id, { cancelled: true });
        return outcome;
      }
      const demuxer = new StdioDemuxer(spec.caps.logBytes);
      let t = performance.now();
      try {
        attach = await c.attach({ stream: true, stdout: true, stderr: true });
      } catch (err) {
        throw toDriverError(err, "attach to the container");
      }
      const drained = drainInto(attach, demuxer);
      try {
        await c.start();
      } catch (err) {
        throw toDriverError(err, "start the container");
      }
      phases.start = performance.now() - t;

      t = performance.now();
      const stop = await supervise(c, Date.now() + spec.timeoutMs, spec.signal);
      const ended = await settlesWithin(drained, STREAM_DRAIN_MS);
      if (!ended) log.warn("runner: output stream did not end after the container stopped", { run_id: spec.runId });
      phases.wait = performance.now() - t;

      outcome = await finish(c, spec, stop, demuxer, phases);
      return outcome;
    } finally {
      (attach as { destroy?: () => void } | null)?.destroy?.();
      const removeMs = container ? await removeQuietly(container, spec.runId) : 0;
      if (outcome) {
        outcome.phases = { ...phases, remove: removeMs };
        outcome.durationMs = performance.now() - began;
        log.debug("runner: run finished", { run_id: spec.runId, phases: outcome.phases, exit_code: outcome.exitCode });
      }
    }
  }

  async function launch(spec: RunSpec): Promise<{ containerId: string }> {
    const phases = zeroPhases();
    let container: Docker.Container | null = null;
    let started = false;
    try {
      container = await createAndUpload(spec, phases, (c) => (container = c));
      try {
        await container.start();
      } catch (err) {
        throw toDriverError(err, "start the container");
      }
      started = true;
      return { containerId: container.id };
    } finally {
      if (container && !started) await removeQuietly(container, spec.runId);
    }
  }

  async function resume(containerId: string, spec: CollectSpec): Promise<RunOutcome> {
    const began = performance.now();
    const phases = zeroPhases();
    const c = docker.getContainer(containerId);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await c.inspect();
    } catch (err) {
      throw toDriverError(err, "inspect the container");
    }
    let outcome: RunOutcome | null = null;
    try {
      const status = info.State.Status;
      if (status === "created") {
        // never started: its upload may be incomplete, so nothing of it is trusted; the worker may run again
        outcome = emptyOutcome(containerId, { cancelled: spec.signal?.aborted ?? false });
        return outcome;
      }
      const t = performance.now();
      let stop: StopReason = { timedOut: false, cancelled: false };
      if (status === "paused") await c.unpause().catch(() => undefined);
      if (status === "running" || status === "paused" || status === "restarting") {
        const startedAt = Date.parse(info.State.StartedAt);
        const deadline = (Number.isFinite(startedAt) ? startedAt : Date.now()) + spec.timeoutMs;
        stop = await supervise(c, deadline, spec.signal);
      } else {
        // it stopped while nobody watched; a SIGKILL after the full budget can only have been our deadline
        const runMs = Date.parse(info.State.FinishedAt) - Date.parse(info.State.StartedAt);
        stop.timedOut = info.State.ExitCode === 137 && !info.State.OOMKilled && runMs >= spec.timeoutMs;
      }
      const demuxer = new StdioDemuxer(spec.caps.logBytes);
      try {
        const logs = await c.logs({ follow: true, stdout: true, stderr: true });
        const ended = await settlesWithin(drainInto(logs, demuxer), STREAM_DRAIN_MS);
        (logs as { destroy?: () => void }).destroy?.();
        if (!ended) log.warn("runner: log stream did not end", { run_id: spec.runId });
      } catch (err) {
        log.warn("runner: cannot read the container log", { run_id: spec.runId, error: errorText(err) });
      }
      phases.wait = performance.now() - t;
      outcome = await finish(c, spec, stop, demuxer, phases);
      return outcome;
    } finally {
      const removeMs = await removeQuietly(c, spec.runId);
      if (outcome) {
        outcome.phases = { ...phases, remove: removeMs };
        outcome.durationMs = performance.now() - began;
      }
    }
  }

  type StopReason = { timedOut: boolean; cancelled: boolean };

  /** Waits for the container to stop; SIGKILLs it at the deadline or on abort, then waits for the stop. */
  async function supervise(c: Docker.Container, deadlineAt: number, signal?: AbortSignal): Promise<StopReason> {
    const stop: StopReason = { timedOut: false, cancelled: false };
    const exited = c.wait().then(
      () => "exited" as const,
      (err: unknown) => {
        throw toDriverError(err, "wait for the container");
      },
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), Math.max(0, deadlineAt - Date.now()));
    });
    const aborted = new Promise<"aborted">((resolve) => {
      if (!signal) return;
      if (signal.aborted) return resolve("aborted");
      onAbort = () => resolve("aborted");
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const first = await Promise.race([exited, deadline, aborted]);
      if (first === "exited") return stop;
      // a kill that finds the container already stopped means it beat the deadline/cancel by a hair
      const killed = await killNow(c);
      if (first === "deadline") stop.timedOut = killed;
      else stop.cancelled = killed;
      if (!(await settlesWithin(exited, KILL_WAIT_MS))) {
        throw new RunnerDriverError("docker_error", `The container did not stop within ${KILL_WAIT_MS} ms of SIGKILL.`);
      }
      return stop;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      exited.catch(() => undefined); // a late rejection after we stopped listening is not an error
    }
  }

  /** SIGKILL; false when the container was no longer running. */
  async function killNow(c: Docker.Container): Promise<boolean> {
    try {
      await c.kill({ signal: "SIGKILL" });
      return true;
    } catch (err) {
      if (statusOf(err) === 409 || statusOf(err) === 304) return false;
      throw toDriverError(err, "kill the container");
    }
  }

  /** inspect → download result.json and /work/output (unless cancelled) → the outcome without remove. */
  async function finish(
    c: Docker.Container,
    spec: CollectSpec,
    stop: StopReason,
    demuxer: StdioDemuxer,
    phases: RunPhases,
  ): Promise<RunOutcome> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await c.inspect();
    } catch (err) {
      throw toDriverError(err, "inspect the container");
    }
    const t = performance.now();
    const outcome: RunOutcome = {
      containerId: c.id,
      started: true,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      timedOut: stop.timedOut,
      cancelled: stop.cancelled,
      stdout: demuxer.stdout.text(),
      stderr: demuxer.stderr.text(),
      stdoutTruncated: demuxer.stdout.truncated,
      stderrTruncated: demuxer.stderr.truncated,
      resultJson: null,
      outputFiles: [],
      outputProblems: [],
      durationMs: 0,
      phases,
    };
    if (stop.cancelled) {
      outcome.resultProblem = "not read: the run was cancelled";
    } else {
      const signal = AbortSignal.timeout(COLLECT_TIMEOUT_MS);
      const [result, output] = await Promise.all([
        collectResult(c, spec, signal),
        collectOutput(c, spec, signal),
      ]);
      outcome.resultJson = result.bytes;
      if (result.problem !== undefined) outcome.resultProblem = result.problem;
      outcome.outputFiles = output.files;
      outcome.outputProblems = output.problems;
    }
    phases.collect = performance.now() - t;
    return outcome;
  }

  async function collectResult(c: Docker.Container, spec: CollectSpec, signal: AbortSignal) {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await c.getArchive({ path: `${WORK_DIR}/result.json`, abortSignal: signal });
    } catch (err) {
      if (isMissingPath(err)) return { bytes: null, problem: "result.json is missing" };
      throw toDriverError(err, "download result.json");
    }
    try {
      return await readSingleFileArchive(stream, "result.json", spec.caps.resultBytes);
    } catch (err) {
      return { bytes: null, problem: `reading result.json failed: ${errorText(err)}` };
    }
  }

  async function collectOutput(c: Docker.Container, spec: CollectSpec, signal: AbortSignal) {
    let stream: NodeJS.ReadableStream;
    try {
      // no trailing slash: when a script replaced /work/output with a link, Docker then sends the link
      // itself (rejected) instead of following it
      stream = await c.getArchive({ path: `${WORK_DIR}/output`, abortSignal: signal });
    } catch (err) {
      if (isMissingPath(err)) return { files: [], problems: [{ path: "output/", reason: "/work/output is missing" }] };
      throw toDriverError(err, "download /work/output");
    }
    return extractOutputArchive(stream, spec.outputDir, {
      maxBytes: spec.caps.outputBytes,
      maxFiles: spec.caps.outputFiles,
    });
  }

  /** remove({force, v}) — also deletes the anonymous /work volume. Never throws: it runs in finally. */
  async function removeQuietly(c: Docker.Container, runId: string): Promise<number> {
    const t = performance.now();
    try {
      await c.remove({ force: true, v: true });
    } catch (err) {
      if (statusOf(err) !== 404) {
        log.warn("runner: cannot remove the run container; removeOrphans will retry", {
          run_id: runId,
          container_id: c.id,
          error: errorText(err),
        });
      }
    }
    return performance.now() - t;
  }

  async function findRunContainers(): Promise<RunContainer[]> {
    let list: Docker.ContainerInfo[];
    try {
      list = await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
    } catch (err) {
      throw toDriverError(err, "list run containers");
    }
    return list.map((c) => ({
      containerId: c.Id,
      runId: c.Labels[RUN_LABEL] ?? "",
      toolVersionId: c.Labels[TOOL_VERSION_LABEL] ?? "",
      state: c.State,
      createdAt: new Date(c.Created * 1000),
    }));
  }

  async function removeOrphans(knownRunIds: Iterable<string>): Promise<string[]> {
    const known = new Set(knownRunIds);
    const removed: string[] = [];
    for (const c of await findRunContainers()) {
      if (known.has(c.runId)) continue;
      await removeQuietly(docker.getContainer(c.containerId), c.runId);
      removed.push(c.containerId);
      log.info("runner: removed orphaned run container", { run_id: c.runId, container_id: c.containerId });
    }
    return removed;
  }

  async function ping(): Promise<void> {
    try {
      await docker.ping();
    } catch (err) {
      throw new RunnerDriverError("docker_unavailable", `Docker does not answer: ${errorText(err)}`, { cause: err });
    }
  }

  async function imageExists(image: string): Promise<boolean> {
    try {
      await docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw toDriverError(err, "inspect the runner image");
    }
  }

  return { docker, run, launch, resume, findRunContainers, removeOrphans, ping, imageExists };
}

function zeroPhases(): RunPhases {
  return { create: 0, upload: 0, start: 0, wait: 0, collect: 0, remove: 0 };
}

function emptyOutcome(containerId: string, stop: { timedOut?: boolean; cancelled?: boolean }): RunOutcome {
  return {
    containerId,
    started: false,
    exitCode: null,
    oomKilled: false,
    timedOut: stop.timedOut ?? false,
    cancelled: stop.cancelled ?? false,
    stdout: "",
    stderr: "",
    stdoutTruncated: false,
    stderrTruncated: false,
    resultJson: null,
    resultProblem: "not read: the script did not run",
    outputFiles: [],
    outputProblems: [],
    durationMs: 0,
    phases: zeroPhases(),
  };
}

/** Resolves true when `p` settles within `ms`, false otherwise (p keeps running). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function statusOf(err: unknown): number | undefined {
  const code = typeof err === "object" && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === "number" ? code : undefined;
}

function daemonMessage(err: unknown): string {
  const json = typeof err === "object" && err !== null ? (err as { json?: unknown }).json : undefined;
  const msg = typeof json === "object" && json !== null ? (json as { message?: unknown }).message : undefined;
  return typeof msg === "string" ? msg : errorText(err);
}

/**
 * 404 from GET /archive because the PATH is missing, not the container. docker-modem labels every 404
 * of that endpoint "no such container"; the daemon's own text after it tells the two apart.
 */
function isMissingPath(err: unknown): boolean {
  return statusOf(err) === 404 && /could not find the file/i.test(daemonMessage(err));
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ECONNRESET", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE"]);

function toDriverError(err: unknown, what: string, image?: string): RunnerDriverError {
  if (err instanceof RunnerDriverError) return err;
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === "string" && UNREACHABLE.has(code)) {
    return new RunnerDriverError("docker_unavailable", `Cannot ${what}: Docker does not answer (${code}).`, { cause: err });
  }
  const status = statusOf(err);
  const message = daemonMessage(err);
  if (status === 404 && image !== undefined && /no such image/i.test(message)) {
    return new RunnerDriverError("image_missing", `The runner image ${image} is missing on the Docker host.`, { cause: err });
  }
  // the daemon says "No such container: <id>" (docker-modem's own prefix has no colon)
  if (status === 404 && /no such container:/i.test(message)) {
    return new RunnerDriverError("container_gone", `Cannot ${what}: the container no longer exists.`, { cause: err });
  }
  if (status === 409 && image !== undefined) {
    return new RunnerDriverError("docker_error", `Cannot ${what}: ${message} (a container for this run exists already?)`, {
      cause: err,
    });
  }
  return new RunnerDriverError("docker_error", `Cannot ${what}: ${message}`, { cause: err });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
