import { RUN_STATUSES, type RunListQuery, type RunStatus } from "../../api/runs.api";

/** The run history's filters, kept in the URL (`/runs?tool=&status=&from=&to=&page=`). */
export interface RunsFilters {
  tool: string;
  status: RunStatus | null;
  /** yyyy-mm-dd, the teacher's own calendar days; "" = open. */
  from: string;
  to: string;
  page: number;
}

export const RUNS_PAGE_SIZE = 20;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseRunsQuery(search: string): RunsFilters {
  const params = new URLSearchParams(search);
  const status = RUN_STATUSES.find((s) => s === params.get("status")) ?? null;
  const day = (name: string) => {
    const value = params.get(name) ?? "";
    return DAY.test(value) && localDayStart(value) ? value : "";
  };
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { tool: (params.get("tool") ?? "").trim(), status, from: day("from"), to: day("to"), page: Number.isFinite(page) && page > 0 ? page : 1 };
}

export function runsPath(filters: RunsFilters): string {
  const params = new URLSearchParams();
  if (filters.tool) params.set("tool", filters.tool);
  if (filters.status) params.set("status", filters.status);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.page > 1) params.set("page", String(filters.page));
  const text = params.toString();
  return text ? `/runs?${text}` : "/runs";
}

/** Midnight at the start of a yyyy-mm-dd day in the browser's time zone; null for an impossible day. */
export function localDayStart(day: string): Date | null {
  if (!DAY.test(day)) return null;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

/** The API query: `to` includes its whole day (up to the next local midnight). */
export function runsApiQuery(filters: RunsFilters): RunListQuery {
  const from = filters.from ? localDayStart(filters.from) : null;
  const toStart = filters.to ? localDayStart(filters.to) : null;
  const to = toStart ? new Date(toStart.getFullYear(), toStart.getMonth(), toStart.getDate() + 1) : null;
  return {
    tool: filters.tool || undefined,
    status: filters.status ?? undefined,
    from: from?.toISOString(),
    to: to?.toISOString(),
    page: filters.page,
    page_size: RUNS_PAGE_SIZE,
  };
}
