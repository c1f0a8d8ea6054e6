// Groups of users and the tools limited to them, for PostgreSQL. Keep in step with groups.schema.sqlite.ts.
import { pgTable, text, timestamp, index, uniqueIndex, primaryKey } from "drizzle-orm/pg-core";
import { users } from "../identity/identity.schema.pg";
import { tools } from "../tools/tools.schema.pg";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const groups = pgTable(
  "groups",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Lower-cased name: two groups may not differ only in case. */
    nameKey: text("name_key").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [uniqueIndex("groups_name_key_uq").on(t.nameKey)],
);

export const groupMembers = pgTable(
  "group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: ts("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId)],
);

/** A tool with at least one row here is visible only to members of those groups (and to admins). */
export const toolAccessGroups = pgTable(
  "tool_access_groups",
  {
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.toolId, t.groupId] }), index("tool_access_groups_group_idx").on(t.groupId)],
);
