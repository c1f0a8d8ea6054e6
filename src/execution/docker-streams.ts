// Capped reading of a container's stdout/stderr.
//
// Docker sends both streams over one connection (no TTY) as frames: an 8-byte header — stream type
// (1 = stdout, 2 = stderr), three zero bytes, payload length as big-endian uint32 — then the payload.
// Frames and headers can be split anywhere across network chunks. We keep the first `cap` bytes of
// each stream and keep DRAINING the rest without storing it: if we stopped reading, Docker would stop
// forwarding and a chatty script would block on write() until its deadline instead of finishing
// (runner-notes §2: json-file log rotation does not limit what an attached client receives).

/** Keeps the first `cap` bytes written to it; counts (and drops) everything after. */
export class CappedBuffer {
  private readonly chunks: Uint8Array[] = [];
  private kept = 0;
  /** Every byte written, kept or not. */
  total = 0;

  constructor(readonly cap: number) {}

  write(bytes: Uint8Array): void {
    this.total += bytes.length;
    const room = this.cap - this.kept;
    if (room <= 0) return;
    const part = bytes.length <= room ? bytes : bytes.subarray(0, room);
    // copy: the caller's chunk may be a view into a buffer that gets reused
    this.chunks.push(Uint8Array.from(part));
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.kept);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** UTF-8 text; when cut, the cut moves back to a character boundary so no half character shows. */
  text(): string {
    const bytes = this.bytes();
    const end = this.truncated ? utf8Boundary(bytes) : bytes.length;
    return new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, end));
  }
}

/** Length of the longest prefix of `bytes` that does not end inside a multi-byte UTF-8 sequence. */
export function utf8Boundary(bytes: Uint8Array): number {
  let i = bytes.length;
  // walk back over at most 3 continuation bytes to the lead byte of the last sequence
  let back = 0;
  while (i - back - 1 >= 0 && back < 3 && ((bytes[i - back - 1] ?? 0) & 0xc0) === 0x80) back++;
  const leadAt = i - back - 1;
  if (leadAt < 0) return i;
  const lead = bytes[leadAt] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return back + 1 >= need ? i : leadAt;
}

const HEADER = 8;

/**
 * Splits Docker's multiplexed stream into two capped buffers. Feed it every chunk in order.
 * Frames of type 0 (stdin echo) are ignored; an unknown type means the stream is not multiplexed
 * (a TTY container), which we never create, so it is treated as stdout to lose nothing.
 */
export class StdioDemuxer {
  readonly stdout: CappedBuffer;
  readonly stderr: CappedBuffer;
  private header = new Uint8Array(HEADER);
  private headerFill = 0;
  private remaining = 0;
  private target: CappedBuffer | null = null;

  constructor(cap: number) {
    this.stdout = new CappedBuffer(cap);
    this.stderr = new CappedBuffer(cap);
  }

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.target?.write(chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        continue;
      }
      const take = Math.min(HEADER - this.headerFill, chunk.length - at);
      this.header.set(chunk.subarray(at, at + take), this.headerFill);
      this.headerFill += take;
      at += take;
      if (this.headerFill < HEADER) return;
      this.headerFill = 0;
      const type = this.header[0];
      this.remaining = new DataView(this.header.buffer).getUint32(4, false);
      this.target = type === 2 ? this.stderr : type === 0 ? null : this.stdout;
    }
  }
}

/** Reads a Node-style readable to its end, feeding the demuxer (or anything that takes chunks); never rejects. */
export function drainInto(
  stream: NodeJS.ReadableStream,
  demuxer: Pick<StdioDemuxer, "push">,
): Promise<void> {
  return new Promise((resolve) => {
    stream.on("data", (chunk: Uint8Array | string) => {
      demuxer.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
    });
    // the attach/log stream ends when the container stops; an error (e.g. the connection dropped)
    // also ends what we can read — the caller decides what the outcome is from the container state
    stream.on("end", () => resolve());
    stream.on("close", () => resolve());
    stream.on("error", () => resolve());
  });
}
