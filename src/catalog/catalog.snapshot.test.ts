// The in-memory catalog snapshot: reused while the store's revision stands, rebuilt once when it
// moves — also when the change came from outside this process's services — and built only once for
// concurrent requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createToolsRepository } from "../tools/tools.repository";
import { createCatalogRepository, type CatalogRepository } from "./catalog.repository";
import { createTaxonomyRepository } from "./taxonomy.repository";
import { createSnapshotCache, loadSnapshot } from "./catalog.snapshot";

const T0 = new Date("2026-03-01T08:00:00.000Z");

for (const kind of testStoreKinds()) {
  describe(`catalog snapshot on ${kind}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openTestStore(kind);
    });
    afterAll(async () => store?.close());

    async function publishedTool(slug: string, title: string, professions: string[]) {
      const tools = createToolsRepository(store);
      const t = (await tools.create({ slug, title, summary: "", professions, categories: [], now: T0 }))!;
      const v = await tools.createVersion({
        toolId: t.id,
        state: "draft",
        source: "x",
        entrypoint: "run_tool",
        inputSchema: [],
        settingsSchema: null,
        usageInstructions: "",
        contentHash: slug,
        parentVersionId: null,
        createdBy: null,
        note: null,
        now: T0,
      });
      await tools.applyStateChanges({ toolId: t.id, changes: [{ versionId: v.id, from: "draft", to: "active" }], activeVersionId: v.id, isPublished: true, now: T0 });
      return t;
    }

    test("reused while the revision stands, rebuilt after any change to tools or the taxonomy", async () => {
      let builds = 0;
      const real = createCatalogRepository(store);
      // counts how often the snapshot loads the published tools, i.e. how often it is built
      const catalog: CatalogRepository = { ...real, listPublished: (f) => (builds++, real.listPublished(f)) };
      const deps = { catalog, taxonomy: createTaxonomyRepository(store), snapshots: createSnapshotCache() };

      await publishedTool("ostron", "Östron", ["larare"]);
      await publishedTool("abborre", "Abborre", ["rektor"]);
      const first = await loadSnapshot(deps);
      expect(first.tools.map((t) => t.slug)).toEqual(["abborre", "ostron"]);
      expect(first.tools.map((t) => t.titleRank)).toEqual([0, 1]);
      expect(first.bySlug.get("ostron")?.professions.map((e) => e.slug)).toEqual(["larare"]);
      expect(await loadSnapshot(deps)).toBe(first);
      expect(builds).toBe(1);

      // written by other repository instances, as `tool import` in another process would
      await publishedTool("zebra", "Zebra", []);
      const second = await loadSnapshot(deps);
      expect(second.tools.map((t) => t.slug)).toEqual(["abborre", "zebra", "ostron"]);
      expect(builds).toBe(2);

      const larare = (await deps.taxonomy.getBySlug("professions", "larare"))!;
      await createTaxonomyRepository(store).rename("professions", larare.id, { labelSv: "Lärarna" });
      const third = await loadSnapshot(deps);
      expect(third.professions.bySlug.get("larare")?.labelSv).toBe("Lärarna");
      expect(builds).toBe(3);

      // concurrent requests after a change share one build
      await createToolsRepository(store).update(first.bySlug.get("abborre")!.id, { title: "Gädda" }, T0);
      const all = await Promise.all([loadSnapshot(deps), loadSnapshot(deps), loadSnapshot(deps)]);
      expect(new Set(all).size).toBe(1);
      expect(all[0]!.tools.map((t) => t.title)).toEqual(["Gädda", "Zebra", "Östron"]);
      expect(builds).toBe(4);
    });
  });
}
