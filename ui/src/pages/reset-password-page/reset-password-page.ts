import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { resetPassword } from "../../api/auth.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, focusFirstInvalid, readForm } from "../../forms/forms";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";

/**
 * @summary Opened from the reset e-mail (`/reset-password?token=…`): choose a new password (typed
 * twice). On success every session of the account has been logged out, so the user logs in again.
 */
@customElement("sk-reset-password-page")
export class SkResetPasswordPage extends SkElement {
  static override styles = pageStyles;

  @property({ attribute: false }) search = "";

  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private fields: Record<string, string> = {};
  @state() private done = false;

  private get token(): string | null {
    return new URLSearchParams(this.search).get("token");
  }

  override render() {
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.reset_password")}</h1>
        ${this.done
          ? html`${notice("success", t("reset.done"))}
              <p><wa-button variant="brand" href="/login">${t("common.go_to_login")}</wa-button></p>`
          : this.token
            ? this.renderForm()
            : html`${notice("warning", t("reset.missing_token"))}
                <p><a href="/forgot-password">${t("reset.request_new")}</a></p>`}
      </div>
    `;
  }

  private renderForm() {
    return html`
      ${notice("danger", this.error)}
      <div class="card">
        <form @submit=${this.onSubmit}>
          <wa-input
            name="password"
            type="password"
            label=${t("reset.new_password")}
            autocomplete="new-password"
            password-toggle
            required
            hint=${this.fields.password ?? ""}
            ?data-invalid=${Boolean(this.fields.password)}
          ></wa-input>
          <wa-input
            name="password_repeat"
            type="password"
            label=${t("reset.repeat_password")}
            autocomplete="new-password"
            password-toggle
            required
            hint=${this.fields.password_repeat ?? ""}
            ?data-invalid=${Boolean(this.fields.password_repeat)}
          ></wa-input>
          <div class="actions">
            <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("reset.submit")}</wa-button>
          </div>
        </form>
      </div>
      <div class="links"><a href="/forgot-password">${t("reset.request_new")}</a></div>
    `;
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const values = readForm(event.currentTarget as HTMLFormElement);
    this.error = null;
    this.fields = {};
    if (values.password !== values.password_repeat) {
      this.fields = { password_repeat: t("common.passwords_mismatch") };
      this.error = t("common.check_fields");
    } else {
      this.busy = true;
      try {
        await resetPassword(this.token ?? "", values.password ?? "");
        this.done = true;
        return;
      } catch (error) {
        const failure = describeFailure(error);
        this.error = failure.message;
        this.fields = failure.fields;
      } finally {
        this.busy = false;
      }
    }
    await this.updateComplete;
    focusFirstInvalid(this.shadowRoot);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-reset-password-page": SkResetPasswordPage;
  }
}
