import { api } from "./api";
import type { ProfileChanges, User } from "./api-types";

export async function updateProfile(changes: ProfileChanges): Promise<User> {
  const { user } = await api.request<{ user: User }>("PATCH", "/api/v1/profile", { body: changes });
  return user;
}

/** 401 auth.invalid_credentials when the current password is wrong; other sessions are revoked. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.request("POST", "/api/v1/profile/password", {
    body: { current_password: currentPassword, new_password: newPassword },
  });
}
