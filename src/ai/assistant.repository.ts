// The editor assistant's stored conversations (per user and tool), for SQLite and PostgreSQL.
import { and, asc, eq } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./ai.schema.sqlite";
import * as pg from "./ai.schema.pg";

export type AssistantRole = "user" | "assistant";
export type AssistantMessage = { id: string; userId: string; toolId: string; role: AssistantRole; content: string; createdAt: Date };

export type AssistantRepository = {
  /** Oldest first. */
  listMessages(userId: string, toolId: string): Promise<AssistantMessage[]>;
  addMessage(message: AssistantMessage): Promise<void>;
  /** Returns how many messages were removed. */
  clear(userId: string, toolId: string): Promise<number>;
};

export function createAssistantRepositorySqlite(db: SqliteDb): AssistantRepository {
  const m = lite.aiAssistantMessages;
  return {
    async listMessages(userId, toolId) {
      // ids are UUIDv7, so they break ties between messages of the same millisecond in insert order
      return db.select().from(m).where(and(eq(m.userId, userId), eq(m.toolId, toolId))).orderBy(asc(m.createdAt), asc(m.id));
    },
    async addMessage(message) {
      await db.insert(m).values(message);
    },
    async clear(userId, toolId) {
      const rows = await db.delete(m).where(and(eq(m.userId, userId), eq(m.toolId, toolId))).returning({ id: m.id });
      return rows.length;
    },
  };
}

export function createAssistantRepositoryPg(db: PgDb): AssistantRepository {
  const m = pg.aiAssistantMessages;
  return {
    async listMessages(userId, toolId) {
      return db.select().from(m).where(and(eq(m.userId, userId), eq(m.toolId, toolId))).orderBy(asc(m.createdAt), asc(m.id));
    },
    async addMessage(message) {
      await db.insert(m).values(message);
    },
    async clear(userId, toolId) {
      const rows = await db.delete(m).where(and(eq(m.userId, userId), eq(m.toolId, toolId))).returning({ id: m.id });
      return rows.length;
    },
  };
}

export function createAssistantRepository(store: Store): AssistantRepository {
  return store.dialect === "sqlite" ? createAssistantRepositorySqlite(store.db) : createAssistantRepositoryPg(store.db);
}
