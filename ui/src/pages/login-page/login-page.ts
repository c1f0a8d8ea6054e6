import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { login, resendVerification } from "../../api/auth.api";
import { ssoOf } from "../../api/access.api";
import { ssoButtons, ssoErrorText } from "./sso-buttons";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, focusFirstInvalid, readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { applyLocale, currentLocale } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { safeNextPath } from "../../router/routes";
import { session, SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";

/**
 * @summary Log in with e-mail and password, then return to the page that asked for it (`?next=`).
 * An unverified account can ask for a new verification e-mail from here.
 */
@customElement("sk-login-page")
export class SkLoginPage extends SkElement {
  static override styles = pageStyles;

  /** The URL query (`?next=/admin/users`). */
  @property({ attribute: false }) search = "";

  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private fields: Record<string, string> = {};
  @state() private unverifiedEmail: string | null = null;
  @state() private resent = false;

  private readonly sessionState = new SessionController(this);

  private get next(): string | null {
    return new URLSearchParams(this.search).get("next");
  }

  override render() {
    const registrationOpen = (this.sessionState.meta?.registration ?? "closed") !== "closed";
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.login")}</h1>
        ${this.next ? html`<p>${t("login.intro_next")}</p>` : nothing}
        ${notice("danger", this.error, this.unverifiedEmail && !this.resent ? this.renderResend() : nothing)}
        ${this.resent ? notice("success", t("common.resend_sent")) : nothing}
        ${notice("danger", ssoErrorText(new URLSearchParams(this.search).get("sso_error")))}
        ${ssoButtons(ssoOf(this.sessionState.meta), safeNextPath(this.next))}
        <div class="card">
          <form @submit=${this.onSubmit}>
            <wa-input
              name="email"
              type="email"
              label=${t("common.email")}
              autocomplete="username"
              required
              hint=${this.fields.email ?? ""}
              ?data-invalid=${Boolean(this.fields.email)}
            ></wa-input>
            <wa-input
              name="password"
              type="password"
              label=${t("common.password")}
              autocomplete="current-password"
              password-toggle
              required
              hint=${this.fields.password ?? ""}
              ?data-invalid=${Boolean(this.fields.password)}
            ></wa-input>
            <div class="actions">
              <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("login.submit")}</wa-button>
            </div>
          </form>
        </div>
        <div class="links">
          <a href="/forgot-password">${t("login.forgot_link")}</a>
          ${registrationOpen ? html`<a href="/register">${t("login.register_link")}</a>` : nothing}
        </div>
      </div>
    `;
  }

  private renderResend() {
    return html`<div class="actions spaced">
      <wa-button size="small" @click=${this.onResend}>${t("login.resend_verification")}</wa-button>
    </div>`;
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { email = "", password = "" } = readForm(form);
    this.busy = true;
    this.error = null;
    this.fields = {};
    this.unverifiedEmail = null;
    this.resent = false;
    try {
      const user = await login(email.trim(), password);
      if (user.locale && user.locale !== currentLocale()) await applyLocale(user.locale, { remember: true });
      // Both in the same task: the shell renders the target page once, already logged in.
      session.setUser(user);
      navigate(safeNextPath(this.next));
    } catch (error) {
      const failure = describeFailure(error);
      this.error = failure.message;
      this.fields = failure.fields;
      if (isApiError(error) && error.code === "auth.email_not_verified") this.unverifiedEmail = email.trim();
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    } finally {
      this.busy = false;
    }
  }

  private async onResend() {
    if (!this.unverifiedEmail) return;
    try {
      await resendVerification(this.unverifiedEmail);
      this.error = null;
      this.resent = true;
    } catch (error) {
      this.error = errorText(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-login-page": SkLoginPage;
  }
}
