import { css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { NoticeLevel, UiOutput } from "../../api/contract-types";
import type { Run } from "../../api/runs.api";
import { t } from "../../i18n/t";
import { notice, type NoticeKind } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import "../artifact-list/artifact-list";
import "../json-tree/json-tree";
import "../markdown-view/markdown-view";
import "../output-table/output-table";
import "../vega-chart/vega-chart";

const NOTICE_KINDS: Record<NoticeLevel, NoticeKind> = { info: "info", warning: "warning", error: "danger" };

/**
 * @summary What a finished run shows, from its stored payload (the tool page right after a run and the
 * run's own page later look the same): why it failed, every output in order (notice, markdown, table,
 * json, sandboxed HTML, chart) and the files it produced. Next actions are not part of it
 * (sk-next-actions).
 */
@customElement("sk-run-result")
export class SkRunResult extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .outputs {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-l);
    }
    .summary {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      margin: 0;
    }
    wa-callout {
      margin: 0;
    }
    iframe {
      display: block;
      width: 100%;
      height: 24rem;
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-m);
      background: white;
      resize: vertical;
      overflow: auto;
    }
    h3 {
      font-size: var(--wa-font-size-m);
      margin: var(--wa-space-l) 0 var(--wa-space-s);
    }
    .empty {
      color: var(--wa-color-text-quiet);
      margin: 0;
    }
  `;

  @property({ attribute: false }) run: Run | null = null;

  override render() {
    const run = this.run;
    if (!run) return nothing;
    const outputs = run.ui_payload?.outputs ?? [];
    const failed = run.status === "failed" || run.status === "timed_out" || run.status === "cancelled";
    return html`
      <div class="outputs">
        ${failed ? this.renderFailure(run) : nothing}
        ${outputs.map((output, index) => this.renderOutput(output, index, run.run_id))}
        ${!failed && outputs.length === 0 && run.artifacts.length === 0 ? html`<p class="empty">${t("result.nothing")}</p>` : nothing}
      </div>
      ${run.artifacts.length
        ? html`<h3>${t("result.files")}</h3>
            <sk-artifact-list .runId=${run.run_id} .artifacts=${run.artifacts}></sk-artifact-list>`
        : nothing}
    `;
  }

  private renderFailure(run: Run) {
    const title = run.status === "timed_out" ? t("result.timed_out") : run.status === "cancelled" ? t("result.cancelled") : t("result.failed");
    const kind: NoticeKind = run.status === "cancelled" ? "warning" : "danger";
    const summary = run.error_summary && run.status !== "cancelled" ? html`<p class="summary">${run.error_summary}</p>` : nothing;
    return notice(kind, title, summary);
  }

  private renderOutput(output: UiOutput, index: number, runId: string) {
    switch (output.kind) {
      case "notice":
        return html`<wa-callout variant=${NOTICE_KINDS[output.level] === "info" ? "brand" : NOTICE_KINDS[output.level]}>
          <wa-icon slot="icon" name=${output.level === "info" ? "circle-info" : output.level === "warning" ? "triangle-exclamation" : "circle-exclamation"}></wa-icon>
          <span class="summary">${output.message}</span>
        </wa-callout>`;
      case "markdown":
        return html`<sk-markdown .markdown=${output.markdown} heading-offset="2"></sk-markdown>`;
      case "table":
        return html`<sk-output-table .output=${output} .runId=${runId} .index=${index}></sk-output-table>`;
      case "json":
        return html`<sk-json-tree .value=${output.value} .label=${output.title ?? ""}></sk-json-tree>`;
      case "html_sandboxed":
        // No allow-* token: no scripts, no forms, no same origin, no popups, no top navigation.
        return html`<iframe sandbox="" srcdoc=${output.html} title=${t("result.html_frame")}></iframe>`;
      case "vega_lite":
        return html`<sk-vega-chart .spec=${output.spec}></sk-vega-chart>`;
      default:
        return nothing;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-run-result": SkRunResult;
  }
}
