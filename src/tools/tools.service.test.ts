import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createToolsDeps, findToolFolders, importTool, listTools, ToolImportError, type ToolsDeps } from "./tools.service";

const EXAMPLE_DIR = join(import.meta.dir, "testdata", "csv-table");
const root = mkdtempSync(join(tmpdir(), "skt-tools-service-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folderCounter = 0;

type Manifest = Record<string, unknown>;

/** A copy of the example tool folder with its own slug, so tests do not share tools. */
function toolFolder(slug: string, edit: (m: Manifest) => void = () => {}): string {
  const dir = join(root, `tool-${folderCounter++}`);
  cpSync(EXAMPLE_DIR, dir, { recursive: true });
  editManifest(dir, (m) => {
    m.slug = slug;
    edit(m);
  });
  return dir;
}

function editManifest(dir: string, edit: (m: Manifest) => void): void {
  const m = JSON.parse(readFileSync(join(dir, "tool.json"), "utf8")) as Manifest;
  edit(m);
  writeFileSync(join(dir, "tool.json"), JSON.stringify(m, null, 2));
}

function appendSource(dir: string, text: string): void {
  writeFileSync(join(dir, "tool.py"), readFileSync(join(dir, "tool.py"), "utf8") + text);
}

async function importError(p: Promise<unknown>): Promise<ToolImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ToolImportError) return e;
    throw e;
  }
  throw new Error("expected a ToolImportError");
}

for (const kind of testStoreKinds()) {
  describe(`tool import on ${kind}`, () => {
    let store: Store;
    let deps: ToolsDeps;
    let clock = Date.parse("2026-03-01T08:00:00.000Z");
    const cli = { kind: "cli" } as const;

    beforeAll(async () => {
      store = await openTestStore(kind);
      // Each call a millisecond later, so audit events and timestamps have a stable order.
      deps = createToolsDeps(store, () => new Date(clock++));
    });
    afterAll(async () => store?.close());

    const auditFor = async (slug: string) => {
      const tool = await deps.tools.getBySlug(slug);
      const versionIds = new Set((await deps.tools.listVersions(tool!.id)).map((v) => v.id));
      return (await deps.audit.list()).filter((e) => e.targetId === tool!.id || versionIds.has(e.targetId ?? ""));
    };

    test("a new tool without --publish gets a draft version 1 and stays unpublished", async () => {
      const r = await importTool(deps, { dir: toolFolder("ny-utkast"), publish: false, actor: cli });
      expect(r).toMatchObject({ created: true, changed: true, versionCreated: true, published: false, fieldsChanged: [], archivedVersion: null });
      expect(r.tool).toMatchObject({ slug: "ny-utkast", title: "Visa CSV som tabell", isPublished: false, activeVersionId: null, professions: ["larare"], categories: ["elevdata"] });
      expect(r.version).toMatchObject({ number: 1, state: "draft", entrypoint: "run_tool", parentVersionId: null, createdBy: null });
      expect(r.version.source).toBe(readFileSync(join(EXAMPLE_DIR, "tool.py"), "utf8"));
      expect(r.version.inputSchema).toEqual(JSON.parse(readFileSync(join(EXAMPLE_DIR, "tool.json"), "utf8")).input_schema);

      const events = await auditFor("ny-utkast");
      expect(events.map((e) => [e.action, e.actorId])).toEqual([
        ["tool.imported", "cli"],
        ["version.created", "cli"],
      ]);
      expect(events[0]).toMatchObject({ targetType: "tool", targetId: r.tool.id, before: null, after: { slug: "ny-utkast", is_published: false } });
      expect(events[1]).toMatchObject({ targetType: "tool_version", targetId: r.version.id, after: { slug: "ny-utkast", number: 1, parent_version_id: null } });
    });

    test("importing the same folder again changes nothing, whatever the JSON formatting", async () => {
      const dir = toolFolder("samma-igen");
      const first = await importTool(deps, { dir, publish: true, actor: cli });
      const auditBefore = (await auditFor("samma-igen")).length;
      // Same values, different key order and indentation: the content hash is over canonical JSON.
      const m = JSON.parse(readFileSync(join(dir, "tool.json"), "utf8")) as Manifest;
      writeFileSync(join(dir, "tool.json"), JSON.stringify(Object.fromEntries(Object.entries(m).reverse())));
      for (const publish of [false, true]) {
        const again = await importTool(deps, { dir, publish, actor: cli });
        expect(again).toMatchObject({ created: false, changed: false, versionCreated: false, published: false, fieldsChanged: [] });
        expect(again.version.id).toBe(first.version.id);
        expect(again.tool).toEqual(first.tool);
      }
      expect(await deps.tools.listVersions(first.tool.id)).toHaveLength(1);
      expect(await auditFor("samma-igen")).toHaveLength(auditBefore);
    });

    test("a changed script becomes a new version whose parent is the previous newest", async () => {
      const dir = toolFolder("ny-version");
      const v1 = await importTool(deps, { dir, publish: false, actor: cli });
      appendSource(dir, "\n# ändring 1\n");
      const v2 = await importTool(deps, { dir, publish: false, actor: cli });
      editManifest(dir, (m) => (m.usage_instructions = "Nya instruktioner."));
      const v3 = await importTool(deps, { dir, publish: false, actor: cli });
      expect(v2).toMatchObject({ created: false, changed: true, versionCreated: true, published: false });
      expect(v2.version).toMatchObject({ number: 2, state: "draft", parentVersionId: v1.version.id });
      expect(v3.version).toMatchObject({ number: 3, state: "draft", parentVersionId: v2.version.id, usageInstructions: "Nya instruktioner." });
      expect((await auditFor("ny-version")).map((e) => e.action)).toEqual(["tool.imported", "version.created", "version.created", "version.created"]);
    });

    test("title, summary and tags are updated on the tool without a new version", async () => {
      const dir = toolFolder("metadata");
      const first = await importTool(deps, { dir, publish: false, actor: cli });
      editManifest(dir, (m) => {
        m.title = "Ny titel";
        m.categories = ["elevdata", "betyg"];
      });
      const r = await importTool(deps, { dir, publish: false, actor: cli });
      expect(r).toMatchObject({ created: false, changed: true, versionCreated: false, fieldsChanged: ["title", "categories"] });
      expect(r.tool).toMatchObject({ title: "Ny titel", categories: ["elevdata", "betyg"], summary: first.tool.summary });
      expect(r.version.id).toBe(first.version.id);
      const last = (await auditFor("metadata")).at(-1);
      expect(last).toMatchObject({
        action: "tool.imported",
        before: { title: "Visa CSV som tabell", categories: ["elevdata"] },
        after: { title: "Ny titel", categories: ["elevdata", "betyg"] },
      });
    });

    test("--publish activates the new version and archives the previous active one", async () => {
      const dir = toolFolder("publicera");
      const v1 = await importTool(deps, { dir, publish: true, actor: cli });
      expect(v1).toMatchObject({ created: true, changed: true, versionCreated: true, published: true, archivedVersion: null });
      expect(v1.tool).toMatchObject({ isPublished: true, activeVersionId: v1.version.id });
      expect(v1.version.state).toBe("active");

      appendSource(dir, "\n# v2\n");
      const v2 = await importTool(deps, { dir, publish: true, actor: cli });
      expect(v2).toMatchObject({ created: false, versionCreated: true, published: true, archivedVersion: 1 });
      expect(v2.tool).toMatchObject({ isPublished: true, activeVersionId: v2.version.id });
      expect((await deps.tools.listVersions(v2.tool.id)).map((v) => [v.number, v.state])).toEqual([
        [1, "archived"],
        [2, "active"],
      ]);
      const published = (await auditFor("publicera")).filter((e) => e.action === "version.published");
      expect(published.map((e) => [e.targetId, e.before, e.after])).toEqual([
        [v1.version.id, { slug: "publicera", active_version: null, tool_published: false }, { slug: "publicera", active_version: 1, archived_versions: [] }],
        [v2.version.id, { slug: "publicera", active_version: 1, tool_published: true }, { slug: "publicera", active_version: 2, archived_versions: [1] }],
      ]);
    });

    test("without --publish a change on a published tool is a draft; the active version stays", async () => {
      const dir = toolFolder("publicerad-utkast");
      const v1 = await importTool(deps, { dir, publish: true, actor: cli });
      appendSource(dir, "\n# utkast\n");
      const v2 = await importTool(deps, { dir, publish: false, actor: cli });
      expect(v2.version).toMatchObject({ number: 2, state: "draft" });
      expect(v2.tool).toMatchObject({ isPublished: true, activeVersionId: v1.version.id });
      // Importing the same folder with --publish now publishes that draft, without another version.
      const v2p = await importTool(deps, { dir, publish: true, actor: cli });
      expect(v2p).toMatchObject({ changed: true, versionCreated: false, published: true, archivedVersion: 1 });
      expect(v2p.version).toMatchObject({ id: v2.version.id, state: "active" });
    });

    test("importing an older script again finds its version; --publish rolls back to it", async () => {
      const dir = toolFolder("aterstall");
      const v1 = await importTool(deps, { dir, publish: true, actor: cli });
      const original = readFileSync(join(dir, "tool.py"), "utf8");
      appendSource(dir, "\n# v2\n");
      await importTool(deps, { dir, publish: true, actor: cli });
      writeFileSync(join(dir, "tool.py"), original);
      const back = await importTool(deps, { dir, publish: true, actor: cli });
      expect(back).toMatchObject({ versionCreated: false, published: true, archivedVersion: 2 });
      expect(back.version).toMatchObject({ id: v1.version.id, number: 1, state: "active" });
      expect((await deps.tools.listVersions(back.tool.id)).map((v) => [v.number, v.state])).toEqual([
        [1, "active"],
        [2, "archived"],
      ]);
    });

    test("the manifest and source can be given as text", async () => {
      const r = await importTool(deps, {
        manifestText: JSON.stringify({ slug: "fran-text", title: "Från text", entrypoint: "main" }),
        source: "def main(input_dir, output_dir):\n    return '<p>hej</p>'\n",
        publish: true,
        actor: cli,
      });
      expect(r.tool).toMatchObject({ slug: "fran-text", isPublished: true, summary: "" });
      expect(r.version).toMatchObject({ entrypoint: "main", inputSchema: [], settingsSchema: null, state: "active" });
    });

    test("a bad folder is refused with precise problems and writes nothing", async () => {
      const dir = toolFolder("trasig", (m) => {
        m.slug = "Trasig Slug";
        m.entrypoint = "kör";
        m.extra = true;
      });
      const e = await importError(importTool(deps, { dir, publish: true, actor: cli }));
      expect(e.problems.map((p) => [p.file, p.path])).toEqual([
        [join(dir, "tool.json"), "/extra"],
        [join(dir, "tool.json"), "/slug"],
        [join(dir, "tool.json"), "/entrypoint"],
      ]);
      expect(e.message).toContain(`${join(dir, "tool.json")}: /slug: "Trasig Slug" is not a valid slug`);
      expect(await deps.tools.getBySlug("trasig-slug")).toBeNull();
    });

    test("missing files, non-UTF-8 text and a missing entrypoint are reported per file", async () => {
      const empty = join(root, `empty-${folderCounter++}`);
      mkdirSync(empty);
      const missing = await importError(importTool(deps, { dir: empty, publish: false, actor: cli }));
      expect(missing.problems).toEqual([
        { file: join(empty, "tool.json"), path: "", message: "is missing. A tool folder holds tool.json (title, slug, schemas) and tool.py (the script)." },
        { file: join(empty, "tool.py"), path: "", message: "is missing. A tool folder holds tool.json (title, slug, schemas) and tool.py (the script)." },
      ]);

      const latin1 = toolFolder("latin1");
      writeFileSync(join(latin1, "tool.py"), Buffer.from([0x23, 0x20, 0xe5, 0x0a])); // "# å" in ISO-8859-1
      const encoding = await importError(importTool(deps, { dir: latin1, publish: false, actor: cli }));
      expect(encoding.problems).toEqual([{ file: join(latin1, "tool.py"), path: "", message: "is not UTF-8 text. Save it with UTF-8 encoding." }]);

      const noEntry = toolFolder("utan-entrypoint", (m) => (m.entrypoint = "main"));
      const entry = await importError(importTool(deps, { dir: noEntry, publish: false, actor: cli }));
      expect(entry.problems).toEqual([{ file: join(noEntry, "tool.py"), path: "", message: expect.stringContaining('has no top-level "def main("') }]);
    });

    test("a UTF-8 BOM (as Windows editors write it) is accepted", async () => {
      const dir = toolFolder("bom");
      writeFileSync(join(dir, "tool.json"), "\uFEFF" + readFileSync(join(dir, "tool.json"), "utf8"));
      const r = await importTool(deps, { dir, publish: false, actor: cli });
      expect(r.tool.slug).toBe("bom");
    });

    test("listTools shows every tool with its active version number", async () => {
      const items = await listTools(deps);
      expect(items.find((t) => t.slug === "ny-utkast")).toEqual({ slug: "ny-utkast", title: "Visa CSV som tabell", isPublished: false, activeVersion: null });
      expect(items.find((t) => t.slug === "publicera")).toEqual({ slug: "publicera", title: "Visa CSV som tabell", isPublished: true, activeVersion: 2 });
      const published = await listTools(deps, { publishedOnly: true });
      expect(published.every((t) => t.isPublished)).toBe(true);
      expect(published.map((t) => t.slug)).toContain("aterstall");
    });
  });
}

test("findToolFolders lists the subfolders that hold a tool.json, sorted", async () => {
  const bank = join(root, "bank");
  for (const name of ["b-verktyg", "a-verktyg", "inte-ett-verktyg"]) mkdirSync(join(bank, name), { recursive: true });
  writeFileSync(join(bank, "b-verktyg", "tool.json"), "{}");
  writeFileSync(join(bank, "a-verktyg", "tool.json"), "{}");
  writeFileSync(join(bank, "inte-ett-verktyg", "README.md"), "");
  writeFileSync(join(bank, "tool.json"), "{}"); // a file at the top is not a tool folder
  expect(await findToolFolders(bank)).toEqual([join(bank, "a-verktyg"), join(bank, "b-verktyg")]);
});
