// Governance around tools (PostgreSQL): who maintains a tool, the editor's draft lock, what happened to
// each version in review, and tool suggestions with their decisions. Keep in step with
// authoring.schema.sqlite.ts.
import { pgTable, text, jsonb, timestamp, index, primaryKey } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema.pg";
import { tools, toolVersions } from "../tools/tools.schema.pg";

const ms = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const toolMaintainers = pgTable(
  "tool_maintainers",
  {
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: ms("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.toolId, t.userId] }), index("tool_maintainers_user_idx").on(t.userId)],
);

/** At most one per tool; a row whose expires_at has passed counts as free. */
export const toolDraftLocks = pgTable("tool_draft_locks", {
  toolId: text("tool_id")
    .primaryKey()
    .references(() => tools.id, { onDelete: "cascade" }),
  holderId: text("holder_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  acquiredAt: ms("acquired_at").notNull(),
  heartbeatAt: ms("heartbeat_at").notNull(),
  expiresAt: ms("expires_at").notNull(),
});

/** The review history of versions: submitted (note), changes requested (message), published, rolled back. */
export const toolVersionEvents = pgTable(
  "tool_version_events",
  {
    id: text("id").primaryKey(),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    versionId: text("version_id")
      .notNull()
      .references(() => toolVersions.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["submitted", "changes_requested", "published", "rolled_back"] }).notNull(),
    message: text("message"),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("tool_version_events_tool_idx").on(t.toolId, t.createdAt)],
);

export const toolSuggestions = pgTable(
  "tool_suggestions",
  {
    id: text("id").primaryKey(),
    /** null once the suggester's account is erased: the suggestion and its decisions stay (src/ops/PRIVACY.md) */
    suggestedBy: text("suggested_by").references(() => users.id, { onDelete: "set null" }),
    /** set by the erasure: the suggester's pseudonym, so suggestions of one erased person still go together */
    suggestedByPseudonym: text("suggested_by_pseudonym"),
    title: text("title").notNull(),
    description: text("description").notNull(),
    professions: jsonb("professions").$type<string[]>().notNull().default([]),
    categories: jsonb("categories").$type<string[]>().notNull().default([]),
    status: text("status", { enum: ["pending", "accepted", "denied"] }).notNull(),
    toolId: text("tool_id").references(() => tools.id, { onDelete: "set null" }),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("tool_suggestions_by_idx").on(t.suggestedBy, t.createdAt), index("tool_suggestions_status_idx").on(t.status, t.createdAt)],
);

/** Every decision on a suggestion, oldest first: a denied suggestion may be accepted later. */
export const toolSuggestionDecisions = pgTable(
  "tool_suggestion_decisions",
  {
    id: text("id").primaryKey(),
    suggestionId: text("suggestion_id")
      .notNull()
      .references(() => toolSuggestions.id, { onDelete: "cascade" }),
    decision: text("decision", { enum: ["accepted", "denied"] }).notNull(),
    rationale: text("rationale"),
    decidedBy: text("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: ms("decided_at").notNull(),
  },
  (t) => [index("tool_suggestion_decisions_idx").on(t.suggestionId, t.decidedAt)],
);
