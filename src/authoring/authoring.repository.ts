// Who maintains which tool, the per-tool draft lock and the review history of versions, for SQLite
// and PostgreSQL (authoring.repository.test.ts runs one suite on both). Tools and versions
// themselves live in tools.repository.ts.
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./authoring.schema.sqlite";
import * as pg from "./authoring.schema.pg";

export type LockRecord = { toolId: string; holderId: string; acquiredAt: Date; heartbeatAt: Date; expiresAt: Date };
export type VersionEventKind = "submitted" | "changes_requested" | "published" | "rolled_back";
export type VersionEventRecord = { id: string; toolId: string; versionId: string; kind: VersionEventKind; message: string | null; actorId: string | null; createdAt: Date };
export type NewVersionEvent = Omit<VersionEventRecord, "id">;

export type AuthoringRepository = {
  /** User ids, in the order they were added. */
  listMaintainers(toolId: string): Promise<{ userId: string; addedAt: Date }[]>;
  /** Tool ids the user maintains. */
  listMaintainedToolIds(userId: string): Promise<string[]>;
  isMaintainer(toolId: string, userId: string): Promise<boolean>;
  /** false when already a maintainer. */
  addMaintainer(toolId: string, userId: string, now: Date): Promise<boolean>;
  /** false when not a maintainer. */
  removeMaintainer(toolId: string, userId: string): Promise<boolean>;

  getLock(toolId: string): Promise<LockRecord | null>;
  /** Locks not expired at `now`. */
  listLiveLocks(now: Date): Promise<LockRecord[]>;
  /**
   * Writes the lock when the row is still what the caller planned from: held by `expectedHolderId`
   * (null: no row, or an expired one). false when another writer got there first.
   */
  putLock(lock: LockRecord, expected: { holderId: string | null; now: Date }): Promise<boolean>;
  /** Deletes the lock only if `holderId` holds it. */
  releaseLock(toolId: string, holderId: string): Promise<boolean>;

  addVersionEvent(e: NewVersionEvent): Promise<VersionEventRecord>;
  /** Oldest first. */
  listVersionEvents(toolId: string): Promise<VersionEventRecord[]>;
  listVersionEventsOf(versionIds: string[]): Promise<VersionEventRecord[]>;
};

export function createAuthoringRepositorySqlite(db: SqliteDb): AuthoringRepository {
  const { toolMaintainers: m, toolDraftLocks: l, toolVersionEvents: ev } = lite;
  const lockWhere = (toolId: string, expected: { holderId: string | null; now: Date }) =>
    expected.holderId === null ? and(eq(l.toolId, toolId), lte(l.expiresAt, expected.now)) : and(eq(l.toolId, toolId), eq(l.holderId, expected.holderId));
  return {
    async listMaintainers(toolId) {
      return db.select({ userId: m.userId, addedAt: m.addedAt }).from(m).where(eq(m.toolId, toolId)).orderBy(asc(m.addedAt), asc(m.userId)).all();
    },
    async listMaintainedToolIds(userId) {
      return db.select({ toolId: m.toolId }).from(m).where(eq(m.userId, userId)).all().map((r) => r.toolId);
    },
    async isMaintainer(toolId, userId) {
      return db.select({ u: m.userId }).from(m).where(and(eq(m.toolId, toolId), eq(m.userId, userId))).get() !== undefined;
    },
    async addMaintainer(toolId, userId, now) {
      return db.insert(m).values({ toolId, userId, addedAt: now }).onConflictDoNothing().returning({ u: m.userId }).all().length === 1;
    },
    async removeMaintainer(toolId, userId) {
      return db.delete(m).where(and(eq(m.toolId, toolId), eq(m.userId, userId))).returning({ u: m.userId }).all().length === 1;
    },
    async getLock(toolId) {
      return db.select().from(l).where(eq(l.toolId, toolId)).get() ?? null;
    },
    async listLiveLocks(now) {
      return db.select().from(l).all().filter((x) => x.expiresAt.getTime() > now.getTime());
    },
    async putLock(lock, expected) {
      // One synchronous transaction: read-compare-write cannot interleave with another writer.
      return db.transaction(
        (tx) => {
          const row = tx.select().from(l).where(eq(l.toolId, lock.toolId)).get();
          if (!row) {
            tx.insert(l).values(lock).run();
            return true;
          }
          const hit = tx.update(l).set(lock).where(lockWhere(lock.toolId, expected)).returning({ t: l.toolId }).all();
          return hit.length === 1;
        },
        { behavior: "immediate" },
      );
    },
    async releaseLock(toolId, holderId) {
      return db.delete(l).where(and(eq(l.toolId, toolId), eq(l.holderId, holderId))).returning({ t: l.toolId }).all().length === 1;
    },
    async addVersionEvent(e) {
      const row = { ...e, id: Bun.randomUUIDv7() };
      db.insert(ev).values(row).run();
      return row;
    },
    async listVersionEvents(toolId) {
      return db.select().from(ev).where(eq(ev.toolId, toolId)).orderBy(asc(ev.createdAt), asc(ev.id)).all();
    },
    async listVersionEventsOf(versionIds) {
      if (!versionIds.length) return [];
      return db.select().from(ev).where(inArray(ev.versionId, versionIds)).orderBy(asc(ev.createdAt), asc(ev.id)).all();
    },
  };
}

export function createAuthoringRepositoryPg(db: PgDb): AuthoringRepository {
  const { toolMaintainers: m, toolDraftLocks: l, toolVersionEvents: ev } = pg;
  return {
    async listMaintainers(toolId) {
      return db.select({ userId: m.userId, addedAt: m.addedAt }).from(m).where(eq(m.toolId, toolId)).orderBy(asc(m.addedAt), asc(m.userId));
    },
    async listMaintainedToolIds(userId) {
      return (await db.select({ toolId: m.toolId }).from(m).where(eq(m.userId, userId))).map((r) => r.toolId);
    },
    async isMaintainer(toolId, userId) {
      return (await db.select({ u: m.userId }).from(m).where(and(eq(m.toolId, toolId), eq(m.userId, userId)))).length > 0;
    },
    async addMaintainer(toolId, userId, now) {
      return (await db.insert(m).values({ toolId, userId, addedAt: now }).onConflictDoNothing().returning({ u: m.userId })).length === 1;
    },
    async removeMaintainer(toolId, userId) {
      return (await db.delete(m).where(and(eq(m.toolId, toolId), eq(m.userId, userId))).returning({ u: m.userId })).length === 1;
    },
    async getLock(toolId) {
      return (await db.select().from(l).where(eq(l.toolId, toolId)))[0] ?? null;
    },
    async listLiveLocks(now) {
      return (await db.select().from(l)).filter((x) => x.expiresAt.getTime() > now.getTime());
    },
    async putLock(lock, expected) {
      // Insert when there is no row; otherwise update only the row the caller planned from. The
      // conditional upsert is one statement, so two acquirers cannot both win.
      const condition = expected.holderId === null ? lte(l.expiresAt, expected.now) : eq(l.holderId, expected.holderId);
      const hit = await db
        .insert(l)
        .values(lock)
        .onConflictDoUpdate({ target: l.toolId, set: { holderId: lock.holderId, acquiredAt: lock.acquiredAt, heartbeatAt: lock.heartbeatAt, expiresAt: lock.expiresAt }, setWhere: condition })
        .returning({ t: l.toolId });
      return hit.length === 1;
    },
    async releaseLock(toolId, holderId) {
      return (await db.delete(l).where(and(eq(l.toolId, toolId), eq(l.holderId, holderId))).returning({ t: l.toolId })).length === 1;
    },
    async addVersionEvent(e) {
      const row = { ...e, id: Bun.randomUUIDv7() };
      await db.insert(ev).values(row);
      return row;
    },
    async listVersionEvents(toolId) {
      return db.select().from(ev).where(eq(ev.toolId, toolId)).orderBy(asc(ev.createdAt), asc(ev.id));
    },
    async listVersionEventsOf(versionIds) {
      if (!versionIds.length) return [];
      return db.select().from(ev).where(inArray(ev.versionId, versionIds)).orderBy(asc(ev.createdAt), asc(ev.id));
    },
  };
}

export function createAuthoringRepository(store: Store): AuthoringRepository {
  return store.dialect === "sqlite" ? createAuthoringRepositorySqlite(store.db) : createAuthoringRepositoryPg(store.db);
}
