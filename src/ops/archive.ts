// Streaming tar (optionally gzip) archives for backups and user exports: files are copied in chunks
// and hashed on the way, so a data dir of many gigabytes never sits in memory. Reading hands each
// entry to a callback with its bytes as a stream; names are checked by the caller's rules.
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import tar from "tar-stream";

export type FileDigest = { bytes: number; sha256: string };

export type ArchiveWriter = {
  addBytes(name: string, data: Uint8Array): Promise<FileDigest>;
  /** Copies a file; `onBytes` is told of every chunk (progress). */
  addFile(name: string, path: string, onBytes?: (n: number) => void): Promise<FileDigest>;
  /** Copies a Blob (a blob-store file) in chunks. */
  addBlob(name: string, blob: Blob, onBytes?: (n: number) => void): Promise<FileDigest>;
  /** Writes the end of the archive and waits until everything is on disk. */
  close(): Promise<void>;
  /** Stops writing; the partial output is left for the caller to remove. */
  abort(reason: Error): Promise<void>;
};

const CHUNK = 1024 * 1024;

/**
 * gzip level 3: backups are mostly office files, PDFs and images that are compressed already, so a
 * higher level costs CPU time on a 2-core VM for almost no gain.
 */
export const GZIP_LEVEL = 3;

/** Writes to `stream` (a file, or an HTTP response body via a PassThrough). */
export function createArchiveWriter(out: Writable, { gzip }: { gzip: boolean }): ArchiveWriter {
  const pack = tar.pack();
  const source = pack as unknown as Readable;
  const done = gzip ? pipeline(source, createGzip({ level: GZIP_LEVEL }), out) : pipeline(source, out);
  // an early failure (disk full) must not surface as an unhandled rejection before close() awaits it
  done.catch(() => {});
  const mtime = new Date();

  type Sink = ReturnType<typeof pack.entry>;
  const entry = (name: string, size: number): { sink: Sink; written: Promise<void> } => {
    let sink: Sink | undefined;
    // the executor runs at once, so `sink` is set when the promise exists
    const written = new Promise<void>((ok, fail) => {
      sink = pack.entry({ name, size, mode: 0o600, mtime, type: "file" }, (err) => (err ? fail(err) : ok()));
    });
    // a failure reaches the caller through `written` or write(); these keep it from also surfacing
    // as an unhandled error or rejection when the copy stops before awaiting them
    written.catch(() => {});
    sink!.on("error", () => {});
    return { sink: sink!, written };
  };

  // waits for room in the archive; rejects when it was closed meanwhile (disk full, a download
  // cancelled by the client), which would otherwise leave the copy waiting for a drain forever
  const write = (sink: Sink, chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (sink.write(chunk)) return resolve();
      const onDrain = () => {
        sink.off("close", onClose);
        resolve();
      };
      const onClose = () => {
        sink.off("drain", onDrain);
        reject(new Error("the archive was closed while it was being written"));
      };
      sink.once("drain", onDrain);
      sink.once("close", onClose);
    });

  return {
    async addBytes(name, data) {
      const { sink, written } = entry(name, data.byteLength);
      await write(sink, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      sink.end(null);
      await written;
      return { bytes: data.byteLength, sha256: new Bun.CryptoHasher("sha256").update(data).digest("hex") };
    },
    async addFile(name, path, onBytes) {
      // one open handle for size and content: the file read is the file measured
      const handle = await open(path, "r");
      try {
        const size = (await handle.stat()).size;
        const { sink, written } = entry(name, size);
        const hasher = new Bun.CryptoHasher("sha256");
        const buf = Buffer.allocUnsafe(CHUNK);
        let total = 0;
        while (total < size) {
          const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, size - total), total);
          if (bytesRead === 0) throw new Error(`${path} became shorter while it was being copied`);
          const chunk = Buffer.from(buf.subarray(0, bytesRead));
          hasher.update(chunk);
          await write(sink, chunk);
          total += bytesRead;
          onBytes?.(bytesRead);
        }
        sink.end(null);
        await written;
        return { bytes: total, sha256: hasher.digest("hex") };
      } finally {
        await handle.close();
      }
    },
    async addBlob(name, blob, onBytes) {
      const { sink, written } = entry(name, blob.size);
      const hasher = new Bun.CryptoHasher("sha256");
      let total = 0;
      for await (const part of blob.stream()) {
        if (total + part.byteLength > blob.size) throw new Error(`${name} grew while it was being copied`);
        const chunk = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
        hasher.update(chunk);
        await write(sink, chunk);
        total += part.byteLength;
        onBytes?.(part.byteLength);
      }
      if (total !== blob.size) throw new Error(`${name} became shorter while it was being copied`);
      sink.end(null);
      await written;
      return { bytes: total, sha256: hasher.digest("hex") };
    },
    async close() {
      pack.finalize();
      await done;
    },
    async abort(reason) {
      pack.destroy(reason);
      await done.catch(() => {});
    },
  };
}

export function createArchiveFileWriter(path: string, opts: { gzip: boolean }): ArchiveWriter {
  return createArchiveWriter(createWriteStream(path, { mode: 0o600 }), opts);
}

export type ArchiveEntry = {
  name: string;
  /** "file", "directory", "symlink", … as in the tar header */
  type: string;
  size: number;
  body: AsyncIterable<Buffer>;
};

/** True when the file starts with the gzip magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const head = new Uint8Array(await Bun.file(path).slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Calls `onEntry` for every entry in order; the callback must read `body` to the end (see
 * consumeEntry). Damaged archives (bad gzip, truncated tar) reject.
 */
export async function readArchive(path: string, onEntry: (entry: ArchiveEntry) => Promise<void>, { onFileBytes }: { onFileBytes?: (n: number) => void } = {}): Promise<void> {
  const gz = await isGzipFile(path);
  const extract = tar.extract();
  const file = createReadStream(path);
  // progress in bytes of the archive file itself (compressed), whose total is known up front
  if (onFileBytes) file.on("data", (chunk) => onFileBytes(chunk.length));
  const source: Readable = gz ? file.pipe(createGunzip()) : file;
  const fail = (err: Error) => extract.destroy(err);
  file.on("error", fail);
  source.on("error", fail);
  source.pipe(extract as unknown as Writable);
  try {
    for await (const e of extract) {
      const h = e.header;
      await onEntry({ name: h.name, type: h.type ?? "file", size: h.size ?? 0, body: e as AsyncIterable<Buffer> });
    }
  } finally {
    source.unpipe(extract as unknown as Writable);
    file.destroy();
    source.destroy();
  }
}

/** Reads an entry to the end, hashing it; writes it to `toPath` when given. */
export async function consumeEntry(entry: ArchiveEntry, { toPath, onBytes }: { toPath?: string; onBytes?: (n: number) => void } = {}): Promise<FileDigest> {
  const hasher = new Bun.CryptoHasher("sha256");
  const handle = toPath ? await open(toPath, "wx", 0o600) : null;
  let bytes = 0;
  try {
    for await (const chunk of entry.body) {
      hasher.update(chunk);
      bytes += chunk.length;
      if (handle) await handle.write(chunk);
      onBytes?.(chunk.length);
    }
  } finally {
    await handle?.close();
  }
  return { bytes, sha256: hasher.digest("hex") };
}

/** An entry's bytes in memory (small entries only: manifests). */
export async function entryBytes(entry: ArchiveEntry, maxBytes: number): Promise<Uint8Array> {
  if (entry.size > maxBytes) throw new Error(`${entry.name} is ${entry.size} bytes, more than the ${maxBytes} expected`);
  const chunks: Buffer[] = [];
  for await (const chunk of entry.body) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
