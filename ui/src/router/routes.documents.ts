import type { RouteDef } from "./routes";

/**
 * The pages of the documents feature, appended to ROUTES (routes.ts). Add a name to the union and its
 * definition to the list; a page element for it goes into components/app-shell/pages.documents.ts.
 * The admin AI page lives here too (the AI texts share the documents message files).
 */
export type DocumentsRouteName = "documents" | "document-review" | "admin-ai";

export const DOCUMENTS_ROUTES: readonly RouteDef<DocumentsRouteName>[] = [
  { name: "documents", path: "/documents", access: "user", title: "title.documents" },
  { name: "document-review", path: "/documents/review", access: "user", title: "title.document_review" },
  { name: "admin-ai", path: "/admin/ai", access: "admin", title: "title.admin_ai" },
];
