// A zip archive streamed from blobs (fflate's streaming Zip): the bytes leave as the client reads
// them, one file at a time, so a run's files never sit in memory all at once. Formats that are
// already compressed are stored as they are; everything else is deflated.
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";

export type ZipEntry = { name: string; blob: Blob; mtime: Date };

/** Already compressed: deflating them again costs CPU and saves nothing. */
const STORED_EXTENSIONS = new Set([".zip", ".gz", ".7z", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".mp3", ".mp4"]);

function storedAsIs(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot > 0 && STORED_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/**
 * The zip of `entries` as a byte stream. Pull-based: the next blob is read only when the client has
 * taken what came before. A read error ends the stream with that error (the download fails visibly
 * rather than yielding a silently truncated archive).
 */
export function zipStream(entries: readonly ZipEntry[]): ReadableStream<Uint8Array> {
  const pending: Uint8Array[] = [];
  let finished = false;
  let failure: Error | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else pending.push(chunk);
    if (final) finished = true;
  });

  async function* produce(): AsyncGenerator<Uint8Array> {
    for (const entry of entries) {
      const file = storedAsIs(entry.name) ? new ZipPassThrough(entry.name) : new ZipDeflate(entry.name, { level: 6 });
      file.mtime = entry.mtime;
      zip.add(file);
      for await (const chunk of entry.blob.stream()) {
        file.push(chunk);
        yield* drain();
      }
      file.push(new Uint8Array(0), true);
      yield* drain();
    }
    zip.end();
    yield* drain();
    if (!finished) throw new Error("zip stream ended without its central directory");
  }

  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (pending.length) yield pending.shift()!;
  }

  const it = produce();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
