// Tools and their immutable versions (and the editor's sandbox snapshots), for SQLite and PostgreSQL. The two factories run the same
// queries; tools.repository.test.ts runs one suite on both. There is deliberately no way to change a
// version's content: a version is superseded by a new one, only its state moves (tools.rules.ts).
import { and, asc, desc, eq, gt, lte, max, min } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import type { StateChange, VersionState } from "./tools.rules";
import * as lite from "./tools.schema.sqlite";
import * as pg from "./tools.schema.pg";

export type ToolRecord = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  isPublished: boolean;
  activeVersionId: string | null;
  professions: string[];
  categories: string[];
  createdAt: Date;
  updatedAt: Date;
};

export type ToolVersionRecord = {
  id: string;
  toolId: string;
  number: number;
  state: VersionState;
  source: string;
  entrypoint: string;
  inputSchema: unknown[];
  settingsSchema: unknown[] | null;
  usageInstructions: string;
  contentHash: string;
  parentVersionId: string | null;
  createdBy: string | null;
  note: string | null;
  createdAt: Date;
};

export type NewTool = { slug: string; title: string; summary: string; professions: string[]; categories: string[]; now: Date };
export type ToolPatch = Partial<Pick<ToolRecord, "slug" | "title" | "summary" | "professions" | "categories">>;
export type UpdateToolResult = { ok: true; tool: ToolRecord } | { ok: false; reason: "not_found" | "slug_taken" };

/** The number is not given: the repository assigns the tool's next one atomically. */
export type NewToolVersion = Omit<ToolVersionRecord, "id" | "number" | "createdAt"> & { now: Date };

export type StateChangeSet = {
  toolId: string;
  /** Each applies only if the version is still in `from`; otherwise nothing at all is applied. */
  changes: StateChange[];
  /** Also set on the tool in the same transaction (undefined = leave as is). */
  activeVersionId?: string | null;
  isPublished?: boolean;
  now: Date;
};

export type ToolsRepository = {
  /** null when the slug is taken — also under a race with another insert. */
  create(tool: NewTool): Promise<ToolRecord | null>;
  getById(id: string): Promise<ToolRecord | null>;
  getBySlug(slug: string): Promise<ToolRecord | null>;
  /** Sorted by slug. */
  list(filter?: { publishedOnly?: boolean }): Promise<ToolRecord[]>;
  /** Only the given fields change; a taken slug changes nothing. Callers check tools.rules first. */
  update(id: string, patch: ToolPatch, now: Date): Promise<UpdateToolResult>;
  /** Inserts with number = the tool's highest + 1, decided inside one transaction. */
  createVersion(version: NewToolVersion): Promise<ToolVersionRecord>;
  getVersion(id: string): Promise<ToolVersionRecord | null>;
  /** Oldest (number 1) first. */
  listVersions(toolId: string): Promise<ToolVersionRecord[]>;
  /** The newest version of the tool with this content hash, or null. */
  findVersionByContentHash(toolId: string, contentHash: string): Promise<ToolVersionRecord | null>;
  /**
   * Moves version states and sets the tool's active version and published flag in one transaction.
   * false when some version was no longer in its expected state (a concurrent change won): then
   * nothing was applied, and the caller re-reads and plans again.
   */
  applyStateChanges(set: StateChangeSet): Promise<boolean>;
  /** id, number and state of every version of every tool (no content), for lists of tools. */
  listVersionStates(): Promise<VersionStateRow[]>;
  /**
   * Saves a new version only if the tool's newest version is still `expectedHeadId` (null: the tool
   * has no versions yet), decided in the same transaction as the insert: two editors saving on the
   * same head cannot both win.
   */
  createVersionOnHead(version: NewToolVersion, expectedHeadId: string | null): Promise<CreateOnHeadResult>;
  /**
   * A sandbox snapshot of an editor buffer (number ≤ 0, never listed as a version): the existing one
   * with the same content hash, or a new one. The queue runs it like any version.
   */
  saveSandboxSnapshot(snapshot: NewSandboxSnapshot): Promise<ToolVersionRecord>;
  /** A sandbox snapshot of this tool, or null (also for real versions). */
  getSandboxSnapshot(toolId: string, id: string): Promise<ToolVersionRecord | null>;
};

export type VersionStateRow = { toolId: string; id: string; number: number; state: VersionState };
export type CreateOnHeadResult = { ok: true; version: ToolVersionRecord } | { ok: false; head: { id: string; number: number } | null };
export type NewSandboxSnapshot = Omit<NewToolVersion, "state" | "parentVersionId" | "note">;

/** Thrown inside a transaction to roll it back when an optimistic state check fails. */
class StaleStateError extends Error {}

/** Unique-constraint violations as bun:sqlite and postgres.js report them (drizzle may wrap them in `cause`). */
function isUniqueViolation(e: unknown): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    const code = (err as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return true;
  }
  return false;
}

function patchSet(patch: ToolPatch, now: Date): ToolPatch & { updatedAt: Date } {
  const set: ToolPatch & { updatedAt: Date } = { updatedAt: now };
  if (patch.slug !== undefined) set.slug = patch.slug;
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.summary !== undefined) set.summary = patch.summary;
  if (patch.professions !== undefined) set.professions = patch.professions;
  if (patch.categories !== undefined) set.categories = patch.categories;
  return set;
}

function toolSet(s: StateChangeSet): { updatedAt: Date; activeVersionId?: string | null; isPublished?: boolean } {
  const set: { updatedAt: Date; activeVersionId?: string | null; isPublished?: boolean } = { updatedAt: s.now };
  if (s.activeVersionId !== undefined) set.activeVersionId = s.activeVersionId;
  if (s.isPublished !== undefined) set.isPublished = s.isPublished;
  return set;
}

function toolRow(t: NewTool) {
  const { now, ...rest } = t;
  return { ...rest, id: Bun.randomUUIDv7(), isPublished: false, activeVersionId: null, createdAt: now, updatedAt: now };
}

function versionRow(v: NewToolVersion, number: number) {
  const { now, ...rest } = v;
  return { ...rest, id: Bun.randomUUIDv7(), number, createdAt: now };
}

function toVersion(row: typeof lite.toolVersions.$inferSelect): ToolVersionRecord {
  return { ...row, settingsSchema: row.settingsSchema ?? null };
}

/**
 * Sandbox snapshots (the editor's unsaved buffers stored so the queue can run them) are rows of
 * tool_versions numbered 0, -1, -2 … per tool: the queue runs them like any version, the number
 * index keeps them unique, and every version query looks at numbers ≥ 1 only.
 */
export function isSandboxSnapshot(v: { number: number }): boolean {
  return v.number < 1;
}

export function createToolsRepositorySqlite(db: SqliteDb): ToolsRepository {
  const { tools, toolVersions } = lite;
  const getById = async (id: string) => db.select().from(tools).where(eq(tools.id, id)).get() ?? null;
  const getVersion = async (id: string) => {
    const row = db.select().from(toolVersions).where(eq(toolVersions.id, id)).get();
    return row ? toVersion(row) : null;
  };
  return {
    async create(t) {
      const row = toolRow(t);
      const inserted = db.insert(tools).values(row).onConflictDoNothing({ target: tools.slug }).returning({ id: tools.id }).get();
      return inserted ? getById(row.id) : null;
    },
    getById,
    async getBySlug(slug) {
      return db.select().from(tools).where(eq(tools.slug, slug)).get() ?? null;
    },
    async list(filter = {}) {
      return db
        .select()
        .from(tools)
        .where(filter.publishedOnly ? eq(tools.isPublished, true) : undefined)
        .orderBy(asc(tools.slug))
        .all();
    },
    async update(id, patch, now) {
      try {
        const row = db.update(tools).set(patchSet(patch, now)).where(eq(tools.id, id)).returning().get();
        return row ? { ok: true, tool: row } : { ok: false, reason: "not_found" };
      } catch (e) {
        if (isUniqueViolation(e)) return { ok: false, reason: "slug_taken" };
        throw e;
      }
    },
    async createVersion(v) {
      // IMMEDIATE takes the write lock before reading max(number), so no other writer can pick the
      // same number in between (a deferred transaction would fail with SQLITE_BUSY on upgrade).
      const id = db.transaction(
        (tx) => {
          const top = tx.select({ n: max(toolVersions.number) }).from(toolVersions).where(and(eq(toolVersions.toolId, v.toolId), gt(toolVersions.number, 0))).get();
          const row = versionRow(v, (top?.n ?? 0) + 1);
          tx.insert(toolVersions).values(row).run();
          return row.id;
        },
        { behavior: "immediate" },
      );
      const created = await getVersion(id);
      if (!created) throw new Error(`tool version ${id} vanished right after insert`);
      return created;
    },
    getVersion,
    async listVersions(toolId) {
      return db
        .select()
        .from(toolVersions)
        .where(and(eq(toolVersions.toolId, toolId), gt(toolVersions.number, 0)))
        .orderBy(asc(toolVersions.number))
        .all()
        .map(toVersion);
    },
    async findVersionByContentHash(toolId, hash) {
      const row = db
        .select()
        .from(toolVersions)
        .where(and(eq(toolVersions.toolId, toolId), eq(toolVersions.contentHash, hash), gt(toolVersions.number, 0)))
        .orderBy(desc(toolVersions.number))
        .limit(1)
        .get();
      return row ? toVersion(row) : null;
    },
    async applyStateChanges(s) {
      try {
        // Synchronous callback: drizzle's async transactions are not atomic on bun:sqlite.
        db.transaction(
          (tx) => {
            for (const c of s.changes) {
              const hit = tx
                .update(toolVersions)
                .set({ state: c.to })
                .where(and(eq(toolVersions.id, c.versionId), eq(toolVersions.toolId, s.toolId), eq(toolVersions.state, c.from)))
                .returning({ id: toolVersions.id })
                .all();
              if (hit.length !== 1) throw new StaleStateError();
            }
            tx.update(tools).set(toolSet(s)).where(eq(tools.id, s.toolId)).run();
          },
          { behavior: "immediate" },
        );
        return true;
      } catch (e) {
        if (e instanceof StaleStateError) return false;
        throw e;
      }
    },
    async listVersionStates() {
      return db
        .select({ toolId: toolVersions.toolId, id: toolVersions.id, number: toolVersions.number, state: toolVersions.state })
        .from(toolVersions)
        .where(gt(toolVersions.number, 0))
        .orderBy(asc(toolVersions.toolId), asc(toolVersions.number))
        .all();
    },
    async createVersionOnHead(v, expectedHeadId) {
      const outcome = db.transaction(
        (tx): { ok: true; id: string } | { ok: false; head: { id: string; number: number } | null } => {
          const head =
            tx
              .select({ id: toolVersions.id, number: toolVersions.number })
              .from(toolVersions)
              .where(and(eq(toolVersions.toolId, v.toolId), gt(toolVersions.number, 0)))
              .orderBy(desc(toolVersions.number))
              .limit(1)
              .get() ?? null;
          if ((head?.id ?? null) !== expectedHeadId) return { ok: false, head };
          const row = versionRow(v, (head?.number ?? 0) + 1);
          tx.insert(toolVersions).values(row).run();
          return { ok: true, id: row.id };
        },
        { behavior: "immediate" },
      );
      if (!outcome.ok) return outcome;
      const created = await getVersion(outcome.id);
      if (!created) throw new Error(`tool version ${outcome.id} vanished right after insert`);
      return { ok: true, version: created };
    },
    async saveSandboxSnapshot(v) {
      const find = () =>
        db
          .select()
          .from(toolVersions)
          .where(and(eq(toolVersions.toolId, v.toolId), lte(toolVersions.number, 0), eq(toolVersions.contentHash, v.contentHash)))
          .limit(1)
          .get();
      const existing = find();
      if (existing) return toVersion(existing);
      const id = db.transaction(
        (tx) => {
          const low = tx.select({ n: min(toolVersions.number) }).from(toolVersions).where(and(eq(toolVersions.toolId, v.toolId), lte(toolVersions.number, 0))).get();
          const row = versionRow({ ...v, state: "draft", parentVersionId: null, note: null }, low?.n === null || low?.n === undefined ? 0 : low.n - 1);
          tx.insert(toolVersions).values(row).run();
          return row.id;
        },
        { behavior: "immediate" },
      );
      const created = await getVersion(id);
      if (!created) throw new Error(`sandbox snapshot ${id} vanished right after insert`);
      return created;
    },
    async getSandboxSnapshot(toolId, id) {
      const row = db
        .select()
        .from(toolVersions)
        .where(and(eq(toolVersions.id, id), eq(toolVersions.toolId, toolId), lte(toolVersions.number, 0)))
        .get();
      return row ? toVersion(row) : null;
    },
  };
}

export function createToolsRepositoryPg(db: PgDb): ToolsRepository {
  const { tools, toolVersions } = pg;
  const getById = async (id: string) => (await db.select().from(tools).where(eq(tools.id, id)))[0] ?? null;
  const getVersion = async (id: string) => {
    const [row] = await db.select().from(toolVersions).where(eq(toolVersions.id, id));
    return row ? toVersion(row) : null;
  };
  return {
    async create(t) {
      const row = toolRow(t);
      const [inserted] = await db.insert(tools).values(row).onConflictDoNothing({ target: tools.slug }).returning({ id: tools.id });
      return inserted ? getById(row.id) : null;
    },
    getById,
    async getBySlug(slug) {
      return (await db.select().from(tools).where(eq(tools.slug, slug)))[0] ?? null;
    },
    async list(filter = {}) {
      return db
        .select()
        .from(tools)
        .where(filter.publishedOnly ? eq(tools.isPublished, true) : undefined)
        .orderBy(asc(tools.slug));
    },
    async update(id, patch, now) {
      try {
        const [row] = await db.update(tools).set(patchSet(patch, now)).where(eq(tools.id, id)).returning();
        return row ? { ok: true, tool: row } : { ok: false, reason: "not_found" };
      } catch (e) {
        if (isUniqueViolation(e)) return { ok: false, reason: "slug_taken" };
        throw e;
      }
    },
    async createVersion(v) {
      const row = await db.transaction(async (tx) => {
        // Locking the tool row serializes version creation per tool, so max(number) + 1 is unique
        // (READ COMMITTED alone would let two transactions read the same max).
        await tx.select({ id: tools.id }).from(tools).where(eq(tools.id, v.toolId)).for("update");
        const [top] = await tx.select({ n: max(toolVersions.number) }).from(toolVersions).where(and(eq(toolVersions.toolId, v.toolId), gt(toolVersions.number, 0)));
        const r = versionRow(v, (top?.n ?? 0) + 1);
        await tx.insert(toolVersions).values(r);
        return r;
      });
      const created = await getVersion(row.id);
      if (!created) throw new Error(`tool version ${row.id} vanished right after insert`);
      return created;
    },
    getVersion,
    async listVersions(toolId) {
      return (
        await db
          .select()
          .from(toolVersions)
          .where(and(eq(toolVersions.toolId, toolId), gt(toolVersions.number, 0)))
          .orderBy(asc(toolVersions.number))
      ).map(toVersion);
    },
    async findVersionByContentHash(toolId, hash) {
      const [row] = await db
        .select()
        .from(toolVersions)
        .where(and(eq(toolVersions.toolId, toolId), eq(toolVersions.contentHash, hash), gt(toolVersions.number, 0)))
        .orderBy(desc(toolVersions.number))
        .limit(1);
      return row ? toVersion(row) : null;
    },
    async applyStateChanges(s) {
      try {
        await db.transaction(async (tx) => {
          for (const c of s.changes) {
            const hit = await tx
              .update(toolVersions)
              .set({ state: c.to })
              .where(and(eq(toolVersions.id, c.versionId), eq(toolVersions.toolId, s.toolId), eq(toolVersions.state, c.from)))
              .returning({ id: toolVersions.id });
            if (hit.length !== 1) throw new StaleStateError();
          }
          await tx.update(tools).set(toolSet(s)).where(eq(tools.id, s.toolId));
        });
        return true;
      } catch (e) {
        if (e instanceof StaleStateError) return false;
        throw e;
      }
    },
    async listVersionStates() {
      return db
        .select({ toolId: toolVersions.toolId, id: toolVersions.id, number: toolVersions.number, state: toolVersions.state })
        .from(toolVersions)
        .where(gt(toolVersions.number, 0))
        .orderBy(asc(toolVersions.toolId), asc(toolVersions.number));
    },
    async createVersionOnHead(v, expectedHeadId) {
      const outcome = await db.transaction(async (tx): Promise<{ ok: true; id: string } | { ok: false; head: { id: string; number: number } | null }> => {
        // The tool row lock serializes saves per tool (see createVersion).
        await tx.select({ id: tools.id }).from(tools).where(eq(tools.id, v.toolId)).for("update");
        const [head] = await tx
          .select({ id: toolVersions.id, number: toolVersions.number })
          .from(toolVersions)
          .where(and(eq(toolVersions.toolId, v.toolId), gt(toolVersions.number, 0)))
          .orderBy(desc(toolVersions.number))
          .limit(1);
        if ((head?.id ?? null) !== expectedHeadId) return { ok: false, head: head ?? null };
        const row = versionRow(v, (head?.number ?? 0) + 1);
        await tx.insert(toolVersions).values(row);
        return { ok: true, id: row.id };
      });
      if (!outcome.ok) return outcome;
      const created = await getVersion(outcome.id);
      if (!created) throw new Error(`tool version ${outcome.id} vanished right after insert`);
      return { ok: true, version: created };
    },
    async saveSandboxSnapshot(v) {
      const find = async () =>
        (
          await db
            .select()
            .from(toolVersions)
            .where(and(eq(toolVersions.toolId, v.toolId), lte(toolVersions.number, 0), eq(toolVersions.contentHash, v.contentHash)))
            .limit(1)
        )[0];
      const existing = await find();
      if (existing) return toVersion(existing);
      const id = await db.transaction(async (tx) => {
        // The tool row lock serializes snapshot numbering per tool (see createVersion).
        await tx.select({ id: tools.id }).from(tools).where(eq(tools.id, v.toolId)).for("update");
        const [low] = await tx.select({ n: min(toolVersions.number) }).from(toolVersions).where(and(eq(toolVersions.toolId, v.toolId), lte(toolVersions.number, 0)));
        const row = versionRow({ ...v, state: "draft", parentVersionId: null, note: null }, low?.n === null || low?.n === undefined ? 0 : low.n - 1);
        await tx.insert(toolVersions).values(row);
        return row.id;
      });
      const created = await getVersion(id);
      if (!created) throw new Error(`sandbox snapshot ${id} vanished right after insert`);
      return created;
    },
    async getSandboxSnapshot(toolId, id) {
      const [row] = await db
        .select()
        .from(toolVersions)
        .where(and(eq(toolVersions.id, id), eq(toolVersions.toolId, toolId), lte(toolVersions.number, 0)));
      return row ? toVersion(row) : null;
    },
  };
}

export function createToolsRepository(store: Store): ToolsRepository {
  return store.dialect === "sqlite" ? createToolsRepositorySqlite(store.db) : createToolsRepositoryPg(store.db);
}
