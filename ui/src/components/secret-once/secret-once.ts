import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";
import { SkElement } from "../sk-element/sk-element";

/**
 * @summary A secret shown once (a new API key, a webhook secret): read-only text the user can select,
 * a copy button, and a warning that it will not be shown again.
 */
@customElement("sk-secret-once")
export class SkSecretOnce extends SkElement {
  static override styles = [
    pageStyles,
    css`
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: var(--wa-space-s);
      align-items: end;
    }
    wa-input {
      flex: 1 1 16rem;
      min-width: 0;
    }
    wa-input::part(input) {
      font-family: var(--wa-font-family-code);
    }
  `,
  ];

  /** The label of the field, e.g. "Your new API key". */
  @property() label = "";
  @property() secret = "";
  @state() private copied = false;

  override render() {
    return html`<div class="row">
        <wa-input readonly label=${this.label} .value=${this.secret} data-secret @focus=${this.selectAll}></wa-input>
        <wa-button @click=${this.copy}>${this.copied ? t("access.copied") : t("access.copy")}</wa-button>
      </div>
      <span class="visually-hidden" role="status">${this.copied ? t("access.copied") : nothing}</span>`;
  }

  private selectAll(event: Event) {
    const input = (event.currentTarget as HTMLElement).shadowRoot?.querySelector("input");
    input?.select();
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(this.secret);
      this.copied = true;
    } catch {
      // Without clipboard permission the text stays selectable in the field.
      this.copied = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-secret-once": SkSecretOnce;
  }
}
