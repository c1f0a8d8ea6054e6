import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { resetUserPassword } from "../../api/admin-users.api";
import type { User } from "../../api/api-types";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { displayName } from "../../session/session";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { resetPasswordDialogStyles } from "./reset-password-dialog.styles";

type Step = "confirm" | "result";

/**
 * @summary A superuser resets another user's password: confirm, then see the generated temporary
 * password once (with a copy button). The password lives only in this element's state and is
 * forgotten when the dialog closes.
 */
@customElement("sk-reset-password-dialog")
export class SkResetPasswordDialog extends SkElement {
  static override styles = resetPasswordDialogStyles;

  @state() private user: User | null = null;
  @state() private step: Step = "confirm";
  @state() private password = "";
  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private open = false;

  show(user: User): void {
    this.user = user;
    this.step = "confirm";
    this.password = "";
    this.error = null;
    this.open = true;
  }

  private async confirm() {
    if (!this.user) return;
    this.busy = true;
    this.error = null;
    try {
      this.password = await resetUserPassword(this.user.id);
      this.step = "result";
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  private close() {
    this.open = false;
  }

  private onAfterHide(event: Event) {
    if (event.target !== event.currentTarget) return;
    this.open = false;
    this.password = "";
  }

  override render() {
    const name = this.user ? displayName(this.user) : "";
    const resultStep = this.step === "result";
    return html`
      <wa-dialog
        label=${resultStep ? t("admin.reset.result_title") : t("admin.reset.confirm_title")}
        ?open=${this.open}
        @wa-after-hide=${this.onAfterHide}
      >
        ${resultStep ? this.renderResult(name) : html`<p>${t("admin.reset.confirm_body", { name })}</p>`}
        ${notice("danger", this.error)}
        ${resultStep
          ? html`<wa-button slot="footer" variant="brand" @click=${this.close}>${t("common.close")}</wa-button>`
          : html`
              <wa-button slot="footer" @click=${this.close}>${t("common.cancel")}</wa-button>
              <wa-button slot="footer" variant="danger" ?loading=${this.busy} @click=${this.confirm}>
                ${t("admin.reset.confirm")}
              </wa-button>
            `}
      </wa-dialog>
    `;
  }

  private renderResult(name: string) {
    if (!this.password) return nothing;
    return html`
      <p>${t("admin.reset.result_body", { name })}</p>
      <div class="password">
        <wa-input
          id="temporary-password"
          label=${t("admin.reset.password_label")}
          readonly
          .value=${this.password}
          autocomplete="off"
          spellcheck="false"
        ></wa-input>
        <wa-copy-button .value=${this.password}></wa-copy-button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-reset-password-dialog": SkResetPasswordDialog;
  }
}
