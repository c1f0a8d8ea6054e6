import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseSearchQuery } from "../catalog/search.rules";
import { createTestApp, type TestApp } from "../identity/test-app";
import { testStoreKinds } from "../store/test-db";
import { createDocumentsRepository, type DocumentFilter, type DocumentsRepository } from "./documents.repository";

const T0 = new Date("2026-03-02T08:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const all: DocumentFilter = { statuses: null, docType: null, categoryId: null, from: null, toExclusive: null, search: [] };

describe.each(testStoreKinds())("documents repository (%s)", (kind) => {
  let h: TestApp;
  let repo: DocumentsRepository;
  let anna: string;
  let bo: string;

  beforeAll(async () => {
    h = await createTestApp(kind);
    repo = createDocumentsRepository(h.store);
    anna = h.users.user;
    bo = h.users.contributor;
  });
  afterAll(() => h.close());

  const doc = async (userId: string, name: string, minutes: number) => {
    const id = Bun.randomUUIDv7();
    await repo.create({ id, userId, name, bytes: 100, sha256: "x", storageKey: `documents/${id}`, now: at(minutes) });
    return id;
  };

  test("create, get by owner only, pages, pipeline transitions guarded by status", async () => {
    const id = await doc(anna, "hyresavtal.pdf", 0);
    expect(await repo.get(bo, id)).toBeNull();
    const d = (await repo.get(anna, id))!;
    expect(d).toMatchObject({ id, userId: anna, name: "hyresavtal.pdf", status: "uploaded", pages: null, fields: {}, suggestion: null, categories: [] });
    expect(await repo.transition(id, ["classifying"], "done", at(1))).toBe(false);
    expect(await repo.transition(id, ["uploaded"], "extracting", at(1))).toBe(true);
    await repo.savePages(id, ["Sida ett", "Sida två"], at(2));
    await repo.savePages(id, ["Sida ett igen", "Sida två", "Sida tre"], at(2));
    expect(await repo.pages(id)).toEqual(["Sida ett igen", "Sida två", "Sida tre"]);
    expect((await repo.get(null, id))!.pages).toBe(3);
    expect(await repo.transition(id, ["extracting"], "classifying", at(3))).toBe(true);
    const suggestion = { docType: "avtal", summary: "Ett avtal.", fields: { datum: "1 maj" }, categories: [], confidence: 0.8, model: "m" };
    expect(await repo.finishPipeline(id, { suggestion, status: "needs_review", aiModel: "m", now: at(4) })).toBe(true);
    expect(await repo.finishPipeline(id, { suggestion, status: "needs_review", aiModel: "m", now: at(4) })).toBe(false);
    expect(await repo.get(anna, id)).toMatchObject({ status: "needs_review", suggestion, aiModel: "m", processedAt: at(4) });
    // a finished document cannot be failed by a late worker
    expect(await repo.fail(id, { code: "ai.timeout", detail: "late" }, at(5))).toBe(false);
  });

  test("categories: unique names ignoring case, counts, rename updates suggestions, delete cleans up", async () => {
    const c1 = Bun.randomUUIDv7();
    const c2 = Bun.randomUUIDv7();
    expect(await repo.createCategory({ id: c1, userId: anna, name: "Avtal", keywords: ["avtal"], patterns: [], now: T0 })).toBe(true);
    expect(await repo.createCategory({ id: Bun.randomUUIDv7(), userId: anna, name: "AVTAL", keywords: [], patterns: [], now: T0 })).toBe(false);
    expect(await repo.createCategory({ id: Bun.randomUUIDv7(), userId: bo, name: "Avtal", keywords: [], patterns: [], now: T0 })).toBe(true);
    expect(await repo.createCategory({ id: c2, userId: anna, name: "Ekonomi", keywords: [], patterns: ["faktura"], now: T0 })).toBe(true);
    expect(await repo.updateCategory(anna, c2, { name: "avtal" }, at(1))).toBe(false);
    expect(await repo.updateCategory(bo, c2, { name: "X" }, at(1))).toBeNull();
    expect(await repo.ownCategoryIds(anna, [c1, c2, "nope"])).toEqual(new Set([c1, c2]));
    expect(await repo.ownCategoryIds(bo, [c1])).toEqual(new Set());

    const id = await doc(anna, "faktura.pdf", 10);
    await repo.transition(id, ["uploaded"], "classifying", at(11));
    await repo.finishPipeline(id, {
      suggestion: { docType: null, summary: null, fields: {}, categories: [{ id: c2, name: "Ekonomi", source: "rule", confidence: 0.6 }, { id: c1, name: "Avtal", source: "rule", confidence: 0.6 }], confidence: null, model: null },
      status: "needs_review",
      aiModel: null,
      now: at(12),
    });
    expect(await repo.updateCategory(anna, c2, { name: "Ekonomi och inköp", patterns: ["faktura", "OCR"] }, at(13))).toBe(true);
    expect((await repo.get(anna, id))!.suggestion!.categories.map((c) => c.name)).toEqual(["Ekonomi och inköp", "Avtal"]);
    expect(await repo.getCategory(anna, c2)).toMatchObject({ name: "Ekonomi och inköp", patterns: ["faktura", "OCR"], documentCount: 0 });

    expect(await repo.bulkCategories(anna, [id, "foreign"], [c1, c2], [], at(14))).toBe(1);
    expect(await repo.bulkCategories(anna, [id], [c1], [], at(14))).toBe(1); // adding twice is harmless
    expect((await repo.get(anna, id))!.categories.map((c) => c.id).sort()).toEqual([c1, c2].sort());
    expect((await repo.listCategories(anna)).map((c) => [c.name, c.documentCount])).toEqual([
      ["Avtal", 1],
      ["Ekonomi och inköp", 1],
    ]);
    expect(await repo.bulkCategories(anna, [id], [], [c1], at(15))).toBe(1);
    expect(await repo.bulkCategories(bo, [id], [], [c2], at(15))).toBe(0);

    expect(await repo.deleteCategory(bo, c2, at(16))).toBe(false);
    expect(await repo.deleteCategory(anna, c2, at(16))).toBe(true);
    const after = (await repo.get(anna, id))!;
    expect(after.categories).toEqual([]);
    expect(after.suggestion!.categories.map((c) => c.id)).toEqual([c1]);
  });

  test("review: accept writes values and links, reject keeps them; only from needs_review", async () => {
    const [c] = await repo.listCategories(anna);
    const id = await doc(anna, "brev.pdf", 20);
    expect(await repo.finishReview(anna, id, null, at(21))).toBe(false);
    await repo.transition(id, ["uploaded"], "classifying", at(21));
    await repo.finishPipeline(id, { suggestion: { docType: "brev", summary: "S", fields: {}, categories: [], confidence: 0.5, model: "m" }, status: "needs_review", aiModel: "m", now: at(22) });
    expect(await repo.finishReview(bo, id, { docType: "brev" }, at(23))).toBe(false);
    expect(await repo.finishReview(anna, id, { docType: "protokoll", summary: "Mötesprotokoll", fields: { datum: "3 mars" }, categoryIds: [c!.id] }, at(23))).toBe(true);
    expect(await repo.get(anna, id)).toMatchObject({ status: "done", suggestion: null, docType: "protokoll", summary: "Mötesprotokoll", fields: { datum: "3 mars" }, categories: [{ id: c!.id, name: c!.name }] });
    expect(await repo.updateAccepted(anna, id, { name: "protokoll-mars.pdf", categoryIds: [] }, at(24))).toBe(true);
    expect(await repo.get(anna, id)).toMatchObject({ name: "protokoll-mars.pdf", categories: [], docType: "protokoll" });
    expect(await repo.updateAccepted(bo, id, { name: "x" }, at(24))).toBe(false);
  });

  test("list: filters, paging, full-text search with Swedish stemming, owner isolation", async () => {
    const h2 = await createTestApp(kind);
    try {
      const r = createDocumentsRepository(h2.store);
      const u = h2.users.user;
      const mk = async (name: string, minutes: number, text: string, status?: "failed") => {
        const id = Bun.randomUUIDv7();
        await r.create({ id, userId: u, name, bytes: 1, sha256: "x", storageKey: `documents/${id}`, now: at(minutes) });
        await r.savePages(id, [text], at(minutes));
        if (status) await r.fail(id, { code: "documents.no_text", detail: null }, at(minutes));
        return id;
      };
      const a = await mk("a.pdf", 0, "Hyresavtalet för lägenheten löper ut.");
      const b = await mk("b.pdf", 60 * 24, "Protokoll från elevhälsoteamet om åtgärdsprogram.");
      const c = await mk("c.pdf", 60 * 48, "Faktura för läromedel, avtalen bifogas.", "failed");
      await mk("d.pdf", 0, "Avtal.");
      // another user's document with matching text must never show up
      const other = Bun.randomUUIDv7();
      await r.create({ id: other, userId: h2.users.admin, name: "avtal.pdf", bytes: 1, sha256: "x", storageKey: `documents/${other}`, now: at(0) });
      await r.savePages(other, ["avtal avtal"], at(0));

      const page1 = await r.list(u, all, 1, 2);
      expect(page1.total).toBe(4);
      expect(page1.items.map((d) => d.name)).toEqual(["c.pdf", "b.pdf"]);
      expect((await r.list(u, all, 2, 2)).items.map((d) => d.name)).toEqual(["d.pdf", "a.pdf"]); // same time: the newer id first
      expect((await r.list(u, { ...all, statuses: ["failed"] }, 1, 10)).items.map((d) => d.id)).toEqual([c]);
      expect((await r.list(u, { ...all, from: at(60 * 24), toExclusive: at(60 * 48) }, 1, 10)).items.map((d) => d.id)).toEqual([b]);

      const search = async (q: string) => (await r.list(u, { ...all, search: parseSearchQuery(q) }, 1, 10)).items.map((d) => d.name).sort();
      expect(await search("avtal")).toEqual(["c.pdf", "d.pdf"]); // "avtalen" by its stem; compounds are whole words
      expect(await search("hyresavtal")).toEqual(["a.pdf"]);
      expect(await search("protokollen elevhälsoteam")).toEqual(["b.pdf"]);
      expect(await search("lägenhet")).toEqual(["a.pdf"]);
      expect(await search("läromedel faktura")).toEqual(["c.pdf"]);
      expect(await search("saknas")).toEqual([]);
      expect((await r.list(u, { ...all, statuses: ["failed"], search: parseSearchQuery("avtal") }, 1, 10)).items.map((d) => d.id)).toEqual([c]);

      // delete removes the index row too: the text no longer finds anything
      expect(await r.delete(h2.users.admin, a)).toBeNull();
      expect(await r.delete(u, a)).toEqual({ storageKey: `documents/${a}` });
      expect(await search("lägenhet")).toEqual([]);
      expect(await r.get(u, a)).toBeNull();

      // reprocess: back to uploaded, except documents the pipeline still owns
      const requeued = await r.requeue(u, [b, c, other], ["uploaded", "extracting", "classifying"], at(100));
      expect(requeued.sort()).toEqual([c].sort());
      expect(await r.get(u, c)).toMatchObject({ status: "uploaded", failureCode: null });
      expect(await r.listStale(["uploaded"], at(60 * 72), 10)).toEqual(expect.arrayContaining([b, c]));
      expect(await r.listStale(["uploaded"], at(50), 10)).not.toContain(c);
    } finally {
      await h2.close();
    }
  });
});
