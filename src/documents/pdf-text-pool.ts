// PDF text extraction on worker threads: a document's pages are shared out between the threads
// (each thread takes the next five pages until none are left), so a long PDF uses every core the machine has free instead
// of one. Measured on this 2-core machine (scripts/bench/extract.ts, 100 pages, warm threads):
// ≈105 → 78 ms for a plain text PDF and ≈195 → 125 ms for a Chromium print with embedded fonts. Each
// thread parses the document itself (cheap next to the pages' text and fonts) and keeps pdf.js loaded
// between documents: starting pdf.js in the threads costs ≈250 ms, which only the first document
// after start pays. The threads are not unref'd: in Bun 1.4.5 an unref'd worker made its messages
// cost twice the CPU (the process must end them: close(), and `serve` exits explicitly anyway).
// With one thread the pool extracts in the calling thread (pdf-text.ts), as before.
import { availableParallelism } from "node:os";
import { extractPdfPages, PdfReadError, type PdfText } from "./pdf-text";
import type { PoolReply, PoolRequest } from "./pdf-text-pool.protocol";

export type ExtractOptions = { maxPages: number; signal?: AbortSignal; onPage?: (page: number) => void };

export type PdfTextPool = {
  extract(bytes: Uint8Array, opts: ExtractOptions): Promise<PdfText>;
  /** Ends the threads; a later extract starts new ones. */
  close(): void;
};

type Job = {
  pages: Map<number, string>;
  pending: number;
  totalPages: number | null;
  opts: ExtractOptions;
  resolve: (text: PdfText) => void;
  reject: (error: unknown) => void;
};

// In the compiled binary the worker is an embedded entrypoint named relative to the entry's folder
// (src/); from source it is this folder's file.
function workerSpecifier(): string {
  return import.meta.url.startsWith("file:///$bunfs/") ? "./documents/pdf-text.worker.ts" : new URL("./pdf-text.worker.ts", import.meta.url).href;
}

export function createPdfTextPool(opts: { threads: number }): PdfTextPool {
  const threads = Math.max(1, Math.floor(opts.threads));
  let workers: Worker[] | null = null;
  const jobs = new Map<number, Job>();
  let nextId = 1;

  const send = (request: PoolRequest) => {
    for (const w of workers ?? []) w.postMessage(request);
  };

  const settle = (id: number) => {
    const job = jobs.get(id);
    jobs.delete(id);
    return job;
  };

  const onReply = (message: PoolReply) => {
    const job = jobs.get(message.id);
    if (!job) return; // cancelled or failed already
    if (message.type === "page") {
      job.pages.set(message.page, message.text);
      job.opts.onPage?.(message.page);
    } else if (message.type === "done") {
      job.totalPages = message.totalPages;
      if (--job.pending === 0) {
        settle(message.id);
        const count = Math.min(message.totalPages, job.opts.maxPages);
        job.resolve({ pages: Array.from({ length: count }, (_, i) => job.pages.get(i + 1) ?? ""), totalPages: message.totalPages });
      }
    } else {
      settle(message.id);
      send({ type: "cancel", id: message.id });
      job.reject(new PdfReadError(message.page === null ? message.message : `page ${message.page}: ${message.message}`));
    }
  };

  // A thread that dies (or cannot be loaded) fails the documents in progress; the next extract
  // starts fresh threads.
  const onCrash = (error: unknown) => {
    const crashed = workers;
    workers = null;
    for (const w of crashed ?? []) w.terminate();
    for (const [id, job] of jobs) {
      jobs.delete(id);
      job.reject(new Error(`the PDF text thread stopped: ${error instanceof ErrorEvent ? error.message : String(error)}`));
    }
  };

  const start = (): Worker[] => {
    const spec = workerSpecifier();
    return Array.from({ length: threads }, () => {
      const w = new Worker(spec);
      w.onmessage = (e: MessageEvent<PoolReply>) => onReply(e.data);
      w.onerror = (e) => onCrash(e);
      // idle threads must not keep a finished CLI command or test process alive
      //UNREF w.unref();
      return w;
    });
  };

  return {
    extract(bytes, extractOpts) {
      if (threads === 1) return extractPdfPages(bytes, extractOpts);
      extractOpts.signal?.throwIfAborted();
      workers ??= start();
      const id = nextId++;
      return new Promise<PdfText>((resolve, reject) => {
        const job: Job = { pages: new Map(), pending: threads, totalPages: null, opts: extractOpts, resolve, reject };
        jobs.set(id, job);
        extractOpts.signal?.addEventListener(
          "abort",
          () => {
            if (!settle(id)) return;
            send({ type: "cancel", id });
            reject(extractOpts.signal!.reason);
          },
          { once: true },
        );
        // each thread gets its own copy: pdf.js takes ownership of (detaches) the buffer it is given
        const nextPage = new SharedArrayBuffer(4);
        for (const w of workers!) w.postMessage({ type: "extract", id, bytes: new Uint8Array(bytes), nextPage, maxPages: extractOpts.maxPages } satisfies PoolRequest);
      });
    },
    close() {
      const running = workers;
      workers = null;
      for (const w of running ?? []) w.terminate();
      for (const [id, job] of jobs) {
        jobs.delete(id);
        job.reject(new Error("the PDF text pool was closed"));
      }
    },
  };
}

let shared: PdfTextPool | null = null;

/** The process's pool: one thread per core, at most two (pdf.js gains little beyond that per document). */
export function sharedPdfTextPool(): PdfTextPool {
  return (shared ??= createPdfTextPool({ threads: Math.min(2, availableParallelism()) }));
}

/** Ends the shared pool's threads, if it has any (the document workers' stop). */
export function closeSharedPdfTextPool(): void {
  shared?.close();
}
