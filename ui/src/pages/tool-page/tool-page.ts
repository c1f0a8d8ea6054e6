import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { getCatalogTool, markInstructionsSeen, type CatalogTool } from "../../api/catalog.api";
import type { AnyField, FileField, FormAction, ValueField } from "../../api/contract-types";
import { getRun, getSessionFiles, isFinished, listRuns, submitAction, submitRun, type Run, type SessionFiles, type SessionFilesMode } from "../../api/runs.api";
import { submitRunWithDocuments } from "../../api/documents.api";
import type { SkDocumentPicker } from "../../components/document-picker/document-picker";
import type { DocumentsChooseEvent } from "../../components/document-picker/documents-choose";
import type { SkFilePicker } from "../../components/file-picker/file-picker";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { ActionSubmitEvent } from "../../events/action-submit";
import type { FavoriteChangeEvent } from "../../events/favorite-change";
import type { FilesChangeEvent } from "../../events/files-change";
import type { RunFinishedEvent } from "../../events/run-finished";
import { problemText, renderValueField } from "../../forms/field-controls";
import { checkFields, initialRaw, isFileField, parseFields, serverFieldErrors, serverFileErrors, type RawValue } from "../../forms/schema-fields";
import { errorText } from "../../i18n/error-messages";
import { formatList } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import { runParam, toolRunPath } from "./tool-page-query";
import { toolPageStyles } from "./tool-page.styles";
import "../../components/favorite-button/favorite-button";
import "../../components/document-picker/document-picker";
import "../../components/file-picker/file-picker";
import "../../components/markdown-view/markdown-view";
import "../../components/next-actions/next-actions";
import "../../components/run-progress/run-progress";
import "../../components/run-result/run-result";
import "../../components/settings-panel/settings-panel";

type Message = { kind: "danger" | "warning" | "success"; text: string } | null;

/**
 * @summary A tool's page: its usage instructions (opened by themselves when new or changed since the
 * user last read them), the user's settings, the form generated from the input schema with a file
 * picker, live progress of a run with Cancel, the result (every output kind and the files), and the
 * next actions of a tool that works in steps.
 */
@customElement("sk-tool-page")
export class SkToolPage extends SkElement {
  static override styles = [pageStyles, toolPageStyles];

  @property() slug = "";
  /** The URL query string, set by the shell (`?run=<id>`). */
  @property({ attribute: false }) search = "";

  @state() private tool: CatalogTool | null = null;
  @state() private loadError: string | null = null;
  @state() private instructionsOpen = false;
  @state() private fields: AnyField[] = [];
  @state() private raws: Record<string, RawValue> = {};
  @state() private problems: Record<string, string> = {};
  @state() private fileError = "";
  @state() private formMessage: Message = null;
  @state() private submitting = false;
  /** The run being followed live. */
  @state() private activeRunId: string | null = null;
  /** The finished run shown as the result. */
  @state() private run: Run | null = null;
  @state() private resultMessage: Message = null;
  @state() private actionErrors: Record<string, string> = {};
  /** The input files of the latest form run, which follow-up actions get; offered for reuse or clearing. */
  @state() private sessionFiles: SessionFiles["files"] = [];
  /** What the next run does with them: "reuse" and "clear" are the teacher's choice, sent with the run. */
  @state() private sessionMode: SessionFilesMode = "none";
  @state() private chosenFiles = 0;
  /** Stored documents chosen as input files (sent as document_ids alongside the uploads). */
  @state() private chosenDocuments = 0;

  @query("sk-file-picker") private filePicker?: SkFilePicker;
  @query("sk-document-picker") private documentPicker?: SkDocumentPicker;
  private readonly sessionState = new SessionController(this);
  /** The run id this page already shows or follows (a `?run=` it wrote itself needs no reload). */
  private shownRunId: string | null = null;

  private get valueFields(): ValueField[] {
    return this.fields.filter((f): f is ValueField => !isFileField(f));
  }

  private get fileField(): FileField | null {
    return (this.fields.find(isFileField) as FileField | undefined) ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("slug") && this.slug) void this.load();
    else if (changed.has("search")) {
      const id = runParam(this.search);
      if (id && id !== this.shownRunId) void this.showRun(id);
    }
  }

  private async load() {
    this.tool = null;
    this.loadError = null;
    this.run = null;
    this.activeRunId = null;
    this.shownRunId = null;
    this.sessionFiles = [];
    this.sessionMode = "none";
    this.chosenFiles = 0;
    try {
      const tool = await getCatalogTool(this.slug);
      this.tool = tool;
      this.fields = parseFields(tool.input_schema, { allowFile: true });
      this.raws = Object.fromEntries(this.valueFields.map((f) => [f.name, initialRaw(f)]));
      const isNew = tool.instructions_seen_version === null || tool.instructions_changed_since_seen;
      this.instructionsOpen = tool.usage_instructions.trim() !== "" && isNew;
      // Shown now, so seen: the next visit opens them only when they change again.
      if (this.instructionsOpen) markInstructionsSeen(tool.slug, tool.version).catch(() => undefined);
    } catch (error) {
      this.loadError = errorText(error);
      return;
    }
    void this.loadSessionFiles();
    const id = runParam(this.search);
    if (id) await this.showRun(id);
  }

  /** The session files of the form's context (the page runs in the default context); only for forms with a file field. */
  private async loadSessionFiles() {
    if (!this.fileField) return;
    try {
      this.sessionFiles = (await getSessionFiles(this.slug)).files;
    } catch {
      // Only an offer: without it the teacher uploads the files again.
      this.sessionFiles = [];
    }
  }

  /** Shown while the form has a file field, session files exist, no new file is chosen and they were not cleared. */
  private get showSessionFiles(): boolean {
    return this.fileField !== null && this.sessionFiles.length > 0 && this.chosenFiles === 0 && this.chosenDocuments === 0 && this.sessionMode !== "clear";
  }

  private renderSessionFiles(busy: boolean) {
    if (!this.showSessionFiles) return nothing;
    const reusing = this.sessionMode === "reuse";
    return html`<div class="session-files">
      <p>${t("tool.session_files", { names: formatList(this.sessionFiles.map((f) => f.name)) })}</p>
      <div class="session-files-buttons">
        <wa-button
          size="s"
          variant=${reusing ? "brand" : "neutral"}
          appearance=${reusing ? "accent" : "outlined"}
          ?disabled=${busy}
          @click=${() => (this.sessionMode = reusing ? "none" : "reuse")}
          ><wa-icon slot="start" name="rotate-right"></wa-icon>${t("tool.session_files_reuse")}</wa-button
        >
        <wa-button size="s" variant="neutral" appearance="outlined" ?disabled=${busy} @click=${() => (this.sessionMode = "clear")}
          ><wa-icon slot="start" name="xmark"></wa-icon>${t("tool.session_files_clear")}</wa-button
        >
      </div>
      ${reusing ? html`<p class="quiet" role="status">${t("tool.session_files_reusing")}</p>` : nothing}
    </div>`;
  }

  /** Shows a run of this tool: live while it runs, then its result. */
  private async showRun(id: string) {
    this.shownRunId = id;
    try {
      const run = await getRun(id);
      if (run.tool_slug !== this.slug || this.shownRunId !== id) return;
      if (isFinished(run.status)) {
        this.run = run;
        this.activeRunId = null;
      } else this.activeRunId = id;
    } catch (error) {
      this.resultMessage = { kind: "warning", text: errorText(error) };
    }
  }

  override render() {
    if (this.loadError) {
      return html`<div class="page">
        <h1 tabindex="-1">${t("title.tool")}</h1>
        ${notice("danger", this.loadError)}
        <p><a href="/tools">${t("tool.back_to_catalog")}</a></p>
      </div>`;
    }
    const tool = this.tool;
    if (!tool) {
      return html`<div class="page">
        <h1 tabindex="-1">${t("title.tool")}</h1>
        <div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>
      </div>`;
    }
    return html`
      <div class="page" @sk-favorite-change=${(e: FavoriteChangeEvent) => (this.tool = this.tool && { ...this.tool, is_favorite: e.favorite })}>
        <div class="title">
          <h1 tabindex="-1">${tool.title}</h1>
          <sk-favorite-button .slug=${tool.slug} tool-title=${tool.title} ?favorite=${tool.is_favorite}></sk-favorite-button>
        </div>
        ${tool.summary ? html`<p class="summary">${tool.summary}</p>` : nothing}
        ${tool.usage_instructions.trim()
          ? html`<wa-details class="instructions" summary=${tool.instructions_changed_since_seen ? t("tool.instructions_changed") : t("tool.instructions")} ?open=${this.instructionsOpen}>
              <sk-markdown .markdown=${tool.usage_instructions} heading-offset="1"></sk-markdown>
            </wa-details>`
          : nothing}
        <sk-settings-panel .slug=${tool.slug}></sk-settings-panel>
        ${this.renderForm()} ${this.renderRun()}
        <p class="history"><a href="/runs?tool=${encodeURIComponent(tool.slug)}"><wa-icon name="clock-rotate-left"></wa-icon>${t("tool.history_link")}</a></p>
      </div>
    `;
  }

  private renderForm() {
    const meta = this.sessionState.meta;
    const busy = this.submitting || this.activeRunId !== null;
    return html`
      <section class="card" aria-labelledby="form-heading">
        <h2 id="form-heading">${t("tool.form_heading")}</h2>
        ${this.formMessage ? notice(this.formMessage.kind, this.formMessage.text) : nothing}
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
                  @sk-files-change=${(e: FilesChangeEvent) => {
                    this.fileError = "";
                    this.chosenFiles = e.files.length;
                  }}
                ></sk-file-picker>
                ${acceptsPdf(field)
                  ? html`<sk-document-picker ?disabled=${busy} @sk-documents-choose=${(e: DocumentsChooseEvent) => (this.chosenDocuments = e.documents.length)}></sk-document-picker>`
                  : nothing}
                ${this.renderSessionFiles(busy)}`
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
            <wa-button type="submit" variant="brand" size="l" ?loading=${this.submitting} ?disabled=${busy}>
              <wa-icon slot="start" name="play"></wa-icon>${t("tool.run")}
            </wa-button>
          </div>
        </form>
      </section>
    `;
  }

  private renderRun() {
    const run = this.run;
    const actions: FormAction[] = run?.ui_payload?.next_actions ?? [];
    const canContinue = run !== null && run.state_rev !== null && actions.length > 0;
    return html`
      ${this.activeRunId
        ? html`<section class="progress" aria-label=${t("tool.progress_label")}>
            <sk-run-progress .runId=${this.activeRunId} @sk-run-finished=${this.onRunFinished}></sk-run-progress>
          </section>`
        : nothing}
      ${run || this.resultMessage
        ? html`<section class="card result" aria-labelledby="result-heading">
            <div class="result-head">
              <h2 id="result-heading" tabindex="-1">${t("tool.result_heading")}</h2>
              ${run ? html`<a href="/runs/${encodeURIComponent(run.run_id)}">${t("tool.open_run")}</a>` : nothing}
            </div>
            ${this.resultMessage ? notice(this.resultMessage.kind, this.resultMessage.text) : nothing}
            <sk-run-result .run=${run}></sk-run-result>
          </section>`
        : nothing}
      ${canContinue
        ? html`<section class="card" aria-labelledby="next-heading">
            <h2 id="next-heading">${t("tool.next_heading")}</h2>
            <sk-next-actions
              .actions=${actions}
              .serverErrors=${this.actionErrors}
              ?busy=${this.activeRunId !== null || this.submitting}
              @sk-action-submit=${this.onAction}
            ></sk-next-actions>
          </section>`
        : nothing}
    `;
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const tool = this.tool;
    if (!tool || this.submitting || this.activeRunId) return;
    const { values, problems } = checkFields(this.valueFields, this.raws);
    this.problems = Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, problemText(p)]));
    // Reused session files stand in for the picker's files; the server checks them like uploads.
    const reusing = this.showSessionFiles && this.sessionMode === "reuse";
    // Chosen stored documents count as the run's files too (the server checks the limits of both together).
    const documentIds = this.documentPicker?.value ?? [];
    const fileProblems = reusing || documentIds.length > 0 ? [] : (this.filePicker?.checkForSubmit() ?? []);
    this.fileError = "";
    if (Object.keys(problems).length || fileProblems.length) {
      this.formMessage = { kind: "danger", text: t("common.check_fields") };
      return this.focusFirstProblem();
    }
    this.formMessage = null;
    this.submitting = true;
    try {
      const input = { inputs: values, files: this.filePicker?.value ?? [], session_files_mode: this.sessionMode };
      const runId = documentIds.length > 0 ? await submitRunWithDocuments(tool.slug, input, documentIds) : await submitRun(tool.slug, input);
      this.sessionMode = "none";
      this.follow(runId);
      void this.loadSessionFiles();
    } catch (error) {
      this.onSubmitError(error);
    } finally {
      this.submitting = false;
    }
  }

  private onSubmitError(error: unknown) {
    if (isApiError(error) && error.status === 422) {
      const fields = serverFieldErrors(error, "inputs");
      const file = this.fileField;
      const fileMessages = [...(file && fields[file.name] ? [fields[file.name]!] : []), ...serverFileErrors(error)];
      this.problems = Object.fromEntries(Object.entries(fields).filter(([name]) => name !== file?.name));
      this.fileError = fileMessages.join(" ");
      this.formMessage = { kind: "danger", text: Object.keys(fields).length || fileMessages.length ? t("common.check_fields") : errorText(error) };
      void this.focusFirstProblem();
    } else if (isApiError(error) && error.status === 413) {
      this.fileError = errorText(error);
      this.formMessage = { kind: "danger", text: errorText(error) };
      void this.focusFirstProblem();
    } else {
      this.formMessage = { kind: "danger", text: errorText(error) };
    }
  }

  private async focusFirstProblem() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("[data-invalid]")?.focus();
  }

  /** Follows a new run live and keeps it in the URL. */
  private follow(runId: string) {
    this.shownRunId = runId;
    this.activeRunId = runId;
    this.resultMessage = null;
    this.actionErrors = {};
    navigate(toolRunPath(this.slug, runId), { replace: true });
  }

  private async onRunFinished(event: RunFinishedEvent) {
    try {
      const run = await getRun(event.runId);
      if (this.activeRunId !== event.runId) return;
      this.run = run;
    } catch (error) {
      this.resultMessage = { kind: "danger", text: errorText(error) };
    }
    this.activeRunId = null;
    await this.updateComplete;
    // Keyboard and screen reader users land on the result.
    this.renderRoot.querySelector<HTMLElement>("#result-heading")?.focus();
  }

  private async onAction(event: ActionSubmitEvent) {
    const run = this.run;
    if (!run || run.state_rev === null) return;
    this.submitting = true;
    this.actionErrors = {};
    try {
      const runId = await submitAction(this.slug, { action_id: event.actionId, input: event.input, expected_state_rev: run.state_rev, context: run.context });
      this.follow(runId);
    } catch (error) {
      if (isApiError(error) && (error.code === "runs.state_conflict" || error.code === "runs.action_not_offered")) {
        await this.reloadState();
        this.resultMessage = { kind: "warning", text: t("tool.state_conflict") };
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>("#result-heading")?.focus();
      } else if (isApiError(error) && error.status === 422) {
        this.actionErrors = serverFieldErrors(error, "input");
      } else {
        this.resultMessage = { kind: "danger", text: errorText(error) };
      }
    } finally {
      this.submitting = false;
    }
  }

  /**
   * After a stale state (another tab or device moved on): shows the run that wrote the current state,
   * with the actions it offers, so the teacher continues from there.
   */
  private async reloadState() {
    const context = this.run?.context ?? "default";
    try {
      const { items } = await listRuns({ tool: this.slug, page_size: 50 });
      const latest = items
        .filter((r) => r.state_rev !== null && r.context === context)
        .sort((a, b) => (b.state_rev ?? 0) - (a.state_rev ?? 0))[0];
      if (!latest) {
        this.run = null;
        return;
      }
      this.run = await getRun(latest.run_id);
      this.shownRunId = latest.run_id;
      navigate(toolRunPath(this.slug, latest.run_id), { replace: true });
    } catch (error) {
      this.resultMessage = { kind: "danger", text: errorText(error) };
    }
  }
}

/** Whether a file field takes PDFs (stored documents are PDFs): no accept list, or one naming PDF. */
function acceptsPdf(field: FileField): boolean {
  const accept = (field.accept ?? []).map((a) => a.toLowerCase());
  return accept.length === 0 || accept.some((a) => a === ".pdf" || a === "application/pdf" || a === "*/*" || a === "application/*");
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-tool-page": SkToolPage;
  }
}
