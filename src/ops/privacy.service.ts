// A user's rights over their data (GDPR articles 15, 17 and 20), for superusers and the CLI:
// export everything stored about a user (every row that references them, found through the
// database's foreign keys, plus their files) as one archive, and erase it. Erasure removes the user
// row and, through ON DELETE CASCADE, everything they own (sessions, profile, runs with their files,
// documents with their files, API keys, assistant conversations, memberships…), deletes their login
// events, and keeps the audit log — and rows with a pseudonym column, like their tool suggestions —
// with a stable pseudonym instead of the e-mail address and name. Both are audited.
import type { Writable } from "node:stream";
import type { Config } from "../config/config.keys";
import type { Logger } from "../log/logger";
import type { Store } from "../store/db";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import { HttpErrors } from "../http/errors";
import { createAuditRepository, type AuditEventRecord, type AuditRepository } from "../audit/audit.repository";
import { recordAudit, type RequestMeta } from "../audit/audit.service";
import type { AuditActor, TableRowCount } from "../audit/audit.actions";
import { createUsersRepositoryPg, createUsersRepositorySqlite, type UserRecord, type UsersRepository } from "../identity/users.repository";
import { createArchiveWriter, type ArchiveWriter } from "./archive";
import { createPrivacyRepository, type PrivacyRepository, type RawRow } from "./privacy.repository";
import { PrivacyErrors } from "./privacy.errors";
import { exportRow, identifiersOf, pseudonymColumns, pseudonymFor, referencingSteps, rewriteAuditEvent, type PseudonymColumn } from "./privacy.rules";
import { STORAGE_KEY_COLUMN } from "./db-snapshot";
import pkg from "../../package.json";

export type PrivacyDeps = {
  repo: PrivacyRepository;
  users: UsersRepository;
  audit: AuditRepository;
  blobStore: BlobStore;
  /** keys the pseudonyms ([server] secret) */
  secret: string;
  log: Logger;
  now: () => Date;
  version: string;
};

export function createPrivacyDeps(opts: { store: Store; config: Pick<Config, "server" | "storage">; log: Logger; blobStore?: BlobStore; now?: () => Date }): PrivacyDeps {
  return {
    repo: createPrivacyRepository(opts.store),
    users: opts.store.dialect === "sqlite" ? createUsersRepositorySqlite(opts.store.db) : createUsersRepositoryPg(opts.store.db),
    audit: createAuditRepository(opts.store),
    blobStore: opts.blobStore ?? createFsBlobStore(opts.config.storage.data_dir),
    secret: opts.config.server.secret,
    log: opts.log,
    now: opts.now ?? (() => new Date()),
    version: pkg.version,
  };
}

export type UserData = {
  user: UserRecord;
  /** rows per table (raw, as stored), audit_events included */
  tables: Map<string, RawRow[]>;
  /** tables whose rows go when the user row is deleted (reached through cascading keys only) */
  owned: Set<string>;
  audit: AuditEventRecord[];
  /** blob keys referenced by the rows, with the table they came from */
  files: { table: string; key: string }[];
};

/** How far the walk follows keys from users (users → runs → run_files is 2). */
const MAX_DEPTH = 6;

export async function collectUserData(deps: PrivacyDeps, userId: string): Promise<UserData> {
  const user = await deps.users.getById(userId);
  if (!user) throw HttpErrors.notFound();
  const fks = await deps.repo.foreignKeys();
  const tables = new Map<string, Map<string, RawRow>>();
  const add = (table: string, rows: RawRow[]): RawRow[] => {
    const seen = tables.get(table) ?? new Map<string, RawRow>();
    tables.set(table, seen);
    const fresh = rows.filter((r) => !seen.has(rowKey(r)));
    for (const r of fresh) seen.set(rowKey(r), r);
    return fresh;
  };
  const owned = new Set(["users"]);
  let frontier = [{ table: "users", rows: add("users", await deps.repo.rowsWhere("users", "id", [userId])), owned: true }];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const parent of frontier) {
      for (const step of referencingSteps(fks, parent.table, parent.owned)) {
        const values = parent.rows.map((r) => r[step.parentColumn]).filter((v): v is string => typeof v === "string");
        if (!values.length) continue;
        const fresh = add(step.table, await deps.repo.rowsWhere(step.table, step.column, values));
        if (step.owned) owned.add(step.table);
        if (step.owned && fresh.length) next.push({ table: step.table, rows: fresh, owned: true });
      }
    }
    frontier = next;
  }
  const email = user.email.toLowerCase();
  // attempts typed with the address, also before the account existed or with a wrong password
  add("login_events", await deps.repo.loginEventsByEmail(email));
  const audit = await deps.repo.auditEventsAbout(userId, email);
  add("audit_events", audit.map(auditRow));
  const files: UserData["files"] = [];
  for (const [table, rows] of tables) {
    if (!(await deps.repo.columns(table)).includes(STORAGE_KEY_COLUMN)) continue;
    for (const r of rows.values()) if (typeof r[STORAGE_KEY_COLUMN] === "string") files.push({ table, key: r[STORAGE_KEY_COLUMN] });
  }
  return { user, tables: new Map([...tables].map(([t, rows]) => [t, [...rows.values()]])), owned, audit, files };
}

function rowKey(row: RawRow): string {
  return typeof row.id === "string" ? row.id : JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function auditRow(e: AuditEventRecord): RawRow {
  return {
    id: e.id,
    actor_id: e.actorId,
    actor_email: e.actorEmail,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    before: e.before,
    after: e.after,
    ip: e.ip,
    user_agent: e.userAgent,
    request_id: e.requestId,
    created_at: e.createdAt,
  };
}

const countRows = (data: UserData, which: (table: string) => boolean): TableRowCount[] =>
  [...data.tables]
    .filter(([t, rows]) => which(t) && rows.length)
    .map(([table, rows]) => ({ table, rows: rows.length }))
    .sort((a, b) => (a.table < b.table ? -1 : 1));

// ---------- export ----------

export const EXPORT_FORMAT = "skriptoteket-user-export";

const README = `Skriptoteket — export av personuppgifter / export of personal data

SV: export.json innehåller alla rader som databasen lagrar om kontot, tabell för tabell
(lösenord och säkerhetsnycklar visas som "[redacted]"), och mappen files/ innehåller
användarens filer: uppladdade indata, skapade resultatfiler och uppladdade dokument
(originalen), med samma nyckel som i kolumnen storage_key. Tider är i UTC.

EN: export.json holds every row the database stores about the account, table by table
(password, token and key hashes show as "[redacted]"), and the folder files/ holds the
user's files: uploaded inputs, generated outputs and uploaded documents (the originals),
under the key in the storage_key column. Times are in UTC.
`;

export type ExportSummary = { tables: TableRowCount[]; files: number; bytes: number; missingFiles: string[] };

/**
 * Writes the export archive (gzip tar: README.txt, export.json, files/<key>) to `out`. Audited
 * before the first byte, as the data is then on its way.
 */
export async function exportUser(deps: PrivacyDeps, input: { actor: AuditActor; userId: string; out: Writable; meta?: RequestMeta }): Promise<ExportSummary> {
  const data = await collectUserData(deps, input.userId);
  const tables = countRows(data, () => true);
  const present = await Promise.all(data.files.map(async (f) => ({ ...f, blob: await deps.blobStore.get(f.key) })));
  const missingFiles = present.filter((f) => !f.blob).map((f) => f.key);
  const bytes = present.reduce((n, f) => n + (f.blob?.size ?? 0), 0);
  await recordAudit(deps, {
    ...input.meta,
    actor: input.actor,
    action: "user.exported",
    target: { type: "user", id: data.user.id },
    before: null,
    after: { tables, files: present.length - missingFiles.length, bytes },
  });
  const writer = createArchiveWriter(input.out, { gzip: true });
  try {
    await writer.addBytes("README.txt", new TextEncoder().encode(README));
    const listed: { path: string; table: string; storage_key: string; bytes: number; sha256: string }[] = [];
    const body = await writeFiles(writer, present, listed);
    const doc = {
      format: EXPORT_FORMAT,
      format_version: 1,
      version: deps.version,
      generated_at: deps.now().toISOString(),
      user: { id: data.user.id, email: data.user.email },
      tables: Object.fromEntries([...data.tables].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, rows]) => [t, rows.map(exportRow)])),
      files: listed,
      missing_files: missingFiles,
    };
    await writer.addBytes("export.json", new TextEncoder().encode(JSON.stringify(doc, null, 2) + "\n"));
    await writer.close();
    deps.log.info("user data exported", { user_id: data.user.id, tables: tables.length, files: body.files, bytes: body.bytes });
    return { tables, files: body.files, bytes: body.bytes, missingFiles };
  } catch (e) {
    await writer.abort(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}

async function writeFiles(writer: ArchiveWriter, present: { table: string; key: string; blob: Blob | null }[], listed: { path: string; table: string; storage_key: string; bytes: number; sha256: string }[]) {
  let bytes = 0;
  for (const f of present) {
    if (!f.blob) continue;
    const path = `files/${f.key}`;
    const digest = await writer.addBlob(path, f.blob);
    listed.push({ path, table: f.table, storage_key: f.key, ...digest });
    bytes += digest.bytes;
  }
  return { files: listed.length, bytes };
}

// ---------- erasure ----------

export type ErasurePlan = {
  user: UserRecord;
  pseudonym: string;
  /** rows deleted: the user's own (cascade) and their login events */
  removed: TableRowCount[];
  /** rows kept that only referred to the user (their reference is cleared) */
  unlinked: TableRowCount[];
  /** of those, rows that show the pseudonym instead (privacy.rules.ts pseudonymColumns) */
  pseudonymised: TableRowCount[];
  files: number;
  bytes: number;
  auditEvents: number;
};

export type ErasureReport = ErasurePlan & { errors: string[] };

/** The pseudonym columns the database has (found like the tables: through its foreign keys). */
async function pseudonymTargets(deps: PrivacyDeps): Promise<PseudonymColumn[]> {
  const fks = await deps.repo.foreignKeys();
  const columns = new Map<string, string[]>();
  for (const table of new Set(fks.filter((fk) => fk.refTable === "users").map((fk) => fk.table))) columns.set(table, await deps.repo.columns(table));
  return pseudonymColumns(fks, (table) => columns.get(table) ?? []);
}

async function plan(deps: PrivacyDeps, userId: string): Promise<{ plan: ErasurePlan; data: UserData; targets: PseudonymColumn[] }> {
  const data = await collectUserData(deps, userId);
  const targets = await pseudonymTargets(deps);
  const pseudonymised = targets
    .map((p) => ({ table: p.table, rows: (data.tables.get(p.table) ?? []).filter((r) => r[p.column] === userId).length }))
    .filter((c) => c.rows > 0);
  const removedTables = (t: string) => data.owned.has(t) || t === "login_events";
  const ownedFiles = data.files.filter((f) => data.owned.has(f.table));
  const sizes = await Promise.all(ownedFiles.map(async (f) => (await deps.blobStore.get(f.key))?.size ?? 0));
  return {
    data,
    targets,
    plan: {
      user: data.user,
      pseudonym: pseudonymFor(deps.secret, userId),
      removed: countRows(data, removedTables),
      unlinked: countRows(data, (t) => !removedTables(t) && t !== "audit_events"),
      pseudonymised,
      files: ownedFiles.length,
      bytes: sizes.reduce((a, b) => a + b, 0),
      auditEvents: data.audit.length,
    },
  };
}

/** What erasing would remove, without changing anything (the CLI shows it before --yes). */
export async function planErasure(deps: PrivacyDeps, userId: string): Promise<ErasurePlan> {
  return (await plan(deps, userId)).plan;
}

export async function eraseUser(deps: PrivacyDeps, input: { actor: AuditActor; userId: string; meta?: RequestMeta }): Promise<ErasureReport> {
  const user = await deps.users.getById(input.userId);
  if (!user) throw HttpErrors.notFound();
  if (input.actor.kind === "user" && input.actor.id === user.id) throw PrivacyErrors.selfErase();
  if (user.role === "superuser" && user.active) {
    const superusers = await deps.users.list({ role: "superuser", limit: 1000, offset: 0 });
    if (superusers.items.filter((u) => u.active).length <= 1) throw PrivacyErrors.lastSuperuser();
  }
  const { plan: p, data, targets } = await plan(deps, user.id);
  const ids = identifiersOf(user);
  const auditRewrites = data.audit.map((e) => rewriteAuditEvent(e, user.id, ids, p.pseudonym)).filter((r) => r !== null);
  const documentIds = data.owned.has("documents") ? (data.tables.get("documents") ?? []).map((d) => d.id).filter((id): id is string => typeof id === "string") : [];
  const { loginEvents } = await deps.repo.erase({
    userId: user.id,
    email: ids.email,
    auditRewrites,
    pseudonym: p.pseudonym,
    pseudonymColumns: targets,
    documentIds,
  });
  // files after the rows have committed: a failure leaves an unreachable file, never a dangling row
  const errors: string[] = [];
  for (const f of data.files.filter((x) => data.owned.has(x.table))) {
    await deps.blobStore.delete(f.key).catch((e: unknown) => errors.push(`${f.key}: ${e instanceof Error ? e.message : String(e)}`));
  }
  // each run's files live under runs/<id>/, the documents under documents/<user id>/: remove the emptied folders too
  const folders = (data.owned.has("runs") ? (data.tables.get("runs") ?? []) : []).flatMap((run) => (typeof run.id === "string" ? [`runs/${run.id}`] : []));
  if (documentIds.length) folders.push(`documents/${user.id}`);
  for (const folder of folders) await deps.blobStore.deletePrefix(folder).catch((e: unknown) => errors.push(`${folder}: ${e instanceof Error ? e.message : String(e)}`));
  const removed = p.removed.map((r) => (r.table === "login_events" ? { ...r, rows: loginEvents } : r));
  await recordAudit(deps, {
    ...input.meta,
    actor: input.actor,
    action: "user.erased",
    target: { type: "user", id: user.id },
    before: null,
    after: { pseudonym: p.pseudonym, tables: removed, files: p.files, bytes: p.bytes, audit_events_pseudonymised: auditRewrites.length },
  });
  if (errors.length) deps.log.warn("erased user's files could not all be removed", { user_id: user.id, errors: errors.slice(0, 10) });
  deps.log.info("user erased", { user_id: user.id, pseudonym: p.pseudonym, files: p.files, audit_events_pseudonymised: auditRewrites.length });
  return { ...p, removed, auditEvents: auditRewrites.length, errors };
}
