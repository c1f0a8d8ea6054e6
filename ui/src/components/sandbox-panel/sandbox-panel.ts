import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { createSnapshot, getSandboxSettings, saveSandboxSettings, submitSandboxAction, submitSandboxRun, type SandboxRun, type VersionContent } from "../../api/authoring.api";
import type { AnyField, FileField, FormAction, ValueField } from "../../api/contract-types";
import { getRun } from "../../api/runs.api";
import type { ActionSubmitEvent } from "../../events/action-submit";
import type { FilesChangeEvent } from "../../events/files-change";
import type { RunFinishedEvent } from "../../events/run-finished";
import { SandboxInvalidEvent } from "../../events/sandbox-invalid";
import { problemText, renderValueField } from "../../forms/field-controls";
import { checkFields, initialRaw, isFileField, parseFields, serverFieldErrors, serverFileErrors, type RawValue } from "../../forms/schema-fields";
import { errorText } from "../../i18n/error-messages";
import { formatDuration } from "../../i18n/format";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import type { SkFilePicker } from "../file-picker/file-picker";
import { notice } from "../notice/notice";
import type { SettingsStore } from "../settings-panel/settings-panel";
import { SkElement } from "../sk-element/sk-element";
import { sandboxPanelStyles } from "./sandbox-panel.styles";
import "../file-picker/file-picker";
import "../next-actions/next-actions";
import "../run-progress/run-progress";
import "../run-result/run-result";
import "../settings-panel/settings-panel";

type Message = { kind: "danger" | "warning" | "success"; text: string } | null;

/**
 * @summary Runs the editor's current buffer in the sandbox: the same form, file picker, settings (kept
 * apart from production: scope "sandbox") and next actions as the tool page, live progress, the result,
 * and what only authors see — the script's stdout and stderr and how long the run queued and ran.
 * Each run first stores the buffer as an immutable snapshot (the same content gives the same snapshot).
 */
@customElement("sk-sandbox-panel")
export class SkSandboxPanel extends SkElement {
  static override styles = sandboxPanelStyles;

  @property() toolId = "";
  /** The buffer to run; null while it cannot be sent (a schema is not valid JSON). */
  @property({ attribute: false }) content: VersionContent | null = null;

  @state() private fields: AnyField[] = [];
  @state() private raws: Record<string, RawValue> = {};
  @state() private problems: Record<string, string> = {};
  @state() private fileError = "";
  @state() private message: Message = null;
  @state() private submitting = false;
  @state() private activeRunId: string | null = null;
  @state() private run: SandboxRun | null = null;
  @state() private actionErrors: Record<string, string> = {};
  @state() private settingsStore: SettingsStore | null = null;

  @query("sk-file-picker") private filePicker?: SkFilePicker;
  private readonly sessionState = new SessionController(this);
  /** The snapshot of the content last sent, and that content as JSON (same content → reuse it). */
  private snapshot: { id: string; key: string } | null = null;
  private fieldsKey = "";
  private settingsKey: string | null = null;
  /** The snapshot the shown run used: its next actions continue on that same snapshot. */
  private runSnapshotId: string | null = null;

  private get valueFields(): ValueField[] {
    return this.fields.filter((f): f is ValueField => !isFileField(f));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("content") || !this.content) return;
    const fieldsKey = JSON.stringify(this.content.input_schema);
    if (fieldsKey !== this.fieldsKey) {
      this.fieldsKey = fieldsKey;
      this.fields = parseFields(this.content.input_schema, { allowFile: true });
      // Keep what the author typed for fields that still exist.
      this.raws = Object.fromEntries(this.valueFields.map((f) => [f.name, this.raws[f.name] ?? initialRaw(f)]));
    }
    const settingsKey = JSON.stringify(this.content.settings_schema ?? null);
    if (settingsKey !== this.settingsKey) {
      this.settingsKey = settingsKey;
      // A new store makes the settings panel load again, with the new schema.
      this.settingsStore =
        this.content.settings_schema === null
          ? null
          : {
              load: async () => getSandboxSettings(this.toolId, await this.ensureSnapshot()),
              save: async (values, rev) => saveSandboxSettings(this.toolId, await this.ensureSnapshot(), values, rev),
            };
    }
  }

  /** A snapshot of the current content (created when the content changed since the last one). */
  private async ensureSnapshot(): Promise<string> {
    const content = this.content;
    if (!content) throw new Error("no content");
    const key = JSON.stringify(content);
    if (this.snapshot?.key === key) return this.snapshot.id;
    const { snapshot_id } = await createSnapshot(this.toolId, content);
    this.snapshot = { id: snapshot_id, key };
    return snapshot_id;
  }

  override render() {
    const meta = this.sessionState.meta;
    const busy = this.submitting || this.activeRunId !== null;
    return html`
      ${this.content ? nothing : notice("warning", t("authoring.sandbox.fix_json_first"))}
      ${this.settingsStore ? html`<sk-settings-panel .store=${this.settingsStore}></sk-settings-panel>` : nothing}
      ${this.message ? notice(this.message.kind, this.message.text) : nothing}
      <form novalidate @submit=${this.onSubmit}>
        ${this.fields.length === 0 ? html`<p class="quiet">${t("tool.no_inputs")}</p>` : nothing}
        ${this.fields.map((field) =>
          isFileField(field)
            ? html`<sk-file-picker
                data-field=${field.name}
                label=${field.label}
                help=${field.help ?? ""}
                ?required=${field.required || field.min > 0}
                .limits=${{ accept: field.accept ?? [], min: field.min, max: field.max, maxFiles: meta?.max_upload_files ?? field.max, maxMb: meta?.max_upload_mb ?? 50 }}
                error=${this.fileError}
                ?disabled=${busy}
                ?data-invalid=${Boolean(this.fileError)}
                @sk-files-change=${(_: FilesChangeEvent) => (this.fileError = "")}
              ></sk-file-picker>`
            : renderValueField(field, {
                raw: this.raws[field.name] ?? initialRaw(field),
                error: this.problems[field.name],
                disabled: busy,
                onInput: (name, raw) => {
                  this.raws = { ...this.raws, [name]: raw };
                  if (this.problems[name]) this.problems = Object.fromEntries(Object.entries(this.problems).filter(([k]) => k !== name));
                },
              }),
        )}
        <div class="actions">
          <wa-button type="submit" variant="brand" ?loading=${this.submitting} ?disabled=${busy || !this.content}>
            <wa-icon slot="start" name="play"></wa-icon>${t("authoring.sandbox.run")}
          </wa-button>
        </div>
      </form>
      ${this.activeRunId ? html`<sk-run-progress class="progress" .runId=${this.activeRunId} @sk-run-finished=${this.onRunFinished}></sk-run-progress>` : nothing}
      ${this.run ? this.renderRun(this.run) : nothing}
    `;
  }

  private renderRun(run: SandboxRun) {
    const actions: FormAction[] = run.ui_payload?.next_actions ?? [];
    const canContinue = run.state_rev !== null && actions.length > 0;
    return html`
      <section class="result" aria-labelledby="sandbox-result-heading">
        <h3 id="sandbox-result-heading" tabindex="-1">${t("authoring.sandbox.result")}</h3>
        <p class="timing">${this.timingText(run)}</p>
        <sk-run-result .run=${run}></sk-run-result>
        ${canContinue
          ? html`<h4>${t("tool.next_heading")}</h4>
              <sk-next-actions .actions=${actions} .serverErrors=${this.actionErrors} ?busy=${this.activeRunId !== null || this.submitting} @sk-action-submit=${this.onAction}></sk-next-actions>`
          : nothing}
        ${this.renderStream(t("authoring.sandbox.stdout"), run.stdout)} ${this.renderStream(t("authoring.sandbox.stderr"), run.stderr)}
      </section>
    `;
  }

  private renderStream(label: string, text: string | null | undefined) {
    const content = text ?? "";
    return html`<wa-details summary=${label} ?open=${content.trim() !== ""}>
      ${content ? html`<pre class="stream" tabindex="0" aria-label=${label}>${content}</pre>` : html`<p class="quiet">${t("authoring.sandbox.stream_empty")}</p>`}
    </wa-details>`;
  }

  private timingText(run: SandboxRun): string {
    const queued = Date.parse(run.queued_at);
    const started = run.started_at ? Date.parse(run.started_at) : null;
    const finished = run.finished_at ? Date.parse(run.finished_at) : null;
    const wait = started !== null ? formatDuration(started - queued) : "–";
    const ran = started !== null && finished !== null ? `${((finished - started) / 1000).toFixed(2)} s` : "–";
    return t("authoring.sandbox.timing", { status: t(`run.status.${run.status}`), wait, ran });
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    if (this.submitting || this.activeRunId || !this.content) return;
    const { values, problems } = checkFields(this.valueFields, this.raws);
    this.problems = Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, problemText(p)]));
    const fileProblems = this.filePicker?.checkForSubmit() ?? [];
    this.fileError = "";
    if (Object.keys(problems).length || fileProblems.length) {
      this.message = { kind: "danger", text: t("common.check_fields") };
      return this.focusFirstProblem();
    }
    this.message = null;
    this.submitting = true;
    try {
      const snapshotId = await this.ensureSnapshot();
      const runId = await submitSandboxRun(this.toolId, { snapshotId, inputs: values, files: this.filePicker?.value ?? [] });
      this.runSnapshotId = snapshotId;
      this.follow(runId);
    } catch (error) {
      this.onSubmitError(error);
    } finally {
      this.submitting = false;
    }
  }

  private onSubmitError(error: unknown) {
    if (isApiError(error) && error.code === "validation.failed") {
      // The buffer itself is invalid: the editor shows where (the page validates on its own too).
      this.message = { kind: "danger", text: t("authoring.sandbox.invalid_buffer") };
      this.dispatchEvent(new SandboxInvalidEvent(error));
    } else if (isApiError(error) && error.status === 422) {
      const fields = serverFieldErrors(error, "inputs");
      const file = this.fields.find(isFileField) as FileField | undefined;
      this.problems = Object.fromEntries(Object.entries(fields).filter(([name]) => name !== file?.name));
      this.fileError = [...(file && fields[file.name] ? [fields[file.name]!] : []), ...serverFileErrors(error)].join(" ");
      this.message = { kind: "danger", text: t("common.check_fields") };
      void this.focusFirstProblem();
    } else {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private async focusFirstProblem() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("[data-invalid]")?.focus();
  }

  private follow(runId: string) {
    this.activeRunId = runId;
    this.actionErrors = {};
  }

  private async onRunFinished(event: RunFinishedEvent) {
    try {
      const run = await getRun(event.runId);
      if (this.activeRunId !== event.runId) return;
      this.run = run;
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
    this.activeRunId = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#sandbox-result-heading")?.focus();
  }

  private async onAction(event: ActionSubmitEvent) {
    const run = this.run;
    if (!run || run.state_rev === null || !this.runSnapshotId) return;
    this.submitting = true;
    this.actionErrors = {};
    try {
      const runId = await submitSandboxAction(this.toolId, {
        snapshot_id: this.runSnapshotId,
        action_id: event.actionId,
        input: event.input,
        expected_state_rev: run.state_rev,
      });
      this.follow(runId);
    } catch (error) {
      if (isApiError(error) && error.status === 422) this.actionErrors = serverFieldErrors(error, "input");
      else this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.submitting = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-sandbox-panel": SkSandboxPanel;
  }
}
