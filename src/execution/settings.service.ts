// A user's saved settings for a tool (tool contract §7): read and saved through the API; the worker
// (run-job.ts) reads them with runs.getSettings and delivers them in /work/memory.json. Values are kept per (user, tool, hash of the settings
// schema, scope): a schema change that affects values starts from fresh settings, a label fix does not
// (settingsSchemaHash). Saving names the revision it replaces; a stale one is refused (409).
import type { AuthUser } from "../http/http-context";
import type { Locale } from "../http/errors";
import { toErrorDetails } from "../tools/input-schema.rules";
import { normalizeStoredSettings, settingsSchemaHash, validateSettingsSchema, validateSettingsValues } from "../tools/settings-schema.rules";
import type { ActionField, JsonObject } from "./contract.types";
import type { ExecutionDeps } from "./execution.deps";
import { RunErrors } from "./runs.errors";
import type { SettingsScope } from "./runs.repository";
import { requireRunnableTool } from "./runs.service";

export type SettingsView = { schema: ActionField[] | null; values: JsonObject; rev: number };

/** The schema of a version's settings, or null (none, or — logged — a stored schema that no longer validates). */
function settingsSchemaOf(deps: Pick<ExecutionDeps, "log">, raw: unknown, where: string): ActionField[] | null {
  const checked = validateSettingsSchema(raw);
  if (checked.ok) return checked.schema;
  deps.log.error("stored settings schema is invalid; the tool gets no settings", { tool_version: where, problem: checked.errors[0]?.en });
  return null;
}

async function readSettings(deps: Pick<ExecutionDeps, "runs">, key: { userId: string; toolId: string; scope: SettingsScope }, schema: ActionField[] | null): Promise<SettingsView> {
  if (!schema) return { schema: null, values: {}, rev: 0 };
  const stored = await deps.runs.getSettings({ ...key, schemaHash: settingsSchemaHash(schema) });
  return { schema, values: normalizeStoredSettings(schema, stored?.values), rev: stored?.rev ?? 0 };
}

/** GET /tools/{slug}/settings: the schema, the saved values (still valid ones, defaults filled in) and their revision (0 = never saved). */
export async function getToolSettings(deps: ExecutionDeps, viewer: AuthUser, slug: string): Promise<SettingsView> {
  const { tool, version } = await requireRunnableTool(deps, slug, viewer);
  const schema = settingsSchemaOf(deps, version.settingsSchema, version.id);
  return readSettings(deps, { userId: viewer.id, toolId: tool.id, scope: "production" }, schema);
}

export type SaveSettingsInput = { viewer: AuthUser; slug: string; values: unknown; expectedRev: number; locale: Locale };

/** PUT /tools/{slug}/settings: validated like a form (unknown keys and bad values are errors), then stored if the revision is current. */
export async function saveToolSettings(deps: ExecutionDeps, input: SaveSettingsInput): Promise<SettingsView> {
  const { tool, version } = await requireRunnableTool(deps, input.slug, input.viewer);
  const schema = settingsSchemaOf(deps, version.settingsSchema, version.id);
  if (!schema) throw RunErrors.settingsUnavailable();
  const checked = validateSettingsValues(schema, input.values);
  if (!checked.ok) throw RunErrors.invalidSettings(toErrorDetails(checked.errors, input.locale, "/values"));
  const saved = await deps.runs.saveSettings({
    userId: input.viewer.id,
    toolId: tool.id,
    schemaHash: settingsSchemaHash(schema),
    scope: "production",
    values: checked.values,
    expectedRev: input.expectedRev,
    now: deps.now(),
  });
  if (!saved.ok) throw RunErrors.settingsConflict({ expected_rev: input.expectedRev, current_rev: saved.currentRev });
  return { schema, values: normalizeStoredSettings(schema, checked.values), rev: saved.rev };
}
