// Crash safety of the document pipeline: a worker process killed with SIGKILL in the middle of a
// model call leaves a leased job; the next worker requeues it at once (the holder's pid is gone) and
// the document finishes. The sweep also queues uploads that never got a job and fails documents whose
// job is gone. Nothing stays in progress.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startTestOllama, type TestOllama } from "../ai/test-ollama-server";
import { createQueueRepository } from "../execution/queue.repository";
import type { Browser } from "../identity/test-app";
import { testStoreKinds } from "../store/test-db";
import { createDocumentsTestApp, type DocumentsTestApp } from "./documents.test-app";
import { makeTextPdf } from "./test-pdf";

type Json = Record<string, unknown>;
const ROOT = join(import.meta.dir, "..", "..");
const PDF = makeTextPdf(["Protokoll från klassrådet 3 mars.\nBeslut: ny fotbollsplan."]);
const GOOD = { doc_type: "protokoll", summary: "Klassrådets protokoll.", categories: [], fields: { datum: "3 mars", avsändare: null, mottagare: null, diarienummer: null }, confidence: 0.7 };

function databaseOf(h: DocumentsTestApp): string {
  if (h.store.dialect === "sqlite") return h.store.file;
  const url = new URL(process.env.SKRIPTOTEKET_TEST_DATABASE_URL!);
  url.pathname = `/${h.store.sql.options.database}`;
  return url.toString();
}

describe.each(testStoreKinds())("document worker crash safety (%s)", (kind) => {
  let fake: TestOllama;
  let h: DocumentsTestApp;
  let anna: Browser;

  beforeAll(async () => {
    fake = await startTestOllama();
    h = await createDocumentsTestApp(kind, { aiUrl: fake.url });
    anna = await h.as("user");
  });
  afterAll(async () => {
    await h.closeAll();
    await fake.stop();
  });

  test("kill -9 during the model call: the next worker resumes the job at once", async () => {
    fake.script("chat", { delayMs: 60_000, json: GOOD });
    const id = (((await h.upload(anna, { "protokoll.pdf": PDF })).body.items as Json[])[0] as Json).id as string;
    const child = Bun.spawn(["bun", "src/documents/document-worker.test-process.ts", databaseOf(h), h.dataDir, fake.url], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    try {
      await h.waitFor(id, ["classifying"]);
      for (let i = 0; i < 500 && fake.inFlight() === 0; i++) await Bun.sleep(20);
      expect(fake.inFlight()).toBe(1);
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
    const leased = await createQueueRepository(h.store).listLeasedDocumentJobs();
    expect(leased).toEqual([expect.objectContaining({ documentId: id, attempts: 1 })]);
    expect((await h.docs.documents.get(null, id))!.status).toBe("classifying");

    fake.script("chat", { json: GOOD });
    const started = Date.now();
    const w = h.startWorkers();
    await w.adopted;
    const d = await h.waitFor(id, ["needs_review", "done", "failed"]);
    expect(d.status).toBe("needs_review");
    expect(d.suggestion).toMatchObject({ docType: "protokoll", summary: "Klassrådets protokoll." });
    // well before the 30 s lease would have expired
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await createQueueRepository(h.store).listLeasedDocumentJobs()).toEqual([]);
    await w.stop();
  }, 60_000);

  test("sweep: an upload without a job is queued, an orphaned pipeline fails with a reason", async () => {
    const now = new Date();
    const lost = Bun.randomUUIDv7();
    const orphan = Bun.randomUUIDv7();
    for (const id of [lost, orphan]) {
      const key = `documents/${h.users.user}/${id}`;
      await h.blobStore.put(key, PDF);
      // as if the process died between storing the row and queueing its job
      await h.docs.documents.create({ id, userId: h.users.user, name: `${id}.pdf`, bytes: PDF.byteLength, sha256: "x", storageKey: key, now: new Date(now.getTime() - 120_000) });
    }
    await h.docs.documents.transition(orphan, ["uploaded"], "extracting", new Date(now.getTime() - 120_000));
    fake.script("chat", { json: GOOD });
    const w = h.startWorkers({ sweepAfterMs: 60_000 });
    await w.housekeeping();
    expect((await h.waitFor(lost, ["needs_review", "failed"])).status).toBe("needs_review");
    const failed = await h.waitFor(orphan, ["failed"]);
    expect(failed.failureCode).toBe("documents.interrupted");
    // retry from the UI recovers it
    fake.script("chat", { json: GOOD });
    expect((await anna.post("/api/v1/documents/reprocess", { ids: [orphan] })).body).toEqual({ queued: [orphan], skipped: [] });
    expect((await h.waitFor(orphan, ["needs_review", "failed"])).status).toBe("needs_review");
    await w.stop();
  });

  test("a deleted document's running job stops and nothing is left leased", async () => {
    fake.script("chat", { delayMs: 3_000, json: GOOD });
    const w = h.startWorkers({ heartbeatMs: 50 });
    const id = (((await h.upload(anna, { "bort.pdf": PDF })).body.items as Json[])[0] as Json).id as string;
    await h.waitFor(id, ["classifying"]);
    expect((await anna.call("DELETE", `/api/v1/documents/${id}`, undefined)).status).toBe(204);
    for (let i = 0; i < 200 && w.inFlight() > 0; i++) await Bun.sleep(20);
    expect(w.inFlight()).toBe(0);
    expect(await createQueueRepository(h.store).listLeasedDocumentJobs()).toEqual([]);
    expect(await createQueueRepository(h.store).activeDocumentJobs([id])).toEqual(new Set());
    await w.stop();
  });
});
