// Every login attempt with its outcome, for the admin's user page and for spotting attacks.
import { count, desc, eq } from "drizzle-orm";
import type { PgDb, SqliteDb } from "../store/db";
import * as lite from "./identity.schema.sqlite";
import * as pg from "./identity.schema.pg";

// sso_*: single sign-on (oidc.service.ts); password_login_disabled: [sso] local_login = "admins" refused a password.
export const LOGIN_OUTCOMES = ["success", "bad_password", "unknown_user", "locked", "inactive", "unverified", "sso_success", "sso_denied", "password_login_disabled"] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

export type LoginEventRecord = {
  id: string;
  userId: string | null;
  email: string;
  outcome: LoginOutcome;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
};
export type NewLoginEvent = Omit<LoginEventRecord, "id">;

export type LoginEventsRepository = {
  record(event: NewLoginEvent): Promise<LoginEventRecord>;
  /** Newest first. */
  listForUser(userId: string, page: { limit: number; offset: number }): Promise<{ items: LoginEventRecord[]; total: number }>;
};

type Row = typeof lite.loginEvents.$inferSelect;

function toRecord(row: Row): LoginEventRecord {
  // The column is free text in the schema; only this repository writes it, always with a LoginOutcome.
  return { ...row, outcome: row.outcome as LoginOutcome };
}

export function createLoginEventsRepositorySqlite(db: SqliteDb): LoginEventsRepository {
  const t = lite.loginEvents;
  return {
    async record(e) {
      const row = { ...e, id: Bun.randomUUIDv7() };
      db.insert(t).values(row).run();
      return row;
    },
    async listForUser(userId, { limit, offset }) {
      const rows = db.select().from(t).where(eq(t.userId, userId)).orderBy(desc(t.createdAt), desc(t.id)).limit(limit).offset(offset).all();
      const total = db.select({ n: count() }).from(t).where(eq(t.userId, userId)).get();
      return { items: rows.map(toRecord), total: total?.n ?? 0 };
    },
  };
}

export function createLoginEventsRepositoryPg(db: PgDb): LoginEventsRepository {
  const t = pg.loginEvents;
  return {
    async record(e) {
      const row = { ...e, id: Bun.randomUUIDv7() };
      await db.insert(t).values(row);
      return row;
    },
    async listForUser(userId, { limit, offset }) {
      const rows = await db.select().from(t).where(eq(t.userId, userId)).orderBy(desc(t.createdAt), desc(t.id)).limit(limit).offset(offset);
      const [total] = await db.select({ n: count() }).from(t).where(eq(t.userId, userId));
      return { items: rows.map(toRecord), total: total?.n ?? 0 };
    },
  };
}
