// Streaming tar archives: what is written reads back byte for byte with the same sha256, gzip or
// not, also for long names and files larger than one chunk.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumeEntry, createArchiveFileWriter, createArchiveWriter, isGzipFile, readArchive } from "./archive";

const dir = mkdtempSync(join(tmpdir(), "skt-archive-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([true, false])("archive with gzip %p", (gzip) => {
  test("bytes, files and blobs round-trip with their sha256", async () => {
    const big = crypto.getRandomValues(new Uint8Array(3 * 1024 * 1024 + 17));
    const bigFile = join(dir, `big-${gzip}.bin`);
    writeFileSync(bigFile, big);
    const longName = `files/blobs/runs/${"a".repeat(36)}/artifacts/${"b".repeat(36)}/${"c".repeat(60)}`;
    const out = join(dir, `t-${gzip}.tar${gzip ? ".gz" : ""}`);
    const w = createArchiveFileWriter(out, { gzip });
    let progressed = 0;
    const written = [
      ["small.json", await w.addBytes("small.json", new TextEncoder().encode('{"a":1}'))],
      [longName, await w.addFile(longName, bigFile, (n) => (progressed += n))],
      ["blob.txt", await w.addBlob("blob.txt", new Blob(["hej från en blob"]))],
      ["empty", await w.addBytes("empty", new Uint8Array(0))],
    ] as const;
    await w.close();
    expect(progressed).toBe(big.byteLength);
    expect(written[1][1]).toEqual({ bytes: big.byteLength, sha256: new Bun.CryptoHasher("sha256").update(big).digest("hex") });
    expect(await isGzipFile(out)).toBe(gzip);
    const read: [string, unknown][] = [];
    await readArchive(out, async (e) => void read.push([e.name, await consumeEntry(e)]));
    expect(read).toEqual(written.map(([n, d]) => [n, d]));
  });
});

test("a damaged gzip stream rejects", async () => {
  const out = join(dir, "bad.tar.gz");
  writeFileSync(out, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5]));
  await expect(readArchive(out, async (e) => void (await consumeEntry(e)))).rejects.toThrow();
});

test("an output closed half-way (a cancelled download) ends the copy with an error instead of hanging", async () => {
  const { PassThrough } = await import("node:stream");
  const out = new PassThrough({ highWaterMark: 1024 }); // nobody reads: the writer soon waits for room
  const w = createArchiveWriter(out, { gzip: true });
  const writing = (async () => {
    await w.addBlob("big.bin", new Blob([crypto.getRandomValues(new Uint8Array(65_536)), new Uint8Array(8 * 1024 * 1024)]));
    await w.addBytes("after.txt", new TextEncoder().encode("x"));
    await w.close();
  })();
  await Bun.sleep(50);
  out.destroy();
  await expect(writing).rejects.toThrow();
});
