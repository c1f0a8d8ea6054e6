// The one DB entry: opens SQLite (default) or PostgreSQL, sets pragmas and hides driver types
// behind `Store`. Repositories take `store` and pick their dialect's factory.
// postgres.js and drizzle's driver for it are imported only when a PostgreSQL URL is opened: an
// SQLite server (the default) should not evaluate them at every start.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { drizzle as drizzleSqlite, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { seedEmptySqlite } from "./empty-sqlite";

export type SqliteDb = BunSQLiteDatabase;
export type PgDb = PostgresJsDatabase;

export type SqliteStore = {
  dialect: "sqlite";
  db: SqliteDb;
  /** the raw handle, for pragmas, VACUUM INTO and health checks */
  sqlite: Database;
  file: string;
  close(): Promise<void>;
};
export type PgStore = {
  dialect: "postgres";
  db: PgDb;
  sql: postgres.Sql;
  close(): Promise<void>;
};
export type Store = SqliteStore | PgStore;

export type StoreOptions = {
  databaseUrl: string;
  dataDir: string;
  maxPgConnections?: number;
  /** a missing SQLite file starts as the embedded migrated database (only for callers that migrate anyway) */
  seedMigrated?: boolean;
};

export const SQLITE_FILE_NAME = "skriptoteket.db";

export function isPostgresUrl(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  if (isPostgresUrl(opts.databaseUrl)) return openPostgres(opts.databaseUrl, opts.maxPgConnections ?? 10);
  const file = join(resolve(opts.dataDir), SQLITE_FILE_NAME);
  // a new data dir starts from the embedded, already migrated database (empty-sqlite.ts); not for
  // doctor or restore, which must see a missing database as missing
  if (opts.seedMigrated) seedEmptySqlite(file);
  return openSqlite(file);
}

export function openSqlite(file: string): SqliteStore {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file, { create: true, strict: true });
  // WAL lets readers run beside the single writer; busy_timeout makes writers wait instead of
  // failing with SQLITE_BUSY; NORMAL is durable in WAL mode except for the last commit on power loss.
  sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec("PRAGMA busy_timeout = 5000");
  sqlite.exec("PRAGMA foreign_keys = ON");
  sqlite.exec("PRAGMA synchronous = NORMAL");
  const db = drizzleSqlite({ client: sqlite });
  return {
    dialect: "sqlite",
    db,
    sqlite,
    file,
    async close() {
      sqlite.close();
    },
  };
}

export async function openPostgres(url: string, max: number): Promise<PgStore> {
  // postgres.js rather than bun-sql: drizzle 0.45 double-encodes jsonb on bun-sql (stack-notes §1).
  const [{ default: postgres }, { drizzle: drizzlePg }] = await Promise.all([import("postgres"), import("drizzle-orm/postgres-js")]);
  const sql = postgres(url, { max, onnotice: () => {}, idle_timeout: 30 });
  const db = drizzlePg({ client: sql });
  return {
    dialect: "postgres",
    db,
    sql,
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/** A cheap round trip used by /readyz and `doctor`. */
export async function pingStore(store: Store): Promise<void> {
  if (store.dialect === "sqlite") store.sqlite.query("SELECT 1").get();
  else await store.sql`SELECT 1`;
}
