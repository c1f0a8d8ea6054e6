// Admin work on groups: create, rename, delete, members, and which groups a tool is limited to.
// Every change is audited and refreshes the in-memory tool-access view of this process.
import { recordAudit, type RequestMeta } from "../audit/audit.service";
import type { AuditActor } from "../audit/audit.actions";
import type { GroupsDeps } from "./groups.deps";
import { GroupErrors } from "./groups.errors";
import type { GroupMember, GroupRecord, GroupTool } from "./groups.repository";

type Ctx = { actor: AuditActor; meta: RequestMeta };

export type GroupJson = { id: string; name: string; member_count: number; tool_count: number; created_at: string; updated_at: string };
export type MemberJson = { user_id: string; email: string; first_name: string; last_name: string; added_at: string };

export function toGroupJson(g: GroupRecord): GroupJson {
  return { id: g.id, name: g.name, member_count: g.memberCount, tool_count: g.toolCount, created_at: g.createdAt.toISOString(), updated_at: g.updatedAt.toISOString() };
}

export function toMemberJson(m: GroupMember): MemberJson {
  return { user_id: m.userId, email: m.email, first_name: m.firstName, last_name: m.lastName, added_at: m.addedAt.toISOString() };
}

async function requireGroup(deps: GroupsDeps, id: string): Promise<GroupRecord> {
  const group = await deps.groups.get(id);
  if (!group) throw GroupErrors.notFound();
  return group;
}

export async function listGroups(deps: GroupsDeps): Promise<GroupJson[]> {
  return (await deps.groups.list()).map(toGroupJson);
}

export async function getGroupDetail(deps: GroupsDeps, id: string): Promise<{ group: GroupJson; members: MemberJson[]; tools: { slug: string; title: string }[] }> {
  const group = await requireGroup(deps, id);
  const [members, tools] = await Promise.all([deps.groups.listMembers(id), deps.groups.listGroupTools(id)]);
  return { group: toGroupJson(group), members: members.map(toMemberJson), tools: tools.map((t: GroupTool) => ({ slug: t.slug, title: t.title })) };
}

export async function createGroup(deps: GroupsDeps, input: Ctx & { name: string }): Promise<GroupJson> {
  const group = await deps.groups.create({ name: input.name, now: deps.now() });
  if (!group) throw GroupErrors.nameTaken();
  await recordAudit(deps, { ...input.meta, actor: input.actor, action: "group.created", target: { type: "group", id: group.id }, before: null, after: { name: group.name } });
  return toGroupJson(group);
}

export async function renameGroup(deps: GroupsDeps, input: Ctx & { id: string; name: string }): Promise<GroupJson> {
  const before = await requireGroup(deps, input.id);
  const result = await deps.groups.rename(input.id, input.name, deps.now());
  if (result === "not_found") throw GroupErrors.notFound();
  if (result === "name_taken") throw GroupErrors.nameTaken();
  if (result.name !== before.name) {
    await recordAudit(deps, { ...input.meta, actor: input.actor, action: "group.renamed", target: { type: "group", id: input.id }, before: { name: before.name }, after: { name: result.name } });
  }
  return toGroupJson(result);
}

/** The group's limits go with it: a tool limited only to this group becomes open to everyone. */
export async function deleteGroup(deps: GroupsDeps, input: Ctx & { id: string }): Promise<void> {
  const group = await requireGroup(deps, input.id);
  if (!(await deps.groups.remove(input.id))) throw GroupErrors.notFound();
  deps.toolAccess.invalidate();
  await recordAudit(deps, {
    ...input.meta,
    actor: input.actor,
    action: "group.deleted",
    target: { type: "group", id: group.id },
    before: { name: group.name, members: group.memberCount, tools: group.toolCount },
    after: null,
  });
}

export async function addMember(deps: GroupsDeps, input: Ctx & { id: string; email: string }): Promise<MemberJson> {
  const group = await requireGroup(deps, input.id);
  const user = await deps.findUserByEmail(input.email.trim());
  if (!user) throw GroupErrors.userNotFound();
  if (await deps.groups.addMember(group.id, user.id, deps.now())) {
    deps.toolAccess.invalidate();
    await recordAudit(deps, { ...input.meta, actor: input.actor, action: "group.member_added", target: { type: "group", id: group.id }, before: null, after: { group: group.name, user_id: user.id, email: user.email } });
  }
  const member = (await deps.groups.listMembers(group.id)).find((m) => m.userId === user.id);
  if (!member) throw GroupErrors.notFound(); // the group was deleted meanwhile
  return toMemberJson(member);
}

export async function removeMember(deps: GroupsDeps, input: Ctx & { id: string; userId: string }): Promise<void> {
  const group = await requireGroup(deps, input.id);
  const member = (await deps.groups.listMembers(group.id)).find((m) => m.userId === input.userId);
  if (!member || !(await deps.groups.removeMember(group.id, input.userId))) throw GroupErrors.memberNotFound();
  deps.toolAccess.invalidate();
  await recordAudit(deps, { ...input.meta, actor: input.actor, action: "group.member_removed", target: { type: "group", id: group.id }, before: { group: group.name, user_id: member.userId, email: member.email }, after: null });
}

export type ToolAccessJson = { slug: string; title: string; group_ids: string[] };

export async function getToolAccess(deps: GroupsDeps, slug: string): Promise<ToolAccessJson> {
  const tool = await deps.groups.findToolBySlug(slug);
  if (!tool) throw GroupErrors.toolNotFound();
  return { slug: tool.slug, title: tool.title, group_ids: await deps.groups.listToolGroupIds(tool.id) };
}

/** Limits a tool to the given groups; an empty list opens it to everyone again. */
export async function setToolAccess(deps: GroupsDeps, input: Ctx & { slug: string; groupIds: string[] }): Promise<ToolAccessJson> {
  const tool = await deps.groups.findToolBySlug(input.slug);
  if (!tool) throw GroupErrors.toolNotFound();
  const wanted = [...new Set(input.groupIds)];
  const existing = await deps.groups.existingGroupIds(wanted);
  if (existing.length !== wanted.length) throw GroupErrors.unknownGroups({ unknown: wanted.filter((id) => !existing.includes(id)) });
  const before = await deps.groups.listToolGroupIds(tool.id);
  await deps.groups.setToolGroups(tool.id, wanted);
  deps.toolAccess.invalidate();
  const sameSet = before.length === wanted.length && before.every((id) => wanted.includes(id));
  if (!sameSet) {
    const names = new Map((await deps.groups.list()).map((g) => [g.id, g.name]));
    const named = (ids: string[]) => ids.map((id) => names.get(id) ?? id).sort();
    await recordAudit(deps, {
      ...input.meta,
      actor: input.actor,
      action: "tool.access_changed",
      target: { type: "tool", id: tool.id },
      before: { slug: tool.slug, groups: named(before) },
      after: { slug: tool.slug, groups: named(wanted) },
    });
  }
  return { slug: tool.slug, title: tool.title, group_ids: wanted };
}
