// The pipeline with [ai] enabled: the real `ollama` client (through src/ai/ai-client.ts) against the
// Ollama-compatible test server: structured output, explicit num_ctx, chunking of long texts, and the
// failures (down, slow, invalid JSON, unknown model, truncation) as failed documents with a reason
// that a reprocess recovers from.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestOllama, type TestOllama } from "../ai/test-ollama-server";
import type { Browser } from "../identity/test-app";
import { testStoreKinds } from "../store/test-db";
import { createDocumentsTestApp, type DocumentsTestApp } from "./documents.test-app";
import { makeTextPdf } from "./test-pdf";

type Json = Record<string, unknown>;
const HYRA = makeTextPdf(["Hyresavtal för lägenheten på Storgatan 1.\nAvtalet gäller från 1 maj 2026.\nHyresvärd: Bostadsbolaget AB"]);
const GOOD = { doc_type: "avtal", summary: "Ett hyresavtal för en lägenhet.", categories: ["Avtal"], fields: { datum: "1 maj 2026", avsändare: "Bostadsbolaget AB" }, confidence: 0.85 };

describe.each(testStoreKinds())("document pipeline with AI (%s)", (kind) => {
  let fake: TestOllama;
  let h: DocumentsTestApp;
  let anna: Browser;
  let avtalId: string;

  beforeAll(async () => {
    fake = await startTestOllama();
    h = await createDocumentsTestApp(kind, { aiUrl: fake.url, ai: { num_ctx: 4096, output_tokens: 512, timeout_seconds: 1 }, documents: { fields: ["datum", "avsändare"], types: ["brev", "avtal", "faktura"] } });
    anna = await h.as("user");
    avtalId = ((await anna.post("/api/v1/document-categories", { name: "Avtal" })).body.category as Json).id as string;
    await anna.post("/api/v1/document-categories", { name: "Ekonomi", keywords: ["hyresvärd"] });
    h.startWorkers();
  });
  afterAll(async () => {
    await h.closeAll();
    await fake.stop();
  });

  const upload = async (files: Record<string, Uint8Array>) => ((await h.upload(anna, files)).body.items as Json[]).map((d) => d.id as string);
  const docJson = async (id: string) => (await anna.get(`/api/v1/documents/${id}`, { headers: { "accept-language": "en" } })).body.document as Json;

  test("structured output with explicit num_ctx: a suggestion from the rules and the model", async () => {
    fake.script("chat", { json: GOOD });
    const before = fake.count("chat");
    const [id] = await upload({ "hyra.pdf": HYRA });
    await h.waitFor(id!, ["needs_review"]);
    const d = await docJson(id!);
    expect(d.ai_model).toBe("test-chat:latest");
    expect(d.suggestion).toMatchObject({ doc_type: "avtal", summary: GOOD.summary, fields: { datum: "1 maj 2026", avsändare: "Bostadsbolaget AB" }, confidence: 0.85, model: "test-chat:latest" });
    const suggested = (d.suggestion as Json).categories as Json[];
    expect(suggested.map((c) => [c.name, c.source])).toEqual([
      ["Avtal", "ai"],
      ["Ekonomi", "rule"],
    ]);
    expect(fake.count("chat") - before).toBe(1);
    const req = fake.requests.filter((r) => r.endpoint === "chat").at(-1)!.body!;
    expect((req.options as Json).num_ctx).toBe(4096);
    const format = req.format as { properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }> };
    expect(format.properties.doc_type!.enum).toEqual(["brev", "avtal", "faktura"]);
    expect(format.properties.categories!.items!.enum).toEqual(["Avtal", "Ekonomi"]);
    expect(JSON.stringify(req.messages)).toContain("Storgatan 1");

    // accepting keeps the model's values, with the user's edit on top
    const r = await anna.post(`/api/v1/documents/${id}/review`, { decision: "accept", fields: { datum: "2026-05-01" } });
    expect(r.body.document).toMatchObject({ status: "done", doc_type: "avtal", summary: GOOD.summary, fields: { datum: "2026-05-01", avsändare: "Bostadsbolaget AB" } });
    expect(((r.body.document as Json).categories as Json[]).map((c) => c.name).sort()).toEqual(["Avtal", "Ekonomi"]);
    expect(((r.body.document as Json).categories as Json[]).some((c) => c.id === avtalId)).toBe(true);
  });

  test("a long text is classified in chunks that fit the context, then once over the parts", async () => {
    const pages = Array.from({ length: 12 }, (_, i) => `Sida ${i + 1}. ${"Protokollet beskriver mötet och besluten om skolans budget. ".repeat(20)}`);
    const before = fake.count("chat");
    const [id] = await upload({ "lang.pdf": makeTextPdf(pages) });
    await h.waitFor(id!, ["needs_review"]);
    const calls = fake.requests.filter((r) => r.endpoint === "chat").slice(before);
    // 12 pages × ~1 200 characters do not fit num_ctx 4096 − 512 answer tokens at ~3 characters a token
    expect(calls.length).toBeGreaterThanOrEqual(3); // at least two chunks and the final call
    for (const c of calls) {
      expect((c.body!.options as Json).num_ctx).toBe(4096);
      const promptChars = JSON.stringify(c.body!.messages).length;
      expect(promptChars / 3).toBeLessThan(4096 - 512);
    }
    expect(JSON.stringify(calls.at(-1)!.body!.messages)).toContain("har lästs i");
  });

  const failures: { name: string; script: () => void; code: string }[] = [
    { name: "invalid JSON after every retry", script: () => fake.script("chat", { content: "inte json {" }, { content: "fortfarande inte" }), code: "ai.invalid_output" },
    { name: "an unknown model", script: () => fake.script("chat", { status: 404, error: "model 'test-chat:latest' not found, try pulling it first" }), code: "ai.unknown_model" },
    { name: "a slow server (timeout)", script: () => fake.script("chat", { delayMs: 2_500, json: GOOD }), code: "ai.timeout" },
    { name: "a dropped connection", script: () => fake.script("chat", { drop: true }), code: "ai.unreachable" },
    { name: "a silently truncated prompt", script: () => fake.script("chat", { json: GOOD, promptEvalCount: 4096 }), code: "ai.too_long" },
  ];
  for (const f of failures) {
    test(`${f.name}: failed with a reason, and a reprocess recovers`, async () => {
      f.script();
      const [id] = await upload({ "x.pdf": HYRA });
      await h.waitFor(id!, ["failed"]);
      const d = await docJson(id!);
      expect((d.failure as Json).code).toBe(f.code);
      expect(((d.failure as Json).message as string).length).toBeGreaterThan(20);
      // the extracted text is kept; the document is searchable while it waits for a retry
      expect((await anna.get(`/api/v1/documents/${id}/text`)).body.pages).toHaveLength(1);
      fake.script("chat", { json: GOOD });
      expect((await anna.post("/api/v1/documents/reprocess", { ids: [id] })).body).toEqual({ queued: [id], skipped: [] });
      await h.waitFor(id!, ["needs_review"]);
      expect((await docJson(id!)).failure).toBeNull();
      expect(fake.inFlight()).toBe(0);
    });
  }
});

describe("document pipeline with Ollama down", () => {
  test("unreachable server: failed ai.unreachable, nothing hangs", async () => {
    // a port nobody listens on
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = probe.port;
    probe.stop(true);
    const h = await createDocumentsTestApp("sqlite", { aiUrl: `http://127.0.0.1:${port}` });
    try {
      const anna = await h.as("user");
      h.startWorkers();
      const id = (((await h.upload(anna, { "a.pdf": HYRA })).body.items as Json[])[0] as Json).id as string;
      const d = await h.waitFor(id, ["failed"]);
      expect(d.failureCode).toBe("ai.unreachable");
    } finally {
      await h.closeAll();
    }
  });
});
