import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { SkElement } from "../../components/sk-element/sk-element";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";

/** @summary Shown when a logged-in user opens a page their role may not see (the admin pages). */
@customElement("sk-forbidden-page")
export class SkForbiddenPage extends SkElement {
  static override styles = pageStyles;

  override render() {
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.forbidden")}</h1>
        <p>${t("forbidden.body")}</p>
        <p><a href="/">${t("common.go_home")}</a></p>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-forbidden-page": SkForbiddenPage;
  }
}
