// Request and response shapes of the groups API (admin).
import { t } from "elysia";

export const GroupJson = t.Object({
  id: t.String(),
  name: t.String(),
  member_count: t.Integer(),
  tool_count: t.Integer(),
  created_at: t.String({ format: "date-time" }),
  updated_at: t.String({ format: "date-time" }),
});
export const MemberJson = t.Object({ user_id: t.String(), email: t.String(), first_name: t.String(), last_name: t.String(), added_at: t.String({ format: "date-time" }) });
export const GroupToolJson = t.Object({ slug: t.String(), title: t.String() });

export const GroupName = t.String({ minLength: 1, maxLength: 100, pattern: "\\S" });
export const GroupBody = t.Object({ name: GroupName });
export const GroupIdParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) });
export const MemberParams = t.Object({ id: t.String({ minLength: 1, maxLength: 64 }), userId: t.String({ minLength: 1, maxLength: 64 }) });
export const MemberBody = t.Object({ email: t.String({ minLength: 3, maxLength: 254 }) });
export const ToolSlugParams = t.Object({ slug: t.String({ minLength: 1, maxLength: 100 }) });
export const ToolAccessBody = t.Object({ group_ids: t.Array(t.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 }) });

export const GroupListResponse = t.Object({ items: t.Array(GroupJson) });
export const GroupEnvelope = t.Object({ group: GroupJson });
export const GroupDetailResponse = t.Object({ group: GroupJson, members: t.Array(MemberJson), tools: t.Array(GroupToolJson) });
export const MemberEnvelope = t.Object({ member: MemberJson });
export const ToolAccessResponse = t.Object({ slug: t.String(), title: t.String(), group_ids: t.Array(t.String()) });
