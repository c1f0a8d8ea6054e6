// Request and response schemas of the documents API (contract: .tmp/contract-documents.md).
import { t } from "elysia";

const Iso = t.String({ description: "ISO 8601 time" });
const Status = t.Union([t.Literal("uploaded"), t.Literal("extracting"), t.Literal("classifying"), t.Literal("needs_review"), t.Literal("done"), t.Literal("failed")]);
const Fields = t.Record(t.String(), t.Union([t.String(), t.Null()]));
const CategoryRef = t.Object({ id: t.String(), name: t.String() });

export const IdParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) });

export const DocumentSchema = t.Object({
  id: t.String(),
  name: t.String(),
  bytes: t.Integer(),
  pages: t.Union([t.Integer(), t.Null()]),
  status: Status,
  failure: t.Union([t.Object({ code: t.String(), message: t.String({ description: "Translated; says what to do" }), at: Iso }), t.Null()]),
  doc_type: t.Union([t.String(), t.Null()]),
  summary: t.Union([t.String(), t.Null()]),
  fields: Fields,
  categories: t.Array(CategoryRef),
  suggestion: t.Union([
    t.Object({
      doc_type: t.Union([t.String(), t.Null()]),
      summary: t.Union([t.String(), t.Null()]),
      fields: Fields,
      categories: t.Array(t.Object({ id: t.String(), name: t.String(), source: t.Union([t.Literal("rule"), t.Literal("ai")]), confidence: t.Number() })),
      confidence: t.Union([t.Number(), t.Null()]),
      model: t.Union([t.String(), t.Null()]),
    }),
    t.Null(),
  ]),
  ai_model: t.Union([t.String(), t.Null()]),
  created_at: Iso,
  updated_at: Iso,
  processed_at: t.Union([Iso, t.Null()]),
  snippet: t.Union([t.String({ description: "Search hit with «» marks (only when q is set)" }), t.Null()]),
});

export const DocumentEnvelope = t.Object({ document: DocumentSchema });

export const MetaResponse = t.Object({
  ai_enabled: t.Boolean(),
  max_upload_mb: t.Integer(),
  max_files: t.Integer(),
  types: t.Array(t.String()),
  fields: t.Array(t.String()),
});

export const ListQuery = t.Object({
  status: t.Optional(t.String({ maxLength: 200, description: "One status or a comma list" })),
  type: t.Optional(t.String({ maxLength: 200 })),
  category: t.Optional(t.String({ maxLength: 64 })),
  from: t.Optional(t.String({ maxLength: 10, description: "YYYY-MM-DD, upload date, inclusive" })),
  to: t.Optional(t.String({ maxLength: 10, description: "YYYY-MM-DD, inclusive" })),
  q: t.Optional(t.String({ maxLength: 500, description: "Full-text search (Swedish stemming)" })),
  page: t.Optional(t.Integer({ minimum: 1, maximum: 100_000 })),
  page_size: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
});

export const ListResponse = t.Object({ items: t.Array(DocumentSchema), total: t.Integer(), page: t.Integer(), page_size: t.Integer() });

export const UploadBody = t.Object({ files: t.Files({ description: "1..[documents] max_files PDFs; the bytes must start with %PDF-" }) });
export const UploadResponse = t.Object({ items: t.Array(DocumentSchema) });

export const TextResponse = t.Object({ pages: t.Array(t.Object({ page: t.Integer(), text: t.String() })) });

const IdList = t.Array(t.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500 });
const CategoryIds = t.Array(t.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 });

export const PatchBody = t.Object({
  name: t.Optional(t.String({ minLength: 1, maxLength: 255 })),
  doc_type: t.Optional(t.Union([t.String({ maxLength: 200 }), t.Null()])),
  summary: t.Optional(t.Union([t.String({ maxLength: 5_000 }), t.Null()])),
  fields: t.Optional(t.Record(t.String({ maxLength: 100 }), t.Union([t.String({ maxLength: 1_000 }), t.Null()]))),
  category_ids: t.Optional(CategoryIds),
});

export const ReviewBody = t.Object({
  decision: t.Union([t.Literal("accept"), t.Literal("reject")]),
  doc_type: t.Optional(t.Union([t.String({ maxLength: 200 }), t.Null()])),
  summary: t.Optional(t.Union([t.String({ maxLength: 5_000 }), t.Null()])),
  fields: t.Optional(t.Record(t.String({ maxLength: 100 }), t.Union([t.String({ maxLength: 1_000 }), t.Null()]))),
  category_ids: t.Optional(CategoryIds),
});

export const ReprocessBody = t.Object({ ids: IdList });
export const ReprocessResponse = t.Object({ queued: t.Array(t.String()), skipped: t.Array(t.String()) });

export const BulkBody = t.Object({ ids: IdList, add: t.Optional(CategoryIds), remove: t.Optional(CategoryIds) });
export const BulkResponse = t.Object({ updated: t.Integer() });

const Rules = {
  keywords: t.Optional(t.Array(t.String({ maxLength: 200 }), { maxItems: 50 })),
  patterns: t.Optional(t.Array(t.String({ maxLength: 200 }), { maxItems: 50, description: "Regular expressions, case-insensitive" })),
};
export const CategorySchema = t.Object({
  id: t.String(),
  name: t.String(),
  keywords: t.Array(t.String()),
  patterns: t.Array(t.String()),
  document_count: t.Integer(),
  created_at: Iso,
});
export const CategoryEnvelope = t.Object({ category: CategorySchema });
export const CategoryListResponse = t.Object({ items: t.Array(CategorySchema) });
export const CategoryCreateBody = t.Object({ name: t.String({ minLength: 1, maxLength: 200 }), ...Rules });
export const CategoryPatchBody = t.Object({ name: t.Optional(t.String({ minLength: 1, maxLength: 200 })), ...Rules });
