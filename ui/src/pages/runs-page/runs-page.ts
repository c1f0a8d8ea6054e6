import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type WaInput from "@awesome.me/webawesome/dist/components/input/input.js";
import type WaSelect from "@awesome.me/webawesome/dist/components/select/select.js";
import type { WaPageChangeEvent } from "@awesome.me/webawesome/dist/events/page-change.js";
import { listCatalog, type CatalogItem } from "../../api/catalog.api";
import { listRuns, RUN_STATUSES, type RunList } from "../../api/runs.api";
import { notice } from "../../components/notice/notice";
import { statusTag, statusText } from "../../components/run-status/run-status";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime, formatDuration } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import { parseRunsQuery, RUNS_PAGE_SIZE, runsApiQuery, runsPath, type RunsFilters } from "./runs-query";

/**
 * @summary The user's own runs, newest first and paged, filtered by tool, status and date (kept in the
 * URL). Each run opens its page with the stored result.
 */
@customElement("sk-runs-page")
export class SkRunsPage extends SkElement {
  static override styles = [
    pageStyles,
    tableStyles,
    css`
      .filters {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
        gap: var(--wa-space-m);
        align-items: end;
        margin-bottom: var(--wa-space-l);
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--wa-space-s);
        margin-bottom: var(--wa-space-s);
      }
      .summary p {
        margin: 0;
      }
      td a {
        font-weight: var(--wa-font-weight-semibold);
      }
      .error-cell {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
        max-width: 22rem;
        overflow-wrap: anywhere;
      }
      wa-pagination {
        margin-top: var(--wa-space-m);
      }
      .empty {
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) search = "";

  @state() private result: RunList | null = null;
  @state() private tools: CatalogItem[] = [];
  @state() private loading = false;
  @state() private error: string | null = null;
  private loadSeq = 0;

  private get filters(): RunsFilters {
    return parseRunsQuery(this.search);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The tool filter offers the catalog's tools; the list works without them.
    listCatalog()
      .then((list) => (this.tools = list.items))
      .catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) void this.load();
  }

  private async load() {
    const seq = ++this.loadSeq;
    this.loading = true;
    try {
      const result = await listRuns(runsApiQuery(this.filters));
      if (seq !== this.loadSeq) return;
      this.result = result;
      this.error = null;
    } catch (error) {
      if (seq === this.loadSeq) this.error = errorText(error);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  private apply(changes: Partial<RunsFilters>) {
    navigate(runsPath({ ...this.filters, page: 1, ...changes }), { replace: true });
  }

  override render() {
    const filters = this.filters;
    const deleted = new URLSearchParams(this.search).get("deleted") === "1";
    // A filtered tool that is no longer in the catalog still shows as chosen.
    const tools = filters.tool && !this.tools.some((tool) => tool.slug === filters.tool) ? [...this.tools, { slug: filters.tool, title: filters.tool }] : this.tools;
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.runs")}</h1>
        ${deleted ? notice("success", t("runs.deleted")) : nothing}
        <form class="filters" aria-label=${t("runs.filters")} @submit=${(e: Event) => e.preventDefault()}>
          <wa-select label=${t("runs.tool")} .value=${filters.tool || "all"} @change=${(e: Event) => this.apply({ tool: this.selectValue(e) })}>
            <wa-option value="all">${t("runs.all_tools")}</wa-option>
            ${tools.map((tool) => html`<wa-option value=${tool.slug}>${tool.title}</wa-option>`)}
          </wa-select>
          <wa-select
            label=${t("common.status")}
            .value=${filters.status ?? "all"}
            @change=${(e: Event) => this.apply({ status: RUN_STATUSES.find((s) => s === this.selectValue(e)) ?? null })}
          >
            <wa-option value="all">${t("runs.all_statuses")}</wa-option>
            ${RUN_STATUSES.map((status) => html`<wa-option value=${status}>${statusText(status)}</wa-option>`)}
          </wa-select>
          <wa-input type="date" label=${t("runs.from")} .value=${filters.from} @change=${(e: Event) => this.apply({ from: (e.currentTarget as WaInput).value ?? "" })}></wa-input>
          <wa-input type="date" label=${t("runs.to")} .value=${filters.to} @change=${(e: Event) => this.apply({ to: (e.currentTarget as WaInput).value ?? "" })}></wa-input>
        </form>
        ${notice("danger", this.error)} ${this.renderResult(filters)}
      </div>
    `;
  }

  private selectValue(event: Event): string {
    const value = (event.currentTarget as WaSelect).value;
    return typeof value === "string" && value !== "all" ? value : "";
  }

  private renderResult(filters: RunsFilters) {
    const result = this.result;
    if (!result) return this.loading ? html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>` : nothing;
    const filtered = Boolean(filters.tool || filters.status || filters.from || filters.to);
    return html`
      <div class="summary">
        <p aria-live="polite">${t("runs.count", { n: result.total })}</p>
        ${this.loading ? html`<wa-spinner label=${t("app.loading")}></wa-spinner>` : nothing}
      </div>
      ${result.items.length === 0
        ? html`<div class="card empty">
            <p>${filtered ? t("runs.no_match") : t("runs.none")}</p>
            <wa-button appearance="outlined" href=${filtered ? "/runs" : "/tools"}>${filtered ? t("runs.clear_filters") : t("home.browse")}</wa-button>
          </div>`
        : html`
            <div class="table-scroll" tabindex="0" role="region" aria-label=${t("runs.table_caption")}>
              <table>
                <caption class="visually-hidden">${t("runs.table_caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t("runs.col_tool")}</th>
                    <th scope="col">${t("common.status")}</th>
                    <th scope="col">${t("runs.col_started")}</th>
                    <th scope="col">${t("runs.col_duration")}</th>
                    <th scope="col">${t("runs.col_note")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${result.items.map(
                    (run) => html`<tr>
                      <td><a href="/runs/${encodeURIComponent(run.run_id)}">${run.tool_title}</a></td>
                      <td>${statusTag(run.status)}</td>
                      <td>${formatDateTime(run.queued_at)}</td>
                      <td>${run.started_at && run.finished_at ? formatDuration(Date.parse(run.finished_at) - Date.parse(run.started_at)) : "–"}</td>
                      <td class="error-cell">${run.is_action ? t("runs.action_step") : ""} ${run.error_summary ? firstLine(run.error_summary) : ""}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
          `}
      <wa-pagination
        label=${t("runs.pages")}
        .page=${filters.page}
        .total=${result.total}
        .pageSize=${RUNS_PAGE_SIZE}
        hide-single-page
        @wa-page-change=${(e: WaPageChangeEvent) => navigate(runsPath({ ...filters, page: e.detail.page }))}
      ></wa-pagination>
    `;
  }
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-runs-page": SkRunsPage;
  }
}
