// The local fast path for /work (ARCHITECTURE: "a local bind-mount fast path" when the Docker daemon is
// local): the run directory is prepared on the host and bind-mounted at /work, so neither the inputs nor
// the outputs travel as tar archives over the Docker socket (≈130 ms of a no-op run, see docker-driver.ts).
//
//   <workRoot>/                 0700, owned by the server: no other host user reaches anything below
//     <runId>/                  the container's /work
//       script.py, memory.json  owned by the server, read-only to the sandbox user
//       input/<name>            the same; the folder is not writable by the sandbox user
//       output/                 writable by the sandbox user (uid 10001)
//
// Ownership ("chown" vs "shared"): the sandbox user must be able to write /work (the harness writes
// result.json there by rename) and /work/output.
//   chown   the server may chown (root, as in tests and CI, or CAP_CHOWN): /work and output/ belong to
//           10001 with 0755, exactly like the volume path (whose /work is copied up from the image).
//   shared  a non-root server (install.sh's `skriptoteket` user) cannot chown. /work and output/ become
//           0777. Not sticky: with the sticky bit a script could not `rmtree(output_dir)` and make it
//           again, which works on the volume path, and a tool must behave the same in development (root)
//           and production (non-root). As on the volume path, the script may rename or delete (never
//           change) script.py and input/.
//           Trade-offs: (1) both folders are world-writable on the host; only the 0700 workRoot keeps
//           other host users out, so it must stay 0700 (ensureWorkRoot enforces it). (2) What the script
//           creates belongs to 10001, so the server may be unable to READ it (a 0600 file, a 0700 folder)
//           or to DELETE it (any sub-folder: 0755 is not writable for others). The driver then collects
//           through the archive download instead, and deletes with a clean-up container running as 10001
//           (docker-driver.ts): measured ≈90 ms more for a run that leaves a 0600 file, ≈115 ms for one
//           that makes a sub-folder. Giving the service CAP_CHOWN and CAP_DAC_OVERRIDE (systemd
//           AmbientCapabilities=; its docker group membership is root-equivalent anyway) makes a non-root
//           server use "chown" with no fall-backs (measured: no-op, sub-folder and 0600 runs alike).
//
// Reading back: everything below the run directory was written by untrusted code, but only while the
// container ran; the driver collects after the container has STOPPED (its PID namespace is empty), so
// nothing changes the tree while we read it. Still, every entry is lstat'ed, never followed: symlinks,
// devices, fifos and sockets are reported, regular files are opened with O_NOFOLLOW | O_NONBLOCK (a fifo
// swapped in cannot block us) and must be the inode lstat saw. A hard link can only join two names
// inside the run directory — link(2) does not cross the bind mount (EXDEV), and fs.protected_hardlinks
// stops linking the server's own input files — so, like Docker's tar, the first name of a multiply
// linked file is accepted and later names are reported as hard links. Files are COPIED into outputDir
// (new 0600 files owned by the server), never moved: a moved inode would keep the sandbox user as owner
// and any mode bits the script chose. Caps, walk order (names sorted bytewise, like Go's filepath.Walk
// behind GET /archive) and problem texts are those of the archive path (docker-archive.ts), so both
// paths give the same RunOutcome.
import { constants } from "node:fs";
import { chmod, chown, type FileHandle, lstat, mkdir, open, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  checkInputName,
  type OutputCollection,
  type OutputLimits,
  SANDBOX_UID,
  type SingleFileResult,
  type WorkArchiveInput,
} from "./docker-archive";
import { RunnerDriverError } from "./runner-driver";

export type RunDirOwnership = "chown" | "shared";

/** Run ids become one path segment: letters, digits, `_ . -`, starting with a letter or digit (no `..`). */
const RUN_DIR_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,200}$/;
const COPY_CHUNK = 1024 * 1024;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Creates workRoot (and its parents) and makes sure it is a real directory with mode 0700. */
export async function ensureWorkRoot(workRoot: string): Promise<void> {
  await mkdir(workRoot, { recursive: true, mode: 0o700 });
  const st = await lstat(workRoot);
  if (!st.isDirectory()) {
    throw new RunnerDriverError("invalid_config", `The run directory root ${workRoot} is not a directory.`);
  }
  // mkdir keeps the mode of an existing folder; the world-writable run directories rely on this one
  if ((st.mode & 0o777) !== 0o700) await chmod(workRoot, 0o700);
}

export function runDirOf(workRoot: string, runId: string): string {
  if (!RUN_DIR_NAME.test(runId)) {
    throw new RunnerDriverError("invalid_spec", `Run id "${runId}" cannot name a run directory.`);
  }
  return join(workRoot, runId);
}

/** The run id a directory below workRoot belongs to, or null when the name is not one of ours. */
export function runIdOfDirName(name: string): string | null {
  return RUN_DIR_NAME.test(name) ? name : null;
}

/** mkdir without parents; "exists" when something (a leftover, or another attempt's folder) is there. */
export async function createRunDir(path: string): Promise<"created" | "exists"> {
  try {
    await mkdir(path, { mode: 0o700 });
    return "created";
  } catch (err) {
    if (isErrno(err, "EEXIST")) return "exists";
    throw err;
  }
}

/**
 * Fills a run directory made by createRunDir: script.py, memory.json, input/<name>, output/. Everything is
 * written while the folder is still 0700 and only then opened up for the sandbox user. `ownership` is
 * what the caller wants; "chown" falls back to "shared" when chown is not permitted (EPERM).
 * Input names must have passed checkInputFiles. Returns the ownership used.
 */
export async function fillRunDir(
  path: string,
  { script, memoryJson, inputFiles }: WorkArchiveInput,
  ownership: RunDirOwnership,
): Promise<RunDirOwnership> {
  const inputDir = join(path, "input");
  const outputDir = join(path, "output");
  await Promise.all([mkdir(inputDir, { mode: 0o700 }), mkdir(outputDir, { mode: 0o700 })]);
  const files = [join(path, "script.py"), join(path, "memory.json"), ...inputFiles.map((f) => join(inputDir, f.name))];
  await Promise.all([
    writeFile(files[0]!, script, { flag: "wx" }),
    writeFile(files[1]!, memoryJson, { flag: "wx" }),
    // Bun.write copies a Bun.file blob in the kernel (copy_file_range) instead of through memory
    ...inputFiles.map((f, i) => Bun.write(files[i + 2]!, f.data)),
  ]);

  // modes first, owners last: a server with CAP_CHOWN but not CAP_FOWNER cannot chmod what it gave away
  if (ownership === "chown") {
    await Promise.all([...files.map((f) => chmod(f, 0o644)), chmod(inputDir, 0o755), chmod(outputDir, 0o755), chmod(path, 0o755)]);
    try {
      await chown(outputDir, SANDBOX_UID, SANDBOX_UID);
      await chown(path, SANDBOX_UID, SANDBOX_UID);
      return "chown";
    } catch (err) {
      if (!isErrno(err, "EPERM")) throw err;
    }
  }
  // shared: readable, never writable, for the sandbox user; its two folders writable for everyone
  await Promise.all([...files.map((f) => chmod(f, 0o444)), chmod(inputDir, 0o555), chmod(outputDir, 0o777), chmod(path, 0o777)]);
  return "shared";
}

/** The contract's rules for input names (§2), checked before anything is created. */
export function checkInputFiles(inputFiles: WorkArchiveInput["inputFiles"]): void {
  const seen = new Set<string>();
  for (const f of inputFiles) {
    const problem = checkInputName(f.name);
    if (problem) throw new RunnerDriverError("invalid_spec", `Input file name "${f.name}": ${problem}.`);
    if (seen.has(f.name)) throw new RunnerDriverError("invalid_spec", `Two input files are named "${f.name}".`);
    seen.add(f.name);
  }
}

/**
 * Deletes a run directory without following links. Returns the error when something could not be deleted
 * (a non-root server and a folder the script made), null when the folder is gone.
 */
export async function removeRunDir(path: string): Promise<Error | null> {
  try {
    await rm(path, { recursive: true, force: true });
    return null;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export type LocalCollection = {
  result: SingleFileResult;
  output: OutputCollection;
  /**
   * The server was not allowed to read something the script made ("shared" ownership): the collection
   * is incomplete and the caller should collect through the archive path instead.
   */
  permissionDenied: boolean;
};

/** Reads result.json and output/ of a stopped run's directory into `outputDir` (see the header). */
export async function collectRunDir(
  runDir: string,
  outputDir: string,
  caps: { resultBytes: number } & OutputLimits,
): Promise<LocalCollection> {
  const denied = { value: false };
  const [result, output] = await Promise.all([
    readResultFile(join(runDir, "result.json"), caps.resultBytes, denied),
    copyOutput(join(runDir, "output"), outputDir, caps, denied),
  ]);
  return { result, output, permissionDenied: denied.value };
}

async function readResultFile(path: string, maxBytes: number, denied: { value: boolean }): Promise<SingleFileResult> {
  const name = "result.json";
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(path);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return { bytes: null, problem: `${name} is missing` };
    if (isPermission(err)) denied.value = true;
    return { bytes: null, problem: `reading ${name} failed: ${errorText(err)}` };
  }
  if (!st.isFile()) return { bytes: null, problem: `${name} is not a regular file (${describeStat(st)})` };
  if (st.size > maxBytes) return { bytes: null, problem: `${name} is too large: ${st.size} bytes, the limit is ${maxBytes}` };
  try {
    const handle = await openSame(path, st);
    try {
      const bytes = await readUpTo(handle, st.size);
      return { bytes };
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (isPermission(err)) denied.value = true;
    return { bytes: null, problem: `reading ${name} failed: ${errorText(err)}` };
  }
}

/** Walks /work/output depth-first in name order, mirroring accepted entries into outputDir. */
async function copyOutput(
  source: string,
  outputDir: string,
  { maxBytes, maxFiles }: OutputLimits,
  denied: { value: boolean },
): Promise<OutputCollection> {
  const result: OutputCollection = { files: [], problems: [], bytes: 0 };
  let rootStat: Awaited<ReturnType<typeof lstat>>;
  try {
    rootStat = await lstat(source);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return { ...result, problems: [{ path: "output/", reason: "/work/output is missing" }] };
    if (isPermission(err)) denied.value = true;
    return { ...result, problems: [{ path: "output/", reason: `reading the output failed: ${errorText(err)}` }] };
  }
  if (rootStat.isFile()) {
    return { ...result, problems: [{ path: "output/", reason: "/work/output is not a directory; not collected" }] };
  }
  if (!rootStat.isDirectory()) {
    return { ...result, problems: [{ path: "output/", reason: `not a regular file (${describeStat(rootStat)}); not collected` }] };
  }

  let dirCount = 0;
  let stopped = false;
  // first name of each multiply linked inode (Docker's tar turns the later names into hard links)
  const linked = new Set<string>();

  const walk = async (hostDir: string, rel: string): Promise<void> => {
    let names: Buffer[];
    try {
      names = await readdir(hostDir, { encoding: "buffer" });
    } catch (err) {
      if (isPermission(err)) denied.value = true;
      result.problems.push({ path: rel === "" ? "output/" : `output/${rel}/`, reason: `cannot be read: ${errorText(err)}` });
      return;
    }
    names.sort(Buffer.compare);
    for (const raw of names) {
      if (stopped) return;
      let name: string;
      try {
        name = strictUtf8.decode(raw);
      } catch {
        result.problems.push({ path: `output/${rel === "" ? "" : `${rel}/`}${raw.toString("utf8")}`, reason: "the name is not valid UTF-8; not collected" });
        continue;
      }
      const childRel = rel === "" ? name : `${rel}/${name}`;
      const path = `output/${childRel}`;
      const hostPath = join(hostDir, name);
      let st: Awaited<ReturnType<typeof lstat>>;
      try {
        st = await lstat(hostPath);
      } catch (err) {
        if (isPermission(err)) denied.value = true;
        result.problems.push({ path, reason: `cannot be read: ${errorText(err)}` });
        continue;
      }
      if (st.isDirectory()) {
        if (++dirCount > maxFiles) {
          result.problems.push({ path: "output/", reason: `more than ${maxFiles} directories; the rest was not read` });
          stopped = true;
          return;
        }
        try {
          await mkdir(join(outputDir, childRel), { mode: 0o700 });
        } catch (err) {
          result.problems.push({ path, reason: `cannot create its folder: ${errorText(err)}` });
          continue;
        }
        await walk(hostPath, childRel);
        continue;
      }
      if (!st.isFile()) {
        result.problems.push({ path, reason: `not a regular file (${describeStat(st)}); not collected` });
        continue;
      }
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        if (linked.has(key)) {
          result.problems.push({ path, reason: "not a regular file (hard link); not collected" });
          continue;
        }
        linked.add(key);
      }
      if (result.files.length >= maxFiles) {
        result.problems.push({ path: "output/", reason: `more than ${maxFiles} files; the rest was not read` });
        stopped = true;
        return;
      }
      if (result.bytes + st.size > maxBytes) {
        result.problems.push({
          path,
          reason: `the output passes the limit of ${maxBytes} bytes; this file and the rest were not read`,
        });
        stopped = true;
        return;
      }
      const target = join(outputDir, childRel);
      try {
        const written = await copyFile(hostPath, st, target);
        result.bytes += written;
        result.files.push({ path, bytes: written, hostPath: target });
      } catch (err) {
        if (isPermission(err)) denied.value = true;
        result.problems.push({ path, reason: `cannot be read: ${errorText(err)}` });
      }
    }
  };

  await walk(source, "");
  return result;
}

/** Opens a regular file without following a link and checks it is the inode `seen` describes. */
async function openSame(path: string, seen: { dev: number; ino: number }): Promise<FileHandle> {
  const handle = await open(path, READ_FLAGS);
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.ino !== seen.ino || st.dev !== seen.dev) throw new Error("it changed while being read");
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Reads at most `size` bytes (the size lstat reported; the container has stopped, so it cannot grow). */
async function readUpTo(handle: FileHandle, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const { bytesRead } = await handle.read(out, at, size - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at === size ? out : out.subarray(0, at);
}

/** Copies at most st.size bytes into a new 0600 file; returns the bytes written. */
async function copyFile(source: string, st: { dev: number; ino: number; size: number }, target: string): Promise<number> {
  const src = await openSame(source, st);
  try {
    const dst = await open(target, CREATE_FLAGS, 0o600);
    try {
      const buf = new Uint8Array(Math.min(Math.max(st.size, 1), COPY_CHUNK));
      let copied = 0;
      while (copied < st.size) {
        const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, st.size - copied), copied);
        if (bytesRead === 0) break;
        let out = 0;
        while (out < bytesRead) {
          const { bytesWritten } = await dst.write(buf, out, bytesRead - out);
          out += bytesWritten;
        }
        copied += bytesRead;
      }
      return copied;
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

function describeStat(st: Awaited<ReturnType<typeof lstat>>): string {
  if (st.isSymbolicLink()) return "symbolic link";
  if (st.isDirectory()) return "directory";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "device";
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  return "unknown type";
}

function isPermission(err: unknown): boolean {
  return isErrno(err, "EACCES") || isErrno(err, "EPERM");
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
