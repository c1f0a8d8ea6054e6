// `skriptoteket backup verify FILE`: reads a backup end to end without touching any data dir or
// database, and reports whether it can be restored: the archive reads to its end, the manifest is
// intact, every entry matches its recorded size and sha256, and the database dump opens (SQLite:
// PRAGMA integrity_check and the row counts; PostgreSQL: pg_restore --list and its table list).
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumeEntry, entryBytes, readArchive, type ArchiveEntry, type FileDigest } from "./archive";
import {
  classifyEntry,
  countOf,
  compareWithManifest,
  formatBytes,
  headerMismatches,
  parseHeader,
  parseManifest,
  parseManifestSum,
  rowCountMismatches,
  type BackupHeader,
  type BackupManifest,
} from "./backup.rules";
import { describeSqliteFile } from "./db-snapshot";
import { PgToolMissingError, runPgTool } from "./pg-tools";
import type { Progress } from "./progress";

export type CheckLevel = "ok" | "warning" | "failed";
export type VerifyCheck = { name: string; level: CheckLevel; detail: string };
export type VerifyReport = { ok: boolean; checks: VerifyCheck[]; manifest: BackupManifest | null };

const MAX_JSON_BYTES = 64 * 1024 * 1024;

type Collected = {
  header: BackupHeader | null;
  headerProblems: string[];
  manifestBytes: Uint8Array | null;
  manifestSum: string | null;
  seen: Map<string, FileDigest>;
  unexpected: string[];
  databaseFile: string | null;
};

export async function verifyBackup(path: string, { progress, env = process.env }: { progress: Progress; env?: Record<string, string | undefined> }): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const add = (name: string, level: CheckLevel, detail: string) => checks.push({ name, level, detail });
  if (!existsSync(path)) {
    add("archive", "failed", `${path} does not exist`);
    return { ok: false, checks, manifest: null };
  }
  const work = await mkdtemp(join(tmpdir(), "skt-verify-"));
  try {
    const c: Collected = { header: null, headerProblems: [], manifestBytes: null, manifestSum: null, seen: new Map(), unexpected: [], databaseFile: null };
    progress.start("Reading archive", (await stat(path)).size);
    try {
      await readArchive(path, (entry) => collect(entry, c, work), { onFileBytes: progress.advance });
      progress.finish(`${c.seen.size} entries`);
      add("archive", "ok", "read to the end");
    } catch (e) {
      progress.finish("stopped");
      add("archive", "failed", `the archive is damaged or incomplete: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, checks, manifest: null };
    }

    if (!c.header) add("header", "failed", c.headerProblems.join("; ") || "skriptoteket-backup.json is missing: this is not a Skriptoteket backup");
    const manifest = checkManifest(c, add);
    if (manifest) {
      if (c.unexpected.length) add("contents", "failed", `unexpected entries: ${c.unexpected.slice(0, 5).join(", ")}${c.unexpected.length > 5 ? ", …" : ""}`);
      const problems = compareWithManifest(manifest, c.seen);
      if (problems.length) add("checksums", "failed", problems.slice(0, 10).join("; ") + (problems.length > 10 ? `; and ${problems.length - 10} more` : ""));
      else add("checksums", "ok", `database and ${countOf(manifest.totals.files, "file")} (${formatBytes(manifest.totals.bytes)}) match their sha256`);
      if (c.databaseFile && c.seen.get(manifest.database.path)?.sha256 === manifest.database.sha256) await checkDatabase(manifest, c.databaseFile, env, add);
      if (manifest.missing_blobs.length) {
        add("files", "warning", `${countOf(manifest.missing_blobs.length, "file")} referenced by the database were deleted while the backup ran (e.g. ${manifest.missing_blobs[0]}); their rows restore without them`);
      }
    }
    return { ok: checks.every((x) => x.level !== "failed"), checks, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function collect(entry: ArchiveEntry, c: Collected, work: string): Promise<void> {
  const kind = entry.type === "file" || entry.type === "contiguous-file" ? classifyEntry(entry.name, c.header?.dialect ?? null) : null;
  if (kind === "header") {
    const bytes = await entryBytes(entry, MAX_JSON_BYTES);
    c.seen.set(entry.name, digestOf(bytes));
    const parsed = parseHeader(parseJson(bytes));
    if (parsed.ok) c.header = parsed.value;
    else c.headerProblems = parsed.problems;
  } else if (kind === "manifest") {
    c.manifestBytes = await entryBytes(entry, MAX_JSON_BYTES);
    c.seen.set(entry.name, digestOf(c.manifestBytes));
  } else if (kind === "manifest-sum") {
    c.manifestSum = parseManifestSum(new TextDecoder().decode(await entryBytes(entry, 1024)));
  } else if (kind === "database" && !c.databaseFile) {
    c.databaseFile = join(work, entry.name.replaceAll("/", "_"));
    c.seen.set(entry.name, await consumeEntry(entry, { toPath: c.databaseFile }));
  } else {
    const digest = await consumeEntry(entry);
    if (kind === "file") c.seen.set(entry.name, digest);
    else c.unexpected.push(`${entry.name} (${entry.type})`);
  }
}

function checkManifest(c: Collected, add: (name: string, level: CheckLevel, detail: string) => void): BackupManifest | null {
  if (!c.manifestBytes) {
    add("manifest", "failed", "manifest.json is missing: the backup did not finish");
    return null;
  }
  const sha = digestOf(c.manifestBytes).sha256;
  if (c.manifestSum !== sha) {
    add("manifest", "failed", c.manifestSum ? "manifest.json is damaged: its sha256 differs from manifest.json.sha256" : "manifest.json.sha256 is missing or unreadable");
    return null;
  }
  const parsed = parseManifest(parseJson(c.manifestBytes));
  if (!parsed.ok) {
    add("manifest", "failed", parsed.problems.join("; "));
    return null;
  }
  const m = parsed.value;
  const mismatch = c.header ? headerMismatches(c.header, m) : [];
  if (mismatch.length) add("manifest", "failed", mismatch.join("; "));
  else add("manifest", "ok", `Skriptoteket ${m.version}, ${m.dialect}, ${m.schema_migrations} migrations, made ${m.created_at}`);
  return m;
}

async function checkDatabase(m: BackupManifest, file: string, env: Record<string, string | undefined>, add: (name: string, level: CheckLevel, detail: string) => void): Promise<void> {
  if (m.dialect === "sqlite") {
    try {
      const db = new Database(file, { readonly: true });
      let result: string;
      try {
        const rows = db.query("PRAGMA integrity_check").all() as { integrity_check: string }[];
        result = rows.map((r) => r.integrity_check).join("; ");
      } finally {
        db.close();
      }
      if (result !== "ok") return void add("database", "failed", `PRAGMA integrity_check: ${result}`);
      const described = describeSqliteFile(file);
      const problems = rowCountMismatches(m.tables, described.tables);
      if (described.migrations !== m.schema_migrations) problems.push(`${described.migrations} migrations applied, the manifest says ${m.schema_migrations}`);
      if (problems.length) return void add("database", "failed", problems.join("; "));
      add("database", "ok", `SQLite integrity_check ok; ${Object.keys(m.tables).length} tables with the recorded row counts`);
    } catch (e) {
      add("database", "failed", `the SQLite snapshot does not open: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  try {
    const r = await runPgTool("pg_restore", ["--list", file], null, env);
    if (r.exitCode !== 0) return void add("database", "failed", `pg_restore --list: ${r.stderr.trim() || `exit code ${r.exitCode}`}`);
    const dataTables = new Set(
      r.stdout
        .split("\n")
        .map((l) => /^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) /.exec(l))
        .filter((x): x is RegExpExecArray => x !== null)
        .map(([, schema, name]) => (schema === "public" ? name! : `${schema}.${name}`)),
    );
    const missing = Object.keys(m.tables).filter((t) => !dataTables.has(t));
    if (missing.length) return void add("database", "failed", `the dump has no data for ${missing.join(", ")}`);
    add("database", "ok", `pg_restore reads the dump; it holds data for all ${Object.keys(m.tables).length} tables`);
  } catch (e) {
    if (e instanceof PgToolMissingError) add("database", "failed", `cannot open the PostgreSQL dump: ${e.message}`);
    else throw e;
  }
}

function digestOf(bytes: Uint8Array): FileDigest {
  return { bytes: bytes.byteLength, sha256: new Bun.CryptoHasher("sha256").update(bytes).digest("hex") };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
