/**
 * Shapes of the foundation HTTP API (identity, profile, admin users), exactly as the server's
 * contract describes them. Timestamps are ISO 8601 strings.
 */
import type { Locale } from "../i18n/locales";

export const ROLES = ["user", "contributor", "admin", "superuser"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  role: Role;
  active: boolean;
  email_verified: boolean;
  first_name: string;
  last_name: string;
  locale: Locale | null;
  created_at: string;
  last_login_at: string | null;
}

export type RegistrationMode = "closed" | "open" | "domains";

export interface Meta {
  default_locale: Locale;
  registration: RegistrationMode;
  allowed_domains: string[];
  version: string;
  /** Upload limits of one run ([storage] in the server's config), shown before a teacher uploads. */
  max_upload_mb: number;
  max_upload_files: number;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface LoginEvent {
  id: string;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
}

export interface RegisterInput {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  locale?: Locale;
}

export interface ProfileChanges {
  first_name?: string;
  last_name?: string;
  locale?: Locale;
}

export interface AdminUserChanges {
  role?: Role;
  active?: boolean;
}

export interface UserListQuery {
  q?: string;
  role?: Role;
  page?: number;
  page_size?: number;
}
