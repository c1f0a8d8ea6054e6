/**
 * The user's documents (src/documents, contract .tmp/contract-documents.md): upload PDFs, the list with
 * filters and full-text search, the review of suggestions, reprocessing, categories (with their rules),
 * bulk category changes, and stored documents as the input files of a tool run.
 */
import { api } from "./api";
import type { SubmitRunInput } from "./runs.api";

export const DOCUMENT_STATUSES = ["uploaded", "extracting", "classifying", "needs_review", "done", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
/** Still moving through the pipeline: the list polls while any document is in one of these. */
export const IN_PROGRESS_STATUSES: readonly DocumentStatus[] = ["uploaded", "extracting", "classifying"];

export function isInProgress(status: DocumentStatus): boolean {
  return IN_PROGRESS_STATUSES.includes(status);
}

export interface DocumentCategoryRef {
  id: string;
  name: string;
}

export interface DocumentCategory extends DocumentCategoryRef {
  keywords: string[];
  /** Regular expressions, matched case-insensitively. */
  patterns: string[];
  document_count: number;
  created_at: string;
}

export interface SuggestedCategory extends DocumentCategoryRef {
  source: "rule" | "ai";
  /** 0..1 */
  confidence: number;
}

export interface Suggestion {
  doc_type: string | null;
  summary: string | null;
  fields: Record<string, string | null>;
  categories: SuggestedCategory[];
  /** The AI's overall confidence 0..1; null when only rules ran. */
  confidence: number | null;
  model: string | null;
}

export interface DocumentFailure {
  code: string;
  /** Translated; says what to do. */
  message: string;
  at: string;
}

export interface StoredDocument {
  id: string;
  /** The sanitized original file name. */
  name: string;
  bytes: number;
  pages: number | null;
  status: DocumentStatus;
  failure: DocumentFailure | null;
  doc_type: string | null;
  summary: string | null;
  fields: Record<string, string | null>;
  categories: DocumentCategoryRef[];
  /** The pending proposal; set exactly when the status is needs_review. */
  suggestion: Suggestion | null;
  ai_model: string | null;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
}

export interface DocumentListItem extends StoredDocument {
  /** A search hit with «…» around the matched words; only when the list was searched. */
  snippet: string | null;
}

export interface DocumentList {
  items: DocumentListItem[];
  total: number;
  page: number;
  page_size: number;
}

export interface DocumentsMeta {
  ai_enabled: boolean;
  max_upload_mb: number;
  max_files: number;
  /** The document types the AI chooses from. */
  types: string[];
  /** The configured field names the AI fills in. */
  fields: string[];
}

export interface DocumentListQuery {
  /** One status or several. */
  status?: DocumentStatus | DocumentStatus[];
  type?: string;
  category?: string;
  /** yyyy-mm-dd upload days, inclusive. */
  from?: string;
  to?: string;
  q?: string;
  page?: number;
  page_size?: number;
}

export interface DocumentEdits {
  name?: string;
  doc_type?: string | null;
  summary?: string | null;
  fields?: Record<string, string | null>;
  category_ids?: string[];
}

export type ReviewDecision = ({ decision: "accept" } & Omit<DocumentEdits, "name">) | { decision: "reject" };

export interface CategoryInput {
  name: string;
  keywords?: string[];
  patterns?: string[];
}

const docPath = (id: string) => `/api/v1/documents/${encodeURIComponent(id)}`;
const categoryPath = (id: string) => `/api/v1/document-categories/${encodeURIComponent(id)}`;

export function getDocumentsMeta(): Promise<DocumentsMeta> {
  return api.request("GET", "/api/v1/documents/meta");
}

export function listDocuments(query: DocumentListQuery = {}): Promise<DocumentList> {
  const status = Array.isArray(query.status) ? query.status.join(",") : query.status;
  return api.request("GET", "/api/v1/documents", { query: { ...query, status } });
}

/** 413 documents.too_large {max_mb}; 415 documents.not_pdf {name}; 422 validation.failed (none or too many). */
export async function uploadDocuments(files: File[]): Promise<StoredDocument[]> {
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  const { items } = await api.request<{ items: StoredDocument[] }>("POST", "/api/v1/documents", { form });
  return items;
}

export async function getDocument(id: string): Promise<StoredDocument> {
  const { document } = await api.request<{ document: StoredDocument }>("GET", docPath(id));
  return document;
}

/** The original PDF, served as an attachment. */
export function documentFileUrl(id: string): string {
  return `${docPath(id)}/file`;
}

export async function updateDocument(id: string, edits: DocumentEdits): Promise<StoredDocument> {
  const { document } = await api.request<{ document: StoredDocument }>("PATCH", docPath(id), { body: edits });
  return document;
}

export async function deleteDocument(id: string): Promise<void> {
  await api.request("DELETE", docPath(id));
}

/** Accept (with edits overriding the suggestion) or reject; 409 documents.nothing_to_review when not pending. */
export async function reviewDocument(id: string, decision: ReviewDecision): Promise<StoredDocument> {
  const { document } = await api.request<{ document: StoredDocument }>("POST", `${docPath(id)}/review`, { body: decision });
  return document;
}

/** Runs the pipeline again from the start; documents still in progress are skipped. */
export function reprocessDocuments(ids: string[]): Promise<{ queued: string[]; skipped: string[] }> {
  return api.request("POST", "/api/v1/documents/reprocess", { body: { ids } });
}

export function changeDocumentCategories(ids: string[], change: { add?: string[]; remove?: string[] }): Promise<{ updated: number }> {
  return api.request("POST", "/api/v1/documents/bulk-categories", { body: { ids, ...change } });
}

export async function listDocumentCategories(): Promise<DocumentCategory[]> {
  const { items } = await api.request<{ items: DocumentCategory[] }>("GET", "/api/v1/document-categories");
  return items;
}

/** 409 documents.category_name_taken; 422 documents.invalid_pattern {index, pattern, reason}. */
export async function createDocumentCategory(input: CategoryInput): Promise<DocumentCategory> {
  const { category } = await api.request<{ category: DocumentCategory }>("POST", "/api/v1/document-categories", { body: input });
  return category;
}

export async function updateDocumentCategory(id: string, input: Partial<CategoryInput>): Promise<DocumentCategory> {
  const { category } = await api.request<{ category: DocumentCategory }>("PATCH", categoryPath(id), { body: input });
  return category;
}

export async function deleteDocumentCategory(id: string): Promise<void> {
  await api.request("DELETE", categoryPath(id));
}

/**
 * A tool run whose input files include stored documents (copied into the run like uploads; they count
 * toward the upload limits). The same multipart request as runs.api.ts submitRun plus `document_ids`.
 */
export async function submitRunWithDocuments(slug: string, input: SubmitRunInput, documentIds: string[]): Promise<string> {
  const form = new FormData();
  form.append("inputs", JSON.stringify(input.inputs));
  for (const file of input.files) form.append("files", file, file.name);
  form.append("document_ids", JSON.stringify(documentIds));
  if (input.context) form.append("context", input.context);
  if (input.session_files_mode && input.session_files_mode !== "none") form.append("session_files_mode", input.session_files_mode);
  const { run_id } = await api.request<{ run_id: string }>("POST", `/api/v1/tools/${encodeURIComponent(slug)}/run`, { form });
  return run_id;
}
