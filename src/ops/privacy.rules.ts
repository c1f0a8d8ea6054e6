// Pure rules of the privacy features: which rows belong to a user (following the database's own
// foreign keys), how stored values are shown in an export, which columns never leave the server, and
// how an erased user's e-mail address and name are replaced in the audit log that is kept.
import { createHmac } from "node:crypto";
import type { ForeignKey } from "./store-introspection";

// ---------- which rows belong to a user ----------

/**
 * A table to read in the export walk: rows of `table` whose `column` is one of the values taken
 * from the parent rows. `owned` rows go when the user is erased (reached only through ON DELETE
 * CASCADE keys from users); the others only refer to the user and stay, unlinked (ON DELETE SET NULL).
 */
export type ReferenceStep = { table: string; column: string; parentColumn: string; owned: boolean };

/**
 * The foreign keys that point at rows of `table`. Rows of a child are the user's data; the walk goes
 * on from a child only when it is owned (cascade), so a tool version the user created (created_by,
 * SET NULL) is exported, but the runs other people made of that version are not.
 */
export function referencingSteps(foreignKeys: ForeignKey[], table: string, parentOwned: boolean): ReferenceStep[] {
  return foreignKeys
    .filter((fk) => fk.refTable === table && !DERIVED_TABLES.has(fk.table))
    .map((fk) => ({ table: fk.table, column: fk.column, parentColumn: fk.refColumn, owned: parentOwned && fk.onDelete === "cascade" }))
    .sort((a, b) => (a.table === b.table ? (a.column < b.column ? -1 : 1) : a.table < b.table ? -1 : 1));
}

/**
 * Tables rebuilt from other rows that the export leaves out: the documents' full-text index holds
 * the name, summary and page text that documents and document_pages already hold. They go with
 * their rows on erasure (PostgreSQL: a cascading key; SQLite's FTS table has none, so the erasure
 * deletes its rows itself).
 */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(["document_search"]);

/**
 * Where an erased user's pseudonym is written: a column `<column>_pseudonym` beside a key to
 * users(id) that is ON DELETE SET NULL (tool_suggestions.suggested_by → suggested_by_pseudonym),
 * so a kept row still shows that the same (erased) person was behind it, like the audit log does.
 */
export type PseudonymColumn = { table: string; column: string; pseudonymColumn: string };

export function pseudonymColumns(foreignKeys: ForeignKey[], columnsOf: (table: string) => readonly string[]): PseudonymColumn[] {
  return foreignKeys
    .filter((fk) => fk.refTable === "users" && fk.refColumn === "id" && fk.onDelete === "set null" && columnsOf(fk.table).includes(`${fk.column}_pseudonym`))
    .map((fk) => ({ table: fk.table, column: fk.column, pseudonymColumn: `${fk.column}_pseudonym` }))
    .sort((a, b) => (a.table === b.table ? (a.column < b.column ? -1 : 1) : a.table < b.table ? -1 : 1));
}

// ---------- values in an export ----------

/**
 * Columns whose values never leave the server, not even to the data subject: hashes of passwords,
 * tokens, API keys and device codes, and the salts that derive webhook secrets.
 */
export function isSecretColumn(name: string): boolean {
  return /password|token|csrf|secret|salt|code_hash/i.test(name);
}

export const REDACTED = "[redacted]";

const TIME_COLUMN = /(_at|_until)$/;
const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:\d\d)?)?$/;

/**
 * A stored row as readable JSON, the same for both databases: times as ISO strings (SQLite keeps
 * milliseconds in integer columns named *_at / *_until), JSON text as JSON, binary as base64,
 * secrets redacted.
 */
export function exportRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (isSecretColumn(key)) out[key] = value === null ? null : REDACTED;
    else out[key] = exportValue(key, value);
  }
  return out;
}

function exportValue(key: string, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" && TIME_COLUMN.test(key) && Number.isInteger(value)) return new Date(value).toISOString();
  // PostgreSQL timestamps arrive as text ("2026-03-02 08:00:00+00"): drizzle's driver parses them itself
  if (typeof value === "string" && TIME_COLUMN.test(key) && PG_TIMESTAMP.test(value)) return new Date(value).toISOString();
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString("base64") };
  if (typeof value === "string" && /^[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

// ---------- pseudonyms ----------

/**
 * The stable pseudonym of an erased user: the same in every event, so an investigation can still
 * tell that events belong to one person, and keyed with the server secret, so nobody can test a
 * guessed e-mail address or id against it.
 */
export function pseudonymFor(secret: string, userId: string): string {
  return `erased-user-${createHmac("sha256", secret).update(`erased-user:${userId}`).digest("hex").slice(0, 12)}`;
}

export type Identifiers = { email: string; names: string[] };

/** The e-mail address and the name parts worth replacing (a one-letter name would hit too much). */
export function identifiersOf(user: { email: string; firstName: string; lastName: string }): Identifiers {
  const first = user.firstName.trim();
  const last = user.lastName.trim();
  const names = [first, last, `${first} ${last}`.trim()].filter((n) => n.length >= 2);
  return { email: user.email.toLowerCase(), names: [...new Set(names)] };
}

/**
 * Replaces the e-mail address wherever it occurs inside a string (any case), and the user's name
 * (or first or last name) where it is the whole value of a name field (a key containing "name").
 * Names are matched only there: "Anna" must not be cut out of "Annas skola", and a user whose first
 * name happens to be "user" must not turn the role "user" into a pseudonym. `withNames` is false for
 * events the user was neither actor nor target of.
 */
export function pseudonymiseValue(value: unknown, ids: Identifiers, pseudonym: string, withNames: boolean, key = ""): unknown {
  if (typeof value === "string") {
    const lowered = value.trim().toLowerCase();
    if (withNames && /name/i.test(key) && ids.names.some((n) => n.toLowerCase() === lowered)) return pseudonym;
    return ids.email ? replaceAllCaseless(value, ids.email, pseudonym) : value;
  }
  if (Array.isArray(value)) return value.map((v) => pseudonymiseValue(v, ids, pseudonym, withNames, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pseudonymiseValue(v, ids, pseudonym, withNames, k)]));
  }
  return value;
}

function replaceAllCaseless(text: string, needle: string, replacement: string): string {
  const lower = text.toLowerCase();
  let at = lower.indexOf(needle);
  if (at < 0) return text;
  let out = "";
  let from = 0;
  while (at >= 0) {
    out += text.slice(from, at) + replacement;
    from = at + needle.length;
    at = lower.indexOf(needle, from);
  }
  return out + text.slice(from);
}

export type AuditEventView = { id: string; actorId: string | null; actorEmail: string | null; targetType: string | null; targetId: string | null; before: unknown; after: unknown; ip: string | null; userAgent: string | null };
export type AuditRewrite = { id: string; actorEmail: string | null; before: unknown; after: unknown; ip: string | null; userAgent: string | null };

/**
 * How one kept audit event reads after the user's erasure, or null when it does not change. Events
 * whose request came from the person — their own actions, and anonymous ones about their account
 * (failed logins, registration) — also lose the IP address and browser: with the e-mail address
 * gone, those are what would still point at the person. An admin's action on the account keeps the
 * admin's.
 */
export function rewriteAuditEvent(e: AuditEventView, userId: string, ids: Identifiers, pseudonym: string): AuditRewrite | null {
  const byUser = e.actorId === userId;
  const aboutUser = byUser || (e.targetType === "user" && e.targetId === userId);
  const fromUser = byUser || (aboutUser && e.actorId === null);
  const actorEmail = byUser || (e.actorEmail !== null && e.actorEmail.toLowerCase() === ids.email) ? pseudonym : e.actorEmail;
  const before = pseudonymiseValue(e.before, ids, pseudonym, aboutUser);
  const after = pseudonymiseValue(e.after, ids, pseudonym, aboutUser);
  const ip = fromUser ? null : e.ip;
  const userAgent = fromUser ? null : e.userAgent;
  const same = actorEmail === e.actorEmail && JSON.stringify(before) === JSON.stringify(e.before) && JSON.stringify(after) === JSON.stringify(e.after) && ip === e.ip && userAgent === e.userAgent;
  return same ? null : { id: e.id, actorEmail, before, after, ip, userAgent };
}
