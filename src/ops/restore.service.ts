// `skriptoteket restore FILE [--force]`: a backup back into an EMPTY data dir (and, for PostgreSQL,
// an EMPTY database), then the embedded migrations, so a backup from an older version comes back
// upgraded. The archive is extracted into a staging folder and checked completely (manifest, every
// sha256, SQLite integrity) before anything in the data dir or the database is touched; only then is
// the target cleared (with --force) and the staged files moved into place.
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import postgres from "postgres";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import { isPostgresUrl, openStore, SQLITE_FILE_NAME } from "../store/db";
import { migrate } from "../store/migrate";
import { createAuditRepository } from "../audit/audit.repository";
import { recordAudit } from "../audit/audit.service";
import * as sqliteMigrations from "../../migrations/sqlite/embedded";
import * as pgMigrations from "../../migrations/postgres/embedded";
import { consumeEntry, entryBytes, readArchive, type ArchiveEntry, type FileDigest } from "./archive";
import {
  classifyEntry,
  countOf,
  formatBytes,
  compareWithManifest,
  FILES_PREFIX,
  headerMismatches,
  HEADER_ENTRY,
  parseHeader,
  parseManifest,
  parseManifestSum,
  rowCountMismatches,
  type BackupDialect,
  type BackupHeader,
  type BackupManifest,
} from "./backup.rules";
import { describeSqliteFile, describePg } from "./db-snapshot";
import { removeStaleStaging } from "./data-dir-files";
import { findPgTool, runPgTool, toolFailure } from "./pg-tools";
import { pgTables } from "./store-introspection";
import type { Progress } from "./progress";

export type RestoreDeps = {
  config: Pick<Config, "storage" | "database">;
  log: Logger;
  now: () => Date;
  env?: Record<string, string | undefined>;
};

export type RestoreResult = {
  manifest: BackupManifest;
  /** migrations applied after the restore (a backup from an older version) */
  migrationsApplied: number;
  /** what --force removed from the data dir and the database */
  cleared: string[];
};

/** A refusal or a problem with the backup; nothing was changed unless the message says so. */
export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreError";
  }
}

const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Migrations this binary knows, per dialect. */
export function embeddedMigrationCount(dialect: BackupDialect): number {
  return dialect === "sqlite" ? sqliteMigrations.journal.entries.length : pgMigrations.journal.entries.length;
}

export async function restoreBackup(deps: RestoreDeps, { file, force, progress }: { file: string; force: boolean; progress: Progress }): Promise<RestoreResult> {
  const archive = resolve(file);
  if (!existsSync(archive)) throw new RestoreError(`${archive} does not exist.`);
  const dataDir = resolve(deps.config.storage.data_dir);
  const pgUrl = isPostgresUrl(deps.config.database.url) ? deps.config.database.url : null;

  const header = await readHeader(archive);
  checkCompatible(header, pgUrl);
  if (pgUrl) findPgTool("pg_restore", deps.env);

  const occupied = [...(await dataDirContents(dataDir)), ...(pgUrl ? (await pgContents(pgUrl)).map((t) => `table ${t} in the database`) : [])];
  if (occupied.length && !force) {
    const shown = occupied.slice(0, 8).join(", ") + (occupied.length > 8 ? `, and ${occupied.length - 8} more` : "");
    throw new RestoreError(`The target is not empty: ${shown}. Restore into an empty data dir${pgUrl ? " and database" : ""}, or add --force to delete what is there first.`);
  }

  await removeStaleStaging(dataDir, "restore-", Date.now());
  const staging = join(dataDir, "tmp", `restore-${Bun.randomUUIDv7()}`);
  await mkdir(staging, { recursive: true });
  try {
    progress.start("Reading and checking the backup", (await stat(archive)).size);
    const staged = await extractToStaging(archive, staging, header.dialect, progress);
    progress.finish(`${countOf(staged.manifest.totals.files, "file")}, database ${formatBytes(staged.manifest.database.bytes)}`);
    if (header.dialect === "sqlite") checkSqliteSnapshot(staged.databaseFile, staged.manifest);

    const cleared = force ? await clearTarget(dataDir, pgUrl) : [];
    if (cleared.length) deps.log.warn("restore --force removed the previous contents", { removed: cleared.length });

    progress.start("Restoring", 0);
    for (const rel of staged.files) {
      const target = join(dataDir, ...rel.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await rename(join(staging, "files", ...rel.split("/")), target);
    }
    if (pgUrl) await pgRestore(pgUrl, staged.databaseFile, staged.manifest, deps.env);
    else await rename(staged.databaseFile, join(dataDir, SQLITE_FILE_NAME));
    progress.finish(`${countOf(staged.files.length, "file")} and the database`);

    const migrationsApplied = await migrateAndRecord(deps, dataDir, staged.manifest);
    deps.log.info("backup restored", { file: archive, created_at: header.created_at, dialect: header.dialect, migrations_applied: migrationsApplied });
    return { manifest: staged.manifest, migrationsApplied, cleared };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Reads only the first entry; restore refuses a wrong or newer backup before extracting gigabytes. */
async function readHeader(archive: string): Promise<BackupHeader> {
  let header: BackupHeader | null = null;
  let problem = `${HEADER_ENTRY} is missing: this is not a Skriptoteket backup`;
  const stop = new Error("header read");
  try {
    await readArchive(archive, async (entry) => {
      if (entry.name === HEADER_ENTRY) {
        const parsed = parseHeader(parseJson(await entryBytes(entry, MAX_JSON_BYTES)));
        if (parsed.ok) header = parsed.value;
        else problem = parsed.problems.join("; ");
      }
      throw stop;
    });
  } catch (e) {
    if (e !== stop) throw new RestoreError(`${archive} cannot be read as a backup: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!header) throw new RestoreError(`${archive}: ${problem}.`);
  return header;
}

function checkCompatible(header: BackupHeader, pgUrl: string | null): void {
  if (header.dialect === "sqlite" && pgUrl) {
    throw new RestoreError("This backup holds a SQLite database, but the config names PostgreSQL ([database] url). Restore it with a config whose [database] url is empty.");
  }
  if (header.dialect === "postgres" && !pgUrl) {
    throw new RestoreError('This backup holds a PostgreSQL database, but the config uses SQLite. Set [database] url = "postgres://…" to an empty database and run the command again.');
  }
  const known = embeddedMigrationCount(header.dialect);
  if (header.schema_migrations > known) {
    throw new RestoreError(
      `This backup was made by Skriptoteket ${header.version}, whose database schema is newer (${header.schema_migrations} migrations) than this version knows (${known}). Restore it with version ${header.version} or later.`,
    );
  }
}

/** Entries of the data dir, except an empty tmp/ (left by an earlier failed restore). */
async function dataDirContents(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dataDir)).sort();
  } catch (e) {
    if (typeof e === "object" && e !== null && "code" in e && e.code === "ENOENT") return [];
    throw e;
  }
  const out: string[] = [];
  for (const name of names) {
    if (name === "tmp" && (await readdir(join(dataDir, name)).catch(() => [])).length === 0) continue;
    out.push(join(dataDir, name));
  }
  return out;
}

async function pgContents(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await pgTables(sql);
  } catch (e) {
    throw new RestoreError(`Cannot connect to the PostgreSQL database in [database] url: ${e instanceof Error ? e.message : String(e)}. Create it empty first.`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

type Staged = { manifest: BackupManifest; databaseFile: string; files: string[] };

async function extractToStaging(archive: string, staging: string, dialect: BackupDialect, progress: Progress): Promise<Staged> {
  const seen = new Map<string, FileDigest>();
  const files: string[] = [];
  const problems: string[] = [];
  let manifestBytes: Uint8Array | null = null;
  let manifestSum: string | null = null;
  let header: BackupHeader | null = null;
  let databaseFile: string | null = null;
  await mkdir(join(staging, "files"), { recursive: true });
  try {
    await readArchive(
      archive,
      async (entry: ArchiveEntry) => {
        const kind = entry.type === "file" || entry.type === "contiguous-file" ? classifyEntry(entry.name, dialect) : null;
        if (kind === "header") {
          const bytes = await entryBytes(entry, MAX_JSON_BYTES);
          seen.set(entry.name, { bytes: bytes.byteLength, sha256: sha256(bytes) });
          const parsed = parseHeader(parseJson(bytes));
          if (parsed.ok) header = parsed.value;
        } else if (kind === "manifest") {
          manifestBytes = await entryBytes(entry, MAX_JSON_BYTES);
          seen.set(entry.name, { bytes: manifestBytes.byteLength, sha256: sha256(manifestBytes) });
        } else if (kind === "manifest-sum") {
          manifestSum = parseManifestSum(new TextDecoder().decode(await entryBytes(entry, 1024)));
        } else if (kind === "database" && !databaseFile) {
          databaseFile = join(staging, entry.name.replaceAll("/", "_"));
          seen.set(entry.name, await consumeEntry(entry, { toPath: databaseFile }));
        } else if (kind === "file" && !seen.has(entry.name)) {
          const rel = entry.name.slice(FILES_PREFIX.length);
          const target = join(staging, "files", ...rel.split("/"));
          await mkdir(dirname(target), { recursive: true });
          seen.set(entry.name, await consumeEntry(entry, { toPath: target }));
          files.push(rel);
        } else {
          await consumeEntry(entry);
          problems.push(`unexpected entry ${entry.name} (${entry.type})`);
        }
      },
      { onFileBytes: progress.advance },
    );
  } catch (e) {
    throw new RestoreError(`The backup is damaged or incomplete; nothing was restored: ${e instanceof Error ? e.message : String(e)}`);
  }
  const mBytes: Uint8Array | null = manifestBytes;
  if (!mBytes) throw new RestoreError("The backup has no manifest.json (it did not finish); nothing was restored.");
  if (manifestSum !== sha256(mBytes)) throw new RestoreError("manifest.json is damaged (its sha256 differs from manifest.json.sha256); nothing was restored.");
  const parsed = parseManifest(parseJson(mBytes));
  if (!parsed.ok) throw new RestoreError(`manifest.json is not valid: ${parsed.problems.join("; ")}; nothing was restored.`);
  const h: BackupHeader | null = header;
  if (h) problems.push(...headerMismatches(h, parsed.value));
  problems.push(...compareWithManifest(parsed.value, seen));
  if (problems.length) throw new RestoreError(`The backup does not match its manifest; nothing was restored: ${problems.slice(0, 5).join("; ")}`);
  if (!databaseFile) throw new RestoreError("The backup holds no database; nothing was restored.");
  return { manifest: parsed.value, databaseFile, files };
}

function checkSqliteSnapshot(file: string, manifest: BackupManifest): void {
  const db = new Database(file, { readonly: true });
  let result: string;
  try {
    result = (db.query("PRAGMA integrity_check").all() as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
  if (result !== "ok") throw new RestoreError(`The database in the backup is damaged (integrity_check: ${result}); nothing was restored.`);
  const problems = rowCountMismatches(manifest.tables, describeSqliteFile(file).tables);
  if (problems.length) throw new RestoreError(`The database in the backup does not match its manifest; nothing was restored: ${problems.join("; ")}`);
}

/** --force: every data-dir entry except tmp/ (our staging lives there), and every schema of the database. */
async function clearTarget(dataDir: string, pgUrl: string | null): Promise<string[]> {
  const cleared: string[] = [];
  for (const name of await readdir(dataDir)) {
    if (name === "tmp") continue;
    await rm(join(dataDir, name), { recursive: true, force: true });
    cleared.push(join(dataDir, name));
  }
  if (pgUrl) {
    const sql = postgres(pgUrl, { max: 1, onnotice: () => {} });
    try {
      const tables = await pgTables(sql);
      const schemas = await sql.unsafe<{ name: string }[]>(
        "SELECT nspname AS name FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\\_%'",
      );
      await sql.begin(async (tx) => {
        for (const s of schemas) await tx.unsafe(`DROP SCHEMA "${s.name.replaceAll('"', '""')}" CASCADE`);
        // public holds the tables, functions, text search configurations and the unaccent extension
        await tx.unsafe("DROP SCHEMA IF EXISTS public CASCADE");
        await tx.unsafe("CREATE SCHEMA public");
      });
      cleared.push(...tables.map((t) => `table ${t}`));
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  return cleared;
}

async function pgRestore(url: string, dumpFile: string, manifest: BackupManifest, env: Record<string, string | undefined> | undefined): Promise<void> {
  // one transaction: a failed restore leaves the database as empty as it was
  const r = await runPgTool("pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", dumpFile], url, env);
  if (r.exitCode !== 0) throw new RestoreError(`${toolFailure("pg_restore", r).message}. The files are in the data dir; the database is unchanged. Fix the cause and run restore again with --force.`);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const problems = rowCountMismatches(manifest.tables, (await describePg(sql)).tables);
    if (problems.length) throw new RestoreError(`The restored database does not match the manifest: ${problems.join("; ")}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function migrateAndRecord(deps: RestoreDeps, dataDir: string, manifest: BackupManifest): Promise<number> {
  const store = await openStore({ databaseUrl: deps.config.database.url, dataDir, maxPgConnections: 2 });
  try {
    const { applied } = await migrate(store);
    await recordAudit(
      { audit: createAuditRepository(store), now: deps.now },
      { actor: { kind: "cli" }, action: "backup.restored", target: null, before: null, after: { backup_created_at: manifest.created_at, backup_version: manifest.version, migrations_applied: applied } },
    );
    return applied;
  } finally {
    await store.close();
  }
}

function sha256(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
