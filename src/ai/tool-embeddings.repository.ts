// The texts of published tools and their stored embeddings (semantic search), for SQLite and
// PostgreSQL. "Published" is what the catalog means by it: is_published and an active version.
import { and, eq, isNotNull, notInArray } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";
import * as lite from "./ai.schema.sqlite";
import * as pg from "./ai.schema.pg";

/** What a tool's embedding is made of: the active version's usage instructions with the tool's title and summary. */
export type PublishedToolText = { toolId: string; title: string; summary: string; usageInstructions: string };
export type ToolEmbedding = { toolId: string; textHash: string; model: string; dimensions: number; vector: string; updatedAt: Date };
export type EmbeddingMeta = Omit<ToolEmbedding, "vector" | "dimensions">;

export type ToolEmbeddingsRepository = {
  listPublishedToolTexts(): Promise<PublishedToolText[]>;
  /** Every stored embedding without its vector (to decide what to recompute). */
  listMeta(): Promise<EmbeddingMeta[]>;
  /** Stored embeddings of one model, with vectors. */
  listByModel(model: string): Promise<ToolEmbedding[]>;
  /** Insert or replace the tool's embedding. */
  save(embedding: ToolEmbedding): Promise<void>;
  /** Removes embeddings of tools not in `keepToolIds` (unpublished since); returns how many. */
  removeAllExcept(keepToolIds: readonly string[]): Promise<number>;
};

export function createToolEmbeddingsRepositorySqlite(db: SqliteDb): ToolEmbeddingsRepository {
  const { tools, toolVersions } = liteTools;
  const t = lite.aiToolEmbeddings;
  return {
    async listPublishedToolTexts() {
      return db
        .select({ toolId: tools.id, title: tools.title, summary: tools.summary, usageInstructions: toolVersions.usageInstructions })
        .from(tools)
        .innerJoin(toolVersions, eq(toolVersions.id, tools.activeVersionId))
        .where(and(eq(tools.isPublished, true), isNotNull(tools.activeVersionId)));
    },
    async listMeta() {
      return db.select({ toolId: t.toolId, textHash: t.textHash, model: t.model, updatedAt: t.updatedAt }).from(t);
    },
    async listByModel(model) {
      return db.select().from(t).where(eq(t.model, model));
    },
    async save(e) {
      await db
        .insert(t)
        .values(e)
        .onConflictDoUpdate({ target: t.toolId, set: { textHash: e.textHash, model: e.model, dimensions: e.dimensions, vector: e.vector, updatedAt: e.updatedAt } });
    },
    async removeAllExcept(keep) {
      const rows = await db
        .delete(t)
        .where(keep.length ? notInArray(t.toolId, [...keep]) : undefined)
        .returning({ toolId: t.toolId });
      return rows.length;
    },
  };
}

export function createToolEmbeddingsRepositoryPg(db: PgDb): ToolEmbeddingsRepository {
  const { tools, toolVersions } = pgTools;
  const t = pg.aiToolEmbeddings;
  return {
    async listPublishedToolTexts() {
      return db
        .select({ toolId: tools.id, title: tools.title, summary: tools.summary, usageInstructions: toolVersions.usageInstructions })
        .from(tools)
        .innerJoin(toolVersions, eq(toolVersions.id, tools.activeVersionId))
        .where(and(eq(tools.isPublished, true), isNotNull(tools.activeVersionId)));
    },
    async listMeta() {
      return db.select({ toolId: t.toolId, textHash: t.textHash, model: t.model, updatedAt: t.updatedAt }).from(t);
    },
    async listByModel(model) {
      return db.select().from(t).where(eq(t.model, model));
    },
    async save(e) {
      await db
        .insert(t)
        .values(e)
        .onConflictDoUpdate({ target: t.toolId, set: { textHash: e.textHash, model: e.model, dimensions: e.dimensions, vector: e.vector, updatedAt: e.updatedAt } });
    },
    async removeAllExcept(keep) {
      const rows = await db
        .delete(t)
        .where(keep.length ? notInArray(t.toolId, [...keep]) : undefined)
        .returning({ toolId: t.toolId });
      return rows.length;
    },
  };
}

export function createToolEmbeddingsRepository(store: Store): ToolEmbeddingsRepository {
  return store.dialect === "sqlite" ? createToolEmbeddingsRepositorySqlite(store.db) : createToolEmbeddingsRepositoryPg(store.db);
}
