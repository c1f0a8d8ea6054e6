// Groups, their members and the tools limited to them, for SQLite and PostgreSQL. The two factories
// run the same queries; groups.repository.test.ts runs one suite on both.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./groups.schema.sqlite";
import * as pg from "./groups.schema.pg";
import * as liteIdentity from "../identity/identity.schema.sqlite";
import * as pgIdentity from "../identity/identity.schema.pg";
import * as liteTools from "../tools/tools.schema.sqlite";
import * as pgTools from "../tools/tools.schema.pg";

export type GroupRecord = { id: string; name: string; createdAt: Date; updatedAt: Date; memberCount: number; toolCount: number };
export type GroupMember = { userId: string; email: string; firstName: string; lastName: string; addedAt: Date };
export type GroupTool = { toolId: string; slug: string; title: string };
export type ToolRef = { id: string; slug: string; title: string };
/** What the in-memory access check needs: which tools are limited, and who is in those groups. */
export type AccessState = { limits: { toolId: string; groupId: string }[]; memberships: { userId: string; groupId: string }[] };

export type GroupsRepository = {
  /** Sorted by name (case-insensitive). */
  list(): Promise<GroupRecord[]>;
  get(id: string): Promise<GroupRecord | null>;
  /** null when another group has the same name (ignoring case). */
  create(input: { name: string; now: Date }): Promise<GroupRecord | null>;
  rename(id: string, name: string, now: Date): Promise<GroupRecord | "not_found" | "name_taken">;
  /** Members and tool limits go with it; false when it did not exist. */
  remove(id: string): Promise<boolean>;
  listMembers(groupId: string): Promise<GroupMember[]>;
  /** false when the user already was a member. */
  addMember(groupId: string, userId: string, now: Date): Promise<boolean>;
  removeMember(groupId: string, userId: string): Promise<boolean>;
  /** The tools limited to this group, by title. */
  listGroupTools(groupId: string): Promise<GroupTool[]>;
  findToolBySlug(slug: string): Promise<ToolRef | null>;
  /** The groups a tool is limited to; empty = everyone may use it. */
  listToolGroupIds(toolId: string): Promise<string[]>;
  /** Replaces the tool's groups in one transaction. */
  setToolGroups(toolId: string, groupIds: string[]): Promise<void>;
  /** Group ids that exist, of those given. */
  existingGroupIds(ids: string[]): Promise<string[]>;
  /** The limits and only the memberships of groups that limit some tool (what access checks read). */
  loadAccessState(): Promise<AccessState>;
};

const nameKey = (name: string) => name.trim().toLowerCase();

export function createGroupsRepositorySqlite(db: SqliteDb): GroupsRepository {
  const { groups, groupMembers, toolAccessGroups } = lite;
  const { users, profiles } = liteIdentity;
  const { tools } = liteTools;
  const memberCount = sql<number>`(select count(*) from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`.mapWith(Number);
  const toolCount = sql<number>`(select count(*) from ${toolAccessGroups} where ${toolAccessGroups.groupId} = ${groups.id})`.mapWith(Number);
  const cols = { id: groups.id, name: groups.name, createdAt: groups.createdAt, updatedAt: groups.updatedAt, memberCount, toolCount };
  const get = async (id: string) => db.select(cols).from(groups).where(eq(groups.id, id)).get() ?? null;
  return {
    async list() {
      return db.select(cols).from(groups).orderBy(asc(groups.nameKey)).all();
    },
    get,
    async create({ name, now }) {
      const id = Bun.randomUUIDv7();
      const row = db
        .insert(groups)
        .values({ id, name: name.trim(), nameKey: nameKey(name), createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: groups.nameKey })
        .returning({ id: groups.id })
        .get();
      return row ? get(id) : null;
    },
    async rename(id, name, now) {
      const clash = db.select({ id: groups.id }).from(groups).where(eq(groups.nameKey, nameKey(name))).get();
      if (clash && clash.id !== id) return "name_taken";
      const row = db.update(groups).set({ name: name.trim(), nameKey: nameKey(name), updatedAt: now }).where(eq(groups.id, id)).returning({ id: groups.id }).get();
      return row ? ((await get(id)) ?? "not_found") : "not_found";
    },
    async remove(id) {
      return db.delete(groups).where(eq(groups.id, id)).returning({ id: groups.id }).all().length > 0;
    },
    async listMembers(groupId) {
      return db
        .select({ userId: users.id, email: users.email, firstName: sql<string>`coalesce(${profiles.firstName}, '')`, lastName: sql<string>`coalesce(${profiles.lastName}, '')`, addedAt: groupMembers.addedAt })
        .from(groupMembers)
        .innerJoin(users, eq(users.id, groupMembers.userId))
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(eq(groupMembers.groupId, groupId))
        .orderBy(asc(users.email))
        .all();
    },
    async addMember(groupId, userId, now) {
      return db.insert(groupMembers).values({ groupId, userId, addedAt: now }).onConflictDoNothing().returning({ g: groupMembers.groupId }).all().length > 0;
    },
    async removeMember(groupId, userId) {
      return (
        db
          .delete(groupMembers)
          .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
          .returning({ g: groupMembers.groupId })
          .all().length > 0
      );
    },
    async listGroupTools(groupId) {
      return db
        .select({ toolId: tools.id, slug: tools.slug, title: tools.title })
        .from(toolAccessGroups)
        .innerJoin(tools, eq(tools.id, toolAccessGroups.toolId))
        .where(eq(toolAccessGroups.groupId, groupId))
        .orderBy(asc(tools.title))
        .all();
    },
    async findToolBySlug(slug) {
      return db.select({ id: tools.id, slug: tools.slug, title: tools.title }).from(tools).where(eq(tools.slug, slug)).get() ?? null;
    },
    async listToolGroupIds(toolId) {
      return db.select({ id: toolAccessGroups.groupId }).from(toolAccessGroups).where(eq(toolAccessGroups.toolId, toolId)).all().map((r) => r.id);
    },
    async setToolGroups(toolId, groupIds) {
      // Synchronous callback: drizzle's async transactions are not atomic on bun:sqlite.
      db.transaction((tx) => {
        tx.delete(toolAccessGroups).where(eq(toolAccessGroups.toolId, toolId)).run();
        if (groupIds.length) tx.insert(toolAccessGroups).values(groupIds.map((groupId) => ({ toolId, groupId }))).run();
      });
    },
    async existingGroupIds(ids) {
      if (!ids.length) return [];
      return db.select({ id: groups.id }).from(groups).where(inArray(groups.id, ids)).all().map((r) => r.id);
    },
    async loadAccessState() {
      const limits = db.select({ toolId: toolAccessGroups.toolId, groupId: toolAccessGroups.groupId }).from(toolAccessGroups).all();
      if (!limits.length) return { limits, memberships: [] };
      const memberships = db
        .select({ userId: groupMembers.userId, groupId: groupMembers.groupId })
        .from(groupMembers)
        .where(inArray(groupMembers.groupId, db.selectDistinct({ g: toolAccessGroups.groupId }).from(toolAccessGroups)))
        .all();
      return { limits, memberships };
    },
  };
}

export function createGroupsRepositoryPg(db: PgDb): GroupsRepository {
  const { groups, groupMembers, toolAccessGroups } = pg;
  const { users, profiles } = pgIdentity;
  const { tools } = pgTools;
  const memberCount = sql<number>`(select count(*) from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`.mapWith(Number);
  const toolCount = sql<number>`(select count(*) from ${toolAccessGroups} where ${toolAccessGroups.groupId} = ${groups.id})`.mapWith(Number);
  const cols = { id: groups.id, name: groups.name, createdAt: groups.createdAt, updatedAt: groups.updatedAt, memberCount, toolCount };
  const get = async (id: string) => (await db.select(cols).from(groups).where(eq(groups.id, id)))[0] ?? null;
  return {
    async list() {
      return db.select(cols).from(groups).orderBy(asc(groups.nameKey));
    },
    get,
    async create({ name, now }) {
      const id = Bun.randomUUIDv7();
      const [row] = await db
        .insert(groups)
        .values({ id, name: name.trim(), nameKey: nameKey(name), createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: groups.nameKey })
        .returning({ id: groups.id });
      return row ? get(id) : null;
    },
    async rename(id, name, now) {
      const [clash] = await db.select({ id: groups.id }).from(groups).where(eq(groups.nameKey, nameKey(name)));
      if (clash && clash.id !== id) return "name_taken";
      try {
        const [row] = await db.update(groups).set({ name: name.trim(), nameKey: nameKey(name), updatedAt: now }).where(eq(groups.id, id)).returning({ id: groups.id });
        return row ? ((await get(id)) ?? "not_found") : "not_found";
      } catch (error) {
        // a concurrent rename/create took the name between the check and the update
        if (isUniqueViolation(error)) return "name_taken";
        throw error;
      }
    },
    async remove(id) {
      return (await db.delete(groups).where(eq(groups.id, id)).returning({ id: groups.id })).length > 0;
    },
    async listMembers(groupId) {
      return db
        .select({ userId: users.id, email: users.email, firstName: sql<string>`coalesce(${profiles.firstName}, '')`, lastName: sql<string>`coalesce(${profiles.lastName}, '')`, addedAt: groupMembers.addedAt })
        .from(groupMembers)
        .innerJoin(users, eq(users.id, groupMembers.userId))
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(eq(groupMembers.groupId, groupId))
        .orderBy(asc(users.email));
    },
    async addMember(groupId, userId, now) {
      return (await db.insert(groupMembers).values({ groupId, userId, addedAt: now }).onConflictDoNothing().returning({ g: groupMembers.groupId })).length > 0;
    },
    async removeMember(groupId, userId) {
      const rows = await db
        .delete(groupMembers)
        .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
        .returning({ g: groupMembers.groupId });
      return rows.length > 0;
    },
    async listGroupTools(groupId) {
      return db
        .select({ toolId: tools.id, slug: tools.slug, title: tools.title })
        .from(toolAccessGroups)
        .innerJoin(tools, eq(tools.id, toolAccessGroups.toolId))
        .where(eq(toolAccessGroups.groupId, groupId))
        .orderBy(asc(tools.title));
    },
    async findToolBySlug(slug) {
      return (await db.select({ id: tools.id, slug: tools.slug, title: tools.title }).from(tools).where(eq(tools.slug, slug)))[0] ?? null;
    },
    async listToolGroupIds(toolId) {
      return (await db.select({ id: toolAccessGroups.groupId }).from(toolAccessGroups).where(eq(toolAccessGroups.toolId, toolId))).map((r) => r.id);
    },
    async setToolGroups(toolId, groupIds) {
      await db.transaction(async (tx) => {
        await tx.delete(toolAccessGroups).where(eq(toolAccessGroups.toolId, toolId));
        if (groupIds.length) await tx.insert(toolAccessGroups).values(groupIds.map((groupId) => ({ toolId, groupId })));
      });
    },
    async existingGroupIds(ids) {
      if (!ids.length) return [];
      return (await db.select({ id: groups.id }).from(groups).where(inArray(groups.id, ids))).map((r) => r.id);
    },
    async loadAccessState() {
      const limits = await db.select({ toolId: toolAccessGroups.toolId, groupId: toolAccessGroups.groupId }).from(toolAccessGroups);
      if (!limits.length) return { limits, memberships: [] };
      const memberships = await db
        .select({ userId: groupMembers.userId, groupId: groupMembers.groupId })
        .from(groupMembers)
        .where(inArray(groupMembers.groupId, db.selectDistinct({ g: toolAccessGroups.groupId }).from(toolAccessGroups)));
      return { limits, memberships };
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : null;
  const cause = typeof error === "object" && error !== null && "cause" in error ? error.cause : null;
  const causeCode = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : null;
  return code === "23505" || causeCode === "23505";
}

export function createGroupsRepository(store: Store): GroupsRepository {
  return store.dialect === "sqlite" ? createGroupsRepositorySqlite(store.db) : createGroupsRepositoryPg(store.db);
}

