// Documents, their pages, per-user categories and links, and the full-text index (document_search),
// for SQLite and PostgreSQL. Every user-facing read and write names the owner (userId), so another
// user's id behaves like a missing one; the pipeline reads by id alone (userId null).
import { and, asc, count, desc, eq, gte, inArray, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { fts5MatchExpression, type SearchTerm } from "../catalog/search.rules";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./documents.schema.sqlite";
import * as pg from "./documents.schema.pg";
import type { DocumentStatus, Suggestion } from "./documents.types";

export type DocumentRecord = {
  id: string;
  userId: string;
  name: string;
  bytes: number;
  sha256: string;
  storageKey: string;
  pages: number | null;
  status: DocumentStatus;
  failureCode: string | null;
  failureDetail: string | null;
  failedAt: Date | null;
  docType: string | null;
  summary: string | null;
  fields: Record<string, string | null>;
  suggestion: Suggestion | null;
  aiModel: string | null;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date | null;
  categories: { id: string; name: string }[];
};

export type NewDocument = { id: string; userId: string; name: string; bytes: number; sha256: string; storageKey: string; now: Date };

export type CategoryRecord = { id: string; userId: string; name: string; keywords: string[]; patterns: string[]; createdAt: Date; updatedAt: Date; documentCount: number };

export type DocumentFilter = {
  statuses: DocumentStatus[] | null;
  docType: string | null;
  categoryId: string | null;
  from: Date | null;
  toExclusive: Date | null;
  /** Empty: no search (newest first); else all words must match, best match first. */
  search: readonly SearchTerm[];
};

export type AcceptedUpdate = { name?: string; docType?: string | null; summary?: string | null; fields?: Record<string, string | null>; categoryIds?: readonly string[] };

/** Outcome of a pipeline step that may only move a document on from an expected status. */
export type PipelineResult = { suggestion: Suggestion; status: DocumentStatus; aiModel: string | null; now: Date };

export type DocumentsRepository = {
  create(d: NewDocument): Promise<void>;
  get(userId: string | null, id: string): Promise<DocumentRecord | null>;
  getMany(userId: string, ids: readonly string[]): Promise<DocumentRecord[]>;
  list(userId: string, filter: DocumentFilter, page: number, pageSize: number): Promise<{ items: DocumentRecord[]; total: number }>;
  /** Edits accepted values; categoryIds (the user's own, checked by the caller) replaces the set. */
  updateAccepted(userId: string, id: string, u: AcceptedUpdate, now: Date): Promise<boolean>;
  /** Review: writes the accepted values, drops the suggestion, status done; only from needs_review. */
  finishReview(userId: string, id: string, accepted: AcceptedUpdate | null, now: Date): Promise<boolean>;
  /** Removes the document (pages, links, index row) and returns its blob key. */
  delete(userId: string, id: string): Promise<{ storageKey: string } | null>;
  /** Pipeline: `status` only when the document is now in one of `from`; false otherwise (deleted, changed). */
  transition(id: string, from: readonly DocumentStatus[], status: DocumentStatus, now: Date): Promise<boolean>;
  /** Pipeline: text per page (replaces earlier text) and the index row. */
  savePages(id: string, pages: readonly string[], now: Date): Promise<void>;
  pages(id: string): Promise<string[]>;
  finishPipeline(id: string, r: PipelineResult): Promise<boolean>;
  fail(id: string, failure: { code: string; detail: string | null }, now: Date): Promise<boolean>;
  /** Reprocess: back to "uploaded" (failure cleared); returns the ids that were changed. */
  requeue(userId: string, ids: readonly string[], except: readonly DocumentStatus[], now: Date): Promise<string[]>;
  /** Documents in `statuses` not updated since `before` (the orphan sweep). */
  listStale(statuses: readonly DocumentStatus[], before: Date, limit: number): Promise<string[]>;

  listCategories(userId: string): Promise<CategoryRecord[]>;
  getCategory(userId: string, id: string): Promise<CategoryRecord | null>;
  /** Ids among `ids` that are the user's categories. */
  ownCategoryIds(userId: string, ids: readonly string[]): Promise<Set<string>>;
  /** False when the name (ignoring case) is taken. */
  createCategory(c: { id: string; userId: string; name: string; keywords: string[]; patterns: string[]; now: Date }): Promise<boolean>;
  /** null: no such category; false: name taken. */
  updateCategory(userId: string, id: string, u: { name?: string; keywords?: string[]; patterns?: string[] }, now: Date): Promise<boolean | null>;
  /** Also drops it from every pending suggestion of the user. */
  deleteCategory(userId: string, id: string, now: Date): Promise<boolean>;
  /** Adds/removes categories on the user's documents among `ids`; returns how many documents exist. */
  bulkCategories(userId: string, ids: readonly string[], add: readonly string[], remove: readonly string[], now: Date): Promise<number>;
};

/** Text past this many characters is not indexed (PostgreSQL's tsvector has a 1 MB limit). */
const INDEX_BODY_LIMIT = 200_000;
/** Search results considered before paging (per user). */
const SEARCH_LIMIT = 1_000;
const nameKey = (name: string) => name.toLocaleLowerCase("sv");

function tsQuery(terms: readonly SearchTerm[]): SQL {
  // the catalog's scheme (catalog.repository.ts): Swedish stem or whole word, as prefixes, all required
  const words = terms.map((t) => {
    const whole = sql`to_tsquery('skriptoteket_simple', ${`${t.word}:*`})`;
    return t.stem === null ? whole : sql`(to_tsquery('skriptoteket_swedish', ${`${t.word}:*`}) || ${whole})`;
  });
  return sql.join(words, sql` && `);
}

type Row = Omit<DocumentRecord, "categories">;

function withoutSuggestedCategory(s: Suggestion | null, categoryId: string): Suggestion | null {
  return s ? { ...s, categories: s.categories.filter((c) => c.id !== categoryId) } : s;
}

export function createDocumentsRepositorySqlite(db: SqliteDb): DocumentsRepository {
  const { documents, documentCategories: cats, documentCategoryLinks: links, documentPages } = lite;
  type Tx = Parameters<Parameters<SqliteDb["transaction"]>[0]>[0];

  function attach(rows: Row[]): DocumentRecord[] {
    if (!rows.length) return [];
    const linked = db
      .select({ documentId: links.documentId, id: cats.id, name: cats.name })
      .from(links)
      .innerJoin(cats, eq(cats.id, links.categoryId))
      .where(inArray(links.documentId, rows.map((r) => r.id)))
      .orderBy(asc(cats.nameKey))
      .all();
    return rows.map((r) => ({ ...r, categories: linked.filter((l) => l.documentId === r.id).map(({ id, name }) => ({ id, name })) }));
  }

  function reindex(tx: Tx | SqliteDb, id: string): void {
    tx.run(sql`DELETE FROM document_search WHERE document_id = ${id}`);
    const d = tx.select({ userId: documents.userId, name: documents.name, summary: documents.summary, suggestion: documents.suggestion }).from(documents).where(eq(documents.id, id)).get();
    if (!d) return;
    const body = tx.select({ text: documentPages.text }).from(documentPages).where(eq(documentPages.documentId, id)).orderBy(asc(documentPages.page)).all().map((p) => p.text).join("\n").slice(0, INDEX_BODY_LIMIT);
    const summary = d.summary ?? d.suggestion?.summary ?? "";
    tx.run(sql`INSERT INTO document_search (document_id, user_id, name, summary, body) VALUES (${id}, ${d.userId}, ${d.name}, ${summary}, ${body})`);
  }

  function setLinks(tx: Tx, id: string, categoryIds: readonly string[]): void {
    tx.delete(links).where(eq(links.documentId, id)).run();
    if (categoryIds.length) tx.insert(links).values([...new Set(categoryIds)].map((categoryId) => ({ documentId: id, categoryId }))).run();
  }

  function acceptedSet(u: AcceptedUpdate, now: Date) {
    return {
      updatedAt: now,
      ...(u.name !== undefined ? { name: u.name } : {}),
      ...(u.docType !== undefined ? { docType: u.docType } : {}),
      ...(u.summary !== undefined ? { summary: u.summary } : {}),
      ...(u.fields !== undefined ? { fields: u.fields } : {}),
    };
  }

  function filterWhere(userId: string, f: DocumentFilter): SQL | undefined {
    return and(
      eq(documents.userId, userId),
      f.statuses ? inArray(documents.status, f.statuses) : undefined,
      f.docType ? eq(documents.docType, f.docType) : undefined,
      f.categoryId ? sql`${documents.id} IN (SELECT document_id FROM document_category_links WHERE category_id = ${f.categoryId})` : undefined,
      f.from ? gte(documents.createdAt, f.from) : undefined,
      f.toExclusive ? lt(documents.createdAt, f.toExclusive) : undefined,
    );
  }

  return {
    async create(d) {
      db.insert(documents).values({ id: d.id, userId: d.userId, name: d.name, bytes: d.bytes, sha256: d.sha256, storageKey: d.storageKey, status: "uploaded", createdAt: d.now, updatedAt: d.now }).run();
      reindex(db, d.id);
    },
    async get(userId, id) {
      const row = db.select().from(documents).where(and(eq(documents.id, id), userId ? eq(documents.userId, userId) : undefined)).get();
      return row ? attach([row])[0]! : null;
    },
    async getMany(userId, ids) {
      if (!ids.length) return [];
      return attach(db.select().from(documents).where(and(eq(documents.userId, userId), inArray(documents.id, [...ids]))).all());
    },
    async list(userId, f, page, pageSize) {
      const where = filterWhere(userId, f);
      if (f.search.length === 0) {
        const total = db.select({ n: count() }).from(documents).where(where).get()?.n ?? 0;
        const rows = db.select().from(documents).where(where).orderBy(desc(documents.createdAt), desc(documents.id)).limit(pageSize).offset((page - 1) * pageSize).all();
        return { items: attach(rows), total };
      }
      // bm25 weights: document_id, user_id (unindexed), name, summary, body; lower is better
      const hits = db.all<{ document_id: string; rank: number }>(
        sql`SELECT document_id, bm25(document_search, 0, 0, 10, 4, 1) AS rank FROM document_search WHERE document_search MATCH ${fts5MatchExpression(f.search)} AND user_id = ${userId} ORDER BY rank LIMIT ${SEARCH_LIMIT}`,
      );
      if (!hits.length) return { items: [], total: 0 };
      const rank = new Map(hits.map((h) => [h.document_id, h.rank]));
      const rows = db.select().from(documents).where(and(where, inArray(documents.id, [...rank.keys()]))).all();
      rows.sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || b.createdAt.getTime() - a.createdAt.getTime());
      return { items: attach(rows.slice((page - 1) * pageSize, page * pageSize)), total: rows.length };
    },
    async updateAccepted(userId, id, u, now) {
      return db.transaction(
        (tx) => {
          const hit = tx.update(documents).set(acceptedSet(u, now)).where(and(eq(documents.id, id), eq(documents.userId, userId))).returning({ id: documents.id }).get();
          if (!hit) return false;
          if (u.categoryIds) setLinks(tx, id, u.categoryIds);
          if (u.name !== undefined || u.summary !== undefined) reindex(tx, id);
          return true;
        },
        { behavior: "immediate" },
      );
    },
    async finishReview(userId, id, accepted, now) {
      return db.transaction(
        (tx) => {
          const hit = tx
            .update(documents)
            .set({ ...acceptedSet(accepted ?? {}, now), suggestion: null, status: "done" })
            .where(and(eq(documents.id, id), eq(documents.userId, userId), eq(documents.status, "needs_review")))
            .returning({ id: documents.id })
            .get();
          if (!hit) return false;
          if (accepted?.categoryIds) setLinks(tx, id, accepted.categoryIds);
          reindex(tx, id);
          return true;
        },
        { behavior: "immediate" },
      );
    },
    async delete(userId, id) {
      return db.transaction(
        (tx) => {
          const row = tx.delete(documents).where(and(eq(documents.id, id), eq(documents.userId, userId))).returning({ storageKey: documents.storageKey }).get();
          if (row) tx.run(sql`DELETE FROM document_search WHERE document_id = ${id}`);
          return row ?? null;
        },
        { behavior: "immediate" },
      );
    },
    async transition(id, from, status, now) {
      const hit = db.update(documents).set({ status, updatedAt: now }).where(and(eq(documents.id, id), inArray(documents.status, [...from]))).returning({ id: documents.id }).get();
      return hit !== undefined;
    },
    async savePages(id, pages, now) {
      db.transaction(
        (tx) => {
          tx.delete(documentPages).where(eq(documentPages.documentId, id)).run();
          // one statement per 200 pages keeps each under SQLite's bound-parameter limit
          for (let i = 0; i < pages.length; i += 200) tx.insert(documentPages).values(pages.slice(i, i + 200).map((text, j) => ({ documentId: id, page: i + j + 1, text }))).run();
          tx.update(documents).set({ pages: pages.length, updatedAt: now }).where(eq(documents.id, id)).run();
          reindex(tx, id);
        },
        { behavior: "immediate" },
      );
    },
    async pages(id) {
      return db.select({ text: documentPages.text }).from(documentPages).where(eq(documentPages.documentId, id)).orderBy(asc(documentPages.page)).all().map((p) => p.text);
    },
    async finishPipeline(id, r) {
      return db.transaction(
        (tx) => {
          const hit = tx
            .update(documents)
            .set({ suggestion: r.status === "needs_review" ? r.suggestion : null, status: r.status, aiModel: r.aiModel, processedAt: r.now, updatedAt: r.now, failureCode: null, failureDetail: null, failedAt: null })
            .where(and(eq(documents.id, id), eq(documents.status, "classifying")))
            .returning({ id: documents.id })
            .get();
          if (hit) reindex(tx, id);
          return hit !== undefined;
        },
        { behavior: "immediate" },
      );
    },
    async fail(id, failure, now) {
      const hit = db
        .update(documents)
        .set({ status: "failed", failureCode: failure.code, failureDetail: failure.detail, failedAt: now, updatedAt: now })
        .where(and(eq(documents.id, id), inArray(documents.status, ["uploaded", "extracting", "classifying"])))
        .returning({ id: documents.id })
        .get();
      return hit !== undefined;
    },
    async requeue(userId, ids, except, now) {
      if (!ids.length) return [];
      return db
        .update(documents)
        .set({ status: "uploaded", failureCode: null, failureDetail: null, failedAt: null, updatedAt: now })
        .where(and(eq(documents.userId, userId), inArray(documents.id, [...ids]), notInArray(documents.status, [...except])))
        .returning({ id: documents.id })
        .all()
        .map((r) => r.id);
    },
    async listStale(statuses, before, limit) {
      return db
        .select({ id: documents.id })
        .from(documents)
        .where(and(inArray(documents.status, [...statuses]), lt(documents.updatedAt, before)))
        .orderBy(asc(documents.updatedAt))
        .limit(limit)
        .all()
        .map((r) => r.id);
    },

    async listCategories(userId) {
      const rows = db
        .select({ c: cats, n: sql<number>`(SELECT count(*) FROM document_category_links WHERE category_id = ${cats.id})` })
        .from(cats)
        .where(eq(cats.userId, userId))
        .orderBy(asc(cats.nameKey))
        .all();
      return rows.map(({ c, n }) => ({ id: c.id, userId: c.userId, name: c.name, keywords: c.keywords, patterns: c.patterns, createdAt: c.createdAt, updatedAt: c.updatedAt, documentCount: Number(n) }));
    },
    async getCategory(userId, id) {
      const c = db.select().from(cats).where(and(eq(cats.id, id), eq(cats.userId, userId))).get();
      if (!c) return null;
      const n = db.select({ n: count() }).from(links).where(eq(links.categoryId, id)).get()?.n ?? 0;
      return { id: c.id, userId: c.userId, name: c.name, keywords: c.keywords, patterns: c.patterns, createdAt: c.createdAt, updatedAt: c.updatedAt, documentCount: n };
    },
    async ownCategoryIds(userId, ids) {
      if (!ids.length) return new Set();
      return new Set(db.select({ id: cats.id }).from(cats).where(and(eq(cats.userId, userId), inArray(cats.id, [...ids]))).all().map((r) => r.id));
    },
    async createCategory(c) {
      const row = db
        .insert(cats)
        .values({ id: c.id, userId: c.userId, name: c.name, nameKey: nameKey(c.name), keywords: c.keywords, patterns: c.patterns, createdAt: c.now, updatedAt: c.now })
        .onConflictDoNothing()
        .returning({ id: cats.id })
        .get();
      return row !== undefined;
    },
    async updateCategory(userId, id, u, now) {
      const mine = and(eq(cats.id, id), eq(cats.userId, userId));
      if (!db.select({ id: cats.id }).from(cats).where(mine).get()) return null;
      try {
        db.update(cats)
          .set({ updatedAt: now, ...(u.name !== undefined ? { name: u.name, nameKey: nameKey(u.name) } : {}), ...(u.keywords ? { keywords: u.keywords } : {}), ...(u.patterns ? { patterns: u.patterns } : {}) })
          .where(mine)
          .run();
      } catch (e) {
        if (String(e).includes("UNIQUE")) return false;
        throw e;
      }
      if (u.name !== undefined) {
        // the name is copied into pending suggestions; keep them readable
        const pending = db.select({ id: documents.id, suggestion: documents.suggestion }).from(documents).where(and(eq(documents.userId, userId), eq(documents.status, "needs_review"))).all();
        for (const d of pending) {
          if (!d.suggestion?.categories.some((c) => c.id === id)) continue;
          const suggestion = { ...d.suggestion, categories: d.suggestion.categories.map((c) => (c.id === id ? { ...c, name: u.name! } : c)) };
          db.update(documents).set({ suggestion }).where(eq(documents.id, d.id)).run();
        }
      }
      return true;
    },
    async deleteCategory(userId, id, now) {
      return db.transaction(
        (tx) => {
          const hit = tx.delete(cats).where(and(eq(cats.id, id), eq(cats.userId, userId))).returning({ id: cats.id }).get();
          if (!hit) return false;
          const pending = tx.select({ id: documents.id, suggestion: documents.suggestion }).from(documents).where(and(eq(documents.userId, userId), eq(documents.status, "needs_review"))).all();
          for (const d of pending) {
            if (d.suggestion?.categories.some((c) => c.id === id)) tx.update(documents).set({ suggestion: withoutSuggestedCategory(d.suggestion, id), updatedAt: now }).where(eq(documents.id, d.id)).run();
          }
          return true;
        },
        { behavior: "immediate" },
      );
    },
    async bulkCategories(userId, ids, add, remove, now) {
      if (!ids.length) return 0;
      return db.transaction(
        (tx) => {
          const own = tx.select({ id: documents.id }).from(documents).where(and(eq(documents.userId, userId), inArray(documents.id, [...ids]))).all().map((r) => r.id);
          if (!own.length) return 0;
          if (remove.length) tx.delete(links).where(and(inArray(links.documentId, own), inArray(links.categoryId, [...remove]))).run();
          if (add.length) tx.insert(links).values(own.flatMap((documentId) => add.map((categoryId) => ({ documentId, categoryId })))).onConflictDoNothing().run();
          tx.update(documents).set({ updatedAt: now }).where(inArray(documents.id, own)).run();
          return own.length;
        },
        { behavior: "immediate" },
      );
    },
  };
}

export function createDocumentsRepositoryPg(db: PgDb): DocumentsRepository {
  const { documents, documentCategories: cats, documentCategoryLinks: links, documentPages } = pg;
  type Tx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

  async function attach(rows: Row[]): Promise<DocumentRecord[]> {
    if (!rows.length) return [];
    const linked = await db
      .select({ documentId: links.documentId, id: cats.id, name: cats.name })
      .from(links)
      .innerJoin(cats, eq(cats.id, links.categoryId))
      .where(inArray(links.documentId, rows.map((r) => r.id)))
      .orderBy(asc(cats.nameKey));
    return rows.map((r) => ({ ...r, categories: linked.filter((l) => l.documentId === r.id).map(({ id, name }) => ({ id, name })) }));
  }

  async function reindex(tx: Tx | PgDb, id: string): Promise<void> {
    const [d] = await tx.select({ userId: documents.userId, name: documents.name, summary: documents.summary, suggestion: documents.suggestion }).from(documents).where(eq(documents.id, id));
    if (!d) return;
    const pages = await tx.select({ text: documentPages.text }).from(documentPages).where(eq(documentPages.documentId, id)).orderBy(asc(documentPages.page));
    const body = pages.map((p) => p.text).join("\n").slice(0, INDEX_BODY_LIMIT);
    const summary = d.summary ?? d.suggestion?.summary ?? "";
    await tx.execute(sql`INSERT INTO document_search (document_id, user_id, document) VALUES (${id}, ${d.userId},
        setweight(catalog_search_words(${d.name}), 'A') || setweight(catalog_search_words(${summary}), 'B') || setweight(catalog_search_words(${body}), 'D'))
      ON CONFLICT (document_id) DO UPDATE SET document = EXCLUDED.document, user_id = EXCLUDED.user_id`);
  }

  async function setLinks(tx: Tx, id: string, categoryIds: readonly string[]): Promise<void> {
    await tx.delete(links).where(eq(links.documentId, id));
    if (categoryIds.length) await tx.insert(links).values([...new Set(categoryIds)].map((categoryId) => ({ documentId: id, categoryId })));
  }

  function acceptedSet(u: AcceptedUpdate, now: Date) {
    return {
      updatedAt: now,
      ...(u.name !== undefined ? { name: u.name } : {}),
      ...(u.docType !== undefined ? { docType: u.docType } : {}),
      ...(u.summary !== undefined ? { summary: u.summary } : {}),
      ...(u.fields !== undefined ? { fields: u.fields } : {}),
    };
  }

  function filterWhere(userId: string, f: DocumentFilter): SQL | undefined {
    return and(
      eq(documents.userId, userId),
      f.statuses ? inArray(documents.status, f.statuses) : undefined,
      f.docType ? eq(documents.docType, f.docType) : undefined,
      f.categoryId ? sql`${documents.id} IN (SELECT document_id FROM document_category_links WHERE category_id = ${f.categoryId})` : undefined,
      f.from ? gte(documents.createdAt, f.from) : undefined,
      f.toExclusive ? lt(documents.createdAt, f.toExclusive) : undefined,
    );
  }

  const repo: DocumentsRepository = {
    async create(d) {
      await db.transaction(async (tx) => {
        await tx.insert(documents).values({ id: d.id, userId: d.userId, name: d.name, bytes: d.bytes, sha256: d.sha256, storageKey: d.storageKey, status: "uploaded", createdAt: d.now, updatedAt: d.now });
        await reindex(tx, d.id);
      });
    },
    async get(userId, id) {
      const [row] = await db.select().from(documents).where(and(eq(documents.id, id), userId ? eq(documents.userId, userId) : undefined));
      return row ? (await attach([row]))[0]! : null;
    },
    async getMany(userId, ids) {
      if (!ids.length) return [];
      return attach(await db.select().from(documents).where(and(eq(documents.userId, userId), inArray(documents.id, [...ids]))));
    },
    async list(userId, f, page, pageSize) {
      const where = filterWhere(userId, f);
      if (f.search.length === 0) {
        const [total] = await db.select({ n: count() }).from(documents).where(where);
        const rows = await db.select().from(documents).where(where).orderBy(desc(documents.createdAt), desc(documents.id)).limit(pageSize).offset((page - 1) * pageSize);
        return { items: await attach(rows), total: total?.n ?? 0 };
      }
      const hits = (await db.execute(
        sql`SELECT document_id, ts_rank(document, q) AS rank FROM document_search, (SELECT ${tsQuery(f.search)} AS q) AS query
            WHERE user_id = ${userId} AND document @@ q ORDER BY rank DESC LIMIT ${SEARCH_LIMIT}`,
      )) as unknown as { document_id: string; rank: number }[];
      if (!hits.length) return { items: [], total: 0 };
      const rank = new Map(hits.map((h) => [h.document_id, Number(h.rank)]));
      const rows = await db.select().from(documents).where(and(where, inArray(documents.id, [...rank.keys()])));
      rows.sort((a, b) => rank.get(b.id)! - rank.get(a.id)! || b.createdAt.getTime() - a.createdAt.getTime());
      return { items: await attach(rows.slice((page - 1) * pageSize, page * pageSize)), total: rows.length };
    },
    async updateAccepted(userId, id, u, now) {
      return db.transaction(async (tx) => {
        const [hit] = await tx.update(documents).set(acceptedSet(u, now)).where(and(eq(documents.id, id), eq(documents.userId, userId))).returning({ id: documents.id });
        if (!hit) return false;
        if (u.categoryIds) await setLinks(tx, id, u.categoryIds);
        if (u.name !== undefined || u.summary !== undefined) await reindex(tx, id);
        return true;
      });
    },
    async finishReview(userId, id, accepted, now) {
      return db.transaction(async (tx) => {
        const [hit] = await tx
          .update(documents)
          .set({ ...acceptedSet(accepted ?? {}, now), suggestion: null, status: "done" })
          .where(and(eq(documents.id, id), eq(documents.userId, userId), eq(documents.status, "needs_review")))
          .returning({ id: documents.id });
        if (!hit) return false;
        if (accepted?.categoryIds) await setLinks(tx, id, accepted.categoryIds);
        await reindex(tx, id);
        return true;
      });
    },
    async delete(userId, id) {
      // document_search goes by foreign key cascade
      const [row] = await db.delete(documents).where(and(eq(documents.id, id), eq(documents.userId, userId))).returning({ storageKey: documents.storageKey });
      return row ?? null;
    },
    async transition(id, from, status, now) {
      const rows = await db.update(documents).set({ status, updatedAt: now }).where(and(eq(documents.id, id), inArray(documents.status, [...from]))).returning({ id: documents.id });
      return rows.length > 0;
    },
    async savePages(id, pages, now) {
      await db.transaction(async (tx) => {
        await tx.delete(documentPages).where(eq(documentPages.documentId, id));
        for (let i = 0; i < pages.length; i += 500) await tx.insert(documentPages).values(pages.slice(i, i + 500).map((text, j) => ({ documentId: id, page: i + j + 1, text })));
        await tx.update(documents).set({ pages: pages.length, updatedAt: now }).where(eq(documents.id, id));
        await reindex(tx, id);
      });
    },
    async pages(id) {
      return (await db.select({ text: documentPages.text }).from(documentPages).where(eq(documentPages.documentId, id)).orderBy(asc(documentPages.page))).map((p) => p.text);
    },
    async finishPipeline(id, r) {
      return db.transaction(async (tx) => {
        const [hit] = await tx
          .update(documents)
          .set({ suggestion: r.status === "needs_review" ? r.suggestion : null, status: r.status, aiModel: r.aiModel, processedAt: r.now, updatedAt: r.now, failureCode: null, failureDetail: null, failedAt: null })
          .where(and(eq(documents.id, id), eq(documents.status, "classifying")))
          .returning({ id: documents.id });
        if (hit) await reindex(tx, id);
        return hit !== undefined;
      });
    },
    async fail(id, failure, now) {
      const rows = await db
        .update(documents)
        .set({ status: "failed", failureCode: failure.code, failureDetail: failure.detail, failedAt: now, updatedAt: now })
        .where(and(eq(documents.id, id), inArray(documents.status, ["uploaded", "extracting", "classifying"])))
        .returning({ id: documents.id });
      return rows.length > 0;
    },
    async requeue(userId, ids, except, now) {
      if (!ids.length) return [];
      const rows = await db
        .update(documents)
        .set({ status: "uploaded", failureCode: null, failureDetail: null, failedAt: null, updatedAt: now })
        .where(and(eq(documents.userId, userId), inArray(documents.id, [...ids]), notInArray(documents.status, [...except])))
        .returning({ id: documents.id });
      return rows.map((r) => r.id);
    },
    async listStale(statuses, before, limit) {
      const rows = await db
        .select({ id: documents.id })
        .from(documents)
        .where(and(inArray(documents.status, [...statuses]), lt(documents.updatedAt, before)))
        .orderBy(asc(documents.updatedAt))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    async listCategories(userId) {
      const rows = await db
        .select({ c: cats, n: sql<number>`(SELECT count(*) FROM document_category_links WHERE category_id = ${cats.id})` })
        .from(cats)
        .where(eq(cats.userId, userId))
        .orderBy(asc(cats.nameKey));
      return rows.map(({ c, n }) => ({ id: c.id, userId: c.userId, name: c.name, keywords: c.keywords, patterns: c.patterns, createdAt: c.createdAt, updatedAt: c.updatedAt, documentCount: Number(n) }));
    },
    async getCategory(userId, id) {
      return (await repo.listCategories(userId)).find((c) => c.id === id) ?? null;
    },
    async ownCategoryIds(userId, ids) {
      if (!ids.length) return new Set();
      return new Set((await db.select({ id: cats.id }).from(cats).where(and(eq(cats.userId, userId), inArray(cats.id, [...ids])))).map((r) => r.id));
    },
    async createCategory(c) {
      const rows = await db
        .insert(cats)
        .values({ id: c.id, userId: c.userId, name: c.name, nameKey: nameKey(c.name), keywords: c.keywords, patterns: c.patterns, createdAt: c.now, updatedAt: c.now })
        .onConflictDoNothing()
        .returning({ id: cats.id });
      return rows.length > 0;
    },
    async updateCategory(userId, id, u, now) {
      const mine = and(eq(cats.id, id), eq(cats.userId, userId));
      const [exists] = await db.select({ id: cats.id }).from(cats).where(mine);
      if (!exists) return null;
      if (u.name !== undefined) {
        const [taken] = await db.select({ id: cats.id }).from(cats).where(and(eq(cats.userId, userId), eq(cats.nameKey, nameKey(u.name)), sql`${cats.id} <> ${id}`));
        if (taken) return false;
      }
      try {
        await db
          .update(cats)
          .set({ updatedAt: now, ...(u.name !== undefined ? { name: u.name, nameKey: nameKey(u.name) } : {}), ...(u.keywords ? { keywords: u.keywords } : {}), ...(u.patterns ? { patterns: u.patterns } : {}) })
          .where(mine);
      } catch (e) {
        // a concurrent rename to the same name
        if (String(e).includes("document_categories_user_name_uq")) return false;
        throw e;
      }
      if (u.name !== undefined) {
        const pending = await db.select({ id: documents.id, suggestion: documents.suggestion }).from(documents).where(and(eq(documents.userId, userId), eq(documents.status, "needs_review")));
        for (const d of pending) {
          if (!d.suggestion?.categories.some((c) => c.id === id)) continue;
          const suggestion = { ...d.suggestion, categories: d.suggestion.categories.map((c) => (c.id === id ? { ...c, name: u.name! } : c)) };
          await db.update(documents).set({ suggestion }).where(eq(documents.id, d.id));
        }
      }
      return true;
    },
    async deleteCategory(userId, id, now) {
      return db.transaction(async (tx) => {
        const [hit] = await tx.delete(cats).where(and(eq(cats.id, id), eq(cats.userId, userId))).returning({ id: cats.id });
        if (!hit) return false;
        const pending = await tx.select({ id: documents.id, suggestion: documents.suggestion }).from(documents).where(and(eq(documents.userId, userId), eq(documents.status, "needs_review")));
        for (const d of pending) {
          if (d.suggestion?.categories.some((c) => c.id === id)) await tx.update(documents).set({ suggestion: withoutSuggestedCategory(d.suggestion, id), updatedAt: now }).where(eq(documents.id, d.id));
        }
        return true;
      });
    },
    async bulkCategories(userId, ids, add, remove, now) {
      if (!ids.length) return 0;
      return db.transaction(async (tx) => {
        const own = (await tx.select({ id: documents.id }).from(documents).where(and(eq(documents.userId, userId), inArray(documents.id, [...ids])))).map((r) => r.id);
        if (!own.length) return 0;
        if (remove.length) await tx.delete(links).where(and(inArray(links.documentId, own), inArray(links.categoryId, [...remove])));
        if (add.length) await tx.insert(links).values(own.flatMap((documentId) => add.map((categoryId) => ({ documentId, categoryId })))).onConflictDoNothing();
        await tx.update(documents).set({ updatedAt: now }).where(inArray(documents.id, own));
        return own.length;
      });
    },
  };
  return repo;
}

export function createDocumentsRepository(store: Store): DocumentsRepository {
  return store.dialect === "sqlite" ? createDocumentsRepositorySqlite(store.db) : createDocumentsRepositoryPg(store.db);
}
