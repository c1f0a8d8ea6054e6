// Device-flow grants, per dialect. Every state change is a guarded update ("only while pending",
// "only while approved"), so two racing polls or clicks cannot both win.
import { and, eq, gt } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./access.schema.sqlite";
import * as pg from "./access.schema.pg";

export type DeviceGrantRecord = typeof lite.deviceGrants.$inferSelect;
export type GrantDecision = { status: "approved" | "denied"; userId: string; scopes: string[]; at: Date };

export type DeviceGrantsRepository = {
  insert(g: DeviceGrantRecord): Promise<void>;
  getById(id: string): Promise<DeviceGrantRecord | null>;
  findByDeviceCodeHash(hash: string): Promise<DeviceGrantRecord | null>;
  /** The newest grant with this user code that has not expired yet. */
  findLiveByUserCode(userCode: string, now: Date): Promise<DeviceGrantRecord | null>;
  /** pending → approved/denied; false when it was no longer pending. */
  decide(id: string, d: GrantDecision): Promise<boolean>;
  touchPoll(id: string, at: Date): Promise<void>;
  /** approved → consumed (the token is handed out once); false when it was not approved. */
  consume(id: string, accessExpiresAt: Date): Promise<boolean>;
};

export function createDeviceGrantsRepositorySqlite(db: SqliteDb): DeviceGrantsRepository {
  const g = lite.deviceGrants;
  return {
    async insert(row) {
      db.insert(g).values(row).run();
    },
    async getById(id) {
      return db.select().from(g).where(eq(g.id, id)).get() ?? null;
    },
    async findByDeviceCodeHash(hash) {
      return db.select().from(g).where(eq(g.deviceCodeHash, hash)).get() ?? null;
    },
    async findLiveByUserCode(userCode, now) {
      return db.select().from(g).where(and(eq(g.userCode, userCode), gt(g.expiresAt, now))).orderBy(g.createdAt).get() ?? null;
    },
    async decide(id, d) {
      const r = db
        .update(g)
        .set({ status: d.status, userId: d.userId, scopes: d.scopes, decidedAt: d.at })
        .where(and(eq(g.id, id), eq(g.status, "pending")))
        .returning({ id: g.id })
        .all();
      return r.length > 0;
    },
    async touchPoll(id, at) {
      db.update(g).set({ lastPolledAt: at }).where(eq(g.id, id)).run();
    },
    async consume(id, accessExpiresAt) {
      const r = db
        .update(g)
        .set({ status: "consumed", accessExpiresAt })
        .where(and(eq(g.id, id), eq(g.status, "approved")))
        .returning({ id: g.id })
        .all();
      return r.length > 0;
    },
  };
}

export function createDeviceGrantsRepositoryPg(db: PgDb): DeviceGrantsRepository {
  const g = pg.deviceGrants;
  return {
    async insert(row) {
      await db.insert(g).values(row);
    },
    async getById(id) {
      const [row] = await db.select().from(g).where(eq(g.id, id));
      return row ?? null;
    },
    async findByDeviceCodeHash(hash) {
      const [row] = await db.select().from(g).where(eq(g.deviceCodeHash, hash));
      return row ?? null;
    },
    async findLiveByUserCode(userCode, now) {
      const [row] = await db.select().from(g).where(and(eq(g.userCode, userCode), gt(g.expiresAt, now))).orderBy(g.createdAt).limit(1);
      return row ?? null;
    },
    async decide(id, d) {
      const rows = await db
        .update(g)
        .set({ status: d.status, userId: d.userId, scopes: d.scopes, decidedAt: d.at })
        .where(and(eq(g.id, id), eq(g.status, "pending")))
        .returning({ id: g.id });
      return rows.length > 0;
    },
    async touchPoll(id, at) {
      await db.update(g).set({ lastPolledAt: at }).where(eq(g.id, id));
    },
    async consume(id, accessExpiresAt) {
      const rows = await db
        .update(g)
        .set({ status: "consumed", accessExpiresAt })
        .where(and(eq(g.id, id), eq(g.status, "approved")))
        .returning({ id: g.id });
      return rows.length > 0;
    },
  };
}

export function createDeviceGrantsRepository(store: Store): DeviceGrantsRepository {
  return store.dialect === "sqlite" ? createDeviceGrantsRepositorySqlite(store.db) : createDeviceGrantsRepositoryPg(store.db);
}
