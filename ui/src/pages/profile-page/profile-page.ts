import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import type { User } from "../../api/api-types";
import { changePassword, updateProfile } from "../../api/profile.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, focusFirstInvalid, readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { applyLocale, currentLocale, isLocale, LOCALE_NAMES, LOCALES } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { session, SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import { profilePageStyles } from "./profile-page.styles";

interface FormState {
  busy: boolean;
  error: string | null;
  fields: Record<string, string>;
  success: string | null;
}

const IDLE: FormState = { busy: false, error: null, fields: {}, success: null };

/**
 * @summary The user's own account: e-mail and role (read only), first and last name, UI language,
 * and a password change (current password, new one typed twice).
 */
@customElement("sk-profile-page")
export class SkProfilePage extends SkElement {
  static override styles = [pageStyles, profilePageStyles];

  @state() private details: FormState = IDLE;
  @state() private password: FormState = IDLE;

  private readonly sessionState = new SessionController(this);

  override render() {
    const user = this.sessionState.user;
    if (!user) return html``;
    return html`
      <div class="page">
        <h1 tabindex="-1">${t("title.profile")}</h1>
        <section class="card" aria-labelledby="account-heading">
          <h2 id="account-heading">${t("profile.account_heading")}</h2>
          <dl>
            <dt>${t("common.email")}</dt>
            <dd>${user.email}</dd>
            <dt>${t("common.role")}</dt>
            <dd>${t(`role.${user.role}`)}</dd>
          </dl>
        </section>
        ${this.renderDetails(user)} ${this.renderPassword()}
      </div>
    `;
  }

  private renderDetails(user: User) {
    const state = this.details;
    return html`
      <section class="card" aria-labelledby="details-heading">
        <h2 id="details-heading">${t("profile.details_heading")}</h2>
        ${notice("danger", state.error)} ${notice("success", state.success)}
        <form @submit=${this.onSaveDetails}>
          <div class="row">
            <wa-input
              name="first_name"
              label=${t("common.first_name")}
              autocomplete="given-name"
              .value=${user.first_name}
              hint=${state.fields.first_name ?? ""}
              ?data-invalid=${Boolean(state.fields.first_name)}
            ></wa-input>
            <wa-input
              name="last_name"
              label=${t("common.last_name")}
              autocomplete="family-name"
              .value=${user.last_name}
              hint=${state.fields.last_name ?? ""}
              ?data-invalid=${Boolean(state.fields.last_name)}
            ></wa-input>
          </div>
          <wa-select
            name="locale"
            label=${t("common.language")}
            .value=${user.locale ?? currentLocale()}
            hint=${state.fields.locale ?? ""}
            ?data-invalid=${Boolean(state.fields.locale)}
          >
            ${LOCALES.map((locale) => html`<wa-option value=${locale} lang=${locale}>${LOCALE_NAMES[locale]}</wa-option>`)}
          </wa-select>
          <div class="actions">
            <wa-button type="submit" variant="brand" ?loading=${state.busy}>${t("profile.save")}</wa-button>
          </div>
        </form>
      </section>
    `;
  }

  private renderPassword() {
    const state = this.password;
    const field = (name: string, label: string, autocomplete: string) => html`<wa-input
      name=${name}
      type="password"
      label=${label}
      autocomplete=${autocomplete}
      password-toggle
      required
      hint=${state.fields[name] ?? ""}
      ?data-invalid=${Boolean(state.fields[name])}
    ></wa-input>`;
    return html`
      <section class="card" aria-labelledby="password-heading">
        <h2 id="password-heading">${t("profile.password_heading")}</h2>
        ${notice("danger", state.error)} ${notice("success", state.success)}
        <form @submit=${this.onChangePassword}>
          ${field("current_password", t("profile.current_password"), "current-password")}
          ${field("new_password", t("profile.new_password"), "new-password")}
          ${field("new_password_repeat", t("profile.repeat_password"), "new-password")}
          <div class="actions">
            <wa-button type="submit" variant="brand" ?loading=${state.busy}>${t("profile.change_password")}</wa-button>
          </div>
        </form>
      </section>
    `;
  }

  private async onSaveDetails(event: SubmitEvent) {
    event.preventDefault();
    const values = readForm(event.currentTarget as HTMLFormElement);
    const locale = isLocale(values.locale) ? values.locale : undefined;
    this.details = { ...IDLE, busy: true };
    try {
      const user = await updateProfile({
        first_name: (values.first_name ?? "").trim(),
        last_name: (values.last_name ?? "").trim(),
        locale,
      });
      if (user.locale && user.locale !== currentLocale()) await applyLocale(user.locale, { remember: true });
      session.setUser(user);
      this.details = { ...IDLE, success: t("profile.saved") };
    } catch (error) {
      const failure = describeFailure(error);
      this.details = { ...IDLE, error: failure.message, fields: failure.fields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    }
  }

  private async onChangePassword(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = readForm(form);
    if (values.new_password !== values.new_password_repeat) {
      this.password = { ...IDLE, error: t("common.check_fields"), fields: { new_password_repeat: t("common.passwords_mismatch") } };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
      return;
    }
    this.password = { ...IDLE, busy: true };
    try {
      await changePassword(values.current_password ?? "", values.new_password ?? "");
      form.reset();
      this.password = { ...IDLE, success: t("profile.password_changed") };
    } catch (error) {
      const failure = describeFailure(error);
      const fields =
        isApiError(error) && error.code === "auth.invalid_credentials"
          ? { current_password: errorText(error) }
          : failure.fields;
      this.password = { ...IDLE, error: failure.message, fields };
      await this.updateComplete;
      focusFirstInvalid(this.shadowRoot);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-profile-page": SkProfilePage;
  }
}
