// `skriptoteket backup`: one archive with a consistent database snapshot and the files of data_dir,
// taken while `serve` keeps running and writing.
//
// Why the database first and the files after: every write path stores a blob BEFORE the row that
// refers to it commits (runs.service enqueueRun, run-job artifacts), and a blob is written once under
// a temporary name and renamed into place, never changed. So every blob referenced by a row in the
// snapshot exists, complete, by the time the snapshot is taken, and copying files afterwards finds it.
// Files newer than the snapshot are copied too; nothing refers to them in the restored database.
//
// The one way a referenced file could still be missed: it is DELETED after the snapshot (a user
// deletes a finished run, retention prunes) and before it is copied. Files are therefore hard-linked
// into a staging folder twice: once before the snapshot (which covers every file that already existed)
// and once after it (files created in between). A link keeps the content even when the server deletes
// the original name, so only a run created and deleted within the snapshot's own few seconds can slip
// through; its keys are listed in the manifest as `missing_blobs` and reported, never silently lost.
import { existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import { isPostgresUrl, SQLITE_FILE_NAME } from "../store/db";
import { createArchiveFileWriter } from "./archive";
import {
  BACKUP_FORMAT,
  countOf,
  BACKUP_FORMAT_VERSION,
  compressionForFileName,
  dbEntryName,
  FILES_PREFIX,
  formatBytes,
  HEADER_ENTRY,
  MANIFEST_ENTRY,
  MANIFEST_SUM_ENTRY,
  manifestSumText,
  type BackupHeader,
  type BackupManifest,
  type ManifestFile,
} from "./backup.rules";
import { listDataFiles, removeStaleStaging, stageFiles, type StagedFiles } from "./data-dir-files";
import { snapshotPostgres, snapshotSqlite, type DbSnapshot } from "./db-snapshot";
import { findPgTool } from "./pg-tools";
import type { Progress } from "./progress";

export type BackupDeps = {
  config: Pick<Config, "storage" | "database">;
  log: Logger;
  version: string;
  now: () => Date;
  env?: Record<string, string | undefined>;
};

export type BackupResult = { path: string; archiveBytes: number; manifest: BackupManifest };

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

export async function createBackup(deps: BackupDeps, { out, progress }: { out: string; progress: Progress }): Promise<BackupResult> {
  const dataDir = resolve(deps.config.storage.data_dir);
  const outPath = resolve(out);
  const compression = compressionForFileName(outPath);
  if (!compression) throw new BackupError(`--out must end in .tar.gz, .tgz or .tar, not "${out}".`);
  if (existsSync(outPath)) throw new BackupError(`${outPath} exists already. Choose another --out file; a backup never overwrites one.`);
  const postgresUrl = isPostgresUrl(deps.config.database.url) ? deps.config.database.url : null;
  if (postgresUrl) findPgTool("pg_dump", deps.env);
  const liveDb = join(dataDir, SQLITE_FILE_NAME);
  if (!postgresUrl && !existsSync(liveDb)) throw new BackupError(`There is no database at ${liveDb}: check [storage] data_dir in the config.`);

  const createdAt = deps.now();
  for (const path of await removeStaleStaging(dataDir, "backup-", Date.now())) deps.log.info("removed the staging folder of an interrupted backup", { path });
  const staging = join(dataDir, "tmp", `backup-${Bun.randomUUIDv7()}`);
  const partial = `${outPath}.partial`;
  const skip = new Set([outPath, partial]);
  const staged: StagedFiles = new Map();
  await mkdir(join(staging, "db"), { recursive: true });
  try {
    progress.start("Staging files", 0);
    await stageFiles(await listDataFiles(dataDir, skip), join(staging, "files"), staged);
    progress.finish(countOf(staged.size, "file"));

    progress.start("Database snapshot", 0);
    const snapshotFile = join(staging, "db", postgresUrl ? "postgres.dump" : SQLITE_FILE_NAME);
    const snapshot: DbSnapshot = postgresUrl ? await snapshotPostgres(postgresUrl, snapshotFile, deps.env) : snapshotSqlite(liveDb, snapshotFile);
    const rows = Object.values(snapshot.tables).reduce((a, b) => a + b, 0);
    progress.finish(`${Object.keys(snapshot.tables).length} tables, ${rows} rows`);

    // files created between the first staging pass and the snapshot
    await stageFiles(await listDataFiles(dataDir, skip), join(staging, "files"), staged);
    const missingBlobs = snapshot.storageKeys.filter((key) => !staged.has(`blobs/${key}`)).sort();
    if (missingBlobs.length) deps.log.warn("files referenced by the snapshot were deleted before they could be copied", { missing: missingBlobs.length, first: missingBlobs.slice(0, 5) });

    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      version: deps.version,
      dialect: snapshot.dialect,
      created_at: createdAt.toISOString(),
      schema_migrations: snapshot.migrations,
    };
    const manifest = await writeArchive(partial, compression, { header, snapshot, staged, missingBlobs, progress });
    await rename(partial, outPath);
    const archiveBytes = (await stat(outPath)).size;
    deps.log.info("backup written", { path: outPath, bytes: archiveBytes, dialect: header.dialect, files: manifest.totals.files, missing_blobs: missingBlobs.length });
    return { path: outPath, archiveBytes, manifest };
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

type ArchiveInput = { header: BackupHeader; snapshot: DbSnapshot; staged: StagedFiles; missingBlobs: string[]; progress: Progress };

async function writeArchive(path: string, compression: { gzip: boolean }, { header, snapshot, staged, missingBlobs, progress }: ArchiveInput): Promise<BackupManifest> {
  const writer = createArchiveFileWriter(path, compression);
  try {
    await writer.addBytes(HEADER_ENTRY, json(header));
    const dbName = dbEntryName(snapshot.dialect);
    const dbSize = (await stat(snapshot.path)).size;
    const fileSizes = await Promise.all([...staged.values()].map(async (p) => (await stat(p)).size));
    progress.start("Writing archive", dbSize + fileSizes.reduce((a, b) => a + b, 0));
    const db = await writer.addFile(dbName, snapshot.path, progress.advance);
    const files: ManifestFile[] = [];
    for (const [rel, source] of [...staged].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const name = FILES_PREFIX + rel;
      files.push({ path: name, ...(await writer.addFile(name, source, progress.advance)) });
    }
    const totals = { files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) };
    const manifest: BackupManifest = {
      ...header,
      database: { path: dbName, ...db, format: snapshot.dialect === "sqlite" ? "sqlite" : "pg_dump-custom" },
      tables: snapshot.tables,
      files,
      totals,
      missing_blobs: missingBlobs,
    };
    const manifestBytes = json(manifest);
    const sum = await writer.addBytes(MANIFEST_ENTRY, manifestBytes);
    await writer.addBytes(MANIFEST_SUM_ENTRY, new TextEncoder().encode(manifestSumText(sum.sha256)));
    await writer.close();
    progress.finish(`database ${formatBytes(db.bytes)}, ${countOf(totals.files, "file")}, ${formatBytes(totals.bytes)}`);
    return manifest;
  } catch (e) {
    await writer.abort(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n");
}
