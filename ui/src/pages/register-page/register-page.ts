import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { register } from "../../api/auth.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, focusFirstInvalid, readForm } from "../../forms/forms";
import { formatList } from "../../i18n/format";
import { currentLocale } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";

type Done = { verificationRequired: boolean; email: string };

/**
 * @summary Self-registration, offered only when the site allows it (open, or for listed e-mail
 * domains, which are shown). After sign-up the user is told to verify the address or to log in.
 */
@customElement("sk-register-page")
export class SkRegisterPage extends SkElement {
  static override styles = pageStyles;

  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private fields: Record<string, string> = {};
  @state() private done: Done | null = null;

  private readonly sessionState = new SessionController(this);

  override render() {
    const meta = this.sessionState.meta;
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.register")}</h1>
        ${!meta || meta.registration === "closed"
          ? html`${notice("info", t("register.closed"))}
              <p><a href="/login">${t("common.go_to_login")}</a></p>`
          : this.done
            ? this.renderDone(this.done)
            : this.renderForm(meta.registration === "domains" ? meta.allowed_domains : [])}
      </div>
    `;
  }

  private renderDone(done: Done) {
    return html`
      ${notice(
        "success",
        done.verificationRequired ? t("register.done_verify", { email: done.email }) : t("register.done_login"),
      )}
      <p><a href="/login">${t("common.go_to_login")}</a></p>
    `;
  }

  private renderForm(domains: string[]) {
    return html`
      ${domains.length > 0
        ? html`<p>${t("register.domains_hint", { domains: formatList(domains.map((domain) => `@${domain}`)) })}</p>`
        : nothing}
      ${notice("danger", this.error)}
      <div class="card">
        <form @submit=${this.onSubmit}>
          <div class="row">
            ${this.input("first_name", t("common.first_name"), "text", "given-name")}
            ${this.input("last_name", t("common.last_name"), "text", "family-name")}
          </div>
          ${this.input("email", t("common.email"), "email", "email")}
          ${this.input("password", t("common.password"), "password", "new-password")}
          ${this.input("password_repeat", t("register.password_repeat"), "password", "new-password")}
          <div class="actions">
            <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("register.submit")}</wa-button>
          </div>
        </form>
      </div>
      <div class="links"><a href="/login">${t("register.have_account")}</a></div>
    `;
  }

  private input(name: string, label: string, type: "text" | "email" | "password", autocomplete: string) {
    return html`<wa-input
      name=${name}
      type=${type}
      label=${label}
      autocomplete=${autocomplete}
      required
      ?password-toggle=${type === "password"}
      hint=${this.fields[name] ?? ""}
      ?data-invalid=${Boolean(this.fields[name])}
    ></wa-input>`;
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const values = readForm(event.currentTarget as HTMLFormElement);
    const email = (values.email ?? "").trim();
    this.error = null;
    this.fields = {};
    if (values.password !== values.password_repeat) {
      this.fields = { password_repeat: t("common.passwords_mismatch") };
      this.error = t("common.check_fields");
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    this.busy = true;
    try {
      const result = await register({
        email,
        password: values.password ?? "",
        first_name: (values.first_name ?? "").trim(),
        last_name: (values.last_name ?? "").trim(),
        locale: currentLocale(),
      });
      this.done = { verificationRequired: result.verification_required, email };
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
    "sk-register-page": SkRegisterPage;
  }
}
