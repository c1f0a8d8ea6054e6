// Webhook deliveries, per dialect: finished runs of keys with a webhook become delivery rows (one
// transaction with marking the run notified), and a delivery is claimed by a guarded update before
// each attempt, so several server processes never send the same attempt twice and a crash loses none.
import { and, desc, eq, inArray, isNull, lte } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./access.schema.sqlite";
import * as pg from "./access.schema.pg";
import * as liteRuns from "../execution/execution.schema.sqlite";
import * as pgRuns from "../execution/execution.schema.pg";
import { tools as liteTools } from "../tools/tools.schema.sqlite";
import { tools as pgTools } from "../tools/tools.schema.pg";
import { FINISHED_RUN_STATUSES } from "../execution/runs.repository";

export type DeliveryRecord = typeof lite.webhookDeliveries.$inferSelect;
/** A run submitted with a key that has finished and not been turned into a delivery yet. */
export type FinishedKeyRun = {
  runId: string;
  keyId: string;
  status: string;
  finishedAt: Date | null;
  toolSlug: string;
  webhookUrl: string | null;
  revokedAt: Date | null;
};
export type AttemptOutcome = {
  status: DeliveryRecord["status"];
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
};

export type WebhookDeliveriesRepository = {
  finishedKeyRuns(limit: number): Promise<FinishedKeyRun[]>;
  /** Marks the run notified and stores the delivery (none when null) in one transaction; false when another process was first. */
  enqueue(runId: string, at: Date, delivery: DeliveryRecord | null): Promise<boolean>;
  due(now: Date, limit: number): Promise<DeliveryRecord[]>;
  /** Takes a due delivery for one attempt (counts it, moves next_attempt_at to `leaseUntil`); false when someone else took it. */
  claim(d: Pick<DeliveryRecord, "id" | "nextAttemptAt" | "attempts">, leaseUntil: Date): Promise<boolean>;
  finishAttempt(id: string, outcome: AttemptOutcome): Promise<void>;
  listByKey(keyId: string, limit: number): Promise<DeliveryRecord[]>;
};

const FINISHED = [...FINISHED_RUN_STATUSES];

export function createWebhookDeliveriesRepositorySqlite(db: SqliteDb): WebhookDeliveriesRepository {
  const d = lite.webhookDeliveries;
  const kr = lite.apiKeyRuns;
  const k = lite.apiKeys;
  const r = liteRuns.runs;
  return {
    async finishedKeyRuns(limit) {
      return db
        .select({ runId: kr.runId, keyId: kr.keyId, status: r.status, finishedAt: r.finishedAt, toolSlug: liteTools.slug, webhookUrl: k.webhookUrl, revokedAt: k.revokedAt })
        .from(kr)
        .innerJoin(r, eq(r.id, kr.runId))
        .innerJoin(liteTools, eq(liteTools.id, r.toolId))
        .innerJoin(k, eq(k.id, kr.keyId))
        .where(and(isNull(kr.notifiedAt), inArray(r.status, FINISHED)))
        .limit(limit)
        .all();
    },
    async enqueue(runId, at, delivery) {
      return db.transaction((tx) => {
        const marked = tx.update(kr).set({ notifiedAt: at }).where(and(eq(kr.runId, runId), isNull(kr.notifiedAt))).returning({ runId: kr.runId }).all();
        if (marked.length === 0) return false;
        if (delivery) tx.insert(d).values(delivery).run();
        return true;
      });
    },
    async due(now, limit) {
      return db.select().from(d).where(and(eq(d.status, "pending"), lte(d.nextAttemptAt, now))).orderBy(d.nextAttemptAt).limit(limit).all();
    },
    async claim(row, leaseUntil) {
      const res = db
        .update(d)
        .set({ nextAttemptAt: leaseUntil, attempts: row.attempts + 1 })
        .where(and(eq(d.id, row.id), eq(d.status, "pending"), eq(d.attempts, row.attempts)))
        .returning({ id: d.id })
        .all();
      return res.length > 0;
    },
    async finishAttempt(id, o) {
      db.update(d).set(o).where(eq(d.id, id)).run();
    },
    async listByKey(keyId, limit) {
      return db.select().from(d).where(eq(d.keyId, keyId)).orderBy(desc(d.createdAt), desc(d.id)).limit(limit).all();
    },
  };
}

export function createWebhookDeliveriesRepositoryPg(db: PgDb): WebhookDeliveriesRepository {
  const d = pg.webhookDeliveries;
  const kr = pg.apiKeyRuns;
  const k = pg.apiKeys;
  const r = pgRuns.runs;
  return {
    async finishedKeyRuns(limit) {
      return db
        .select({ runId: kr.runId, keyId: kr.keyId, status: r.status, finishedAt: r.finishedAt, toolSlug: pgTools.slug, webhookUrl: k.webhookUrl, revokedAt: k.revokedAt })
        .from(kr)
        .innerJoin(r, eq(r.id, kr.runId))
        .innerJoin(pgTools, eq(pgTools.id, r.toolId))
        .innerJoin(k, eq(k.id, kr.keyId))
        .where(and(isNull(kr.notifiedAt), inArray(r.status, FINISHED)))
        .limit(limit);
    },
    async enqueue(runId, at, delivery) {
      return db.transaction(async (tx) => {
        const marked = await tx
          .update(kr)
          .set({ notifiedAt: at })
          .where(and(eq(kr.runId, runId), isNull(kr.notifiedAt)))
          .returning({ runId: kr.runId });
        if (marked.length === 0) return false;
        if (delivery) await tx.insert(d).values(delivery);
        return true;
      });
    },
    async due(now, limit) {
      return db.select().from(d).where(and(eq(d.status, "pending"), lte(d.nextAttemptAt, now))).orderBy(d.nextAttemptAt).limit(limit);
    },
    async claim(row, leaseUntil) {
      const res = await db
        .update(d)
        .set({ nextAttemptAt: leaseUntil, attempts: row.attempts + 1 })
        .where(and(eq(d.id, row.id), eq(d.status, "pending"), eq(d.attempts, row.attempts)))
        .returning({ id: d.id });
      return res.length > 0;
    },
    async finishAttempt(id, o) {
      await db.update(d).set(o).where(eq(d.id, id));
    },
    async listByKey(keyId, limit) {
      return db.select().from(d).where(eq(d.keyId, keyId)).orderBy(desc(d.createdAt), desc(d.id)).limit(limit);
    },
  };
}

export function createWebhookDeliveriesRepository(store: Store): WebhookDeliveriesRepository {
  return store.dialect === "sqlite" ? createWebhookDeliveriesRepositorySqlite(store.db) : createWebhookDeliveriesRepositoryPg(store.db);
}
