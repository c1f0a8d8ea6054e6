import { MergeView, unifiedMergeView } from "@codemirror/merge";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { css, html, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import { t } from "../../i18n/t";
import { editorTheme, languageExtension, viewingBasics, type CodeLanguage } from "../code-editor/editor-setup";
import { SkElement } from "../sk-element/sk-element";

/** Below this width the two sides do not fit next to each other: one column with deletions inline. */
const NARROW = "(max-width: 48rem)";

/**
 * @summary A read-only comparison of two texts (CodeMirror merge view): side by side on wide screens,
 * one column with removed lines shown inline on narrow ones. Unchanged stretches are collapsed.
 * Styles are adopted into this element's shadow root (CodeMirror `root`).
 */
@customElement("sk-diff-view")
export class SkDiffView extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .labels {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: var(--wa-space-s);
      font-size: var(--wa-font-size-s);
      color: var(--wa-color-text-quiet);
      margin-bottom: var(--wa-space-2xs);
    }
    .labels.unified {
      grid-template-columns: 1fr;
    }
    .host .cm-mergeView,
    .host > .cm-editor {
      max-height: var(--sk-diff-max-height, 70vh);
      overflow: auto;
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-m);
    }
    .host .cm-mergeView .cm-editor {
      border: none;
      border-radius: 0;
    }
    .same {
      color: var(--wa-color-text-quiet);
      font-style: italic;
    }
  `;

  /** The "before" text. */
  @property() original = "";
  /** The "after" text. */
  @property() modified = "";
  @property() language: CodeLanguage = "python";
  @property({ attribute: "original-label" }) originalLabel = "";
  @property({ attribute: "modified-label" }) modifiedLabel = "";

  private merge: MergeView | null = null;
  private unified: EditorView | null = null;
  private readonly media = window.matchMedia(NARROW);
  private readonly onMedia = () => this.rebuild();

  override connectedCallback(): void {
    super.connectedCallback();
    this.media.addEventListener("change", this.onMedia);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.media.removeEventListener("change", this.onMedia);
    this.destroyViews();
  }

  override render() {
    const narrow = this.media.matches;
    return html`
      <div class="labels ${narrow ? "unified" : ""}" aria-hidden="true">
        ${narrow ? html`<span>${this.originalLabel} → ${this.modifiedLabel}</span>` : html`<span>${this.originalLabel}</span><span>${this.modifiedLabel}</span>`}
      </div>
      ${this.original === this.modified ? html`<p class="same">${t("authoring.compare.identical")}</p>` : ""}
      <div class="host"></div>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("original") || changed.has("modified") || changed.has("language") || changed.has("originalLabel") || changed.has("modifiedLabel")) this.rebuild();
  }

  private rebuild() {
    const parent = this.renderRoot.querySelector(".host");
    if (!parent) return;
    this.destroyViews();
    const root = this.shadowRoot ?? undefined;
    const side = (label: string): Extension => [
      viewingBasics(),
      editorTheme,
      languageExtension(this.language),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorView.contentAttributes.of({ "aria-label": label, "aria-readonly": "true", tabindex: "0" }),
    ];
    if (this.media.matches) {
      this.unified = new EditorView({
        parent,
        root,
        state: EditorState.create({
          doc: this.modified,
          extensions: [side(`${this.originalLabel} → ${this.modifiedLabel}`), unifiedMergeView({ original: this.original, mergeControls: false, collapseUnchanged: { margin: 3, minSize: 6 } })],
        }),
      });
    } else {
      this.merge = new MergeView({
        parent,
        root,
        a: { doc: this.original, extensions: side(this.originalLabel) },
        b: { doc: this.modified, extensions: side(this.modifiedLabel) },
        collapseUnchanged: { margin: 3, minSize: 6 },
        gutter: true,
      });
    }
    this.requestUpdate(); // the labels follow the layout
  }

  private destroyViews() {
    this.merge?.destroy();
    this.unified?.destroy();
    this.merge = null;
    this.unified = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-diff-view": SkDiffView;
  }
}
