// The documents API end to end over a real store and blob store, with the real document worker and
// [ai] enabled = false (the pipeline stops after the rules). AI runs: document-pipeline.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "../identity/test-app";
import { testStoreKinds } from "../store/test-db";
import { createDocumentsTestApp, type DocumentsTestApp } from "./documents.test-app";
import { makeEmptyPdf, makeTextPdf } from "./test-pdf";

type Json = Record<string, unknown>;
const HYRA = makeTextPdf(["Hyresavtal för lägenheten på Storgatan 1.\nAvtalet gäller från 1 maj.", "Sida två: hyran är 5000 kr."]);
const FAKTURA = makeTextPdf(["Faktura\nFakturanummer: 4711\nLäromedel för åk 9"]);

describe.each(testStoreKinds())("documents API (%s)", (kind) => {
  let h: DocumentsTestApp;
  let anna: Browser;
  let bo: Browser;

  beforeAll(async () => {
    h = await createDocumentsTestApp(kind, { documents: { max_upload_mb: 1, max_files: 3 } });
    anna = await h.as("user");
    bo = await h.as("contributor");
    h.startWorkers();
  });
  afterAll(() => h.closeAll());

  test("meta: limits, types and fields, AI off", async () => {
    const r = await anna.get("/api/v1/documents/meta");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ai_enabled: false, max_upload_mb: 1, max_files: 3 });
    expect((r.body.types as string[]).length).toBeGreaterThan(0);
  });

  test("uploads are checked by their bytes and limits before anything is stored", async () => {
    const cases: { files: Record<string, Uint8Array | string>; status: number; code: string }[] = [
      { files: { "rapport.pdf": "PK\u0003\u0004 not a pdf" }, status: 415, code: "documents.not_pdf" },
      { files: { "ok.pdf": HYRA, "fake.pdf": "<html>" }, status: 415, code: "documents.not_pdf" },
      { files: {}, status: 422, code: "validation.failed" },
      { files: { "a.pdf": HYRA, "b.pdf": HYRA, "c.pdf": HYRA, "d.pdf": HYRA }, status: 422, code: "validation.failed" },
      { files: { "big.pdf": new Uint8Array(1024 * 1024 + 10).fill(0x25) }, status: 413, code: "documents.too_large" },
    ];
    for (const c of cases) {
      const r = await h.upload(anna, c.files);
      expect([c.status, (r.body.error as Json | undefined)?.code]).toEqual([c.status, c.code]);
    }
    expect(((await anna.get("/api/v1/documents")).body as { total: number }).total).toBe(0);
    // without a CSRF token nothing is accepted either
    const form = new FormData();
    form.append("files", new File([HYRA], "x.pdf"));
    expect((await h.postForm(anna, "/api/v1/documents", form, { csrf: false })).status).toBe(403);
  });

  test("upload → rules → review → done; search, filters, download, text, delete", async () => {
    const avtal = await anna.post("/api/v1/document-categories", { name: "Avtal", keywords: ["hyresavtal", "avtalet"] });
    expect(avtal.status).toBe(201);
    const ekonomi = await anna.post("/api/v1/document-categories", { name: "Ekonomi", patterns: ["fakturanummer:\\s*\\d+"] });
    const avtalId = (avtal.body.category as Json).id as string;
    const ekonomiId = (ekonomi.body.category as Json).id as string;
    expect((await anna.post("/api/v1/document-categories", { name: "avtal" })).body.error).toMatchObject({ code: "documents.category_name_taken" });
    expect((await anna.post("/api/v1/document-categories", { name: "X", patterns: ["(oops"] })).body.error).toMatchObject({ code: "documents.invalid_pattern", details: [{ path: "/patterns", index: 0 }] });

    const up = await h.upload(anna, { "hyra.pdf": HYRA, "../../faktura.pdf": FAKTURA, "skannad.pdf": makeEmptyPdf() });
    expect(up.status).toBe(201);
    const items = up.body.items as Json[];
    expect(items.map((d) => [d.name, d.status])).toEqual([
      ["hyra.pdf", "uploaded"],
      ["faktura.pdf", "uploaded"],
      ["skannad.pdf", "uploaded"],
    ]);
    const [hyra, faktura, skannad] = items.map((d) => d.id as string) as [string, string, string];

    expect(await h.waitFor(hyra, ["needs_review"])).toMatchObject({ pages: 2 });
    await h.waitFor(faktura, ["needs_review"]);
    await h.waitFor(skannad, ["failed"]);

    const failed = (await anna.get(`/api/v1/documents/${skannad}`, { headers: { "accept-language": "en" } })).body.document as Json;
    expect(failed.failure).toMatchObject({ code: "documents.no_text" });
    expect((failed.failure as Json).message).toContain("OCR");

    const doc = (await anna.get(`/api/v1/documents/${hyra}`)).body.document as Json;
    expect(doc.suggestion).toEqual({ doc_type: null, summary: null, fields: {}, categories: [{ id: avtalId, name: "Avtal", source: "rule", confidence: 0.7 }], confidence: null, model: null });
    expect((await bo.get(`/api/v1/documents/${hyra}`)).status).toBe(404);

    // review: accept with an edit, reject the other
    const accepted = await anna.post(`/api/v1/documents/${hyra}/review`, { decision: "accept", doc_type: "avtal" });
    expect(accepted.body.document).toMatchObject({ status: "done", doc_type: "avtal", suggestion: null, categories: [{ id: avtalId, name: "Avtal" }] });
    expect((await anna.post(`/api/v1/documents/${hyra}/review`, { decision: "reject" })).body.error).toMatchObject({ code: "documents.nothing_to_review" });
    expect((await anna.post(`/api/v1/documents/${faktura}/review`, { decision: "reject" })).body.document).toMatchObject({ status: "done", categories: [] });

    // filters and search
    const list = async (q: string) => ((await anna.get(`/api/v1/documents${q}`)).body.items as Json[]).map((d) => d.name);
    expect(await list("?status=failed")).toEqual(["skannad.pdf"]);
    expect(await list(`?category=${avtalId}`)).toEqual(["hyra.pdf"]);
    expect(await list("?type=avtal")).toEqual(["hyra.pdf"]);
    expect(await list("?q=lägenheten")).toEqual(["hyra.pdf"]);
    const hit = ((await anna.get("/api/v1/documents?q=hyran")).body.items as Json[])[0]!;
    expect(hit.snippet).toContain("«hyran»");
    expect(await list("?q=fakturanummer&status=done")).toEqual(["faktura.pdf"]);
    expect((await bo.get("/api/v1/documents?q=lägenheten")).body.items).toEqual([]);
    expect((await anna.get("/api/v1/documents?status=lost")).status).toBe(422);
    expect((await anna.get("/api/v1/documents?from=2020-13-01")).body.error).toMatchObject({ code: "validation.failed", details: [{ path: "/from" }] });

    // bulk categories: a foreign category is refused, own ones apply
    const boCat = ((await bo.post("/api/v1/document-categories", { name: "Bos" })).body.category as Json).id as string;
    expect((await anna.post("/api/v1/documents/bulk-categories", { ids: [hyra, faktura], add: [boCat] })).status).toBe(404);
    expect((await anna.post("/api/v1/documents/bulk-categories", { ids: [hyra, faktura], add: [ekonomiId], remove: [avtalId] })).body).toEqual({ updated: 2 });
    expect(await list(`?category=${ekonomiId}`)).toEqual(["faktura.pdf", "hyra.pdf"]);
    const cats = (await anna.get("/api/v1/document-categories")).body.items as Json[];
    expect(cats.map((c) => [c.name, c.document_count])).toEqual([
      ["Avtal", 0],
      ["Ekonomi", 2],
    ]);

    // text, download
    expect((await anna.get(`/api/v1/documents/${hyra}/text`)).body.pages).toEqual([
      { page: 1, text: "Hyresavtal för lägenheten på Storgatan 1.\nAvtalet gäller från 1 maj." },
      { page: 2, text: "Sida två: hyran är 5000 kr." },
    ]);
    const file = await h.raw(anna, `/api/v1/documents/${hyra}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.headers.get("content-disposition")).toContain("attachment");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(HYRA);
    expect((await h.raw(bo, `/api/v1/documents/${hyra}/file`)).status).toBe(404);

    // reprocess: failed and done documents start over; the category rules run again
    await anna.patch(`/api/v1/document-categories/${ekonomiId}`, { keywords: ["läromedel"] });
    const re = await anna.post("/api/v1/documents/reprocess", { ids: [skannad, faktura] });
    expect(re.status).toBe(202);
    expect((re.body.queued as string[]).sort()).toEqual([skannad, faktura].sort());
    await h.waitFor(faktura, ["needs_review", "done"]);
    await h.waitFor(skannad, ["failed"]);
    expect((await anna.post("/api/v1/documents/reprocess", { ids: [hyra, "nope"] })).status).toBe(404);

    // delete: row, text, index and blob go
    const stored = (await h.docs.documents.get(null, hyra))!.storageKey;
    expect((await bo.call("DELETE", `/api/v1/documents/${hyra}`, undefined)).status).toBe(404);
    expect((await anna.call("DELETE", `/api/v1/documents/${hyra}`, undefined)).status).toBe(204);
    expect(await h.blobStore.get(stored)).toBeNull();
    expect(await list("?q=lägenheten")).toEqual([]);
    expect((await anna.get(`/api/v1/documents/${hyra}`)).status).toBe(404);

    // a deleted category leaves the documents
    expect((await anna.call("DELETE", `/api/v1/document-categories/${ekonomiId}`, undefined)).status).toBe(204);
    expect(((await anna.get(`/api/v1/documents/${faktura}`)).body.document as Json).categories).toEqual([]);
  });

  test("stored documents as a tool run's input files", async () => {
    await h.addTool({ slug: "pdf-lasare", inputSchema: [{ kind: "file", name: "files", label: "PDF", accept: [".pdf"], min: 1, max: 3 }] });
    const up = await h.upload(anna, { "elevplan.pdf": FAKTURA });
    const id = ((up.body.items as Json[])[0] as Json).id as string;
    const form = new FormData();
    form.append("inputs", "{}");
    form.append("document_ids", JSON.stringify([id]));
    const run = await h.postForm(anna, "/api/v1/tools/pdf-lasare/run", form);
    expect(run.status).toBe(202);
    const files = await h.exec.runs.listRunFiles(run.body.run_id as string);
    expect(files.map((f) => [f.name, f.bytes])).toEqual([["elevplan.pdf", FAKTURA.byteLength]]);
    expect(new Uint8Array(await (await h.blobStore.get(files[0]!.storageKey))!.arrayBuffer())).toEqual(FAKTURA);

    // someone else's document is not found; a malformed list names the field
    const foreign = new FormData();
    foreign.append("inputs", "{}");
    foreign.append("document_ids", JSON.stringify([id]));
    expect((await h.postForm(bo, "/api/v1/tools/pdf-lasare/run", foreign)).body.error).toMatchObject({ code: "documents.not_found" });
    const bad = new FormData();
    bad.append("inputs", "{}");
    bad.append("document_ids", "not json");
    expect((await h.postForm(anna, "/api/v1/tools/pdf-lasare/run", bad)).body.error).toMatchObject({ details: [{ path: "/document_ids" }] });
  });
});
