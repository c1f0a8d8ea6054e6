/** Shapes of the retention admin API (src/ops/retention.schemas.ts), free of browser imports so the
 * browser tests' mock API can use them too. */
export const RETENTION_KINDS = ["runs", "sandbox_runs", "login_events", "sessions", "email_tokens", "audit_events", "documents", "sandbox_snapshots", "webhook_deliveries", "api_keys", "device_grants"] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface RetentionItem {
  kind: RetentionKind;
  /** the config key that sets the period, e.g. "retention.runs_days" */
  key: string;
  days: number;
  /** data older than this was removed (ISO time) */
  cutoff: string;
  rows: number;
  files: number;
  bytes: number;
  /** why nothing was done for this kind (a server text in English) */
  skipped?: string;
}

export interface RetentionReport {
  trigger: "cli" | "schedule";
  dry_run: boolean;
  started_at: string;
  finished_at: string;
  items: RetentionItem[];
  errors: string[];
}

export interface RetentionOverview {
  enabled: boolean;
  periods: { runs_days: number; sandbox_runs_days: number; login_events_days: number; audit_events_days: number; documents_days: number };
  last_report: RetentionReport | null;
}
