// Applies the migrations embedded in the binary (stack-notes §1) with drizzle's bookkeeping: the same
// `__drizzle_migrations` table, rows and "applied when newer than the last created_at" rule, so
// `drizzle-kit migrate` stays compatible. PostgreSQL goes through drizzle's own migrator. SQLite has a
// faster path of its own, because every start runs it: an up-to-date database costs one query, and
// each pending migration runs as ONE native exec (not one call per statement) in one transaction.
import { createHash } from "node:crypto";
import type { Database } from "bun:sqlite";
import type { MigrationMeta } from "drizzle-orm/migrator";
import type { Store } from "./db";
import * as sqliteMigrations from "../../migrations/sqlite/embedded";
import * as pgMigrations from "../../migrations/postgres/embedded";

type Embedded = {
  journal: { entries: { tag: string; when: number; breakpoints: boolean }[] };
  sqlByTag: Record<string, string>;
};

const BREAKPOINT = "--> statement-breakpoint";

export function embeddedMigrations(embedded: Embedded): MigrationMeta[] {
  return embedded.journal.entries.map((entry) => {
    const text = embedded.sqlByTag[entry.tag];
    if (text === undefined) throw new Error(`migration ${entry.tag} is in the journal but not embedded`);
    return {
      sql: text.split(BREAKPOINT),
      bps: entry.breakpoints,
      folderMillis: entry.when,
      hash: createHash("sha256").update(text).digest("hex"),
    };
  });
}

// drizzle marks `dialect` and `session` @internal; they are what its own migrators call.
type Migratable = {
  dialect: { migrate(m: MigrationMeta[], s: unknown, c: { migrationsFolder: string; migrationsSchema?: string }): unknown };
  session: unknown;
};

export type MigrateResult = { applied: number; total: number };

export async function migrate(store: Store): Promise<MigrateResult> {
  if (store.dialect === "sqlite") return migrateSqlite(store.sqlite, sqliteMigrations as Embedded);
  const newest = pgMigrations.journal.entries.at(-1)?.when ?? 0;
  const total = pgMigrations.journal.entries.length;
  // up to date: one query, no hashing (restarts, every replica)
  const last = await lastAppliedPg(store);
  if (last !== null && last >= newest) return { applied: 0, total };
  const before = await appliedCount(store);
  const db = store.db as unknown as Migratable;
  await db.dialect.migrate(embeddedMigrations(pgMigrations as Embedded), db.session, { migrationsFolder: "(embedded)" });
  return { applied: (await appliedCount(store)) - before, total };
}

// Byte for byte what drizzle's migrator sends (whitespace included): sqlite_master keeps the text.
const CREATE_SQLITE_MIGRATIONS_TABLE = `
			CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
				id SERIAL PRIMARY KEY,
				hash text NOT NULL,
				created_at numeric
			)
		`;

/** The SQLite migration, synchronous: for the build-time macro that makes the empty database (empty-sqlite.macro.ts). */
export function migrateSqliteSync(sqlite: Database): MigrateResult {
  return migrateSqlite(sqlite, sqliteMigrations as Embedded);
}

/** drizzle's SQLite migrator, minus its per-statement calls; same table, same rows, same rule. */
function migrateSqlite(sqlite: Database, embedded: Embedded): MigrateResult {
  const entries = embedded.journal.entries;
  const total = entries.length;
  const newest = entries.at(-1)?.when ?? 0;
  const last = lastAppliedSqlite(sqlite);
  if (last !== null && last >= newest) return { applied: 0, total };
  // IMMEDIATE: a second process migrating at the same moment waits (busy_timeout), then sees the
  // rows the first one wrote and applies nothing twice.
  const applyPending = sqlite.transaction(() => {
    sqlite.run(CREATE_SQLITE_MIGRATIONS_TABLE);
    const lastNow = lastAppliedSqlite(sqlite);
    const insert = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
    let applied = 0;
    for (const entry of entries) {
      if (lastNow !== null && lastNow >= entry.when) continue;
      const text = embedded.sqlByTag[entry.tag];
      if (text === undefined) throw new Error(`migration ${entry.tag} is in the journal but not embedded`);
      // ";" between the parts: a statement without its own semicolon must not run into the next one
      sqlite.run(text.split(BREAKPOINT).join(";\n"));
      insert.run(createHash("sha256").update(text).digest("hex"), entry.when);
      applied++;
    }
    return applied;
  });
  return { applied: applyPending.immediate(), total };
}

/** created_at of the newest applied migration; null before the first one (or without the table). */
function lastAppliedSqlite(sqlite: Database): number | null {
  const table = sqlite.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return null;
  const row = sqlite.query("SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1").get() as { at: number | string } | null;
  return row ? Number(row.at) : null;
}

async function lastAppliedPg(store: Extract<Store, { dialect: "postgres" }>): Promise<number | null> {
  const exists = await store.sql`SELECT to_regclass('drizzle.__drizzle_migrations') AS t`;
  if (!exists[0]?.t) return null;
  const rows = await store.sql`SELECT created_at AS at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`;
  return rows[0] ? Number(rows[0].at) : null;
}

/** Number of embedded migrations not yet applied (doctor, readyz). */
export async function pendingMigrations(store: Store): Promise<number> {
  const total = store.dialect === "sqlite" ? sqliteMigrations.journal.entries.length : pgMigrations.journal.entries.length;
  return total - (await appliedCount(store));
}

async function appliedCount(store: Store): Promise<number> {
  if (store.dialect === "sqlite") {
    const table = store.sqlite
      .query("SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'")
      .get();
    if (!table) return 0;
    const row = store.sqlite.query("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    return row.n;
  }
  const exists = await store.sql`SELECT to_regclass('drizzle.__drizzle_migrations') AS t`;
  if (!exists[0]?.t) return 0;
  const rows = await store.sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
  return Number(rows[0]?.n ?? 0);
}
