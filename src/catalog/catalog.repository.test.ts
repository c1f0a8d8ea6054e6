// The catalog and taxonomy repositories and the sync triggers behind them, one suite on SQLite and
// (when configured) PostgreSQL. Tools are written through the tools repository, as import does, so
// what is tested is what production writes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { openTestStore, testStoreKinds } from "../store/test-db";
import type { Store } from "../store/db";
import { createToolsRepository, type ToolsRepository } from "../tools/tools.repository";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";
import { createRunsRepository } from "../execution/runs.repository";
import { insertTestUser } from "../execution/test-runs";
import { createCatalogRepository, type CatalogRepository } from "./catalog.repository";
import { createTaxonomyRepository, type TaxonomyRepository } from "./taxonomy.repository";
import { parseSearchQuery } from "./search.rules";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

for (const kind of testStoreKinds()) {
  describe(`catalog repositories on ${kind}`, () => {
    let store: Store;
    let tools: ToolsRepository;
    let catalog: CatalogRepository;
    let taxonomy: TaxonomyRepository;
    let n = 0;

    beforeAll(async () => {
      store = await openTestStore(kind);
      tools = createToolsRepository(store);
      catalog = createCatalogRepository(store);
      taxonomy = createTaxonomyRepository(store);
    });
    afterAll(async () => store?.close());

    type ToolSpec = { title?: string; summary?: string; professions?: string[]; categories?: string[]; instructions?: string; publish?: boolean; now?: Date };
    /** A tool with one version; published (active version + flag) unless publish: false. */
    async function tool(spec: ToolSpec = {}) {
      const slug = `verktyg-${++n}`;
      const now = spec.now ?? T0;
      const t = await tools.create({ slug, title: spec.title ?? `Verktyg ${n}`, summary: spec.summary ?? "", professions: spec.professions ?? [], categories: spec.categories ?? [], now });
      if (!t) throw new Error("slug taken");
      const v = await version(t.id, spec.instructions ?? "", now);
      if (spec.publish !== false) await publish(t.id, v.id, now);
      return { id: t.id, slug, versionId: v.id };
    }
    async function version(toolId: string, instructions: string, now = T0) {
      return tools.createVersion({
        toolId,
        state: "draft",
        source: "def run_tool(i, o):\n    return 1\n",
        entrypoint: "run_tool",
        inputSchema: [],
        settingsSchema: null,
        usageInstructions: instructions,
        contentHash: `h-${++n}`,
        parentVersionId: null,
        createdBy: null,
        note: null,
        now,
      });
    }
    async function publish(toolId: string, versionId: string, now: Date) {
      const active = (await tools.listVersions(toolId)).filter((v) => v.state === "active");
      const changes = [...active.map((v) => ({ versionId: v.id, from: "active" as const, to: "archived" as const })), { versionId, from: "draft" as const, to: "active" as const }];
      expect(await tools.applyStateChanges({ toolId, changes, activeVersionId: versionId, isPublished: true, now })).toBe(true);
    }
    async function setPublished(toolId: string, isPublished: boolean, now: Date) {
      expect(await tools.applyStateChanges({ toolId, changes: [], isPublished, now })).toBe(true);
    }
    async function linkSlugs(k: "professions" | "categories", toolId: string): Promise<string[]> {
      const entries = new Map((await taxonomy.list(k)).map((e) => [e.id, e.slug]));
      // listLinks shows published tools only; listToolsUsing shows any tool — check both agree
      const viaUsing: string[] = [];
      for (const [id, slug] of entries) if ((await taxonomy.listToolsUsing(k, id)).some((t) => t.id === toolId)) viaUsing.push(slug);
      return viaUsing.sort();
    }
    async function deleteTool(id: string) {
      if (store.dialect === "sqlite") store.db.delete(liteTools.tools).where(eq(liteTools.tools.id, id)).run();
      else await store.db.delete(pgTools.tools).where(eq(pgTools.tools.id, id));
    }
    const search = async (q: string) => [...(await catalog.search(parseSearchQuery(q))).keys()];

    describe("sync triggers", () => {
      test("a new tool is linked to the declared tags the taxonomy knows (unknown ones wait, repeats count once)", async () => {
        const t = await tool({ professions: ["rektor", "larare", "vaktmastare", "larare"], categories: ["ovrigt", "elevhalsa"] });
        expect(await linkSlugs("professions", t.id)).toEqual(["larare", "rektor"]);
        expect(await linkSlugs("categories", t.id)).toEqual(["ovrigt"]);
        // an entry added later picks up tools that already declared its slug; others are not touched
        const other = await tool({ categories: ["administration"] });
        const added = await taxonomy.create("categories", { slug: "elevhalsa", labelSv: "Elevhälsa", labelEn: "Student health" });
        expect(added).toMatchObject({ slug: "elevhalsa", sortOrder: 5 });
        expect(await linkSlugs("categories", t.id)).toEqual(["elevhalsa", "ovrigt"]);
        expect(await linkSlugs("categories", other.id)).toEqual(["administration"]);
        const links = await catalog.listLinks("categories", [t.id]);
        expect(links.map((l) => l.entryId).sort()).toEqual([added!.id, (await taxonomy.getBySlug("categories", "ovrigt"))!.id].sort());
      });

      test("changed tags on the tool are linked anew; other fields leave links alone", async () => {
        const t = await tool({ professions: ["larare"], categories: ["mentorskap"] });
        const r = await tools.update(t.id, { professions: ["specialpedagog", "gemensamt"] }, at(1));
        expect(r.ok).toBe(true);
        expect(await linkSlugs("professions", t.id)).toEqual(["gemensamt", "specialpedagog"]);
        expect(await linkSlugs("categories", t.id)).toEqual(["mentorskap"]);
        await tools.update(t.id, { categories: [] }, at(2));
        expect(await linkSlugs("categories", t.id)).toEqual([]);
        await tools.update(t.id, { title: "Ny titel" }, at(3));
        expect(await linkSlugs("professions", t.id)).toEqual(["gemensamt", "specialpedagog"]);
      });

      test("the search index follows title, summary and the active version; deleting a tool removes it", async () => {
        const t = await tool({ title: "Kalibrering", summary: "Justerar vågar.", instructions: "Börja med nollpunkten." });
        expect(await search("kalibrering")).toEqual([t.id]);
        expect(await search("nollpunkt")).toEqual([t.id]);
        await tools.update(t.id, { title: "Viktkontroll", summary: "Kontrollerar vågar." }, at(1));
        expect(await search("kalibrering")).toEqual([]);
        expect(await search("viktkontroll kontrollerar")).toEqual([t.id]);
        // a draft version changes nothing; publishing it swaps the instructions in the index
        const v2 = await version(t.id, "Tarera först.");
        expect(await search("nollpunkt")).toEqual([t.id]);
        expect(await search("tarera")).toEqual([]);
        await publish(t.id, v2.id, at(2));
        expect(await search("nollpunkt")).toEqual([]);
        expect(await search("tarera")).toEqual([t.id]);
        await deleteTool(t.id);
        expect(await search("viktkontroll")).toEqual([]);
      });

      test("the catalog revision grows with every change to tools or the taxonomy, not with favorites", async () => {
        const r0 = await catalog.getRevision();
        const t = await tool();
        const r1 = await catalog.getRevision();
        expect(r1).toBeGreaterThan(r0);
        await tools.update(t.id, { summary: "Ny sammanfattning" }, at(1));
        const r2 = await catalog.getRevision();
        expect(r2).toBeGreaterThan(r1);
        const e = (await taxonomy.create("professions", { slug: `rev-${++n}`, labelSv: "R", labelEn: "R" }))!;
        const r3 = await catalog.getRevision();
        expect(r3).toBeGreaterThan(r2);
        await taxonomy.rename("professions", e.id, { labelSv: "R2" });
        const r4 = await catalog.getRevision();
        expect(r4).toBeGreaterThan(r3);
        await taxonomy.remove("professions", e.id);
        const r5 = await catalog.getRevision();
        expect(r5).toBeGreaterThan(r4);
        const user = await insertTestUser(store);
        await catalog.addFavorite(user, t.id, at(2));
        expect(await catalog.getRevision()).toBe(r5);
      });

      test("the first publication is kept: unpublishing and publishing again does not make a tool new", async () => {
        const t = await tool({ publish: false, now: at(100) });
        expect((await catalog.listNewlyPublished(100)).map((x) => x.toolId)).not.toContain(t.id);
        await publish(t.id, t.versionId, at(110));
        await setPublished(t.id, false, at(120));
        expect((await catalog.listNewlyPublished(100)).map((x) => x.toolId)).not.toContain(t.id);
        await setPublished(t.id, true, at(130));
        const mine = (await catalog.listNewlyPublished(100)).find((x) => x.toolId === t.id);
        expect(mine).toEqual({ toolId: t.id, publishedAt: at(110) });
      });
    });

    describe("catalog repository", () => {
      test("published means the flag and an active version", async () => {
        const pub = await tool();
        const draft = await tool({ publish: false });
        const flagOnly = await tools.create({ slug: `ohne-${++n}`, title: "Utan version", summary: "", professions: [], categories: [], now: T0 });
        await setPublished(flagOnly!.id, true, T0);
        const ids = (await catalog.listPublished()).map((t) => t.id);
        expect(ids).toContain(pub.id);
        expect(ids).not.toContain(draft.id);
        expect(ids).not.toContain(flagOnly!.id);
        expect(await catalog.listPublished({ toolIds: [pub.id, draft.id] })).toEqual([{ id: pub.id, slug: pub.slug, title: expect.any(String), summary: "", updatedAt: T0 }]);
        expect(await catalog.listPublished({ toolIds: [] })).toEqual([]);
        expect(await catalog.getPublishedBySlug(draft.slug)).toBeNull();
        expect(await catalog.getPublishedBySlug(flagOnly!.slug)).toBeNull();
        expect(await catalog.getPublishedBySlug(pub.slug)).toEqual({
          id: pub.id,
          slug: pub.slug,
          title: expect.any(String),
          summary: "",
          updatedAt: T0,
          activeVersion: { id: pub.versionId, number: 1, inputSchema: [], settingsSchema: null, usageInstructions: "" },
        });
      });

      test("search ranks title matches above summary above instructions", async () => {
        const inInstructions = await tool({ title: "A", instructions: "Om sjöfåglar." });
        const inTitle = await tool({ title: "Sjöfåglar" });
        const inSummary = await tool({ title: "B", summary: "Räknar sjöfåglar." });
        const rank = await catalog.search(parseSearchQuery("sjofaglar"));
        const order = [...rank.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
        expect(order).toEqual([inTitle.id, inSummary.id, inInstructions.id]);
        expect(await catalog.search([])).toEqual(new Map());
        // compacting the index changes its form, never what a search finds or how it ranks
        await catalog.compactSearchIndex();
        expect(await catalog.search(parseSearchQuery("sjofaglar"))).toEqual(rank);
        const later = await tool({ title: "Sjöfåglar i sjön" });
        expect((await catalog.search(parseSearchQuery("sjofaglar"))).has(later.id)).toBe(true);
      });

      test("favorites are idempotent and listed newest first; seen versions are upserted", async () => {
        const user = await insertTestUser(store);
        const a = await tool();
        const b = await tool();
        await catalog.addFavorite(user, a.id, at(1));
        await catalog.addFavorite(user, b.id, at(2));
        await catalog.addFavorite(user, a.id, at(3));
        expect(await catalog.listFavoriteToolIds(user)).toEqual([b.id, a.id]);
        expect(await catalog.isFavorite(user, a.id)).toBe(true);
        await catalog.removeFavorite(user, a.id);
        await catalog.removeFavorite(user, a.id);
        expect(await catalog.isFavorite(user, a.id)).toBe(false);
        expect(await catalog.listFavoriteToolIds(user)).toEqual([b.id]);

        expect(await catalog.getSeenVersion(user, a.id)).toBeNull();
        await catalog.markSeen(user, a.id, a.versionId, at(1));
        const v2 = await version(a.id, "Nya instruktioner");
        expect(await catalog.findVersionId(a.id, 2)).toBe(v2.id);
        expect(await catalog.findVersionId(a.id, 3)).toBeNull();
        await catalog.markSeen(user, a.id, v2.id, at(2));
        expect(await catalog.getSeenVersion(user, a.id)).toEqual({ versionId: v2.id, number: 2, usageInstructions: "Nya instruktioner" });
      });

      test("recently run: the user's own production runs of published tools, latest first", async () => {
        const user = await insertTestUser(store);
        const other = await insertTestUser(store);
        const runs = createRunsRepository(store);
        const [a, b, c, hidden] = [await tool(), await tool(), await tool(), await tool()];
        const run = (userId: string, t: { id: string; versionId: string }, minute: number, kind: "production" | "sandbox" = "production") =>
          runs.createQueuedRun({ id: Bun.randomUUIDv7(), toolId: t.id, toolVersionId: t.versionId, userId, kind, inputs: {}, action: null, context: "default", files: [], now: at(minute) });
        await run(user, a, 1);
        await run(user, b, 2);
        await run(user, a, 3);
        await run(user, c, 4, "sandbox");
        await run(other, c, 5);
        await run(user, hidden, 6);
        await setPublished(hidden.id, false, at(7));
        expect(await catalog.listRecentlyRun(user, 10)).toEqual([
          { toolId: a.id, lastRunAt: at(3) },
          { toolId: b.id, lastRunAt: at(2) },
        ]);
        expect(await catalog.listRecentlyRun(user, 1)).toEqual([{ toolId: a.id, lastRunAt: at(3) }]);
      });

      test("newly published: by first publication, newest first, limited", async () => {
        const x = await tool({ now: at(1000) });
        const y = await tool({ now: at(1001) });
        expect((await catalog.listNewlyPublished(2)).map((r) => r.toolId)).toEqual([y.id, x.id]);
      });
    });

    describe("taxonomy repository", () => {
      test("lists in order; create appends; a taken slug gives null", async () => {
        const before = await taxonomy.list("professions");
        expect(before.map((e) => e.slug)).toEqual(["larare", "specialpedagog", "skoladministrator", "rektor", "gemensamt"]);
        const e = await taxonomy.create("professions", { slug: "fritidspedagog", labelSv: "Fritidspedagog", labelEn: "After-school teacher" });
        expect(e).toEqual({ id: expect.any(String), slug: "fritidspedagog", labelSv: "Fritidspedagog", labelEn: "After-school teacher", sortOrder: 6 });
        expect(await taxonomy.create("professions", { slug: "fritidspedagog", labelSv: "X", labelEn: "X" })).toBeNull();
        expect(await taxonomy.getBySlug("professions", "fritidspedagog")).toEqual(e);
        expect(await taxonomy.getBySlug("categories", "fritidspedagog")).toBeNull();
      });

      test("rename changes only the given labels; reorder rewrites positions", async () => {
        const e = (await taxonomy.getBySlug("professions", "fritidspedagog"))!;
        expect(await taxonomy.rename("professions", e.id, { labelEn: "Leisure-time teacher" })).toEqual({ ...e, labelEn: "Leisure-time teacher" });
        expect(await taxonomy.rename("professions", "no-such-id", { labelSv: "X" })).toBeNull();
        const ids = (await taxonomy.list("professions")).map((x) => x.id).reverse();
        await taxonomy.reorder("professions", ids);
        const after = await taxonomy.list("professions");
        expect(after.map((x) => x.id)).toEqual(ids);
        expect(after.map((x) => x.sortOrder)).toEqual([1, 2, 3, 4, 5, 6]);
      });

      test("counts published tools; remove is refused by the foreign key while any tool is linked", async () => {
        const entry = (await taxonomy.create("categories", { slug: `kat-${++n}`, labelSv: "Kat", labelEn: "Cat" }))!;
        const draft = await tool({ categories: [entry.slug], publish: false });
        expect((await taxonomy.countPublishedTools("categories")).get(entry.id)).toBeUndefined();
        expect(await taxonomy.listToolsUsing("categories", entry.id)).toEqual([{ id: draft.id, slug: draft.slug, title: expect.any(String) }]);
        // even without the service's check first, the delete cannot orphan a link
        expect(await taxonomy.remove("categories", entry.id)).toEqual({ ok: false, reason: "in_use" });
        await publish(draft.id, draft.versionId, at(5));
        expect((await taxonomy.countPublishedTools("categories")).get(entry.id)).toBe(1);
        await tools.update(draft.id, { categories: [] }, at(6));
        expect(await taxonomy.remove("categories", entry.id)).toEqual({ ok: true });
        expect(await taxonomy.remove("categories", entry.id)).toEqual({ ok: false, reason: "not_found" });
        // the tool still declares nothing; re-adding the slug later would link whoever declares it then
        expect(await linkSlugs("categories", draft.id)).toEqual([]);
      });
    });
  });
}
