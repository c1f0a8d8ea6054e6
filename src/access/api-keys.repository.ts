// API keys and the runs submitted with them, per dialect. Keys are never deleted here: revocation
// sets revoked_at, so the audit trail and the key list keep showing what existed.
import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./access.schema.sqlite";
import * as pg from "./access.schema.pg";
import { users as liteUsers } from "../identity/identity.schema.sqlite";
import { users as pgUsers } from "../identity/identity.schema.pg";

export type ApiKeyRecord = typeof lite.apiKeys.$inferSelect;
export type ApiKeyWithOwner = ApiKeyRecord & { userEmail: string };
export type KeyListFilter = { userId?: string; limit: number };

export type ApiKeysRepository = {
  insert(key: ApiKeyRecord): Promise<void>;
  getById(id: string): Promise<ApiKeyRecord | null>;
  findByPrefix(prefix: string): Promise<ApiKeyRecord | null>;
  /** Newest first, with the owner's e-mail. */
  list(filter: KeyListFilter): Promise<ApiKeyWithOwner[]>;
  /** Sets revoked_at when not yet revoked; false when it already was (or does not exist). */
  revoke(id: string, at: Date, by: string): Promise<boolean>;
  /** Records a use; `audited` also moves last_use_audited_at. */
  touch(id: string, at: Date, audited: boolean): Promise<void>;
  /** Remembers that `runId` was submitted with `keyId` (for its webhook). */
  linkRun(runId: string, keyId: string, at: Date): Promise<void>;
};

type Tables = { apiKeys: typeof lite.apiKeys | typeof pg.apiKeys; users: typeof liteUsers | typeof pgUsers };

function listWhere(t: Tables, f: KeyListFilter): SQL | undefined {
  return f.userId ? eq(t.apiKeys.userId, f.userId) : undefined;
}

export function createApiKeysRepositorySqlite(db: SqliteDb): ApiKeysRepository {
  const k = lite.apiKeys;
  return {
    async insert(key) {
      db.insert(k).values(key).run();
    },
    async getById(id) {
      return db.select().from(k).where(eq(k.id, id)).get() ?? null;
    },
    async findByPrefix(prefix) {
      return db.select().from(k).where(eq(k.prefix, prefix)).get() ?? null;
    },
    async list(f) {
      const rows = db
        .select({ key: k, userEmail: liteUsers.email })
        .from(k)
        .innerJoin(liteUsers, eq(liteUsers.id, k.userId))
        .where(listWhere({ apiKeys: k, users: liteUsers }, f))
        .orderBy(desc(k.createdAt), desc(k.id))
        .limit(f.limit)
        .all();
      return rows.map((r) => ({ ...r.key, userEmail: r.userEmail }));
    },
    async revoke(id, at, by) {
      const rows = db.update(k).set({ revokedAt: at, revokedBy: by }).where(and(eq(k.id, id), isNull(k.revokedAt))).returning({ id: k.id }).all();
      return rows.length > 0;
    },
    async touch(id, at, audited) {
      db.update(k)
        .set(audited ? { lastUsedAt: at, lastUseAuditedAt: at } : { lastUsedAt: at })
        .where(eq(k.id, id))
        .run();
    },
    async linkRun(runId, keyId, at) {
      db.insert(lite.apiKeyRuns).values({ runId, keyId, createdAt: at }).onConflictDoNothing().run();
    },
  };
}

export function createApiKeysRepositoryPg(db: PgDb): ApiKeysRepository {
  const k = pg.apiKeys;
  return {
    async insert(key) {
      await db.insert(k).values(key);
    },
    async getById(id) {
      const [row] = await db.select().from(k).where(eq(k.id, id));
      return row ?? null;
    },
    async findByPrefix(prefix) {
      const [row] = await db.select().from(k).where(eq(k.prefix, prefix));
      return row ?? null;
    },
    async list(f) {
      const rows = await db
        .select({ key: k, userEmail: pgUsers.email })
        .from(k)
        .innerJoin(pgUsers, eq(pgUsers.id, k.userId))
        .where(listWhere({ apiKeys: k, users: pgUsers }, f))
        .orderBy(desc(k.createdAt), desc(k.id))
        .limit(f.limit);
      return rows.map((r) => ({ ...r.key, userEmail: r.userEmail }));
    },
    async revoke(id, at, by) {
      const rows = await db
        .update(k)
        .set({ revokedAt: at, revokedBy: by })
        .where(and(eq(k.id, id), isNull(k.revokedAt)))
        .returning({ id: k.id });
      return rows.length > 0;
    },
    async touch(id, at, audited) {
      await db
        .update(k)
        .set(audited ? { lastUsedAt: at, lastUseAuditedAt: at } : { lastUsedAt: at })
        .where(eq(k.id, id));
    },
    async linkRun(runId, keyId, at) {
      await db.insert(pg.apiKeyRuns).values({ runId, keyId, createdAt: at }).onConflictDoNothing();
    },
  };
}

export function createApiKeysRepository(store: Store): ApiKeysRepository {
  return store.dialect === "sqlite" ? createApiKeysRepositorySqlite(store.db) : createApiKeysRepositoryPg(store.db);
}

