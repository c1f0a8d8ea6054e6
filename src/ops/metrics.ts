// Prometheus metrics: one registry per server, so tests and several apps in one process never mix.
import client from "prom-client";

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics({ defaults = true }: { defaults?: boolean } = {}) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app: "skriptoteket" });
  let collectingDefaults = false;
  /**
   * Process metrics (CPU, memory, event-loop lag, GC). Registering them costs ≈5 ms, so `serve`
   * starts with `defaults: false` and calls this once it answers requests. Idempotent.
   */
  const collectDefaults = () => {
    if (collectingDefaults) return;
    collectingDefaults = true;
    client.collectDefaultMetrics({ register: registry, prefix: "skriptoteket_" });
  };
  if (defaults) collectDefaults();
  const httpDuration = new client.Histogram({
    name: "skriptoteket_http_request_duration_seconds",
    help: "HTTP request duration by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new client.Counter({
    name: "skriptoteket_logins_total",
    help: "Login attempts by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  // the run queue and its workers (src/execution/worker.ts records these)
  const runQueueDepth = new client.Gauge({
    name: "skriptoteket_run_queue_depth",
    help: "Runs waiting in the queue (refreshed every few seconds by the workers)",
    registers: [registry],
  });
  const runWait = new client.Histogram({
    name: "skriptoteket_run_wait_seconds",
    help: "Time from a run being queued to a worker starting it, by run kind",
    labelNames: ["kind"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const runDuration = new client.Histogram({
    name: "skriptoteket_run_duration_seconds",
    help: "Time from a worker starting a run to its result being stored, by run kind",
    labelNames: ["kind"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const runOutcomes = new client.Counter({
    name: "skriptoteket_runs_total",
    help: "Finished runs by terminal status and run kind",
    labelNames: ["status", "kind"] as const,
    registers: [registry],
  });
  // retention (src/ops/retention.service.ts records these on a real prune, never on a dry run)
  const retentionLastRun = new client.Gauge({
    name: "skriptoteket_retention_last_run_timestamp_seconds",
    help: "When the last real retention prune finished (Unix time; 0 before the first one this database has seen)",
    registers: [registry],
  });
  const retentionRemoved = new client.Counter({
    name: "skriptoteket_retention_removed_total",
    help: "Rows removed by retention prunes by kind of data (runs, login_events, audit_events, …); kind=\"files\" counts the files removed with runs",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  return { registry, collectDefaults, httpDuration, logins, runQueueDepth, runWait, runDuration, runOutcomes, retentionLastRun, retentionRemoved };
}
