// Tar in and tar out of the sandbox's /work volume (tool-contract §8: no host path is shared with the
// daemon, so a remote Docker host works the same).
//
// In: one tar uploaded to /work before start. Ownership and modes are explicit because Docker applies
// them on extraction — except for the archive root `./`, whose owner is ignored (stack-notes §3). /work
// itself is writable by the runner user because the image's /work belongs to uid 10001 and Docker copies
// that ownership into a new anonymous volume when the container is created ("copy-up").
//
// Out: archives of /work/result.json and /work/output are read as streams with hard limits. Everything
// in them was written by untrusted code: only regular files are accepted, names are checked segment by
// segment, nothing on the host is ever opened through a link, and reading stops at the byte and file caps
// (the daemon stops producing when we close the connection).
import { constants } from "node:fs";
import { type FileHandle, lstat, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import tar from "tar-stream";
import { RunnerDriverError, type RunInputFile, type RunOutputFile, type RunOutputProblem } from "./runner-driver";

/** Header fields for a new entry (tar-stream does not export its own alias). */
type HeaderArgument = Partial<tar.Header> & Pick<tar.Header, "name">;

/** Owner of the sandbox user's files; the runner image runs scripts as 10001:10001. */
export const SANDBOX_UID = 10001;

export type WorkArchiveInput = {
  script: string;
  memoryJson: string;
  inputFiles: RunInputFile[];
};

/** A basename the contract allows (§2): no separators, no `..`, no NUL, at most 255 bytes. */
export function checkInputName(name: string): string | null {
  if (name === "" || name === "." || name === "..") return "empty or a dot name";
  if (/[/\\\0]/.test(name)) return "contains /, \\ or NUL";
  if (new TextEncoder().encode(name).length > 255) return "longer than 255 bytes";
  return null;
}

/**
 * The tar for /work: `script.py`, `memory.json`, `input/<name>` (root-owned, read-only to the script, so a
 * run cannot alter what it was given) and an empty `output/` owned by the sandbox user.
 */
export function packWorkArchive({ script, memoryJson, inputFiles }: WorkArchiveInput): tar.Pack {
  const seen = new Set<string>();
  for (const f of inputFiles) {
    const problem = checkInputName(f.name);
    if (problem) throw new RunnerDriverError("invalid_spec", `Input file name "${f.name}": ${problem}.`);
    if (seen.has(f.name)) throw new RunnerDriverError("invalid_spec", `Two input files are named "${f.name}".`);
    seen.add(f.name);
  }

  const pack = tar.pack();
  const mtime = new Date();
  const root = { uid: 0, gid: 0, mtime };
  const add = (header: HeaderArgument, body?: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body) pack.entry(header, Buffer.from(body.buffer, body.byteOffset, body.byteLength), done);
      else pack.entry(header, done);
    });

  const fill = async () => {
    await add({ ...root, name: "script.py", mode: 0o644 }, new TextEncoder().encode(script));
    await add({ ...root, name: "memory.json", mode: 0o644 }, new TextEncoder().encode(memoryJson));
    await add({ ...root, name: "input/", type: "directory", mode: 0o755 });
    await add({ uid: SANDBOX_UID, gid: SANDBOX_UID, mtime, name: "output/", type: "directory", mode: 0o755 });
    for (const f of inputFiles) {
      const header: HeaderArgument = { ...root, name: `input/${f.name}`, mode: 0o644 };
      // a Blob (e.g. Bun.file of a stored upload) is read when its turn comes, one file in memory at a time
      const body = f.data instanceof Uint8Array ? f.data : new Uint8Array(await f.data.arrayBuffer());
      await add(header, body);
    }
    pack.finalize();
  };
  fill().catch((err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))));
  return pack;
}

export type SingleFileResult = { bytes: Uint8Array; problem?: undefined } | { bytes: null; problem: string };

/**
 * Reads the one regular file `name` from an archive of that file (GET /archive?path=/work/<name>).
 * A file larger than `maxBytes` is reported from its header and its content is never read.
 */
export async function readSingleFileArchive(
  source: NodeJS.ReadableStream,
  name: string,
  maxBytes: number,
): Promise<SingleFileResult> {
  const extract = tar.extract();
  const input = source as Readable;
  input.on("error", (err) => extract.destroy(err));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (h.name !== name) return { bytes: null, problem: `unexpected archive entry "${h.name}"` };
      if (h.type !== "file" && h.type !== "contiguous-file") {
        return { bytes: null, problem: `${name} is not a regular file (${describeType(h)})` };
      }
      const size = h.size ?? 0;
      if (size > maxBytes) return { bytes: null, problem: `${name} is too large: ${size} bytes, the limit is ${maxBytes}` };
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      return { bytes: new Uint8Array(Buffer.concat(chunks)) };
    }
    return { bytes: null, problem: `${name} is missing` };
  } finally {
    // stop the transfer: the daemon notices the closed connection and stops producing
    input.unpipe(extract);
    input.destroy?.();
    extract.destroy();
  }
}

export type OutputCollection = {
  files: RunOutputFile[];
  problems: RunOutputProblem[];
  /** Bytes of accepted files. */
  bytes: number;
};

export type OutputLimits = { maxBytes: number; maxFiles: number };

/**
 * Extracts the archive of /work/output (entries `output/…`) into `outputDir`, which mirrors /work/output.
 * Only regular files and directories are accepted; links, devices, fifos and odd names become problems.
 * Reading stops when the next file would pass `maxBytes` or `maxFiles`; what was accepted before stays.
 */
export async function extractOutputArchive(
  source: NodeJS.ReadableStream,
  outputDir: string,
  { maxBytes, maxFiles }: OutputLimits,
): Promise<OutputCollection> {
  const result: OutputCollection = { files: [], problems: [], bytes: 0 };
  const madeDirs = new Set<string>([""]);
  let dirCount = 0;
  const extract = tar.extract();
  const input = source as Readable;
  input.on("error", (err) => extract.destroy(err));
  input.pipe(extract);

  // creates outputDir/<rel> one segment at a time; refuses anything that exists but is not a real directory
  const ensureDir = async (rel: string): Promise<void> => {
    const parts = rel.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join("/");
      if (madeDirs.has(sub)) continue;
      const hostPath = join(outputDir, sub);
      try {
        await mkdir(hostPath, { mode: 0o700 });
      } catch (err) {
        if (!isErrno(err, "EEXIST")) throw err;
        const st = await lstat(hostPath);
        if (!st.isDirectory()) throw new Error(`${sub} exists and is not a directory`);
      }
      madeDirs.add(sub);
    }
  };

  try {
    for await (const entry of extract) {
      const h = entry.header;
      const checked = checkOutputName(h.name);
      if ("problem" in checked) {
        result.problems.push({ path: h.name, reason: checked.problem });
        entry.resume();
        continue;
      }
      const { rel, path } = checked;
      if (h.type === "directory") {
        if (rel !== "") {
          if (++dirCount > maxFiles) {
            result.problems.push({ path: "output/", reason: `more than ${maxFiles} directories; the rest was not read` });
            break;
          }
          await ensureDir(rel);
        }
        entry.resume();
        continue;
      }
      if (h.type !== "file" && h.type !== "contiguous-file") {
        result.problems.push({ path, reason: `not a regular file (${describeType(h)}); not collected` });
        entry.resume();
        continue;
      }
      if (rel === "") {
        result.problems.push({ path, reason: "/work/output is not a directory; not collected" });
        entry.resume();
        continue;
      }
      const size = h.size ?? 0;
      if (result.files.length >= maxFiles) {
        result.problems.push({ path: "output/", reason: `more than ${maxFiles} files; the rest was not read` });
        break;
      }
      if (result.bytes + size > maxBytes) {
        result.problems.push({
          path,
          reason: `the output passes the limit of ${maxBytes} bytes; this file and the rest were not read`,
        });
        break;
      }
      const slash = rel.lastIndexOf("/");
      try {
        if (slash > 0) await ensureDir(rel.slice(0, slash));
      } catch (err) {
        result.problems.push({ path, reason: `cannot create its folder: ${errorText(err)}` });
        entry.resume();
        continue;
      }
      const hostPath = join(outputDir, rel);
      // O_EXCL: never reuse or write through anything already there (a duplicate entry, a planted link);
      // O_NOFOLLOW: belt and braces for the last segment.
      let handle: FileHandle;
      try {
        handle = await open(
          hostPath,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          0o600,
        );
      } catch (err) {
        result.problems.push({
          path,
          reason: isErrno(err, "EEXIST") ? "duplicate entry; not collected" : `cannot be written: ${errorText(err)}`,
        });
        entry.resume();
        continue;
      }
      let written = 0;
      try {
        for await (const chunk of entry) {
          const buf = chunk as Buffer;
          await handle.write(buf);
          written += buf.length;
        }
      } finally {
        await handle.close();
      }
      result.bytes += written;
      result.files.push({ path, bytes: written, hostPath });
    }
  } catch (err) {
    result.problems.push({ path: "output/", reason: `reading the output failed: ${errorText(err)}` });
  } finally {
    input.unpipe(extract);
    input.destroy?.();
    extract.destroy();
  }
  return result;
}

/**
 * `output`, `output/` and `output/<segments>` with no empty, `.` or `..` segment and no NUL.
 * Returns the path relative to /work/output ("" for the folder itself) and the contract path.
 */
export function checkOutputName(name: string): { rel: string; path: string } | { problem: string } {
  if (name.startsWith("/")) return { problem: "absolute path; not collected" };
  if (name.includes("\0")) return { problem: "NUL in the name; not collected" };
  const trimmed = name.endsWith("/") ? name.slice(0, -1) : name;
  const segments = trimmed.split("/");
  if (segments[0] !== "output") return { problem: "outside output/; not collected" };
  const rest = segments.slice(1);
  if (rest.some((s) => s === "" || s === "." || s === "..")) {
    return { problem: "empty, . or .. path segment; not collected" };
  }
  const rel = rest.join("/");
  return { rel, path: rel === "" ? "output/" : `output/${rel}` };
}

function describeType(h: tar.Header): string {
  switch (h.type) {
    case "symlink":
      return "symbolic link";
    case "link":
      return "hard link";
    case "character-device":
    case "block-device":
      return "device";
    case "fifo":
      return "fifo";
    default:
      return h.type ?? "unknown type";
  }
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
