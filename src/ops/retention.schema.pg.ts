// The last reports of retention pruning (PostgreSQL). Keep in step with retention.schema.sqlite.ts.
import { pgTable, text, jsonb, timestamp, index } from "drizzle-orm/pg-core";
import type { RetentionReport } from "./retention.rules";

const ms = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const retentionReports = pgTable(
  "retention_reports",
  {
    id: text("id").primaryKey(),
    trigger: text("trigger", { enum: ["cli", "schedule"] }).notNull(),
    startedAt: ms("started_at").notNull(),
    finishedAt: ms("finished_at").notNull(),
    report: jsonb("report").$type<RetentionReport>().notNull(),
  },
  (t) => [index("retention_reports_started_idx").on(t.startedAt)],
);
