// Text per page of a PDF with unpdf (pdf.js in the same thread; no worker or wasm needed for text,
// stack-notes §4). Pages are read one at a time so a long document can be stopped between pages and
// capped at [documents] max_pages; unpdf's extractText reads them all at once.
import { getDocumentProxy } from "unpdf";

export type PdfText = { pages: string[]; totalPages: number };

export class PdfReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PdfReadError";
  }
}

/** Same joining as unpdf's extractText: each text item, plus a line break where pdf.js reports one. */
/**
 * Pages between two releases of pdf.js's parsed pages and fonts: memory stays bounded on a long
 * document, while the pages in between reuse the fonts they share (releasing after every page made
 * the next one parse its fonts again: ≈15% slower in one thread, ≈30% on the pool's threads).
 */
export const CLEANUP_EVERY_PAGES = 50;

export type TextItemLike = { str?: unknown; hasEOL?: unknown };

export function pageText(items: readonly TextItemLike[]): string {
  return items
    .filter((i) => typeof i.str === "string")
    .map((i) => (i.str as string) + (i.hasEOL ? "\n" : ""))
    .join("");
}

export async function extractPdfPages(bytes: Uint8Array, opts: { maxPages: number; signal?: AbortSignal; onPage?: (page: number) => void }): Promise<PdfText> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: pass a copy
    pdf = await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: false, verbosity: 0 });
  } catch (e) {
    throw new PdfReadError(e instanceof Error ? e.message : String(e), { cause: e });
  }
  try {
    const count = Math.min(pdf.numPages, opts.maxPages);
    const pages: string[] = [];
    for (let n = 1; n <= count; n++) {
      opts.signal?.throwIfAborted();
      let content: { items: unknown[] };
      try {
        const page = await pdf.getPage(n);
        content = await page.getTextContent();
        if (n % CLEANUP_EVERY_PAGES === 0) await pdf.cleanup();
      } catch (e) {
        throw new PdfReadError(`page ${n}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      pages.push(pageText(content.items as TextItemLike[]));
      opts.onPage?.(n);
    }
    return { pages, totalPages: pdf.numPages };
  } finally {
    // getDocumentProxy (unlike unpdf's extractText) leaves the document open: without this every
    // extracted PDF stays in the long-running server's memory (its bytes, xref, caches, fake worker)
    await pdf.loadingTask.destroy();
  }
}
