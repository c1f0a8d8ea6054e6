// What a run's container gets, computed from the run and the site's config (tool contract §2 and §8).
// Pure: the worker passes the results to the driver unchanged.
import type { Config } from "../config/config.keys";
import { CONTRACT_LIMITS } from "./contract.types";
import { DEFAULT_RUN_CAPS, DEFAULT_RUN_LIMITS, type RunCaps, type RunLimits } from "./runner-driver";

export const SCRIPT_PATH = "/work/script.py";
export const INPUT_DIR = "/work/input";
export const OUTPUT_DIR = "/work/output";
export const RESULT_PATH = "/work/result.json";
export const MEMORY_PATH = "/work/memory.json";
export const HOME_DIR = "/tmp/home";

export type RunEnvInput = {
  entrypoint: string;
  /** Normalized non-file form values of a first run; ignored on action runs (the contract sends {}). */
  inputs: Record<string, unknown>;
  /** {action_id, input, state} on action runs, null on first runs. */
  action: Record<string, unknown> | null;
  /** Uploaded files in upload order; names are already sanitized (upload-names.rules.ts). */
  files: readonly { name: string; bytes: number }[];
};

/** The SKRIPTOTEKET_* environment of §2; JSON values are compact UTF-8. */
export function buildRunEnv({ entrypoint, inputs, action, files }: RunEnvInput): Record<string, string> {
  const manifest = { files: files.map((f) => ({ name: f.name, path: `${INPUT_DIR}/${f.name}`, bytes: f.bytes })) };
  const env: Record<string, string> = {
    SKRIPTOTEKET_SCRIPT_PATH: SCRIPT_PATH,
    SKRIPTOTEKET_ENTRYPOINT: entrypoint,
    SKRIPTOTEKET_INPUT_DIR: INPUT_DIR,
    SKRIPTOTEKET_OUTPUT_DIR: OUTPUT_DIR,
    SKRIPTOTEKET_RESULT_PATH: RESULT_PATH,
    SKRIPTOTEKET_INPUT_MANIFEST: JSON.stringify(manifest),
    SKRIPTOTEKET_INPUTS: JSON.stringify(action === null ? inputs : {}),
    SKRIPTOTEKET_MEMORY_PATH: MEMORY_PATH,
    HOME: HOME_DIR,
    XDG_CACHE_HOME: `${HOME_DIR}/.cache`,
  };
  if (action !== null) env.SKRIPTOTEKET_ACTION = JSON.stringify(action);
  return env;
}

type RunnerConfig = Pick<Config["runner"], "memory_mb" | "cpus" | "pids_limit" | "sandbox_timeout_seconds" | "production_timeout_seconds">;

export function runLimits(runner: RunnerConfig): RunLimits {
  return {
    ...DEFAULT_RUN_LIMITS,
    memoryBytes: runner.memory_mb * 1024 * 1024,
    nanoCpus: runner.cpus * 1_000_000_000,
    pidsLimit: runner.pids_limit,
  };
}

/**
 * The driver's default caps, except result.json: a tool may return more raw output than the stored
 * payload keeps (e.g. a 10,000-row table cut to 750), so the file may be as large as result.rules
 * accepts and the payload rules do the cutting, with a notice, instead of failing the run.
 */
export const RUN_CAPS: RunCaps = { ...DEFAULT_RUN_CAPS, resultBytes: CONTRACT_LIMITS.resultBytes };

export function timeoutSeconds(kind: "production" | "sandbox", runner: RunnerConfig): number {
  return kind === "sandbox" ? runner.sandbox_timeout_seconds : runner.production_timeout_seconds;
}
