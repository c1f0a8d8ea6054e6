import { css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { CatalogItem } from "../../api/catalog.api";
import { SkElement } from "../sk-element/sk-element";
import "../favorite-button/favorite-button";

/**
 * @summary A tool in a list: its title (the link to the tool's page), summary, a line of extra text
 * (when it was last run, when it was published) and the favorite star. Headings are level 3: cards
 * sit under a section's h2.
 */
@customElement("sk-tool-card")
export class SkToolCard extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    article {
      position: relative;
      height: 100%;
      box-sizing: border-box;
      display: flex;
      gap: var(--wa-space-s);
      align-items: flex-start;
      background: var(--wa-color-surface-default);
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-l);
      padding: var(--wa-space-m);
    }
    article:hover {
      border-color: var(--wa-color-brand-border-quiet);
    }
    .body {
      flex: 1;
      min-width: 0;
    }
    h3 {
      font-size: var(--wa-font-size-m);
      margin: 0 0 var(--wa-space-2xs);
      overflow-wrap: anywhere;
    }
    a {
      color: var(--wa-color-text-link);
      text-decoration: none;
    }
    a:hover {
      text-decoration: underline;
    }
    a:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
      border-radius: var(--wa-border-radius-s);
    }
    p {
      margin: 0;
      color: var(--wa-color-text-normal);
      font-size: var(--wa-font-size-s);
      overflow-wrap: anywhere;
    }
    .meta {
      margin-top: var(--wa-space-2xs);
      color: var(--wa-color-text-quiet);
    }
  `;

  @property({ attribute: false }) tool: CatalogItem | null = null;
  /** An extra line under the summary, e.g. "Last run 23 Nov". */
  @property() meta = "";

  override render() {
    const tool = this.tool;
    if (!tool) return nothing;
    return html`
      <article>
        <div class="body">
          <h3><a href="/tools/${encodeURIComponent(tool.slug)}">${tool.title}</a></h3>
          ${tool.summary ? html`<p>${tool.summary}</p>` : nothing}
          ${this.meta ? html`<p class="meta">${this.meta}</p>` : nothing}
        </div>
        <sk-favorite-button .slug=${tool.slug} tool-title=${tool.title} ?favorite=${tool.is_favorite}></sk-favorite-button>
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-tool-card": SkToolCard;
  }
}
