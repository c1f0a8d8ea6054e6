import { html, nothing } from "lit";
import { isInProgress, type DocumentStatus } from "../../api/documents.api";
import { t } from "../../i18n/t";

const VARIANTS: Record<DocumentStatus, "neutral" | "brand" | "success" | "danger" | "warning"> = {
  uploaded: "neutral",
  extracting: "brand",
  classifying: "brand",
  needs_review: "warning",
  done: "success",
  failed: "danger",
};

/** A document's pipeline status in words. */
export function documentStatusText(status: DocumentStatus): string {
  return t(`documents.status.${status}`);
}

/** A document's status as a small coloured tag; a spinner while it is still being processed. */
export function documentStatusTag(status: DocumentStatus) {
  return html`<wa-tag size="s" variant=${VARIANTS[status]} appearance="filled-outlined" data-status=${status}
    >${isInProgress(status) ? html`<wa-spinner aria-hidden="true"></wa-spinner>` : nothing}${documentStatusText(status)}</wa-tag
  >`;
}
