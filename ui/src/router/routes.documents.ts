import type { RouteDef } from "./routes";

/**
 * The pages of the documents feature, appended to ROUTES (routes.ts). Add a name to the union and its
 * definition to the list; a page element for it goes into components/app-shell/pages.documents.ts.
 */
export type DocumentsRouteName = never;

export const DOCUMENTS_ROUTES: readonly RouteDef<DocumentsRouteName>[] = [];
