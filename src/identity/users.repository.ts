// Users with their profile (one row each in `users` and `profiles`), for SQLite and PostgreSQL.
// The two factories run the same queries; identity.repository.test.ts runs one suite on both.
import { and, asc, count, eq, getTableColumns, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { PgDb, SqliteDb } from "../store/db";
import type { Locale } from "../http/errors";
import type { Role } from "./roles.rules";
import { normalizeEmail } from "./identity.rules";
import * as lite from "./identity.schema.sqlite";
import * as pg from "./identity.schema.pg";

export type UserRecord = {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  active: boolean;
  emailVerified: boolean;
  failedLoginCount: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  firstName: string;
  lastName: string;
  locale: Locale | null;
};

export type NewUser = {
  email: string;
  passwordHash: string;
  role: Role;
  active: boolean;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  locale: Locale | null;
  now: Date;
};

export type UserListFilter = { q?: string; role?: Role; limit: number; offset: number };
export type AccountPatch = { role?: Role; active?: boolean; emailVerified?: boolean };
export type ProfilePatch = { firstName?: string; lastName?: string; locale?: Locale | null };

export type UsersRepository = {
  /** null when the (normalized) e-mail address is taken — also under a race with another insert. */
  create(user: NewUser): Promise<UserRecord | null>;
  getById(id: string): Promise<UserRecord | null>;
  /** Case-insensitive: the address is normalized before the lookup. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Sorted by e-mail; `q` matches e-mail, first, last and full name, case-insensitively. */
  list(filter: UserListFilter): Promise<{ items: UserRecord[]; total: number }>;
  updateAccount(id: string, patch: AccountPatch, now: Date): Promise<UserRecord | null>;
  /** Also clears failed-login count and lock: a new password is a fresh start. */
  setPassword(id: string, passwordHash: string, now: Date): Promise<void>;
  /** Atomically adds one failed login and returns the new consecutive count. */
  incrementFailedLogins(id: string, now: Date): Promise<number>;
  /** Locks until `until` and restarts the count, so the next lock needs a full series again. */
  lockUntil(id: string, until: Date, now: Date): Promise<void>;
  /** Clears count and lock and stamps last_login_at. */
  recordSuccessfulLogin(id: string, now: Date): Promise<void>;
  updateProfile(id: string, patch: ProfilePatch, now: Date): Promise<UserRecord | null>;
};

type UserRow = typeof lite.users.$inferSelect;
type ProfileCols = { firstName: string | null; lastName: string | null; locale: Locale | null };

function toRecord(row: UserRow & ProfileCols): UserRecord {
  return { ...row, firstName: row.firstName ?? "", lastName: row.lastName ?? "", locale: row.locale ?? null };
}

/** `%q%` for LIKE with the wildcards in the user's text escaped (searching "50%" finds "50%"). */
function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type SearchColumns = { email: AnyColumn; firstName: AnyColumn; lastName: AnyColumn; role: AnyColumn };

/** Same SQL in both dialects: lower() + LIKE with an explicit escape character. */
function listCondition(filter: UserListFilter, c: SearchColumns): SQL | undefined {
  const parts: SQL[] = [];
  const q = filter.q?.trim();
  if (q) {
    const p = likePattern(q);
    const like = (e: SQL | AnyColumn) => sql`lower(${e}) LIKE ${p} ESCAPE '\\'`;
    const matches = [like(c.email), like(c.firstName), like(c.lastName), like(sql`${c.firstName} || ' ' || ${c.lastName}`)];
    parts.push(or(...matches) as SQL);
  }
  if (filter.role) parts.push(eq(c.role, filter.role));
  return parts.length ? and(...parts) : undefined;
}

function accountSet(patch: AccountPatch, now: Date) {
  const set: AccountPatch & { updatedAt: Date } = { updatedAt: now };
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.emailVerified !== undefined) set.emailVerified = patch.emailVerified;
  return set;
}

function profileSet(patch: ProfilePatch, now: Date) {
  const set: ProfilePatch & { updatedAt: Date } = { updatedAt: now };
  if (patch.firstName !== undefined) set.firstName = patch.firstName;
  if (patch.lastName !== undefined) set.lastName = patch.lastName;
  if (patch.locale !== undefined) set.locale = patch.locale;
  return set;
}

function userRow(u: NewUser, id: string) {
  const { firstName: _f, lastName: _l, locale: _loc, now, ...rest } = u;
  return { ...rest, id, email: normalizeEmail(u.email), createdAt: now, updatedAt: now };
}

function profileRow(u: NewUser, id: string) {
  return { userId: id, firstName: u.firstName, lastName: u.lastName, locale: u.locale, updatedAt: u.now };
}

export function createUsersRepositorySqlite(db: SqliteDb): UsersRepository {
  const { users, profiles } = lite;
  const cols = { ...getTableColumns(users), firstName: profiles.firstName, lastName: profiles.lastName, locale: profiles.locale };
  const select = () => db.select(cols).from(users).leftJoin(profiles, eq(profiles.userId, users.id));
  // Prepared once: /auth/me and every session's user check read a user by id, and building the
  // drizzle query and preparing its statement each time cost several times the lookup itself.
  const byId = select().where(eq(users.id, sql.placeholder("id"))).prepare();
  const getById = async (id: string) => {
    const row = byId.get({ id });
    return row ? toRecord(row) : null;
  };
  return {
    async create(u) {
      const id = Bun.randomUUIDv7();
      // Synchronous callback: drizzle's async transactions are not atomic on bun:sqlite.
      const inserted = db.transaction((tx) => {
        const row = tx.insert(users).values(userRow(u, id)).onConflictDoNothing({ target: users.email }).returning({ id: users.id }).get();
        if (!row) return false;
        tx.insert(profiles).values(profileRow(u, id)).run();
        return true;
      });
      return inserted ? getById(id) : null;
    },
    getById,
    async findByEmail(email) {
      const row = select().where(eq(users.email, normalizeEmail(email))).get();
      return row ? toRecord(row) : null;
    },
    async list(filter) {
      const where = listCondition(filter, { ...cols, role: users.role });
      const rows = select().where(where).orderBy(asc(users.email)).limit(filter.limit).offset(filter.offset).all();
      const total = db.select({ n: count() }).from(users).leftJoin(profiles, eq(profiles.userId, users.id)).where(where).get();
      return { items: rows.map(toRecord), total: total?.n ?? 0 };
    },
    async updateAccount(id, patch, now) {
      db.update(users).set(accountSet(patch, now)).where(eq(users.id, id)).run();
      return getById(id);
    },
    async setPassword(id, passwordHash, now) {
      db.update(users).set({ passwordHash, failedLoginCount: 0, lockedUntil: null, updatedAt: now }).where(eq(users.id, id)).run();
    },
    async incrementFailedLogins(id, now) {
      const row = db
        .update(users)
        .set({ failedLoginCount: sql`${users.failedLoginCount} + 1`, updatedAt: now })
        .where(eq(users.id, id))
        .returning({ n: users.failedLoginCount })
        .get();
      return row?.n ?? 0;
    },
    async lockUntil(id, until, now) {
      db.update(users).set({ lockedUntil: until, failedLoginCount: 0, updatedAt: now }).where(eq(users.id, id)).run();
    },
    async recordSuccessfulLogin(id, now) {
      db.update(users).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, id)).run();
    },
    async updateProfile(id, patch, now) {
      db.update(profiles).set(profileSet(patch, now)).where(eq(profiles.userId, id)).run();
      return getById(id);
    },
  };
}

export function createUsersRepositoryPg(db: PgDb): UsersRepository {
  const { users, profiles } = pg;
  const cols = { ...getTableColumns(users), firstName: profiles.firstName, lastName: profiles.lastName, locale: profiles.locale };
  const select = () => db.select(cols).from(users).leftJoin(profiles, eq(profiles.userId, users.id));
  const getById = async (id: string) => {
    const [row] = await select().where(eq(users.id, id));
    return row ? toRecord(row) : null;
  };
  return {
    async create(u) {
      const id = Bun.randomUUIDv7();
      const inserted = await db.transaction(async (tx) => {
        const [row] = await tx.insert(users).values(userRow(u, id)).onConflictDoNothing({ target: users.email }).returning({ id: users.id });
        if (!row) return false;
        await tx.insert(profiles).values(profileRow(u, id));
        return true;
      });
      return inserted ? getById(id) : null;
    },
    getById,
    async findByEmail(email) {
      const [row] = await select().where(eq(users.email, normalizeEmail(email)));
      return row ? toRecord(row) : null;
    },
    async list(filter) {
      const where = listCondition(filter, { ...cols, role: users.role });
      const rows = await select().where(where).orderBy(asc(users.email)).limit(filter.limit).offset(filter.offset);
      const [total] = await db.select({ n: count() }).from(users).leftJoin(profiles, eq(profiles.userId, users.id)).where(where);
      return { items: rows.map(toRecord), total: total?.n ?? 0 };
    },
    async updateAccount(id, patch, now) {
      await db.update(users).set(accountSet(patch, now)).where(eq(users.id, id));
      return getById(id);
    },
    async setPassword(id, passwordHash, now) {
      await db.update(users).set({ passwordHash, failedLoginCount: 0, lockedUntil: null, updatedAt: now }).where(eq(users.id, id));
    },
    async incrementFailedLogins(id, now) {
      const [row] = await db
        .update(users)
        .set({ failedLoginCount: sql`${users.failedLoginCount} + 1`, updatedAt: now })
        .where(eq(users.id, id))
        .returning({ n: users.failedLoginCount });
      return row?.n ?? 0;
    },
    async lockUntil(id, until, now) {
      await db.update(users).set({ lockedUntil: until, failedLoginCount: 0, updatedAt: now }).where(eq(users.id, id));
    },
    async recordSuccessfulLogin(id, now) {
      await db.update(users).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, id));
    },
    async updateProfile(id, patch, now) {
      await db.update(profiles).set(profileSet(patch, now)).where(eq(profiles.userId, id));
      return getById(id);
    },
  };
}
