// Browser sessions, stored by the SHA-256 of the cookie value (the value itself never is).
import { and, desc, eq, isNull, ne, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb } from "../store/db";
import * as lite from "./identity.schema.sqlite";
import * as pg from "./identity.schema.pg";

export type SessionRecord = typeof lite.sessions.$inferSelect;
export type NewSession = Omit<SessionRecord, "id" | "revokedAt" | "lastSeenAt"> & { id?: string };

export type SessionsRepository = {
  create(session: NewSession): Promise<SessionRecord>;
  /** Also revoked and expired sessions: the caller decides with checkSession(). */
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  touch(id: string, lastSeenAt: Date): Promise<void>;
  revoke(id: string, now: Date): Promise<void>;
  /** Revokes every live session of a user except `exceptSessionId`; returns how many. */
  revokeAllForUser(userId: string, now: Date, exceptSessionId?: string): Promise<number>;
  /** Live (not revoked) sessions of a user, newest first. */
  listActiveForUser(userId: string): Promise<SessionRecord[]>;
};

function newRow(s: NewSession): SessionRecord {
  return { ...s, id: s.id ?? Bun.randomUUIDv7(), lastSeenAt: s.createdAt, revokedAt: null };
}

function liveOfUser(t: typeof lite.sessions | typeof pg.sessions, userId: string, except?: string): SQL | undefined {
  const parts = [eq(t.userId, userId), isNull(t.revokedAt)];
  if (except) parts.push(ne(t.id, except));
  return and(...parts);
}

export function createSessionsRepositorySqlite(db: SqliteDb): SessionsRepository {
  const t = lite.sessions;
  return {
    async create(s) {
      const row = newRow(s);
      db.insert(t).values(row).run();
      return row;
    },
    async findByTokenHash(tokenHash) {
      return db.select().from(t).where(eq(t.tokenHash, tokenHash)).get() ?? null;
    },
    async touch(id, lastSeenAt) {
      db.update(t).set({ lastSeenAt }).where(eq(t.id, id)).run();
    },
    async revoke(id, now) {
      db.update(t).set({ revokedAt: now }).where(and(eq(t.id, id), isNull(t.revokedAt))).run();
    },
    async revokeAllForUser(userId, now, except) {
      return db.update(t).set({ revokedAt: now }).where(liveOfUser(t, userId, except)).returning({ id: t.id }).all().length;
    },
    async listActiveForUser(userId) {
      return db.select().from(t).where(liveOfUser(t, userId)).orderBy(desc(t.createdAt), desc(t.id)).all();
    },
  };
}

export function createSessionsRepositoryPg(db: PgDb): SessionsRepository {
  const t = pg.sessions;
  return {
    async create(s) {
      const row = newRow(s);
      await db.insert(t).values(row);
      return row;
    },
    async findByTokenHash(tokenHash) {
      const [row] = await db.select().from(t).where(eq(t.tokenHash, tokenHash));
      return row ?? null;
    },
    async touch(id, lastSeenAt) {
      await db.update(t).set({ lastSeenAt }).where(eq(t.id, id));
    },
    async revoke(id, now) {
      await db.update(t).set({ revokedAt: now }).where(and(eq(t.id, id), isNull(t.revokedAt)));
    },
    async revokeAllForUser(userId, now, except) {
      return (await db.update(t).set({ revokedAt: now }).where(liveOfUser(t, userId, except)).returning({ id: t.id })).length;
    },
    async listActiveForUser(userId) {
      return db.select().from(t).where(liveOfUser(t, userId)).orderBy(desc(t.createdAt), desc(t.id));
    },
  };
}
