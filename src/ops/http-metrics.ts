// Records each request's duration under its route pattern (not the raw path: ids would explode
// the label set).
import { Elysia } from "elysia";
import type { Metrics } from "./metrics";

export function httpMetrics(metrics: Metrics) {
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: "http-metrics" })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const t0 = started.get(request);
      if (t0 === undefined) return;
      const status = typeof set.status === "number" ? set.status : 200;
      const pattern = route && route.startsWith("/api/") ? route : route === "/*" ? "ui" : route || "unmatched";
      metrics.httpDuration.observe({ method: request.method, route: pattern, status: String(status) }, (performance.now() - t0) / 1000);
    });
}
