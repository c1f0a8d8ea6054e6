// A consistent copy of the database while the server keeps writing, plus what the manifest needs
// from that same point in time: row counts, applied migrations and the blob keys rows refer to.
//
// SQLite: VACUUM INTO runs inside one read transaction, so the copy is one commit's state; in WAL
// mode writers go on meanwhile. PostgreSQL: a REPEATABLE READ transaction exports its snapshot,
// pg_dump --snapshot dumps exactly that state, and the counts are read in the same transaction.
import { Database } from "bun:sqlite";
import postgres from "postgres";
import type { BackupDialect } from "./backup.rules";
import { runPgTool, toolFailure, findPgTool } from "./pg-tools";
import { pgColumns, pgMigrationCount, pgRowCounts, pgTables, quoteIdent, sqliteColumns, sqliteMigrationCount, sqliteRowCounts, sqliteTables, type PgQuery } from "./store-introspection";

export type DbSnapshot = {
  dialect: BackupDialect;
  /** the snapshot file: a SQLite database, or a pg_dump custom-format archive */
  path: string;
  tables: Record<string, number>;
  migrations: number;
  /** every blob key a row of the snapshot refers to (any column named storage_key) */
  storageKeys: string[];
};

/**
 * Blob keys live in columns named `storage_key` (run_files, artifacts, and any table added later
 * that follows the convention), so the backup can check that each referenced file was copied.
 */
export const STORAGE_KEY_COLUMN = "storage_key";

/** Copies the live SQLite file at `dbFile` into `outFile` (which must not exist). */
export function snapshotSqlite(dbFile: string, outFile: string): DbSnapshot {
  const live = new Database(dbFile, { readonly: true });
  try {
    live.exec("PRAGMA busy_timeout = 10000");
    live.prepare("VACUUM INTO ?").run(outFile);
  } finally {
    live.close();
  }
  return { dialect: "sqlite", path: outFile, ...describeSqliteFile(outFile) };
}

/** Counts, migrations and blob keys of a SQLite file (a snapshot: nobody else writes it). */
export function describeSqliteFile(file: string): Omit<DbSnapshot, "dialect" | "path"> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = sqliteTables(db);
    const storageKeys: string[] = [];
    for (const t of tables) {
      if (!sqliteColumns(db, t).includes(STORAGE_KEY_COLUMN)) continue;
      const rows = db.query(`SELECT ${STORAGE_KEY_COLUMN} AS k FROM ${quoteIdent(t)} WHERE ${STORAGE_KEY_COLUMN} IS NOT NULL`).all() as { k: string }[];
      storageKeys.push(...rows.map((r) => r.k));
    }
    return { tables: sqliteRowCounts(db, tables), migrations: sqliteMigrationCount(db), storageKeys };
  } finally {
    db.close();
  }
}

/** pg_dump of the database at `url` into `outFile`, with counts from the same snapshot. */
export async function snapshotPostgres(url: string, outFile: string, env: Record<string, string | undefined> = process.env): Promise<DbSnapshot> {
  findPgTool("pg_dump", env);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await sql.begin("isolation level repeatable read read only", async (tx) => {
      const [row] = await tx.unsafe<{ id: string }[]>("SELECT pg_export_snapshot() AS id");
      const described = await describePg(tx);
      // the transaction stays open until pg_dump is done: an exported snapshot lives only as long as it
      const r = await runPgTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${row!.id}`, `--file=${outFile}`], url, env);
      if (r.exitCode !== 0) throw toolFailure("pg_dump", r);
      return { dialect: "postgres" as const, path: outFile, ...described };
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function describePg(sql: PgQuery): Promise<Omit<DbSnapshot, "dialect" | "path">> {
  const tables = await pgTables(sql);
  const storageKeys: string[] = [];
  for (const t of tables) {
    if (!(await pgColumns(sql, t)).includes(STORAGE_KEY_COLUMN)) continue;
    const rows = await sql.unsafe<{ k: string }[]>(`SELECT ${STORAGE_KEY_COLUMN} AS k FROM ${quoteIdent(t)} WHERE ${STORAGE_KEY_COLUMN} IS NOT NULL`);
    storageKeys.push(...rows.map((r) => r.k));
  }
  return { tables: await pgRowCounts(sql, tables), migrations: await pgMigrationCount(sql), storageKeys };
}
