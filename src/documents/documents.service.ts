// The documents API's services: upload, list and search, edit, review, reprocess, categories, and
// stored documents as a run's input files. Plain functions over DocumentsDeps; every one acts only on
// the viewer's own documents and categories (someone else's id answers like a missing one).
import { parseSearchQuery } from "../catalog/search.rules";
import type { Config } from "../config/config.keys";
import { sanitizeUploadName } from "../execution/upload-names.rules";
import { createQueueRepository, type QueueRepository } from "../execution/queue.repository";
import { HttpErrors, type Locale } from "../http/errors";
import type { Logger } from "../log/logger";
import type { BlobStore } from "../store/blob-store";
import type { Store } from "../store/db";
import { DocumentErrors, failureMessage } from "./documents.errors";
import { createDocumentsRepository, type CategoryRecord, type DocumentRecord, type DocumentsRepository } from "./documents.repository";
import { acceptSuggestion, checkCategoryRules, isPdf, makeSnippet, normalizeCategoryName, normalizeKeywords, parseListFilter } from "./documents.rules";
import { IN_PROGRESS_STATUSES } from "./documents.types";

export type DocumentsDeps = {
  documents: DocumentsRepository;
  queue: Pick<QueueRepository, "enqueueDocumentJob" | "cancelDocumentJobs">;
  blobStore: BlobStore;
  config: Pick<Config, "documents" | "ai">;
  log: Logger;
  now: () => Date;
  /** The in-process document worker's wake(): a new job starts at once instead of at the next poll. */
  notifyQueued?: () => void;
};

export function createDocumentsDeps(opts: { store: Store; blobStore: BlobStore; config: Pick<Config, "documents" | "ai">; log: Logger; now?: () => Date; notifyQueued?: () => void }): DocumentsDeps {
  return {
    documents: createDocumentsRepository(opts.store),
    queue: createQueueRepository(opts.store),
    blobStore: opts.blobStore,
    config: opts.config,
    log: opts.log,
    now: opts.now ?? (() => new Date()),
    notifyQueued: opts.notifyQueued,
  };
}

type Viewer = { id: string };

// ---------- JSON views (contract-documents.md) ----------

export function documentJson(d: DocumentRecord, locale: Locale, snippet: string | null = null) {
  return {
    id: d.id,
    name: d.name,
    bytes: d.bytes,
    pages: d.pages,
    status: d.status,
    failure: d.status === "failed" && d.failureCode ? { code: d.failureCode, message: failureMessage(d.failureCode, locale), at: (d.failedAt ?? d.updatedAt).toISOString() } : null,
    doc_type: d.docType,
    summary: d.summary,
    fields: d.fields,
    categories: d.categories,
    suggestion: d.suggestion
      ? { doc_type: d.suggestion.docType, summary: d.suggestion.summary, fields: d.suggestion.fields, categories: d.suggestion.categories, confidence: d.suggestion.confidence, model: d.suggestion.model }
      : null,
    ai_model: d.aiModel,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    processed_at: d.processedAt?.toISOString() ?? null,
    snippet,
  };
}
export type DocumentJson = ReturnType<typeof documentJson>;

export function categoryJson(c: CategoryRecord) {
  return { id: c.id, name: c.name, keywords: c.keywords, patterns: c.patterns, document_count: c.documentCount, created_at: c.createdAt.toISOString() };
}

export function documentsMeta(deps: Pick<DocumentsDeps, "config">) {
  const { documents, ai } = deps.config;
  return { ai_enabled: ai.enabled, max_upload_mb: documents.max_upload_mb, max_files: documents.max_files, types: [...documents.types], fields: [...documents.fields] };
}

// ---------- documents ----------

async function queuePipeline(deps: DocumentsDeps, id: string): Promise<void> {
  await deps.queue.enqueueDocumentJob({ documentId: id, now: deps.now() });
}

/**
 * Stores each PDF (blob first, then the row, then the pipeline job): a crash in between leaves at
 * worst a row without a job, which the worker's sweep queues again (document-worker.ts), never a
 * row without its file. Every file is checked before anything is stored.
 */
export async function uploadDocuments(deps: DocumentsDeps, viewer: Viewer, files: readonly File[]): Promise<DocumentRecord[]> {
  const { max_files, max_upload_mb } = deps.config.documents;
  if (files.length === 0) throw DocumentErrors.noFile();
  if (files.length > max_files) throw DocumentErrors.tooMany({ max_files });
  if (files.reduce((sum, f) => sum + f.size, 0) > max_upload_mb * 1024 * 1024) throw DocumentErrors.tooLarge({ max_mb: max_upload_mb });
  // two files of one upload may share a name: each becomes its own document
  const checked = files.map((f) => sanitizeUploadName(typeof f.name === "string" ? f.name : ""));
  const bad = checked.flatMap((c, i) => (c.ok ? [] : [{ path: `/files/${i}`, message: c.en }]));
  if (bad.length) throw HttpErrors.validation(bad);
  const names = { names: checked.map((c) => (c.ok ? c.name : "")) };
  const contents = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
  contents.forEach((bytes, i) => {
    if (!isPdf(bytes)) throw DocumentErrors.notPdf({ name: names.names[i] });
  });
  const out: DocumentRecord[] = [];
  for (const [i, bytes] of contents.entries()) {
    const id = Bun.randomUUIDv7();
    const storageKey = `documents/${viewer.id}/${id}`;
    await deps.blobStore.put(storageKey, bytes);
    const now = deps.now();
    await deps.documents.create({ id, userId: viewer.id, name: names.names[i]!, bytes: bytes.byteLength, sha256: new Bun.CryptoHasher("sha256").update(bytes).digest("hex"), storageKey, now });
    await queuePipeline(deps, id);
    out.push((await deps.documents.get(viewer.id, id))!);
  }
  deps.log.info("documents uploaded", { user_id: viewer.id, count: out.length });
  deps.notifyQueued?.();
  return out;
}

export type ListQuery = { status?: string; type?: string; category?: string; from?: string; to?: string; q?: string; page?: number; page_size?: number };

export async function listDocuments(deps: DocumentsDeps, viewer: Viewer, q: ListQuery, locale: Locale) {
  const parsed = parseListFilter(q);
  if (!parsed.ok) throw HttpErrors.validation([{ path: parsed.path, message: parsed.message }]);
  const search = parseSearchQuery(q.q);
  const page = q.page ?? 1;
  const pageSize = q.page_size ?? 25;
  const { items, total } = await deps.documents.list(
    viewer.id,
    { statuses: parsed.value.statuses, docType: q.type || null, categoryId: q.category || null, from: parsed.value.from, toExclusive: parsed.value.toExclusive, search },
    page,
    pageSize,
  );
  const views = await Promise.all(
    items.map(async (d) => documentJson(d, locale, search.length ? makeSnippet([d.summary ?? "", ...(await deps.documents.pages(d.id))].join("\n"), search) : null)),
  );
  return { items: views, total, page, page_size: pageSize };
}

export async function requireDocument(deps: DocumentsDeps, viewer: Viewer, id: string): Promise<DocumentRecord> {
  const d = await deps.documents.get(viewer.id, id);
  if (!d) throw DocumentErrors.notFound();
  return d;
}

export async function documentText(deps: DocumentsDeps, viewer: Viewer, id: string) {
  await requireDocument(deps, viewer, id);
  return { pages: (await deps.documents.pages(id)).map((text, i) => ({ page: i + 1, text })) };
}

export async function openDocumentFile(deps: DocumentsDeps, viewer: Viewer, id: string): Promise<{ blob: Blob; name: string }> {
  const d = await requireDocument(deps, viewer, id);
  const blob = await deps.blobStore.get(d.storageKey);
  if (!blob) throw DocumentErrors.fileMissing();
  return { blob, name: d.name };
}

async function checkCategoryIds(deps: DocumentsDeps, viewer: Viewer, ids: readonly string[]): Promise<void> {
  const own = await deps.documents.ownCategoryIds(viewer.id, ids);
  if (ids.some((id) => !own.has(id))) throw DocumentErrors.categoryNotFound({ ids: ids.filter((id) => !own.has(id)) });
}

export type DocumentEdits = { name?: string; doc_type?: string | null; summary?: string | null; fields?: Record<string, string | null>; category_ids?: string[] };

function cleanName(raw: string): string {
  const checked = sanitizeUploadName(raw);
  if (!checked.ok) throw HttpErrors.validation([{ path: "/name", message: checked.en }]);
  return checked.name;
}

export async function updateDocument(deps: DocumentsDeps, viewer: Viewer, id: string, e: DocumentEdits): Promise<DocumentRecord> {
  if (e.category_ids) await checkCategoryIds(deps, viewer, e.category_ids);
  const ok = await deps.documents.updateAccepted(
    viewer.id,
    id,
    { name: e.name !== undefined ? cleanName(e.name) : undefined, docType: e.doc_type, summary: e.summary, fields: e.fields, categoryIds: e.category_ids },
    deps.now(),
  );
  if (!ok) throw DocumentErrors.notFound();
  return requireDocument(deps, viewer, id);
}

export async function reviewDocument(deps: DocumentsDeps, viewer: Viewer, id: string, r: { decision: "accept" | "reject" } & Omit<DocumentEdits, "name">): Promise<DocumentRecord> {
  const d = await requireDocument(deps, viewer, id);
  if (d.status !== "needs_review" || !d.suggestion) throw DocumentErrors.nothingToReview();
  let accepted = null;
  if (r.decision === "accept") {
    if (r.category_ids) await checkCategoryIds(deps, viewer, r.category_ids);
    const values = acceptSuggestion(
      { docType: d.docType, summary: d.summary, fields: d.fields, categoryIds: d.categories.map((c) => c.id) },
      d.suggestion,
      { docType: r.doc_type, summary: r.summary, fields: r.fields, categoryIds: r.category_ids },
    );
    // suggested categories deleted meanwhile are dropped, not an error
    const own = await deps.documents.ownCategoryIds(viewer.id, values.categoryIds);
    accepted = { docType: values.docType, summary: values.summary, fields: values.fields, categoryIds: values.categoryIds.filter((c) => own.has(c)) };
  }
  if (!(await deps.documents.finishReview(viewer.id, id, accepted, deps.now()))) throw DocumentErrors.nothingToReview();
  return requireDocument(deps, viewer, id);
}

export async function deleteDocument(deps: DocumentsDeps, viewer: Viewer, id: string): Promise<void> {
  await requireDocument(deps, viewer, id);
  await deps.queue.cancelDocumentJobs(id);
  const removed = await deps.documents.delete(viewer.id, id);
  if (!removed) throw DocumentErrors.notFound();
  await deps.blobStore.delete(removed.storageKey);
}

/** Reprocess: documents the pipeline does not own right now start over; the others are skipped. */
export async function reprocessDocuments(deps: DocumentsDeps, viewer: Viewer, ids: readonly string[]): Promise<{ queued: string[]; skipped: string[] }> {
  const unique = [...new Set(ids)];
  const own = await deps.documents.getMany(viewer.id, unique);
  if (own.length !== unique.length) throw DocumentErrors.notFound({ ids: unique.filter((id) => !own.some((d) => d.id === id)) });
  const queued = await deps.documents.requeue(viewer.id, unique, IN_PROGRESS_STATUSES, deps.now());
  for (const id of queued) await queuePipeline(deps, id);
  if (queued.length) deps.notifyQueued?.();
  return { queued, skipped: unique.filter((id) => !queued.includes(id)) };
}

export async function bulkCategories(deps: DocumentsDeps, viewer: Viewer, b: { ids: string[]; add?: string[]; remove?: string[] }): Promise<{ updated: number }> {
  const add = [...new Set(b.add ?? [])];
  const remove = [...new Set(b.remove ?? [])];
  await checkCategoryIds(deps, viewer, [...add, ...remove]);
  return { updated: await deps.documents.bulkCategories(viewer.id, [...new Set(b.ids)], add, remove, deps.now()) };
}

// ---------- categories ----------

function checkedRules(keywords: string[] | undefined, patterns: string[] | undefined): { keywords?: string[]; patterns?: string[] } {
  const k = keywords ? normalizeKeywords(keywords) : undefined;
  const p = patterns?.map((x) => x.trim());
  const problems = checkCategoryRules(k ?? [], p ?? []);
  if (problems.length) throw DocumentErrors.invalidPattern(problems);
  return { keywords: k, patterns: p };
}

function checkedName(raw: string): string {
  const name = normalizeCategoryName(raw);
  if (!name) throw DocumentErrors.invalidName([{ path: "/name", message: "1–80 characters" }]);
  return name;
}

export async function listCategories(deps: DocumentsDeps, viewer: Viewer) {
  return { items: (await deps.documents.listCategories(viewer.id)).map(categoryJson) };
}

export async function createCategory(deps: DocumentsDeps, viewer: Viewer, c: { name: string; keywords?: string[]; patterns?: string[] }) {
  const name = checkedName(c.name);
  const rules = checkedRules(c.keywords ?? [], c.patterns ?? []);
  const id = Bun.randomUUIDv7();
  const ok = await deps.documents.createCategory({ id, userId: viewer.id, name, keywords: rules.keywords ?? [], patterns: rules.patterns ?? [], now: deps.now() });
  if (!ok) throw DocumentErrors.categoryNameTaken();
  return categoryJson((await deps.documents.getCategory(viewer.id, id))!);
}

export async function updateCategory(deps: DocumentsDeps, viewer: Viewer, id: string, c: { name?: string; keywords?: string[]; patterns?: string[] }) {
  const name = c.name !== undefined ? checkedName(c.name) : undefined;
  const rules = checkedRules(c.keywords, c.patterns);
  const ok = await deps.documents.updateCategory(viewer.id, id, { name, ...rules }, deps.now());
  if (ok === null) throw DocumentErrors.categoryNotFound();
  if (!ok) throw DocumentErrors.categoryNameTaken();
  return categoryJson((await deps.documents.getCategory(viewer.id, id))!);
}

export async function deleteCategory(deps: DocumentsDeps, viewer: Viewer, id: string): Promise<void> {
  if (!(await deps.documents.deleteCategory(viewer.id, id, deps.now()))) throw DocumentErrors.categoryNotFound();
}

// ---------- documents as a run's input files ----------

/**
 * The viewer's stored documents as files for a tool run (POST /tools/{slug}/run, form field
 * document_ids), in the given order; the run copies them like uploads. 404 for an id that is not the
 * viewer's; 409 when a stored file is gone.
 */
export async function documentInputFiles(deps: Pick<DocumentsDeps, "documents" | "blobStore">, viewerId: string, ids: readonly string[]): Promise<File[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const docs = await deps.documents.getMany(viewerId, unique);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const missing = unique.filter((id) => !byId.has(id));
  if (missing.length) throw DocumentErrors.notFound({ ids: missing });
  return Promise.all(
    unique.map(async (id) => {
      const d = byId.get(id)!;
      const blob = await deps.blobStore.get(d.storageKey);
      if (!blob) throw DocumentErrors.fileMissing({ id });
      return new File([await blob.arrayBuffer()], d.name, { type: "application/pdf" });
    }),
  );
}
