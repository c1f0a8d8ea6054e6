import { html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { resendVerification, verifyEmail } from "../../api/auth.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";

type Status = "missing" | "working" | "verified" | "failed";

/**
 * @summary Opened from the verification e-mail (`/verify-email?token=…`): verifies the address at
 * once. When the link is bad or used up, the user can ask for a new one.
 */
@customElement("sk-verify-email-page")
export class SkVerifyEmailPage extends SkElement {
  static override styles = pageStyles;

  @property({ attribute: false }) search = "";

  @state() private status: Status = "working";
  @state() private error: string | null = null;
  @state() private resent = false;
  @state() private busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A token is single-use: verify once per distinct link, not on every re-render.
    if (changed.has("search")) void this.verify(new URLSearchParams(this.search).get("token"));
  }

  private async verify(token: string | null) {
    if (!token) {
      this.status = "missing";
      return;
    }
    this.status = "working";
    try {
      await verifyEmail(token);
      this.status = "verified";
    } catch (error) {
      this.status = "failed";
      this.error = errorText(error);
    }
  }

  override render() {
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.verify_email")}</h1>
        ${this.renderStatus()}
      </div>
    `;
  }

  private renderStatus() {
    switch (this.status) {
      case "working":
        return html`<div class="center" role="status"><wa-spinner label=${t("verify.in_progress")}></wa-spinner></div>
          <p>${t("verify.in_progress")}</p>`;
      case "verified":
        return html`${notice("success", t("verify.success"))}
          <p><wa-button variant="brand" href="/login">${t("common.go_to_login")}</wa-button></p>`;
      case "missing":
        return html`${notice("warning", t("verify.missing_token"))} ${this.renderResend()}`;
      case "failed":
        return html`${notice("danger", this.error)} ${this.renderResend()}`;
    }
  }

  private renderResend() {
    if (this.resent) return html`${notice("success", t("common.resend_sent"))}
      <p><a href="/login">${t("common.go_to_login")}</a></p>`;
    return html`
      <div class="card">
        <form @submit=${this.onResend}>
          <p>${t("verify.resend_intro")}</p>
          <wa-input name="email" type="email" label=${t("common.email")} autocomplete="email" required></wa-input>
          <div class="actions">
            <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("verify.resend_submit")}</wa-button>
          </div>
        </form>
      </div>
      <p><a href="/login">${t("common.go_to_login")}</a></p>
    `;
  }

  private async onResend(event: SubmitEvent) {
    event.preventDefault();
    const { email = "" } = readForm(event.currentTarget as HTMLFormElement);
    this.busy = true;
    try {
      await resendVerification(email.trim());
      this.resent = true;
      this.error = null;
    } catch (error) {
      this.status = "failed";
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-verify-email-page": SkVerifyEmailPage;
  }
}
