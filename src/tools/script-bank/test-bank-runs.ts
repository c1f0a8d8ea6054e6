// Test helper: runs script-bank tools in the real runner image, the way the server does it.
//
//   first run:  form values normalized by the input schema (defaults, required, accept on the
//               file bytes) → SKRIPTOTEKET_INPUTS; settings normalized by the settings schema →
//               memory.json; env from buildRunEnv (tool-contract §2); driver.run
//   action run: the pressed action must be in the previous run's normalized next_actions, its
//               input is normalized by the action's fields, the state is the previous run's state
//               after the 64 KiB budget
//   afterwards: result.json parsed strictly (parseResult) and normalized (normalizePayload);
//               `systemNotices` lists every intervention the server would have made.
// Also `runPython` (a throw-away script through the same harness, for making fixtures and for
// opening artifacts again) and `dockerState()` for the CI-fails / local-skips decision.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FormAction, InputField, JsonObject, NoticeOutput, RunnerResult, UiOutput, UiPayload } from "../../execution/contract.types";
import { findNextAction, validateActionInput } from "../../execution/actions.rules";
import { createDockerDriver } from "../../execution/docker-driver";
import { normalizePayload } from "../../execution/payload.rules";
import { parseResult } from "../../execution/result.rules";
import { buildRunEnv, RUN_CAPS } from "../../execution/run-env.rules";
import { DEFAULT_RUN_LIMITS, type RunOutcome } from "../../execution/runner-driver";
import { fitStateToBudget } from "../../execution/state.rules";
import { createLogger } from "../../log/logger";
import { SNIFF_BYTES, validateRunInputs } from "../input-schema.rules";
import { memoryJson, normalizeStoredSettings, validateSettingsSchema } from "../settings-schema.rules";
import { checkToolManifest, type ToolManifest } from "../tool-manifest.rules";
import { scriptBank } from "./index.gen";

export const IMAGE = process.env.SKRIPTOTEKET_TEST_RUNNER_IMAGE || "skriptoteket-runner:latest";
const RUN_TIMEOUT_MS = 60_000;

const scratch = mkdtempSync(join(tmpdir(), "skt-bank-"));
const driver = createDockerDriver({
  dockerHost: process.env.SKRIPTOTEKET_TEST_DOCKER_HOST ?? "",
  log: createLogger({ level: "warn", write: (line) => console.error(line) }),
  workRoot: join(scratch, "runs"),
});

/** Whether Docker answers and the runner image is there. */
export async function dockerState(): Promise<{ ok: boolean; why: string }> {
  try {
    await driver.ping();
  } catch {
    return { ok: false, why: "Docker is not reachable" };
  }
  return (await driver.imageExists(IMAGE)) ? { ok: true, why: "" } : { ok: false, why: `image ${IMAGE} is missing (runner/build-image.sh)` };
}

export function removeScratch(): void {
  rmSync(scratch, { recursive: true, force: true });
}

export type UploadFile = { name: string; data: Uint8Array };

export type BankRun = {
  slug: string;
  result: RunnerResult;
  /** What the run page would render. */
  payload: UiPayload;
  /** Notices the payload rules added ("System notice: …"); empty for a well-behaved tool. */
  systemNotices: NoticeOutput[];
  /** The state the server would keep for the next action run (after the budget). */
  state: JsonObject;
  /** Artifact name (path under output/) → bytes. */
  artifacts: Map<string, Uint8Array>;
  stdout: string;
  stderr: string;
};

export function manifestOf(slug: string): ToolManifest {
  const tool = scriptBank.find((t) => t.slug === slug);
  if (!tool) throw new Error(`no tool "${slug}" in the script bank`);
  const check = checkToolManifest({ manifestText: tool.manifestText, source: tool.source });
  if (!check.ok) throw new Error(`${slug}: invalid tool.json: ${JSON.stringify(check.problems)}`);
  return check.manifest;
}

function sourceOf(slug: string): string {
  return scriptBank.find((t) => t.slug === slug)!.source;
}

async function execute(input: { script: string; entrypoint: string; env: Record<string, string>; files: UploadFile[]; memory: string }): Promise<{ outcome: RunOutcome; outDir: string }> {
  const runId = Bun.randomUUIDv7();
  const outDir = join(scratch, `out-${runId}`);
  mkdirSync(outDir);
  const outcome = await driver.run({
    runId,
    toolVersionId: "script-bank-test",
    image: IMAGE,
    env: input.env,
    script: input.script,
    inputFiles: input.files.map((f) => ({ name: f.name, data: f.data })),
    memoryJson: input.memory,
    limits: DEFAULT_RUN_LIMITS,
    caps: RUN_CAPS,
    timeoutMs: RUN_TIMEOUT_MS,
    outputDir: outDir,
  });
  if (outcome.timedOut || outcome.oomKilled || outcome.resultJson === null) {
    throw new Error(`run did not finish (timedOut=${outcome.timedOut}, oom=${outcome.oomKilled}, result=${outcome.resultProblem})\n${outcome.stderr}`);
  }
  return { outcome, outDir };
}

function parsed(outcome: RunOutcome): RunnerResult {
  const check = parseResult(outcome.resultJson!);
  if (!check.ok) throw new Error(`result.json refused: ${check.reason}`);
  return check.result;
}

export type RunOptions = {
  /** Form values as a browser sends them (strings are fine: the server normalizes). */
  values?: Record<string, unknown>;
  files?: UploadFile[];
  /** Stored settings (normalized against the settings schema like the server does). */
  settings?: Record<string, unknown>;
};

/** A first run of a bank tool. The form must be valid (use `formErrors` to test invalid forms). */
export async function runBankTool(slug: string, options: RunOptions = {}): Promise<BankRun> {
  const manifest = manifestOf(slug);
  const files = options.files ?? [];
  const form = validateRunInputs({
    schema: manifest.input_schema as InputField[],
    values: options.values ?? {},
    files: files.map((f) => ({ name: f.name, head: f.data.subarray(0, SNIFF_BYTES) })),
  });
  if (!form.ok) throw new Error(`${slug}: the form is invalid: ${JSON.stringify(form.errors.map((e) => [e.path, e.en]))}`);
  const env = buildRunEnv({ entrypoint: manifest.entrypoint, inputs: form.values, action: null, files: files.map((f) => ({ name: f.name, bytes: f.data.length })) });
  return finish(slug, await execute({ script: sourceOf(slug), entrypoint: manifest.entrypoint, env, files, memory: settingsMemory(manifest, options.settings) }));
}

/** The form errors (English) the server would answer a first run with, as [path, message]. */
export function formErrors(slug: string, values: Record<string, unknown>, files: UploadFile[] = []): [string, string][] {
  const manifest = manifestOf(slug);
  const form = validateRunInputs({
    schema: manifest.input_schema as InputField[],
    values,
    files: files.map((f) => ({ name: f.name, head: f.data.subarray(0, SNIFF_BYTES) })),
  });
  return form.ok ? [] : form.errors.map((e) => [e.path, e.en]);
}

/** An action run continuing `previous` by pressing `actionId` with `input`. */
export async function runBankAction(previous: BankRun, actionId: string, input: Record<string, unknown> = {}, settings?: Record<string, unknown>): Promise<BankRun> {
  const manifest = manifestOf(previous.slug);
  const action: FormAction | null = findNextAction(previous.payload.next_actions, actionId);
  if (!action) throw new Error(`${previous.slug}: no next action "${actionId}" (offered: ${previous.payload.next_actions.map((a) => a.action_id).join(", ")})`);
  const checked = validateActionInput(action, input);
  if (!checked.ok) throw new Error(`${previous.slug}: action input invalid: ${JSON.stringify(checked.errors.map((e) => [e.path, e.en]))}`);
  const env = buildRunEnv({
    entrypoint: manifest.entrypoint,
    inputs: {},
    action: { action_id: actionId, input: checked.values, state: previous.state },
    files: [],
  });
  return finish(previous.slug, await execute({ script: sourceOf(previous.slug), entrypoint: manifest.entrypoint, env, files: [], memory: settingsMemory(manifest, settings) }));
}

function settingsMemory(manifest: ToolManifest, settings: Record<string, unknown> | undefined): string {
  const schema = validateSettingsSchema(manifest.settings_schema ?? []);
  if (!schema.ok) throw new Error(`${manifest.slug}: invalid settings schema`);
  return memoryJson(normalizeStoredSettings(schema.schema, settings ?? {}));
}

function finish(slug: string, { outcome, outDir }: { outcome: RunOutcome; outDir: string }): BankRun {
  const result = parsed(outcome);
  const { payload, notices } = normalizePayload({ outputs: result.outputs, next_actions: result.next_actions });
  const { state, droppedKeys } = fitStateToBudget(result.state ?? {});
  if (droppedKeys.length) throw new Error(`${slug}: state over budget, dropped ${droppedKeys.join(", ")}`);
  const artifacts = new Map<string, Uint8Array>();
  for (const file of outcome.outputFiles) artifacts.set(file.path.replace(/^output\//, ""), new Uint8Array(readFileSync(file.hostPath)));
  rmSync(outDir, { recursive: true, force: true });
  return { slug, result, payload, systemNotices: notices, state, artifacts, stdout: outcome.stdout, stderr: outcome.stderr };
}

/**
 * Runs `source` (a Python script with run_tool(input_dir, output_dir)) in the runner image with
 * `files` in /work/input. Returns the value of its first json output and the files it wrote.
 */
export async function runPython(source: string, files: UploadFile[] = []): Promise<{ value: unknown; files: Map<string, Uint8Array> }> {
  const env = buildRunEnv({ entrypoint: "run_tool", inputs: {}, action: null, files: files.map((f) => ({ name: f.name, bytes: f.data.length })) });
  const { outcome, outDir } = await execute({ script: source, entrypoint: "run_tool", env, files, memory: '{"settings":{}}' });
  const result = parsed(outcome);
  if (result.status !== "succeeded") throw new Error(`helper script failed: ${result.error_summary}\n${outcome.stderr}`);
  const written = new Map<string, Uint8Array>();
  for (const file of outcome.outputFiles) written.set(file.path.replace(/^output\//, ""), new Uint8Array(readFileSync(file.hostPath)));
  rmSync(outDir, { recursive: true, force: true });
  const json = result.outputs.find((o): o is { kind: "json"; value: unknown } => typeof o === "object" && o !== null && (o as { kind?: unknown }).kind === "json");
  return { value: json?.value ?? null, files: written };
}

// ---------- reading a payload in tests ----------

export function outputsOf<K extends UiOutput["kind"]>(run: BankRun, kind: K): Extract<UiOutput, { kind: K }>[] {
  return run.payload.outputs.filter((o): o is Extract<UiOutput, { kind: K }> => o.kind === kind);
}

export function tableOf(run: BankRun, title: string): Extract<UiOutput, { kind: "table" }> {
  const table = outputsOf(run, "table").find((t) => t.title === title || t.title?.startsWith(title));
  if (!table) throw new Error(`${run.slug}: no table "${title}" (tables: ${outputsOf(run, "table").map((t) => t.title).join(", ")})`);
  return table;
}

export function noticeTexts(run: BankRun): string[] {
  return outputsOf(run, "notice").map((n) => n.message);
}

export function artifact(run: BankRun, name: string): UploadFile {
  const data = run.artifacts.get(name);
  if (!data) throw new Error(`${run.slug}: no artifact ${name} (artifacts: ${[...run.artifacts.keys()].join(", ")})`);
  return { name, data };
}
