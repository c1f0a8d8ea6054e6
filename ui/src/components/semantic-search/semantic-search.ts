import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type WaTextarea from "@awesome.me/webawesome/dist/components/textarea/textarea.js";
import { aiEnabled, semanticSearch, type SemanticSearchResult } from "../../api/ai.api";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import { cardGridStyles } from "../../pages/home-page/home-page";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import "../tool-card/tool-card";

/**
 * @summary "Describe what you need": the catalog's search by meaning. The teacher writes in their own
 * words; the site's AI ranks the tools by similarity. When the AI cannot answer, the server falls back
 * to the ordinary text search and the result says so. Renders nothing when AI is off on the site.
 */
@customElement("sk-semantic-search")
export class SkSemanticSearch extends SkElement {
  static override styles = [
    cardGridStyles,
    css`
      :host {
        display: block;
        margin-bottom: var(--wa-space-l);
      }
      form {
        display: flex;
        flex-direction: column;
        gap: var(--wa-space-s);
        max-width: 40rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-s);
      }
      h2 {
        font-size: var(--wa-font-size-m);
        margin: var(--wa-space-m) 0 var(--wa-space-s);
      }
      p {
        margin: 0 0 var(--wa-space-s);
      }
      .mode {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
      wa-details::part(content) {
        padding-top: 0;
      }
    `,
  ];

  @state() private result: SemanticSearchResult | null = null;
  @state() private query = "";
  @state() private searching = false;
  @state() private error: string | null = null;
  private readonly sessionState = new SessionController(this);

  override render() {
    if (!aiEnabled(this.sessionState.meta)) return nothing;
    const result = this.result;
    return html`<section data-ai aria-label=${t("ai.search.heading")}>
      <wa-details summary=${t("ai.search.toggle")} ?open=${result !== null}>
        <form role="search" aria-label=${t("ai.search.heading")} @submit=${this.onSubmit}>
          <wa-textarea name="describe" label=${t("ai.search.label")} hint=${t("ai.search.hint")} rows="2" resize="auto" maxlength="500"></wa-textarea>
          <div class="actions">
            <wa-button type="submit" variant="brand" ?loading=${this.searching} ?disabled=${this.searching}>
              <wa-icon slot="start" name="magnifying-glass"></wa-icon>${t("ai.search.submit")}
            </wa-button>
            ${result ? html`<wa-button appearance="plain" @click=${this.onClear}>${t("ai.search.clear")}</wa-button>` : nothing}
          </div>
        </form>
      </wa-details>
      ${notice("danger", this.error)}
      <div aria-live="polite">${result ? this.renderResult(result) : nothing}</div>
    </section>`;
  }

  private renderResult(result: SemanticSearchResult) {
    return html`
      <h2>${t("ai.search.results", { query: this.query })}</h2>
      <p class="mode" data-mode=${result.mode}>${result.mode === "semantic" ? t("ai.search.mode_semantic") : t(`ai.search.fallback.${result.fallback_reason ?? "ai_error"}`)}</p>
      ${result.items.length === 0
        ? html`<p>${t("ai.search.none")}</p>`
        : html`<ul class="cards" aria-label=${t("ai.search.results", { query: this.query })}>
            ${result.items.map((tool) => html`<li><sk-tool-card .tool=${tool}></sk-tool-card></li>`)}
          </ul>`}
    `;
  }

  private async onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const text = (this.renderRoot.querySelector<WaTextarea>("wa-textarea[name=describe]")?.value ?? "").trim();
    if (!text || this.searching) return;
    this.searching = true;
    this.error = null;
    try {
      this.result = await semanticSearch(text);
      this.query = text;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.searching = false;
    }
  }

  private onClear() {
    this.result = null;
    this.query = "";
    const input = this.renderRoot.querySelector<WaTextarea>("wa-textarea[name=describe]");
    if (input) input.value = "";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-semantic-search": SkSemanticSearch;
  }
}
