// Tools and their immutable versions (SQLite). Keep in step with tools.schema.pg.ts.
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../identity/identity.schema.sqlite";

export const tools = sqliteTable(
  "tools",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    /** visible in the catalog; the version shown is activeVersionId */
    isPublished: integer("is_published", { mode: "boolean" }).notNull().default(false),
    activeVersionId: text("active_version_id"),
    professions: text("professions", { mode: "json" }).$type<string[]>().notNull().default([]),
    categories: text("categories", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("tools_slug_uq").on(t.slug)],
);

export const toolVersions = sqliteTable(
  "tool_versions",
  {
    id: text("id").primaryKey(),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    /** 1, 2, 3 … per tool */
    number: integer("number").notNull(),
    state: text("state", { enum: ["draft", "in_review", "active", "archived"] }).notNull(),
    source: text("source").notNull(),
    entrypoint: text("entrypoint").notNull().default("run_tool"),
    inputSchema: text("input_schema", { mode: "json" }).$type<unknown[]>().notNull().default([]),
    settingsSchema: text("settings_schema", { mode: "json" }).$type<unknown[] | null>(),
    usageInstructions: text("usage_instructions").notNull().default(""),
    /** sha256 over source, entrypoint, schemas and instructions: import makes a new version only when it changes */
    contentHash: text("content_hash").notNull(),
    parentVersionId: text("parent_version_id"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("tool_versions_number_uq").on(t.toolId, t.number), index("tool_versions_state_idx").on(t.toolId, t.state)],
);
