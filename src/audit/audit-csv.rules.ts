// CSV of audit events: RFC 4180 quoting, and cells that a spreadsheet would run as a formula (leading
// = + - @, tab or carriage return) get a leading apostrophe, so an e-mail address or a tool title
// typed by someone cannot become a formula in the admin's Excel. Pure rules, no I/O.
import type { AuditEventRecord } from "./audit.repository";

export const AUDIT_CSV_COLUMNS = ["created_at", "actor_id", "actor_email", "action", "target_type", "target_id", "ip", "user_agent", "request_id", "before", "after"] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function csvHeader(): string {
  return AUDIT_CSV_COLUMNS.join(",") + "\r\n";
}

export function csvRow(e: AuditEventRecord): string {
  const cells = [e.createdAt.toISOString(), e.actorId, e.actorEmail, e.action, e.targetType, e.targetId, e.ip, e.userAgent, e.requestId, json(e.before), json(e.after)];
  return cells.map(csvCell).join(",") + "\r\n";
}

/** "audit-20260302-081500.csv" */
export function csvFileName(now: Date): string {
  const s = now.toISOString();
  return `audit-${s.slice(0, 10).replace(/-/g, "")}-${s.slice(11, 19).replace(/:/g, "")}.csv`;
}
