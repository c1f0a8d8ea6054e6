// The backup archive format and the pure rules around it: entry names, which data-dir files are
// backed up, the manifest's shape and the comparison of an archive's contents with its manifest.
//
// Archive layout (tar, gzip unless the file name ends in .tar), in this order:
//   skriptoteket-backup.json   header: version, dialect, created_at, migrations (read first by restore)
//   db/skriptoteket.db         SQLite snapshot (VACUUM INTO)   — or —
//   db/postgres.dump           pg_dump custom format, taken in the same snapshot as the row counts
//   files/<path>               every file under data_dir except the live SQLite files and tmp/
//   manifest.json              header + per-entry size and sha256 + row counts per table
//   manifest.json.sha256       "<sha256>  manifest.json", so a damaged manifest is noticed too
import type { FileDigest } from "./archive";

export const BACKUP_FORMAT = "skriptoteket-backup";
export const BACKUP_FORMAT_VERSION = 1;
export const HEADER_ENTRY = "skriptoteket-backup.json";
export const MANIFEST_ENTRY = "manifest.json";
export const MANIFEST_SUM_ENTRY = "manifest.json.sha256";
export const SQLITE_DB_ENTRY = "db/skriptoteket.db";
export const PG_DUMP_ENTRY = "db/postgres.dump";
export const FILES_PREFIX = "files/";

export type BackupDialect = "sqlite" | "postgres";

export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  /** Skriptoteket version that wrote the backup */
  version: string;
  dialect: BackupDialect;
  created_at: string;
  /** applied schema migrations in the snapshot: restore refuses a backup from a newer schema */
  schema_migrations: number;
};

export type ManifestFile = { path: string; bytes: number; sha256: string };

export type BackupManifest = BackupHeader & {
  database: ManifestFile & { format: "sqlite" | "pg_dump-custom" };
  /** rows per table in the snapshot */
  tables: Record<string, number>;
  /** the entries under files/, in archive order */
  files: ManifestFile[];
  totals: { files: number; bytes: number };
  /**
   * Blob keys the snapshot references whose file was deleted before it could be copied (a run
   * deleted while the backup ran). Normally empty; see backup.service.ts.
   */
  missing_blobs: string[];
};

export function dbEntryName(dialect: BackupDialect): string {
  return dialect === "sqlite" ? SQLITE_DB_ENTRY : PG_DUMP_ENTRY;
}

const LIVE_SQLITE_FILES = new Set(["skriptoteket.db", "skriptoteket.db-wal", "skriptoteket.db-shm", "skriptoteket.db-journal"]);

/**
 * Whether a file under data_dir (path relative to it, "/"-separated) goes into a backup: not the live
 * SQLite files (the snapshot replaces them; copying them while they change gives a torn copy) and
 * not tmp/ (run scratch folders, half-written uploads, the backup's own staging).
 */
export function isBackedUpDataPath(rel: string): boolean {
  if (LIVE_SQLITE_FILES.has(rel)) return false;
  if (rel === "tmp" || rel.startsWith("tmp/")) return false;
  return isSafeRelativePath(rel);
}

/** A relative path with no empty, "." or ".." segment, no backslash and no control characters. */
export function isSafeRelativePath(rel: string): boolean {
  if (rel === "" || rel.startsWith("/") || rel.includes("\\")) return false;
  if (/[\u0000-\u001f\u007f]/.test(rel)) return false;
  return rel.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

export type EntryKind = "header" | "database" | "file" | "manifest" | "manifest-sum";

/** What an archive entry is, or null when a backup never contains such a name. */
export function classifyEntry(name: string, dialect: BackupDialect | null): EntryKind | null {
  if (name === HEADER_ENTRY) return "header";
  if (name === MANIFEST_ENTRY) return "manifest";
  if (name === MANIFEST_SUM_ENTRY) return "manifest-sum";
  if (name === SQLITE_DB_ENTRY || name === PG_DUMP_ENTRY) return dialect === null || dbEntryName(dialect) === name ? "database" : null;
  if (name.startsWith(FILES_PREFIX) && isBackedUpDataPath(name.slice(FILES_PREFIX.length))) return "file";
  return null;
}

export function manifestSumText(sha256: string): string {
  return `${sha256}  ${MANIFEST_ENTRY}\n`;
}

export function parseManifestSum(text: string): string | null {
  const m = /^([0-9a-f]{64}) {2}manifest\.json\n?$/.exec(text);
  return m?.[1] ?? null;
}

// ---------- parsing ----------

type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isSha = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);

function headerProblems(v: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (v.format !== BACKUP_FORMAT) problems.push(`format is ${JSON.stringify(v.format)}, not "${BACKUP_FORMAT}": this is not a Skriptoteket backup`);
  if (v.format_version !== BACKUP_FORMAT_VERSION) problems.push(`format_version ${JSON.stringify(v.format_version)} is not supported (this version reads ${BACKUP_FORMAT_VERSION})`);
  if (typeof v.version !== "string") problems.push("version is missing");
  if (v.dialect !== "sqlite" && v.dialect !== "postgres") problems.push(`dialect ${JSON.stringify(v.dialect)} is neither "sqlite" nor "postgres"`);
  if (typeof v.created_at !== "string" || Number.isNaN(Date.parse(v.created_at))) problems.push("created_at is not a date");
  if (!isCount(v.schema_migrations)) problems.push("schema_migrations is not a count");
  return problems;
}

export function parseHeader(json: unknown): Parsed<BackupHeader> {
  if (!isObject(json)) return { ok: false, problems: ["the header is not a JSON object"] };
  const problems = headerProblems(json);
  return problems.length ? { ok: false, problems } : { ok: true, value: json as BackupHeader };
}

function fileProblems(f: unknown, where: string): string[] {
  if (!isObject(f)) return [`${where} is not an object`];
  const out: string[] = [];
  if (typeof f.path !== "string") out.push(`${where}.path is missing`);
  if (!isCount(f.bytes)) out.push(`${where}.bytes is not a size`);
  if (!isSha(f.sha256)) out.push(`${where}.sha256 is not a sha256`);
  return out;
}

export function parseManifest(json: unknown): Parsed<BackupManifest> {
  if (!isObject(json)) return { ok: false, problems: ["the manifest is not a JSON object"] };
  const problems = headerProblems(json);
  problems.push(...fileProblems(json.database, "database"));
  if (!isObject(json.tables) || !Object.values(json.tables).every(isCount)) problems.push("tables is not a map of row counts");
  if (!Array.isArray(json.files)) problems.push("files is not a list");
  else json.files.forEach((f, i) => problems.push(...fileProblems(f, `files[${i}]`)));
  if (!isObject(json.totals) || !isCount(json.totals.files) || !isCount(json.totals.bytes)) problems.push("totals is missing");
  if (!Array.isArray(json.missing_blobs) || !json.missing_blobs.every((k) => typeof k === "string")) problems.push("missing_blobs is not a list");
  return problems.length ? { ok: false, problems } : { ok: true, value: json as BackupManifest };
}

/** The header repeated in the manifest must match the header entry. */
export function headerMismatches(header: BackupHeader, manifest: BackupManifest): string[] {
  const keys = ["format", "format_version", "version", "dialect", "created_at", "schema_migrations"] as const;
  return keys.filter((k) => header[k] !== manifest[k]).map((k) => `${k} differs between ${HEADER_ENTRY} (${JSON.stringify(header[k])}) and ${MANIFEST_ENTRY} (${JSON.stringify(manifest[k])})`);
}

/**
 * Compares what the archive held (entry name → size and sha256) with the manifest: every listed
 * entry present and identical, nothing unlisted besides the header and manifest entries.
 */
export function compareWithManifest(manifest: BackupManifest, seen: Map<string, FileDigest>): string[] {
  const problems: string[] = [];
  const expected = new Map<string, ManifestFile>([[manifest.database.path, manifest.database], ...manifest.files.map((f) => [f.path, f] as const)]);
  for (const [name, want] of expected) {
    const got = seen.get(name);
    if (!got) problems.push(`${name} is listed in the manifest but missing from the archive`);
    else if (got.bytes !== want.bytes) problems.push(`${name} has ${got.bytes} bytes, the manifest says ${want.bytes}`);
    else if (got.sha256 !== want.sha256) problems.push(`${name} is damaged: its sha256 differs from the manifest`);
  }
  for (const name of seen.keys()) {
    if (!expected.has(name) && name !== HEADER_ENTRY && name !== MANIFEST_ENTRY && name !== MANIFEST_SUM_ENTRY) problems.push(`${name} is in the archive but not in the manifest`);
  }
  const sum = manifest.files.reduce((n, f) => n + f.bytes, 0);
  if (manifest.totals.files !== manifest.files.length || manifest.totals.bytes !== sum) problems.push("the manifest's totals do not add up");
  return problems;
}

/** Row-count differences between the manifest and a database (the snapshot, or a restored store). */
export function rowCountMismatches(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [table, n] of Object.entries(expected)) {
    if (!(table in actual)) out.push(`table ${table} is missing`);
    else if (actual[table] !== n) out.push(`table ${table} has ${actual[table]} rows, the manifest says ${n}`);
  }
  for (const table of Object.keys(actual)) if (!(table in expected)) out.push(`table ${table} is not in the manifest`);
  return out;
}

// ---------- names and numbers ----------

/** skriptoteket-backup-20261123-081500.tar.gz (UTC, sorts by time). */
export function defaultBackupFileName(at: Date): string {
  const iso = at.toISOString();
  return `skriptoteket-backup-${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}.tar.gz`;
}

/** gzip for .tar.gz/.tgz, plain for .tar; null for any other name (the caller explains). */
export function compressionForFileName(name: string): { gzip: boolean } | null {
  if (/\.(tar\.gz|tgz)$/i.test(name)) return { gzip: true };
  if (/\.tar$/i.test(name)) return { gzip: false };
  return null;
}

/** "1 file", "3 files", "2 entries" */
export function countOf(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
