import { api } from "./api";
import { isApiError } from "./api-error";
import type { Meta, RegisterInput, User } from "./api-types";

/** Public site facts: default language and whether/how people may register. */
export function getMeta(): Promise<Meta> {
  return api.request<Meta>("GET", "/api/v1/meta");
}

/** The logged-in user, or null when there is no session (401). */
export async function getCurrentUser(): Promise<User | null> {
  try {
    const { user } = await api.request<{ user: User }>("GET", "/api/v1/auth/me");
    return user;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

/** Logs in; from now on the session's CSRF token (returned here) signs mutating requests. */
export async function login(email: string, password: string): Promise<User> {
  const { user, csrf_token } = await api.request<{ user: User; csrf_token: string }>("POST", "/api/v1/auth/login", {
    body: { email, password },
  });
  api.setCsrfToken(csrf_token);
  return user;
}

export async function logout(): Promise<void> {
  try {
    await api.request<void>("POST", "/api/v1/auth/logout");
  } finally {
    // The session's token dies with the session; the next mutating call fetches an anonymous one.
    api.setCsrfToken(null);
  }
}

export function register(input: RegisterInput): Promise<{ verification_required: boolean }> {
  return api.request("POST", "/api/v1/auth/register", { body: input });
}

export function verifyEmail(token: string): Promise<{ verified: true }> {
  return api.request("POST", "/api/v1/auth/verify-email", { body: { token } });
}

export async function resendVerification(email: string): Promise<void> {
  await api.request("POST", "/api/v1/auth/resend-verification", { body: { email } });
}

export async function forgotPassword(email: string): Promise<void> {
  await api.request("POST", "/api/v1/auth/forgot-password", { body: { email } });
}

export async function resetPassword(token: string, password: string): Promise<void> {
  await api.request("POST", "/api/v1/auth/reset-password", { body: { token, password } });
}
