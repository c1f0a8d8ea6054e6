import { api } from "./api";
import type { AdminUserChanges, LoginEvent, Paged, User, UserListQuery } from "./api-types";

export function listUsers(query: UserListQuery): Promise<Paged<User>> {
  return api.request("GET", "/api/v1/admin/users", { query: { ...query } });
}

export async function getUser(id: string): Promise<User> {
  const { user } = await api.request<{ user: User }>("GET", `/api/v1/admin/users/${encodeURIComponent(id)}`);
  return user;
}

/** 409 users.self_change when a superuser tries to demote or deactivate themself. */
export async function updateUser(id: string, changes: AdminUserChanges): Promise<User> {
  const { user } = await api.request<{ user: User }>("PATCH", `/api/v1/admin/users/${encodeURIComponent(id)}`, {
    body: changes,
  });
  return user;
}

/** A generated temporary password, shown once; the user's sessions are revoked. */
export async function resetUserPassword(id: string): Promise<string> {
  const { password } = await api.request<{ password: string }>(
    "POST",
    `/api/v1/admin/users/${encodeURIComponent(id)}/reset-password`,
  );
  return password;
}

export function listLoginEvents(id: string, page: number, pageSize: number): Promise<Paged<LoginEvent>> {
  return api.request("GET", `/api/v1/admin/users/${encodeURIComponent(id)}/login-events`, {
    query: { page, page_size: pageSize },
  });
}
