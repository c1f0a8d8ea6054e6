import { css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { setFavorite } from "../../api/catalog.api";
import { FavoriteChangeEvent } from "../../events/favorite-change";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";

/**
 * @summary A star toggle that makes a tool one of the user's favorites (saved at once). A toggle
 * button (`aria-pressed`) named after the tool, so a list of cards reads clearly.
 *
 * @event sk-favorite-change - Saved (`event.slug`, `event.favorite`).
 */
@customElement("sk-favorite-button")
export class SkFavoriteButton extends SkElement {
  static override styles = css`
    :host {
      display: inline-flex;
    }
    button {
      all: unset;
      box-sizing: border-box;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 2.5rem;
      height: 2.5rem;
      border-radius: 50%;
      cursor: pointer;
      color: var(--wa-color-text-quiet);
      font-size: 1.25rem;
    }
    button:hover {
      background: var(--wa-color-neutral-fill-quiet);
    }
    button:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
    }
    button[aria-pressed="true"] {
      color: var(--wa-color-warning-60, #b77b00);
    }
    button[disabled] {
      cursor: progress;
      opacity: 0.6;
    }
    .error {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `;

  @property() slug = "";
  /** The tool's title: the button's accessible name says which tool it stars. */
  @property({ attribute: "tool-title" }) toolTitle = "";
  @property({ type: Boolean, reflect: true }) favorite = false;
  @state() private busy = false;
  @state() private error = "";

  override render() {
    const label = this.favorite ? t("favorite.remove", { title: this.toolTitle }) : t("favorite.add", { title: this.toolTitle });
    return html`
      <button type="button" aria-pressed=${this.favorite ? "true" : "false"} aria-label=${label} title=${label} ?disabled=${this.busy} @click=${this.toggle}>
        <wa-icon name=${this.favorite ? "star" : "star-outline"} aria-hidden="true"></wa-icon>
      </button>
      <span class="error" role="alert">${this.error}</span>
    `;
  }

  private async toggle() {
    const next = !this.favorite;
    this.busy = true;
    this.error = "";
    try {
      const saved = await setFavorite(this.slug, next);
      this.favorite = saved.is_favorite;
      this.dispatchEvent(new FavoriteChangeEvent(this.slug, saved.is_favorite));
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-favorite-button": SkFavoriteButton;
  }
}
