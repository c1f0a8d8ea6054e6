import type { RouteDef } from "./routes";

/**
 * The pages of the authoring feature, appended to ROUTES (routes.ts). Add a name to the union and its
 * definition to the list; a page element for it goes into components/app-shell/pages.authoring.ts.
 */
export type AuthoringRouteName = never;

export const AUTHORING_ROUTES: readonly RouteDef<AuthoringRouteName>[] = [];
