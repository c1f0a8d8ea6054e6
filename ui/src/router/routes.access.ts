import type { RouteDef } from "./routes";

/**
 * The pages of the access feature, appended to ROUTES (routes.ts). Add a name to the union and its
 * definition to the list; a page element for it goes into components/app-shell/pages.access.ts.
 */
export type AccessRouteName = "api-keys" | "admin-api-keys" | "admin-audit" | "admin-groups" | "device";

export const ACCESS_ROUTES: readonly RouteDef<AccessRouteName>[] = [
  { name: "api-keys", path: "/profile/api-keys", access: "user", title: "title.api_keys" },
  { name: "admin-api-keys", path: "/admin/api-keys", access: "admin", title: "title.admin_api_keys" },
  { name: "admin-audit", path: "/admin/audit", access: "admin", title: "title.admin_audit" },
  { name: "admin-groups", path: "/admin/groups", access: "admin", title: "title.admin_groups" },
  // The link a terminal prints for `skriptoteket login`; logging in first returns here with the code.
  { name: "device", path: "/device", access: "user", title: "title.device" },
];
