// Append-only audit log (SQLite). No update or delete path exists in the repository.
import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"), // null for anonymous/system actions
    actorEmail: text("actor_email"),
    action: text("action").notNull(), // a name from audit.actions.ts
    targetType: text("target_type"),
    targetId: text("target_id"),
    before: text("before", { mode: "json" }).$type<unknown>(),
    after: text("after", { mode: "json" }).$type<unknown>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("audit_events_created_idx").on(t.createdAt),
    index("audit_events_actor_idx").on(t.actorId, t.createdAt),
    index("audit_events_target_idx").on(t.targetType, t.targetId),
  ],
);
