import { describe, expect, test } from "bun:test";
import { extractText } from "unpdf";
import { extractPdfPages, PdfReadError } from "./pdf-text";
import { makeTextPdf } from "./test-pdf";

const PAGES = ["Sida 1: Protokoll\nRektor och vårdnadshavare möts.", "Sida 2: Åtgärder\nElevhälsan följer upp, två gånger.", "Sida 3: Beslut\nBetyg sätts i juni."];

describe("extractPdfPages", () => {
  test("gives every page the same text as unpdf's extractText", async () => {
    const bytes = makeTextPdf(PAGES);
    const reference = await extractText(new Uint8Array(bytes), { mergePages: false });
    const ours = await extractPdfPages(bytes, { maxPages: 100 });
    expect(ours.totalPages).toBe(3);
    expect(ours.pages).toEqual(reference.text);
    expect(ours.pages[1]).toContain("Elevhälsan följer upp");
  });

  test("stops at maxPages but reports the real page count, and leaves the caller's bytes usable", async () => {
    const bytes = makeTextPdf(PAGES);
    const seen: number[] = [];
    const capped = await extractPdfPages(bytes, { maxPages: 2, onPage: (n) => seen.push(n) });
    expect(capped.pages).toHaveLength(2);
    expect(capped.totalPages).toBe(3);
    expect(seen).toEqual([1, 2]);
    // the document is destroyed after each call; the same bytes extract again with the same result
    expect((await extractPdfPages(bytes, { maxPages: 2 })).pages).toEqual(capped.pages);
  });

  test("an aborted signal stops between pages", async () => {
    const controller = new AbortController();
    const run = extractPdfPages(makeTextPdf(PAGES), { maxPages: 100, signal: controller.signal, onPage: () => controller.abort(new Error("stopped")) });
    await expect(run).rejects.toThrow("stopped");
  });

  test("bytes that are not a PDF fail with PdfReadError", async () => {
    await expect(extractPdfPages(new TextEncoder().encode("not a pdf at all"), { maxPages: 10 })).rejects.toBeInstanceOf(PdfReadError);
  });
});
