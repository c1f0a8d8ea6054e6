import type { RouteDef } from "./routes";

/**
 * The pages of the access feature, appended to ROUTES (routes.ts). Add a name to the union and its
 * definition to the list; a page element for it goes into components/app-shell/pages.access.ts.
 */
export type AccessRouteName = never;

export const ACCESS_ROUTES: readonly RouteDef<AccessRouteName>[] = [];
