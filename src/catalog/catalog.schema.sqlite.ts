// The catalog's tables (SQLite): the taxonomy (professions, categories), the tool ↔ taxonomy links,
// favorites, which usage instructions a user has seen, and when a tool was first published. Keep in
// step with catalog.schema.pg.ts.
//
// tools.professions / tools.categories (JSON arrays of slugs, written by tool import) stay the tool's
// declared tags. The link tables are an index of them that triggers keep in sync (migration
// "catalog-search-and-sync"): facet filters use indexed joins, and the foreign keys refuse to remove a
// taxonomy entry while a tool uses it. The full-text table tool_search is FTS5 and lives in that
// migration only (drizzle has no virtual tables).
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { users } from "../identity/identity.schema.sqlite";
import { tools, toolVersions } from "../tools/tools.schema.sqlite";

const ms = (name: string) => integer(name, { mode: "timestamp_ms" });

/** Slugs never change once created: tool.json files and bookmarked filters name them. */
export const professions = sqliteTable(
  "professions",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    labelSv: text("label_sv").notNull(),
    labelEn: text("label_en").notNull(),
    sortOrder: integer("sort_order").notNull(),
  },
  (t) => [uniqueIndex("professions_slug_uq").on(t.slug)],
);

export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    labelSv: text("label_sv").notNull(),
    labelEn: text("label_en").notNull(),
    sortOrder: integer("sort_order").notNull(),
  },
  (t) => [uniqueIndex("categories_slug_uq").on(t.slug)],
);

export const toolProfessions = sqliteTable(
  "tool_professions",
  {
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    professionId: text("profession_id")
      .notNull()
      .references(() => professions.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.toolId, t.professionId] }), index("tool_professions_profession_idx").on(t.professionId, t.toolId)],
);

export const toolCategories = sqliteTable(
  "tool_categories",
  {
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    categoryId: text("category_id")
      .notNull()
      .references(() => categories.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.toolId, t.categoryId] }), index("tool_categories_category_idx").on(t.categoryId, t.toolId)],
);

export const toolFavorites = sqliteTable(
  "tool_favorites",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.toolId] }), index("tool_favorites_tool_idx").on(t.toolId)],
);

/** The version whose usage instructions the user last saw on the tool page. */
export const toolInstructionsSeen = sqliteTable(
  "tool_instructions_seen",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    versionId: text("version_id")
      .notNull()
      .references(() => toolVersions.id, { onDelete: "cascade" }),
    seenAt: ms("seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.toolId] }), index("tool_instructions_seen_tool_idx").on(t.toolId), index("tool_instructions_seen_version_idx").on(t.versionId)],
);

/** When a tool first became published (written by a trigger; "new tools" on the home page). */
export const toolPublications = sqliteTable(
  "tool_publications",
  {
    toolId: text("tool_id")
      .primaryKey()
      .references(() => tools.id, { onDelete: "cascade" }),
    firstPublishedAt: ms("first_published_at").notNull(),
  },
  (t) => [index("tool_publications_time_idx").on(t.firstPublishedAt)],
);
