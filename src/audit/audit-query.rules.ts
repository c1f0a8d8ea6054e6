// Turning the audit view's query string into a query: dates (a bare date means the whole day) and
// trimmed optional filters. Pure rules, no I/O.
import type { AuditQuery } from "./audit-query.repository";

export type AuditQueryInput = { from?: string; to?: string; actor?: string; action?: string; target_type?: string; q?: string };
export type AuditQueryProblem = { path: "/from" | "/to"; message: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A bare date is the start of that day (UTC) for `from` and its last millisecond for `to`. */
export function parseBound(value: string, end: boolean): Date | null {
  const v = value.trim();
  if (DATE_ONLY.test(v)) {
    const d = new Date(`${v}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return null;
    return end ? new Date(d.getTime() + 86_400_000 - 1) : d;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toAuditQuery(input: AuditQueryInput): { ok: true; query: AuditQuery } | { ok: false; problems: AuditQueryProblem[] } {
  const problems: AuditQueryProblem[] = [];
  const query: AuditQuery = {};
  if (input.from?.trim()) {
    const d = parseBound(input.from, false);
    if (d) query.from = d;
    else problems.push({ path: "/from", message: "expected a date (YYYY-MM-DD) or a date-time" });
  }
  if (input.to?.trim()) {
    const d = parseBound(input.to, true);
    if (d) query.to = d;
    else problems.push({ path: "/to", message: "expected a date (YYYY-MM-DD) or a date-time" });
  }
  const text = (v: string | undefined) => v?.trim() || undefined;
  const actor = text(input.actor);
  const action = text(input.action);
  const targetType = text(input.target_type);
  const q = text(input.q);
  if (actor) query.actor = actor;
  if (action) query.action = action;
  if (targetType) query.targetType = targetType;
  if (q) query.text = q;
  return problems.length ? { ok: false, problems } : { ok: true, query };
}
