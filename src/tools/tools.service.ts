// Importing tool folders (tool.json + tool.py) into the store, and listing tools. Import is
// idempotent by slug and content hash: the same folder imported twice changes nothing, a changed
// script, schema or instruction text becomes a new version, and --publish makes it the active one.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { AuditActor } from "../audit/audit.actions";
import { createAuditRepository, type AuditRepository } from "../audit/audit.repository";
import { recordAudit } from "../audit/audit.service";
import type { Store } from "../store/db";
import { checkToolManifest, formatManifestProblem, MANIFEST_FILE, SOURCE_FILE, type ManifestProblem, type ToolManifest } from "./tool-manifest.rules";
import { createToolsRepository, type ToolRecord, type ToolsRepository, type ToolVersionRecord } from "./tools.repository";
import { contentHash, planPublish } from "./tools.rules";

export type ToolsDeps = { tools: ToolsRepository; audit: AuditRepository; now: () => Date };

export function createToolsDeps(store: Store, now: () => Date = () => new Date()): ToolsDeps {
  return { tools: createToolsRepository(store), audit: createAuditRepository(store), now };
}

/** A tool folder that cannot be imported; `problems` name file, JSON pointer and what to fix. */
export class ToolImportError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(problems.map(formatManifestProblem).join("\n"));
    this.name = "ToolImportError";
  }
}

export type ImportSource =
  /** A folder holding tool.json and tool.py. */
  | { dir: string }
  /** The two files' texts, e.g. from an upload; the names are only used in messages. */
  | { manifestText: string; source: string; manifestFile?: string; sourceFile?: string };

export type ImportToolInput = ImportSource & { publish: boolean; actor: AuditActor; note?: string | null };

export type ImportReport = {
  tool: ToolRecord;
  /** The version whose content equals the folder: new, or the existing one with the same hash. */
  version: ToolVersionRecord;
  /** The tool did not exist before. */
  created: boolean;
  /** Anything was written: a tool, a version, tool fields, or a publish. false = "unchanged". */
  changed: boolean;
  versionCreated: boolean;
  /** Tool fields this import changed (title, summary, professions, categories). */
  fieldsChanged: string[];
  /** This import made the version active or the tool published. */
  published: boolean;
  /** The version that was active before and is archived now, if any. */
  archivedVersion: number | null;
};

/** Reads a tool folder; unreadable or missing files and non-UTF-8 text become import problems. */
export async function readToolFolder(dir: string): Promise<{ manifestText: string; source: string; manifestFile: string; sourceFile: string }> {
  const manifestFile = join(dir, MANIFEST_FILE);
  const sourceFile = join(dir, SOURCE_FILE);
  const problems: ManifestProblem[] = [];
  const read = async (file: string): Promise<string> => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const message =
        code === "ENOENT"
          ? `is missing. A tool folder holds ${MANIFEST_FILE} (title, slug, schemas) and ${SOURCE_FILE} (the script).`
          : `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))}). Check the path and its permissions.`;
      problems.push({ file, path: "", message });
      return "";
    }
    try {
      // A BOM is what Windows editors put first; JSON.parse and the textual checks must not see it.
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
    } catch {
      problems.push({ file, path: "", message: "is not UTF-8 text. Save it with UTF-8 encoding." });
      return "";
    }
  };
  const manifestText = await read(manifestFile);
  const source = await read(sourceFile);
  if (problems.length) throw new ToolImportError(problems);
  return { manifestText, source, manifestFile, sourceFile };
}

/** Subfolders of `root` that hold a tool.json, sorted by name (for `tool import --all`). */
export async function findToolFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const dirs: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const dir = join(root, e.name);
    if (await stat(join(dir, MANIFEST_FILE)).then((s) => s.isFile(), () => false)) dirs.push(dir);
  }
  return dirs;
}

async function loadManifest(input: ImportSource): Promise<{ manifest: ToolManifest; source: string }> {
  const files = "dir" in input ? await readToolFolder(resolve(input.dir)) : input;
  const check = checkToolManifest(files);
  if (!check.ok) throw new ToolImportError(check.problems);
  return { manifest: check.manifest, source: files.source };
}

function changedFields(tool: ToolRecord, m: ToolManifest): string[] {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const fields: string[] = [];
  if (tool.title !== m.title) fields.push("title");
  if (tool.summary !== m.summary) fields.push("summary");
  if (!same(tool.professions, m.professions)) fields.push("professions");
  if (!same(tool.categories, m.categories)) fields.push("categories");
  return fields;
}

function toolSnapshot(t: ToolRecord) {
  return { slug: t.slug, title: t.title, summary: t.summary, professions: t.professions, categories: t.categories, is_published: t.isPublished };
}

/** The tool with this slug, created from the manifest if it does not exist yet (also under a race). */
async function getOrCreateTool(deps: ToolsDeps, m: ToolManifest): Promise<{ tool: ToolRecord; created: boolean }> {
  const existing = await deps.tools.getBySlug(m.slug);
  if (existing) return { tool: existing, created: false };
  const fields = { slug: m.slug, title: m.title, summary: m.summary, professions: m.professions, categories: m.categories };
  const tool = await deps.tools.create({ ...fields, now: deps.now() });
  if (tool) return { tool, created: true };
  const winner = await deps.tools.getBySlug(m.slug);
  if (!winner) throw new Error(`tool "${m.slug}" was neither created nor found`);
  return { tool: winner, created: false };
}

/**
 * Makes `version` the tool's active version and publishes the tool, archiving the previous active
 * version, in one transaction. Retried when a concurrent change moved a state in between.
 */
async function publishVersion(deps: ToolsDeps, tool: ToolRecord, version: ToolVersionRecord): Promise<{ published: boolean; archived: ToolVersionRecord[] }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const versions = await deps.tools.listVersions(tool.id);
    const current = (await deps.tools.getById(tool.id)) ?? tool;
    // The operator importing with --publish is the reviewer (tools.rules.ts, bypassReview).
    const plan = planPublish(versions, version.id, { bypassReview: true });
    if (!plan.ok) throw new Error(plan.problem);
    if (plan.changes.length === 0 && current.isPublished && current.activeVersionId === version.id) return { published: false, archived: [] };
    const ok = await deps.tools.applyStateChanges({ toolId: tool.id, changes: plan.changes, activeVersionId: version.id, isPublished: true, now: deps.now() });
    if (ok) {
      const archivedIds = new Set(plan.changes.filter((c) => c.to === "archived").map((c) => c.versionId));
      return { published: true, archived: versions.filter((v) => archivedIds.has(v.id)) };
    }
  }
  throw new Error(`tool "${tool.slug}": publishing kept colliding with concurrent changes; try again`);
}

export async function importTool(deps: ToolsDeps, input: ImportToolInput): Promise<ImportReport> {
  const { manifest: m, source } = await loadManifest(input);
  const { actor } = input;
  const { tool: found, created } = await getOrCreateTool(deps, m);
  let tool = found;

  const fieldsChanged = created ? [] : changedFields(tool, m);
  if (fieldsChanged.length) {
    const r = await deps.tools.update(tool.id, { title: m.title, summary: m.summary, professions: m.professions, categories: m.categories }, deps.now());
    if (!r.ok) throw new Error(`tool "${m.slug}" could not be updated (${r.reason})`);
    tool = r.tool;
  }
  if (created || fieldsChanged.length) {
    await recordAudit(deps, {
      actor,
      action: "tool.imported",
      target: { type: "tool", id: tool.id },
      before: created ? null : toolSnapshot(found),
      after: toolSnapshot(tool),
    });
  }

  const content = { source, entrypoint: m.entrypoint, input_schema: m.input_schema, settings_schema: m.settings_schema, usage_instructions: m.usage_instructions };
  const hash = contentHash(content);
  // Any version with this content counts, not only the newest: importing an older script again
  // finds that version (and --publish rolls back to it) instead of duplicating it.
  let version = await deps.tools.findVersionByContentHash(tool.id, hash);
  const versionCreated = version === null;
  if (!version) {
    const newest = (await deps.tools.listVersions(tool.id)).at(-1) ?? null;
    version = await deps.tools.createVersion({
      toolId: tool.id,
      state: "draft",
      source,
      entrypoint: m.entrypoint,
      inputSchema: m.input_schema,
      settingsSchema: m.settings_schema,
      usageInstructions: m.usage_instructions,
      contentHash: hash,
      parentVersionId: newest?.id ?? null,
      createdBy: actor.kind === "user" ? actor.id : null,
      note: input.note ?? null,
      now: deps.now(),
    });
    await recordAudit(deps, {
      actor,
      action: "version.created",
      target: { type: "tool_version", id: version.id },
      before: null,
      after: { slug: tool.slug, number: version.number, parent_version_id: version.parentVersionId },
    });
  }

  let published = false;
  let archived: ToolVersionRecord[] = [];
  if (input.publish) {
    const before = (await deps.tools.getById(tool.id)) ?? tool;
    const previousActive = before.activeVersionId ? await deps.tools.getVersion(before.activeVersionId) : null;
    ({ published, archived } = await publishVersion(deps, tool, version));
    if (published) {
      tool = (await deps.tools.getById(tool.id)) ?? tool;
      version = (await deps.tools.getVersion(version.id)) ?? version;
      await recordAudit(deps, {
        actor,
        action: "version.published",
        target: { type: "tool_version", id: version.id },
        before: { slug: tool.slug, active_version: previousActive?.number ?? null, tool_published: before.isPublished },
        after: { slug: tool.slug, active_version: version.number, archived_versions: archived.map((v) => v.number) },
      });
    }
  }

  const changed = created || fieldsChanged.length > 0 || versionCreated || published;
  return { tool, version, created, changed, versionCreated, fieldsChanged, published, archivedVersion: archived[0]?.number ?? null };
}

export type ToolListItem = { slug: string; title: string; isPublished: boolean; activeVersion: number | null };

/** Every tool (or only published ones), sorted by slug, with its active version number. */
export async function listTools(deps: Pick<ToolsDeps, "tools">, { publishedOnly = false } = {}): Promise<ToolListItem[]> {
  const tools = await deps.tools.list({ publishedOnly });
  const items: ToolListItem[] = [];
  for (const t of tools) {
    const active = t.activeVersionId ? await deps.tools.getVersion(t.activeVersionId) : null;
    items.push({ slug: t.slug, title: t.title, isPublished: t.isPublished, activeVersion: active?.number ?? null });
  }
  return items;
}
