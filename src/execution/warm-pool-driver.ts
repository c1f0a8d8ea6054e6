// The warm pool: the second RunnerDriver (runner-driver.ts). It keeps `size` containers per image and
// limits created AND started ahead of time, each running the harness in wait mode (blocked on stdin), so a
// run skips create + start, the most expensive part of a container's life (runner-notes §4).
//
//   idle slot: create (same hardening and limits as a fresh run container, /work = an empty slot folder,
//              label skriptoteket.pool, stdin open) → attach (stdin + stdout/stderr) → start → harness waits
//   dispatch:  rename to skriptoteket-run-<runId> → onContainerCreated → fill /work on the host
//              (docker-local-io.ts, as for a fresh run) → job.json beside it (dispatch time) → the job line
//              {"env": …} on stdin → then exactly run()'s steps (docker-driver.ts DockerRunSteps):
//              supervise with the deadline counted from dispatch, capped demuxed output, safe read-back,
//              removal of container and folder in every outcome
//   refill:    in the background after every dispatch; a container is NEVER reused
//
// Sandbox (tool-contract §8) unchanged: the pool creates its containers with the Docker driver's own
// HostConfig (no network, non-root, no caps, read-only root, tmpfs /tmp, limits). The script sees the same
// process state as in a fresh container: the harness imports nothing more while it waits (the harness's
// own test compares sys.modules), HOME and XDG_CACHE_HOME are set at create (site reads HOME at start-up),
// the rest of the run's environment arrives with the job, stdin is /dev/null. Runs the pool cannot serve
// that way go to the Docker driver unchanged: a `command` override, environment variables other than
// SKRIPTOTEKET_* (the interpreter would have read them at start-up), other limits than a pool's (up to
// MAX_POOLS pools), or no ready container and none coming (then a fresh container is as fast).
//
// Adoption after a crash: a dispatched container carries the run id in its name (labels are fixed at
// create), and the Docker driver's findRunContainers/resume understand that, also with the pool turned
// off (warm-pool-slots.ts). When the server dies, the idle containers' stdin closes and their harness
// exits 75 ("no job"); the next pool removes them. Only the local bind-mount path has a pool; with a
// remote daemon (volumes) every run goes to the Docker driver.
//
// Cost: each idle container holds ≈5 MiB (the waiting harness) plus its containerd shim (≈13 MB), and
// refilling takes the same host CPU as a fresh run, so the pool cuts latency but does not raise
// throughput. A refill starts after the run that used the container has finished, unless the pool is
// empty: starting a container costs ≈100 ms of dockerd/containerd/runc CPU, which would otherwise
// compete with the run on a small machine.
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type Docker from "dockerode";
import type { Logger } from "../log/logger";
import { SANDBOX_UID } from "./docker-archive";
import {
  daemonMessage,
  type DockerDriver,
  emptyOutcome,
  type LocalWork,
  neverGotJob,
  settlesWithin,
  STREAM_DRAIN_MS,
  statusOf,
  toDriverError,
  zeroPhases,
} from "./docker-driver";
import { checkInputFiles } from "./docker-local-io";
import { drainInto, StdioDemuxer } from "./docker-streams";
import { createOwnerId, isOwnerGone } from "./lease-owner";
import { HOME_DIR } from "./run-env.rules";
import { type CollectSpec, type RunLimits, type RunnerDriver, RunnerDriverError, type RunOutcome, type RunSpec } from "./runner-driver";
import {
  createSlotDirs,
  POOL_LABEL,
  poolContainerName,
  poolRootOf,
  runContainerName,
  runIdOfContainerName,
  type SlotDirs,
  slotDirsOf,
  slotDirsOfMount,
  WAIT_FOR_JOB_ENV,
  writeSlotJob,
} from "./warm-pool-slots";

export type WarmPoolOptions = {
  /** The Docker driver (with local run folders) whose steps the pool uses and which takes every other run. */
  docker: DockerDriver;
  /** Started containers kept ready per image and limits; [runner] concurrency in production. */
  size: number;
  log: Logger;
  /** Pools to fill right away instead of at their first run (serve: the configured image and limits). */
  prewarm?: { image: string; limits: RunLimits }[];
  /** An idle container older than this is replaced: the image tag may have been rebuilt meanwhile. */
  maxIdleMs?: number;
};

export type WarmPoolStats = { ready: number; filling: number; dispatched: number; fresh: number };

export type WarmPoolDriver = RunnerDriver & {
  readonly docker: Docker;
  /** Resolves when every pool holds `size` ready containers, or cannot fill right now (failing, stopped). */
  whenFilled(): Promise<void>;
  /** dispatched = runs served from the pool, fresh = runs handed to the Docker driver. */
  stats(): WarmPoolStats;
  /** Stops refilling and removes every idle container with its folder. Dispatched runs are not touched. */
  stop(): Promise<void>;
};

/** What a pool container gets at create besides the wait flag; a run must agree to be served by it. */
const POOL_ENV: Record<string, string> = { HOME: HOME_DIR, XDG_CACHE_HOME: `${HOME_DIR}/.cache` };
const MAX_POOLS = 4;
const DEFAULT_MAX_IDLE_MS = 10 * 60_000;
/** Back-off after a failed refill: 1 s, 2 s, 4 s … up to 30 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** Left-over slot folders younger than this may belong to a container being created right now. */
const SWEEP_AGE_MS = 60_000;
/** Output an idle harness might print before its job (normally none), kept for the run's log. */
const HELD_OUTPUT_BYTES = 64 * 1024;
const RUN_NAME_SAFE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,200}$/;

/** Chunks of the attach stream, held until a run's demuxer exists, then passed straight on. */
class SlotOutput {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private target: { push(chunk: Uint8Array): void } | null = null;

  push(chunk: Uint8Array): void {
    if (this.target) return this.target.push(chunk);
    if (this.heldBytes >= HELD_OUTPUT_BYTES) return;
    this.held.push(Uint8Array.from(chunk));
    this.heldBytes += chunk.length;
  }

  connect(target: { push(chunk: Uint8Array): void }): void {
    for (const chunk of this.held) target.push(chunk);
    this.held = [];
    this.target = target;
  }
}

type AttachStream = NodeJS.ReadWriteStream & { destroy(): void };

type Slot = {
  id: string;
  pool: Pool;
  dirs: SlotDirs;
  container: Docker.Container;
  stream: AttachStream;
  output: SlotOutput;
  /** The attach stream ended: before dispatch, that means the container is gone or its stdin is. */
  ended: Promise<void>;
  readyAt: number;
};

type Pool = {
  key: string;
  image: string;
  limits: RunLimits;
  ready: Slot[];
  filling: number;
  /** Runs waiting for a container that is being started (never more than `filling`). */
  waiters: ((slot: Slot | null) => void)[];
  failures: number;
  retryAt: number;
  retryTimer?: ReturnType<typeof setTimeout>;
  lastUsed: number;
  retired: boolean;
  /** The image's harness does not wait for a job (built before wait mode): runs of this pool go fresh. */
  unsupported: boolean;
};

/** The slot died or vanished before its job was sent: the run goes to a fresh container instead. */
class SlotLost extends Error {}

export function createWarmPoolDriver({ docker: inner, size, log, prewarm = [], maxIdleMs = DEFAULT_MAX_IDLE_MS }: WarmPoolOptions): WarmPoolDriver {
  const { docker, steps } = inner;
  const owner = createOwnerId();
  const pools = new Map<string, Pool>();
  /** Fills and discards under way; stop() waits for them. */
  const busy = new Set<Promise<void>>();
  const watchers = new Set<() => void>();
  const counts = { dispatched: 0, fresh: 0 };
  let stopped = false;
  /** Set for good when the daemon cannot see our folders (the Docker driver then uses volumes too). */
  let disabled = false;

  const cleanedUp = removeLeftovers().catch((err: unknown) => log.warn("runner: cannot clean up an earlier warm pool", { error: errorText(err) }));
  const idleTimer = setInterval(() => void replaceOldSlots(), Math.max(1_000, Math.floor(maxIdleMs / 4)));
  idleTimer.unref?.();
  for (const { image, limits } of prewarm) ensureFilled(poolFor(image, limits));
  if (usable()) log.info("runner: warm pool on", { containers_per_image: size, work_root: steps.workRoot });

  function usable(): boolean {
    return !stopped && !disabled && size > 0 && inner.localIo && steps.workRoot !== undefined;
  }

  /** Whether a fresh container of this spec would look exactly like a pool container after its job. */
  function servable(spec: RunSpec): boolean {
    if (!usable() || spec.command !== undefined || !RUN_NAME_SAFE.test(spec.runId)) return false;
    // what the interpreter reads at start-up must already be right when the pool container starts
    const fixed = Object.entries(POOL_ENV).every(([key, value]) => spec.env[key] === value);
    return fixed && Object.keys(spec.env).every((key) => (key.startsWith("SKRIPTOTEKET_") && key !== WAIT_FOR_JOB_ENV) || Object.hasOwn(POOL_ENV, key));
  }

  function poolFor(image: string, limits: RunLimits): Pool {
    const key = [image, limits.memoryBytes, limits.nanoCpus, limits.pidsLimit, limits.fileSizeBytes, limits.openFiles].join("\n");
    let pool = pools.get(key);
    if (!pool) {
      if (pools.size >= MAX_POOLS) {
        const oldest = [...pools.values()].reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
        retirePool(oldest);
      }
      pool = { key, image, limits, ready: [], filling: 0, waiters: [], failures: 0, retryAt: 0, lastUsed: Date.now(), retired: false, unsupported: false };
      pools.set(key, pool);
    }
    pool.lastUsed = Date.now();
    return pool;
  }

  function retirePool(pool: Pool): void {
    pool.retired = true;
    pools.delete(pool.key);
    clearTimeout(pool.retryTimer);
    for (const waiter of pool.waiters.splice(0)) waiter(null);
    for (const slot of pool.ready.splice(0)) track(discard(slot));
  }

  function track(work: Promise<void>): void {
    busy.add(work);
    void work.finally(() => busy.delete(work));
  }

  /** Starts fills until ready + filling = size (unless backing off after failures). */
  function ensureFilled(pool: Pool): void {
    if (!usable() || pool.retired || pool.unsupported) return notify();
    const wait = pool.retryAt - Date.now();
    if (wait > 0) {
      if (!pool.retryTimer) {
        pool.retryTimer = setTimeout(() => {
          pool.retryTimer = undefined;
          ensureFilled(pool);
        }, wait);
        pool.retryTimer.unref?.();
      }
      return notify();
    }
    while (pool.ready.length + pool.filling < size) {
      pool.filling++;
      track(fillOne(pool));
    }
  }

  async function fillOne(pool: Pool): Promise<void> {
    await cleanedUp;
    let slot: Slot;
    try {
      slot = await createSlot(pool);
    } catch (err) {
      pool.filling--;
      backOff(pool);
      if (statusOf(err) === 400 && /bind source path does not exist/i.test(daemonMessage(err))) {
        disabled = true;
        log.warn("runner: the Docker daemon does not see the local run folders; warm pool off", { error: errorText(err) });
      } else if (pool.failures === 1 && !stopped) {
        log.warn("runner: cannot start a warm pool container; retrying with back-off", { image: pool.image, error: errorText(err) });
      }
      pool.waiters.shift()?.(null);
      ensureFilled(pool);
      return;
    }
    pool.filling--;
    pool.retryAt = 0; // failures are forgiven only by a dispatch: a container that dies idle is one too
    if (stopped || pool.retired) return discard(slot);
    void slot.ended.then(() => track(idleEnded(pool, slot)));
    const waiter = pool.waiters.shift();
    if (waiter) waiter(slot);
    else pool.ready.push(slot);
    notify();
  }

  function backOff(pool: Pool): void {
    pool.failures++;
    pool.retryAt = Date.now() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (pool.failures - 1));
  }

  /** An idle container's attach stream ended: it died (daemon restart …) or never waited. Replace it, slower each time. */
  async function idleEnded(pool: Pool, slot: Slot): Promise<void> {
    const at = pool.ready.indexOf(slot);
    if (at < 0) return; // dispatched or discarded on purpose
    pool.ready.splice(at, 1);
    const state = await slot.container.inspect().then(
      (info) => info.State,
      () => null,
    );
    if (state && !state.Running && state.ExitCode === 0) {
      // a harness without wait mode runs at once, finds no script, and exits 0
      pool.unsupported = true;
      log.warn("runner: the runner image does not wait for jobs (built before the warm pool?); warm pool off for it. Rebuild it: runner/build-image.sh", { image: pool.image });
    } else {
      backOff(pool);
      log.warn("runner: an idle warm pool container ended; replacing it", { container_id: slot.container.id, exit_code: state?.ExitCode ?? null, retry_in_ms: pool.retryAt - Date.now() });
    }
    await discard(slot);
    ensureFilled(pool);
  }

  async function createSlot(pool: Pool): Promise<Slot> {
    const workRoot = steps.workRoot;
    if (workRoot === undefined) throw new RunnerDriverError("invalid_config", "No workRoot for the warm pool.");
    const id = Bun.randomUUIDv7();
    const dirs = slotDirsOf(workRoot, id);
    await steps.ensureWorkRoot();
    await createSlotDirs(workRoot, dirs);
    let container: Docker.Container | null = null;
    let stream: AttachStream | null = null;
    try {
      container = await docker.createContainer({
        name: poolContainerName(id),
        Image: pool.image,
        User: `${SANDBOX_UID}:${SANDBOX_UID}`,
        WorkingDir: "/work",
        Env: steps.containerEnv({ ...POOL_ENV, [WAIT_FOR_JOB_ENV]: "1" }),
        Labels: { [POOL_LABEL]: owner },
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        OpenStdin: true,
        // our attach is its only stdin: when it closes (we drop the slot, or the server dies) the idle
        // harness sees end-of-file and exits 75
        StdinOnce: true,
        Tty: false,
        NetworkDisabled: true,
        HostConfig: steps.sandboxHostConfig(pool.limits, dirs.work),
      });
      stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as AttachStream;
      const output = new SlotOutput();
      const ended = drainInto(stream, output);
      await container.start();
      return { id, pool, dirs, container, stream, output, ended, readyAt: Date.now() };
    } catch (err) {
      stream?.destroy();
      if (container) await container.remove({ force: true, v: true }).catch(() => undefined);
      await rm(dirs.root, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  }

  /** Removes an idle (never dispatched) slot: its folder is still the empty one we made. Never throws. */
  async function discard(slot: Slot): Promise<void> {
    slot.stream.destroy();
    try {
      await slot.container.remove({ force: true, v: true });
    } catch (err) {
      if (statusOf(err) !== 404) log.warn("runner: cannot remove an idle warm pool container", { container_id: slot.container.id, error: errorText(err) });
    }
    await rm(slot.dirs.root, { recursive: true, force: true }).catch((err: unknown) =>
      log.warn("runner: cannot delete a warm pool folder", { dir: slot.dirs.root, error: errorText(err) }),
    );
    notify();
  }

  /** A ready slot; or, when one is being started and nobody waits for it yet, that one; else null. */
  function acquire(pool: Pool, signal?: AbortSignal): Promise<Slot | null | "aborted"> {
    const slot = pool.ready.shift();
    if (slot) return Promise.resolve(slot);
    if (pool.filling <= pool.waiters.length) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onAbort = () => {
        const at = pool.waiters.indexOf(waiter);
        if (at >= 0) pool.waiters.splice(at, 1);
        resolve("aborted");
      };
      const waiter = (s: Slot | null) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(s);
      };
      pool.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async function take(spec: RunSpec): Promise<Slot | null | "aborted"> {
    // the same early refusals as a fresh container's, before a slot is spent
    steps.containerEnv(spec.env);
    checkInputFiles(spec.inputFiles);
    if (spec.signal?.aborted) return "aborted";
    const pool = poolFor(spec.image, spec.limits);
    const slot = await acquire(pool, spec.signal);
    // Refill now only when the pool is empty (the next run would have to wait). Otherwise after this run
    // (dispatch's finally): starting a container takes ≈100 ms of dockerd/containerd/runc CPU, which
    // would compete with this run's own start-up on a small machine.
    if (pool.ready.length === 0 || slot === null || slot === "aborted") ensureFilled(pool);
    return slot;
  }

  async function run(spec: RunSpec): Promise<RunOutcome> {
    if (!servable(spec)) return fresh(() => inner.run(spec));
    const began = performance.now();
    const slot = await take(spec);
    if (slot === "aborted") return { ...emptyOutcome("", { cancelled: true }), durationMs: performance.now() - began };
    if (slot === null) return fresh(() => inner.run(spec));
    try {
      return await dispatch(slot, spec, "run");
    } catch (err) {
      if (err instanceof SlotLost) return fresh(() => inner.run(spec));
      throw err;
    }
  }

  async function launch(spec: RunSpec): Promise<{ containerId: string }> {
    if (!servable(spec)) return fresh(() => inner.launch(spec));
    const slot = await take(spec);
    if (slot === null || slot === "aborted") return fresh(() => inner.launch(spec));
    try {
      await dispatch(slot, spec, "launch");
      return { containerId: slot.container.id };
    } catch (err) {
      if (err instanceof SlotLost) return fresh(() => inner.launch(spec));
      throw err;
    }
  }

  function fresh<T>(go: () => Promise<T>): Promise<T> {
    counts.fresh++;
    return go();
  }

  /**
   * Runs `spec` in a started slot. "launch" stops once the job is sent (resume finishes the run, as for
   * the Docker driver's launch). Throws SlotLost when the slot turned out dead before its job was sent.
   */
  function dispatch(slot: Slot, spec: RunSpec, mode: "run"): Promise<RunOutcome>;
  function dispatch(slot: Slot, spec: RunSpec, mode: "launch"): Promise<null>;
  async function dispatch(slot: Slot, spec: RunSpec, mode: "run" | "launch"): Promise<RunOutcome | null> {
    const began = performance.now();
    const phases = zeroPhases();
    const c = slot.container;
    const work: LocalWork = { dir: slot.dirs.work, root: slot.dirs.root };
    let keep = false; // true: the container outlives this call (launch, or handed back unused)
    let outcome: RunOutcome | null = null;
    try {
      let t = performance.now();
      try {
        await c.rename({ name: runContainerName(spec.runId) });
      } catch (err) {
        if (statusOf(err) === 409) {
          // a container of this run exists already (an earlier attempt): refused like a fresh create; the
          // slot has not been touched and goes back
          keep = true;
          if (stopped || slot.pool.retired) track(discard(slot));
          else slot.pool.ready.unshift(slot);
          throw new RunnerDriverError("docker_error", `Cannot create the container: a container for run ${spec.runId} exists already.`, { cause: err });
        }
        throw new SlotLost(errorText(err));
      }
      phases.create = performance.now() - t;
      counts.dispatched++;
      await spec.onContainerCreated?.(c.id);
      if (spec.signal?.aborted) {
        outcome = emptyOutcome(c.id, { cancelled: true });
        return outcome;
      }
      t = performance.now();
      await steps.fillWork(slot.dirs.work, spec);
      phases.upload = performance.now() - t;

      t = performance.now();
      const demuxer = new StdioDemuxer(spec.caps.logBytes);
      slot.output.connect(demuxer);
      const dispatchedAt = Date.now();
      await writeSlotJob(slot.dirs, { runId: spec.runId, toolVersionId: spec.toolVersionId, dispatchedAt });
      try {
        await writeLine(slot.stream, `${JSON.stringify({ env: spec.env })}\n`);
      } catch (err) {
        throw new SlotLost(`the job could not be sent: ${errorText(err)}`);
      }
      phases.start = performance.now() - t;
      slot.pool.failures = 0;
      if (mode === "launch") {
        // the harness has its job; output goes on to the container log, which resume reads
        keep = true;
        slot.stream.destroy();
        return null;
      }

      t = performance.now();
      // the run's clock starts at dispatch: the time the container spent waiting is not the script's
      const stop = await steps.supervise(c, dispatchedAt + spec.timeoutMs, spec.signal);
      const ended = await settlesWithin(slot.ended, STREAM_DRAIN_MS);
      if (!ended) log.warn("runner: output stream did not end after the container stopped", { run_id: spec.runId });
      phases.wait = performance.now() - t;
      outcome = await steps.finish(c, spec, stop, demuxer, phases, work);
      // the job line was sent but never arrived (its stdin broke at that instant): nothing ran, retry
      if (neverGotJob(outcome)) outcome = emptyOutcome(c.id, { cancelled: outcome.cancelled });
      return outcome;
    } finally {
      if (!keep) {
        slot.stream.destroy();
        const removeMs = await steps.removeAll(c, work, spec.runId, spec.image);
        if (outcome) {
          outcome.phases = { ...phases, remove: removeMs };
          outcome.durationMs = performance.now() - began;
          log.debug("runner: run finished", { run_id: spec.runId, pool: true, phases: outcome.phases, exit_code: outcome.exitCode });
        }
      }
      ensureFilled(slot.pool);
    }
  }

  /** Replaces idle slots older than maxIdleMs. */
  async function replaceOldSlots(): Promise<void> {
    if (!usable()) return;
    const cutoff = Date.now() - maxIdleMs;
    for (const pool of pools.values()) {
      const old = pool.ready.filter((s) => s.readyAt < cutoff);
      if (old.length === 0) continue;
      pool.ready = pool.ready.filter((s) => s.readyAt >= cutoff);
      for (const slot of old) track(discard(slot));
      ensureFilled(pool);
    }
  }

  /**
   * Idle containers of earlier pools (exited when their server went away) and slot folders nobody uses.
   * Dispatched ones are runs: adoption finds and finishes them. A live pool of another process on this
   * host or daemon keeps its containers: they are running and their owner is alive.
   */
  async function removeLeftovers(): Promise<void> {
    const workRoot = steps.workRoot;
    if (workRoot === undefined || !inner.localIo) return;
    const list = await docker.listContainers({ all: true, filters: { label: [POOL_LABEL] } });
    const inUse = new Set<string>();
    for (const c of list) {
      const slot = c.Mounts.map((m) => (m.Destination === "/work" ? slotDirsOfMount(workRoot, m.Source) : null)).find((s) => s !== null) ?? null;
      const slotOwner = c.Labels[POOL_LABEL] ?? "";
      const dispatched = runIdOfContainerName(c.Names[0]) !== null;
      const oldEnough = Date.now() - c.Created * 1000 > SWEEP_AGE_MS;
      const stale = !dispatched && slotOwner !== owner && (c.State === "exited" || c.State === "dead" || isOwnerGone(slotOwner) || (c.State === "created" && oldEnough));
      if (!stale) {
        if (slot) inUse.add(slot.root);
        continue;
      }
      await docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((err: unknown) => {
          if (statusOf(err) !== 404) throw toDriverError(err, "remove an old warm pool container");
        });
      if (slot) await rm(slot.root, { recursive: true, force: true });
      log.info("runner: removed an idle container of an earlier warm pool", { container_id: c.Id });
    }
    const root = poolRootOf(workRoot);
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names) {
      const dir = join(root, name);
      if (inUse.has(dir)) continue;
      const st = await stat(dir).catch(() => null);
      if (!st || Date.now() - st.mtimeMs < SWEEP_AGE_MS) continue;
      await rm(dir, { recursive: true, force: true }).catch((err: unknown) => log.warn("runner: cannot delete an old warm pool folder", { dir, error: errorText(err) }));
    }
  }

  function stats(): WarmPoolStats {
    let ready = 0;
    let filling = 0;
    for (const pool of pools.values()) {
      ready += pool.ready.length;
      filling += pool.filling;
    }
    return { ready, filling, ...counts };
  }

  function notify(): void {
    for (const w of [...watchers]) w();
  }

  function filledOrStuck(): boolean {
    if (!usable()) return true;
    return [...pools.values()].every((p) => p.ready.length >= size || p.retryAt > Date.now() || p.unsupported);
  }

  function whenFilled(): Promise<void> {
    if (filledOrStuck()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!filledOrStuck()) return;
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
    });
  }

  async function stop(): Promise<void> {
    stopped = true;
    clearInterval(idleTimer);
    for (const pool of [...pools.values()]) retirePool(pool);
    // fills still under way see `stopped` when they finish and discard their slot
    while (busy.size > 0) await Promise.all([...busy]);
    await cleanedUp;
    notify();
  }

  return {
    docker,
    run,
    launch,
    resume: (containerId: string, spec: CollectSpec) => inner.resume(containerId, spec),
    findRunContainers: () => inner.findRunContainers(),
    removeOrphans: (known) => inner.removeOrphans(known),
    ping: () => inner.ping(),
    imageExists: (image) => inner.imageExists(image),
    whenFilled,
    stats,
    stop,
  };
}

function writeLine(stream: AttachStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(line, (err?: Error | null) => (err ? reject(err) : resolve()));
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
