import { expect, test } from "bun:test";
import { unzipSync, strFromU8 } from "fflate";
import { zipStream } from "./zip-stream";

const mtime = new Date("2026-11-23T10:00:00Z");

test("streams a valid zip: deflated text, stored PDF, non-ASCII names flagged as UTF-8", async () => {
  const big = "rad;värde\n".repeat(50_000);
  const stream = zipStream([
    { name: "betyg åk 9.csv", blob: new Blob([big]), mtime },
    { name: "mapp/rapport.pdf", blob: new Blob(["%PDF-1.4 …"]), mtime },
    { name: "tom.txt", blob: new Blob([]), mtime },
  ]);
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.length).toBeGreaterThan(2);
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  // the text was deflated (much smaller than it is), the PDF stored
  expect(bytes.byteLength).toBeLessThan(big.length / 10);
  const files = unzipSync(bytes);
  expect(Object.keys(files)).toEqual(["betyg åk 9.csv", "mapp/rapport.pdf", "tom.txt"]);
  expect(strFromU8(files["betyg åk 9.csv"]!)).toBe(big);
  expect(strFromU8(files["mapp/rapport.pdf"]!)).toBe("%PDF-1.4 …");
  expect(files["tom.txt"]!.byteLength).toBe(0);
});

test("a blob that fails to read fails the stream instead of ending it early", async () => {
  const broken = new Blob(["x"]);
  Object.defineProperty(broken, "stream", {
    value: () => new ReadableStream({ pull: (c) => c.error(new Error("disk gone")) }),
  });
  const stream = zipStream([{ name: "a.txt", blob: broken, mtime }]);
  await expect(new Response(stream).arrayBuffer()).rejects.toThrow("disk gone");
});
