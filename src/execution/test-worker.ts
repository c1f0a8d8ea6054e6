// Test helper for the Docker-backed worker suites: the runner image check (skip locally when Docker or
// the image is missing, fail with CI=true, like docker-driver.test.ts), the contract test tool, job deps
// over a real driver, and waiting for a run to finish.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "../log/logger";
import { createFsBlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { createDockerDriver, type DockerDriver } from "./docker-driver";
import { createQueueRepository } from "./queue.repository";
import type { JobDeps } from "./run-job";
import { createRunsRepository, type RunRecord, type RunsRepository } from "./runs.repository";

export const TEST_IMAGE = process.env.SKRIPTOTEKET_TEST_RUNNER_IMAGE || "skriptoteket-runner:latest";
export const TEST_DOCKER_HOST = process.env.SKRIPTOTEKET_TEST_DOCKER_HOST ?? "";
export const CONTRACT_TOOL_DIR = join(import.meta.dir, "testdata", "contract-tool");
export const CONTRACT_TOOL_SOURCE = readFileSync(join(CONTRACT_TOOL_DIR, "tool.py"), "utf8");
export const CONTRACT_TOOL_SETTINGS = JSON.parse(readFileSync(join(CONTRACT_TOOL_DIR, "tool.json"), "utf8")).settings_schema as unknown[];

/** Whether the Docker suites can run here; with CI=true a missing daemon or image is an error instead. */
export async function dockerAvailability(suite: string): Promise<{ skip: boolean }> {
  const driver = createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log: createLogger({ level: "error" }) });
  const reachable = await driver.ping().then(
    () => true,
    () => false,
  );
  const present = reachable && (await driver.imageExists(TEST_IMAGE));
  if (!present && process.env.CI === "true") throw new Error(`${suite}: Docker or the image ${TEST_IMAGE} is missing (CI=true)`);
  if (!present) console.warn(`${suite}: skipped — ${reachable ? `image ${TEST_IMAGE} is missing (runner/build-image.sh)` : "Docker is not reachable"}`);
  return { skip: !present };
}

/** A logger that keeps its JSON lines for assertions. */
export function memoryLogger(): { log: Logger; lines: string[]; records(msg: string): Record<string, unknown>[] } {
  const lines: string[] = [];
  return {
    log: createLogger({ level: "info", write: (l) => lines.push(l) }),
    lines,
    records: (msg) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === msg),
  };
}

/** Job deps plus their temporary data folder (blobs, scratch), which `cleanup` removes. */
export type TestJobDeps = JobDeps & { driver: DockerDriver; runsRepo: RunsRepository; dataDir: string; cleanup(): void };

export function createTestJobDeps(store: Store, log: Logger, runner: Partial<JobDeps["runner"]> = {}): TestJobDeps {
  const dataDir = mkdtempSync(join(tmpdir(), "skt-worker-data-"));
  const runsRepo = createRunsRepository(store);
  return {
    queue: createQueueRepository(store),
    runs: runsRepo,
    runsRepo,
    driver: createDockerDriver({ dockerHost: TEST_DOCKER_HOST, log }),
    blobs: createFsBlobStore(dataDir),
    runner: { image: TEST_IMAGE, memory_mb: 256, cpus: 1, pids_limit: 256, sandbox_timeout_seconds: 60, production_timeout_seconds: 120, ...runner },
    scratchDir: join(dataDir, "tmp", "runs"),
    log,
    now: () => new Date(),
    leaseMs: 30_000,
    heartbeatMs: 300,
    dataDir,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

const TERMINAL = new Set(["succeeded", "failed", "timed_out", "cancelled"]);

export async function waitForRun(runs: RunsRepository, runId: string, { timeoutMs = 60_000, until = (r: RunRecord) => TERMINAL.has(r.status) } = {}): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runs.getRun(runId);
    if (run && until(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} is still ${run?.status ?? "missing"} after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}
