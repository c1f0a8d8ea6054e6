import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { isApiError, type ApiError } from "../../api/api-error";
import {
  acquireLock,
  getToolBySlug,
  getVersion,
  heartbeatLock,
  releaseLock,
  saveVersion,
  submitForReview,
  validateContent,
  type Problem,
  type ToolDetail,
  type Version,
  type VersionContent,
} from "../../api/authoring.api";
import { patchedSource } from "../../authoring/assistant-patch.rules";
import { editorAccess, holderFromDetails, LOCK_HEARTBEAT_MS, type EditorAccess } from "../../authoring/draft-lock.rules";
import {
  bufferFromTemplate,
  bufferFromVersion,
  contentFromBuffer,
  entrypointCandidates,
  restoreOffer,
  sameBuffer,
  workingCopyKey,
  type EditorBuffer,
  type RestoreOffer,
} from "../../authoring/editor-buffer.rules";
import { splitProblemPath, type ContentField } from "../../authoring/json-pointer.rules";
import { STARTER_TEMPLATE } from "../../authoring/starter-template";
import { deleteWorkingCopy, loadWorkingCopy, saveWorkingCopy } from "../../authoring/working-copy.store";
import type { EditorProblem } from "../../components/code-editor/editor-diagnostics";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { CodeChangeEvent } from "../../events/code-change";
import type { SandboxInvalidEvent } from "../../events/sandbox-invalid";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import { aiEnabled, loadAssistantDrawer } from "./assistant-hook";
import { toolEditorPageStyles } from "./tool-editor-page.styles";
import "@awesome.me/webawesome/dist/components/tab-group/tab-group.js";
import "@awesome.me/webawesome/dist/components/tab/tab.js";
import "@awesome.me/webawesome/dist/components/tab-panel/tab-panel.js";
import "../../components/code-editor/code-editor";
import "../../components/diff-view/diff-view";
import "../../components/lock-banner/lock-banner";
import "../../components/markdown-editor/markdown-editor";
import "../../components/sandbox-panel/sandbox-panel";

type Message = { kind: "danger" | "warning" | "success" | "info"; text: string; conflict?: { headId: string; headNumber: number } } | null;
type Tab = "source" | "input" | "settings" | "instructions" | "sandbox";

const AUTOSAVE_MS = 600;
const VALIDATE_MS = 900;
const TAB_OF_FIELD: Record<ContentField, Tab> = {
  source: "source",
  entrypoint: "source",
  input_schema: "input",
  settings_schema: "settings",
  usage_instructions: "instructions",
};

/**
 * @summary The tool editor: source (Python, contract lint with quick fixes), input and settings schemas
 * (JSON, the server's validation shown where it points), usage instructions (markdown with preview),
 * the entrypoint, and a sandbox that runs the buffer. Saving makes a new draft version naming the
 * version it was based on (a newer head is reported with ways out). The draft lock is taken on open,
 * kept alive and released on leave; someone else's lock makes the editor read-only. The buffer is kept
 * in the browser while typing and offered back on the next visit; leaving with unsaved changes asks first.
 */
@customElement("sk-tool-editor-page")
export class SkToolEditorPage extends SkElement {
  static override styles = [pageStyles, toolEditorPageStyles];

  @property() slug = "";

  @state() private tool: ToolDetail | null = null;
  @state() private loadError: string | null = null;
  @state() private buffer: EditorBuffer = bufferFromTemplate(STARTER_TEMPLATE);
  /** What the editor started from (or last saved): the buffer is "unsaved" while it differs. */
  @state() private savedBuffer: EditorBuffer = bufferFromTemplate(STARTER_TEMPLATE);
  @state() private base: Pick<Version, "id" | "number" | "state"> | null = null;
  @state() private access: EditorAccess | null = null;
  @state() private lockBusy = false;
  @state() private problems: Problem[] = [];
  @state() private offer: RestoreOffer = { kind: "none" };
  @state() private message: Message = null;
  @state() private saving = false;
  @state() private note = "";
  @state() private reviewNote = "";
  @state() private tab: Tab = "source";
  @state() private showAssistant = false;
  @state() private proposal: { source: string } | null = null;
  @state() private undoSource: string | null = null;

  private readonly sessionState = new SessionController(this);
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private autosaveTimer: ReturnType<typeof setTimeout> | undefined;
  private validateTimer: ReturnType<typeof setTimeout> | undefined;
  private loadedToolId: string | null = null;

  private get dirty(): boolean {
    return !sameBuffer(this.buffer, this.savedBuffer);
  }

  private get editing(): boolean {
    return this.access?.kind === "editing";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("beforeunload", this.onBeforeUnload);
    // Capture phase: runs before the app's link interception, which skips prevented clicks.
    document.addEventListener("click", this.onDocumentClick, true);
    window.addEventListener("pagehide", this.onPageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("beforeunload", this.onBeforeUnload);
    document.removeEventListener("click", this.onDocumentClick, true);
    window.removeEventListener("pagehide", this.onPageHide);
    this.stopTimers();
    void this.flushWorkingCopy();
    if (this.loadedToolId && this.editing) void releaseLock(this.loadedToolId).catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("slug") && this.slug) void this.load();
  }

  private stopTimers() {
    clearInterval(this.heartbeat);
    clearTimeout(this.autosaveTimer);
    clearTimeout(this.validateTimer);
  }

  private async load() {
    this.stopTimers();
    this.loadError = null;
    this.tool = null;
    try {
      const tool = await getToolBySlug(this.slug);
      const head = tool.head_version ? await getVersion(tool.id, tool.head_version.id) : null;
      this.tool = tool;
      this.loadedToolId = tool.id;
      const start = head ? bufferFromVersion(head) : bufferFromTemplate(STARTER_TEMPLATE);
      this.buffer = start;
      // A tool without versions starts from the template, which is not saved yet.
      this.savedBuffer = head ? start : { ...start, source: "" };
      this.base = head ? { id: head.id, number: head.number, state: head.state } : null;
      this.problems = [];
      const user = this.sessionState.user;
      if (user) this.offer = restoreOffer(await loadWorkingCopy(workingCopyKey(tool.id, user.id)), head?.id ?? null, start);
      if (aiEnabled(this.sessionState.meta)) this.showAssistant = await loadAssistantDrawer().catch(() => false);
      await this.takeLock(false);
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  // The draft lock

  private async takeLock(takeOver: boolean) {
    const tool = this.tool;
    if (!tool) return;
    const role = this.sessionState.user?.role;
    this.lockBusy = true;
    try {
      const lock = await acquireLock(tool.id, takeOver);
      this.access = editorAccess(lock, role, tool.can.edit);
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => void this.beat(), LOCK_HEARTBEAT_MS);
      if (takeOver) this.message = { kind: "success", text: t("authoring.lock.taken_over") };
    } catch (error) {
      this.onLockRefused(error);
    } finally {
      this.lockBusy = false;
    }
  }

  private onLockRefused(error: unknown) {
    const tool = this.tool;
    const found = isApiError(error) ? holderFromDetails(error.details) : null;
    const role = this.sessionState.user?.role;
    if (found && tool) {
      this.access = editorAccess({ holder: found.holder, expires_at: found.expiresAt ?? "", acquired_at: "", heartbeat_at: "", mine: false }, role, tool.can.edit);
    } else {
      this.access = { kind: "read_only" };
      if (!isApiError(error) || error.status !== 403) this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private async beat() {
    const tool = this.tool;
    if (!tool || !this.editing) return;
    try {
      await heartbeatLock(tool.id);
    } catch (error) {
      if (isApiError(error) && error.code === "authoring.lock_lost") {
        clearInterval(this.heartbeat);
        this.onLockRefused(error);
        this.message = { kind: "warning", text: t("authoring.lock.lost") };
      }
      // Other failures (network): the next beat tries again; the lock lasts 120 s.
    }
  }

  // Working copy and the unsaved-changes guard

  private onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.dirty) return;
    void this.flushWorkingCopy();
    event.preventDefault();
  };

  private onPageHide = () => {
    void this.flushWorkingCopy();
  };

  private onDocumentClick = (event: MouseEvent) => {
    if (!this.dirty || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor?.href || anchor.target === "_blank" || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || url.pathname === location.pathname) return;
    // The working copy is kept either way; the question makes sure leaving is meant.
    void this.flushWorkingCopy();
    if (!window.confirm(t("authoring.editor.leave_unsaved"))) event.preventDefault();
  };

  private scheduleAutosave() {
    clearTimeout(this.autosaveTimer);
    this.autosaveTimer = setTimeout(() => void this.flushWorkingCopy(), AUTOSAVE_MS);
  }

  private async flushWorkingCopy() {
    clearTimeout(this.autosaveTimer);
    const tool = this.tool;
    const user = this.sessionState.user;
    if (!tool || !user || !this.editing) return;
    const key = workingCopyKey(tool.id, user.id);
    if (!this.dirty) return void (await deleteWorkingCopy(key));
    await saveWorkingCopy({
      key,
      toolId: tool.id,
      userId: user.id,
      baseVersionId: this.base?.id ?? null,
      baseNumber: this.base?.number ?? null,
      buffer: this.buffer,
      savedAt: new Date().toISOString(),
    });
  }

  private restore() {
    if (this.offer.kind === "none") return;
    const copy = this.offer.copy;
    this.buffer = copy.buffer;
    if (this.offer.kind === "offer_stale" && copy.baseVersionId) {
      // Based on an older version: saving will meet the newer head and offer to compare.
      this.base = { id: copy.baseVersionId, number: copy.baseNumber ?? 0, state: "draft" };
    }
    this.offer = { kind: "none" };
    this.message = { kind: "info", text: t("authoring.restore.restored") };
    this.scheduleValidate();
  }

  private async discardCopy() {
    const tool = this.tool;
    const user = this.sessionState.user;
    this.offer = { kind: "none" };
    if (tool && user) await deleteWorkingCopy(workingCopyKey(tool.id, user.id));
  }

  // Editing

  private edit(changes: Partial<EditorBuffer>) {
    this.buffer = { ...this.buffer, ...changes };
    this.scheduleAutosave();
    if ("inputSchema" in changes || "settingsSchema" in changes || "entrypoint" in changes) this.scheduleValidate();
  }

  /** Asks the server to check the buffer a moment after the author stops typing in a schema. */
  private scheduleValidate() {
    clearTimeout(this.validateTimer);
    this.validateTimer = setTimeout(() => void this.validate(), VALIDATE_MS);
  }

  private async validate() {
    const tool = this.tool;
    const result = contentFromBuffer(this.buffer);
    if (!tool || !result.ok) return; // JSON syntax errors are shown by the editor itself
    try {
      this.problems = (await validateContent(tool.id, result.content)).problems;
    } catch {
      // Validation is a convenience; saving validates again.
    }
  }

  private problemsFor(field: ContentField): EditorProblem[] {
    return this.problems
      .map((p) => splitProblemPath(p.path, p.message))
      .filter((p) => p.field === field || (field === "source" && p.field === "entrypoint"))
      .map((p) => ({ pointer: p.pointer, message: p.message }));
  }

  private get otherProblems(): Problem[] {
    return this.problems.filter((p) => splitProblemPath(p.path, p.message).field === null);
  }

  // Saving and review

  private content(): VersionContent | null {
    const result = contentFromBuffer(this.buffer);
    return result.ok ? result.content : null;
  }

  private async save(parentOverride?: string) {
    const tool = this.tool;
    if (!tool || this.saving || !this.editing) return;
    const result = contentFromBuffer(this.buffer);
    if (!result.ok) {
      this.tab = result.field === "input_schema" ? "input" : "settings";
      this.message = { kind: "danger", text: t("authoring.editor.json_invalid", { message: result.message }) };
      return;
    }
    this.saving = true;
    this.message = null;
    try {
      const parent = parentOverride ?? this.base?.id ?? null;
      const { created, version } = await saveVersion(tool.id, result.content, parent, this.note.trim() || undefined);
      this.base = { id: version.id, number: version.number, state: version.state };
      this.savedBuffer = this.buffer;
      this.problems = [];
      this.note = "";
      await this.flushWorkingCopy();
      this.message = { kind: "success", text: created ? t("authoring.editor.saved", { number: version.number }) : t("authoring.editor.unchanged", { number: version.number }) };
      this.tool = { ...tool, head_version: { id: version.id, number: version.number, state: version.state } };
    } catch (error) {
      this.onSaveError(error);
    } finally {
      this.saving = false;
    }
  }

  private onSaveError(error: unknown) {
    if (!isApiError(error)) return void (this.message = { kind: "danger", text: errorText(error) });
    if (error.code === "validation.failed") return this.showProblems(error);
    if (error.code === "authoring.head_moved") {
      const details = error.details as { head_version_id?: unknown; head_number?: unknown } | null;
      const headId = typeof details?.head_version_id === "string" ? details.head_version_id : "";
      const headNumber = typeof details?.head_number === "number" ? details.head_number : 0;
      this.message = { kind: "warning", text: t("authoring.editor.head_moved", { number: headNumber }), conflict: { headId, headNumber } };
      void this.flushWorkingCopy();
      return;
    }
    if (error.code === "authoring.locked" || error.code === "authoring.lock_lost") {
      this.onLockRefused(error);
      this.message = { kind: "warning", text: errorText(error) };
      return;
    }
    this.message = { kind: "danger", text: errorText(error) };
  }

  private showProblems(error: ApiError) {
    const details = Array.isArray(error.details) ? (error.details as unknown[]) : [];
    this.problems = details.filter((d): d is Problem => typeof d === "object" && d !== null && typeof (d as Problem).path === "string" && typeof (d as Problem).message === "string");
    const first = this.problems[0] ? splitProblemPath(this.problems[0].path, "").field : null;
    if (first) this.tab = TAB_OF_FIELD[first];
    this.message = { kind: "danger", text: t("authoring.editor.fix_problems", { count: this.problems.length }) };
  }

  /** Opens the newer head the save ran into, leaving the author's buffer in the working copy. */
  private async loadHead(headId: string) {
    const tool = this.tool;
    if (!tool) return;
    try {
      const head = await getVersion(tool.id, headId);
      const buffer = bufferFromVersion(head);
      this.buffer = buffer;
      this.savedBuffer = buffer;
      this.base = { id: head.id, number: head.number, state: head.state };
      this.message = { kind: "info", text: t("authoring.editor.head_loaded", { number: head.number }) };
      this.tool = { ...tool, head_version: { id: head.id, number: head.number, state: head.state } };
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private async submit() {
    const tool = this.tool;
    const base = this.base;
    if (!tool || !base || this.dirty || this.saving) return;
    this.saving = true;
    try {
      const version = await submitForReview(tool.id, base.id, this.reviewNote.trim());
      this.base = { id: version.id, number: version.number, state: version.state };
      this.reviewNote = "";
      this.message = { kind: "success", text: t("authoring.editor.submitted", { number: version.number }) };
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.saving = false;
    }
  }

  // The assistant's proposals

  private onPropose(event: CustomEvent<{ diff: string }>) {
    const patched = patchedSource(this.buffer.source, event.detail.diff);
    if (patched === null) {
      this.message = { kind: "warning", text: t("authoring.assistant.does_not_fit") };
      return;
    }
    this.proposal = { source: patched };
    this.tab = "source";
  }

  private applyProposal() {
    if (!this.proposal) return;
    this.undoSource = this.buffer.source;
    this.edit({ source: this.proposal.source });
    this.proposal = null;
  }

  private undoProposal() {
    if (this.undoSource === null) return;
    this.edit({ source: this.undoSource });
    this.undoSource = null;
  }

  // Rendering

  override render() {
    const tool = this.tool;
    if (this.loadError) {
      return html`<div class="page wide">
        <h1 tabindex="-1">${t("title.tool_editor")}</h1>
        ${notice("danger", this.loadError)}
      </div>`;
    }
    if (!tool) {
      return html`<div class="page wide">
        <h1 tabindex="-1">${t("title.tool_editor")}</h1>
        <div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>
      </div>`;
    }
    const readonly = !this.editing;
    const slug = encodeURIComponent(tool.slug);
    return html`
      <div class="page wide" @sk-assistant-propose=${this.onPropose} @sk-sandbox-invalid=${(e: SandboxInvalidEvent) => this.showProblems(e.error)}>
        <div class="head">
          <h1 tabindex="-1">${t("authoring.editor.heading", { title: tool.title })}</h1>
          <p class="state">
            ${this.base ? t("authoring.editor.based_on", { number: this.base.number, state: t(`authoring.state.${this.base.state}`) }) : t("authoring.editor.no_versions")}
            ${this.dirty ? html`<wa-tag size="small" variant="warning">${t("authoring.editor.unsaved")}</wa-tag>` : nothing}
          </p>
          <nav class="links" aria-label=${t("authoring.editor.links_label")}>
            <a href="/tools/${slug}/versions">${t("authoring.editor.versions_link")}</a>
            ${this.base ? html`<a href="/tools/${slug}/compare?a=working&b=${encodeURIComponent(this.base.id)}">${t("authoring.editor.compare_link")}</a>` : nothing}
            <a href="/admin/tools/${slug}">${t("authoring.editor.tool_link")}</a>
          </nav>
          ${this.renderAssistant(tool)}
        </div>
        <sk-lock-banner .access=${this.access} ?busy=${this.lockBusy} @sk-lock-take-over=${() => void this.takeLock(true)}></sk-lock-banner>
        ${this.renderRestoreOffer()} ${this.renderMessage()} ${this.renderProposal()}
        <wa-tab-group .active=${this.tab} @wa-tab-show=${(e: CustomEvent<{ name: string }>) => (this.tab = e.detail.name as Tab)}>
          <wa-tab slot="nav" panel="source">${t("authoring.tab.source")}</wa-tab>
          <wa-tab slot="nav" panel="input">${t("authoring.tab.input")}</wa-tab>
          <wa-tab slot="nav" panel="settings">${t("authoring.tab.settings")}</wa-tab>
          <wa-tab slot="nav" panel="instructions">${t("authoring.tab.instructions")}</wa-tab>
          <wa-tab slot="nav" panel="sandbox">${t("authoring.tab.sandbox")}</wa-tab>
          <wa-tab-panel name="source">${this.renderSource(readonly)}</wa-tab-panel>
          <wa-tab-panel name="input">
            <p class="help">${t("authoring.editor.input_help")}</p>
            ${this.renderJsonEditor("input_schema", this.buffer.inputSchema, t("authoring.tab.input"), readonly, (value) => this.edit({ inputSchema: value }))}
          </wa-tab-panel>
          <wa-tab-panel name="settings">
            <p class="help">${t("authoring.editor.settings_help")}</p>
            ${this.renderJsonEditor("settings_schema", this.buffer.settingsSchema, t("authoring.tab.settings"), readonly, (value) => this.edit({ settingsSchema: value }))}
          </wa-tab-panel>
          <wa-tab-panel name="instructions">
            <sk-markdown-editor
              .value=${this.buffer.usageInstructions}
              label=${t("authoring.tab.instructions")}
              ?readonly=${readonly}
              .problems=${this.problemsFor("usage_instructions")}
              @sk-code-change=${(e: CodeChangeEvent) => this.edit({ usageInstructions: e.value })}
            ></sk-markdown-editor>
            ${this.renderProblemList("usage_instructions")}
          </wa-tab-panel>
          <wa-tab-panel name="sandbox">
            <p class="help">${t("authoring.sandbox.help")}</p>
            <sk-sandbox-panel .toolId=${tool.id} .content=${this.content()}></sk-sandbox-panel>
          </wa-tab-panel>
        </wa-tab-group>
        ${this.otherProblems.length ? notice("danger", this.otherProblems.map((p) => `${p.path}: ${p.message}`).join("\n")) : nothing} ${this.renderSaveBar(readonly)}
      </div>
    `;
  }

  /** The AI assistant, only when meta.ai_enabled is true (see assistant-hook.ts); its API is keyed by tool id. */
  private renderAssistant(tool: ToolDetail) {
    if (!this.showAssistant) return nothing;
    const content = this.content();
    return html`<sk-assistant-drawer
      .toolId=${tool.id}
      .context=${{
        source: this.buffer.source,
        input_schema: content?.input_schema ?? null,
        settings_schema: content?.settings_schema ?? null,
        usage_instructions: this.buffer.usageInstructions,
      }}
    ></sk-assistant-drawer>`;
  }

  private renderSource(readonly: boolean) {
    const candidates = entrypointCandidates(this.buffer.source, this.buffer.entrypoint);
    return html`
      <div class="entry">
        <wa-select
          label=${t("authoring.editor.entrypoint")}
          hint=${t("authoring.editor.entrypoint_help")}
          .value=${this.buffer.entrypoint}
          ?disabled=${readonly}
          @change=${(e: Event) => this.edit({ entrypoint: (e.target as HTMLSelectElement).value })}
        >
          ${candidates.map((name) => html`<wa-option value=${name}>${name}</wa-option>`)}
        </wa-select>
        ${this.buffer.source.trim() === "" && !readonly
          ? html`<wa-button size="small" @click=${() => this.edit(bufferFromTemplate(STARTER_TEMPLATE))}>${t("authoring.editor.use_template")}</wa-button>`
          : nothing}
      </div>
      <sk-code-editor
        language="python"
        contract-lint
        .value=${this.buffer.source}
        .entrypoint=${this.buffer.entrypoint}
        label=${t("authoring.tab.source")}
        ?readonly=${readonly}
        .problems=${this.problemsFor("source")}
        @sk-code-change=${(e: CodeChangeEvent) => this.edit({ source: e.value })}
      ></sk-code-editor>
      <p class="help">${t("authoring.editor.keyboard_help")}</p>
      ${this.renderProblemList("source")}
      ${this.undoSource !== null
        ? html`<p><wa-button size="small" @click=${this.undoProposal}><wa-icon slot="start" name="rotate-right"></wa-icon>${t("authoring.assistant.undo")}</wa-button></p>`
        : nothing}
    `;
  }

  private renderJsonEditor(field: "input_schema" | "settings_schema", value: string, label: string, readonly: boolean, onChange: (value: string) => void) {
    return html`
      <sk-code-editor
        language="json"
        data-field=${field}
        .value=${value}
        label=${label}
        ?readonly=${readonly}
        .problems=${this.problemsFor(field)}
        @sk-code-change=${(e: CodeChangeEvent) => onChange(e.value)}
      ></sk-code-editor>
      ${this.renderProblemList(field)}
    `;
  }

  /** The server's problems for one editor as text too (hover tooltips are not enough for everyone). */
  private renderProblemList(field: ContentField) {
    const problems = this.problemsFor(field);
    if (problems.length === 0) return nothing;
    return html`<ul class="problems" data-problems=${field} aria-label=${t("authoring.editor.problems_label")}>
      ${problems.map((p) => html`<li><code>${p.pointer || "/"}</code> ${p.message}</li>`)}
    </ul>`;
  }

  private renderRestoreOffer() {
    const offer = this.offer;
    if (offer.kind === "none" || !this.editing) return nothing;
    const when = formatDateTime(offer.copy.savedAt);
    const text =
      offer.kind === "offer"
        ? t("authoring.restore.offer", { time: when })
        : t("authoring.restore.offer_stale", { time: when, number: offer.copy.baseNumber ?? 0 });
    return notice(
      "info",
      text,
      html`<div class="buttons">
        <wa-button size="small" variant="brand" @click=${this.restore}>${t("authoring.restore.restore")}</wa-button>
        <wa-button size="small" @click=${() => void this.discardCopy()}>${t("authoring.restore.discard")}</wa-button>
      </div>`,
    );
  }

  private renderMessage() {
    const message = this.message;
    if (!message) return nothing;
    const conflict = message.conflict;
    const tool = this.tool;
    return notice(
      message.kind,
      message.text,
      conflict && tool
        ? html`<div class="buttons">
            <wa-button size="small" href="/tools/${encodeURIComponent(tool.slug)}/compare?a=working&b=${encodeURIComponent(conflict.headId)}"
              >${t("authoring.editor.compare_with", { number: conflict.headNumber })}</wa-button
            >
            <wa-button size="small" @click=${() => void this.loadHead(conflict.headId)}>${t("authoring.editor.load_head", { number: conflict.headNumber })}</wa-button>
            <wa-button size="small" variant="warning" @click=${() => void this.save(conflict.headId)}>${t("authoring.editor.save_on_top", { number: conflict.headNumber })}</wa-button>
          </div>`
        : nothing,
    );
  }

  private renderProposal() {
    if (!this.proposal) return nothing;
    return html`<section class="card proposal" aria-labelledby="proposal-heading">
      <h2 id="proposal-heading">${t("authoring.assistant.proposal")}</h2>
      <sk-diff-view language="python" .original=${this.buffer.source} .modified=${this.proposal.source} original-label=${t("authoring.compare.current")} modified-label=${t("authoring.assistant.proposed")}></sk-diff-view>
      <div class="buttons">
        <wa-button variant="brand" ?disabled=${!this.editing} @click=${this.applyProposal}><wa-icon slot="start" name="circle-check"></wa-icon>${t("authoring.assistant.apply")}</wa-button>
        <wa-button @click=${() => (this.proposal = null)}><wa-icon slot="start" name="xmark"></wa-icon>${t("authoring.assistant.discard")}</wa-button>
      </div>
    </section>`;
  }

  private renderSaveBar(readonly: boolean) {
    const base = this.base;
    const canSubmit = !this.dirty && base !== null && base.state === "draft";
    return html`<section class="card savebar" aria-label=${t("authoring.editor.save_label")}>
      <div class="save-row">
        <wa-input label=${t("authoring.editor.note")} .value=${this.note} ?disabled=${readonly} @input=${(e: Event) => (this.note = (e.target as HTMLInputElement).value)}></wa-input>
        <wa-button variant="brand" ?loading=${this.saving} ?disabled=${readonly || !this.dirty} @click=${() => void this.save()}>
          <wa-icon slot="start" name="circle-check"></wa-icon>${t("authoring.editor.save")}
        </wa-button>
      </div>
      ${canSubmit && !readonly
        ? html`<div class="save-row">
            <wa-input label=${t("authoring.editor.review_note")} .value=${this.reviewNote} @input=${(e: Event) => (this.reviewNote = (e.target as HTMLInputElement).value)}></wa-input>
            <wa-button variant="success" ?loading=${this.saving} @click=${() => void this.submit()}>${t("authoring.editor.submit", { number: base.number })}</wa-button>
          </div>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-tool-editor-page": SkToolEditorPage;
  }
}
