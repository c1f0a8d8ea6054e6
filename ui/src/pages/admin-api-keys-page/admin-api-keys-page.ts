import { html, nothing } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { listAllKeys, revokeAnyKey, type AdminApiKey, type KeyStatus } from "../../api/access.api";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { formatDate, formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { keyStatusBadge, scopeList } from "../api-keys-page/key-status";
import "../../components/admin-nav/admin-nav";
import "../../components/confirm-dialog/confirm-dialog";

const STATUSES = ["active", "all", "expired", "revoked"] as const satisfies readonly (KeyStatus | "all")[];

/** @summary Admins see everyone's API keys (newest first, filtered by state) and may revoke any of them. */
@customElement("sk-admin-api-keys-page")
export class SkAdminApiKeysPage extends SkElement {
  static override styles = [pageStyles, tableStyles];

  @state() private status: (typeof STATUSES)[number] = "active";
  @state() private keys: AdminApiKey[] | null = null;
  @state() private error: string | null = null;
  @state() private message: string | null = null;
  @query("sk-confirm-dialog") private confirmDialog!: SkConfirmDialog;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.keys = await listAllKeys(this.status);
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  override render() {
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.admin_api_keys")}</h1>
        <sk-admin-nav current="api-keys"></sk-admin-nav>
        <p>${t("access.admin_keys_intro")}</p>
        ${notice("danger", this.error)} ${notice("success", this.message)}
        <wa-select label=${t("access.filter_status")} .value=${this.status} @change=${this.onStatus} style="max-width: 16rem">
          ${STATUSES.map((s) => html`<wa-option value=${s}>${t(`access.key_filter.${s}`)}</wa-option>`)}
        </wa-select>
        ${this.keys === null ? (this.error ? nothing : html`<wa-spinner label=${t("app.loading")}></wa-spinner>`) : this.renderKeys(this.keys)}
        <sk-confirm-dialog></sk-confirm-dialog>
      </div>
    `;
  }

  private renderKeys(keys: AdminApiKey[]) {
    if (!keys.length) return html`<p role="status">${t("access.no_keys_found")}</p>`;
    return html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t("title.admin_api_keys")}>
      <table>
        <thead>
          <tr>
            <th scope="col">${t("access.col_owner")}</th>
            <th scope="col">${t("access.col_label")}</th>
            <th scope="col">${t("access.col_key")}</th>
            <th scope="col">${t("access.scopes")}</th>
            <th scope="col">${t("access.col_created")}</th>
            <th scope="col">${t("access.col_last_used")}</th>
            <th scope="col">${t("access.col_status")}</th>
            <th scope="col"><span class="visually-hidden">${t("access.col_actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          ${keys.map(
            (k) => html`<tr data-key-id=${k.id}>
              <td>${k.user_email}</td>
              <th scope="row">${k.label}</th>
              <td><code>${k.prefix}…</code></td>
              <td>${scopeList(k.scopes)}</td>
              <td class="nowrap">${formatDate(k.created_at)}</td>
              <td class="nowrap">${k.last_used_at ? formatDateTime(k.last_used_at) : t("access.never_used")}</td>
              <td>${keyStatusBadge(k)}</td>
              <td>
                ${k.status === "active"
                  ? html`<wa-button size="small" variant="danger" appearance="outlined" @click=${() => this.onRevoke(k)}
                      >${t("access.revoke")}<span class="visually-hidden"> ${k.label} (${k.user_email})</span></wa-button
                    >`
                  : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private onStatus(event: Event) {
    const value = (event.target as HTMLElement & { value: string }).value;
    this.status = STATUSES.find((s) => s === value) ?? "active";
    this.keys = null;
    void this.load();
  }

  private async onRevoke(key: AdminApiKey) {
    const ok = await this.confirmDialog.ask({
      title: t("access.revoke_title"),
      body: t("access.revoke_any_body", { label: key.label, email: key.user_email }),
      confirmLabel: t("access.revoke"),
      variant: "danger",
    });
    if (!ok) return;
    try {
      await revokeAnyKey(key.id);
      this.message = t("access.revoked", { label: key.label });
      await this.load();
    } catch (error) {
      this.error = errorText(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-api-keys-page": SkAdminApiKeysPage;
  }
}
