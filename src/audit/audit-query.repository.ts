// Reading the audit log for the admin view: filtered pages, one event, a streamed export and the
// target types present. Read only; the append-only writes stay in audit.repository.ts.
import { and, count, desc, eq, gte, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import { auditEvents as liteEvents } from "./audit.schema.sqlite";
import { auditEvents as pgEvents } from "./audit.schema.pg";
import type { AuditEventRecord } from "./audit.repository";

export type AuditQuery = {
  from?: Date;
  /** inclusive */
  to?: Date;
  /** an actor id exactly, or part of the actor's e-mail address */
  actor?: string;
  action?: string;
  targetType?: string;
  /** free text over action, e-mail, target id, ip, request id and the before/after JSON */
  text?: string;
};

export type AuditQueryRepository = {
  /** Newest first. */
  search(q: AuditQuery, page: { offset: number; limit: number }): Promise<{ items: AuditEventRecord[]; total: number }>;
  getById(id: string): Promise<AuditEventRecord | null>;
  /** Every match, newest first, read in batches (keyset paging, so a large export never sits in memory). */
  stream(q: AuditQuery, batchSize?: number): AsyncGenerator<AuditEventRecord>;
  targetTypes(): Promise<string[]>;
};

type Table = typeof liteEvents | typeof pgEvents;

/** LIKE pattern for "contains", with the wildcard characters of the needle escaped (ESCAPE '\'). */
export function containsPattern(needle: string): string {
  return `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function conditions(t: Table, q: AuditQuery, jsonText: (col: Table["before"] | Table["after"]) => SQL): SQL[] {
  const parts: SQL[] = [];
  if (q.from) parts.push(gte(t.createdAt, q.from));
  if (q.to) parts.push(lte(t.createdAt, q.to));
  if (q.action) parts.push(eq(t.action, q.action));
  if (q.targetType) parts.push(eq(t.targetType, q.targetType));
  if (q.actor) {
    const p = containsPattern(q.actor);
    parts.push(or(eq(t.actorId, q.actor), sql`lower(coalesce(${t.actorEmail}, '')) like ${p} escape '\\'`)!);
  }
  if (q.text) {
    const p = containsPattern(q.text);
    const haystack = sql`lower(coalesce(${t.action}, '') || ' ' || coalesce(${t.actorEmail}, '') || ' ' || coalesce(${t.targetId}, '') || ' ' || coalesce(${t.ip}, '') || ' ' || coalesce(${t.requestId}, '') || ' ' || ${jsonText(t.before)} || ' ' || ${jsonText(t.after)})`;
    parts.push(sql`${haystack} like ${p} escape '\\'`);
  }
  return parts;
}

function after(t: Table, last: AuditEventRecord): SQL {
  return or(lt(t.createdAt, last.createdAt), and(eq(t.createdAt, last.createdAt), lt(t.id, last.id)))!;
}

function toRecord(row: typeof liteEvents.$inferSelect): AuditEventRecord {
  return { ...row, before: row.before ?? null, after: row.after ?? null };
}

export function createAuditQueryRepositorySqlite(db: SqliteDb): AuditQueryRepository {
  const t = liteEvents;
  const jsonText = (col: Table["before"] | Table["after"]) => sql`coalesce(${col}, '')`;
  const where = (q: AuditQuery, extra?: SQL) => {
    const parts = conditions(t, q, jsonText);
    if (extra) parts.push(extra);
    return parts.length ? and(...parts) : undefined;
  };
  return {
    async search(q, page) {
      const items = db.select().from(t).where(where(q)).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset).all();
      const total = db.select({ n: count() }).from(t).where(where(q)).get()?.n ?? 0;
      return { items: items.map(toRecord), total };
    },
    async getById(id) {
      const row = db.select().from(t).where(eq(t.id, id)).get();
      return row ? toRecord(row) : null;
    },
    async *stream(q, batchSize = 500) {
      let last: AuditEventRecord | undefined;
      for (;;) {
        const rows = db
          .select()
          .from(t)
          .where(where(q, last ? after(t, last) : undefined))
          .orderBy(desc(t.createdAt), desc(t.id))
          .limit(batchSize)
          .all()
          .map(toRecord);
        yield* rows;
        if (rows.length < batchSize) return;
        last = rows[rows.length - 1];
      }
    },
    async targetTypes() {
      const rows = db.selectDistinct({ v: t.targetType }).from(t).all();
      return rows.map((r) => r.v).filter((v): v is string => v !== null).sort();
    },
  };
}

export function createAuditQueryRepositoryPg(db: PgDb): AuditQueryRepository {
  const t = pgEvents;
  const jsonText = (col: Table["before"] | Table["after"]) => sql`coalesce(${col}::text, '')`;
  const where = (q: AuditQuery, extra?: SQL) => {
    const parts = conditions(t, q, jsonText);
    if (extra) parts.push(extra);
    return parts.length ? and(...parts) : undefined;
  };
  return {
    async search(q, page) {
      const items = await db.select().from(t).where(where(q)).orderBy(desc(t.createdAt), desc(t.id)).limit(page.limit).offset(page.offset);
      const [row] = await db.select({ n: count() }).from(t).where(where(q));
      return { items: items.map(toRecord), total: Number(row?.n ?? 0) };
    },
    async getById(id) {
      const [row] = await db.select().from(t).where(eq(t.id, id));
      return row ? toRecord(row) : null;
    },
    async *stream(q, batchSize = 500) {
      let last: AuditEventRecord | undefined;
      for (;;) {
        const rows = (
          await db
            .select()
            .from(t)
            .where(where(q, last ? after(t, last) : undefined))
            .orderBy(desc(t.createdAt), desc(t.id))
            .limit(batchSize)
        ).map(toRecord);
        yield* rows;
        if (rows.length < batchSize) return;
        last = rows[rows.length - 1];
      }
    },
    async targetTypes() {
      const rows = await db.selectDistinct({ v: t.targetType }).from(t);
      return rows.map((r) => r.v).filter((v): v is string => v !== null).sort();
    },
  };
}

export function createAuditQueryRepository(store: Store): AuditQueryRepository {
  return store.dialect === "sqlite" ? createAuditQueryRepositorySqlite(store.db) : createAuditQueryRepositoryPg(store.db);
}
