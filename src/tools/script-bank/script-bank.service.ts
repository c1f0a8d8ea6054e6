// Seeding the built-in script bank (index.gen.ts) into the store: every tool is imported and its
// version published through importTool, the same path as `skriptoteket tool import --publish`.
//
// Idempotent and respectful of later edits: a tool that already has a version with the bank's exact
// content is left alone ("unchanged") — even when an administrator has since published a version of
// their own, edited its title or unpublished it — so running seed on every start never rolls anything
// back. Only a tool that is missing, or whose bank content is new (a newer binary), is imported and
// published ("created" / "updated").
import { checkToolManifest, type ManifestProblem } from "../tool-manifest.rules";
import { importTool, ToolImportError, type ToolsDeps } from "../tools.service";
import { contentHash } from "../tools.rules";
import { scriptBank, type ScriptBankTool } from "./index.gen";

export type SeedOutcome =
  | { slug: string; status: "created" | "updated"; version: number }
  | { slug: string; status: "unchanged"; version: number }
  | { slug: string; status: "failed"; problems: ManifestProblem[] };

const NOTE = "Skriptbanken (skriptoteket seed)";

function files(tool: ScriptBankTool) {
  return {
    manifestText: tool.manifestText,
    source: tool.source,
    manifestFile: `script-bank/${tool.slug}/tool.json`,
    sourceFile: `script-bank/${tool.slug}/tool.py`,
  };
}

/** The version of this tool that already holds the bank's content, if any. */
async function existingVersion(deps: ToolsDeps, tool: ScriptBankTool): Promise<number | null> {
  const check = checkToolManifest(files(tool));
  if (!check.ok) return null; // importTool reports the problems
  const m = check.manifest;
  const stored = await deps.tools.getBySlug(m.slug);
  if (!stored) return null;
  const hash = contentHash({ source: tool.source, entrypoint: m.entrypoint, input_schema: m.input_schema, settings_schema: m.settings_schema, usage_instructions: m.usage_instructions });
  return (await deps.tools.findVersionByContentHash(stored.id, hash))?.number ?? null;
}

export async function seedScriptBank(deps: ToolsDeps, bank: readonly ScriptBankTool[] = scriptBank): Promise<SeedOutcome[]> {
  const outcomes: SeedOutcome[] = [];
  for (const tool of bank) {
    const version = await existingVersion(deps, tool);
    if (version !== null) {
      outcomes.push({ slug: tool.slug, status: "unchanged", version });
      continue;
    }
    try {
      const report = await importTool(deps, { ...files(tool), publish: true, actor: { kind: "cli" }, note: NOTE });
      outcomes.push({ slug: report.tool.slug, status: report.created ? "created" : "updated", version: report.version.number });
    } catch (e) {
      if (!(e instanceof ToolImportError)) throw e;
      outcomes.push({ slug: tool.slug, status: "failed", problems: e.problems });
    }
  }
  return outcomes;
}
