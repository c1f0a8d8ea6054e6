import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { WaPageChangeEvent } from "@awesome.me/webawesome/dist/events/page-change.js";
import { getUser, listLoginEvents } from "../../api/admin-users.api";
import type { LoginEvent, Paged, User } from "../../api/api-types";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { notice } from "../../components/notice/notice";
import type { SkResetPasswordDialog } from "../../components/reset-password-dialog/reset-password-dialog";
import type { SkRoleSelect } from "../../components/role-select/role-select";
import { SkElement } from "../../components/sk-element/sk-element";
import type { RoleChangeEvent } from "../../events/role-change";
import type { MessageId } from "../../i18n/en";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime } from "../../i18n/format";
import { LOCALE_NAMES } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { displayName, SessionController } from "../../session/session";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { changeActive, changeRole, type ActionOutcome } from "../admin-users-page/user-admin-actions";
import { adminUserPageStyles } from "./admin-user-page.styles";
import "../../components/confirm-dialog/confirm-dialog";
import "../../components/reset-password-dialog/reset-password-dialog";
import "../../components/role-select/role-select";

const EVENTS_PAGE_SIZE = 20;

type OutcomeMessageId = Extract<MessageId, `outcome.${string}`>;

/** Login event outcomes the UI names; others are shown as the server wrote them. */
const OUTCOME_TEXTS: Record<string, OutcomeMessageId> = {
  success: "outcome.success",
  bad_password: "outcome.bad_password",
  unknown_user: "outcome.unknown_user",
  locked: "outcome.locked",
  inactive: "outcome.inactive",
  unverified: "outcome.unverified",
  sso_success: "outcome.sso_success",
  sso_denied: "outcome.sso_denied",
  password_login_disabled: "outcome.password_login_disabled",
};

/**
 * @summary One user, for superusers: details, the same actions as the list (role, activate,
 * reset password) and the account's login events, newest first (`?page=` pages through them).
 */
@customElement("sk-admin-user-page")
export class SkAdminUserPage extends SkElement {
  static override styles = [pageStyles, tableStyles, adminUserPageStyles];

  @property({ attribute: false }) userId = "";
  @property({ attribute: false }) search = "";

  @state() private user: User | null = null;
  @state() private events: Paged<LoginEvent> | null = null;
  @state() private loadError: string | null = null;
  @state() private outcome: ActionOutcome | null = null;

  @query("sk-confirm-dialog") private confirmDialog!: SkConfirmDialog;
  @query("sk-reset-password-dialog") private resetDialog!: SkResetPasswordDialog;

  private readonly sessionState = new SessionController(this);

  private get eventsPage(): number {
    const page = Number.parseInt(new URLSearchParams(this.search).get("page") ?? "1", 10);
    return Number.isFinite(page) && page > 0 ? page : 1;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("userId")) void this.loadUser();
    if (changed.has("userId") || changed.has("search")) void this.loadEvents();
  }

  private async loadUser() {
    try {
      this.user = await getUser(this.userId);
      this.loadError = null;
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  private async loadEvents() {
    try {
      this.events = await listLoginEvents(this.userId, this.eventsPage, EVENTS_PAGE_SIZE);
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  override render() {
    const user = this.user;
    return html`
      <div class="page wide">
        <a class="back" href="/admin/users"><wa-icon name="arrow-left"></wa-icon>${t("admin.user.back")}</a>
        <h1 tabindex="-1">${user ? displayName(user) : t("title.admin_user")}</h1>
        <div class="live" role="status">${this.outcome?.kind === "success" ? notice("success", this.outcome.message) : nothing}</div>
        ${this.outcome?.kind === "danger" ? notice("danger", this.outcome.message) : nothing}
        ${notice("danger", this.loadError)}
        ${user
          ? html`<div class="columns">${this.renderDetails(user)} ${this.renderActions(user)}</div>
              ${this.renderEvents()}`
          : this.loadError
            ? nothing
            : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`}
        <sk-confirm-dialog></sk-confirm-dialog>
        <sk-reset-password-dialog></sk-reset-password-dialog>
      </div>
    `;
  }

  private renderDetails(user: User) {
    return html`
      <section class="card" aria-labelledby="details-heading">
        <h2 id="details-heading">${t("admin.user.details_heading")}</h2>
        <dl>
          <dt>${t("common.email")}</dt>
          <dd>${user.email}</dd>
          <dt>${t("common.role")}</dt>
          <dd>${t(`role.${user.role}`)}</dd>
          <dt>${t("common.status")}</dt>
          <dd>${user.active ? t("status.active") : t("status.inactive")}</dd>
          <dt>${t("admin.user.email_verified")}</dt>
          <dd>${user.email_verified ? t("common.yes") : t("common.no")}</dd>
          <dt>${t("common.language")}</dt>
          <dd>${user.locale ? LOCALE_NAMES[user.locale] : t("common.not_set")}</dd>
          <dt>${t("admin.user.created")}</dt>
          <dd>${formatDateTime(user.created_at)}</dd>
          <dt>${t("admin.user.last_login")}</dt>
          <dd>${user.last_login_at ? formatDateTime(user.last_login_at) : t("common.never")}</dd>
        </dl>
      </section>
    `;
  }

  private renderActions(user: User) {
    const self = user.id === this.sessionState.user?.id;
    return html`
      <section class="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading">${t("admin.user.actions_heading")}</h2>
        <div class="action-list">
          <sk-role-select
            label=${t("common.role")}
            .value=${user.role}
            ?disabled=${self}
            @sk-role-change=${this.onRoleChange}
          ></sk-role-select>
          <wa-button ?disabled=${self} @click=${this.onToggleActive}>
            <wa-icon slot="start" name=${user.active ? "user-slash" : "user-check"}></wa-icon>
            ${user.active ? t("admin.users.deactivate") : t("admin.users.activate")}
          </wa-button>
          <wa-button @click=${() => this.resetDialog.show(user)}>
            <wa-icon slot="start" name="key"></wa-icon>
            ${t("admin.users.reset_password")}
          </wa-button>
          ${self ? html`<p class="quiet">${t("admin.users.self_hint")}</p>` : nothing}
        </div>
      </section>
    `;
  }

  private renderEvents() {
    const events = this.events;
    return html`
      <section aria-labelledby="events-heading">
        <h2 id="events-heading">${t("admin.user.events_heading")}</h2>
        ${!events
          ? html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`
          : events.items.length === 0
            ? html`<p>${t("admin.user.no_events")}</p>`
            : html`
                <div class="table-scroll" tabindex="0" role="region" aria-label=${t("admin.user.events_caption")}>
                  <table>
                    <caption class="visually-hidden">${t("admin.user.events_caption")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">${t("admin.user.col_time")}</th>
                        <th scope="col">${t("admin.user.col_outcome")}</th>
                        <th scope="col">${t("admin.user.col_ip")}</th>
                        <th scope="col">${t("admin.user.col_user_agent")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${events.items.map(
                        (event) => html`<tr>
                          <td class="nowrap">${formatDateTime(event.created_at)}</td>
                          <td>${outcomeText(event.outcome)}</td>
                          <td class="nowrap">${event.ip ?? ""}</td>
                          <td class="ua">${event.user_agent ?? ""}</td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
                <wa-pagination
                  label=${t("admin.user.event_pages")}
                  .page=${this.eventsPage}
                  .total=${events.total}
                  .pageSize=${EVENTS_PAGE_SIZE}
                  hide-single-page
                  @wa-page-change=${this.onEventsPage}
                ></wa-pagination>
              `}
      </section>
    `;
  }

  private async onRoleChange(event: RoleChangeEvent) {
    if (!this.user) return;
    const select = event.currentTarget as SkRoleSelect;
    this.outcome = await changeRole(this.user, event.role);
    if (this.outcome.user) this.user = this.outcome.user;
    else select.reset();
  }

  private async onToggleActive() {
    if (!this.user) return;
    const outcome = await changeActive(this.user, !this.user.active, this.confirmDialog);
    if (!outcome) return;
    this.outcome = outcome;
    if (outcome.user) this.user = outcome.user;
  }

  private onEventsPage(event: WaPageChangeEvent) {
    const page = event.detail.page;
    navigate(`/admin/users/${encodeURIComponent(this.userId)}${page > 1 ? `?page=${page}` : ""}`);
  }
}

function outcomeText(outcome: string): string {
  const id = OUTCOME_TEXTS[outcome];
  return id ? t(id) : outcome;
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-user-page": SkAdminUserPage;
  }
}
