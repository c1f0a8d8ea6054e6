// The signed-in user's own profile: name and preferred language.
import { userActor, type ProfileFields } from "../audit/audit.actions";
import { recordAudit, type RequestMeta } from "../audit/audit.service";
import type { AuthContext } from "../http/http-context";
import type { Locale } from "../http/errors";
import type { IdentityDeps } from "./identity.deps";
import type { ProfilePatch, UserRecord } from "./users.repository";
import { getUser } from "./users.service";

export type ProfileInput = { firstName?: string; lastName?: string; locale?: Locale | null };

/** Only the fields that really change, as before/after pairs for the audit log. */
function diff(user: UserRecord, patch: ProfilePatch): { before: ProfileFields; after: ProfileFields } {
  const before: ProfileFields = {};
  const after: ProfileFields = {};
  if (patch.firstName !== undefined && patch.firstName !== user.firstName) [before.first_name, after.first_name] = [user.firstName, patch.firstName];
  if (patch.lastName !== undefined && patch.lastName !== user.lastName) [before.last_name, after.last_name] = [user.lastName, patch.lastName];
  if (patch.locale !== undefined && patch.locale !== user.locale) [before.locale, after.locale] = [user.locale, patch.locale];
  return { before, after };
}

export async function updateProfile(deps: IdentityDeps, input: { auth: AuthContext; patch: ProfileInput; meta: RequestMeta }): Promise<UserRecord> {
  const user = await getUser(deps, input.auth.user.id);
  const patch: ProfilePatch = {
    firstName: input.patch.firstName?.trim(),
    lastName: input.patch.lastName?.trim(),
    locale: input.patch.locale,
  };
  const change = diff(user, patch);
  if (Object.keys(change.after).length === 0) return user;
  const updated = (await deps.users.updateProfile(user.id, patch, deps.now())) ?? user;
  await recordAudit(deps, { ...input.meta, actor: userActor(user), action: "profile.updated", target: { type: "user", id: user.id }, ...change });
  return updated;
}
