// Documents (uploaded PDFs), their text per page, per-user categories and category links (PostgreSQL).
// Keep in step with documents.schema.sqlite.ts. The full-text table document_search (tsvector + GIN) lives in
// the migration (drizzle has no virtual tables); documents.repository.ts keeps it in step.
import { pgTable, text, integer, jsonb, timestamp, index, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema.pg";
import type { DocumentStatus, Suggestion } from "./documents.types";

const ms = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const documentCategories = pgTable(
  "document_categories",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lower-cased name: names are unique per user regardless of case */
    nameKey: text("name_key").notNull(),
    keywords: jsonb("keywords").$type<string[]>().notNull().default([]),
    patterns: jsonb("patterns").$type<string[]>().notNull().default([]),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("document_categories_user_name_uq").on(t.userId, t.nameKey)],
);

export const documents = pgTable(
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
    fields: jsonb("fields").$type<Record<string, string | null>>().notNull().default({}),
    suggestion: jsonb("suggestion").$type<Suggestion>(),
    aiModel: text("ai_model"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    processedAt: ms("processed_at"),
  },
  (t) => [index("documents_user_created_idx").on(t.userId, t.createdAt), index("documents_status_idx").on(t.status, t.updatedAt)],
);

export const documentCategoryLinks = pgTable(
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
export const documentPages = pgTable(
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
