import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type WaInput from "@awesome.me/webawesome/dist/components/input/input.js";
import type WaSelect from "@awesome.me/webawesome/dist/components/select/select.js";
import type { WaPageChangeEvent } from "@awesome.me/webawesome/dist/events/page-change.js";
import { listUsers } from "../../api/admin-users.api";
import { ROLES, type Paged, type User } from "../../api/api-types";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { notice } from "../../components/notice/notice";
import type { SkResetPasswordDialog } from "../../components/reset-password-dialog/reset-password-dialog";
import type { SkRoleSelect } from "../../components/role-select/role-select";
import { SkElement } from "../../components/sk-element/sk-element";
import type { RoleChangeEvent } from "../../events/role-change";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { displayName, SessionController } from "../../session/session";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { ADMIN_USERS_PAGE_SIZE, adminUsersPath, parseAdminUsersQuery, type AdminUsersQuery } from "./admin-users-query";
import { adminUsersPageStyles } from "./admin-users-page.styles";
import { changeActive, changeRole, type ActionOutcome } from "./user-admin-actions";
import "../../components/admin-nav/admin-nav";
import "../../components/confirm-dialog/confirm-dialog";
import "../../components/reset-password-dialog/reset-password-dialog";
import "../../components/role-select/role-select";

const SEARCH_DELAY_MS = 300;

/**
 * @summary Superuser user administration: search by name or e-mail, filter by role, page through
 * the list; per user change the role, deactivate/activate and reset the password. The filters live
 * in the URL (`?q=&role=&page=`).
 */
@customElement("sk-admin-users-page")
export class SkAdminUsersPage extends SkElement {
  static override styles = [pageStyles, tableStyles, adminUsersPageStyles];

  /** The URL query string, set by the shell. */
  @property({ attribute: false }) search = "";

  @state() private result: Paged<User> | null = null;
  @state() private loading = false;
  @state() private loadError: string | null = null;
  @state() private outcome: ActionOutcome | null = null;

  @query("sk-confirm-dialog") private confirmDialog!: SkConfirmDialog;
  @query("sk-reset-password-dialog") private resetDialog!: SkResetPasswordDialog;

  private readonly sessionState = new SessionController(this);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private loadSeq = 0;

  private get filters(): AdminUsersQuery {
    return parseAdminUsersQuery(this.search);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private async load() {
    // Only the newest request may fill the table (typing fires several).
    const seq = ++this.loadSeq;
    const filters = this.filters;
    this.loading = true;
    try {
      const result = await listUsers({
        q: filters.q || undefined,
        role: filters.role ?? undefined,
        page: filters.page,
        page_size: ADMIN_USERS_PAGE_SIZE,
      });
      if (seq !== this.loadSeq) return;
      this.result = result;
      this.loadError = null;
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.loadError = errorText(error);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  private applyFilters(changes: Partial<AdminUsersQuery>) {
    // A new search or filter starts again at page 1.
    navigate(adminUsersPath({ ...this.filters, page: 1, ...changes }), { replace: true });
  }

  override render() {
    const filters = this.filters;
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.admin_users")}</h1>
        <sk-admin-nav current="users"></sk-admin-nav>
        <form class="filters" role="search" aria-label=${t("admin.users.filters")} @submit=${this.onSearchSubmit}>
          <wa-input
            type="search"
            name="q"
            label=${t("admin.users.search")}
            hint=${t("admin.users.search_hint")}
            .value=${filters.q}
            autocomplete="off"
            @input=${this.onSearchInput}
          >
            <wa-icon slot="start" name="magnifying-glass"></wa-icon>
          </wa-input>
          <wa-select
            name="role"
            label=${t("common.role")}
            .value=${filters.role ?? "all"}
            @change=${this.onRoleFilter}
          >
            <wa-option value="all">${t("admin.users.all_roles")}</wa-option>
            ${ROLES.map((role) => html`<wa-option value=${role}>${t(`role.${role}`)}</wa-option>`)}
          </wa-select>
        </form>
        <div class="live" role="status">${this.outcome?.kind === "success" ? notice("success", this.outcome.message) : nothing}</div>
        ${this.outcome?.kind === "danger" ? notice("danger", this.outcome.message) : nothing}
        ${notice("danger", this.loadError)} ${this.renderResult(filters)}
        <sk-confirm-dialog></sk-confirm-dialog>
        <sk-reset-password-dialog></sk-reset-password-dialog>
      </div>
    `;
  }

  private renderResult(filters: AdminUsersQuery) {
    const result = this.result;
    if (!result) return this.loading ? html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>` : nothing;
    return html`
      <div class="summary">
        <p class="quiet" aria-live="polite">${t("admin.users.matches", { count: result.total })}</p>
        ${this.loading ? html`<wa-spinner label=${t("app.loading")}></wa-spinner>` : nothing}
      </div>
      ${result.items.length === 0
        ? html`<p>${t("admin.users.no_results")}</p>`
        : html`
            <div class="table-scroll" tabindex="0" role="region" aria-label=${t("admin.users.table_caption")}>
              <table>
                <caption class="visually-hidden">${t("admin.users.table_caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t("admin.users.col_name")}</th>
                    <th scope="col">${t("admin.users.col_email")}</th>
                    <th scope="col">${t("common.role")}</th>
                    <th scope="col">${t("common.status")}</th>
                    <th scope="col">${t("admin.users.col_actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${result.items.map((user) => this.renderRow(user))}
                </tbody>
              </table>
            </div>
          `}
      <wa-pagination
        label=${t("admin.users.pages")}
        .page=${filters.page}
        .total=${result.total}
        .pageSize=${ADMIN_USERS_PAGE_SIZE}
        hide-single-page
        @wa-page-change=${this.onPageChange}
      ></wa-pagination>
    `;
  }

  private renderRow(user: User) {
    const self = user.id === this.sessionState.user?.id;
    const name = displayName(user);
    return html`
      <tr>
        <td class="name-cell">
          <a href="/admin/users/${encodeURIComponent(user.id)}">${name}</a>
        </td>
        <td class="email-cell">${user.email}</td>
        <td>
          <sk-role-select
            size="small"
            label=${t("common.role")}
            context=${t("admin.users.role_context", { name })}
            .value=${user.role}
            ?disabled=${self}
            title=${self ? t("admin.users.self_hint") : nothing}
            @sk-role-change=${(event: RoleChangeEvent) => this.onRoleChange(user, event)}
          ></sk-role-select>
        </td>
        <td>
          <div class="tags">
            ${self ? html`<wa-tag size="small" variant="brand">${t("status.you")}</wa-tag>` : nothing}
            ${user.active
              ? html`<wa-tag size="small" variant="success">${t("status.active")}</wa-tag>`
              : html`<wa-tag size="small" variant="danger">${t("status.inactive")}</wa-tag>`}
            ${user.email_verified ? nothing : html`<wa-tag size="small" variant="warning">${t("status.unverified")}</wa-tag>`}
          </div>
        </td>
        <td>
          <div class="row-actions">
            <wa-button size="small" appearance="outlined" ?disabled=${self} @click=${() => this.onToggleActive(user)}>
              <wa-icon slot="start" name=${user.active ? "user-slash" : "user-check"}></wa-icon>
              ${user.active ? t("admin.users.deactivate") : t("admin.users.activate")}
            </wa-button>
            <wa-button size="small" appearance="outlined" @click=${() => this.resetDialog.show(user)}>
              <wa-icon slot="start" name="key"></wa-icon>
              ${t("admin.users.reset_password")}
            </wa-button>
          </div>
        </td>
      </tr>
    `;
  }

  private replaceUser(saved: User) {
    if (!this.result) return;
    this.result = { ...this.result, items: this.result.items.map((item) => (item.id === saved.id ? saved : item)) };
  }

  private async onRoleChange(user: User, event: RoleChangeEvent) {
    const select = event.currentTarget as SkRoleSelect;
    const outcome = await changeRole(user, event.role);
    this.outcome = outcome;
    if (outcome.user) this.replaceUser(outcome.user);
    else select.reset();
  }

  private async onToggleActive(user: User) {
    const outcome = await changeActive(user, !user.active, this.confirmDialog);
    if (!outcome) return;
    this.outcome = outcome;
    if (outcome.user) this.replaceUser(outcome.user);
  }

  private onSearchInput(event: Event) {
    const value = (event.currentTarget as WaInput).value ?? "";
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.applyFilters({ q: value.trim() }), SEARCH_DELAY_MS);
  }

  private onSearchSubmit(event: SubmitEvent) {
    event.preventDefault();
    clearTimeout(this.searchTimer);
    const input = this.renderRoot.querySelector<WaInput>("wa-input[name=q]");
    this.applyFilters({ q: (input?.value ?? "").trim() });
  }

  private onRoleFilter(event: Event) {
    const value = (event.currentTarget as WaSelect).value;
    this.applyFilters({ role: ROLES.find((role) => role === value) ?? null });
  }

  private onPageChange(event: WaPageChangeEvent) {
    navigate(adminUsersPath({ ...this.filters, page: event.detail.page }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-users-page": SkAdminUsersPage;
  }
}
