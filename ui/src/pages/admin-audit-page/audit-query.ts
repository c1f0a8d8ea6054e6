import type { AuditFilter } from "../../api/access.api";

export const AUDIT_FILTER_KEYS = ["from", "to", "actor", "action", "target_type", "q"] as const satisfies readonly (keyof AuditFilter)[];

/** The audit page's state in its URL (`?action=auth.login_failed&page=2`), so Back and links keep it. */
export function parseAuditQuery(search: string): { filter: AuditFilter; page: number } {
  const params = new URLSearchParams(search);
  const value = (k: keyof AuditFilter) => params.get(k)?.trim() ?? "";
  const filter: AuditFilter = { from: value("from"), to: value("to"), actor: value("actor"), action: value("action"), target_type: value("target_type"), q: value("q") };
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { filter, page: Number.isFinite(page) && page > 0 ? page : 1 };
}

export function auditQueryString(filter: AuditFilter, page: number): string {
  const params = new URLSearchParams();
  for (const k of AUDIT_FILTER_KEYS) if (filter[k]) params.set(k, filter[k]);
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
