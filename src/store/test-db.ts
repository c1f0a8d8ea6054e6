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

/**
 * The store of the tests that run the server as a process (scripts/e2e/server.ts, the crash-safety and
 * end-to-end run tests): SQLite unless SKRIPTOTEKET_TEST_STORE=postgres, which scripts/test.ts sets for
 * its second pass over those files. Each such test then makes its own database with createEmptyPgDatabase.
 */
export function processTestStoreKind(): TestStoreKind {
  const kind = process.env.SKRIPTOTEKET_TEST_STORE || "sqlite";
  if (kind !== "sqlite" && kind !== "postgres") throw new Error(`SKRIPTOTEKET_TEST_STORE must be "sqlite" or "postgres", got "${kind}"`);
  if (kind === "postgres" && !process.env.SKRIPTOTEKET_TEST_DATABASE_URL) throw new Error("SKRIPTOTEKET_TEST_STORE=postgres needs SKRIPTOTEKET_TEST_DATABASE_URL (scripts/test.sh starts PostgreSQL)");
  return kind;
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
  const store = await openPostgres(pg.url, 5);
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
      try {
        await dropDatabase(a, name);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * Drops a test database that a killed server may still hold connections to. Not `WITH (FORCE)`: for a
 * role that is not superuser, FORCE fails with 42501 whenever autovacuum happens to work on the
 * database (seen after write-heavy tests). Instead our own role's leftover sessions are terminated
 * (allowed without privileges), and a plain DROP signals autovacuum to stop by itself; it is retried
 * while terminated sessions are still exiting (55006 "being accessed by other users").
 */
async function dropDatabase(admin: postgres.Sql, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND usename = current_user AND pid <> pg_backend_pid()`;
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== "55006" || attempt >= 20) throw err;
      await Bun.sleep(250);
    }
  }
}
