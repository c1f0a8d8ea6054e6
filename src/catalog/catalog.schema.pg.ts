// The catalog's tables (PostgreSQL). Keep in step with catalog.schema.sqlite.ts, which explains them.
// The full-text table tool_search (tsvector + GIN) and the sync triggers live in the migration
// "catalog-search-and-sync".
import { pgTable, text, integer, timestamp, index, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema.pg";
import { tools, toolVersions } from "../tools/tools.schema.pg";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const professions = pgTable(
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

export const categories = pgTable(
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

export const toolProfessions = pgTable(
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

export const toolCategories = pgTable(
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

export const toolFavorites = pgTable(
  "tool_favorites",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.toolId] }), index("tool_favorites_tool_idx").on(t.toolId)],
);

export const toolInstructionsSeen = pgTable(
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
    seenAt: ts("seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.toolId] }), index("tool_instructions_seen_tool_idx").on(t.toolId), index("tool_instructions_seen_version_idx").on(t.versionId)],
);

export const toolPublications = pgTable(
  "tool_publications",
  {
    toolId: text("tool_id")
      .primaryKey()
      .references(() => tools.id, { onDelete: "cascade" }),
    firstPublishedAt: ts("first_published_at").notNull(),
  },
  (t) => [index("tool_publications_time_idx").on(t.firstPublishedAt)],
);
