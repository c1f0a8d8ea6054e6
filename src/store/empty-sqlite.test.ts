import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite, openStore, SQLITE_FILE_NAME, type SqliteStore } from "./db";
import { emptySqliteBytes, seedEmptySqlite } from "./empty-sqlite";
import { migrate } from "./migrate";

const dir = mkdtempSync(join(tmpdir(), "skt-empty-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything migrations leave behind: the schema text and drizzle's bookkeeping rows. */
function snapshot(store: SqliteStore) {
  return {
    schema: store.sqlite.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all(),
    migrations: store.sqlite.query("SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY created_at").all(),
    userVersion: store.sqlite.query("PRAGMA user_version").get(),
  };
}

describe("embedded empty SQLite database", () => {
  test("has the same schema and migration rows as a database migrated at start, and nothing left to apply", async () => {
    const migrated = openSqlite(join(dir, "migrated.db"));
    const applied = await migrate(migrated);
    expect(applied.applied).toBe(applied.total);
    const seededFile = join(dir, "seeded.db");
    expect(seedEmptySqlite(seededFile)).toBe(true);
    const seeded = openSqlite(seededFile);
    expect(await migrate(seeded)).toEqual({ applied: 0, total: applied.total });
    const expected = snapshot(migrated);
    expect(expected.schema.length).toBeGreaterThan(20);
    expect(snapshot(seeded)).toEqual(expected);
    await migrated.close();
    await seeded.close();
  });

  test("is in WAL mode already (header bytes 18 and 19 are 2)", () => {
    const bytes = emptySqliteBytes();
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe("SQLite format 3");
    expect([bytes[18], bytes[19]]).toEqual([2, 2]);
  });

  test("never replaces an existing file", () => {
    const file = join(dir, "existing.db");
    writeFileSync(file, "not a database");
    expect(seedEmptySqlite(file)).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("not a database");
  });

  test("openStore on a new data dir gives a migrated, writable database", async () => {
    const dataDir = join(dir, "data");
    const store = await openStore({ databaseUrl: "", dataDir, seedMigrated: true });
    if (store.dialect !== "sqlite") throw new Error("expected SQLite");
    expect(store.file).toBe(join(dataDir, SQLITE_FILE_NAME));
    expect(await migrate(store)).toMatchObject({ applied: 0 });
    expect(store.sqlite.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(store.sqlite.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    store.sqlite.run("CREATE TABLE probe (x integer)");
    store.sqlite.run("INSERT INTO probe VALUES (1)");
    expect(store.sqlite.query("SELECT count(*) AS n FROM probe").get()).toEqual({ n: 1 });
    await store.close();
  });

  test("openStore without seedMigrated leaves a new database empty (doctor and restore see it as missing)", async () => {
    const store = await openStore({ databaseUrl: "", dataDir: join(dir, "unseeded") });
    if (store.dialect !== "sqlite") throw new Error("expected SQLite");
    expect(store.sqlite.query("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    await store.close();
  });
});
