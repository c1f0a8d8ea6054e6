// Worker thread of the PDF text pool (pdf-text-pool.ts): takes runs of consecutive pages of a
// document from a counter it shares with the document's other threads, until none are left, and
// posts each page as soon as it is read. Taking runs as it goes (not a fixed half) keeps both threads
// busy to the end when pages differ in cost or a core is busy with something else; consecutive pages
// share fonts and resources, which pdf.js then parses once per run.
// Listed as a second entrypoint in scripts/build.sh, so the compiled binary carries it.
import { getDocumentProxy } from "unpdf";
import type { PoolReply, PoolRequest } from "./pdf-text-pool.protocol";
import { CLEANUP_EVERY_PAGES, pageText, type TextItemLike } from "./pdf-text";

declare const self: Worker;

const PAGES_PER_TAKE = 5;
const cancelled = new Set<number>();

function reply(message: PoolReply): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<PoolRequest>) => {
  const job = event.data;
  if (job.type === "cancel") {
    cancelled.add(job.id);
    return;
  }
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(job.bytes, { stopAtErrors: false, verbosity: 0 });
  } catch (e) {
    reply({ type: "error", id: job.id, page: null, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  try {
    const count = Math.min(pdf.numPages, job.maxPages);
    const next = new Int32Array(job.nextPage);
    let read = 0;
    for (;;) {
      const first = Atomics.add(next, 0, PAGES_PER_TAKE) + 1;
      if (first > count) break;
      for (let n = first; n < first + PAGES_PER_TAKE && n <= count; n++) {
        if (cancelled.has(job.id)) return;
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        if (++read % CLEANUP_EVERY_PAGES === 0) await pdf.cleanup();
        reply({ type: "page", id: job.id, page: n, text: pageText(content.items as TextItemLike[]) });
      }
    }
    reply({ type: "done", id: job.id, totalPages: pdf.numPages });
  } catch (e) {
    reply({ type: "error", id: job.id, page: null, message: e instanceof Error ? e.message : String(e) });
  } finally {
    cancelled.delete(job.id);
    await pdf.loadingTask.destroy();
  }
};
