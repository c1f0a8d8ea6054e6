// One JSON log line per request: request id, method, path (no query: it may hold tokens), status, ms.
import { Elysia } from "elysia";
import type { Logger } from "../log/logger";
import { requestIdOf } from "./http-context";

export function accessLog(log: Logger) {
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: "access-log" })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, set, path }) => {
      const t0 = started.get(request);
      const status = typeof set.status === "number" ? set.status : 200;
      // static assets would drown the log; they are in the metrics
      if (status < 400 && (path.startsWith("/assets/") || path === "/healthz" || path === "/metrics")) return;
      log.info("http", {
        request_id: requestIdOf(request),
        method: request.method,
        path,
        status,
        ms: t0 === undefined ? null : Math.round((performance.now() - t0) * 10) / 10,
      });
    });
}
