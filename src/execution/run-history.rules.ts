// Pure rules of the run history (GET /api/v1/runs): reading its filters from the query string, and the
// names files get when a run's results are downloaded together (artifacts.zip, table.xlsx).
import { RUN_STATUS_VALUES, type RunStatus } from "./runs.repository";

export type FilterProblem = { path: string; message: string };

/** `?status=failed,timed_out` → the statuses (deduplicated, in the order given); unknown names are problems. */
export function parseStatusFilter(value: string | undefined): { statuses: RunStatus[]; problems: FilterProblem[] } {
  const names = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const statuses: RunStatus[] = [];
  const problems: FilterProblem[] = [];
  for (const name of names) {
    const status = RUN_STATUS_VALUES.find((s) => s === name);
    if (!status) problems.push({ path: "/status", message: `"${name.slice(0, 40)}" is not a run status. Use ${RUN_STATUS_VALUES.join(", ")}.` });
    else if (!statuses.includes(status)) statuses.push(status);
  }
  return { statuses, problems };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A date bound of the list: an ISO date-time ("2026-11-23T00:00:00+01:00", what the UI sends for the
 * teacher's own midnight) or a plain date, read in UTC. A plain `to` date includes that whole day, so
 * `from=2026-11-23&to=2026-11-23` is the one day. Returns null for anything else.
 */
export function parseDateBound(value: string, bound: "from" | "to"): Date | null {
  if (DATE_ONLY.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) return null;
    return bound === "to" ? new Date(day.getTime() + DAY_MS) : day;
  }
  if (!DATE_TIME.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Characters that must not reach a file name in a download: controls, bidi overrides, path and reserved characters. */
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]/g;

/** A download file name stem: unsafe characters → "_", runs of spaces collapsed, at most 80 characters, never empty. */
export function safeFileStem(text: string, fallback: string): string {
  const clean = text.replace(UNSAFE_NAME_CHARS, "_").replace(/\s+/g, " ").trim().slice(0, 80).trim();
  return clean === "" || /^\.+$/.test(clean) ? fallback : clean;
}

/** "<tool slug>-<yyyy-mm-dd>.zip": the zip of a run's files, dated by when the run was queued (UTC). */
export function artifactsZipName(toolSlug: string, queuedAt: Date): string {
  return `${safeFileStem(toolSlug, "korning")}-${queuedAt.toISOString().slice(0, 10)}.zip`;
}

/**
 * Entry names inside the zip: the artifact path without "output/" (its folders kept, "." and ".."
 * segments and unsafe characters removed), made unique with " (2)" before the extension.
 */
export function zipEntryNames(paths: readonly string[]): string[] {
  const used = new Set<string>();
  return paths.map((path) => {
    const segments = path
      .replace(/^output\//, "")
      .split("/")
      .map((s) => s.replace(UNSAFE_NAME_CHARS, "_").trim())
      .filter((s) => s !== "" && s !== "." && s !== "..");
    const name = segments.join("/") || "fil";
    let candidate = name;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) {
      const dot = name.lastIndexOf(".");
      const slash = name.lastIndexOf("/");
      candidate = dot > slash + 1 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
    }
    used.add(candidate.toLowerCase());
    return candidate;
  });
}
