// Tools and their immutable versions (PostgreSQL). Keep in step with tools.schema.sqlite.ts.
import { pgTable, text, integer, boolean, jsonb, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema.pg";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const tools = pgTable(
  "tools",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    isPublished: boolean("is_published").notNull().default(false),
    activeVersionId: text("active_version_id"),
    professions: jsonb("professions").$type<string[]>().notNull().default([]),
    categories: jsonb("categories").$type<string[]>().notNull().default([]),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tools_slug_uq").on(t.slug)],
);

export const toolVersions = pgTable(
  "tool_versions",
  {
    id: text("id").primaryKey(),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    state: text("state", { enum: ["draft", "in_review", "active", "archived"] }).notNull(),
    source: text("source").notNull(),
    entrypoint: text("entrypoint").notNull().default("run_tool"),
    inputSchema: jsonb("input_schema").$type<unknown[]>().notNull().default([]),
    settingsSchema: jsonb("settings_schema").$type<unknown[] | null>(),
    usageInstructions: text("usage_instructions").notNull().default(""),
    contentHash: text("content_hash").notNull(),
    parentVersionId: text("parent_version_id"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [uniqueIndex("tool_versions_number_uq").on(t.toolId, t.number), index("tool_versions_state_idx").on(t.toolId, t.state)],
);
