import { css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirmLabel: string;
  variant?: "danger" | "brand";
}

/**
 * @summary Asks the user to confirm an action in a modal Web Awesome dialog.
 *
 * `await dialog.ask({...})` resolves true when the user confirms and false when they cancel, press
 * Escape or close the dialog.
 */
@customElement("sk-confirm-dialog")
export class SkConfirmDialog extends SkElement {
  static override styles = css`
    wa-dialog::part(footer) {
      flex-wrap: wrap;
      gap: var(--wa-space-s);
    }
  `;

  @state() private options: ConfirmOptions | null = null;
  @state() private open = false;
  private resolve: ((confirmed: boolean) => void) | null = null;

  ask(options: ConfirmOptions): Promise<boolean> {
    this.resolve?.(false);
    this.options = options;
    this.open = true;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  private settle(confirmed: boolean) {
    this.resolve?.(confirmed);
    this.resolve = null;
    this.open = false;
  }

  override render() {
    const options = this.options;
    return html`
      <wa-dialog label=${options?.title ?? ""} ?open=${this.open} @wa-after-hide=${this.onAfterHide}>
        <p>${options?.body}</p>
        <wa-button slot="footer" @click=${() => this.settle(false)}>${t("common.cancel")}</wa-button>
        <wa-button slot="footer" variant=${options?.variant ?? "brand"} @click=${() => this.settle(true)}>
          ${options?.confirmLabel}
        </wa-button>
      </wa-dialog>
    `;
  }

  private onAfterHide(event: Event) {
    // Escape or the close button closed the dialog itself (events from inner popups are ignored).
    if (event.target !== event.currentTarget) return;
    if (this.resolve) this.settle(false);
    this.open = false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-confirm-dialog": SkConfirmDialog;
  }
}
