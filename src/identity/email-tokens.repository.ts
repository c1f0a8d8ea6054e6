// One-time tokens sent by e-mail (address verification, password reset). Only the SHA-256 of a
// token is stored; consuming one is a single conditional UPDATE, so two clicks cannot both win.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { PgDb, SqliteDb } from "../store/db";
import type { EmailTokenPurpose } from "./identity.rules";
import * as lite from "./identity.schema.sqlite";
import * as pg from "./identity.schema.pg";

export type EmailTokenRecord = typeof lite.emailTokens.$inferSelect;
export type NewEmailToken = { tokenHash: string; userId: string; purpose: EmailTokenPurpose; expiresAt: Date; now: Date };

export type EmailTokensRepository = {
  /** Stores a new token and marks the user's older unused tokens of the same purpose used: only the newest link works. */
  create(token: NewEmailToken): Promise<EmailTokenRecord>;
  /** The token when it exists, has this purpose, is unused and not expired; nothing is changed. */
  findValid(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<EmailTokenRecord | null>;
  /** Marks a valid token used and returns its user, or null when it is unknown, used, expired or of another purpose. */
  consume(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<{ userId: string } | null>;
};

type Table = typeof lite.emailTokens | typeof pg.emailTokens;

function validWhere(t: Table, tokenHash: string, purpose: EmailTokenPurpose, now: Date) {
  return and(eq(t.tokenHash, tokenHash), eq(t.purpose, purpose), isNull(t.usedAt), gt(t.expiresAt, now));
}

function unusedOfUser(t: Table, userId: string, purpose: EmailTokenPurpose) {
  return and(eq(t.userId, userId), eq(t.purpose, purpose), isNull(t.usedAt));
}

function newRow({ now, ...token }: NewEmailToken): EmailTokenRecord {
  return { ...token, id: Bun.randomUUIDv7(), createdAt: now, usedAt: null };
}

export function createEmailTokensRepositorySqlite(db: SqliteDb): EmailTokensRepository {
  const t = lite.emailTokens;
  return {
    async create(token) {
      const row = newRow(token);
      // Synchronous callback: drizzle's async transactions are not atomic on bun:sqlite.
      db.transaction((tx) => {
        tx.update(t).set({ usedAt: token.now }).where(unusedOfUser(t, token.userId, token.purpose)).run();
        tx.insert(t).values(row).run();
      });
      return row;
    },
    async findValid(tokenHash, purpose, now) {
      return db.select().from(t).where(validWhere(t, tokenHash, purpose, now)).get() ?? null;
    },
    async consume(tokenHash, purpose, now) {
      const row = db.update(t).set({ usedAt: now }).where(validWhere(t, tokenHash, purpose, now)).returning({ userId: t.userId }).get();
      return row ?? null;
    },
  };
}

export function createEmailTokensRepositoryPg(db: PgDb): EmailTokensRepository {
  const t = pg.emailTokens;
  return {
    async create(token) {
      const row = newRow(token);
      await db.transaction(async (tx) => {
        await tx.update(t).set({ usedAt: token.now }).where(unusedOfUser(t, token.userId, token.purpose));
        await tx.insert(t).values(row);
      });
      return row;
    },
    async findValid(tokenHash, purpose, now) {
      const [row] = await db.select().from(t).where(validWhere(t, tokenHash, purpose, now));
      return row ?? null;
    },
    async consume(tokenHash, purpose, now) {
      const [row] = await db.update(t).set({ usedAt: now }).where(validWhere(t, tokenHash, purpose, now)).returning({ userId: t.userId });
      return row ?? null;
    },
  };
}
