import { css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { CodeChangeEvent } from "../../events/code-change";
import { t } from "../../i18n/t";
import type { EditorProblem } from "../code-editor/editor-diagnostics";
import { SkElement } from "../sk-element/sk-element";
import "../code-editor/code-editor";
import "../markdown-view/markdown-view";

/**
 * @summary Markdown with a preview: the text in a code editor, and the preview rendered exactly as
 * teachers will see it (sk-markdown: marked + DOMPurify).
 *
 * @event sk-code-change - The author changed the text (bubbles from the inner editor).
 */
@customElement("sk-markdown-editor")
export class SkMarkdownEditor extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .modes {
      display: flex;
      gap: var(--wa-space-xs);
      margin-bottom: var(--wa-space-xs);
    }
    .preview {
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-m);
      padding: var(--wa-space-m);
      min-height: 8rem;
    }
    .empty {
      color: var(--wa-color-text-quiet);
      font-style: italic;
    }
  `;

  @property() value = "";
  @property() label = "";
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) problems: readonly EditorProblem[] = [];
  @state() private preview = false;

  override render() {
    return html`
      <div class="modes" role="group" aria-label=${this.label}>
        <wa-button size="small" appearance=${this.preview ? "outlined" : "accent"} variant="neutral" aria-pressed=${this.preview ? "false" : "true"} @click=${() => (this.preview = false)}
          ><wa-icon slot="start" name="pen"></wa-icon>${t("authoring.markdown.write")}</wa-button
        >
        <wa-button size="small" appearance=${this.preview ? "accent" : "outlined"} variant="neutral" aria-pressed=${this.preview ? "true" : "false"} @click=${() => (this.preview = true)}
          ><wa-icon slot="start" name="book-open"></wa-icon>${t("authoring.markdown.preview")}</wa-button
        >
      </div>
      <sk-code-editor
        ?hidden=${this.preview}
        language="markdown"
        .value=${this.value}
        label=${this.label}
        ?readonly=${this.readonly}
        .problems=${this.problems}
        @sk-code-change=${(e: CodeChangeEvent) => (this.value = e.value)}
      ></sk-code-editor>
      ${this.preview
        ? html`<div class="preview" aria-label=${t("authoring.markdown.preview_label")} role="region">
            ${this.value.trim() ? html`<sk-markdown .markdown=${this.value} heading-offset="1"></sk-markdown>` : html`<p class="empty">${t("authoring.markdown.empty")}</p>`}
          </div>`
        : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-markdown-editor": SkMarkdownEditor;
  }
}
