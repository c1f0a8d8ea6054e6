// One suite, run against SQLite and (when configured) PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createIdentityRepositories } from "../identity/identity.deps";
import { createToolsRepository, type NewToolVersion, type ToolRecord, type ToolsRepository } from "./tools.repository";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const T1 = new Date("2026-03-02T09:30:00.000Z");

for (const kind of testStoreKinds()) {
  describe(`tools repository on ${kind}`, () => {
    let store: Store;
    let repo: ToolsRepository;
    let counter = 0;

    beforeAll(async () => {
      store = await openTestStore(kind);
      repo = createToolsRepository(store);
    });
    afterAll(async () => store?.close());

    async function newTool(overrides: Partial<{ slug: string; title: string }> = {}): Promise<ToolRecord> {
      const slug = overrides.slug ?? `verktyg-${++counter}`;
      const tool = await repo.create({ slug, title: overrides.title ?? `Verktyg ${counter}`, summary: "", professions: [], categories: [], now: T0 });
      if (!tool) throw new Error(`slug ${slug} taken`);
      return tool;
    }

    function version(toolId: string, overrides: Partial<NewToolVersion> = {}): NewToolVersion {
      return {
        toolId,
        state: "draft",
        source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n",
        entrypoint: "run_tool",
        inputSchema: [],
        settingsSchema: null,
        usageInstructions: "",
        contentHash: `hash-${++counter}`,
        parentVersionId: null,
        createdBy: null,
        note: null,
        now: T0,
        ...overrides,
      };
    }

    test("create stores every field and starts unpublished", async () => {
      const tool = await repo.create({
        slug: "betyg-csv",
        title: "Betyg från CSV",
        summary: "Sammanställer betyg.",
        professions: ["larare", "mentor"],
        categories: ["betyg"],
        now: T0,
      });
      expect(tool).toEqual({
        id: expect.any(String),
        slug: "betyg-csv",
        title: "Betyg från CSV",
        summary: "Sammanställer betyg.",
        isPublished: false,
        activeVersionId: null,
        professions: ["larare", "mentor"],
        categories: ["betyg"],
        createdAt: T0,
        updatedAt: T0,
      });
      expect(await repo.getById(tool!.id)).toEqual(tool);
      expect(await repo.getBySlug("betyg-csv")).toEqual(tool);
      expect(await repo.getBySlug("finns-inte")).toBeNull();
      expect(await repo.getById("finns-inte")).toBeNull();
    });

    test("a taken slug gives null and leaves the first tool alone", async () => {
      const first = await newTool({ slug: "dubblett", title: "Första" });
      expect(await repo.create({ slug: "dubblett", title: "Andra", summary: "", professions: [], categories: [], now: T1 })).toBeNull();
      expect(await repo.getBySlug("dubblett")).toEqual(first);
    });

    test("update changes only the given fields; a taken slug or unknown id changes nothing", async () => {
      const tool = await newTool({ slug: "uppdatera-mig" });
      await newTool({ slug: "upptagen" });
      const r = await repo.update(tool.id, { title: "Ny titel", categories: ["elevdata"] }, T1);
      expect(r).toEqual({ ok: true, tool: { ...tool, title: "Ny titel", categories: ["elevdata"], updatedAt: T1 } });
      expect(await repo.update(tool.id, { slug: "upptagen", title: "Ska inte sparas" }, T1)).toEqual({ ok: false, reason: "slug_taken" });
      expect((await repo.getById(tool.id))?.title).toBe("Ny titel");
      expect(await repo.update("finns-inte", { title: "x" }, T1)).toEqual({ ok: false, reason: "not_found" });
      const renamed = await repo.update(tool.id, { slug: "nytt-namn" }, T1);
      expect(renamed.ok && renamed.tool.slug).toBe("nytt-namn");
    });

    test("versions get the tool's next number and keep their content", async () => {
      const user = await createIdentityRepositories(store).users.create({
        email: `author-${kind}@skola.se`,
        passwordHash: "not-a-real-hash",
        role: "contributor",
        active: true,
        emailVerified: true,
        firstName: "A",
        lastName: "B",
        locale: null,
      now: T0,
      });
      const tool = await newTool();
      const other = await newTool();
      const inputSchema = [{ kind: "file", name: "fil", label: "Fil", accept: [".csv"], min: 1, max: 1 }];
      const settingsSchema = [{ kind: "boolean", name: "rubriker", label: "Första raden är rubriker" }];
      const v1 = await repo.createVersion(version(tool.id, { inputSchema, settingsSchema, usageInstructions: "Så här", createdBy: user!.id, note: "första" }));
      const o1 = await repo.createVersion(version(other.id));
      const v2 = await repo.createVersion(version(tool.id, { parentVersionId: v1.id, now: T1 }));
      expect(v1).toEqual({
        id: expect.any(String),
        toolId: tool.id,
        number: 1,
        state: "draft",
        source: "def run_tool(input_dir, output_dir):\n    return 'hej'\n",
        entrypoint: "run_tool",
        inputSchema,
        settingsSchema,
        usageInstructions: "Så här",
        contentHash: v1.contentHash,
        parentVersionId: null,
        createdBy: user!.id,
        note: "första",
        createdAt: T0,
      });
      expect(o1.number).toBe(1);
      expect(v2).toMatchObject({ number: 2, parentVersionId: v1.id, settingsSchema: null, createdAt: T1 });
      expect(await repo.getVersion(v2.id)).toEqual(v2);
      expect(await repo.getVersion("finns-inte")).toBeNull();
      expect((await repo.listVersions(tool.id)).map((v) => v.number)).toEqual([1, 2]);
      expect(await repo.listVersions("finns-inte")).toEqual([]);
    });

    test("concurrent version creation never reuses a number", async () => {
      const tool = await newTool();
      const created = await Promise.all(Array.from({ length: 8 }, () => repo.createVersion(version(tool.id))));
      expect(created.map((v) => v.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    test("findVersionByContentHash finds the newest match of that tool only", async () => {
      const tool = await newTool();
      const other = await newTool();
      await repo.createVersion(version(tool.id, { contentHash: "samma" }));
      await repo.createVersion(version(tool.id, { contentHash: "annan" }));
      const newest = await repo.createVersion(version(tool.id, { contentHash: "samma" }));
      expect((await repo.findVersionByContentHash(tool.id, "samma"))?.id).toBe(newest.id);
      expect(await repo.findVersionByContentHash(other.id, "samma")).toBeNull();
      expect(await repo.findVersionByContentHash(tool.id, "ingen")).toBeNull();
    });

    test("publishing moves states and sets the tool's active version in one step", async () => {
      const tool = await newTool();
      const v1 = await repo.createVersion(version(tool.id));
      const ok = await repo.applyStateChanges({
        toolId: tool.id,
        changes: [{ versionId: v1.id, from: "draft", to: "active" }],
        activeVersionId: v1.id,
        isPublished: true,
        now: T1,
      });
      expect(ok).toBe(true);
      expect(await repo.getById(tool.id)).toEqual({ ...tool, isPublished: true, activeVersionId: v1.id, updatedAt: T1 });
      expect((await repo.getVersion(v1.id))?.state).toBe("active");

      const v2 = await repo.createVersion(version(tool.id, { state: "in_review", parentVersionId: v1.id }));
      const ok2 = await repo.applyStateChanges({
        toolId: tool.id,
        changes: [
          { versionId: v1.id, from: "active", to: "archived" },
          { versionId: v2.id, from: "in_review", to: "active" },
        ],
        activeVersionId: v2.id,
        now: T1,
      });
      expect(ok2).toBe(true);
      expect((await repo.listVersions(tool.id)).map((v) => [v.number, v.state])).toEqual([
        [1, "archived"],
        [2, "active"],
      ]);
      expect(await repo.getById(tool.id)).toMatchObject({ isPublished: true, activeVersionId: v2.id });
    });

    test("a stale expected state applies nothing at all", async () => {
      const tool = await newTool();
      const v1 = await repo.createVersion(version(tool.id, { state: "active" }));
      const v2 = await repo.createVersion(version(tool.id, { state: "in_review" }));
      await repo.applyStateChanges({ toolId: tool.id, changes: [], activeVersionId: v1.id, isPublished: true, now: T0 });
      const ok = await repo.applyStateChanges({
        toolId: tool.id,
        changes: [
          { versionId: v2.id, from: "in_review", to: "active" },
          // v1 is active, not archived: a concurrent change "won", so the whole set rolls back
          { versionId: v1.id, from: "archived", to: "active" },
        ],
        activeVersionId: v2.id,
        now: T1,
      });
      expect(ok).toBe(false);
      expect((await repo.getVersion(v2.id))?.state).toBe("in_review");
      expect(await repo.getById(tool.id)).toMatchObject({ activeVersionId: v1.id, updatedAt: T0 });
    });

    test("a version of another tool cannot be moved through this tool", async () => {
      const tool = await newTool();
      const other = await newTool();
      const foreign = await repo.createVersion(version(other.id));
      const ok = await repo.applyStateChanges({ toolId: tool.id, changes: [{ versionId: foreign.id, from: "draft", to: "in_review" }], now: T1 });
      expect(ok).toBe(false);
      expect((await repo.getVersion(foreign.id))?.state).toBe("draft");
    });

    test("list is sorted by slug and can show only published tools", async () => {
      const all = await repo.list();
      const slugs = all.map((t) => t.slug);
      expect(slugs).toEqual([...slugs].sort());
      expect(slugs).toContain("betyg-csv");
      const published = await repo.list({ publishedOnly: true });
      expect(published.length).toBeGreaterThan(0);
      expect(published.every((t) => t.isPublished)).toBe(true);
      expect(published.map((t) => t.id)).toEqual(all.filter((t) => t.isPublished).map((t) => t.id));
    });
  });
}
