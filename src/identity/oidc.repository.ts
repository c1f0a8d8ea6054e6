// Links between a provider's subject and a local account, for SQLite and PostgreSQL.
import { and, eq } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./oidc.schema.sqlite";
import * as pg from "./oidc.schema.pg";

export type OidcIdentityRecord = { id: string; issuer: string; subject: string; userId: string; createdAt: Date; lastLoginAt: Date };

export type OidcIdentitiesRepository = {
  find(issuer: string, subject: string): Promise<OidcIdentityRecord | null>;
  /** Links (issuer, subject) to the user; false when the subject is already linked (a concurrent first login). */
  link(input: { issuer: string; subject: string; userId: string; now: Date }): Promise<boolean>;
  touch(id: string, now: Date): Promise<void>;
};

export function createOidcIdentitiesRepositorySqlite(db: SqliteDb): OidcIdentitiesRepository {
  const t = lite.oidcIdentities;
  return {
    async find(issuer, subject) {
      return db.select().from(t).where(and(eq(t.issuer, issuer), eq(t.subject, subject))).get() ?? null;
    },
    async link({ issuer, subject, userId, now }) {
      const rows = db.insert(t).values({ id: Bun.randomUUIDv7(), issuer, subject, userId, createdAt: now, lastLoginAt: now }).onConflictDoNothing().returning({ id: t.id }).all();
      return rows.length > 0;
    },
    async touch(id, now) {
      db.update(t).set({ lastLoginAt: now }).where(eq(t.id, id)).run();
    },
  };
}

export function createOidcIdentitiesRepositoryPg(db: PgDb): OidcIdentitiesRepository {
  const t = pg.oidcIdentities;
  return {
    async find(issuer, subject) {
      return (await db.select().from(t).where(and(eq(t.issuer, issuer), eq(t.subject, subject))))[0] ?? null;
    },
    async link({ issuer, subject, userId, now }) {
      const rows = await db.insert(t).values({ id: Bun.randomUUIDv7(), issuer, subject, userId, createdAt: now, lastLoginAt: now }).onConflictDoNothing().returning({ id: t.id });
      return rows.length > 0;
    },
    async touch(id, now) {
      await db.update(t).set({ lastLoginAt: now }).where(eq(t.id, id));
    },
  };
}

export function createOidcIdentitiesRepository(store: Store): OidcIdentitiesRepository {
  return store.dialect === "sqlite" ? createOidcIdentitiesRepositorySqlite(store.db) : createOidcIdentitiesRepositoryPg(store.db);
}
