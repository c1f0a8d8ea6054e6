// Liveness, readiness and metrics. /readyz reports each dependency; later issues add Docker, the
// runner image and Ollama to `checks`.
import { Elysia, t } from "elysia";
import type { HttpContextPlugin } from "../http/http-context";
import type { Metrics } from "./metrics";

export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

export function healthRoutes(ctx: HttpContextPlugin, deps: { metrics: Metrics; checks: Record<string, ReadinessCheck> }) {
  return new Elysia({ name: "health-routes" })
    .use(ctx)
    .get("/healthz", () => ({ status: "ok" as const }), {
      permission: "public",
      detail: { summary: "Liveness", tags: ["ops"] },
      response: t.Object({ status: t.Literal("ok") }),
    })
    .get(
      "/readyz",
      async ({ set }) => {
        const checks: Record<string, { ok: boolean; detail?: string }> = {};
        await Promise.all(
          Object.entries(deps.checks).map(async ([name, check]) => {
            try {
              checks[name] = await check();
            } catch (e) {
              checks[name] = { ok: false, detail: e instanceof Error ? e.message : String(e) };
            }
          }),
        );
        const ok = Object.values(checks).every((c) => c.ok);
        set.status = ok ? 200 : 503;
        return { status: ok ? ("ready" as const) : ("not_ready" as const), checks };
      },
      { permission: "public", detail: { summary: "Readiness: database and other dependencies", tags: ["ops"] } },
    )
    .get(
      "/metrics",
      async ({ set }) => {
        set.headers["content-type"] = deps.metrics.registry.contentType;
        return deps.metrics.registry.metrics();
      },
      { permission: "public", detail: { summary: "Prometheus metrics", tags: ["ops"] } },
    );
}
