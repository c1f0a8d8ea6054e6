import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MigrationMeta } from "drizzle-orm/migrator";
import { openTestStore, testStoreKinds } from "./test-db";
import { embeddedMigrations, migrate, pendingMigrations } from "./migrate";
import { openSqlite, pingStore, type SqliteStore, type Store } from "./db";
import * as sqliteMigrations from "../../migrations/sqlite/embedded";

for (const kind of testStoreKinds()) {
  describe(`store on ${kind}`, () => {
    let store: Store;
    afterAll(async () => store?.close());

    test("embedded migrations apply once and leave nothing pending", async () => {
      store = await openTestStore(kind);
      expect(await pendingMigrations(store)).toBe(0);
      const again = await migrate(store);
      expect(again.applied).toBe(0);
      expect(again.total).toBeGreaterThan(0);
      await pingStore(store);
    });

    test("tables of every feature exist", async () => {
      const names =
        store.dialect === "sqlite"
          ? (store.sqlite.query("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name)
          : (await store.sql<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`).map((r) => r.name);
      for (const t of ["users", "profiles", "sessions", "login_events", "email_tokens", "audit_events", "tools", "tool_versions", "runs", "jobs", "run_files", "artifacts", "tool_state", "tool_settings"]) expect(names).toContain(t);
    });

    if (kind === "sqlite")
      test("SQLite runs in WAL mode with foreign keys and a busy timeout", () => {
        if (store.dialect !== "sqlite") throw new Error("unreachable");
        expect((store.sqlite.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
        expect((store.sqlite.query("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys).toBe(1);
        expect((store.sqlite.query("PRAGMA busy_timeout").get() as { timeout: number }).timeout).toBe(5000);
      });
  });
}

test("embedded migrations are up to date with migrations/*/", () => {
  const p = Bun.spawnSync(["bun", "scripts/gen-migrations.ts", "--check"], { cwd: `${import.meta.dir}/../..` });
  expect(p.stderr.toString()).toBe("");
  expect(p.exitCode).toBe(0);
});

describe("the SQLite migrator", () => {
  type Migratable = { dialect: { migrate(m: MigrationMeta[], s: unknown, c: { migrationsFolder: string }): void }; session: unknown };
  const dir = mkdtempSync(join(tmpdir(), "skt-migrate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const schemaOf = (s: SqliteStore) => s.sqlite.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all();
  const rowsOf = (s: SqliteStore) => s.sqlite.query("SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at").all();
  const drizzleMigrate = (s: SqliteStore, metas: MigrationMeta[]) => {
    const db = s.db as unknown as Migratable;
    db.dialect.migrate(metas, db.session, { migrationsFolder: "(embedded)" });
  };

  test("gives the same schema and __drizzle_migrations rows as drizzle's own migrator", async () => {
    const ours = openSqlite(join(dir, "ours.db"));
    const theirs = openSqlite(join(dir, "theirs.db"));
    const r = await migrate(ours);
    drizzleMigrate(theirs, embeddedMigrations(sqliteMigrations));
    expect(r).toEqual({ applied: sqliteMigrations.journal.entries.length, total: sqliteMigrations.journal.entries.length });
    expect(schemaOf(ours)).toEqual(schemaOf(theirs));
    expect(rowsOf(ours)).toEqual(rowsOf(theirs));
    expect(await pendingMigrations(ours)).toBe(0);
    // and drizzle's migrator finds nothing to do on a database ours migrated
    drizzleMigrate(ours, embeddedMigrations(sqliteMigrations));
    expect(rowsOf(ours)).toEqual(rowsOf(theirs));
    await ours.close();
    await theirs.close();
  });

  test("applies only the migrations newer than the last applied one", async () => {
    const s = openSqlite(join(dir, "partial.db"));
    const all = embeddedMigrations(sqliteMigrations);
    drizzleMigrate(s, all.slice(0, 2));
    expect(await pendingMigrations(s)).toBe(all.length - 2);
    expect(await migrate(s)).toEqual({ applied: all.length - 2, total: all.length });
    expect(rowsOf(s)).toEqual(all.map((m) => ({ hash: m.hash, created_at: m.folderMillis })));
    expect(await migrate(s)).toEqual({ applied: 0, total: all.length });
    await s.close();
  });

  test("a failing migration leaves the database as it was", async () => {
    const s = openSqlite(join(dir, "broken.db"));
    s.sqlite.run("CREATE TABLE users (x integer)"); // the first migration's CREATE TABLE users then fails
    await expect(migrate(s)).rejects.toThrow(/already exists/);
    expect(s.sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual([{ name: "users" }]);
    await s.close();
  });
});
