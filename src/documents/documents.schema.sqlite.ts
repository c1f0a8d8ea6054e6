// Documents (uploaded PDFs), their text per page, per-user categories and category links (SQLite).
// Keep in step with documents.schema.pg.ts. The full-text table document_search is FTS5 and lives in
// the migration (drizzle has no virtual tables); documents.repository.ts keeps it in step.
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { users } from "../identity/identity.schema.sqlite";
import type { DocumentStatus, Suggestion } from "./documents.types";

const ms = (name: string) => integer(name, { mode: "timestamp_ms" });

export const documentCategories = sqliteTable(
  "document_categories",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lower-cased name: names are unique per user regardless of case */
    nameKey: text("name_key").notNull(),
    keywords: text("keywords", { mode: "json" }).$type<string[]>().notNull().default([]),
    patterns: text("patterns", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("document_categories_user_name_uq").on(t.userId, t.nameKey)],
);

export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    pages: integer("pages"),
    status: text("status").$type<DocumentStatus>().notNull(),
    failureCode: text("failure_code"),
    failureDetail: text("failure_detail"),
    failedAt: ms("failed_at"),
    docType: text("doc_type"),
    summary: text("summary"),
    fields: text("fields", { mode: "json" }).$type<Record<string, string | null>>().notNull().default({}),
    suggestion: text("suggestion", { mode: "json" }).$type<Suggestion>(),
    aiModel: text("ai_model"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    processedAt: ms("processed_at"),
  },
  (t) => [index("documents_user_created_idx").on(t.userId, t.createdAt), index("documents_status_idx").on(t.status, t.updatedAt)],
);

export const documentCategoryLinks = sqliteTable(
  "document_category_links",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    categoryId: text("category_id")
      .notNull()
      .references(() => documentCategories.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.categoryId] }), index("document_category_links_category_idx").on(t.categoryId)],
);

/** Extracted text, one row per page (1-based). */
export const documentPages = sqliteTable(
  "document_pages",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    page: integer("page").notNull(),
    text: text("text").notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.page] })],
);
