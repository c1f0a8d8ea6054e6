// The editor's sandbox: the unsaved buffer is stored as an immutable snapshot (a tool_versions row
// numbered ≤ 0, tools.repository.ts) and run through the ordinary queue as a run of kind "sandbox":
// sandbox limits and timeout, settings in scope "sandbox", and state and session files in their own
// context, so nothing mixes with the author's production use of the tool. The run API and its event
// stream then serve the run; stdout/stderr are shown to its author (runs.service.ts mayReadLogs).
import type { Locale } from "../http/errors";
import type { AuthUser } from "../http/http-context";
import { toErrorDetails } from "../tools/input-schema.rules";
import { normalizeStoredSettings, settingsSchemaHash, validateSettingsSchema, validateSettingsValues } from "../tools/settings-schema.rules";
import { contentHash } from "../tools/tools.rules";
import { RunErrors } from "../execution/runs.errors";
import type { SessionFilesMode } from "../execution/runs.repository";
import { submitActionOf, submitRunOf, type RunnableTool } from "../execution/runs.service";
import type { ActionField, JsonObject } from "../execution/contract.types";
import type { AuthoringDeps } from "./authoring.deps";
import { AuthoringErrors } from "./authoring.errors";
import type { VersionContentInput } from "./authoring.rules";
import { requireEditableTool } from "./authoring.service";
import { requireValidContent } from "./versions.service";

/**
 * The context of every sandbox run. The public API's context pattern cannot start with "~", so no
 * production run can share this state or these session files.
 */
export const SANDBOX_CONTEXT = "~sandbox";

export async function createSandboxSnapshot(
  deps: AuthoringDeps,
  viewer: AuthUser,
  toolId: string,
  input: VersionContentInput,
  locale: Locale,
): Promise<{ snapshot_id: string; settings_schema: unknown[] | null }> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  const content = requireValidContent(input, locale);
  const snapshot = await deps.tools.saveSandboxSnapshot({
    toolId: tool.id,
    source: content.source,
    entrypoint: content.entrypoint,
    inputSchema: content.input_schema,
    settingsSchema: content.settings_schema,
    usageInstructions: content.usage_instructions,
    contentHash: contentHash(content),
    createdBy: viewer.id,
    now: deps.now(),
  });
  return { snapshot_id: snapshot.id, settings_schema: snapshot.settingsSchema };
}

async function requireSnapshot(deps: AuthoringDeps, viewer: AuthUser, toolId: string, snapshotId: string): Promise<RunnableTool> {
  const tool = await requireEditableTool(deps, viewer, toolId);
  const version = await deps.tools.getSandboxSnapshot(tool.id, snapshotId);
  if (!version) throw AuthoringErrors.snapshotNotFound();
  return { tool, version };
}

export type SandboxRunInput = { snapshotId: string; inputs: unknown; files: File[]; sessionFilesMode?: SessionFilesMode; locale: Locale };

export async function runSandbox(deps: AuthoringDeps, viewer: AuthUser, toolId: string, input: SandboxRunInput): Promise<{ run_id: string }> {
  const runnable = await requireSnapshot(deps, viewer, toolId, input.snapshotId);
  const { runId } = await submitRunOf(deps.execution, runnable, "sandbox", {
    viewer,
    inputs: input.inputs,
    files: input.files,
    context: SANDBOX_CONTEXT,
    sessionFilesMode: input.sessionFilesMode,
    locale: input.locale,
  });
  return { run_id: runId };
}

export type SandboxActionInput = { snapshotId: string; actionId: string; input: unknown; expectedStateRev: number; locale: Locale };

export async function runSandboxAction(deps: AuthoringDeps, viewer: AuthUser, toolId: string, input: SandboxActionInput): Promise<{ run_id: string }> {
  const runnable = await requireSnapshot(deps, viewer, toolId, input.snapshotId);
  const { runId } = await submitActionOf(deps.execution, runnable, "sandbox", {
    viewer,
    actionId: input.actionId,
    input: input.input,
    expectedStateRev: input.expectedStateRev,
    context: SANDBOX_CONTEXT,
    locale: input.locale,
  });
  return { run_id: runId };
}

export type SettingsView = { schema: ActionField[] | null; values: JsonObject; rev: number };

function schemaOf(runnable: RunnableTool): ActionField[] | null {
  const checked = validateSettingsSchema(runnable.version.settingsSchema);
  // Snapshots are validated when stored; a failure here would be a bug, not the author's mistake.
  if (!checked.ok) throw new Error(`sandbox snapshot ${runnable.version.id}: stored settings schema is invalid`);
  return checked.schema;
}

export async function getSandboxSettings(deps: AuthoringDeps, viewer: AuthUser, toolId: string, snapshotId: string): Promise<SettingsView> {
  const runnable = await requireSnapshot(deps, viewer, toolId, snapshotId);
  const schema = schemaOf(runnable);
  if (!schema) return { schema: null, values: {}, rev: 0 };
  const stored = await deps.execution.runs.getSettings({ userId: viewer.id, toolId: runnable.tool.id, schemaHash: settingsSchemaHash(schema), scope: "sandbox" });
  return { schema, values: normalizeStoredSettings(schema, stored?.values), rev: stored?.rev ?? 0 };
}

export async function saveSandboxSettings(
  deps: AuthoringDeps,
  viewer: AuthUser,
  toolId: string,
  input: { snapshotId: string; values: unknown; expectedRev: number; locale: Locale },
): Promise<SettingsView> {
  const runnable = await requireSnapshot(deps, viewer, toolId, input.snapshotId);
  const schema = schemaOf(runnable);
  if (!schema) throw RunErrors.settingsUnavailable();
  const checked = validateSettingsValues(schema, input.values);
  if (!checked.ok) throw RunErrors.invalidSettings(toErrorDetails(checked.errors, input.locale, "/values"));
  const saved = await deps.execution.runs.saveSettings({
    userId: viewer.id,
    toolId: runnable.tool.id,
    schemaHash: settingsSchemaHash(schema),
    scope: "sandbox",
    values: checked.values,
    expectedRev: input.expectedRev,
    now: deps.now(),
  });
  if (!saved.ok) throw RunErrors.settingsConflict({ expected_rev: input.expectedRev, current_rev: saved.currentRev });
  return { schema, values: normalizeStoredSettings(schema, checked.values), rev: saved.rev };
}
