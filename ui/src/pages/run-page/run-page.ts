import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { getCatalogTool } from "../../api/catalog.api";
import { deleteRun, getRun, isFinished, rerun, type Run } from "../../api/runs.api";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { notice } from "../../components/notice/notice";
import { statusTag } from "../../components/run-status/run-status";
import { SkElement } from "../../components/sk-element/sk-element";
import type { RunFinishedEvent } from "../../events/run-finished";
import { parseFields } from "../../forms/schema-fields";
import { errorText } from "../../i18n/error-messages";
import { formatBytes, formatDateTime, formatDuration } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/confirm-dialog/confirm-dialog";
import "../../components/run-progress/run-progress";
import "../../components/run-result/run-result";

/** A form value as the run page lists it. */
export function inputText(value: unknown, words: { yes: string; no: string }): string {
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.map((v) => inputText(v, words)).join(", ");
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * @summary One of the user's runs: what it started with (values and files), when and how it ended,
 * the stored result with its files (the same renderer as the tool page), live progress while it is
 * still going on, "run again with the same inputs" and delete.
 */
@customElement("sk-run-page")
export class SkRunPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-s) var(--wa-space-m);
        margin-bottom: var(--wa-space-l);
      }
      .head p {
        margin: 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: var(--wa-space-2xs) var(--wa-space-m);
        margin: 0;
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
          grid-template-columns: minmax(0, 1fr);
        }
        dd {
          margin-bottom: var(--wa-space-xs);
        }
      }
      h2:focus {
        outline: none;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-s);
        margin-top: var(--wa-space-l);
      }
      /* Long labels wrap on narrow screens instead of pushing the page wider. */
      .buttons wa-button {
        max-width: 100%;
      }
      .buttons wa-button::part(base) {
        height: auto;
        min-height: var(--wa-form-control-height);
        white-space: normal;
      }
    `,
  ];

  @property() runId = "";

  @state() private run: Run | null = null;
  @state() private error: string | null = null;
  @state() private message: { kind: "danger" | "warning"; text: string } | null = null;
  @state() private busy = false;
  /** Field labels of the tool's current form, to name the values (the name itself when unknown). */
  @state() private labels: Record<string, string> = {};
  @query("sk-confirm-dialog") private confirmDialog!: SkConfirmDialog;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("runId") && this.runId) void this.load();
  }

  private async load() {
    this.run = null;
    this.error = null;
    this.message = null;
    try {
      this.run = await getRun(this.runId);
    } catch (error) {
      this.error = errorText(error);
      return;
    }
    try {
      const tool = await getCatalogTool(this.run.tool_slug);
      this.labels = Object.fromEntries(parseFields(tool.input_schema, { allowFile: true }).map((f) => [f.name, f.label]));
    } catch {
      // The tool may be unpublished since: the values keep their field names.
      this.labels = {};
    }
  }

  override render() {
    const run = this.run;
    if (!run) {
      return html`<div class="page">
        <h1 tabindex="-1">${t("title.run")}</h1>
        ${this.error ? html`${notice("danger", this.error)}<p><a href="/runs">${t("run.back")}</a></p>` : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`}
      </div>`;
    }
    const finished = isFinished(run.status);
    const words = { yes: t("common.yes"), no: t("common.no") };
    const inputs = Object.entries(run.inputs);
    const duration = run.started_at && run.finished_at ? Date.parse(run.finished_at) - Date.parse(run.started_at) : null;
    return html`
      <div class="page">
        <p><a href="/runs">${t("run.back")}</a></p>
        <h1 tabindex="-1">${run.tool_title || run.tool_slug}</h1>
        <div class="head">
          ${statusTag(run.status)}
          <p>${t("run.started_at", { time: formatDateTime(run.queued_at) })}${duration !== null ? ` · ${t("run.duration", { time: formatDuration(duration) })}` : ""}</p>
        </div>
        ${this.message ? notice(this.message.kind, this.message.text) : nothing}
        <section class="card" aria-labelledby="inputs-heading">
          <h2 id="inputs-heading">${t("run.inputs_heading")}</h2>
          ${run.is_action
            ? html`<p>${t("run.action_run")}</p>`
            : inputs.length === 0 && run.input_files.length === 0
              ? html`<p>${t("run.no_inputs")}</p>`
              : html`<dl>
                  ${inputs.map(([name, value]) => html`<dt>${this.labels[name] ?? name}</dt><dd>${inputText(value, words)}</dd>`)}
                  ${run.input_files.map((f) => html`<dt>${t("run.file")}</dt><dd>${f.name} (${formatBytes(f.bytes)})</dd>`)}
                </dl>`}
          <div class="buttons">
            <wa-button href="/tools/${encodeURIComponent(run.tool_slug)}${run.state_rev !== null && (run.ui_payload?.next_actions.length ?? 0) > 0 ? `?run=${encodeURIComponent(run.run_id)}` : ""}" appearance="outlined">
              <wa-icon slot="start" name="toolbox"></wa-icon>${run.state_rev !== null && (run.ui_payload?.next_actions.length ?? 0) > 0 ? t("run.continue") : t("run.open_tool")}
            </wa-button>
            ${finished && !run.is_action
              ? html`<wa-button variant="brand" ?loading=${this.busy} ?disabled=${this.busy} @click=${this.onRerun}>
                  <wa-icon slot="start" name="rotate-right"></wa-icon>${t("run.rerun")}
                </wa-button>`
              : nothing}
            ${finished
              ? html`<wa-button variant="danger" appearance="outlined" ?disabled=${this.busy} @click=${this.onDelete}>
                  <wa-icon slot="start" name="trash-can"></wa-icon>${t("run.delete")}
                </wa-button>`
              : nothing}
          </div>
        </section>
        ${finished
          ? html`<section class="card" aria-labelledby="result-heading">
              <h2 id="result-heading" tabindex="-1">${t("tool.result_heading")}</h2>
              <sk-run-result .run=${run}></sk-run-result>
            </section>`
          : html`<sk-run-progress .runId=${run.run_id} @sk-run-finished=${this.onFinished}></sk-run-progress>`}
        <sk-confirm-dialog></sk-confirm-dialog>
      </div>
    `;
  }

  private async onFinished(event: RunFinishedEvent) {
    try {
      this.run = await getRun(event.runId);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#result-heading")?.focus();
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private async onRerun() {
    const run = this.run;
    if (!run) return;
    this.busy = true;
    this.message = null;
    try {
      const id = await rerun(run.run_id);
      navigate(`/runs/${encodeURIComponent(id)}`);
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private async onDelete() {
    const run = this.run;
    if (!run) return;
    const confirmed = await this.confirmDialog.ask({
      title: t("run.delete_confirm_title"),
      body: t("run.delete_confirm_body", { tool: run.tool_title || run.tool_slug, time: formatDateTime(run.queued_at) }),
      confirmLabel: t("run.delete"),
      variant: "danger",
    });
    if (!confirmed) return;
    this.busy = true;
    try {
      await deleteRun(run.run_id);
      navigate(`/runs?deleted=1`);
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-run-page": SkRunPage;
  }
}
