import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { getRetention, type RetentionOverview, type RetentionReport } from "../../api/retention.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { formatBytes, formatDate, formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { adminRetentionPageStyles } from "./admin-retention-page.styles";
import "../../components/admin-nav/admin-nav";

/** The configured periods in the order the server prunes, with the kinds of data each covers. */
const PERIODS = [
  { key: "runs_days", kinds: "retention.period.runs" },
  { key: "sandbox_runs_days", kinds: "retention.period.sandbox_runs" },
  { key: "login_events_days", kinds: "retention.period.login_events" },
  { key: "audit_events_days", kinds: "retention.period.audit_events" },
  { key: "documents_days", kinds: "retention.period.documents" },
] as const;

/**
 * @summary Admins see how long data is kept ([retention] in the server's configuration), whether the
 * daily prune is on, and what the last prune removed, per kind of data. Read-only: pruning is the
 * server's schedule or `skriptoteket retention prune`.
 */
@customElement("sk-admin-retention-page")
export class SkAdminRetentionPage extends SkElement {
  static override styles = [pageStyles, tableStyles, adminRetentionPageStyles];

  @state() private overview: RetentionOverview | null = null;
  @state() private loadError: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.overview = await getRetention();
      this.loadError = null;
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  override render() {
    const overview = this.overview;
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.admin_retention")}</h1>
        <sk-admin-nav current="retention"></sk-admin-nav>
        <p>${t("retention.intro")}</p>
        ${notice("danger", this.loadError)}
        ${overview
          ? html`${this.renderPeriods(overview)} ${this.renderReport(overview.last_report)}`
          : this.loadError
            ? nothing
            : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`}
      </div>
    `;
  }

  private renderPeriods(overview: RetentionOverview) {
    return html`
      <section class="card" aria-labelledby="periods-heading">
        <h2 id="periods-heading">${t("retention.periods_heading")}</h2>
        <p>${overview.enabled ? t("retention.schedule_on") : t("retention.schedule_off")}</p>
        <dl>
          ${PERIODS.map(
            (p) => html`<dt>${t(p.kinds)}</dt>
              <dd>${t("retention.days", { days: overview.periods[p.key] })}</dd>`,
          )}
        </dl>
      </section>
    `;
  }

  private renderReport(report: RetentionReport | null) {
    return html`
      <section aria-labelledby="report-heading">
        <h2 id="report-heading">${t("retention.report_heading")}</h2>
        ${report
          ? html`
              <dl>
                <dt>${t("retention.finished")}</dt>
                <dd>${formatDateTime(report.finished_at)}</dd>
                <dt>${t("retention.trigger")}</dt>
                <dd>${t(`retention.trigger.${report.trigger}`)}</dd>
                <dt>${t("retention.mode")}</dt>
                <dd>${report.dry_run ? t("retention.mode.dry_run") : t("retention.mode.real")}</dd>
              </dl>
              <div class="table-scroll" tabindex="0" role="region" aria-label=${t("retention.items_caption")}>
                <table>
                  <caption class="visually-hidden">${t("retention.items_caption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t("retention.col_kind")}</th>
                      <th scope="col">${t("retention.col_older_than")}</th>
                      <th scope="col" class="number">${t("retention.col_rows")}</th>
                      <th scope="col" class="number">${t("retention.col_files")}</th>
                      <th scope="col" class="number">${t("retention.col_bytes")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${report.items.map(
                      (item) => html`<tr>
                        <th scope="row">${t(`retention.kind.${item.kind}`)}</th>
                        ${item.skipped
                          ? html`<td colspan="4">${t("retention.skipped", { reason: item.skipped })}</td>`
                          : html`<td class="nowrap">${t("retention.older_than", { days: item.days, date: formatDate(item.cutoff) })}</td>
                              <td class="number">${item.rows}</td>
                              <td class="number">${item.files}</td>
                              <td class="number nowrap">${formatBytes(item.bytes)}</td>`}
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${report.errors.length
                ? html`<h3>${t("retention.errors_heading")}</h3>
                    <ul class="errors">
                      ${report.errors.map((e) => html`<li>${e}</li>`)}
                    </ul>`
                : nothing}
            `
          : html`<p>${t("retention.no_report")}</p>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-retention-page": SkAdminRetentionPage;
  }
}
