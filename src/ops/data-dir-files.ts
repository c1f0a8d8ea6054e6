// The files of data_dir that a backup copies, and their staging as hard links. A hard link keeps a
// file's content reachable even when the server deletes the original name a moment later (a run
// deleted while the backup runs), and costs no copying. Blobs are written once under a temporary name
// and renamed into place (blob-store.ts), so a linked blob never changes afterwards.
import { link, mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { isBackedUpDataPath } from "./backup.rules";

export type DataFile = { rel: string; abs: string };

/** Regular files under `dataDir` that go into a backup, sorted by path; `skip` holds absolute paths left out (the backup being written). */
export async function listDataFiles(dataDir: string, skip: ReadonlySet<string> = new Set()): Promise<DataFile[]> {
  const out: DataFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT")) return; // a run folder removed while we walked
      throw e;
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const rel = relative(dataDir, abs).split(sep).join("/");
      if (entry.isDirectory()) {
        if (isBackedUpDataPath(rel)) await walk(abs);
      } else if (entry.isFile() && isBackedUpDataPath(rel) && !skip.has(abs)) out.push({ rel, abs });
      // symlinks, sockets and fifos are never written by the server: not followed, not copied
    }
  };
  await walk(dataDir);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export type StagedFiles = Map<string, string>;

/**
 * Hard-links every listed file not staged yet into `stagingDir`, recording rel → path to read. Where
 * a link is impossible (another file system, a file system without links) the original path is
 * recorded and read in place. A file gone before it could be linked is left out.
 */
export async function stageFiles(files: DataFile[], stagingDir: string, staged: StagedFiles): Promise<void> {
  for (const f of files) {
    if (staged.has(f.rel)) continue;
    const target = join(stagingDir, ...f.rel.split("/"));
    await mkdir(dirname(target), { recursive: true });
    try {
      await link(f.abs, target);
      staged.set(f.rel, target);
    } catch (e) {
      if (isErrno(e, "ENOENT")) continue;
      if (isErrno(e, "EXDEV") || isErrno(e, "EPERM") || isErrno(e, "ENOTSUP") || isErrno(e, "EMLINK") || isErrno(e, "EOPNOTSUPP")) staged.set(f.rel, f.abs);
      else throw e;
    }
  }
}

export function isErrno(e: unknown, code: string): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === code;
}

/**
 * Removes staging folders `<dataDir>/tmp/<prefix>*` older than `olderThanMs`: what a backup or
 * restore killed half-way left behind. Young ones may belong to one running right now.
 */
export async function removeStaleStaging(dataDir: string, prefix: string, now: number, olderThanMs = 24 * 3_600_000): Promise<string[]> {
  const tmp = join(dataDir, "tmp");
  const names = await readdir(tmp).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const path = join(tmp, name);
    const info = await stat(path).catch(() => null);
    if (!info || now - info.mtimeMs < olderThanMs) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
