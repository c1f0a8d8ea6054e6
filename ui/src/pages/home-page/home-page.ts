import { css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { SkElement } from "../../components/sk-element/sk-element";
import { t } from "../../i18n/t";
import { displayName, SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";

/**
 * @summary Start page: greets the user; the tool catalog will live here.
 */
@customElement("sk-home-page")
export class SkHomePage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      .placeholder {
        display: flex;
        gap: var(--wa-space-m);
        align-items: flex-start;
      }
      .placeholder p {
        margin: 0;
      }
      .placeholder wa-icon {
        font-size: 2rem;
        color: var(--wa-color-brand-50);
        flex: none;
      }
    `,
  ];

  private readonly sessionState = new SessionController(this);

  override render() {
    const user = this.sessionState.user;
    const name = user ? user.first_name.trim() || displayName(user) : "";
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("home.greeting", { name })}</h1>
        <div class="card placeholder">
          <wa-icon name="toolbox"></wa-icon>
          <p>${t("home.placeholder")}</p>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-home-page": SkHomePage;
  }
}
