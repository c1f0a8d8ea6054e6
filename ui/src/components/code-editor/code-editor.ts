import { jsonParseLinter } from "@codemirror/lang-json";
import { forceLinting, lintGutter, linter, type Diagnostic } from "@codemirror/lint";
import { Compartment, EditorState, StateEffect, type Extension } from "@codemirror/state";
import { EditorView, type ViewUpdate } from "@codemirror/view";
import { css, html, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import { CodeChangeEvent } from "../../events/code-change";
import { SkElement } from "../sk-element/sk-element";
import { contractDiagnostics, problemDiagnostics, type EditorProblem } from "./editor-diagnostics";
import { editingBasics, editorTheme, languageExtension, type CodeLanguage } from "./editor-setup";

/** Asks the linter to run again although the text did not change (new server problems, new entrypoint). */
const relint = StateEffect.define<null>();

/**
 * @summary A CodeMirror 6 code editor (Python, JSON or markdown) with highlighting, search (Ctrl/Cmd-F)
 * and lint: the tool contract lint for Python (with quick fixes), JSON syntax for JSON, and the server's
 * validation problems wherever they point. Works inside shadow roots: CodeMirror is given this element's
 * shadow root as its `root`, so its styles are adopted there (no <style> in the document).
 *
 * Keyboard: Tab indents; Esc then Tab moves focus out of the editor.
 *
 * @event sk-code-change - The author changed the text (`value`); not fired for changes made by setting `value`.
 */
@customElement("sk-code-editor")
export class SkCodeEditor extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .host .cm-editor {
      min-height: var(--sk-code-editor-min-height, 12rem);
      max-height: var(--sk-code-editor-max-height, 70vh);
    }
    .host .cm-scroller {
      overflow: auto;
    }
  `;

  @property() value = "";
  @property() language: CodeLanguage = "python";
  /** The accessible name of the text area. */
  @property() label = "";
  @property({ type: Boolean, reflect: true }) readonly = false;
  /** Python: the entrypoint the contract lint looks for. */
  @property() entrypoint = "run_tool";
  /** Python: run the contract lint. */
  @property({ type: Boolean, attribute: "contract-lint" }) contractLint = false;
  /** The server's problems for this editor's text. */
  @property({ attribute: false }) problems: readonly EditorProblem[] = [];

  private view: EditorView | null = null;
  private problemsKey = "[]";
  private readonly editable = new Compartment();
  private readonly labelling = new Compartment();
  private readonly language$ = new Compartment();

  override render() {
    return html`<div class="host"></div>`;
  }

  protected override firstUpdated(): void {
    const parent = this.renderRoot.querySelector(".host");
    if (!parent) return;
    this.view = new EditorView({
      parent,
      // Styles go into this shadow root (adoptedStyleSheets), where the editor actually renders.
      root: this.shadowRoot ?? undefined,
      state: EditorState.create({ doc: this.value, extensions: this.extensions() }),
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    const view = this.view;
    if (!view) return;
    const effects = [];
    if (changed.has("readonly")) effects.push(this.editable.reconfigure(this.editableExtension()));
    if (changed.has("label")) effects.push(this.labelling.reconfigure(this.labelExtension()));
    if (changed.has("language")) effects.push(this.language$.reconfigure(languageExtension(this.language)));
    if (effects.length) view.dispatch({ effects });
    const setFromOutside = changed.has("value") && this.value !== view.state.doc.toString();
    if (setFromOutside) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
    // Typing re-lints by itself (after the linter's delay); new server problems or a new entrypoint do not.
    // Pages pass a fresh problems array on every render: only a different content counts.
    const problemsKey = JSON.stringify(this.problems);
    const problemsChanged = problemsKey !== this.problemsKey;
    this.problemsKey = problemsKey;
    if (setFromOutside || problemsChanged || changed.has("entrypoint")) {
      view.dispatch({ effects: relint.of(null) });
      forceLinting(view);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.view?.destroy();
    this.view = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached (moved in the DOM): build the view again on the next update.
    if (this.hasUpdated && !this.view) void this.updateComplete.then(() => this.firstUpdated());
  }

  /** Moves the cursor to `pos`, scrolls it into view and focuses the editor. */
  reveal(pos: number): void {
    const view = this.view;
    if (!view) return;
    const at = Math.max(0, Math.min(pos, view.state.doc.length));
    view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    view.focus();
  }

  override focus(): void {
    this.view?.focus();
  }

  private extensions(): Extension {
    return [
      editingBasics(),
      editorTheme,
      this.language$.of(languageExtension(this.language)),
      this.editable.of(this.editableExtension()),
      this.labelling.of(this.labelExtension()),
      lintGutter(),
      linter((view) => this.diagnostics(view), { delay: 300, needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(relint))) }),
      EditorView.updateListener.of((update: ViewUpdate) => {
        if (!update.docChanged) return;
        const text = update.state.doc.toString();
        if (text === this.value) return; // set from outside
        this.value = text;
        this.dispatchEvent(new CodeChangeEvent(text));
      }),
    ];
  }

  private diagnostics(view: EditorView): Diagnostic[] {
    const text = view.state.doc.toString();
    const local =
      this.language === "python" && this.contractLint
        ? contractDiagnostics(text, this.entrypoint)
        : this.language === "json" && text.trim() !== ""
          ? jsonParseLinter()(view)
          : [];
    return [...local, ...problemDiagnostics(text, this.problems, this.language === "json")];
  }

  private editableExtension(): Extension {
    return [EditorView.editable.of(!this.readonly), EditorState.readOnly.of(this.readonly)];
  }

  private labelExtension(): Extension {
    // Read-only content is not editable, hence not focusable by itself: keyboard users still need to reach and scroll it.
    return EditorView.contentAttributes.of({ "aria-label": this.label, ...(this.readonly ? { "aria-readonly": "true", tabindex: "0" } : {}) });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-code-editor": SkCodeEditor;
  }
}
