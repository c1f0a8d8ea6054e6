// The retention metrics behind the "retention has not run" alert: a real prune sets the last-run time
// and counts what it removed by kind (files apart); a dry run changes nothing; serve's schedule starts
// from the newest stored report, so a restart does not look like retention never ran.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFsBlobStore, type BlobStore } from "../store/blob-store";
import { createLogger } from "../log/logger";
import { createTestApp, type TestApp } from "../identity/test-app";
import { insertTestTool, type TestTool } from "../execution/test-runs";
import { bytesOf, seedRun } from "./ops.test-data";
import { createMetrics, type Metrics } from "./metrics";
import { createRetentionDeps, pruneRetention, startRetentionSchedule, type RetentionDeps } from "./retention.service";

const DAY = 86_400_000;
const NOW = new Date("2026-03-02T08:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

async function lastRun(metrics: Metrics): Promise<number | undefined> {
  return (await metrics.retentionLastRun.get()).values[0]?.value;
}
async function removed(metrics: Metrics): Promise<Record<string, number>> {
  return Object.fromEntries((await metrics.retentionRemoved.get()).values.map((v) => [String(v.labels.kind), v.value]));
}

describe("retention metrics", () => {
  let h: TestApp;
  let dir: string;
  let blobs: BlobStore;
  let tool: TestTool;
  const depsWith = (metrics: Metrics | undefined, now = NOW): RetentionDeps =>
    createRetentionDeps({ store: h.store, config: { ...h.config, storage: { ...h.config.storage, data_dir: dir } }, log: createLogger({ level: "error", write: () => {} }), blobStore: blobs, now: () => now, ...(metrics ? { metrics } : {}) });

  beforeAll(async () => {
    h = await createTestApp("sqlite");
    dir = mkdtempSync(join(tmpdir(), "skt-retention-metrics-"));
    blobs = createFsBlobStore(dir);
    h.config.retention = { enabled: true, runs_days: 90, sandbox_runs_days: 30, login_events_days: 180, audit_events_days: 730, documents_days: 365 };
    tool = await insertTestTool(h.store, { source: "def run_tool(i, o):\n    pass\n" });
    const files = { inputs: [{ name: "a.csv", data: bytesOf("a") }], artifacts: [{ name: "b.txt", data: bytesOf("bb") }] };
    for (const days of [100, 120]) await seedRun(h.store, blobs, { tool, userId: h.users.user, finishedAt: ago(days), ...files });
    await seedRun(h.store, blobs, { tool, userId: h.users.user, finishedAt: ago(10), ...files });
    await h.deps.loginEvents.record({ userId: h.users.user, email: "user@skola.se", outcome: "bad_password", ip: "10.0.0.1", userAgent: "test", createdAt: ago(200) });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a dry run records nothing; a real prune sets the finish time and counts rows by kind and files", async () => {
    const metrics = createMetrics({ defaults: false });
    await pruneRetention(depsWith(metrics), { dryRun: true, trigger: "cli" });
    expect(await lastRun(metrics)).toBe(0);
    expect(await removed(metrics)).toEqual({});

    await pruneRetention(depsWith(metrics), { dryRun: false, trigger: "schedule" });
    expect(await lastRun(metrics)).toBe(NOW.getTime() / 1000);
    expect(await removed(metrics)).toEqual({
      runs: 2,
      sandbox_runs: 0,
      login_events: 1,
      sessions: 0,
      email_tokens: 0,
      audit_events: 0,
      documents: 0,
      sandbox_snapshots: 0,
      webhook_deliveries: 0,
      api_keys: 0,
      device_grants: 0,
      files: 4,
    });

    // a counter: the next prune adds to it (nothing left to remove) and moves the time on
    const later = new Date(NOW.getTime() + DAY);
    await pruneRetention(depsWith(metrics, later), { dryRun: false, trigger: "schedule" });
    expect(await lastRun(metrics)).toBe(later.getTime() / 1000);
    expect((await removed(metrics)).runs).toBe(2);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain(`skriptoteket_retention_last_run_timestamp_seconds{app="skriptoteket"} ${later.getTime() / 1000}`);
    expect(exposition).toContain('skriptoteket_retention_removed_total{kind="files",app="skriptoteket"} 4');
  });

  test("without metrics a prune works as before (the CLI passes none)", async () => {
    const report = await pruneRetention(depsWith(undefined), { dryRun: false, trigger: "cli" });
    expect(report.dry_run).toBe(false);
  });

  test("the schedule starts from the newest stored report, also when it is off", async () => {
    const stored = (await depsWith(undefined).repo.lastReport())!;
    for (const enabled of [true, false]) {
      const metrics = createMetrics({ defaults: false });
      const deps = depsWith(metrics);
      const schedule = startRetentionSchedule({ ...deps, config: { ...deps.config, retention: { ...deps.config.retention, enabled } } }, { firstDelayMs: 60_000 });
      await schedule.ready;
      await schedule.stop();
      expect({ enabled, lastRun: await lastRun(metrics) }).toEqual({ enabled, lastRun: stored.finishedAt.getTime() / 1000 });
    }
  });
});
