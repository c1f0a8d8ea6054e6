// What retention removes and when, as pure rules: each kind of data, the [retention] key that sets
// its period, the cutoff time, and the report printed by the CLI and shown to admins.
import type { Config } from "../config/config.keys";
import { countOf, formatBytes } from "./backup.rules";

export type RetentionKind =
  | "runs"
  | "sandbox_runs"
  | "login_events"
  | "sessions"
  | "email_tokens"
  | "audit_events"
  | "documents"
  | "sandbox_snapshots"
  | "webhook_deliveries"
  | "api_keys"
  | "device_grants";

export type RetentionItem = {
  kind: RetentionKind;
  /** the config key that sets the period, e.g. "retention.runs_days" */
  key: string;
  days: number;
  /** data older than this is removed (ISO time) */
  cutoff: string;
  rows: number;
  /** blob files removed with the rows, and their bytes */
  files: number;
  bytes: number;
  /** why nothing was done for this kind (reports of older versions: "this version stores no documents") */
  skipped?: string;
};

export type RetentionReport = {
  trigger: "cli" | "schedule";
  dry_run: boolean;
  started_at: string;
  finished_at: string;
  items: RetentionItem[];
  /** files that could not be removed after their rows were (logged; unreachable leftovers) */
  errors: string[];
};

export type RetentionPlanEntry = { kind: RetentionKind; key: string; days: number; cutoff: Date };

const DAY_MS = 86_400_000;

export function cutoffFor(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Every kind, in the order it is pruned, with its period. Sessions, e-mail links, API keys and
 * device sign-ins share the login-events period: they are the records of how people signed in.
 * Sandbox snapshots (the editor's buffers stored for test runs) follow the sandbox runs that used
 * them, so they come after those; webhook deliveries report on runs and share their period, and
 * come before API keys, whose removal takes their deliveries along uncounted.
 */
export function retentionPlan(config: Pick<Config, "retention">, now: Date): RetentionPlanEntry[] {
  const r = config.retention;
  const entry = (kind: RetentionKind, key: keyof Config["retention"] & `${string}_days`, days: number): RetentionPlanEntry => ({ kind, key: `retention.${key}`, days, cutoff: cutoffFor(now, days) });
  return [
    entry("runs", "runs_days", r.runs_days),
    entry("sandbox_runs", "sandbox_runs_days", r.sandbox_runs_days),
    entry("login_events", "login_events_days", r.login_events_days),
    entry("sessions", "login_events_days", r.login_events_days),
    entry("email_tokens", "login_events_days", r.login_events_days),
    entry("audit_events", "audit_events_days", r.audit_events_days),
    entry("documents", "documents_days", r.documents_days),
    entry("sandbox_snapshots", "sandbox_runs_days", r.sandbox_runs_days),
    entry("webhook_deliveries", "runs_days", r.runs_days),
    entry("api_keys", "login_events_days", r.login_events_days),
    entry("device_grants", "login_events_days", r.login_events_days),
  ];
}

const LABELS: Record<RetentionKind, string> = {
  runs: "runs",
  sandbox_runs: "sandbox test runs",
  login_events: "login events",
  sessions: "ended login sessions",
  email_tokens: "used or expired e-mail links",
  audit_events: "audit events",
  documents: "documents",
  sandbox_snapshots: "sandbox snapshots",
  webhook_deliveries: "finished webhook deliveries",
  api_keys: "expired or revoked API keys",
  device_grants: "ended device sign-ins",
};

/** Lines for the CLI and the log: one per kind, then totals. */
export function reportLines(report: RetentionReport): string[] {
  const verb = report.dry_run ? "would remove" : "removed";
  const lines = [report.dry_run ? "Dry run: nothing was removed." : `Pruned at ${report.finished_at}.`];
  const width = Math.max(...report.items.map((i) => LABELS[i.kind].length));
  for (const i of report.items) {
    const label = LABELS[i.kind].padEnd(width);
    if (i.skipped) {
      lines.push(`  ${label}  skipped: ${i.skipped}`);
      continue;
    }
    const files = i.files ? `, ${countOf(i.files, "file")} (${formatBytes(i.bytes)})` : "";
    lines.push(`  ${label}  ${verb} ${i.rows}${files} — older than ${i.days} days (${i.key}), before ${i.cutoff.slice(0, 10)}`);
  }
  const rows = report.items.reduce((n, i) => n + i.rows, 0);
  const files = report.items.reduce((n, i) => n + i.files, 0);
  const bytes = report.items.reduce((n, i) => n + i.bytes, 0);
  lines.push(`Total: ${verb} ${rows} rows and ${countOf(files, "file")} (${formatBytes(bytes)}).`);
  for (const e of report.errors) lines.push(`Warning: ${e}`);
  return lines;
}
