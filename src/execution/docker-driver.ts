// The Docker runner driver (tool-contract §8, ARCHITECTURE "A run, end to end" step 3): one fresh,
// hardened container per run, talked to over the Engine API with dockerode.
//
//   [local: prepare <workRoot>/<runId> on the host]
//   create (network disabled, non-root, no caps, read-only root, limits, labels, /work = volume or bind)
//   → onContainerCreated(id) → [volume: upload /work (tar)] → attach → start
//   → wait raced with the deadline and the cancel signal (both: SIGKILL, then wait)
//   → stdout/stderr demuxed and capped → inspect (exit code, OOMKilled), in parallel with:
//   → collect result.json and /work/output with caps (volume: download archives; local: read the host
//     folder, docker-local-io.ts) → remove container + volume, then the run folder (always)
//
// Two ways to fill and empty /work:
// - volume (any daemon, also remote over TLS/SSH): an anonymous volume filled by archive upload and read
//   by archive download; `remove({force, v})` deletes the volume with the container.
// - local (default when the daemon is on this machine — docker_host "" or unix:// — and a workRoot is
//   given): the run folder on the host is bind-mounted at /work, so neither archive is needed; layout,
//   ownership and the safe read-back are in docker-local-io.ts. If the daemon turns out not to see our
//   folders (the server itself runs in a container with the socket mounted, or the unix socket is
//   forwarded from another machine), the first create fails with "bind source path does not exist"; the
//   driver then switches to volumes for good and repeats that run.
//
// Measured (no-op tool through the harness, median of 20, interleaved; scripts/bench/runner-driver.ts):
//   bare create → start → wait → remove of `python3 -c pass`   125 ms (wait 40)
//   local bind mount                                           150 ms (upload 0.7, wait 55, collect 1.8)
//   volume + archives                                          280 ms (upload 44, wait 56, collect 88)
// (other series on the same busy 2-core machine: local 1.10–1.16× bare, volume 1.95–2.3×). Of the 25 ms
// over the bare lifecycle, ≈15 ms were the harness's own Python imports (the wait phase: the harness
// against `python3 -c pass` through the same driver: 59 against 42 ms). Trimmed since (no dataclasses,
// typing or importlib.util, traceback only on errors): `python3 -X importtime` in the image 15 → 4.5 ms
// (what is left is json → re); the whole no-op harness process 37 → 22 ms against 15 ms for `pass`.
// Tried and not kept, because no difference showed beyond noise (±5 ms): reading the log after exit
// instead of attaching before start (attach also keeps the FIRST 200,000 bytes, the log only the last
// ≈1 MB); calling wait before start; leaving out the hardening flags or the /tmp tmpfs (they are free).
// Kept: inspect runs in parallel with collecting. Not done: removing the container after returning the
// outcome would save ≈7 ms more, but the RunnerDriver promises a removed container when run() returns.
//
// Other measured choices (runner-notes §2–§3, stack-notes §3):
// - `NetworkDisabled: true` next to `NetworkMode: "none"` skips libnetwork's sandbox (≈70 ms a run); the
//   container still gets its own network namespace with only `lo`.
// - The deadline is enforced on the container (kill), never on a client process.
// - The json-file log (kept small) is only read when a run is adopted after a restart; normally output
//   comes over the attach stream, which we read to the end but keep only up to the cap.
// Image requirement (volume path): /work must exist in the image and belong to uid 10001 (runner/build-image.sh does
// this); Docker copies that owner into each new anonymous volume, which lets the harness write
// /work/result.json. The archive's own root entry cannot set it (Docker ignores the owner of `./`).
// Podman: its Docker-compatible socket works the same (docker_host = "unix:///run/podman/podman.sock");
// see docker-connection.ts for why it must be rootful on cgroup v1 hosts.
// Warm pool (warm-pool-driver.ts): the pool runs its pre-started containers through `steps` (the part of
// run() after start). This driver also finds, resumes and removes a dispatched pool container — named
// after its run, /work in a pool slot folder, its clock starting at dispatch (warm-pool-slots.ts) — so
// adoption after a crash works whether or not the restarted server has the pool on.
import { readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import Docker from "dockerode";
import type { Logger } from "../log/logger";
import { extractOutputArchive, packWorkArchive, readSingleFileArchive, SANDBOX_UID } from "./docker-archive";
import { dockerConnectionOptions } from "./docker-connection";
import {
  checkInputFiles,
  collectRunDir,
  createRunDir,
  ensureWorkRoot,
  fillRunDir,
  type RunDirOwnership,
  removeRunDir,
  runDirOf,
  runIdOfDirName,
} from "./docker-local-io";
import { drainInto, StdioDemuxer } from "./docker-streams";
import {
  type CollectSpec,
  RUN_LABEL,
  type RunContainer,
  type RunLimits,
  type RunnerDriver,
  RunnerDriverError,
  type RunOutcome,
  type RunPhases,
  type RunSpec,
  TOOL_VERSION_LABEL,
} from "./runner-driver";
import { NO_JOB_EXIT_CODE, NO_JOB_NOTE, POOL_LABEL, readSlotJob, runContainerName, runIdOfContainerName, type SlotDirs, slotDirsOfMount } from "./warm-pool-slots";

export type DockerDriverOptions = {
  /** config.runner.docker_host; "" = the local socket (see docker-connection.ts). */
  dockerHost?: string;
  log: Logger;
  /**
   * Bind-mount a host run folder at /work instead of an anonymous volume filled and emptied by archives.
   * Default: true when `workRoot` is given and the daemon is local (dockerHost "" or unix://).
   * true without a workRoot is an invalid_config error.
   */
  localIo?: boolean;
  /**
   * Where run folders are made, one per run: `<workRoot>/<runId>` (e.g. <data_dir>/tmp/runs). Created
   * with mode 0700. Must be a path the Docker daemon sees as the same folder (true for a daemon on this
   * machine, unless the server itself runs in a container). Also swept by removeOrphans.
   */
  workRoot?: string;
  /**
   * Who owns /work and /work/output in local mode (docker-local-io.ts). Default "chown", which falls back
   * to "shared" when the process may not chown (not root). Tests force "shared" to cover a non-root
   * server's layout while running as root.
   */
  runDirOwnership?: RunDirOwnership;
};

/** A driver plus its dockerode client (for doctor output and tests). */
export type DockerDriver = RunnerDriver & {
  readonly docker: Docker;
  /** Whether runs use the local bind-mount path right now (false after a fall-back to volumes). */
  readonly localIo: boolean;
  /** The steps of a run, for the warm pool only (warm-pool-driver.ts). */
  readonly steps: DockerRunSteps;
};

export type StopReason = { timedOut: boolean; cancelled: boolean };

/**
 * The steps run() takes after a container has started, for warm-pool-driver.ts: it runs its pre-started
 * containers through the very same hardening, supervision, collection and clean-up as run() its fresh
 * ones, so both paths give the same RunOutcome. Not meant for other callers.
 */
export type DockerRunSteps = {
  /** The resolved workRoot (local I/O), or undefined. */
  readonly workRoot: string | undefined;
  /** The HostConfig of every run container (limits, no network, read-only root …) with `workDir` bound at /work. */
  sandboxHostConfig(limits: RunLimits, workDir: string): Docker.HostConfig;
  /** `KEY=value` lines; throws invalid_spec for a key or value Docker (or a POSIX environment) cannot take. */
  containerEnv(env: Record<string, string>): string[];
  /** Creates workRoot (0700) once; throws docker_error when it cannot. */
  ensureWorkRoot(): Promise<void>;
  /** Lays out an existing, empty folder as a run's /work (docker-local-io.ts fillRunDir). */
  fillWork(dir: string, spec: RunSpec): Promise<void>;
  supervise(c: Docker.Container, deadlineAt: number, signal?: AbortSignal): Promise<StopReason>;
  /** inspect + collect (unless cancelled) → the outcome, without remove. */
  finish(c: Docker.Container, spec: CollectSpec, stop: StopReason, demuxer: StdioDemuxer, phases: RunPhases, work: LocalWork | null): Promise<RunOutcome>;
  /** Removes the container, then its folder; the milliseconds it took. Never throws. */
  removeAll(c: Docker.Container | null, work: LocalWork | null, runId: string, image: string | undefined): Promise<number>;
};

const WORK_DIR = "/work";
const TMPFS_OPTIONS = "rw,noexec,nosuid,nodev,size=256m";
/** Container log kept by the daemon: only for adoption after a restart, so small. */
const LOG_CONFIG = { Type: "json-file", Config: { "max-size": "1m", "max-file": "1" } };
/** After the container has stopped, how long the rest of the attach/log stream may take to arrive. */
export const STREAM_DRAIN_MS = 5_000;
/** How long a SIGKILLed container may take to be reported stopped before we give up on it. */
const KILL_WAIT_MS = 15_000;
/** Upper bound for downloading result.json and /work/output together. */
const COLLECT_TIMEOUT_MS = 120_000;
/** Upper bound for a clean-up container (shared-mode run folders only). */
const SCRUB_TIMEOUT_MS = 60_000;
/** removeOrphans leaves younger run folders alone: a run may be between mkdir and create right now. */
const RUN_DIR_SWEEP_AGE_MS = 60_000;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_SAFE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,200}$/;
/** Label of the clean-up containers; not RUN_LABEL, so findRunContainers never mistakes one for a run. */
const SCRUB_LABEL = "skriptoteket.scrub_run_id";

/** The local daemon could not see the run folder; the caller switches to volumes and repeats the run. */
class BindSourceUnseen extends Error {}

/**
 * A run folder this call created or adopted (and therefore deletes): `dir` is the container's /work;
 * `root`, when set, is the folder deleted afterwards instead (a pool slot's, which holds `dir`).
 */
export type LocalWork = { dir: string; root?: string };

export function isLocalDockerHost(dockerHost: string): boolean {
  const value = dockerHost.trim();
  return value === "" || value.startsWith("unix://");
}

export function createDockerDriver({
  dockerHost = "",
  log,
  localIo,
  workRoot: workRootOption,
  runDirOwnership = "chown",
}: DockerDriverOptions): DockerDriver {
  const docker = new Docker(dockerConnectionOptions(dockerHost));
  // Docker reports a bind mount's Source as given at create; resume compares against it, so absolute
  const workRoot = workRootOption === undefined ? undefined : resolve(workRootOption);
  if (localIo === true && workRoot === undefined) {
    throw new RunnerDriverError("invalid_config", "The local run folder path (workRoot) is needed for local I/O.");
  }
  let useLocal = localIo ?? (workRoot !== undefined && isLocalDockerHost(dockerHost));
  let workRootReady: Promise<void> | null = null;
  let ownership = runDirOwnership;
  /** The image of the latest run: the clean-up container of removeOrphans' sweep needs one. */
  let lastImage: string | undefined;

  function sandboxHostConfig(limits: RunLimits, work: Docker.MountSettings): Docker.HostConfig {
    return {
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
      Mounts: [work],
    };
  }

  function volumeMount(runId: string): Docker.MountSettings {
    // anonymous volume (no Source): created with the container, seeded from the image's /work (owner
    // 10001 included), removed by remove({v: true}); labelled so a leak can be found.
    // @types/dockerode wants Source and every VolumeOptions field; the API needs none of them
    return {
      Type: "volume",
      Target: WORK_DIR,
      ReadOnly: false,
      VolumeOptions: { NoCopy: false, Labels: { [RUN_LABEL]: runId } },
    } as unknown as Docker.MountSettings;
  }

  function bindMount(dir: string): Docker.MountSettings {
    return { Type: "bind", Source: dir, Target: WORK_DIR, ReadOnly: false };
  }

  function containerEnv(vars: Record<string, string>): string[] {
    const env: string[] = [];
    for (const [key, value] of Object.entries(vars)) {
      if (!ENV_KEY.test(key)) throw new RunnerDriverError("invalid_spec", `Environment key "${key}" is not allowed.`);
      if (value.includes("\0")) throw new RunnerDriverError("invalid_spec", `Environment value of ${key} contains NUL.`);
      env.push(`${key}=${value}`);
    }
    return env;
  }

  function createOptions(spec: RunSpec, work: Docker.MountSettings): Docker.ContainerCreateOptions {
    const env = containerEnv(spec.env);
    return {
      // a name per run makes a second container for the same run fail at create (409) instead of running twice
      ...(NAME_SAFE.test(spec.runId) ? { name: containerName(spec.runId) } : {}),
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
      HostConfig: sandboxHostConfig(spec.limits, work),
    };
  }

  /**
   * Makes and fills `<workRoot>/<runId>`. `made` receives the folder as soon as it exists, so the caller's
   * finally deletes it even when filling fails.
   */
  async function prepareRunDir(spec: RunSpec, dir: string, made: (w: LocalWork) => void): Promise<void> {
    await prepareWorkRoot();
    checkInputFiles(spec.inputFiles);
    if ((await createRunDir(dir)) === "exists") {
      // left over by a crashed attempt — unless a container of this run still uses it
      if (await containerExists(containerName(spec.runId))) {
        throw new RunnerDriverError("docker_error", `Cannot create the container: a container for run ${spec.runId} exists already.`);
      }
      await deleteRunDir(dir, spec.image, spec.runId);
      if ((await createRunDir(dir)) === "exists") {
        throw new RunnerDriverError("docker_error", `Cannot prepare the run folder ${dir}: it exists already.`);
      }
    }
    made({ dir });
    await fillWork(dir, spec);
  }

  async function prepareWorkRoot(): Promise<void> {
    if (workRoot === undefined) throw new RunnerDriverError("invalid_config", "No workRoot for local I/O.");
    workRootReady ??= ensureWorkRoot(workRoot).catch((err: unknown) => {
      workRootReady = null;
      throw new RunnerDriverError("docker_error", `Cannot prepare the run folders in ${workRoot}: ${errorText(err)}`, {
        cause: err,
      });
    });
    await workRootReady;
  }

  async function fillWork(dir: string, spec: RunSpec): Promise<void> {
    try {
      const used = await fillRunDir(dir, spec, ownership);
      if (used !== ownership) {
        log.info("runner: the server may not chown; run folders are laid out for a non-root server", { work_root: workRoot });
        ownership = used; // no use trying again for every run
      }
    } catch (err) {
      throw new RunnerDriverError("docker_error", `Cannot prepare the run folder ${dir}: ${errorText(err)}`, { cause: err });
    }
  }

  async function containerExists(nameOrId: string): Promise<boolean> {
    try {
      await docker.getContainer(nameOrId).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw toDriverError(err, "inspect the container");
    }
  }

  /**
   * [local: prepare the run folder] → create → onContainerCreated → [volume: upload]. The container and the
   * run folder are handed over as soon as they exist, so the caller's finally removes them.
   */
  async function createAndUpload(
    spec: RunSpec,
    phases: RunPhases,
    local: boolean,
    created: (c: Docker.Container) => void,
    made: (w: LocalWork) => void,
  ): Promise<Docker.Container> {
    lastImage = spec.image;
    if (local) {
      const dir = runDirOf(workRoot ?? "", spec.runId);
      const options = createOptions(spec, bindMount(dir)); // validates the env before anything exists
      let t = performance.now();
      await prepareRunDir(spec, dir, made);
      phases.upload = performance.now() - t;
      t = performance.now();
      let container: Docker.Container;
      try {
        container = await docker.createContainer(options);
      } catch (err) {
        if (statusOf(err) === 400 && /bind source path does not exist/i.test(daemonMessage(err))) {
          throw new BindSourceUnseen(daemonMessage(err));
        }
        throw toDriverError(err, "create the container", spec.image);
      }
      created(container);
      phases.create = performance.now() - t;
      await spec.onContainerCreated?.(container.id);
      return container;
    }

    const options = createOptions(spec, volumeMount(spec.runId));
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

  /** Runs `attempt` in the current mode; repeats it with volumes when the daemon cannot see our folders. */
  async function withFallback<T>(runId: string, attempt: (local: boolean) => Promise<T>): Promise<T> {
    const local = useLocal;
    try {
      return await attempt(local);
    } catch (err) {
      if (!(err instanceof BindSourceUnseen)) throw err;
      useLocal = false;
      log.warn("runner: the Docker daemon does not see the local run folders; using volumes and archives from now on", {
        run_id: runId,
        work_root: workRoot,
        error: err.message,
      });
      return attempt(false);
    }
  }

  function run(spec: RunSpec): Promise<RunOutcome> {
    return withFallback(spec.runId, (local) => runOnce(spec, local));
  }

  async function runOnce(spec: RunSpec, local: boolean): Promise<RunOutcome> {
    const began = performance.now();
    const phases = zeroPhases();
    let container: Docker.Container | null = null;
    let work: LocalWork | null = null;
    let attach: NodeJS.ReadableStream | null = null;
    let outcome: RunOutcome | null = null;
    try {
      // the callbacks hand the container and the run folder over as soon as they exist, so finally
      // removes them even when filling, creating, uploading or onContainerCreated fails
      container = await createAndUpload(
        spec,
        phases,
        local,
        (c) => (container = c),
        (w) => (work = w),
      );
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

      outcome = await finish(c, spec, stop, demuxer, phases, work);
      return outcome;
    } finally {
      (attach as { destroy?: () => void } | null)?.destroy?.();
      const removeMs = await removeAll(container, work, spec.runId, spec.image);
      if (outcome) {
        outcome.phases = { ...phases, remove: removeMs };
        outcome.durationMs = performance.now() - began;
        log.debug("runner: run finished", { run_id: spec.runId, phases: outcome.phases, exit_code: outcome.exitCode });
      }
    }
  }

  function launch(spec: RunSpec): Promise<{ containerId: string }> {
    return withFallback(spec.runId, (local) => launchOnce(spec, local));
  }

  async function launchOnce(spec: RunSpec, local: boolean): Promise<{ containerId: string }> {
    const phases = zeroPhases();
    let container: Docker.Container | null = null;
    let work: LocalWork | null = null;
    let started = false;
    try {
      container = await createAndUpload(
        spec,
        phases,
        local,
        (c) => (container = c),
        (w) => (work = w),
      );
      try {
        await container.start();
      } catch (err) {
        throw toDriverError(err, "start the container");
      }
      started = true;
      return { containerId: container.id };
    } finally {
      // once started, the run folder belongs to the container until resume deletes it
      if (!started) await removeAll(container, work, spec.runId, spec.image);
    }
  }

  /** The run folder a container's /work is bound to, if it is ours (`<workRoot>/<runId>`). */
  function localWorkOf(info: Docker.ContainerInspectInfo, runId: string): LocalWork | null {
    if (workRoot === undefined || !NAME_SAFE.test(runId)) return null;
    const mount = info.Mounts.find((m) => m.Destination === WORK_DIR);
    if (mount?.Type !== "bind") return null;
    const dir = runDirOf(workRoot, runId);
    if (mount.Source !== dir) {
      log.warn("runner: /work of an adopted container is bound to a folder outside the run folders; not touching it", {
        run_id: runId,
        source: mount.Source,
      });
      return null;
    }
    // who owns what inside no longer matters: collecting and deleting handle both layouts
    return { dir };
  }

  /** The slot folders of a warm-pool container (warm-pool-slots.ts), or null when /work is not one of ours. */
  function slotOf(mounts: readonly { Destination: string; Source: string; Type: string }[]): SlotDirs | null {
    if (workRoot === undefined) return null;
    const mount = mounts.find((m) => m.Destination === WORK_DIR);
    return mount?.Type === "bind" ? slotDirsOfMount(workRoot, mount.Source) : null;
  }

  async function resume(containerId: string, spec: CollectSpec): Promise<RunOutcome> {
    const began = performance.now();
    const phases = zeroPhases();
    const c = docker.getContainer(containerId);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await c.inspect();
    } catch (err) {
      const error = toDriverError(err, "inspect the container");
      // its run folder (if any) has nobody left to use it
      if (error.code === "container_gone" && workRoot !== undefined && NAME_SAFE.test(spec.runId)) {
        await deleteRunDir(runDirOf(workRoot, spec.runId), lastImage, spec.runId);
      }
      throw error;
    }
    lastImage ??= info.Config.Image;
    // A warm-pool container (warm-pool-driver.ts) started long before its run: the run's clock starts at
    // dispatch (job.json, out of the script's reach). Without a job record the job line was never sent.
    const isPool = info.Config.Labels?.[POOL_LABEL] !== undefined;
    const slot = isPool ? slotOf(info.Mounts) : null;
    const job = slot ? await readSlotJob(slot) : null;
    const work = isPool ? (slot ? { dir: slot.work, root: slot.root } : null) : localWorkOf(info, spec.runId);
    let outcome: RunOutcome | null = null;
    try {
      const status = info.State.Status;
      if (status === "created" || (isPool && job === null)) {
        // never started: its upload may be incomplete, so nothing of it is trusted; the worker may run again
        outcome = emptyOutcome(containerId, { cancelled: spec.signal?.aborted ?? false });
        return outcome;
      }
      const t = performance.now();
      let stop: StopReason = { timedOut: false, cancelled: false };
      const startedAt = job ? job.dispatchedAt : Date.parse(info.State.StartedAt);
      if (status === "paused") await c.unpause().catch(() => undefined);
      if (status === "running" || status === "paused" || status === "restarting") {
        const deadline = (Number.isFinite(startedAt) ? startedAt : Date.now()) + spec.timeoutMs;
        stop = await supervise(c, deadline, spec.signal);
      } else {
        // it stopped while nobody watched; a SIGKILL after the full budget can only have been our deadline
        const runMs = Date.parse(info.State.FinishedAt) - startedAt;
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
      outcome = await finish(c, spec, stop, demuxer, phases, work);
      // dispatched, but the job line never reached the harness: nothing ran
      if (isPool && neverGotJob(outcome)) outcome = emptyOutcome(containerId, { cancelled: outcome.cancelled });
      return outcome;
    } finally {
      const removeMs = await removeAll(c, work, spec.runId, info.Config.Image);
      if (outcome) {
        outcome.phases = { ...phases, remove: removeMs };
        outcome.durationMs = performance.now() - began;
      }
    }
  }

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

  /**
   * inspect (exit code, OOMKilled) in parallel with collecting result.json and /work/output (unless
   * cancelled) → the outcome without remove.
   */
  async function finish(
    c: Docker.Container,
    spec: CollectSpec,
    stop: StopReason,
    demuxer: StdioDemuxer,
    phases: RunPhases,
    work: LocalWork | null,
  ): Promise<RunOutcome> {
    const t = performance.now();
    const inspected = c.inspect().then(
      (info) => ({ info }),
      (err: unknown) => ({ err }),
    );
    const outcome: RunOutcome = {
      containerId: c.id,
      started: true,
      exitCode: null,
      oomKilled: false,
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
      const { result, output } = work ? await collectLocal(c, spec, work) : await collectArchives(c, spec);
      outcome.resultJson = result.bytes;
      if (result.problem !== undefined) outcome.resultProblem = result.problem;
      outcome.outputFiles = output.files;
      outcome.outputProblems = output.problems;
    }
    const inspection = await inspected;
    if ("err" in inspection) throw toDriverError(inspection.err, "inspect the container");
    outcome.exitCode = inspection.info.State.ExitCode;
    outcome.oomKilled = inspection.info.State.OOMKilled;
    phases.collect = performance.now() - t;
    return outcome;
  }

  async function collectArchives(c: Docker.Container, spec: CollectSpec) {
    const signal = AbortSignal.timeout(COLLECT_TIMEOUT_MS);
    const [result, output] = await Promise.all([collectResult(c, spec, signal), collectOutput(c, spec, signal)]);
    return { result, output };
  }

  /** Reads the run folder on the host; what the server may not read is collected through the archives. */
  async function collectLocal(c: Docker.Container, spec: CollectSpec, work: LocalWork) {
    const local = await collectRunDir(work.dir, spec.outputDir, {
      resultBytes: spec.caps.resultBytes,
      maxBytes: spec.caps.outputBytes,
      maxFiles: spec.caps.outputFiles,
    });
    if (!local.permissionDenied) return local;
    // a non-root server and a 0600 file or 0700 folder of the script's: the daemon reads as root
    log.info("runner: the run folder has entries the server may not read; collecting through the archives", {
      run_id: spec.runId,
    });
    await emptyFolder(spec.outputDir);
    return collectArchives(c, spec);
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

  /** The container (with its volume), then the run folder; returns the milliseconds. Never throws. */
  async function removeAll(
    c: Docker.Container | null,
    work: LocalWork | null,
    runId: string,
    image: string | undefined,
  ): Promise<number> {
    const t = performance.now();
    // container first: nothing may still write into the folder while it is deleted
    if (c) await removeQuietly(c, runId);
    if (work) await deleteRunDir(work.dir, image, runId, work.root);
    return performance.now() - t;
  }

  /** remove({force, v}) — also deletes the anonymous /work volume. Never throws: it runs in finally. */
  async function removeQuietly(c: Docker.Container, runId: string): Promise<void> {
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
  }

  /**
   * Deletes a run folder (`root`, which is `dir` itself or, for a pool slot, the folder holding it). What a
   * non-root server may not delete (folders the script made) is first deleted by a clean-up container
   * running as the sandbox user with `dir` as its /work. Never throws.
   */
  async function deleteRunDir(dir: string, image: string | undefined, runId: string, root = dir): Promise<boolean> {
    let err = await removeRunDir(root);
    if (err && image !== undefined) {
      log.info("runner: the server may not delete all of the run folder; deleting with a clean-up container", {
        run_id: runId,
        error: err.message,
      });
      try {
        await scrubRunDir(dir, image, runId);
      } catch (scrubErr) {
        log.warn("runner: the clean-up container failed", { run_id: runId, error: errorText(scrubErr) });
      }
      err = await removeRunDir(root);
    }
    if (err) {
      log.warn("runner: cannot delete the run folder; removeOrphans will retry", { run_id: runId, dir, error: err.message });
    }
    return err === null;
  }

  /**
   * Deletes, as uid 10001 in a locked-down container, whatever the script created in a run folder; the
   * server's own read-only input folder stays for the server to delete.
   */
  async function scrubRunDir(dir: string, image: string, runId: string): Promise<void> {
    const c = await docker.createContainer({
      Image: image,
      // the owner can always chmod its own folders back to searchable before deleting them
      Cmd: ["sh", "-c", "chmod -R u+rwX /work 2>/dev/null; rm -rf /work/* /work/.[!.]* /work/..?* 2>/dev/null; exit 0"],
      User: `${SANDBOX_UID}:${SANDBOX_UID}`,
      WorkingDir: "/",
      Labels: { [SCRUB_LABEL]: runId },
      NetworkDisabled: true,
      HostConfig: sandboxHostConfig(
        { memoryBytes: 256 * 1024 * 1024, nanoCpus: 1_000_000_000, pidsLimit: 64, fileSizeBytes: 1024 * 1024, openFiles: 256 },
        bindMount(dir),
      ),
    });
    try {
      await c.start();
      await supervise(c, Date.now() + SCRUB_TIMEOUT_MS);
    } finally {
      await removeQuietly(c, runId);
    }
  }

  /** Deletes what is in a folder of ours (outputDir before a second collection), not the folder itself. */
  async function emptyFolder(dir: string): Promise<void> {
    for (const name of await readdir(dir)) await rm(join(dir, name), { recursive: true, force: true });
  }

  async function findRunContainers(): Promise<RunContainer[]> {
    return (await listRunContainers()).map(({ slot: _slot, ...c }) => c);
  }

  /**
   * Containers with the run label, plus warm-pool containers that were dispatched to a run: their labels
   * were fixed before there was a run, so the run id is in their name (warm-pool-slots.ts).
   */
  async function listRunContainers(): Promise<(RunContainer & { slot: SlotDirs | null })[]> {
    let lists: Docker.ContainerInfo[][];
    try {
      lists = await Promise.all([
        docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } }),
        docker.listContainers({ all: true, filters: { label: [POOL_LABEL] } }),
      ]);
    } catch (err) {
      throw toDriverError(err, "list run containers");
    }
    const [labelled = [], pooled = []] = lists;
    const found = labelled.map((c): RunContainer & { slot: SlotDirs | null } => ({
      containerId: c.Id,
      runId: c.Labels[RUN_LABEL] ?? "",
      toolVersionId: c.Labels[TOOL_VERSION_LABEL] ?? "",
      state: c.State,
      createdAt: new Date(c.Created * 1000),
      slot: null,
    }));
    for (const c of pooled) {
      const runId = runIdOfContainerName(c.Names[0]);
      if (runId === null) continue; // idle, or never dispatched: the pool's business
      const slot = slotOf(c.Mounts);
      const job = slot ? await readSlotJob(slot) : null;
      found.push({ containerId: c.Id, runId, toolVersionId: job?.toolVersionId ?? "", state: c.State, createdAt: new Date(c.Created * 1000), slot });
    }
    return found;
  }

  async function removeOrphans(knownRunIds: Iterable<string>): Promise<string[]> {
    const known = new Set(knownRunIds);
    const removed: string[] = [];
    for (const c of await listRunContainers()) {
      if (known.has(c.runId)) continue;
      await removeQuietly(docker.getContainer(c.containerId), c.runId);
      // its run folder, whatever its age: the container that used it is gone
      if (c.slot) {
        await deleteRunDir(c.slot.work, lastImage, c.runId, c.slot.root);
      } else if (workRoot !== undefined && runIdOfDirName(c.runId) !== null) {
        await deleteRunDir(join(workRoot, c.runId), lastImage, c.runId);
      }
      removed.push(c.containerId);
      log.info("runner: removed orphaned run container", { run_id: c.runId, container_id: c.containerId });
    }
    if (workRoot !== undefined) await sweepRunDirs(workRoot, known);
    await removeStaleScrubbers();
    return removed;
  }

  /** Clean-up containers left by a crash in the middle of one (they never hold results). */
  async function removeStaleScrubbers(): Promise<void> {
    let list: Docker.ContainerInfo[];
    try {
      list = await docker.listContainers({ all: true, filters: { label: [SCRUB_LABEL] } });
    } catch (err) {
      throw toDriverError(err, "list clean-up containers");
    }
    for (const c of list) {
      if (Date.now() - c.Created * 1000 < SCRUB_TIMEOUT_MS) continue; // possibly still at work
      await removeQuietly(docker.getContainer(c.Id), c.Labels[SCRUB_LABEL] ?? "");
    }
  }

  /** Deletes run folders of unknown runs (left by a crash) that are older than RUN_DIR_SWEEP_AGE_MS. */
  async function sweepRunDirs(root: string, known: Set<string>): Promise<void> {
    let names: string[];
    try {
      names = await readdir(root);
    } catch (err) {
      if (!isErrnoCode(err, "ENOENT")) log.warn("runner: cannot list the run folders", { dir: root, error: errorText(err) });
      return;
    }
    for (const name of names) {
      const runId = runIdOfDirName(name);
      if (runId === null || known.has(runId)) continue;
      const dir = join(root, name);
      try {
        const st = await stat(dir);
        if (Date.now() - st.mtimeMs < RUN_DIR_SWEEP_AGE_MS) continue;
      } catch {
        continue;
      }
      if (await deleteRunDir(dir, lastImage, runId)) log.info("runner: removed an orphaned run folder", { run_id: runId, dir });
    }
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

  return {
    docker,
    get localIo() {
      return useLocal;
    },
    steps: {
      workRoot,
      sandboxHostConfig: (limits, workDir) => sandboxHostConfig(limits, bindMount(workDir)),
      containerEnv,
      ensureWorkRoot: prepareWorkRoot,
      fillWork,
      supervise,
      finish,
      removeAll,
    },
    run,
    launch,
    resume,
    findRunContainers,
    removeOrphans,
    ping,
    imageExists,
  };
}

function containerName(runId: string): string {
  return runContainerName(runId);
}

function isErrnoCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * A pool container whose harness ended without a job (its exit code and its last words, so that a script
 * exiting with 75 on its own is not mistaken for one that never ran).
 */
export function neverGotJob(outcome: Pick<RunOutcome, "exitCode" | "resultJson" | "stderr">): boolean {
  return outcome.exitCode === NO_JOB_EXIT_CODE && outcome.resultJson === null && outcome.stderr.endsWith(`${NO_JOB_NOTE}\n`);
}

export function zeroPhases(): RunPhases {
  return { create: 0, upload: 0, start: 0, wait: 0, collect: 0, remove: 0 };
}

export function emptyOutcome(containerId: string, stop: { timedOut?: boolean; cancelled?: boolean }): RunOutcome {
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
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
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

export function statusOf(err: unknown): number | undefined {
  const code = typeof err === "object" && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === "number" ? code : undefined;
}

export function daemonMessage(err: unknown): string {
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

export function toDriverError(err: unknown, what: string, image?: string): RunnerDriverError {
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
