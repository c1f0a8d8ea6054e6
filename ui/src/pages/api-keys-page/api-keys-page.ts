import { css, html, nothing } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { allowedScopes, createKey, listKeys, revokeKey, type ApiKey, type CreatedKey } from "../../api/access.api";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, focusFirstInvalid, readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { formatDate, formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { keyStatusBadge, scopeHint, scopeList, scopeName } from "./key-status";
import "../../components/confirm-dialog/confirm-dialog";
import "../../components/secret-once/secret-once";

/**
 * @summary The user's own API keys: create one with a label, scopes and an optional expiry (the secret
 * is shown once, with a copy button), see when each was last used, and revoke it.
 */
@customElement("sk-api-keys-page")
export class SkApiKeysPage extends SkElement {
  static override styles = [
    pageStyles,
    tableStyles,
    css`
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-s);
      }
      legend {
        font-weight: var(--wa-font-weight-semibold);
        margin-bottom: var(--wa-space-xs);
      }
      .hint {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
      code {
        font-family: var(--wa-font-family-code);
      }
    `,
  ];

  @state() private keys: ApiKey[] | null = null;
  @state() private scopes: string[] = [];
  @state() private error: string | null = null;
  @state() private fields: Record<string, string> = {};
  @state() private busy = false;
  @state() private created: CreatedKey | null = null;
  @state() private message: string | null = null;
  @query("sk-confirm-dialog") private confirmDialog!: SkConfirmDialog;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const [keys, scopes] = await Promise.all([listKeys(), allowedScopes()]);
      this.keys = keys;
      this.scopes = scopes;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  override render() {
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.api_keys")}</h1>
        <p>${t("access.keys_intro")}</p>
        ${notice("danger", this.error)} ${notice("success", this.message)} ${this.created ? this.renderCreated(this.created) : nothing}
        <section class="card" aria-labelledby="new-key-heading">
          <h2 id="new-key-heading">${t("access.new_key_heading")}</h2>
          ${this.renderForm()}
        </section>
        <section aria-labelledby="keys-heading">
          <h2 id="keys-heading">${t("access.keys_heading")}</h2>
          ${this.keys === null ? (this.error ? nothing : html`<wa-spinner label=${t("app.loading")}></wa-spinner>`) : this.renderKeys(this.keys)}
        </section>
        <sk-confirm-dialog></sk-confirm-dialog>
      </div>
    `;
  }

  private renderCreated(created: CreatedKey) {
    return html`<section class="card" aria-labelledby="created-heading" data-created-key>
      <h2 id="created-heading">${t("access.created_heading", { label: created.key.label })}</h2>
      ${notice("warning", t("access.secret_once"))}
      <sk-secret-once label=${t("access.secret_label")} .secret=${created.secret}></sk-secret-once>
      ${created.webhook_secret
        ? html`<sk-secret-once label=${t("access.webhook_secret_label")} .secret=${created.webhook_secret}></sk-secret-once>`
        : nothing}
      <p class="hint">${t("access.secret_usage")} <code>Authorization: Bearer ${created.key.prefix}…</code></p>
      <div class="actions"><wa-button @click=${() => (this.created = null)}>${t("access.secret_done")}</wa-button></div>
    </section>`;
  }

  private renderForm() {
    return html`<form @submit=${this.onCreate}>
      <wa-input name="label" label=${t("access.key_label")} required maxlength="100" hint=${this.fields.label ?? t("access.key_label_hint")} ?data-invalid=${Boolean(this.fields.label)}></wa-input>
      <fieldset ?data-invalid=${Boolean(this.fields.scopes)}>
        <legend>${t("access.scopes")}</legend>
        ${this.scopes.map(
          (scope) => html`<wa-checkbox name="scope" value=${scope} hint=${scopeHint(scope)}>${scopeName(scope)} <code>${scope}</code></wa-checkbox>`,
        )}
        ${this.fields.scopes ? html`<span class="hint" role="alert">${this.fields.scopes}</span>` : nothing}
      </fieldset>
      <wa-input name="expires_on" type="date" label=${t("access.expires_on")} hint=${this.fields.expires_at ?? t("access.expires_hint")} ?data-invalid=${Boolean(this.fields.expires_at)}></wa-input>
      <wa-input name="webhook_url" type="url" label=${t("access.webhook_url")} hint=${this.fields.webhook_url ?? t("access.webhook_hint")} ?data-invalid=${Boolean(this.fields.webhook_url)}></wa-input>
      <div class="actions"><wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("access.create_key")}</wa-button></div>
    </form>`;
  }

  private renderKeys(keys: ApiKey[]) {
    if (!keys.length) return html`<p>${t("access.no_keys")}</p>`;
    return html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="keys-heading">
      <table>
        <thead>
          <tr>
            <th scope="col">${t("access.col_label")}</th>
            <th scope="col">${t("access.col_key")}</th>
            <th scope="col">${t("access.scopes")}</th>
            <th scope="col">${t("access.col_created")}</th>
            <th scope="col">${t("access.col_expires")}</th>
            <th scope="col">${t("access.col_last_used")}</th>
            <th scope="col">${t("access.col_status")}</th>
            <th scope="col"><span class="visually-hidden">${t("access.col_actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          ${keys.map(
            (k) => html`<tr data-key-id=${k.id}>
              <th scope="row">${k.label}</th>
              <td><code>${k.prefix}…</code></td>
              <td>${scopeList(k.scopes)}</td>
              <td class="nowrap">${formatDate(k.created_at)}</td>
              <td class="nowrap">${k.expires_at ? formatDate(k.expires_at) : t("access.never")}</td>
              <td class="nowrap" data-last-used>${k.last_used_at ? formatDateTime(k.last_used_at) : t("access.never_used")}</td>
              <td>${keyStatusBadge(k)}</td>
              <td>
                ${k.status === "active"
                  ? html`<wa-button size="small" variant="danger" appearance="outlined" @click=${() => this.onRevoke(k)}
                      >${t("access.revoke")}<span class="visually-hidden"> ${k.label}</span></wa-button
                    >`
                  : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private async onCreate(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = readForm(form);
    const scopes = [...form.querySelectorAll<HTMLElement & { checked: boolean; value: string }>("wa-checkbox[name=scope]")].filter((c) => c.checked).map((c) => c.value);
    this.busy = true;
    this.error = null;
    this.message = null;
    this.fields = {};
    try {
      // An expiry date means "valid through that day" in the user's time zone.
      const expires = values.expires_on ? new Date(`${values.expires_on}T23:59:59`).toISOString() : null;
      this.created = await createKey({ label: (values.label ?? "").trim(), scopes, expires_at: expires, webhook_url: values.webhook_url?.trim() || null });
      form.reset();
      await this.load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#created-heading")?.focus();
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

  private async onRevoke(key: ApiKey) {
    const ok = await this.confirmDialog.ask({
      title: t("access.revoke_title"),
      body: t("access.revoke_body", { label: key.label }),
      confirmLabel: t("access.revoke"),
      variant: "danger",
    });
    if (!ok) return;
    try {
      await revokeKey(key.id);
      this.message = t("access.revoked", { label: key.label });
      if (this.created?.key.id === key.id) this.created = null;
      await this.load();
    } catch (error) {
      this.error = errorText(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-api-keys-page": SkApiKeysPage;
  }
}
