import { diffJson } from "diff";
import { html, nothing } from "lit";
import { t } from "../../i18n/t";

/**
 * An audit event's before and after as a line diff of their JSON: removed lines in <del> with "−",
 * added ones in <ins> with "+", so the change reads without colour too. Every line is a block (see the
 * page's styles), so no newline characters are needed between them.
 */
export function auditDiff(before: unknown, after: unknown) {
  if (before === null && after === null) return html`<p>${t("access.audit_no_payload")}</p>`;
  const parts = diffJson(before ?? {}, after ?? {});
  const lines = parts.flatMap((part) =>
    part.value
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => ({ line, added: part.added, removed: part.removed })),
  );
  return html`<pre class="diff" tabindex="0" aria-label=${t("access.audit_diff_label")}>${lines.map((l) =>
    l.added
      ? html`<ins><span aria-hidden="true">+ </span><span class="visually-hidden">${t("access.diff_added")} </span>${l.line}</ins>`
      : l.removed
        ? html`<del><span aria-hidden="true">− </span><span class="visually-hidden">${t("access.diff_removed")} </span>${l.line}</del>`
        : html`<span class="same">${"  "}${l.line}</span>`,
  )}</pre>${nothing}`;
}
