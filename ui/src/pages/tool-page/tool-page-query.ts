/** The run to show, from `?run=<id>` (the tool page keeps its latest run in the URL, so a reload shows it again). */
export function runParam(search: string): string | null {
  const id = new URLSearchParams(search).get("run");
  return id && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null;
}

/** The tool page showing one of its runs. */
export function toolRunPath(slug: string, runId: string): string {
  return `/tools/${encodeURIComponent(slug)}?run=${encodeURIComponent(runId)}`;
}
