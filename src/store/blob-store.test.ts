import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore } from "./blob-store";

test("put, get, delete and deletePrefix on the filesystem", async () => {
  const store = createFsBlobStore(mkdtempSync(join(tmpdir(), "skt-blob-")));
  expect(await store.put("runs/r1/inputs/f1", new TextEncoder().encode("hej"))).toEqual({ bytes: 3 });
  await store.put("runs/r1/artifacts/a1", new Blob(["x".repeat(10)]));
  expect(await (await store.get("runs/r1/inputs/f1"))!.text()).toBe("hej");
  await store.delete("runs/r1/inputs/f1");
  expect(await store.get("runs/r1/inputs/f1")).toBeNull();
  await store.deletePrefix("runs/r1");
  expect(await store.get("runs/r1/artifacts/a1")).toBeNull();
});

test("keys that could escape the store are refused", async () => {
  const store = createFsBlobStore(mkdtempSync(join(tmpdir(), "skt-blob-")));
  for (const bad of ["../x", "runs/../../etc/passwd", "/abs", "a//b", "a/./b", ""]) {
    await expect(store.put(bad, new Uint8Array())).rejects.toThrow();
  }
});
