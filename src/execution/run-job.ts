// One leased job, from container to stored result (ARCHITECTURE "A run, end to end" steps 3–4):
// load the run → env, memory.json and input files → driver.run (or driver.resume for an adopted
// container) while heartbeating the lease → judge the outcome (run-outcome.rules.ts) → artifacts into
// the blob store → finalize (lease holder only) → one log line.
//
// Failure policy when the container could not be run at all (a RunnerDriverError):
//   image_missing, invalid_spec → the run fails at once with a message saying what to do;
//   docker_unavailable, container_gone, docker_error → released for another attempt after a back-off
//   (2 s, 4 s, 8 s …) while attempts remain, then failed. docker_unavailable also tells the worker to
//   pause claiming until Docker answers again, so a Docker outage does not burn every queued run's attempts.
// Anything else (a bug, the disk full) fails the run with an internal-error message and logs the stack.
// When the lease is lost mid-run (reaped or taken over), nothing of this attempt is written.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { BlobStore } from "../store/blob-store";
import { memoryJson, normalizeStoredSettings, settingsSchemaHash, validateSettingsSchema } from "../tools/settings-schema.rules";
import type { FinalStatus, JobLease, NewArtifact, QueueRepository, RunWork } from "./queue.repository";
import { judgeOutcome, type RunVerdict } from "./run-outcome.rules";
import { RUN_TEXT, systemSummary } from "./run-messages";
import { buildRunEnv, RUN_CAPS, runLimits, timeoutSeconds } from "./run-env.rules";
import { RunnerDriverError, type CollectSpec, type RunInputFile, type RunnerDriver, type RunOutcome, type RunOutputFile } from "./runner-driver";
import type { RunsRepository } from "./runs.repository";

/** The prom-client objects the workers record into (ops/metrics.ts creates them); structural so that
 *  execution/ does not depend on ops/. */
export type RunMetrics = {
  runQueueDepth: { set(value: number): void };
  runWait: { observe(labels: { kind: string }, seconds: number): void };
  runDuration: { observe(labels: { kind: string }, seconds: number): void };
  runOutcomes: { inc(labels: { status: string; kind: string }): void };
};

export type RunnerSettings = Pick<
  Config["runner"],
  "image" | "memory_mb" | "cpus" | "pids_limit" | "sandbox_timeout_seconds" | "production_timeout_seconds"
>;

export type JobDeps = {
  queue: QueueRepository;
  runs: Pick<RunsRepository, "getSettings">;
  driver: RunnerDriver;
  blobs: BlobStore;
  runner: RunnerSettings;
  /** Where each run's /work/output is collected before its files move into the blob store. */
  scratchDir: string;
  log: Logger;
  metrics?: RunMetrics;
  now: () => Date;
  /** Lease length and heartbeat period (the heartbeat also polls for cancel requests). */
  leaseMs: number;
  heartbeatMs: number;
  /** Called whenever a run's status changed (started, finished, requeued): wakes in-process event streams. */
  notify?: (runId: string) => void;
};

/** What the worker learns from one job. */
export type JobResult = { status: FinalStatus | "released" | "discarded"; dockerDown: boolean };

export type JobMode = { kind: "run" } | { kind: "resume"; containerId: string };

const RETRY_BASE_MS = 2_000;

export async function executeJob(deps: JobDeps, lease: JobLease, mode: JobMode, userCancel?: AbortSignal): Promise<JobResult> {
  const { queue, log } = deps;
  const began = performance.now();
  const kill = new AbortController();
  let leaseLost = false;
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    kill.abort();
  };
  if (userCancel?.aborted) cancel();
  userCancel?.addEventListener("abort", cancel, { once: true });

  let beating = false;
  const heartbeat = setInterval(async () => {
    if (beating) return;
    beating = true;
    try {
      const beat = await queue.heartbeat({ jobId: lease.jobId, owner: lease.owner, leaseMs: deps.leaseMs, now: deps.now() });
      // A lost lease does not kill the container: an adopting process may be resuming it, and a retry
      // removes it before starting its own; the container is bounded by its deadline either way. This
      // worker only stops caring and discards what it gets.
      if (!beat.held) leaseLost = true;
      else if (beat.cancelRequested) cancel();
    } catch (err) {
      // a missed beat is survivable (the lease is long); many in a row let the reaper take the job
      log.warn("worker: heartbeat failed", { run_id: lease.runId, error: errorText(err) });
    } finally {
      beating = false;
    }
  }, deps.heartbeatMs);

  let outputDir: string | null = null;
  let work: RunWork | null = null;
  try {
    work = await queue.getRunWork(lease.runId);
    if (!work) return await finishWithout(deps, lease, null, "failed", systemSummary(RUN_TEXT.versionMissing), began);
    if (mode.kind === "run") deps.metrics?.runWait.observe({ kind: work.kind }, Math.max(0, lease.startedAt.getTime() - lease.queuedAt.getTime()) / 1000);
    await mkdir(deps.scratchDir, { recursive: true });
    outputDir = await mkdtemp(join(deps.scratchDir, "run-"));
    const timeoutS = timeoutSeconds(work.kind, deps.runner);
    const collect: CollectSpec = { runId: work.runId, timeoutMs: timeoutS * 1000, caps: RUN_CAPS, outputDir, signal: kill.signal };

    let outcome: RunOutcome;
    try {
      if (mode.kind === "resume") {
        outcome = await deps.driver.resume(mode.containerId, collect);
      } else {
        if (lease.attempts > 1) {
          // a retry: a cancel may have been requested before the earlier attempt died (no heartbeat would
          // see it before the container starts), and that attempt's container may still exist and would
          // block the new one (containers are named after the run)
          const beat = await queue.heartbeat({ jobId: lease.jobId, owner: lease.owner, leaseMs: deps.leaseMs, now: deps.now() });
          if (!beat.held) return discarded(deps, lease, work, "the lease was lost before the container started");
          if (beat.cancelRequested || cancelled) return await finishWithout(deps, lease, work, "cancelled", systemSummary(RUN_TEXT.cancelled), began);
          await discardRunContainers(deps, work.runId);
        }
        const inputFiles = await loadInputFiles(deps.blobs, work);
        if ("missing" in inputFiles) return await finishWithout(deps, lease, work, "failed", systemSummary(RUN_TEXT.inputFileMissing(inputFiles.missing)), began);
        outcome = await deps.driver.run({
          ...collect,
          toolVersionId: work.toolVersionId,
          image: deps.runner.image,
          env: buildRunEnv({ entrypoint: work.entrypoint, inputs: work.inputs, action: work.action, files: work.files }),
          script: work.source,
          inputFiles: inputFiles.files,
          memoryJson: await loadMemoryJson(deps, work),
          limits: runLimits(deps.runner),
          onContainerCreated: async (containerId) => {
            await queue.setContainerId({ jobId: lease.jobId, owner: lease.owner, runId: lease.runId, containerId });
          },
        });
      }
    } catch (err) {
      return await driverFailure(deps, lease, work, err, began);
    }

    if (leaseLost) return discarded(deps, lease, work, "the lease was lost while the container ran");
    if (!outcome.started && !cancelled) {
      // resume found a container that never started: nothing ran, so another attempt is safe
      return await releaseForRetry(deps, lease, work, "the adopted container had never started", began, false);
    }
    const verdict = judgeOutcome({
      outcome: { ...outcome, cancelled: outcome.cancelled || (cancelled && !outcome.started) },
      isActionRun: work.action !== null,
      source: work.source,
      timeoutSeconds: timeoutS,
      memoryMb: deps.runner.memory_mb,
      logBytes: RUN_CAPS.logBytes,
    });
    const stored = verdict.status === "cancelled" ? [] : await storeArtifacts(deps.blobs, work.runId, outcome.outputFiles);
    const finishedAt = deps.now();
    const ok = await queue.finalize({
      jobId: lease.jobId,
      runId: lease.runId,
      owner: lease.owner,
      status: verdict.status,
      errorSummary: verdict.errorSummary,
      uiPayload: verdict.uiPayload,
      stdout: verdict.stdout,
      stderr: verdict.stderr,
      exitCode: outcome.exitCode,
      oomKilled: outcome.oomKilled,
      durationMs: Math.max(0, finishedAt.getTime() - lease.startedAt.getTime()),
      finishedAt,
      artifacts: stored,
      toolState: stateWrite(work, verdict),
    });
    if (!ok) {
      await Promise.all(stored.map((a) => deps.blobs.delete(a.storageKey)));
      return discarded(deps, lease, work, "the lease was lost before the result was stored");
    }
    return finished(deps, lease, work, verdict.status, began, { exit_code: outcome.exitCode, container_ms: Math.round(outcome.durationMs) });
  } catch (err) {
    log.error("worker: run failed with an internal error", { run_id: lease.runId, error: err instanceof Error ? err : String(err) });
    try {
      return await finishWithout(deps, lease, work, "failed", systemSummary(RUN_TEXT.internalError), began);
    } catch (finalizeErr) {
      // the store itself fails: leave the lease to expire, the reaper retries the run
      log.error("worker: cannot record the failure; the reaper will retry the run", { run_id: lease.runId, error: errorText(finalizeErr) });
      return { status: "discarded", dockerDown: false };
    }
  } finally {
    clearInterval(heartbeat);
    userCancel?.removeEventListener("abort", cancel);
    if (outputDir) await rm(outputDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function stateWrite(work: RunWork, verdict: RunVerdict) {
  if (!verdict.state.write || work.userId === null) return null;
  return { userId: work.userId, toolId: work.toolId, context: work.context, state: verdict.state.state };
}

async function loadInputFiles(blobs: BlobStore, work: RunWork): Promise<{ files: RunInputFile[] } | { missing: string }> {
  const files: RunInputFile[] = [];
  for (const f of work.files) {
    const data = await blobs.get(f.storageKey);
    if (!data) return { missing: f.name };
    files.push({ name: f.name, data });
  }
  return { files };
}

/** memory.json: the user's saved settings for this tool, re-checked against the version's schema. */
async function loadMemoryJson(deps: JobDeps, work: RunWork): Promise<string> {
  const checked = validateSettingsSchema(work.settingsSchema);
  const schema = checked.ok ? checked.schema : null;
  if (!schema || work.userId === null) return memoryJson(normalizeStoredSettings(schema, {}));
  const stored = await deps.runs.getSettings({ userId: work.userId, toolId: work.toolId, schemaHash: settingsSchemaHash(schema), scope: work.kind });
  return memoryJson(normalizeStoredSettings(schema, stored?.values ?? {}));
}

/** Every accepted file of /work/output → blob `runs/<runId>/artifacts/<artifactId>`, with its sha256. */
async function storeArtifacts(blobs: BlobStore, runId: string, files: readonly RunOutputFile[]): Promise<NewArtifact[]> {
  const stored: NewArtifact[] = [];
  try {
    for (const f of files) {
      const id = Bun.randomUUIDv7();
      const storageKey = `runs/${runId}/artifacts/${id}`;
      const hasher = new Bun.CryptoHasher("sha256");
      for await (const chunk of Bun.file(f.hostPath).stream()) hasher.update(chunk);
      const { bytes } = await blobs.put(storageKey, Bun.file(f.hostPath));
      stored.push({ id, path: f.path, bytes, sha256: hasher.digest("hex"), storageKey });
    }
  } catch (err) {
    await Promise.all(stored.map((a) => blobs.delete(a.storageKey)));
    throw err;
  }
  return stored;
}

/**
 * Kills and removes containers of this run left by an earlier attempt. The driver has no "remove" call,
 * so this resumes the container with an already-aborted signal: resume then kills it (if running),
 * skips reading its output, and removes it with its volume.
 */
export async function discardRunContainers(deps: Pick<JobDeps, "driver" | "scratchDir" | "log">, runId: string): Promise<string[]> {
  const stale = (await deps.driver.findRunContainers()).filter((c) => c.runId === runId);
  const removed: string[] = [];
  for (const c of stale) {
    if (await discardContainer(deps, c.containerId, runId)) removed.push(c.containerId);
  }
  return removed;
}

export async function discardContainer(deps: Pick<JobDeps, "driver" | "scratchDir" | "log">, containerId: string, runId: string): Promise<boolean> {
  await mkdir(deps.scratchDir, { recursive: true });
  const outputDir = await mkdtemp(join(deps.scratchDir, "discard-"));
  try {
    // a long deadline, so the (already fired) abort is what stops it: a cancelled container is not collected
    await deps.driver.resume(containerId, { runId, timeoutMs: 86_400_000, caps: RUN_CAPS, outputDir, signal: AbortSignal.abort() });
    deps.log.info("worker: removed a stale run container", { run_id: runId, container_id: containerId });
    return true;
  } catch (err) {
    if (err instanceof RunnerDriverError && err.code === "container_gone") return false;
    deps.log.warn("worker: cannot remove a stale run container", { run_id: runId, container_id: containerId, error: errorText(err) });
    return false;
  } finally {
    await rm(outputDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function driverFailure(deps: JobDeps, lease: JobLease, work: RunWork, err: unknown, began: number): Promise<JobResult> {
  if (!(err instanceof RunnerDriverError)) throw err;
  if (err.code === "image_missing") {
    deps.log.error("worker: the runner image is missing", { image: deps.runner.image, run_id: lease.runId });
    return finishWithout(deps, lease, work, "failed", systemSummary(RUN_TEXT.imageMissing(deps.runner.image)), began);
  }
  if (err.code === "invalid_spec") return finishWithout(deps, lease, work, "failed", systemSummary(RUN_TEXT.invalidSpec(err.message)), began);
  return releaseForRetry(deps, lease, work, `${err.code}: ${err.message}`, began, err.code === "docker_unavailable");
}

async function releaseForRetry(deps: JobDeps, lease: JobLease, work: RunWork, why: string, began: number, dockerDown: boolean): Promise<JobResult> {
  if (lease.attempts >= lease.maxAttempts) {
    deps.log.warn("worker: giving up on a run after its last attempt", { run_id: lease.runId, attempts: lease.attempts, reason: why });
    const r = await finishWithout(deps, lease, work, "failed", systemSummary(RUN_TEXT.runnerUnavailable), began);
    return { ...r, dockerDown };
  }
  const delay = RETRY_BASE_MS * 2 ** (lease.attempts - 1);
  const now = deps.now();
  const ok = await deps.queue.release({ jobId: lease.jobId, owner: lease.owner, availableAt: new Date(now.getTime() + delay), now });
  deps.log.warn(ok ? "worker: run released for another attempt" : "worker: run could not be released (lease lost)", {
    run_id: lease.runId,
    attempts: lease.attempts,
    retry_in_ms: delay,
    reason: why,
  });
  if (ok) deps.notify?.(lease.runId);
  return { status: ok ? "released" : "discarded", dockerDown };
}

/** Finalizes a run that never produced a container outcome (no artifacts, no logs). */
async function finishWithout(deps: JobDeps, lease: JobLease, work: RunWork | null, status: "failed" | "cancelled", message: string, began: number): Promise<JobResult> {
  const finishedAt = deps.now();
  const ok = await deps.queue.finalize({
    jobId: lease.jobId,
    runId: lease.runId,
    owner: lease.owner,
    status,
    errorSummary: message,
    uiPayload: null,
    stdout: null,
    stderr: null,
    exitCode: null,
    oomKilled: null,
    durationMs: Math.max(0, finishedAt.getTime() - lease.startedAt.getTime()),
    finishedAt,
    artifacts: [],
    toolState: null,
  });
  if (!ok) return discarded(deps, lease, work, "the lease was lost before the failure was stored");
  return finished(deps, lease, work, status, began, {});
}

function discarded(deps: JobDeps, lease: JobLease, work: RunWork | null, why: string): JobResult {
  deps.log.warn("worker: run result discarded", { run_id: lease.runId, tool: work?.toolSlug, reason: why });
  return { status: "discarded", dockerDown: false };
}

/** The one line every finished run logs, and its metrics. */
function finished(deps: JobDeps, lease: JobLease, work: RunWork | null, status: FinalStatus, began: number, extra: Record<string, unknown>): JobResult {
  deps.notify?.(lease.runId);
  const kind = work?.kind ?? "production";
  const seconds = (performance.now() - began) / 1000;
  deps.metrics?.runDuration.observe({ kind }, seconds);
  deps.metrics?.runOutcomes.inc({ status, kind });
  deps.log.info("run finished", {
    run_id: lease.runId,
    tool: work?.toolSlug ?? null,
    tool_version_id: work?.toolVersionId ?? null,
    version: work?.versionNumber ?? null,
    user_id: work?.userId ?? null,
    kind,
    outcome: status,
    duration_ms: Math.round(seconds * 1000),
    wait_ms: lease.startedAt.getTime() - lease.queuedAt.getTime(),
    attempt: lease.attempts,
    ...extra,
  });
  return { status, dockerDown: false };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
