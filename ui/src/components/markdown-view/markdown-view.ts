import { css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { SkElement } from "../sk-element/sk-element";
import { markdownToHtml } from "./markdown";

/**
 * @summary Markdown from a tool author or a tool's output, rendered as sanitized HTML (markdown.ts).
 *
 * @cssproperty [--sk-markdown-max-width=none] - Limits the line length of the text.
 */
@customElement("sk-markdown")
export class SkMarkdown extends SkElement {
  static override styles = css`
    :host {
      display: block;
      overflow-wrap: anywhere;
    }
    .md > :first-child {
      margin-top: 0;
    }
    .md > :last-child {
      margin-bottom: 0;
    }
    h2, h3, h4, h5, h6 {
      line-height: var(--wa-line-height-condensed);
      margin: var(--wa-space-l) 0 var(--wa-space-s);
    }
    h3 { font-size: var(--wa-font-size-l); }
    h4 { font-size: var(--wa-font-size-m); }
    h5, h6 { font-size: var(--wa-font-size-s); }
    p, ul, ol, blockquote, pre, table {
      margin: 0 0 var(--wa-space-m);
    }
    a {
      color: var(--wa-color-text-link);
    }
    a:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
    }
    code {
      font-family: var(--wa-font-family-code);
      font-size: 0.9em;
      background: var(--wa-color-surface-lowered);
      padding: 0.1em 0.3em;
      border-radius: var(--wa-border-radius-s);
    }
    pre {
      overflow-x: auto;
      background: var(--wa-color-surface-lowered);
      padding: var(--wa-space-s);
      border-radius: var(--wa-border-radius-m);
    }
    pre code {
      background: none;
      padding: 0;
    }
    blockquote {
      border-inline-start: 4px solid var(--wa-color-surface-border);
      padding-inline-start: var(--wa-space-m);
      color: var(--wa-color-text-quiet);
    }
    table {
      border-collapse: collapse;
      display: block;
      overflow-x: auto;
      max-width: 100%;
    }
    th, td {
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      padding: var(--wa-space-2xs) var(--wa-space-s);
      text-align: start;
    }
    img {
      max-width: 100%;
    }
  `;

  /** The markdown text. */
  @property() markdown = "";
  /** How many levels headings move down ("#" → h1 + offset). */
  @property({ type: Number, attribute: "heading-offset" }) headingOffset = 2;

  override render() {
    return html`<div class="md">${unsafeHTML(markdownToHtml(this.markdown, { headingOffset: this.headingOffset }))}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-markdown": SkMarkdown;
  }
}
