import { ROLES, type Role } from "../../api/api-types";

/** The user list's filters, kept in the URL so reload, back and deep links show the same list. */
export interface AdminUsersQuery {
  q: string;
  role: Role | null;
  page: number;
}

export const ADMIN_USERS_PAGE_SIZE = 25;

export function parseAdminUsersQuery(search: string): AdminUsersQuery {
  const params = new URLSearchParams(search);
  const role = ROLES.find((candidate) => candidate === params.get("role")) ?? null;
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { q: (params.get("q") ?? "").trim(), role, page: Number.isFinite(page) && page > 0 ? page : 1 };
}

/** `/admin/users?…`, leaving out defaults so the plain list has the plain URL. */
export function adminUsersPath(query: AdminUsersQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.role) params.set("role", query.role);
  if (query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `/admin/users?${text}` : "/admin/users";
}
