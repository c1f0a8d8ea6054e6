import type { DocumentsRouteName } from "../../router/routes.documents";
import type { PageRenderer } from "./page-registry";

/** Which element renders each page of the documents feature (spread into PAGES in page-registry.ts). */
export const DOCUMENTS_PAGES: Record<DocumentsRouteName, PageRenderer> = {};
