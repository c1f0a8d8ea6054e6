import type { RouteDef } from "./routes";

/**
 * The pages of the authoring feature, appended to ROUTES (routes.ts). Add a name to the union and its
 * definition to the list; a page element for it goes into components/app-shell/pages.authoring.ts.
 */
export type AuthoringRouteName =
  | "authoring-tools"
  | "authoring-tool"
  | "authoring-reviews"
  | "tool-editor"
  | "tool-versions"
  | "tool-compare"
  | "suggestions";

export const AUTHORING_ROUTES: readonly RouteDef<AuthoringRouteName>[] = [
  { name: "authoring-tools", path: "/admin/tools", access: "contributor", title: "title.authoring_tools" },
  { name: "authoring-tool", path: "/admin/tools/:slug", access: "contributor", title: "title.authoring_tool" },
  { name: "authoring-reviews", path: "/admin/reviews", access: "admin", title: "title.authoring_reviews" },
  { name: "tool-editor", path: "/tools/:slug/edit", access: "contributor", title: "title.tool_editor" },
  { name: "tool-versions", path: "/tools/:slug/versions", access: "contributor", title: "title.tool_versions" },
  { name: "tool-compare", path: "/tools/:slug/compare", access: "contributor", title: "title.tool_compare" },
  { name: "suggestions", path: "/suggestions", access: "contributor", title: "title.suggestions" },
];
