// Professions and categories, for SQLite and PostgreSQL. Both taxonomies have the same shape, so one
// factory per dialect serves both, picking the tables by kind. A slug never changes after create (the
// repository offers no way to change it): tool.json files name entries by slug, and the link triggers
// match on it.
import { and, asc, count, eq, isNotNull, max } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./catalog.schema.sqlite";
import * as pg from "./catalog.schema.pg";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";
import type { TaxonomyKind } from "./taxonomy.rules";

export type TaxonomyEntry = { id: string; slug: string; labelSv: string; labelEn: string; sortOrder: number };
export type NewTaxonomyEntry = { slug: string; labelSv: string; labelEn: string };
export type LabelPatch = { labelSv?: string; labelEn?: string };
export type ToolRef = { id: string; slug: string; title: string };

export type TaxonomyRepository = {
  /** In sort order (slug breaks ties). */
  list(kind: TaxonomyKind): Promise<TaxonomyEntry[]>;
  getBySlug(kind: TaxonomyKind, slug: string): Promise<TaxonomyEntry | null>;
  /** Appended after the last entry; null when the slug is taken (also under a race). */
  create(kind: TaxonomyKind, entry: NewTaxonomyEntry): Promise<TaxonomyEntry | null>;
  /** Changes only the given labels; null when the entry is gone. */
  rename(kind: TaxonomyKind, id: string, patch: LabelPatch): Promise<TaxonomyEntry | null>;
  /** sort_order 1…n in the order of `ids`, in one transaction. Callers check the list first (taxonomy.rules). */
  reorder(kind: TaxonomyKind, ids: readonly string[]): Promise<void>;
  /** Every tool linked to the entry, published or not, in slug order. */
  listToolsUsing(kind: TaxonomyKind, id: string): Promise<ToolRef[]>;
  /** How many published tools each entry is linked to; entries without any are absent. */
  countPublishedTools(kind: TaxonomyKind): Promise<Map<string, number>>;
  /** "in_use" when a tool is linked to it — also when one was linked after the caller's check (foreign key). */
  remove(kind: TaxonomyKind, id: string): Promise<{ ok: true } | { ok: false; reason: "in_use" | "not_found" }>;
};

function hasCode(e: unknown, codes: readonly string[]): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && codes.includes(code)) return true;
  }
  return false;
}
const isUniqueViolation = (e: unknown) => hasCode(e, ["SQLITE_CONSTRAINT_UNIQUE", "23505"]);
// SQLite reports an ON DELETE RESTRICT refusal as SQLITE_CONSTRAINT_TRIGGER (RESTRICT acts like a
// trigger there), with the message "FOREIGN KEY constraint failed".
function isForeignKeyViolation(e: unknown): boolean {
  if (hasCode(e, ["SQLITE_CONSTRAINT_FOREIGNKEY", "23503"])) return true;
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    if ((err as { code?: unknown }).code === "SQLITE_CONSTRAINT_TRIGGER" && err.message.includes("FOREIGN KEY")) return true;
  }
  return false;
}

function labelSet(patch: LabelPatch): LabelPatch {
  const set: LabelPatch = {};
  if (patch.labelSv !== undefined) set.labelSv = patch.labelSv;
  if (patch.labelEn !== undefined) set.labelEn = patch.labelEn;
  return set;
}

// The two taxonomies have identical columns; the link tables differ only in the entry column's name.
function liteTables(kind: TaxonomyKind) {
  return kind === "professions"
    ? { entries: lite.professions, links: lite.toolProfessions, linkTool: lite.toolProfessions.toolId, linkEntry: lite.toolProfessions.professionId }
    : { entries: lite.categories, links: lite.toolCategories, linkTool: lite.toolCategories.toolId, linkEntry: lite.toolCategories.categoryId };
}
function pgTables(kind: TaxonomyKind) {
  return kind === "professions"
    ? { entries: pg.professions, links: pg.toolProfessions, linkTool: pg.toolProfessions.toolId, linkEntry: pg.toolProfessions.professionId }
    : { entries: pg.categories, links: pg.toolCategories, linkTool: pg.toolCategories.toolId, linkEntry: pg.toolCategories.categoryId };
}

export function createTaxonomyRepositorySqlite(db: SqliteDb): TaxonomyRepository {
  const { tools } = liteTools;
  const getById = (kind: TaxonomyKind, id: string): TaxonomyEntry | null => {
    const { entries } = liteTables(kind);
    return db.select().from(entries).where(eq(entries.id, id)).get() ?? null;
  };
  return {
    async list(kind) {
      const { entries } = liteTables(kind);
      return db.select().from(entries).orderBy(asc(entries.sortOrder), asc(entries.slug)).all();
    },
    async getBySlug(kind, slug) {
      const { entries } = liteTables(kind);
      return db.select().from(entries).where(eq(entries.slug, slug)).get() ?? null;
    },
    async create(kind, e) {
      const { entries } = liteTables(kind);
      const id = Bun.randomUUIDv7();
      try {
        // IMMEDIATE: the write lock is held from reading max(sort_order) to the insert.
        db.transaction(
          (tx) => {
            const top = tx.select({ n: max(entries.sortOrder) }).from(entries).get();
            tx.insert(entries).values({ id, ...e, sortOrder: (top?.n ?? 0) + 1 }).run();
          },
          { behavior: "immediate" },
        );
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
      return getById(kind, id);
    },
    async rename(kind, id, patch) {
      const { entries } = liteTables(kind);
      const set = labelSet(patch);
      if (Object.keys(set).length === 0) return getById(kind, id);
      return db.update(entries).set(set).where(eq(entries.id, id)).returning().get() ?? null;
    },
    async reorder(kind, ids) {
      const { entries } = liteTables(kind);
      db.transaction(
        (tx) => {
          ids.forEach((id, i) => tx.update(entries).set({ sortOrder: i + 1 }).where(eq(entries.id, id)).run());
        },
        { behavior: "immediate" },
      );
    },
    async listToolsUsing(kind, id) {
      const { links, linkTool, linkEntry } = liteTables(kind);
      return db
        .select({ id: tools.id, slug: tools.slug, title: tools.title })
        .from(links)
        .innerJoin(tools, eq(tools.id, linkTool))
        .where(eq(linkEntry, id))
        .orderBy(asc(tools.slug))
        .all();
    },
    async countPublishedTools(kind) {
      const { links, linkTool, linkEntry } = liteTables(kind);
      const rows = db
        .select({ id: linkEntry, n: count() })
        .from(links)
        .innerJoin(tools, eq(tools.id, linkTool))
        .where(and(eq(tools.isPublished, true), isNotNull(tools.activeVersionId)))
        .groupBy(linkEntry)
        .all();
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async remove(kind, id) {
      const { entries } = liteTables(kind);
      try {
        const gone = db.delete(entries).where(eq(entries.id, id)).returning({ id: entries.id }).all();
        return gone.length ? { ok: true } : { ok: false, reason: "not_found" };
      } catch (err) {
        if (isForeignKeyViolation(err)) return { ok: false, reason: "in_use" };
        throw err;
      }
    },
  };
}

export function createTaxonomyRepositoryPg(db: PgDb): TaxonomyRepository {
  const { tools } = pgTools;
  const getById = async (kind: TaxonomyKind, id: string): Promise<TaxonomyEntry | null> => {
    const { entries } = pgTables(kind);
    return (await db.select().from(entries).where(eq(entries.id, id)))[0] ?? null;
  };
  return {
    async list(kind) {
      const { entries } = pgTables(kind);
      return db.select().from(entries).orderBy(asc(entries.sortOrder), asc(entries.slug));
    },
    async getBySlug(kind, slug) {
      const { entries } = pgTables(kind);
      return (await db.select().from(entries).where(eq(entries.slug, slug)))[0] ?? null;
    },
    async create(kind, e) {
      const { entries } = pgTables(kind);
      const id = Bun.randomUUIDv7();
      try {
        await db.transaction(async (tx) => {
          // Serializes appends per taxonomy so two admins adding at once get distinct positions.
          await tx.execute(`LOCK TABLE ${kind} IN SHARE ROW EXCLUSIVE MODE`);
          const [top] = await tx.select({ n: max(entries.sortOrder) }).from(entries);
          await tx.insert(entries).values({ id, ...e, sortOrder: (top?.n ?? 0) + 1 });
        });
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
      return getById(kind, id);
    },
    async rename(kind, id, patch) {
      const { entries } = pgTables(kind);
      const set = labelSet(patch);
      if (Object.keys(set).length === 0) return getById(kind, id);
      return (await db.update(entries).set(set).where(eq(entries.id, id)).returning())[0] ?? null;
    },
    async reorder(kind, ids) {
      const { entries } = pgTables(kind);
      await db.transaction(async (tx) => {
        for (const [i, id] of ids.entries()) await tx.update(entries).set({ sortOrder: i + 1 }).where(eq(entries.id, id));
      });
    },
    async listToolsUsing(kind, id) {
      const { links, linkTool, linkEntry } = pgTables(kind);
      return db
        .select({ id: tools.id, slug: tools.slug, title: tools.title })
        .from(links)
        .innerJoin(tools, eq(tools.id, linkTool))
        .where(eq(linkEntry, id))
        .orderBy(asc(tools.slug));
    },
    async countPublishedTools(kind) {
      const { links, linkTool, linkEntry } = pgTables(kind);
      const rows = await db
        .select({ id: linkEntry, n: count() })
        .from(links)
        .innerJoin(tools, eq(tools.id, linkTool))
        .where(and(eq(tools.isPublished, true), isNotNull(tools.activeVersionId)))
        .groupBy(linkEntry);
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async remove(kind, id) {
      const { entries } = pgTables(kind);
      try {
        const gone = await db.delete(entries).where(eq(entries.id, id)).returning({ id: entries.id });
        return gone.length ? { ok: true } : { ok: false, reason: "not_found" };
      } catch (err) {
        if (isForeignKeyViolation(err)) return { ok: false, reason: "in_use" };
        throw err;
      }
    },
  };
}

export function createTaxonomyRepository(store: Store): TaxonomyRepository {
  return store.dialect === "sqlite" ? createTaxonomyRepositorySqlite(store.db) : createTaxonomyRepositoryPg(store.db);
}
