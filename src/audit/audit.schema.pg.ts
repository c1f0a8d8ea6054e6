// Append-only audit log (PostgreSQL). Keep in step with audit.schema.sqlite.ts.
import { pgTable, text, jsonb, timestamp, index } from "drizzle-orm/pg-core";

export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    before: jsonb("before").$type<unknown>(),
    after: jsonb("after").$type<unknown>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull(),
  },
  (t) => [
    index("audit_events_created_idx").on(t.createdAt),
    index("audit_events_actor_idx").on(t.actorId, t.createdAt),
    index("audit_events_target_idx").on(t.targetType, t.targetId),
  ],
);
