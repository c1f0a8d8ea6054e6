// Retention's pure rules: the plan of kinds, periods and cutoffs, and the printed report.
import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../config/config.keys";
import { reportLines, retentionPlan, type RetentionReport } from "./retention.rules";

const NOW = new Date("2026-11-23T03:00:00.000Z");

describe("retention plan", () => {
  test("every kind with its key, period and cutoff; sign-in records share the login-events period, snapshots follow sandbox runs, deliveries runs", () => {
    const config = defaultConfig();
    const plan = retentionPlan(config, NOW).map((p) => [p.kind, p.key, p.days, p.cutoff.toISOString()]);
    expect(plan).toEqual([
      ["runs", "retention.runs_days", 90, "2026-08-25T03:00:00.000Z"],
      ["sandbox_runs", "retention.sandbox_runs_days", 30, "2026-10-24T03:00:00.000Z"],
      ["login_events", "retention.login_events_days", 180, "2026-05-27T03:00:00.000Z"],
      ["sessions", "retention.login_events_days", 180, "2026-05-27T03:00:00.000Z"],
      ["email_tokens", "retention.login_events_days", 180, "2026-05-27T03:00:00.000Z"],
      ["audit_events", "retention.audit_events_days", 730, "2024-11-23T03:00:00.000Z"],
      ["documents", "retention.documents_days", 365, "2025-11-23T03:00:00.000Z"],
      ["sandbox_snapshots", "retention.sandbox_runs_days", 30, "2026-10-24T03:00:00.000Z"],
      ["webhook_deliveries", "retention.runs_days", 90, "2026-08-25T03:00:00.000Z"],
      ["api_keys", "retention.login_events_days", 180, "2026-05-27T03:00:00.000Z"],
      ["device_grants", "retention.login_events_days", 180, "2026-05-27T03:00:00.000Z"],
    ]);
  });
});

describe("report lines", () => {
  const report: RetentionReport = {
    trigger: "cli",
    dry_run: false,
    started_at: NOW.toISOString(),
    finished_at: "2026-11-23T03:00:02.000Z",
    items: [
      { kind: "runs", key: "retention.runs_days", days: 90, cutoff: "2026-08-25T03:00:00.000Z", rows: 12, files: 30, bytes: 3 * 1024 * 1024 },
      { kind: "login_events", key: "retention.login_events_days", days: 180, cutoff: "2026-05-27T03:00:00.000Z", rows: 400, files: 0, bytes: 0 },
      { kind: "documents", key: "retention.documents_days", days: 365, cutoff: "2025-11-23T03:00:00.000Z", rows: 0, files: 0, bytes: 0, skipped: "this version stores no documents" },
    ],
    errors: ["files of run r1 were not removed: EACCES"],
  };

  test("one line per kind, totals and warnings", () => {
    expect(reportLines(report)).toEqual([
      "Pruned at 2026-11-23T03:00:02.000Z.",
      "  runs          removed 12, 30 files (3.0 MiB) — older than 90 days (retention.runs_days), before 2026-08-25",
      "  login events  removed 400 — older than 180 days (retention.login_events_days), before 2026-05-27",
      "  documents     skipped: this version stores no documents",
      "Total: removed 412 rows and 30 files (3.0 MiB).",
      "Warning: files of run r1 were not removed: EACCES",
    ]);
  });

  test("a dry run says so", () => {
    const lines = reportLines({ ...report, dry_run: true, errors: [] });
    expect(lines[0]).toBe("Dry run: nothing was removed.");
    expect(lines[1]).toContain("would remove 12, 30 files");
    expect(lines.at(-1)).toBe("Total: would remove 412 rows and 30 files (3.0 MiB).");
  });
});
