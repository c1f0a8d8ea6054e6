// The last reports of retention pruning (SQLite), for the admin page; a few are kept (see
// retention.service.ts). A table rather than a file in data_dir so every server of a PostgreSQL site
// sees the same report. Keep in step with retention.schema.pg.ts.
import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import type { RetentionReport } from "./retention.rules";

export const retentionReports = sqliteTable(
  "retention_reports",
  {
    id: text("id").primaryKey(),
    trigger: text("trigger", { enum: ["cli", "schedule"] }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }).notNull(),
    report: text("report", { mode: "json" }).$type<RetentionReport>().notNull(),
  },
  (t) => [index("retention_reports_started_idx").on(t.startedAt)],
);
