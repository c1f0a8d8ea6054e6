import { html } from "lit";
import type { RunStatus } from "../../api/runs.api";
import { t } from "../../i18n/t";

const VARIANTS: Record<RunStatus, "neutral" | "brand" | "success" | "danger" | "warning"> = {
  queued: "neutral",
  running: "brand",
  succeeded: "success",
  failed: "danger",
  timed_out: "warning",
  cancelled: "neutral",
};

/** A run status in words. */
export function statusText(status: RunStatus): string {
  return t(`run.status.${status}`);
}

/** A run status as a small coloured tag. */
export function statusTag(status: RunStatus) {
  return html`<wa-tag size="s" variant=${VARIANTS[status]} appearance="filled-outlined">${statusText(status)}</wa-tag>`;
}
