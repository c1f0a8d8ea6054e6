// User administration for superusers: list and search, change role, (de)activate, reset a
// password, read login events.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { userActor } from "../audit/audit.actions";
import type { IdentityDeps } from "./identity.deps";
import { requestMeta, requireAuth } from "./sessions.service";
import { changeAccount, getUser, listLoginEvents, listUsers, resetPasswordByAdmin, toUserJson } from "./users.service";
import {
  AccountPatchBody,
  GeneratedPasswordResponse,
  IdParams,
  LoginEventListResponse,
  PageQuery,
  UserEnvelope,
  UserListQuery,
  UserListResponse,
} from "./identity.schemas";

const tags = ["admin"];

export function adminUsersRoutes(ctx: HttpContextPlugin, deps: IdentityDeps) {
  return new Elysia({ name: "admin-users-routes", prefix: "/api/v1/admin/users" })
    .use(ctx)
    .get(
      "",
      async ({ query }) => {
        const page = await listUsers(deps, { q: query.q || undefined, role: query.role, page: query.page ?? 1, pageSize: query.page_size ?? 25 });
        return { ...page, items: page.items.map(toUserJson) };
      },
      {
        permission: "superuser",
        query: UserListQuery,
        response: UserListResponse,
        detail: { summary: "List users in e-mail order; q searches e-mail and names", tags },
      },
    )
    .get("/:id", async ({ params }) => ({ user: toUserJson(await getUser(deps, params.id)) }), {
      permission: "superuser",
      params: IdParams,
      response: UserEnvelope,
      detail: { summary: "One user", tags },
    })
    .patch(
      "/:id",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        const user = await changeAccount(deps, { actor, id: c.params.id, role: c.body.role, active: c.body.active, meta: requestMeta(c) });
        return { user: toUserJson(user) };
      },
      {
        permission: "superuser",
        params: IdParams,
        body: AccountPatchBody,
        response: UserEnvelope,
        detail: { summary: "Change role or active flag (not your own role or active flag: 409 users.self_change)", tags },
      },
    )
    .post(
      "/:id/reset-password",
      async (c) => {
        const actor = userActor(requireAuth(c.auth).user);
        const { password } = await resetPasswordByAdmin(deps, { actor, id: c.params.id, meta: requestMeta(c) });
        return { password };
      },
      {
        permission: "superuser",
        params: IdParams,
        response: GeneratedPasswordResponse,
        detail: { summary: "Set a generated password, shown once; ends the user's sessions", tags },
      },
    )
    .get(
      "/:id/login-events",
      async ({ params, query }) => {
        const page = await listLoginEvents(deps, { id: params.id, page: query.page ?? 1, pageSize: query.page_size ?? 25 });
        const items = page.items.map((e) => ({ id: e.id, outcome: e.outcome, ip: e.ip, user_agent: e.userAgent, created_at: e.createdAt.toISOString() }));
        return { ...page, items };
      },
      {
        permission: "superuser",
        params: IdParams,
        query: PageQuery,
        response: LoginEventListResponse,
        detail: { summary: "Login attempts of a user, newest first", tags },
      },
    );
}
