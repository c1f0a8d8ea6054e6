import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { SkElement } from "../../components/sk-element/sk-element";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";

/** @summary Shown for any path the UI does not know. */
@customElement("sk-not-found-page")
export class SkNotFoundPage extends SkElement {
  static override styles = pageStyles;

  override render() {
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.not_found")}</h1>
        <p>${t("not_found.body")}</p>
        <p><a href="/">${t("common.go_home")}</a></p>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-not-found-page": SkNotFoundPage;
  }
}
