// Roles and route permission levels: pure rules, no I/O.
export const ROLES = ["user", "contributor", "admin", "superuser"] as const;
export type Role = (typeof ROLES)[number];

/** What a route demands. "public" needs nothing; "user" needs any signed-in account. */
export const PERMISSIONS = ["public", "user", "contributor", "admin", "superuser"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const RANK: Record<Role, number> = { user: 1, contributor: 2, admin: 3, superuser: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** "anonymous" → 401, "forbidden" → 403, "ok" → go on. */
export function checkPermission(permission: Permission, role: Role | null): "ok" | "anonymous" | "forbidden" {
  if (permission === "public") return "ok";
  if (role === null) return "anonymous";
  return roleAtLeast(role, permission) ? "ok" : "forbidden";
}
