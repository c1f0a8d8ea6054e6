// What the database holds, read from its own catalog rather than from the drizzle schema files:
// backup manifests (row counts per table), the privacy export (every row that references a user) and
// the backup tests (table-by-table comparison) must also cover tables that features add later.
// Works on a raw bun:sqlite handle (the live store or a backup snapshot file) and on a postgres.js
// connection or transaction (so counts can come from the same snapshot as pg_dump).
import type { Database } from "bun:sqlite";
import type postgres from "postgres";

/** Anything postgres.js can run raw SQL on: the pool, a reserved connection or a transaction. */
export type PgQuery = Pick<postgres.Sql, "unsafe">;

/** A single-column foreign key: `table.column` references `refTable.refColumn`. */
export type ForeignKey = { table: string; column: string; refTable: string; refColumn: string; onDelete: "cascade" | "set null" | "restrict" | "no action" | "set default" };

/** A SQL identifier in double quotes (both dialects accept them); `schema.table` is quoted per part. */
export function quoteIdent(name: string): string {
  return name
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
}

// ---------- SQLite ----------

/** Every table, sorted; FTS shadow tables and the virtual table included, sqlite_* excluded. */
export function sqliteTables(db: Database): string[] {
  const rows = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[];
  return rows.map((r) => r.name);
}

export function sqliteRowCounts(db: Database, tables = sqliteTables(db)): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (db.query(`SELECT count(*) AS n FROM ${quoteIdent(t)}`).get() as { n: number }).n;
  return out;
}

export function sqliteColumns(db: Database, table: string): string[] {
  return (db.query(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

const SQLITE_ON_DELETE: Record<string, ForeignKey["onDelete"]> = { CASCADE: "cascade", "SET NULL": "set null", RESTRICT: "restrict", "NO ACTION": "no action", "SET DEFAULT": "set default" };

export function sqliteForeignKeys(db: Database): ForeignKey[] {
  const out: ForeignKey[] = [];
  for (const table of sqliteTables(db)) {
    const rows = db.query(`SELECT id, seq, "table" AS ref, "from" AS col, "to" AS refcol, on_delete FROM pragma_foreign_key_list(?)`).all(table) as {
      id: number;
      seq: number;
      ref: string;
      col: string;
      refcol: string | null;
      on_delete: string;
    }[];
    const multi = new Set(rows.filter((r) => r.seq > 0).map((r) => r.id));
    for (const r of rows) {
      if (multi.has(r.id)) continue;
      out.push({ table, column: r.col, refTable: r.ref, refColumn: r.refcol ?? "id", onDelete: SQLITE_ON_DELETE[r.on_delete] ?? "no action" });
    }
  }
  return out;
}

/** Count of applied migrations in a SQLite file (0 when it was never migrated). */
export function sqliteMigrationCount(db: Database): number {
  const table = db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return 0;
  return (db.query("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n;
}

// ---------- PostgreSQL ----------

/**
 * Every base table outside the system schemas, sorted: tables in `public` by name ("runs"), others
 * qualified ("drizzle.__drizzle_migrations").
 */
export async function pgTables(sql: PgQuery): Promise<string[]> {
  const rows = await sql.unsafe<{ schema: string; name: string }[]>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'`,
  );
  return rows.map((r) => (r.schema === "public" ? r.name : `${r.schema}.${r.name}`)).sort();
}

export async function pgRowCounts(sql: PgQuery, tables?: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables ?? (await pgTables(sql))) {
    const [row] = await sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${quoteIdent(t)}`);
    out[t] = row?.n ?? 0;
  }
  return out;
}

export async function pgColumns(sql: PgQuery, table: string): Promise<string[]> {
  const [schema, name] = table.includes(".") ? (table.split(".") as [string, string]) : ["public", table];
  const rows = await sql.unsafe<{ name: string }[]>(
    "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
    [schema, name],
  );
  return rows.map((r) => r.name);
}

const PG_ON_DELETE: Record<string, ForeignKey["onDelete"]> = { c: "cascade", n: "set null", r: "restrict", a: "no action", d: "set default" };

export async function pgForeignKeys(sql: PgQuery): Promise<ForeignKey[]> {
  const rows = await sql.unsafe<{ tbl: string; col: string; ref: string; refcol: string; deltype: string }[]>(
    `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS ref, af.attname AS refcol, c.confdeltype AS deltype
     FROM pg_constraint c
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
     WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1`,
  );
  const unquote = (name: string) => name.replaceAll('"', "");
  return rows.map((r) => ({ table: unquote(r.tbl), column: r.col, refTable: unquote(r.ref), refColumn: r.refcol, onDelete: PG_ON_DELETE[r.deltype] ?? "no action" }));
}

/** Count of applied migrations (0 when the database was never migrated). */
export async function pgMigrationCount(sql: PgQuery): Promise<number> {
  const [exists] = await sql.unsafe<{ t: string | null }[]>("SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t");
  if (!exists?.t) return 0;
  const [row] = await sql.unsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations");
  return row?.n ?? 0;
}
