import { updateUser } from "../../api/admin-users.api";
import type { Role, User } from "../../api/api-types";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { displayName } from "../../session/session";

/** What an admin action on a user led to: the saved user (null on failure) and what to tell the admin. */
export interface ActionOutcome {
  user: User | null;
  kind: "success" | "danger";
  message: string;
}

/** Saves a new role (shared by the user list and the user page). */
export async function changeRole(user: User, role: Role): Promise<ActionOutcome> {
  try {
    const saved = await updateUser(user.id, { role });
    return { user: saved, kind: "success", message: t("admin.users.role_changed", { name: displayName(saved), role: t(`role.${role}`) }) };
  } catch (error) {
    return { user: null, kind: "danger", message: errorText(error) };
  }
}

/** Activates, or (after confirmation) deactivates, an account. Null when the admin cancelled. */
export async function changeActive(user: User, active: boolean, confirm: SkConfirmDialog): Promise<ActionOutcome | null> {
  const name = displayName(user);
  if (!active) {
    const confirmed = await confirm.ask({
      title: t("admin.users.confirm_deactivate_title"),
      body: t("admin.users.confirm_deactivate_body", { name }),
      confirmLabel: t("admin.users.deactivate"),
      variant: "danger",
    });
    if (!confirmed) return null;
  }
  try {
    const saved = await updateUser(user.id, { active });
    return {
      user: saved,
      kind: "success",
      message: active ? t("admin.users.activated", { name }) : t("admin.users.deactivated", { name }),
    };
  } catch (error) {
    return { user: null, kind: "danger", message: errorText(error) };
  }
}
