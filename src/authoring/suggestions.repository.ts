// Tool suggestions and every decision on them, for SQLite and PostgreSQL. A decision and the
// suggestion's new status are written in one transaction, and only from the status the caller saw,
// so two admins deciding at once cannot both win.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { PgDb, SqliteDb, Store } from "../store/db";
import * as lite from "./authoring.schema.sqlite";
import * as pg from "./authoring.schema.pg";

export type SuggestionStatus = "pending" | "accepted" | "denied";
export type DecisionKind = "accepted" | "denied";

export type SuggestionRecord = {
  id: string;
  /** null once the suggester's account was erased (then suggestedByPseudonym is set) */
  suggestedBy: string | null;
  suggestedByPseudonym: string | null;
  title: string;
  description: string;
  professions: string[];
  categories: string[];
  status: SuggestionStatus;
  toolId: string | null;
  createdAt: Date;
  updatedAt: Date;
};
export type DecisionRecord = { id: string; suggestionId: string; decision: DecisionKind; rationale: string | null; decidedBy: string | null; decidedAt: Date };

export type NewSuggestion = Pick<SuggestionRecord, "suggestedBy" | "title" | "description" | "professions" | "categories"> & { now: Date };
export type NewDecision = {
  suggestionId: string;
  /** The status the decision was planned from; otherwise nothing is written. */
  fromStatus: SuggestionStatus;
  decision: DecisionKind;
  rationale: string | null;
  decidedBy: string | null;
  toolId: string | null;
  now: Date;
};

export type SuggestionsRepository = {
  create(s: NewSuggestion): Promise<SuggestionRecord>;
  get(id: string): Promise<SuggestionRecord | null>;
  /** Newest first. */
  list(filter: { suggestedBy?: string; status?: SuggestionStatus }): Promise<SuggestionRecord[]>;
  /** Oldest first, for the given suggestions. */
  listDecisions(suggestionIds: string[]): Promise<DecisionRecord[]>;
  /** false when the suggestion is no longer in `fromStatus`. */
  decide(d: NewDecision): Promise<boolean>;
};

class StaleStatusError extends Error {}

function newRow(s: NewSuggestion) {
  const { now, ...rest } = s;
  return { ...rest, id: Bun.randomUUIDv7(), suggestedByPseudonym: null, status: "pending" as const, toolId: null, createdAt: now, updatedAt: now };
}
function decisionRow(d: NewDecision) {
  return { id: Bun.randomUUIDv7(), suggestionId: d.suggestionId, decision: d.decision, rationale: d.rationale, decidedBy: d.decidedBy, decidedAt: d.now };
}
function statusSet(d: NewDecision) {
  return { status: d.decision, updatedAt: d.now, ...(d.toolId ? { toolId: d.toolId } : {}) };
}

export function createSuggestionsRepositorySqlite(db: SqliteDb): SuggestionsRepository {
  const { toolSuggestions: s, toolSuggestionDecisions: d } = lite;
  const get = async (id: string) => db.select().from(s).where(eq(s.id, id)).get() ?? null;
  return {
    async create(input) {
      const row = newRow(input);
      db.insert(s).values(row).run();
      return row;
    },
    get,
    async list(filter) {
      const where = and(filter.suggestedBy ? eq(s.suggestedBy, filter.suggestedBy) : undefined, filter.status ? eq(s.status, filter.status) : undefined);
      return db.select().from(s).where(where).orderBy(desc(s.createdAt), desc(s.id)).all();
    },
    async listDecisions(ids) {
      if (!ids.length) return [];
      return db.select().from(d).where(inArray(d.suggestionId, ids)).orderBy(asc(d.decidedAt), asc(d.id)).all();
    },
    async decide(input) {
      try {
        db.transaction(
          (tx) => {
            const hit = tx
              .update(s)
              .set(statusSet(input))
              .where(and(eq(s.id, input.suggestionId), eq(s.status, input.fromStatus)))
              .returning({ id: s.id })
              .all();
            if (hit.length !== 1) throw new StaleStatusError();
            tx.insert(d).values(decisionRow(input)).run();
          },
          { behavior: "immediate" },
        );
        return true;
      } catch (e) {
        if (e instanceof StaleStatusError) return false;
        throw e;
      }
    },
  };
}

export function createSuggestionsRepositoryPg(db: PgDb): SuggestionsRepository {
  const { toolSuggestions: s, toolSuggestionDecisions: d } = pg;
  return {
    async create(input) {
      const row = newRow(input);
      await db.insert(s).values(row);
      return row;
    },
    async get(id) {
      return (await db.select().from(s).where(eq(s.id, id)))[0] ?? null;
    },
    async list(filter) {
      const where = and(filter.suggestedBy ? eq(s.suggestedBy, filter.suggestedBy) : undefined, filter.status ? eq(s.status, filter.status) : undefined);
      return db.select().from(s).where(where).orderBy(desc(s.createdAt), desc(s.id));
    },
    async listDecisions(ids) {
      if (!ids.length) return [];
      return db.select().from(d).where(inArray(d.suggestionId, ids)).orderBy(asc(d.decidedAt), asc(d.id));
    },
    async decide(input) {
      try {
        await db.transaction(async (tx) => {
          const hit = await tx
            .update(s)
            .set(statusSet(input))
            .where(and(eq(s.id, input.suggestionId), eq(s.status, input.fromStatus)))
            .returning({ id: s.id });
          if (hit.length !== 1) throw new StaleStatusError();
          await tx.insert(d).values(decisionRow(input));
        });
        return true;
      } catch (e) {
        if (e instanceof StaleStatusError) return false;
        throw e;
      }
    },
  };
}

export function createSuggestionsRepository(store: Store): SuggestionsRepository {
  return store.dialect === "sqlite" ? createSuggestionsRepositorySqlite(store.db) : createSuggestionsRepositoryPg(store.db);
}
