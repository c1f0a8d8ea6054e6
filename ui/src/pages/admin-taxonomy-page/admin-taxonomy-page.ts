import { css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { SkElement } from "../../components/sk-element/sk-element";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/admin-nav/admin-nav";
import "../../components/taxonomy-editor/taxonomy-editor";

/**
 * @summary Admins keep the catalog's professions and categories: add, rename, reorder and remove them
 * (removal is refused while tools use an entry).
 */
@customElement("sk-admin-taxonomy-page")
export class SkAdminTaxonomyPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      sk-taxonomy-editor {
        margin-bottom: var(--wa-space-2xl);
      }
    `,
  ];

  override render() {
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.admin_taxonomy")}</h1>
        <sk-admin-nav current="taxonomy"></sk-admin-nav>
        <p>${t("taxonomy.intro")}</p>
        <sk-taxonomy-editor class="card" kind="professions"></sk-taxonomy-editor>
        <sk-taxonomy-editor class="card" kind="categories"></sk-taxonomy-editor>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-taxonomy-page": SkAdminTaxonomyPage;
  }
}
