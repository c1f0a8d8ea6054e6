// Documents: upload PDFs, follow the pipeline, search, review suggestions, reprocess, categories.
// Every route is the signed-in user's own (someone else's ids answer 404); handlers hand plain values
// to documents.service.ts.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { requireAuth } from "../identity/sessions.service";
import { contentDisposition } from "../execution/runs.service";
import {
  bulkCategories,
  createCategory,
  deleteCategory,
  deleteDocument,
  documentJson,
  documentsMeta,
  documentText,
  listCategories,
  listDocuments,
  openDocumentFile,
  reprocessDocuments,
  requireDocument,
  reviewDocument,
  updateCategory,
  updateDocument,
  uploadDocuments,
  type DocumentsDeps,
} from "./documents.service";
import {
  BulkBody,
  BulkResponse,
  CategoryCreateBody,
  CategoryEnvelope,
  CategoryListResponse,
  CategoryPatchBody,
  DocumentEnvelope,
  IdParams,
  ListQuery,
  ListResponse,
  MetaResponse,
  PatchBody,
  ReprocessBody,
  ReprocessResponse,
  ReviewBody,
  TextResponse,
  UploadBody,
  UploadResponse,
} from "./documents.schemas";

const tags = ["documents"];

export function documentsRoutes(ctx: HttpContextPlugin, deps: DocumentsDeps) {
  return new Elysia({ name: "documents-routes", prefix: "/api/v1" })
    .use(ctx)
    .get("/documents/meta", () => documentsMeta(deps), {
      permission: "user",
      scope: "documents:read",
      response: MetaResponse,
      detail: { summary: "Upload limits, configured document types and fields, and whether the AI step runs", tags },
    })
    .get("/documents", async (c) => listDocuments(deps, requireAuth(c.auth).user, c.query, c.locale), {
      permission: "user",
      scope: "documents:read",
      query: ListQuery,
      response: ListResponse,
      detail: {
        summary: "The signed-in user's documents, newest first (best match first with q), filtered by status, type, category and upload date",
        description: '422 validation.failed for an unknown status or a malformed date ({path: "/status" | "/from" | "/to"}).',
        tags,
      },
    })
    .post(
      "/documents",
      async (c) => {
        const docs = await uploadDocuments(deps, requireAuth(c.auth).user, c.body.files);
        c.set.status = 201;
        return { items: docs.map((d) => documentJson(d, c.locale)) };
      },
      {
        permission: "user",
        scope: "documents:write",
        body: UploadBody,
        response: { 201: UploadResponse },
        detail: {
          summary: "Upload PDFs (multipart field files); each is stored and its pipeline queued (status uploaded)",
          description:
            "415 documents.not_pdf when a file's bytes do not start with %PDF- (the name is never trusted; nothing is stored then); 413 documents.too_large over [documents] max_upload_mb; 422 validation.failed for no file or more than [documents] max_files.",
          tags,
        },
      },
    )
    .post("/documents/reprocess", async (c) => {
      const r = await reprocessDocuments(deps, requireAuth(c.auth).user, c.body.ids);
      c.set.status = 202;
      return r;
    }, {
      permission: "user",
      scope: "documents:write",
      body: ReprocessBody,
      response: { 202: ReprocessResponse },
      detail: { summary: "Run the pipeline again (e.g. after a model change); documents still in progress are skipped", description: "404 documents.not_found (details.ids) for ids that are not yours.", tags },
    })
    .post("/documents/bulk-categories", async (c) => bulkCategories(deps, requireAuth(c.auth).user, c.body), {
      permission: "user",
      scope: "documents:write",
      body: BulkBody,
      response: BulkResponse,
      detail: { summary: "Add and/or remove categories on several documents", description: "404 documents.category_not_found (details.ids) for a category that is not yours.", tags },
    })
    .get("/documents/:id", async (c) => ({ document: documentJson(await requireDocument(deps, requireAuth(c.auth).user, c.params.id), c.locale) }), {
      permission: "user",
      scope: "documents:read",
      params: IdParams,
      response: DocumentEnvelope,
      detail: { summary: "One document with its status, accepted values and pending suggestion", tags },
    })
    .get("/documents/:id/text", async (c) => documentText(deps, requireAuth(c.auth).user, c.params.id), {
      permission: "user",
      scope: "documents:read",
      params: IdParams,
      response: TextResponse,
      detail: { summary: "The extracted text per page (empty before extraction)", tags },
    })
    .get(
      "/documents/:id/file",
      async (c) => {
        const file = await openDocumentFile(deps, requireAuth(c.auth).user, c.params.id);
        return new Response(file.blob, {
          headers: {
            "content-type": "application/pdf",
            "content-disposition": contentDisposition(file.name),
            "x-content-type-options": "nosniff",
            "content-security-policy": "default-src 'none'; sandbox",
            "cache-control": "private, no-cache",
          },
        });
      },
      {
        permission: "user",
        scope: "documents:read",
        params: IdParams,
        detail: { summary: "The original PDF as an attachment", description: "409 documents.file_missing when the stored file is gone.", tags },
      },
    )
    .patch("/documents/:id", async (c) => ({ document: documentJson(await updateDocument(deps, requireAuth(c.auth).user, c.params.id, c.body), c.locale) }), {
      permission: "user",
      scope: "documents:write",
      params: IdParams,
      body: PatchBody,
      response: DocumentEnvelope,
      detail: { summary: "Edit the accepted name, type, summary, fields and categories (category_ids replaces the set)", tags },
    })
    .delete(
      "/documents/:id",
      async (c) => {
        await deleteDocument(deps, requireAuth(c.auth).user, c.params.id);
        c.set.status = 204;
      },
      {
        permission: "user",
        scope: "documents:write",
        params: IdParams,
        detail: { summary: "Delete the document, its text and its stored PDF (also while it is being processed)", tags },
      },
    )
    .post("/documents/:id/review", async (c) => ({ document: documentJson(await reviewDocument(deps, requireAuth(c.auth).user, c.params.id, c.body), c.locale) }), {
      permission: "user",
      scope: "documents:write",
      params: IdParams,
      body: ReviewBody,
      response: DocumentEnvelope,
      detail: {
        summary: "Accept (with edits) or reject the pending suggestion; the document is done afterwards",
        description: "accept: the given values override the suggestion; category_ids is the final set (omitted: current ∪ suggested). 409 documents.nothing_to_review unless status is needs_review.",
        tags,
      },
    })
    .get("/document-categories", async (c) => listCategories(deps, requireAuth(c.auth).user), {
      permission: "user",
      scope: "documents:read",
      response: CategoryListResponse,
      detail: { summary: "The signed-in user's document categories with their rules and document counts", tags },
    })
    .post(
      "/document-categories",
      async (c) => {
        const category = await createCategory(deps, requireAuth(c.auth).user, c.body);
        c.set.status = 201;
        return { category };
      },
      {
        permission: "user",
        scope: "documents:write",
        body: CategoryCreateBody,
        response: { 201: CategoryEnvelope },
        detail: { summary: "Create a category with keywords and regular expressions", description: "409 documents.category_name_taken; 422 documents.invalid_pattern (details: [{path, index, value, reason}]).", tags },
      },
    )
    .patch("/document-categories/:id", async (c) => ({ category: await updateCategory(deps, requireAuth(c.auth).user, c.params.id, c.body) }), {
      permission: "user",
      scope: "documents:write",
      params: IdParams,
      body: CategoryPatchBody,
      response: CategoryEnvelope,
      detail: { summary: "Rename a category or change its rules", description: "Same errors as create; 404 documents.category_not_found.", tags },
    })
    .delete(
      "/document-categories/:id",
      async (c) => {
        await deleteCategory(deps, requireAuth(c.auth).user, c.params.id);
        c.set.status = 204;
      },
      {
        permission: "user",
        scope: "documents:write",
        params: IdParams,
        detail: { summary: "Delete a category: it is removed from every document and pending suggestion", tags },
      },
    );
}
