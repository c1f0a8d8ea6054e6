import { DOCUMENT_STATUSES, type DocumentListQuery, type DocumentStatus } from "../../api/documents.api";
import { localDayStart } from "../runs-page/runs-query";

/** The documents list's filters, kept in the URL (`/documents?q=&status=&type=&category=&from=&to=&page=`). */
export interface DocumentsFilters {
  q: string;
  status: DocumentStatus | null;
  type: string;
  /** A category id. */
  category: string;
  /** yyyy-mm-dd upload days, inclusive; "" = open. */
  from: string;
  to: string;
  page: number;
}

export const DOCUMENTS_PAGE_SIZE = 25;

export function parseDocumentsQuery(search: string): DocumentsFilters {
  const params = new URLSearchParams(search);
  const status = DOCUMENT_STATUSES.find((s) => s === params.get("status")) ?? null;
  const day = (name: string) => {
    const value = params.get(name) ?? "";
    return localDayStart(value) ? value : "";
  };
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    q: (params.get("q") ?? "").trim(),
    status,
    type: (params.get("type") ?? "").trim(),
    category: (params.get("category") ?? "").trim(),
    from: day("from"),
    to: day("to"),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

export function documentsPath(filters: DocumentsFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.status) params.set("status", filters.status);
  if (filters.type) params.set("type", filters.type);
  if (filters.category) params.set("category", filters.category);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.page > 1) params.set("page", String(filters.page));
  const text = params.toString();
  return text ? `/documents?${text}` : "/documents";
}

export function hasDocumentFilters(filters: DocumentsFilters): boolean {
  return Boolean(filters.q || filters.status || filters.type || filters.category || filters.from || filters.to);
}

/** The API query (the server takes the same calendar days, inclusive). */
export function documentsApiQuery(filters: DocumentsFilters): DocumentListQuery {
  return {
    q: filters.q || undefined,
    status: filters.status ?? undefined,
    type: filters.type || undefined,
    category: filters.category || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
    page: filters.page,
    page_size: DOCUMENTS_PAGE_SIZE,
  };
}

/** A changed filter starts again at the first page. */
export function withFilter(filters: DocumentsFilters, change: Partial<Omit<DocumentsFilters, "page">>): DocumentsFilters {
  return { ...filters, ...change, page: 1 };
}

/** A search hit's text with «…» marks, as plain and marked pieces (rendered without HTML). */
export function snippetParts(snippet: string): Array<{ text: string; hit: boolean }> {
  const parts: Array<{ text: string; hit: boolean }> = [];
  const re = /«([^»]*)»/g;
  let last = 0;
  for (let match = re.exec(snippet); match; match = re.exec(snippet)) {
    if (match.index > last) parts.push({ text: snippet.slice(last, match.index), hit: false });
    if (match[1]) parts.push({ text: match[1], hit: true });
    last = match.index + match[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), hit: false });
  return parts;
}
