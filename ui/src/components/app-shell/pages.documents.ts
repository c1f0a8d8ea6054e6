import { html } from "lit";
import type { DocumentsRouteName } from "../../router/routes.documents";
import type { PageRenderer } from "./page-registry";
import "../../pages/admin-ai-page/admin-ai-page";
import "../../pages/document-review-page/document-review-page";
import "../../pages/documents-page/documents-page";

/** Which element renders each page of the documents feature (spread into PAGES in page-registry.ts). */
export const DOCUMENTS_PAGES: Record<DocumentsRouteName, PageRenderer> = {
  documents: (_, search) => html`<sk-documents-page .search=${search}></sk-documents-page>`,
  "document-review": () => html`<sk-document-review-page></sk-document-review-page>`,
  "admin-ai": () => html`<sk-admin-ai-page></sk-admin-ai-page>`,
};
