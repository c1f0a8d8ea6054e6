import { css, html, nothing, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";
import { sortKeys } from "./sort-keys";

/** Levels shown open at first; deeper objects and lists start collapsed. */
const OPEN_DEPTH = 2;

/**
 * @summary A `json` output: the value pretty-printed as a tree (keys sorted) whose objects and lists
 * open and close (native `<details>`, keyboard-operable), with a button that copies the JSON text.
 */
@customElement("sk-json-tree")
export class SkJsonTree extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--wa-space-s);
    }
    h3 {
      font-size: var(--wa-font-size-m);
      margin: 0;
    }
    .tree {
      font-family: var(--wa-font-family-code);
      font-size: var(--wa-font-size-s);
      background: var(--wa-color-surface-lowered);
      border-radius: var(--wa-border-radius-m);
      padding: var(--wa-space-s) var(--wa-space-m);
      overflow-x: auto;
      margin-top: var(--wa-space-xs);
    }
    .tree:focus-visible,
    summary:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
    }
    ul {
      list-style: none;
      margin: 0;
      padding-inline-start: 1.25em;
    }
    summary {
      cursor: pointer;
    }
    .key {
      color: var(--wa-color-brand-on-quiet);
    }
    .string {
      color: var(--wa-color-success-on-quiet);
      overflow-wrap: anywhere;
    }
    .number,
    .boolean,
    .null {
      color: var(--wa-color-warning-on-quiet);
    }
    .quiet {
      color: var(--wa-color-text-quiet);
    }
  `;

  @property({ attribute: false }) value: unknown = null;
  @property() label = "";

  override render() {
    return html`
      <div class="head">
        ${this.label ? html`<h3>${this.label}</h3>` : html`<span></span>`}
        <wa-copy-button .value=${JSON.stringify(sortKeys(this.value), null, 2)} copy-label=${t("result.json_copy")} success-label=${t("result.json_copied")}></wa-copy-button>
      </div>
      <div class="tree" tabindex="0" role="region" aria-label=${this.label || t("result.json")}>${this.node(this.value, 0)}</div>
    `;
  }

  private node(value: unknown, depth: number): TemplateResult {
    if (Array.isArray(value)) {
      if (value.length === 0) return html`<span class="quiet">[]</span>`;
      return html`<details ?open=${depth < OPEN_DEPTH}>
        <summary><span class="quiet">${t("result.json_items", { n: value.length })}</span></summary>
        <ul>
          ${value.map((item, i) => html`<li><span class="quiet">${i}:</span> ${this.node(item, depth + 1)}</li>`)}
        </ul>
      </details>`;
    }
    if (typeof value === "object" && value !== null) {
      const keys = Object.keys(value).sort();
      if (keys.length === 0) return html`<span class="quiet">{}</span>`;
      return html`<details ?open=${depth < OPEN_DEPTH}>
        <summary><span class="quiet">${t("result.json_keys", { n: keys.length })}</span></summary>
        <ul>
          ${keys.map((key) => html`<li><span class="key">${JSON.stringify(key)}</span>: ${this.node((value as Record<string, unknown>)[key], depth + 1)}</li>`)}
        </ul>
      </details>`;
    }
    if (typeof value === "string") return html`<span class="string">${JSON.stringify(value)}</span>`;
    if (typeof value === "number") return html`<span class="number">${String(value)}</span>`;
    if (typeof value === "boolean") return html`<span class="boolean">${String(value)}</span>`;
    return value === null ? html`<span class="null">null</span>` : html`${nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-json-tree": SkJsonTree;
  }
}
