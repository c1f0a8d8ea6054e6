// The retention admin API: the configured periods and the last prune's report, for the admin page.
import { Elysia } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import type { RetentionDeps } from "./retention.service";
import { RetentionOverview } from "./retention.schemas";

export function retentionRoutes(ctx: HttpContextPlugin, deps: Pick<RetentionDeps, "repo" | "config">) {
  return new Elysia({ name: "retention-routes", prefix: "/api/v1/admin/retention" })
    .use(ctx)
    .get(
      "",
      async () => {
        const r = deps.config.retention;
        const last = await deps.repo.lastReport();
        return {
          enabled: r.enabled,
          periods: {
            runs_days: r.runs_days,
            sandbox_runs_days: r.sandbox_runs_days,
            login_events_days: r.login_events_days,
            audit_events_days: r.audit_events_days,
            documents_days: r.documents_days,
          },
          last_report: last?.report ?? null,
        };
      },
      {
        permission: "admin",
        scope: "admin",
        response: RetentionOverview,
        detail: { summary: "Retention periods and the report of the last prune", tags: ["admin"] },
      },
    );
}
