// What the teacher-facing catalog reads and writes, for SQLite and PostgreSQL: published tools with
// facet filters, full-text search (FTS5 / tsvector, both kept in sync by triggers), tag links,
// favorites, which usage instructions a user has seen, recently run and newly published tools.
//
// "Published" everywhere here means is_published and an active version: a tool without an active
// version has nothing to run or show.
import { and, desc, eq, inArray, isNotNull, max, sql, type SQL } from "drizzle-orm";
import type { Database, Statement } from "bun:sqlite";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./catalog.schema.sqlite";
import * as pg from "./catalog.schema.pg";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";
import * as liteRuns from "../execution/execution.schema.sqlite";
import * as pgRuns from "../execution/execution.schema.pg";
import { fts5MatchExpression, type SearchTerm } from "./search.rules";
import type { TaxonomyKind } from "./taxonomy.rules";

export type CatalogToolRow = { id: string; slug: string; title: string; summary: string; updatedAt: Date };

export type CatalogToolDetails = CatalogToolRow & {
  activeVersion: { id: string; number: number; inputSchema: unknown[]; settingsSchema: unknown[] | null; usageInstructions: string };
};

export type PublishedFilter = {
  /** Only these tools (e.g. the home page's); an empty list keeps none. */
  toolIds?: readonly string[];
};

export type TagLink = { toolId: string; entryId: string };
export type SeenVersion = { versionId: string; number: number; usageInstructions: string };

export type CatalogRepository = {
  /** A number that grows with every change to tools or the taxonomy (trigger-maintained). */
  getRevision(): Promise<number>;
  /** Published tools (optionally only the given ones), in no particular order. */
  listPublished(filter?: PublishedFilter): Promise<CatalogToolRow[]>;
  getPublishedBySlug(slug: string): Promise<CatalogToolDetails | null>;
  /**
   * Tools (published or not: callers intersect with listPublished) matching every term as a word
   * prefix in title, summary or the active version's usage instructions, with a relevance score
   * (higher is better). Empty terms match nothing.
   */
  search(terms: readonly SearchTerm[]): Promise<Map<string, number>>;
  /**
   * Brings the search index into its fastest form after changes. SQLite: FTS5 "optimize" merges the
   * index's segments into one (each import or publish adds a segment; after 500 imports a two-word
   * query took 75 µs, after optimize 41 µs; optimizing 500 tools takes ≈3 ms). PostgreSQL: nothing
   * (autovacuum maintains the GIN index).
   */
  compactSearchIndex(): Promise<void>;
  /** Links between published tools (or only the given tools) and the taxonomy's entries. */
  listLinks(kind: TaxonomyKind, toolIds?: readonly string[]): Promise<TagLink[]>;
  /** The user's favorite tool ids, newest first (unpublished tools included: callers filter). */
  listFavoriteToolIds(userId: string): Promise<string[]>;
  isFavorite(userId: string, toolId: string): Promise<boolean>;
  /** Idempotent: a favorite keeps its first created_at. */
  addFavorite(userId: string, toolId: string, now: Date): Promise<void>;
  removeFavorite(userId: string, toolId: string): Promise<void>;
  getSeenVersion(userId: string, toolId: string): Promise<SeenVersion | null>;
  markSeen(userId: string, toolId: string, versionId: string, now: Date): Promise<void>;
  /** A version of the tool by number, or null. */
  findVersionId(toolId: string, number: number): Promise<string | null>;
  /** Published tools the user ran in production, most recent run first. */
  listRecentlyRun(userId: string, limit: number): Promise<{ toolId: string; lastRunAt: Date }[]>;
  /** Published tools by their first publication, newest first. */
  listNewlyPublished(limit: number): Promise<{ toolId: string; publishedAt: Date }[]>;
};

function tsQuery(terms: readonly SearchTerm[]): SQL {
  // Per word: its Swedish stem (PostgreSQL's own stemmer) or the whole word, as a prefix. The whole
  // word keeps partial words findable where the stem of a partial word would not be; a word whose
  // stem is too short to search by (search.rules) is matched by the word alone. Words hold only
  // letters and digits, so they cannot carry tsquery syntax.
  const words = terms.map((t) => {
    const prefix = `${t.word}:*`;
    const whole = sql`to_tsquery('skriptoteket_simple', ${prefix})`;
    return t.stem === null ? whole : sql`(to_tsquery('skriptoteket_swedish', ${prefix}) || ${whole})`;
  });
  return sql.join(words, sql` && `);
}

// bm25 column weights: tool_id, title, summary, instructions, joined (matching only). bm25 is lower
// for better matches, so callers negate it.
const FTS5_SEARCH = "SELECT tool_id, bm25(tool_search, 0, 10, 4, 1, 0) AS rank FROM tool_search WHERE tool_search MATCH ?";

export function createCatalogRepositorySqlite(db: SqliteDb): CatalogRepository {
  const { tools, toolVersions } = liteTools;
  const { runs } = liteRuns;
  const { toolFavorites, toolInstructionsSeen, toolPublications } = lite;
  const published = and(eq(tools.isPublished, true), isNotNull(tools.activeVersionId));
  const links = (kind: TaxonomyKind) =>
    kind === "professions"
      ? { table: lite.toolProfessions, tool: lite.toolProfessions.toolId, entry: lite.toolProfessions.professionId }
      : { table: lite.toolCategories, tool: lite.toolCategories.toolId, entry: lite.toolCategories.categoryId };

  // Prepared on first use (not here: the repository may exist before the migrations ran); raw
  // bun:sqlite, because building the query through drizzle cost more than running it.
  let ftsSearch: Statement<{ tool_id: string; rank: number }, [string]> | null = null;
  // The two queries every catalog request makes, prepared once.
  const revision = db.select({ rev: sql<number>`rev` }).from(sql`catalog_revision`).where(sql`id = 1`).prepare();
  const favoritesOf = db
    .select({ toolId: toolFavorites.toolId })
    .from(toolFavorites)
    .where(eq(toolFavorites.userId, sql.placeholder("userId")))
    .orderBy(desc(toolFavorites.createdAt))
    .prepare();
  return {
    async getRevision() {
      return revision.get()?.rev ?? 0;
    },
    async listPublished(f = {}) {
      if (f.toolIds?.length === 0) return [];
      return db
        .select({ id: tools.id, slug: tools.slug, title: tools.title, summary: tools.summary, updatedAt: tools.updatedAt })
        .from(tools)
        .where(and(published, f.toolIds ? inArray(tools.id, [...f.toolIds]) : undefined))
        .all();
    },
    async getPublishedBySlug(slug) {
      const row = db
        .select({
          id: tools.id,
          slug: tools.slug,
          title: tools.title,
          summary: tools.summary,
          updatedAt: tools.updatedAt,
          versionId: toolVersions.id,
          number: toolVersions.number,
          inputSchema: toolVersions.inputSchema,
          settingsSchema: toolVersions.settingsSchema,
          usageInstructions: toolVersions.usageInstructions,
        })
        .from(tools)
        .innerJoin(toolVersions, eq(toolVersions.id, tools.activeVersionId))
        .where(and(eq(tools.slug, slug), published))
        .get();
      if (!row) return null;
      const { versionId, number, inputSchema, settingsSchema, usageInstructions, ...tool } = row;
      return { ...tool, activeVersion: { id: versionId, number, inputSchema, settingsSchema: settingsSchema ?? null, usageInstructions } };
    },
    async search(terms) {
      if (terms.length === 0) return new Map();
      // drizzle's db carries its bun:sqlite handle as `$client` (public API); SqliteDb's type leaves it out
      ftsSearch ??= (db as unknown as { $client: Database }).$client.query<{ tool_id: string; rank: number }, [string]>(FTS5_SEARCH);
      const rows = ftsSearch.all(fts5MatchExpression(terms));
      return new Map(rows.map((r) => [r.tool_id, -r.rank]));
    },
    async compactSearchIndex() {
      (db as unknown as { $client: Database }).$client.run("INSERT INTO tool_search (tool_search) VALUES ('optimize')");
    },
    async listLinks(kind, toolIds) {
      if (toolIds?.length === 0) return [];
      const l = links(kind);
      return db
        .select({ toolId: l.tool, entryId: l.entry })
        .from(l.table)
        .innerJoin(tools, eq(tools.id, l.tool))
        .where(and(published, toolIds ? inArray(l.tool, [...toolIds]) : undefined))
        .all();
    },
    async listFavoriteToolIds(userId) {
      return favoritesOf.all({ userId }).map((r) => r.toolId);
    },
    async isFavorite(userId, toolId) {
      return !!db.select({ x: toolFavorites.toolId }).from(toolFavorites).where(and(eq(toolFavorites.userId, userId), eq(toolFavorites.toolId, toolId))).get();
    },
    async addFavorite(userId, toolId, now) {
      db.insert(toolFavorites).values({ userId, toolId, createdAt: now }).onConflictDoNothing().run();
    },
    async removeFavorite(userId, toolId) {
      db.delete(toolFavorites).where(and(eq(toolFavorites.userId, userId), eq(toolFavorites.toolId, toolId))).run();
    },
    async getSeenVersion(userId, toolId) {
      const row = db
        .select({ versionId: toolVersions.id, number: toolVersions.number, usageInstructions: toolVersions.usageInstructions })
        .from(toolInstructionsSeen)
        .innerJoin(toolVersions, eq(toolVersions.id, toolInstructionsSeen.versionId))
        .where(and(eq(toolInstructionsSeen.userId, userId), eq(toolInstructionsSeen.toolId, toolId)))
        .get();
      return row ?? null;
    },
    async markSeen(userId, toolId, versionId, now) {
      db.insert(toolInstructionsSeen)
        .values({ userId, toolId, versionId, seenAt: now })
        .onConflictDoUpdate({ target: [toolInstructionsSeen.userId, toolInstructionsSeen.toolId], set: { versionId, seenAt: now } })
        .run();
    },
    async findVersionId(toolId, number) {
      return db.select({ id: toolVersions.id }).from(toolVersions).where(and(eq(toolVersions.toolId, toolId), eq(toolVersions.number, number))).get()?.id ?? null;
    },
    async listRecentlyRun(userId, limit) {
      const last = max(runs.queuedAt);
      const rows = db
        .select({ toolId: runs.toolId, lastRunAt: last })
        .from(runs)
        .innerJoin(tools, eq(tools.id, runs.toolId))
        .where(and(eq(runs.userId, userId), eq(runs.kind, "production"), published))
        .groupBy(runs.toolId)
        .orderBy(desc(last))
        .limit(limit)
        .all();
      return rows.flatMap((r) => (r.lastRunAt ? [{ toolId: r.toolId, lastRunAt: r.lastRunAt }] : []));
    },
    async listNewlyPublished(limit) {
      return db
        .select({ toolId: toolPublications.toolId, publishedAt: toolPublications.firstPublishedAt })
        .from(toolPublications)
        .innerJoin(tools, eq(tools.id, toolPublications.toolId))
        .where(published)
        .orderBy(desc(toolPublications.firstPublishedAt), desc(toolPublications.toolId))
        .limit(limit)
        .all();
    },
  };
}

export function createCatalogRepositoryPg(db: PgDb): CatalogRepository {
  const { tools, toolVersions } = pgTools;
  const { runs } = pgRuns;
  const { toolFavorites, toolInstructionsSeen, toolPublications } = pg;
  const published = and(eq(tools.isPublished, true), isNotNull(tools.activeVersionId));
  const links = (kind: TaxonomyKind) =>
    kind === "professions"
      ? { table: pg.toolProfessions, tool: pg.toolProfessions.toolId, entry: pg.toolProfessions.professionId }
      : { table: pg.toolCategories, tool: pg.toolCategories.toolId, entry: pg.toolCategories.categoryId };

  return {
    async getRevision() {
      const rows = await db.execute<{ rev: string | number }>(sql`SELECT rev FROM catalog_revision WHERE id = 1`);
      return Number(rows[0]?.rev ?? 0);
    },
    async listPublished(f = {}) {
      if (f.toolIds?.length === 0) return [];
      return db
        .select({ id: tools.id, slug: tools.slug, title: tools.title, summary: tools.summary, updatedAt: tools.updatedAt })
        .from(tools)
        .where(and(published, f.toolIds ? inArray(tools.id, [...f.toolIds]) : undefined));
    },
    async getPublishedBySlug(slug) {
      const [row] = await db
        .select({
          id: tools.id,
          slug: tools.slug,
          title: tools.title,
          summary: tools.summary,
          updatedAt: tools.updatedAt,
          versionId: toolVersions.id,
          number: toolVersions.number,
          inputSchema: toolVersions.inputSchema,
          settingsSchema: toolVersions.settingsSchema,
          usageInstructions: toolVersions.usageInstructions,
        })
        .from(tools)
        .innerJoin(toolVersions, eq(toolVersions.id, tools.activeVersionId))
        .where(and(eq(tools.slug, slug), published));
      if (!row) return null;
      const { versionId, number, inputSchema, settingsSchema, usageInstructions, ...tool } = row;
      return { ...tool, activeVersion: { id: versionId, number, inputSchema, settingsSchema: settingsSchema ?? null, usageInstructions } };
    },
    async search(terms) {
      if (terms.length === 0) return new Map();
      const rows = await db.execute<{ tool_id: string; rank: number }>(
        sql`SELECT tool_id, ts_rank(document, q) AS rank FROM tool_search, (SELECT ${tsQuery(terms)} AS q) AS query WHERE document @@ q`,
      );
      return new Map(rows.map((r) => [r.tool_id, Number(r.rank)]));
    },
    async compactSearchIndex() {},
    async listLinks(kind, toolIds) {
      if (toolIds?.length === 0) return [];
      const l = links(kind);
      return db
        .select({ toolId: l.tool, entryId: l.entry })
        .from(l.table)
        .innerJoin(tools, eq(tools.id, l.tool))
        .where(and(published, toolIds ? inArray(l.tool, [...toolIds]) : undefined));
    },
    async listFavoriteToolIds(userId) {
      const rows = await db.select({ toolId: toolFavorites.toolId }).from(toolFavorites).where(eq(toolFavorites.userId, userId)).orderBy(desc(toolFavorites.createdAt));
      return rows.map((r) => r.toolId);
    },
    async isFavorite(userId, toolId) {
      const rows = await db.select({ x: toolFavorites.toolId }).from(toolFavorites).where(and(eq(toolFavorites.userId, userId), eq(toolFavorites.toolId, toolId)));
      return rows.length > 0;
    },
    async addFavorite(userId, toolId, now) {
      await db.insert(toolFavorites).values({ userId, toolId, createdAt: now }).onConflictDoNothing();
    },
    async removeFavorite(userId, toolId) {
      await db.delete(toolFavorites).where(and(eq(toolFavorites.userId, userId), eq(toolFavorites.toolId, toolId)));
    },
    async getSeenVersion(userId, toolId) {
      const [row] = await db
        .select({ versionId: toolVersions.id, number: toolVersions.number, usageInstructions: toolVersions.usageInstructions })
        .from(toolInstructionsSeen)
        .innerJoin(toolVersions, eq(toolVersions.id, toolInstructionsSeen.versionId))
        .where(and(eq(toolInstructionsSeen.userId, userId), eq(toolInstructionsSeen.toolId, toolId)));
      return row ?? null;
    },
    async markSeen(userId, toolId, versionId, now) {
      await db
        .insert(toolInstructionsSeen)
        .values({ userId, toolId, versionId, seenAt: now })
        .onConflictDoUpdate({ target: [toolInstructionsSeen.userId, toolInstructionsSeen.toolId], set: { versionId, seenAt: now } });
    },
    async findVersionId(toolId, number) {
      const [row] = await db.select({ id: toolVersions.id }).from(toolVersions).where(and(eq(toolVersions.toolId, toolId), eq(toolVersions.number, number)));
      return row?.id ?? null;
    },
    async listRecentlyRun(userId, limit) {
      const last = max(runs.queuedAt);
      const rows = await db
        .select({ toolId: runs.toolId, lastRunAt: last })
        .from(runs)
        .innerJoin(tools, eq(tools.id, runs.toolId))
        .where(and(eq(runs.userId, userId), eq(runs.kind, "production"), published))
        .groupBy(runs.toolId)
        .orderBy(desc(last))
        .limit(limit);
      return rows.flatMap((r) => (r.lastRunAt ? [{ toolId: r.toolId, lastRunAt: r.lastRunAt }] : []));
    },
    async listNewlyPublished(limit) {
      return db
        .select({ toolId: toolPublications.toolId, publishedAt: toolPublications.firstPublishedAt })
        .from(toolPublications)
        .innerJoin(tools, eq(tools.id, toolPublications.toolId))
        .where(published)
        .orderBy(desc(toolPublications.firstPublishedAt), desc(toolPublications.toolId))
        .limit(limit);
    },
  };
}

export function createCatalogRepository(store: Store): CatalogRepository {
  return store.dialect === "sqlite" ? createCatalogRepositorySqlite(store.db) : createCatalogRepositoryPg(store.db);
}
