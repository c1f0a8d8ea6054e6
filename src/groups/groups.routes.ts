// Group administration (admins): groups, their members, and which groups a tool is limited to.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import { userActor } from "../audit/audit.actions";
import { requestMeta, requireAuth } from "../identity/sessions.service";
import type { GroupsDeps } from "./groups.deps";
import { addMember, createGroup, deleteGroup, getGroupDetail, getToolAccess, listGroups, removeMember, renameGroup, setToolAccess } from "./groups.service";
import {
  GroupBody,
  GroupDetailResponse,
  GroupEnvelope,
  GroupIdParams,
  GroupListResponse,
  MemberBody,
  MemberEnvelope,
  MemberParams,
  ToolAccessBody,
  ToolAccessResponse,
  ToolSlugParams,
} from "./groups.schemas";

const tags = ["groups"];

type HandlerCtx = { auth: Parameters<typeof requireAuth>[0]; ip: string | null; userAgent: string | null; requestId: string; locale: "sv" | "en" };
const who = (c: HandlerCtx) => ({ actor: userActor(requireAuth(c.auth).user), meta: requestMeta(c) });

export function groupsRoutes(ctx: HttpContextPlugin, deps: GroupsDeps) {
  return new Elysia({ name: "groups-routes", prefix: "/api/v1/admin" })
    .use(ctx)
    .get("/groups", async () => ({ items: await listGroups(deps) }), {
      permission: "admin",
      response: GroupListResponse,
      detail: { summary: "Every group by name, with member and tool counts", tags },
    })
    .post(
      "/groups",
      async (c) => {
        const group = await createGroup(deps, { ...who(c), name: c.body.name });
        c.set.status = 201;
        return { group };
      },
      { permission: "admin", body: GroupBody, response: { 201: GroupEnvelope }, detail: { summary: "Create a group (409 groups.name_taken)", tags } },
    )
    .get("/groups/:id", async (c) => getGroupDetail(deps, c.params.id), {
      permission: "admin",
      params: GroupIdParams,
      response: GroupDetailResponse,
      detail: { summary: "A group with its members and the tools limited to it", tags },
    })
    .patch("/groups/:id", async (c) => ({ group: await renameGroup(deps, { ...who(c), id: c.params.id, name: c.body.name }) }), {
      permission: "admin",
      params: GroupIdParams,
      body: GroupBody,
      response: GroupEnvelope,
      detail: { summary: "Rename a group", tags },
    })
    .delete(
      "/groups/:id",
      async (c) => {
        await deleteGroup(deps, { ...who(c), id: c.params.id });
        c.set.status = 204;
      },
      { permission: "admin", params: GroupIdParams, detail: { summary: "Delete a group; tools limited only to it become open to everyone", tags } },
    )
    .post(
      "/groups/:id/members",
      async (c) => {
        const member = await addMember(deps, { ...who(c), id: c.params.id, email: c.body.email });
        c.set.status = 201;
        return { member };
      },
      {
        permission: "admin",
        params: GroupIdParams,
        body: MemberBody,
        response: { 201: MemberEnvelope },
        detail: { summary: "Add a member by e-mail address (idempotent; 404 groups.user_not_found)", tags },
      },
    )
    .delete(
      "/groups/:id/members/:userId",
      async (c) => {
        await removeMember(deps, { ...who(c), id: c.params.id, userId: c.params.userId });
        c.set.status = 204;
      },
      { permission: "admin", params: MemberParams, detail: { summary: "Remove a member", tags } },
    )
    .get("/tools/:slug/access", async (c) => getToolAccess(deps, c.params.slug), {
      permission: "admin",
      params: ToolSlugParams,
      response: ToolAccessResponse,
      detail: { summary: "The groups a tool is limited to (empty: everyone)", tags },
    })
    .put("/tools/:slug/access", async (c) => setToolAccess(deps, { ...who(c), slug: c.params.slug, groupIds: c.body.group_ids }), {
      permission: "admin",
      params: ToolSlugParams,
      body: ToolAccessBody,
      response: ToolAccessResponse,
      detail: { summary: "Limit a tool to groups (hidden and 404 for everyone else but admins); [] opens it to everyone", tags },
    });
}
