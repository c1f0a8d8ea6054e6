import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { TableOutput } from "../../api/contract-types";
import { tableXlsxUrl } from "../../api/runs.api";
import { currentLocale, INTL_LOCALES } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { tableStyles } from "../../styles/shared.styles";
import { SkElement } from "../sk-element/sk-element";
import { cellText, filterRows, nextSort, sortRows, toCsv, type SortState } from "./table-rules";

/**
 * @summary A `table` output: sortable columns (a button in each header, `aria-sort`), a filter that
 * keeps rows containing the typed words, and downloads as CSV (made here; Swedish Excel opens it) and
 * as an Excel workbook (made by the server from the stored run).
 */
@customElement("sk-output-table")
export class SkOutputTable extends SkElement {
  static override styles = [
    tableStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        justify-content: space-between;
        gap: var(--wa-space-s);
        margin-bottom: var(--wa-space-s);
      }
      .bar wa-input {
        flex: 1 1 12rem;
        max-width: 20rem;
      }
      .downloads {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs);
      }
      h3 {
        font-size: var(--wa-font-size-m);
        margin: 0 0 var(--wa-space-s);
      }
      table {
        min-width: 0;
      }
      th {
        padding: 0;
      }
      th button {
        all: unset;
        box-sizing: border-box;
        display: flex;
        width: 100%;
        align-items: center;
        gap: var(--wa-space-2xs);
        padding: var(--wa-space-s) var(--wa-space-m);
        cursor: pointer;
        font-weight: var(--wa-font-weight-semibold);
      }
      th button:focus-visible {
        outline: var(--wa-focus-ring);
        outline-offset: calc(-1 * var(--wa-focus-ring-width, 3px));
      }
      th wa-icon {
        color: var(--wa-color-text-quiet);
        font-size: 0.8em;
      }
      td {
        overflow-wrap: anywhere;
        min-width: 6rem;
      }
      td.number {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .visually-hidden {
        position: absolute !important;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      .count {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
        margin: var(--wa-space-2xs) 0 0;
      }
    `,
  ];

  @property({ attribute: false }) output: TableOutput = { kind: "table", columns: [], rows: [] };
  /** The run the table belongs to and the output's position: the Excel download needs both. */
  @property() runId = "";
  @property({ type: Number }) index = 0;

  @state() private sort: SortState | null = null;
  @state() private filter = "";

  override render() {
    const { columns, rows, title } = this.output;
    const words = { yes: t("common.yes"), no: t("common.no") };
    const shown = sortRows(filterRows(rows, columns, this.filter, words), this.sort, INTL_LOCALES[currentLocale()]);
    const caption = title || t("result.table");
    return html`
      ${title ? html`<h3>${title}</h3>` : nothing}
      <div class="bar">
        <wa-input
          type="search"
          size="s"
          label=${t("result.table_filter")}
          .value=${this.filter}
          autocomplete="off"
          @input=${(e: Event) => (this.filter = (e.currentTarget as HTMLInputElement).value)}
        >
          <wa-icon slot="start" name="magnifying-glass"></wa-icon>
        </wa-input>
        <div class="downloads">
          <wa-button size="s" appearance="outlined" @click=${this.downloadCsv}>
            <wa-icon slot="start" name="file-csv"></wa-icon>${t("result.download_csv")}
          </wa-button>
          ${this.runId
            ? html`<wa-button size="s" appearance="outlined" href=${tableXlsxUrl(this.runId, this.index)} download="">
                <wa-icon slot="start" name="file-excel"></wa-icon>${t("result.download_xlsx")}
              </wa-button>`
            : nothing}
        </div>
      </div>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${caption}>
        <table>
          <caption class="visually-hidden">${caption}</caption>
          <thead>
            <tr>
              ${columns.map((c) => {
                const sorted = this.sort?.key === c.key ? this.sort.direction : null;
                return html`<th scope="col" aria-sort=${sorted ?? "none"}>
                  <button type="button" @click=${() => (this.sort = nextSort(this.sort, c.key))}>
                    ${c.label}
                    <wa-icon name=${sorted === "ascending" ? "sort-up" : sorted === "descending" ? "sort-down" : "sort"} aria-hidden="true"></wa-icon>
                  </button>
                </th>`;
              })}
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (row) => html`<tr>
                ${columns.map((c) => html`<td class=${typeof row[c.key] === "number" ? "number" : ""}>${cellText(row[c.key], words)}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="count" role="status">${t("result.table_count", { shown: shown.length, total: rows.length })}</p>
    `;
  }

  private downloadCsv() {
    const { columns, rows, title } = this.output;
    const blob = new Blob([toCsv(columns, rows, { decimalComma: currentLocale() === "sv" })], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${(title || t("result.table")).replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").slice(0, 80)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    // Give the browser a moment to start the download before the URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-output-table": SkOutputTable;
  }
}
