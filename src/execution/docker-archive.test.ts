// The archive code against hand-made tars: names and entry types a real container cannot produce
// (`..`, absolute paths, devices) and the byte/file caps, checked without Docker.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import tar from "tar-stream";
import {
  checkInputName,
  checkOutputName,
  extractOutputArchive,
  packWorkArchive,
  readSingleFileArchive,
  SANDBOX_UID,
} from "./docker-archive";
import { RunnerDriverError } from "./runner-driver";

type Entry = Partial<tar.Header> & { name: string; body?: string };

/** A complete tar as one Node stream, like the body of GET /archive. */
async function tarOf(entries: Entry[]): Promise<Readable> {
  const pack = tar.pack();
  // read while writing: the pack holds back entry callbacks while its buffer is full
  const chunks: Uint8Array[] = [];
  const read = (async () => {
    for await (const c of pack) chunks.push(c as Uint8Array);
  })();
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body !== undefined) pack.entry(header, body, done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  await read;
  return Readable.from([Buffer.concat(chunks)]);
}

async function entriesOf(stream: AsyncIterable<unknown>): Promise<{ header: tar.Header; body: string }[]> {
  const extract = tar.extract();
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c as Uint8Array);
  const out: { header: tar.Header; body: string }[] = [];
  const done = (async () => {
    for await (const e of extract) {
      let body = "";
      for await (const c of e) body += Buffer.from(c as Uint8Array).toString("utf8");
      out.push({ header: e.header, body });
    }
  })();
  extract.end(Buffer.concat(chunks));
  await done;
  return out;
}

let root: string;
let outDir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "skt-archive-"));
  outDir = join(root, "out");
  mkdirSync(outDir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("packWorkArchive", () => {
  test("script, memory, root-owned read-only inputs and an output folder owned by the sandbox user", async () => {
    const pack = packWorkArchive({
      script: "print('hej')",
      memoryJson: '{"settings":{}}',
      inputFiles: [
        { name: "elever.csv", data: new TextEncoder().encode("namn\nÅsa\n") },
        { name: "anteckning.txt", data: new Blob(["från en blob"]) },
      ],
    });
    const entries = await entriesOf(pack);
    const by = new Map(entries.map((e) => [e.header.name, e]));
    expect([...by.keys()].sort()).toEqual(
      ["input/", "input/anteckning.txt", "input/elever.csv", "memory.json", "output/", "script.py"].sort(),
    );
    expect(by.get("script.py")!.body).toBe("print('hej')");
    expect(by.get("memory.json")!.body).toBe('{"settings":{}}');
    expect(by.get("input/elever.csv")!.body).toBe("namn\nÅsa\n");
    expect(by.get("input/anteckning.txt")!.body).toBe("från en blob");
    expect(by.get("input/")!.header).toMatchObject({ type: "directory", uid: 0, gid: 0, mode: 0o755 });
    expect(by.get("input/elever.csv")!.header).toMatchObject({ uid: 0, gid: 0, mode: 0o644 });
    expect(by.get("output/")!.header).toMatchObject({ type: "directory", uid: SANDBOX_UID, gid: SANDBOX_UID, mode: 0o755 });
  });

  test("refuses unsafe and duplicate input names before anything is sent", () => {
    for (const name of ["", ".", "..", "a/b", "a\\b", "a\0b", "x".repeat(256)]) {
      expect(() => packWorkArchive({ script: "", memoryJson: "{}", inputFiles: [{ name, data: new Uint8Array() }] })).toThrow(
        RunnerDriverError,
      );
    }
    const dup = { name: "a.txt", data: new Uint8Array() };
    expect(() => packWorkArchive({ script: "", memoryJson: "{}", inputFiles: [dup, dup] })).toThrow(/Two input files/);
    expect(checkInputName("rapport åäö.docx")).toBeNull();
  });
});

describe("checkOutputName", () => {
  test("accepts output/… and rejects everything else", () => {
    expect(checkOutputName("output/")).toEqual({ rel: "", path: "output/" });
    expect(checkOutputName("output/a/b.txt")).toEqual({ rel: "a/b.txt", path: "output/a/b.txt" });
    for (const bad of ["/etc/passwd", "output/../x", "output/a/../../x", "../output/x", "input/a", "output//a", "output/./a"]) {
      expect("problem" in checkOutputName(bad)).toBe(true);
    }
  });
});

describe("extractOutputArchive", () => {
  test("writes regular files and folders; rejects links, devices, traversal and absolute names without touching the host", async () => {
    const source = await tarOf([
      { name: "output/", type: "directory" },
      { name: "output/rapport.txt", body: "hej" },
      { name: "output/sub/", type: "directory" },
      { name: "output/sub/data.csv", body: "a,b\n1,2\n", mode: 0o4755 },
      { name: "output/pw", type: "symlink", linkname: "/etc/passwd" },
      { name: "output/etc", type: "symlink", linkname: "/etc" },
      { name: "output/etc/passwd", body: "through the link" },
      { name: "output/hard", type: "link", linkname: "output/rapport.txt" },
      { name: "output/null", type: "character-device", devmajor: 1, devminor: 3 },
      { name: "output/pipe", type: "fifo" },
      { name: "output/../escaped.txt", body: "evil" },
      { name: "/abs.txt", body: "evil" },
      { name: "input/x", body: "evil" },
      { name: "output/rapport.txt", body: "second copy" },
      { name: "output/deep/er/file.txt", body: "no dir entries before me" },
    ]);
    const r = await extractOutputArchive(source, outDir, { maxBytes: 1 << 20, maxFiles: 100 });

    expect(r.files.map((f) => f.path).sort()).toEqual([
      "output/deep/er/file.txt",
      "output/etc/passwd", // lands in a real folder of ours: the rejected link was never created
      "output/rapport.txt",
      "output/sub/data.csv",
    ]);
    expect(readFileSync(join(outDir, "rapport.txt"), "utf8")).toBe("hej");
    expect(readFileSync(join(outDir, "sub/data.csv"), "utf8")).toBe("a,b\n1,2\n");
    expect(readFileSync(join(outDir, "deep/er/file.txt"), "utf8")).toBe("no dir entries before me");
    expect(r.files.find((f) => f.path === "output/sub/data.csv")).toMatchObject({ bytes: 8, hostPath: join(outDir, "sub/data.csv") });
    // tar modes are ignored: no setuid file appears on the host
    expect(lstatSync(join(outDir, "sub/data.csv")).mode & 0o7777).toBe(0o600);
    expect(r.bytes).toBe(3 + 8 + 16 + 24);

    const reasons = new Map(r.problems.map((p) => [p.path, p.reason]));
    expect(reasons.get("output/pw")).toMatch(/symbolic link/);
    expect(reasons.get("output/etc")).toMatch(/symbolic link/);
    expect(reasons.get("output/hard")).toMatch(/hard link/);
    expect(reasons.get("output/null")).toMatch(/device/);
    expect(reasons.get("output/pipe")).toMatch(/fifo/);
    expect(reasons.get("output/../escaped.txt")).toMatch(/\.\./);
    expect(reasons.get("/abs.txt")).toMatch(/absolute/);
    expect(reasons.get("input/x")).toMatch(/outside output/);
    expect(reasons.get("output/rapport.txt")).toMatch(/duplicate/);
    expect(readFileSync(join(outDir, "etc/passwd"), "utf8")).toBe("through the link");
    expect(lstatSync(join(outDir, "etc")).isDirectory()).toBe(true);

    expect(existsSync(join(root, "escaped.txt"))).toBe(false);
    expect(readdirSync(root)).toEqual(["out"]);
    expect(existsSync(join(outDir, "pw"))).toBe(false);
    expect(existsSync(join(outDir, "hard"))).toBe(false);
  });

  test("/work/output replaced by a link: nothing is collected", async () => {
    const r = await extractOutputArchive(await tarOf([{ name: "output", type: "symlink", linkname: "/etc" }]), outDir, {
      maxBytes: 1000,
      maxFiles: 10,
    });
    expect(r.files).toEqual([]);
    expect(r.problems).toEqual([{ path: "output/", reason: expect.stringMatching(/symbolic link/) }]);
    expect(readdirSync(outDir)).toEqual([]);
  });

  test("stops at the file cap", async () => {
    const entries: Entry[] = [{ name: "output/", type: "directory" }];
    for (let i = 0; i < 50; i++) entries.push({ name: `output/f${i}.txt`, body: `${i}` });
    const r = await extractOutputArchive(await tarOf(entries), outDir, { maxBytes: 1 << 20, maxFiles: 10 });
    expect(r.files.length).toBe(10);
    expect(readdirSync(outDir).length).toBe(10);
    expect(r.problems).toEqual([{ path: "output/", reason: "more than 10 files; the rest was not read" }]);
  });

  test("stops before the file that would pass the byte cap", async () => {
    const r = await extractOutputArchive(
      await tarOf([
        { name: "output/a", body: "x".repeat(600) },
        { name: "output/b", body: "y".repeat(600) },
        { name: "output/c", body: "z" },
      ]),
      outDir,
      { maxBytes: 1000, maxFiles: 10 },
    );
    expect(r.files.map((f) => f.path)).toEqual(["output/a"]);
    expect(r.problems).toEqual([{ path: "output/b", reason: expect.stringMatching(/limit of 1000 bytes/) }]);
    expect(existsSync(join(outDir, "b"))).toBe(false);
  });
});

describe("readSingleFileArchive", () => {
  test("reads a small result.json", async () => {
    const r = await readSingleFileArchive(await tarOf([{ name: "result.json", body: '{"a":1}' }]), "result.json", 100);
    expect(new TextDecoder().decode(r.bytes!)).toBe('{"a":1}');
    expect(r.problem).toBeUndefined();
  });

  test("a symlink is reported, not followed", async () => {
    const r = await readSingleFileArchive(
      await tarOf([{ name: "result.json", type: "symlink", linkname: "/etc/passwd" }]),
      "result.json",
      100,
    );
    expect(r).toEqual({ bytes: null, problem: "result.json is not a regular file (symbolic link)" });
  });

  test("a 100 MB result.json is refused from its header; the body is never pulled", async () => {
    const size = 100 * 1024 * 1024;
    // the 512-byte header tar-stream writes for such an entry, then zeros produced lazily and counted
    const pack = tar.pack();
    pack.entry({ name: "result.json", size });
    let header: Uint8Array | undefined;
    for await (const c of pack) {
      header = c as Uint8Array;
      break;
    }
    let produced = 0;
    const chunk = new Uint8Array(64 * 1024);
    const source = new Readable({
      read() {
        if (produced === 0) {
          produced += header!.length;
          this.push(header);
          return;
        }
        if (produced >= size) return void this.push(null);
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const r = await readSingleFileArchive(source, "result.json", 1024 * 1024);
    expect(r).toEqual({ bytes: null, problem: `result.json is too large: ${size} bytes, the limit is ${1024 * 1024}` });
    expect(produced).toBeLessThan(2 * 1024 * 1024);
    expect(source.destroyed).toBe(true);
  });
});
