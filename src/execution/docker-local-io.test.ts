// The host side of the local /work path, without Docker: run folders laid out by hand the way a hostile
// script could leave them (links, fifos, sockets, odd names, growing trees) and read back with the caps.
// The same cases through a real container are in docker-driver.test.ts.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_UID } from "./docker-archive";
import {
  checkInputFiles,
  collectRunDir,
  createRunDir,
  ensureWorkRoot,
  fillRunDir,
  removeRunDir,
  runDirOf,
  runIdOfDirName,
} from "./docker-local-io";
import { RunnerDriverError } from "./runner-driver";

const IS_ROOT = process.getuid?.() === 0;
const CAPS = { resultBytes: 1024, maxBytes: 10_000, maxFiles: 5 };

let base: string;
let runDir: string;
let outDir: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "skt-local-io-"));
  runDir = join(base, "run");
  outDir = join(base, "out");
  mkdirSync(join(runDir, "output"), { recursive: true });
  mkdirSync(outDir);
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

function put(rel: string, content: string | Uint8Array): void {
  const path = join(runDir, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
}

function mode(path: string): string {
  return (lstatSync(path).mode & 0o7777).toString(8);
}

describe("collectRunDir", () => {
  test("regular files in name order, folders mirrored, result.json read, 0600 copies owned by us", async () => {
    put("result.json", '{"ok":true}');
    put("output/b.txt", "bbb");
    put("output/a/z.txt", "zz");
    put("output/a/y.txt", "y");
    mkdirSync(join(runDir, "output", "empty"));
    const c = await collectRunDir(runDir, outDir, CAPS);
    expect(new TextDecoder().decode(c.result.bytes!)).toBe('{"ok":true}');
    expect(c.output.files).toEqual([
      { path: "output/a/y.txt", bytes: 1, hostPath: join(outDir, "a/y.txt") },
      { path: "output/a/z.txt", bytes: 2, hostPath: join(outDir, "a/z.txt") },
      { path: "output/b.txt", bytes: 3, hostPath: join(outDir, "b.txt") },
    ]);
    expect(c.output.problems).toEqual([]);
    expect(c.output.bytes).toBe(6);
    expect(c.permissionDenied).toBe(false);
    expect(readFileSync(join(outDir, "a/z.txt"), "utf8")).toBe("zz");
    expect(existsSync(join(outDir, "empty"))).toBe(true);
    expect(mode(join(outDir, "b.txt"))).toBe("600");
    expect(mode(join(outDir, "a"))).toBe("700");
  });

  test("symbolic links are reported and never followed: to files, to folders, as result.json, as output/", async () => {
    const secret = join(base, "secret.txt");
    writeFileSync(secret, "hemligt");
    mkdirSync(join(base, "elsewhere"));
    writeFileSync(join(base, "elsewhere", "inner.txt"), "inte din");
    symlinkSync(secret, join(runDir, "output", "file-link"));
    symlinkSync(join(base, "elsewhere"), join(runDir, "output", "dir-link"));
    symlinkSync("../../secret.txt", join(runDir, "output", "relative-link"));
    symlinkSync(secret, join(runDir, "result.json"));
    const c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.result).toEqual({ bytes: null, problem: "result.json is not a regular file (symbolic link)" });
    expect(c.output.files).toEqual([]);
    expect(c.output.problems).toEqual([
      { path: "output/dir-link", reason: "not a regular file (symbolic link); not collected" },
      { path: "output/file-link", reason: "not a regular file (symbolic link); not collected" },
      { path: "output/relative-link", reason: "not a regular file (symbolic link); not collected" },
    ]);
    expect(readdirSync(outDir)).toEqual([]);

    rmSync(join(runDir, "output"), { recursive: true });
    symlinkSync(join(base, "elsewhere"), join(runDir, "output"));
    const again = await collectRunDir(runDir, mkdtempSync(join(base, "out2-")), CAPS);
    expect(again.output).toEqual({
      files: [],
      problems: [{ path: "output/", reason: "not a regular file (symbolic link); not collected" }],
      bytes: 0,
    });
  });

  test("the first name of a hard-linked file is collected, later names are reported (as Docker's tar does)", async () => {
    put("output/a.txt", "samma");
    linkSync(join(runDir, "output", "a.txt"), join(runDir, "output", "b.txt"));
    linkSync(join(runDir, "output", "a.txt"), join(runDir, "result.json"));
    const c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.output.files.map((f) => f.path)).toEqual(["output/a.txt"]);
    expect(c.output.problems).toEqual([{ path: "output/b.txt", reason: "not a regular file (hard link); not collected" }]);
    // result.json is read on its own, like GET /archive of that one file
    expect(new TextDecoder().decode(c.result.bytes!)).toBe("samma");
  });

  test("a fifo (as output entry and as result.json) and a socket never block and are reported", async () => {
    Bun.spawnSync(["mkfifo", join(runDir, "output", "pipe"), join(runDir, "result.json")]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(runDir, "output", "sock"), resolve));
    try {
      const c = await collectRunDir(runDir, outDir, CAPS);
      expect(c.result).toEqual({ bytes: null, problem: "result.json is not a regular file (fifo)" });
      expect(c.output.problems).toEqual([
        { path: "output/pipe", reason: "not a regular file (fifo); not collected" },
        { path: "output/sock", reason: "not a regular file (socket); not collected" },
      ]);
    } finally {
      server.close();
    }
  });

  test("missing pieces and wrong types: no result.json, output/ missing, output/ a file, result.json a folder", async () => {
    rmSync(join(runDir, "output"), { recursive: true });
    let c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.result).toEqual({ bytes: null, problem: "result.json is missing" });
    expect(c.output.problems).toEqual([{ path: "output/", reason: "/work/output is missing" }]);

    put("output", "en fil");
    mkdirSync(join(runDir, "result.json"));
    c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.result).toEqual({ bytes: null, problem: "result.json is not a regular file (directory)" });
    expect(c.output.problems).toEqual([{ path: "output/", reason: "/work/output is not a directory; not collected" }]);
  });

  test("result.json over the cap is reported from its size and not read", async () => {
    put("result.json", "x".repeat(CAPS.resultBytes + 1));
    const c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.result).toEqual({ bytes: null, problem: `result.json is too large: ${CAPS.resultBytes + 1} bytes, the limit is ${CAPS.resultBytes}` });
  });

  test("file, folder and byte caps stop the walk with the archive path's texts", async () => {
    for (let i = 0; i < 8; i++) put(`output/f${i}.txt`, "x");
    let c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.output.files.length).toBe(CAPS.maxFiles);
    expect(c.output.problems).toEqual([{ path: "output/", reason: "more than 5 files; the rest was not read" }]);

    rmSync(join(runDir, "output"), { recursive: true });
    mkdirSync(join(runDir, "output", ["d", "d", "d", "d", "d", "d", "d"].join("/")), { recursive: true });
    c = await collectRunDir(runDir, mkdtempSync(join(base, "out2-")), CAPS);
    expect(c.output.problems).toEqual([{ path: "output/", reason: "more than 5 directories; the rest was not read" }]);

    rmSync(join(runDir, "output"), { recursive: true });
    put("output/a.bin", new Uint8Array(6_000));
    put("output/b.bin", new Uint8Array(6_000));
    put("output/c.bin", new Uint8Array(1));
    const out3 = mkdtempSync(join(base, "out3-"));
    c = await collectRunDir(runDir, out3, CAPS);
    expect(c.output.files.map((f) => f.path)).toEqual(["output/a.bin"]);
    expect(c.output.problems).toEqual([
      { path: "output/b.bin", reason: "the output passes the limit of 10000 bytes; this file and the rest were not read" },
    ]);
    expect(readdirSync(out3)).toEqual(["a.bin"]);
  });

  test("a name that is not UTF-8 is reported, not mangled into another name", async () => {
    const bad = Buffer.concat([Buffer.from(join(runDir, "output") + "/bad"), Buffer.from([0xff])]);
    writeFileSync(bad, "x");
    put("output/ok.txt", "ok");
    const c = await collectRunDir(runDir, outDir, CAPS);
    expect(c.output.files.map((f) => f.path)).toEqual(["output/ok.txt"]);
    expect(c.output.problems).toEqual([{ path: "output/bad\ufffd", reason: "the name is not valid UTF-8; not collected" }]);
  });

  test("a large file is copied completely and exactly", async () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    put("output/big.bin", big);
    const c = await collectRunDir(runDir, outDir, { ...CAPS, maxBytes: 10 * 1024 * 1024 });
    expect(c.output.files).toEqual([{ path: "output/big.bin", bytes: big.length, hostPath: join(outDir, "big.bin") }]);
    expect(new Uint8Array(readFileSync(join(outDir, "big.bin")))).toEqual(big);
  });
});

describe("fillRunDir / createRunDir / ensureWorkRoot / removeRunDir", () => {
  const input = {
    script: "print('hej')",
    memoryJson: '{"settings":{}}',
    inputFiles: [
      { name: "elever.csv", data: new TextEncoder().encode("namn\nÅsa\n") },
      { name: "från blob.txt", data: new Blob(["blob"]) },
    ],
  };

  test.skipIf(!IS_ROOT)("chown (root): /work and output/ belong to the sandbox user, the rest is root's and read-only", async () => {
    const dir = join(base, "r1");
    expect(await createRunDir(dir)).toBe("created");
    expect(await createRunDir(dir)).toBe("exists");
    expect(await fillRunDir(dir, input, "chown")).toBe("chown");
    expect([statSync(dir).uid, mode(dir)]).toEqual([SANDBOX_UID, "755"]);
    expect([statSync(join(dir, "output")).uid, mode(join(dir, "output"))]).toEqual([SANDBOX_UID, "755"]);
    for (const p of ["script.py", "memory.json", "input/elever.csv", "input/från blob.txt"]) {
      expect([statSync(join(dir, p)).uid, mode(join(dir, p))]).toEqual([0, "644"]);
    }
    expect([statSync(join(dir, "input")).uid, mode(join(dir, "input"))]).toEqual([0, "755"]);
    expect(readFileSync(join(dir, "input", "från blob.txt"), "utf8")).toBe("blob");
    expect(readFileSync(join(dir, "script.py"), "utf8")).toBe("print('hej')");
  });

  test("shared: 0777 /work and output/, 0444 files, 0555 input/", async () => {
    const dir = join(base, "r2");
    await createRunDir(dir);
    expect(await fillRunDir(dir, input, "shared")).toBe("shared");
    expect(mode(dir)).toBe("777");
    expect(mode(join(dir, "output"))).toBe("777");
    expect(mode(join(dir, "input"))).toBe("555");
    for (const p of ["script.py", "memory.json", "input/elever.csv"]) expect(mode(join(dir, p))).toBe("444");
  });

  test("input names are checked before anything is made", () => {
    expect(() => checkInputFiles([{ name: "../x", data: new Uint8Array() }])).toThrow(RunnerDriverError);
    expect(() =>
      checkInputFiles([
        { name: "a", data: new Uint8Array() },
        { name: "a", data: new Uint8Array() },
      ]),
    ).toThrow(/Two input files/);
  });

  test("run ids become one safe path segment", () => {
    expect(runDirOf("/data/tmp/runs", "0195e6b2-7a1c-7000-8000-000000000000")).toBe("/data/tmp/runs/0195e6b2-7a1c-7000-8000-000000000000");
    for (const bad of ["..", "../x", "a/b", ".hidden", ""]) {
      expect(() => runDirOf("/data/tmp/runs", bad)).toThrow(RunnerDriverError);
      expect(runIdOfDirName(bad)).toBeNull();
    }
  });

  test("ensureWorkRoot makes the folder 0700, also when it existed with a looser mode; a link is refused", async () => {
    const root = join(base, "data", "tmp", "runs");
    await ensureWorkRoot(root);
    expect(mode(root)).toBe("700");
    chmodSync(root, 0o755);
    await ensureWorkRoot(root);
    expect(mode(root)).toBe("700");
    symlinkSync(root, join(base, "link-root"));
    await expect(ensureWorkRoot(join(base, "link-root"))).rejects.toThrow(/not a directory/);
  });

  test("removeRunDir deletes links, not what they point at", async () => {
    const victim = join(base, "victim");
    mkdirSync(victim);
    writeFileSync(join(victim, "keep.txt"), "kvar");
    symlinkSync(victim, join(runDir, "output", "to-victim"));
    symlinkSync(join(victim, "keep.txt"), join(runDir, "keep-link"));
    mkdirSync(join(runDir, "output", "locked"));
    chmodSync(join(runDir, "output", "locked"), 0o000);
    const err = await removeRunDir(runDir);
    if (IS_ROOT) {
      expect(err).toBeNull();
      expect(existsSync(runDir)).toBe(false);
    } else {
      chmodSync(join(runDir, "output", "locked"), 0o700);
      expect(await removeRunDir(runDir)).toBeNull();
    }
    expect(readFileSync(join(victim, "keep.txt"), "utf8")).toBe("kvar");
  });
});
