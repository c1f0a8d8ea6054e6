// The migration "catalog-search-and-sync" on a store that already holds tools: it seeds the taxonomy,
// links the tools that declare seeded slugs, indexes every tool for search and records the published
// ones' first publication. Run on SQLite and (when configured) PostgreSQL.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MigrationMeta } from "drizzle-orm/migrator";
import { openPostgres, openSqlite, type Store } from "../store/db";
import { embeddedMigrations, migrate } from "../store/migrate";
import { createEmptyPgDatabase, testStoreKinds } from "../store/test-db";
import * as sqliteMigrations from "../../migrations/sqlite/embedded";
import * as pgMigrations from "../../migrations/postgres/embedded";
import { createToolsRepository } from "../tools/tools.repository";
import { createCatalogRepository } from "./catalog.repository";
import { createTaxonomyRepository } from "./taxonomy.repository";
import { parseSearchQuery } from "./search.rules";

const TAG = "catalog-search-and-sync";
type Migratable = { dialect: { migrate(m: MigrationMeta[], s: unknown, c: { migrationsFolder: string }): unknown }; session: unknown };

/** Applies the embedded migrations before the catalog's sync migration. */
async function migrateUpToSync(store: Store): Promise<void> {
  const embedded = store.dialect === "sqlite" ? sqliteMigrations : pgMigrations;
  const index = embedded.journal.entries.findIndex((e) => e.tag.endsWith(TAG));
  expect(index).toBeGreaterThan(0);
  const metas = embeddedMigrations(embedded).slice(0, index);
  const db = store.db as unknown as Migratable;
  await db.dialect.migrate(metas, db.session, { migrationsFolder: "(embedded)" });
}

async function openEmpty(kind: "sqlite" | "postgres"): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "skt-catalog-mig-"));
    const store = openSqlite(join(dir, "test.db"));
    return { store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const pg = (await createEmptyPgDatabase())!;
  const store = await openPostgres(pg.url, 2);
  return { store, cleanup: async () => (await store.close(), await pg.drop()) };
}

for (const kind of testStoreKinds()) {
  describe(`migration ${TAG} on ${kind}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups) await c();
    });

    test("indexes, links and dates the tools that existed before it", async () => {
      const { store, cleanup } = await openEmpty(kind);
      cleanups.push(cleanup);
      await migrateUpToSync(store);

      const tools = createToolsRepository(store);
      const T = new Date("2026-01-15T10:00:00.000Z");
      const published = (await tools.create({ slug: "lasbarhet", title: "Läsbarhet", summary: "Mäter texter.", professions: ["larare", "okand"], categories: ["ovrigt"], now: T }))!;
      const v = await tools.createVersion({
        toolId: published.id,
        state: "draft",
        source: "x",
        entrypoint: "run_tool",
        inputSchema: [],
        settingsSchema: null,
        usageInstructions: "Klistra in en elevtext.",
        contentHash: "h1",
        parentVersionId: null,
        createdBy: null,
        note: null,
        now: T,
      });
      await tools.applyStateChanges({ toolId: published.id, changes: [{ versionId: v.id, from: "draft", to: "active" }], activeVersionId: v.id, isPublished: true, now: T });
      const draft = (await tools.create({ slug: "utkast", title: "Utkast om grupper", summary: "", professions: ["rektor"], categories: [], now: T }))!;

      const r = await migrate(store);
      expect(r.applied).toBeGreaterThanOrEqual(1);

      const taxonomy = createTaxonomyRepository(store);
      const catalog = createCatalogRepository(store);
      const larare = (await taxonomy.getBySlug("professions", "larare"))!;
      const rektor = (await taxonomy.getBySlug("professions", "rektor"))!;
      const ovrigt = (await taxonomy.getBySlug("categories", "ovrigt"))!;
      expect(await taxonomy.listToolsUsing("professions", larare.id)).toEqual([{ id: published.id, slug: "lasbarhet", title: "Läsbarhet" }]);
      expect(await taxonomy.listToolsUsing("professions", rektor.id)).toEqual([{ id: draft.id, slug: "utkast", title: "Utkast om grupper" }]);
      expect(await taxonomy.listToolsUsing("categories", ovrigt.id)).toEqual([{ id: published.id, slug: "lasbarhet", title: "Läsbarhet" }]);
      // all tools are indexed (the service shows only published ones), the active version's instructions too
      expect([...(await catalog.search(parseSearchQuery("elevtext"))).keys()]).toEqual([published.id]);
      expect([...(await catalog.search(parseSearchQuery("grupper"))).keys()]).toEqual([draft.id]);
      expect(await catalog.listNewlyPublished(10)).toEqual([{ toolId: published.id, publishedAt: T }]);
    });
  });
}
