import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { auditCsvUrl, auditFacets, AUDIT_PAGE_SIZE, getAuditEvent, listAudit, type AuditEvent, type AuditFilter, type AuditPage } from "../../api/access.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { describeFailure, readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { auditDiff } from "./audit-diff";
import { auditQueryString, parseAuditQuery } from "./audit-query";
import "../../components/admin-nav/admin-nav";

/**
 * @summary The audit log for admins: filter by time range, actor, action, target type and free text
 * (kept in the URL), page through the events newest first, open one to see its before/after as a
 * diff, and download the filtered events as CSV.
 */
@customElement("sk-admin-audit-page")
export class SkAdminAuditPage extends SkElement {
  static override styles = [
    pageStyles,
    tableStyles,
    css`
      form.filters {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 12rem), 1fr));
        gap: var(--wa-space-s);
        align-items: end;
      }
      .pager {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-s);
        align-items: center;
        margin-top: var(--wa-space-m);
      }
      pre.diff {
        font-family: var(--wa-font-family-code);
        font-size: var(--wa-font-size-s);
        background: var(--wa-color-surface-lowered);
        padding: var(--wa-space-s);
        overflow: auto;
        max-height: 50vh;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      ins {
        text-decoration: none;
        background: var(--wa-color-success-fill-quiet);
        color: var(--wa-color-success-on-quiet);
        display: block;
      }
      pre.diff .same {
        display: block;
      }
      del {
        text-decoration: none;
        background: var(--wa-color-danger-fill-quiet);
        color: var(--wa-color-danger-on-quiet);
        display: block;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--wa-space-2xs) var(--wa-space-m);
      }
      dt {
        font-weight: var(--wa-font-weight-semibold);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      @media (max-width: 30rem) {
        dl {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  /** The URL query: filters and page. */
  @property({ attribute: false }) search = "";

  @state() private result: AuditPage | null = null;
  @state() private facets: { actions: string[]; target_types: string[] } = { actions: [], target_types: [] };
  @state() private error: string | null = null;
  @state() private event: AuditEvent | null = null;
  @state() private dialogOpen = false;

  private get parsed() {
    return parseAuditQuery(this.search);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    auditFacets()
      .then((f) => (this.facets = f))
      .catch((error: unknown) => (this.error = errorText(error)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) void this.load();
  }

  /** Counts loads, so an answer that arrives after a newer request was sent is dropped. */
  private loads = 0;

  private async load() {
    const { filter, page } = this.parsed;
    const mine = ++this.loads;
    try {
      const result = await listAudit(filter, page);
      if (mine !== this.loads) return;
      this.result = result;
      this.error = null;
    } catch (error) {
      if (mine !== this.loads) return;
      this.error = describeFailure(error).message;
      this.result = null;
    }
  }

  override render() {
    const { filter, page } = this.parsed;
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.admin_audit")}</h1>
        <sk-admin-nav current="audit"></sk-admin-nav>
        <p>${t("access.audit_intro")}</p>
        ${this.renderFilters(filter)} ${notice("danger", this.error)}
        ${this.result ? this.renderResult(this.result, filter, page) : this.error ? nothing : html`<wa-spinner label=${t("app.loading")}></wa-spinner>`}
        ${this.renderDialog()}
      </div>
    `;
  }

  private renderFilters(filter: AuditFilter) {
    // keyed by the query, so Back/Forward refills the controls
    return html`<form class="filters card" role="search" aria-label=${t("access.audit_filters")} @submit=${this.onFilter}>
      <wa-input name="from" type="date" label=${t("access.audit_from")} .value=${filter.from}></wa-input>
      <wa-input name="to" type="date" label=${t("access.audit_to")} .value=${filter.to}></wa-input>
      <wa-input name="actor" label=${t("access.audit_actor")} hint=${t("access.audit_actor_hint")} .value=${filter.actor}></wa-input>
      <wa-select name="action" label=${t("access.audit_action")} .value=${filter.action} placeholder=${t("access.audit_any")} with-clear>
        ${this.facets.actions.map((a) => html`<wa-option value=${a}>${a}</wa-option>`)}
      </wa-select>
      <wa-select name="target_type" label=${t("access.audit_target_type")} .value=${filter.target_type} placeholder=${t("access.audit_any")} with-clear>
        ${this.facets.target_types.map((a) => html`<wa-option value=${a}>${a}</wa-option>`)}
      </wa-select>
      <wa-input name="q" type="search" label=${t("access.audit_q")} .value=${filter.q}></wa-input>
      <div class="actions">
        <wa-button type="submit" variant="brand">${t("access.audit_apply")}</wa-button>
        <wa-button @click=${() => navigate("/admin/audit")}>${t("access.audit_clear")}</wa-button>
      </div>
    </form>`;
  }

  private renderResult(result: AuditPage, filter: AuditFilter, page: number) {
    const pages = Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE));
    return html`
      <div class="pager">
        <span role="status">${t("access.audit_count", { total: result.total })}</span>
        <wa-button size="small" href=${auditCsvUrl(filter)} download>
          <wa-icon slot="start" name="file-csv"></wa-icon>${t("access.audit_csv")}
        </wa-button>
      </div>
      ${result.items.length
        ? html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t("access.audit_table")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">${t("access.audit_time")}</th>
                  <th scope="col">${t("access.audit_actor")}</th>
                  <th scope="col">${t("access.audit_action")}</th>
                  <th scope="col">${t("access.audit_target")}</th>
                  <th scope="col">${t("access.audit_ip")}</th>
                  <th scope="col"><span class="visually-hidden">${t("access.col_actions")}</span></th>
                </tr>
              </thead>
              <tbody>
                ${result.items.map(
                  (e) => html`<tr data-event-id=${e.id}>
                    <td class="nowrap">${formatDateTime(e.created_at)}</td>
                    <td>${e.actor_email ?? e.actor_id ?? t("access.audit_anonymous")}</td>
                    <td><code>${e.action}</code></td>
                    <td>${e.target_type ? `${e.target_type} ${e.target_id ?? ""}` : "–"}</td>
                    <td>${e.ip ?? "–"}</td>
                    <td>
                      <wa-button size="small" @click=${() => this.open(e.id)}
                        >${t("access.audit_details")}<span class="visually-hidden"> ${e.action} ${formatDateTime(e.created_at)}</span></wa-button
                      >
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p>${t("access.audit_empty")}</p>`}
      ${pages > 1
        ? html`<nav class="pager" aria-label=${t("access.audit_pages")}>
            <wa-button size="small" ?disabled=${page <= 1} @click=${() => navigate(`/admin/audit${auditQueryString(filter, page - 1)}`)}>${t("access.previous")}</wa-button>
            <span>${t("access.page_of", { page, pages })}</span>
            <wa-button size="small" ?disabled=${page >= pages} @click=${() => navigate(`/admin/audit${auditQueryString(filter, page + 1)}`)}>${t("access.next")}</wa-button>
          </nav>`
        : nothing}
    `;
  }

  private renderDialog() {
    const e = this.event;
    return html`<wa-dialog label=${t("access.audit_event")} ?open=${this.dialogOpen} @wa-after-hide=${this.onHide} style="--width: min(48rem, 95vw)">
      ${e
        ? html`<dl>
              <dt>${t("access.audit_time")}</dt>
              <dd>${formatDateTime(e.created_at)}</dd>
              <dt>${t("access.audit_action")}</dt>
              <dd><code>${e.action}</code></dd>
              <dt>${t("access.audit_actor")}</dt>
              <dd>${e.actor_email ?? e.actor_id ?? t("access.audit_anonymous")}</dd>
              <dt>${t("access.audit_target")}</dt>
              <dd>${e.target_type ? `${e.target_type} ${e.target_id ?? ""}` : "–"}</dd>
              <dt>${t("access.audit_ip")}</dt>
              <dd>${e.ip ?? "–"}</dd>
              <dt>${t("access.audit_user_agent")}</dt>
              <dd>${e.user_agent ?? "–"}</dd>
              <dt>${t("access.audit_request_id")}</dt>
              <dd>${e.request_id ?? "–"}</dd>
            </dl>
            <h3>${t("access.audit_change")}</h3>
            ${auditDiff(e.before, e.after)}`
        : html`<wa-spinner label=${t("app.loading")}></wa-spinner>`}
      <wa-button slot="footer" @click=${() => (this.dialogOpen = false)}>${t("access.close")}</wa-button>
    </wa-dialog>`;
  }

  private async open(id: string) {
    this.event = null;
    this.dialogOpen = true;
    try {
      this.event = await getAuditEvent(id);
    } catch (error) {
      this.dialogOpen = false;
      this.error = errorText(error);
    }
  }

  private onHide(event: Event) {
    if (event.target === event.currentTarget) this.dialogOpen = false;
  }

  private onFilter(event: SubmitEvent) {
    event.preventDefault();
    const values = readForm(event.currentTarget as HTMLFormElement);
    const filter: AuditFilter = {
      from: values.from ?? "",
      to: values.to ?? "",
      actor: values.actor?.trim() ?? "",
      action: values.action ?? "",
      target_type: values.target_type ?? "",
      q: values.q?.trim() ?? "",
    };
    navigate(`/admin/audit${auditQueryString(filter, 1)}`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-audit-page": SkAdminAuditPage;
  }
}
