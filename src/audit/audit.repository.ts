// Append-only: this repository has no update and no delete (retention pruning is a separate,
// explicitly named operation in src/ops). Listing exists for tests and the future audit view.
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import { auditEvents as liteEvents } from "./audit.schema.sqlite";
import { auditEvents as pgEvents } from "./audit.schema.pg";

export type AuditEventRecord = {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: Date;
};
export type NewAuditEvent = Omit<AuditEventRecord, "id">;
export type AuditFilter = { action?: string; actorId?: string; targetType?: string; targetId?: string; limit?: number };

export type AuditRepository = {
  append(event: NewAuditEvent): Promise<AuditEventRecord>;
  /** Oldest first (ids are time-ordered UUIDv7, so events of the same millisecond keep their order). */
  list(filter?: AuditFilter): Promise<AuditEventRecord[]>;
};

function where(t: typeof liteEvents | typeof pgEvents, f: AuditFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (f.action) parts.push(eq(t.action, f.action));
  if (f.actorId) parts.push(eq(t.actorId, f.actorId));
  if (f.targetType) parts.push(eq(t.targetType, f.targetType));
  if (f.targetId) parts.push(eq(t.targetId, f.targetId));
  return parts.length ? and(...parts) : undefined;
}

function toRecord(row: typeof liteEvents.$inferSelect): AuditEventRecord {
  return { ...row, before: row.before ?? null, after: row.after ?? null };
}

export function createAuditRepositorySqlite(db: SqliteDb): AuditRepository {
  const t = liteEvents;
  return {
    async append(e) {
      const row = { ...e, id: Bun.randomUUIDv7() };
      db.insert(t).values(row).run();
      return row;
    },
    async list(f = {}) {
      const rows = db.select().from(t).where(where(t, f)).orderBy(asc(t.createdAt), asc(t.id)).limit(f.limit ?? 1000).all();
      return rows.map(toRecord);
    },
  };
}

export function createAuditRepositoryPg(db: PgDb): AuditRepository {
  const t = pgEvents;
  return {
    async append(e) {
      const row = { ...e, id: Bun.randomUUIDv7() };
      await db.insert(t).values(row);
      return row;
    },
    async list(f = {}) {
      const rows = await db.select().from(t).where(where(t, f)).orderBy(asc(t.createdAt), asc(t.id)).limit(f.limit ?? 1000);
      return rows.map(toRecord);
    },
  };
}

export function createAuditRepository(store: Store): AuditRepository {
  return store.dialect === "sqlite" ? createAuditRepositorySqlite(store.db) : createAuditRepositoryPg(store.db);
}
