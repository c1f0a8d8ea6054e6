// Test helper: migrated stores for the shared repository suites. SQLite always; PostgreSQL when
// SKRIPTOTEKET_TEST_DATABASE_URL names a server (scripts/test.sh starts one and sets it). Each
// PostgreSQL store is a fresh database, dropped on close, so test files never see each other's rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openPostgres, openSqlite, type Store } from "./db";
import { migrate } from "./migrate";

export type TestStoreKind = "sqlite" | "postgres";

export function testStoreKinds(): TestStoreKind[] {
  const url = process.env.SKRIPTOTEKET_TEST_DATABASE_URL;
  if (!url && process.env.CI) throw new Error("CI=true but SKRIPTOTEKET_TEST_DATABASE_URL is not set: scripts/test.sh starts PostgreSQL");
  return url ? ["sqlite", "postgres"] : ["sqlite"];
}

export async function openTestStore(kind: TestStoreKind): Promise<Store> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "skt-test-"));
    const store = openSqlite(join(dir, "test.db"));
    await migrate(store);
    const close = store.close;
    store.close = async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    };
    return store;
  }
  const pg = await createEmptyPgDatabase();
  if (!pg) throw new Error("SKRIPTOTEKET_TEST_DATABASE_URL is not set");
  const store = openPostgres(pg.url, 5);
  await migrate(store);
  const close = store.close;
  store.close = async () => {
    await close();
    await pg.drop();
  };
  return store;
}

/** A fresh, empty PostgreSQL database (dropped by `drop`), or null when no test server is configured; also for tests that run the binary against PostgreSQL. */
export async function createEmptyPgDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.SKRIPTOTEKET_TEST_DATABASE_URL;
  if (!adminUrl) return null;
  const name = `skt_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
