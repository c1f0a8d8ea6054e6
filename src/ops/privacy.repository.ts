// Reads every row that belongs to a user and erases them, per dialect. Tables are found through the
// database's own foreign keys (store-introspection.ts), so tables that later features add are
// exported and erased without changes here. The audit log's rows are only rewritten — the one place
// besides retention where audit rows change — and the erasure is a single transaction.
import type { Database } from "bun:sqlite";
import { eq, or, sql, type AnyColumn } from "drizzle-orm";
import type { PgStore, SqliteStore, Store } from "../store/db";
import { auditEvents as liteAudit } from "../audit/audit.schema.sqlite";
import { auditEvents as pgAudit } from "../audit/audit.schema.pg";
import type { AuditEventRecord } from "../audit/audit.repository";
import { pgColumns, pgForeignKeys, quoteIdent, sqliteColumns, sqliteForeignKeys, type ForeignKey } from "./store-introspection";
import type { AuditRewrite, PseudonymColumn } from "./privacy.rules";

export type RawRow = Record<string, unknown>;

export type Erasure = {
  userId: string;
  email: string;
  auditRewrites: AuditRewrite[];
  /** written into the pseudonym columns of rows that stay (privacy.rules.ts pseudonymColumns) */
  pseudonym: string;
  pseudonymColumns: PseudonymColumn[];
  /** the user's documents: their pipeline jobs and (SQLite) search-index rows have no foreign key */
  documentIds: string[];
};

export type PrivacyRepository = {
  foreignKeys(): Promise<ForeignKey[]>;
  columns(table: string): Promise<string[]>;
  /** Rows of `table` whose `column` is one of `values`. */
  rowsWhere(table: string, column: string, values: string[]): Promise<RawRow[]>;
  /** Login attempts typed with this address (lower-case), also those that matched no account. */
  loginEventsByEmail(email: string): Promise<RawRow[]>;
  /** Events the user did, was the target of, or that mention the address anywhere. Oldest first. */
  auditEventsAbout(userId: string, email: string): Promise<AuditEventRecord[]>;
  /**
   * In one transaction: the login events of the user or the address, the audit rewrites, the
   * pseudonym into rows that stay, the rows that name the user's documents without a foreign key,
   * then the user row — whose ON DELETE CASCADE keys remove everything the user owns (ON DELETE SET
   * NULL keys unlink what stays). Returns the login events removed.
   */
  erase(e: Erasure): Promise<{ loginEvents: number }>;
};

/** IN lists are sent in slices: SQLite and PostgreSQL limit the number of bound parameters. */
const SLICE = 500;

function slices<T>(values: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += SLICE) out.push(values.slice(i, i + SLICE));
  return out;
}

function toAuditRecord(row: typeof liteAudit.$inferSelect): AuditEventRecord {
  return { ...row, before: row.before ?? null, after: row.after ?? null };
}

export function createPrivacyRepositorySqlite(store: SqliteStore): PrivacyRepository {
  const raw: Database = store.sqlite;
  const db = store.db;
  return {
    async foreignKeys() {
      return sqliteForeignKeys(raw);
    },
    async columns(table) {
      return sqliteColumns(raw, table);
    },
    async rowsWhere(table, column, values) {
      const out: RawRow[] = [];
      for (const part of slices([...new Set(values)])) {
        const q = `SELECT * FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IN (${part.map(() => "?").join(", ")})`;
        out.push(...(raw.query(q).all(...part) as RawRow[]));
      }
      return out;
    },
    async loginEventsByEmail(email) {
      return raw.query("SELECT * FROM login_events WHERE lower(email) = ?").all(email) as RawRow[];
    },
    async auditEventsAbout(userId, email) {
      const t = liteAudit;
      const mentions = (col: AnyColumn) => sql`instr(lower(coalesce(${col}, '')), ${email}) > 0`;
      const rows = db
        .select()
        .from(t)
        .where(or(eq(t.actorId, userId), eq(t.targetId, userId), sql`lower(${t.actorEmail}) = ${email}`, mentions(t.before), mentions(t.after)))
        .orderBy(t.createdAt, t.id)
        .all();
      return rows.map(toAuditRecord);
    },
    async erase(e) {
      // synchronous callback: drizzle's async transactions are not atomic on bun:sqlite
      return db.transaction((tx) => {
        const loginEvents = raw.query("DELETE FROM login_events WHERE user_id = ? OR lower(email) = ?").run(e.userId, e.email).changes;
        for (const r of e.auditRewrites) {
          tx.update(liteAudit).set({ actorEmail: r.actorEmail, before: r.before, after: r.after, ip: r.ip, userAgent: r.userAgent }).where(eq(liteAudit.id, r.id)).run();
        }
        for (const p of e.pseudonymColumns) {
          raw.query(`UPDATE ${quoteIdent(p.table)} SET ${quoteIdent(p.pseudonymColumn)} = ? WHERE ${quoteIdent(p.column)} = ?`).run(e.pseudonym, e.userId);
        }
        for (const part of slices(e.documentIds)) {
          const marks = part.map(() => "?").join(", ");
          // a job a worker holds is only marked: the worker finds the document gone and lets it go
          raw.query(`DELETE FROM jobs WHERE kind = 'document' AND status <> 'leased' AND subject_id IN (${marks})`).run(...part);
          raw.query(`UPDATE jobs SET cancel_requested = 1 WHERE kind = 'document' AND status = 'leased' AND subject_id IN (${marks})`).run(...part);
        }
        // the FTS5 table has no foreign keys to cascade through
        raw.query("DELETE FROM document_search WHERE user_id = ?").run(e.userId);
        raw.query("DELETE FROM users WHERE id = ?").run(e.userId);
        return { loginEvents };
      });
    },
  };
}

export function createPrivacyRepositoryPg(store: PgStore): PrivacyRepository {
  const db = store.db;
  const q = store.sql;
  return {
    async foreignKeys() {
      return pgForeignKeys(q);
    },
    async columns(table) {
      return pgColumns(q, table);
    },
    async rowsWhere(table, column, values) {
      const out: RawRow[] = [];
      for (const part of slices([...new Set(values)])) {
        out.push(...(await q.unsafe<RawRow[]>(`SELECT * FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)}::text = ANY($1::text[])`, [part])));
      }
      return out;
    },
    async loginEventsByEmail(email) {
      return q.unsafe<RawRow[]>("SELECT * FROM login_events WHERE lower(email) = $1", [email]);
    },
    async auditEventsAbout(userId, email) {
      const t = pgAudit;
      const mentions = (col: AnyColumn) => sql`position(${email} in lower(coalesce(${col}::text, ''))) > 0`;
      const rows = await db
        .select()
        .from(t)
        .where(or(eq(t.actorId, userId), eq(t.targetId, userId), sql`lower(${t.actorEmail}) = ${email}`, mentions(t.before), mentions(t.after)))
        .orderBy(t.createdAt, t.id);
      return rows.map(toAuditRecord);
    },
    async erase(e) {
      return db.transaction(async (tx) => {
        const removed = await tx.execute<{ id: string }>(sql`DELETE FROM login_events WHERE user_id = ${e.userId} OR lower(email) = ${e.email} RETURNING id`);
        for (const r of e.auditRewrites) {
          await tx.update(pgAudit).set({ actorEmail: r.actorEmail, before: r.before, after: r.after, ip: r.ip, userAgent: r.userAgent }).where(eq(pgAudit.id, r.id));
        }
        for (const p of e.pseudonymColumns) {
          await tx.execute(sql`UPDATE ${sql.identifier(p.table)} SET ${sql.identifier(p.pseudonymColumn)} = ${e.pseudonym} WHERE ${sql.identifier(p.column)} = ${e.userId}`);
        }
        for (const part of slices(e.documentIds)) {
          const ids = sql.join(part.map((id) => sql`${id}`), sql`, `);
          // a job a worker holds is only marked: the worker finds the document gone and lets it go
          await tx.execute(sql`DELETE FROM jobs WHERE kind = 'document' AND status <> 'leased' AND subject_id IN (${ids})`);
          await tx.execute(sql`UPDATE jobs SET cancel_requested = true WHERE kind = 'document' AND status = 'leased' AND subject_id IN (${ids})`);
        }
        // document_search goes with documents through its cascading key
        await tx.execute(sql`DELETE FROM users WHERE id = ${e.userId}`);
        return { loginEvents: removed.length };
      });
    },
  };
}

export function createPrivacyRepository(store: Store): PrivacyRepository {
  return store.dialect === "sqlite" ? createPrivacyRepositorySqlite(store) : createPrivacyRepositoryPg(store);
}
