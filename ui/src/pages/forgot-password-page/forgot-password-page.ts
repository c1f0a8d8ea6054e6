import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { forgotPassword } from "../../api/auth.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, focusFirstInvalid, readForm } from "../../forms/forms";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";

/**
 * @summary Asks for a password-reset link by e-mail. The answer is the same whether or not the
 * address has an account (the server never reveals which addresses exist).
 */
@customElement("sk-forgot-password-page")
export class SkForgotPasswordPage extends SkElement {
  static override styles = pageStyles;

  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private fields: Record<string, string> = {};
  @state() private sentTo: string | null = null;

  override render() {
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.forgot_password")}</h1>
        ${this.sentTo
          ? html`${notice("success", t("forgot.sent", { email: this.sentTo }))}
              <p><a href="/login">${t("common.go_to_login")}</a></p>`
          : html`
              <p>${t("forgot.intro")}</p>
              ${notice("danger", this.error)}
              <div class="card">
                <form @submit=${this.onSubmit}>
                  <wa-input
                    name="email"
                    type="email"
                    label=${t("common.email")}
                    autocomplete="email"
                    required
                    hint=${this.fields.email ?? ""}
                    ?data-invalid=${Boolean(this.fields.email)}
                  ></wa-input>
                  <div class="actions">
                    <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("forgot.submit")}</wa-button>
                  </div>
                </form>
              </div>
              <div class="links"><a href="/login">${t("common.go_to_login")}</a></div>
            `}
      </div>
    `;
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const email = (readForm(event.currentTarget as HTMLFormElement).email ?? "").trim();
    this.busy = true;
    this.error = null;
    this.fields = {};
    try {
      await forgotPassword(email);
      this.sentTo = email;
    } catch (error) {
      const failure = describeFailure(error);
      this.error = failure.message;
      this.fields = failure.fields;
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-forgot-password-page": SkForgotPasswordPage;
  }
}
