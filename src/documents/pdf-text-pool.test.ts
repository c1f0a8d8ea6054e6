// The worker-thread pool gives exactly what the in-thread extraction gives, whatever the threads.
import { afterAll, describe, expect, test } from "bun:test";
import { extractPdfPages, PdfReadError } from "./pdf-text";
import { createPdfTextPool } from "./pdf-text-pool";
import { makeTextPdf } from "./test-pdf";

const PAGES = Array.from({ length: 7 }, (_, i) => `Sida ${i + 1}: Protokoll\nRektor och vårdnadshavare möts, punkt ${i + 1}.`);

describe("PDF text pool on two threads", () => {
  const pool = createPdfTextPool({ threads: 2 });
  afterAll(() => pool.close());

  test("every page in order, the same text as extraction in this thread", async () => {
    const bytes = makeTextPdf(PAGES);
    const seen: number[] = [];
    const pooled = await pool.extract(bytes, { maxPages: 100, onPage: (n) => seen.push(n) });
    expect(pooled).toEqual(await extractPdfPages(bytes, { maxPages: 100 }));
    expect(pooled.totalPages).toBe(7);
    expect(pooled.pages[4]).toContain("punkt 5");
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test("stops at maxPages but reports the real page count; the caller's bytes stay usable", async () => {
    const bytes = makeTextPdf(PAGES);
    const capped = await pool.extract(bytes, { maxPages: 3 });
    expect(capped.pages).toEqual((await extractPdfPages(bytes, { maxPages: 3 })).pages);
    expect(capped.pages).toHaveLength(3);
    expect(capped.totalPages).toBe(7);
    expect((await pool.extract(bytes, { maxPages: 3 })).pages).toEqual(capped.pages);
  });

  test("documents extracted at the same time do not mix", async () => {
    const a = makeTextPdf(["Alfa ett", "Alfa två", "Alfa tre"]);
    const b = makeTextPdf(["Beta ett", "Beta två"]);
    const [ra, rb] = await Promise.all([pool.extract(a, { maxPages: 10 }), pool.extract(b, { maxPages: 10 })]);
    expect(ra.pages.map((p) => p.trim())).toEqual(["Alfa ett", "Alfa två", "Alfa tre"]);
    expect(rb.pages.map((p) => p.trim())).toEqual(["Beta ett", "Beta två"]);
  });

  test("an aborted signal rejects with its reason; the pool keeps working", async () => {
    const controller = new AbortController();
    const run = pool.extract(makeTextPdf(PAGES), { maxPages: 100, signal: controller.signal, onPage: () => controller.abort(new Error("stopped")) });
    await expect(run).rejects.toThrow("stopped");
    expect((await pool.extract(makeTextPdf(["Efter avbrottet"]), { maxPages: 10 })).pages[0]).toContain("Efter avbrottet");
  });

  test("bytes that are not a PDF fail with PdfReadError", async () => {
    await expect(pool.extract(new TextEncoder().encode("not a pdf at all"), { maxPages: 10 })).rejects.toBeInstanceOf(PdfReadError);
  });

  test("after close, the next extract starts new threads", async () => {
    pool.close();
    expect((await pool.extract(makeTextPdf(["Ny tråd"]), { maxPages: 10 })).pages[0]).toContain("Ny tråd");
  });
});
