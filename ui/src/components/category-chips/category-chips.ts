import { css, html, nothing } from "lit";
import type { DocumentCategoryRef } from "../../api/documents.api";
import { t } from "../../i18n/t";

/** A document's categories as a labelled list of small tags (nothing when it has none). */
export function categoryChips(categories: readonly DocumentCategoryRef[]) {
  if (categories.length === 0) return nothing;
  return html`<ul class="chips" aria-label=${t("documents.categories_of_document")}>
    ${categories.map((c) => html`<li><wa-tag size="s" variant="brand" appearance="outlined">${c.name}</wa-tag></li>`)}
  </ul>`;
}

/** Styles for categoryChips(), added to the styles of the element that renders them. */
export const categoryChipsStyles = css`
  ul.chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-2xs);
    list-style: none;
    margin: 0;
    padding: 0;
  }
`;
