import type { User } from "../api/api-types";
import type { MessageId } from "../i18n/en";
import { AUTHORING_ROUTES, type AuthoringRouteName } from "./routes.authoring";
import { DOCUMENTS_ROUTES, type DocumentsRouteName } from "./routes.documents";
import { ACCESS_ROUTES, type AccessRouteName } from "./routes.access";

/**
 * Who may open a route: anyone; only people who are NOT logged in (login, register: a logged-in user
 * is sent home); any logged-in user; contributors and up; admins and superusers; superusers only.
 */
export type Access = "public" | "guest" | "user" | "contributor" | "admin" | "superuser";

/** Every page name: the core pages here, each feature's in its own routes.<feature>.ts. */
export type RouteName = CoreRouteName | AuthoringRouteName | DocumentsRouteName | AccessRouteName;

type CoreRouteName =
  | "home"
  | "login"
  | "register"
  | "verify-email"
  | "forgot-password"
  | "reset-password"
  | "profile"
  | "catalog"
  | "tool"
  | "runs"
  | "run"
  | "admin-users"
  | "admin-user"
  | "admin-taxonomy"
  | "admin-retention"
  | "not-found";

/** Page titles are messages without placeholders. */
export type TitleMessageId = Extract<MessageId, `title.${string}`>;

export interface RouteDef<Name extends RouteName = RouteName> {
  name: Name;
  /** Path pattern; `:name` segments become params. */
  path: string;
  access: Access;
  /** The page's name in the document title. */
  title: TitleMessageId;
}

/** Every page of the UI (the server's SPA fallback serves index.html for all of them). */
export const ROUTES: readonly RouteDef[] = [
  { name: "home", path: "/", access: "user", title: "title.home" },
  { name: "login", path: "/login", access: "guest", title: "title.login" },
  { name: "register", path: "/register", access: "guest", title: "title.register" },
  { name: "verify-email", path: "/verify-email", access: "public", title: "title.verify_email" },
  { name: "forgot-password", path: "/forgot-password", access: "public", title: "title.forgot_password" },
  { name: "reset-password", path: "/reset-password", access: "public", title: "title.reset_password" },
  { name: "profile", path: "/profile", access: "user", title: "title.profile" },
  { name: "catalog", path: "/tools", access: "user", title: "title.catalog" },
  { name: "tool", path: "/tools/:slug", access: "user", title: "title.tool" },
  { name: "runs", path: "/runs", access: "user", title: "title.runs" },
  { name: "run", path: "/runs/:id", access: "user", title: "title.run" },
  { name: "admin-users", path: "/admin/users", access: "superuser", title: "title.admin_users" },
  { name: "admin-user", path: "/admin/users/:id", access: "superuser", title: "title.admin_user" },
  { name: "admin-taxonomy", path: "/admin/taxonomy", access: "admin", title: "title.admin_taxonomy" },
  { name: "admin-retention", path: "/admin/retention", access: "admin", title: "title.admin_retention" },
  ...AUTHORING_ROUTES,
  ...DOCUMENTS_ROUTES,
  ...ACCESS_ROUTES,
];

export const NOT_FOUND_ROUTE: RouteDef = { name: "not-found", path: "*", access: "public", title: "title.not_found" };

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

/** The route for a pathname; the not-found route when nothing matches. A trailing slash is ignored. */
export function matchRoute(pathname: string): RouteMatch {
  const segments = splitPath(pathname);
  for (const route of ROUTES) {
    const params = matchSegments(splitPath(route.path), segments);
    if (params) return { route, params };
  }
  return { route: NOT_FOUND_ROUTE, params: {} };
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const value = actual[index] ?? "";
    if (part.startsWith(":")) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null; // malformed %-escape: no page has such a path
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

export type AccessDecision = { kind: "show" } | { kind: "redirect"; to: string } | { kind: "forbidden" };

/**
 * What to do with a route for this user. `here` is the path + query being opened, so the login page
 * can send the user back to it afterwards.
 */
export function decideAccess(route: RouteDef, user: User | null, here: string): AccessDecision {
  switch (route.access) {
    case "public":
      return { kind: "show" };
    case "guest":
      return user ? { kind: "redirect", to: "/" } : { kind: "show" };
    case "user":
      return user ? { kind: "show" } : { kind: "redirect", to: loginPath(here) };
    case "contributor":
      if (!user) return { kind: "redirect", to: loginPath(here) };
      return user.role === "user" ? { kind: "forbidden" } : { kind: "show" };
    case "admin":
      if (!user) return { kind: "redirect", to: loginPath(here) };
      return user.role === "admin" || user.role === "superuser" ? { kind: "show" } : { kind: "forbidden" };
    case "superuser":
      if (!user) return { kind: "redirect", to: loginPath(here) };
      return user.role === "superuser" ? { kind: "show" } : { kind: "forbidden" };
  }
}

/** /login, carrying where to return afterwards (left out for the start page). */
export function loginPath(returnTo: string): string {
  const next = safeNextPath(returnTo);
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * A `next` target that can only stay on this site: a path starting with one "/" (not "//host" or
 * "/\host", which browsers treat as another origin). Anything else becomes "/".
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(next)) return "/";
  return next;
}
