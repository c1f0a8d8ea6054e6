// Applies the migrations embedded in the binary (stack-notes §1): the same metadata drizzle's
// folder migrator builds, fed to the dialect's migrator, so `drizzle-kit migrate` stays compatible.
import { createHash } from "node:crypto";
import type { MigrationMeta } from "drizzle-orm/migrator";
import type { Store } from "./db";
import * as sqliteMigrations from "../../migrations/sqlite/embedded";
import * as pgMigrations from "../../migrations/postgres/embedded";

type Embedded = {
  journal: { entries: { tag: string; when: number; breakpoints: boolean }[] };
  sqlByTag: Record<string, string>;
};

export function embeddedMigrations(embedded: Embedded): MigrationMeta[] {
  return embedded.journal.entries.map((entry) => {
    const text = embedded.sqlByTag[entry.tag];
    if (text === undefined) throw new Error(`migration ${entry.tag} is in the journal but not embedded`);
    return {
      sql: text.split("--> statement-breakpoint"),
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
  const before = await appliedCount(store);
  if (store.dialect === "sqlite") {
    const metas = embeddedMigrations(sqliteMigrations as Embedded);
    const db = store.db as unknown as Migratable;
    db.dialect.migrate(metas, db.session, { migrationsFolder: "(embedded)" });
    return { applied: (await appliedCount(store)) - before, total: metas.length };
  }
  const metas = embeddedMigrations(pgMigrations as Embedded);
  const db = store.db as unknown as Migratable;
  await db.dialect.migrate(metas, db.session, { migrationsFolder: "(embedded)" });
  return { applied: (await appliedCount(store)) - before, total: metas.length };
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
