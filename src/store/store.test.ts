import { afterAll, describe, expect, test } from "bun:test";
import { openTestStore, testStoreKinds } from "./test-db";
import { migrate, pendingMigrations } from "./migrate";
import { pingStore, type Store } from "./db";

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
