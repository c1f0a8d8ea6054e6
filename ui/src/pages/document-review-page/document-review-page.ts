import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type WaInput from "@awesome.me/webawesome/dist/components/input/input.js";
import type WaSelect from "@awesome.me/webawesome/dist/components/select/select.js";
import type WaTextarea from "@awesome.me/webawesome/dist/components/textarea/textarea.js";
import {
  documentFileUrl,
  getDocumentsMeta,
  listDocumentCategories,
  listDocuments,
  reviewDocument,
  type DocumentCategory,
  type DocumentListItem,
  type DocumentsMeta,
  type SuggestedCategory,
} from "../../api/documents.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { formatBytes, formatDate } from "../../i18n/format";
import { currentLocale, INTL_LOCALES } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";

const REVIEW_PAGE_SIZE = 25;

/**
 * @summary The review queue: every document with a pending suggestion (categories from the user's rules;
 * with AI also a document type, a summary and fields, with the model's confidence). The user edits the
 * suggestion and accepts it, or rejects it and keeps the document as it was.
 */
@customElement("sk-document-review-page")
export class SkDocumentReviewPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      article h2 {
        overflow-wrap: anywhere;
        margin-bottom: var(--wa-space-2xs);
      }
      .facts,
      .suggested-by {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
        margin: 0 0 var(--wa-space-s);
      }
      .source {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        gap: var(--wa-space-m);
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        font-weight: var(--wa-font-weight-semibold);
        padding: 0;
        margin-bottom: var(--wa-space-2xs);
      }
      .checks {
        display: flex;
        flex-direction: column;
        gap: var(--wa-space-2xs);
      }
      .empty {
        text-align: center;
      }
    `,
  ];

  @state() private meta: DocumentsMeta | null = null;
  @state() private items: DocumentListItem[] | null = null;
  @state() private total = 0;
  @state() private categories: DocumentCategory[] = [];
  @state() private error: string | null = null;
  @state() private message: { kind: "success" | "danger"; text: string } | null = null;
  /** The document whose decision is being saved. */
  @state() private saving: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const [meta, list, categories] = await Promise.all([getDocumentsMeta(), listDocuments({ status: "needs_review", page_size: REVIEW_PAGE_SIZE }), listDocumentCategories()]);
      this.meta = meta;
      this.items = list.items;
      this.total = list.total;
      this.categories = categories;
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  override render() {
    const items = this.items;
    return html`<div class="page">
      <h1 tabindex="-1">${t("title.document_review")}</h1>
      <p><a href="/documents">${t("documents.back_to_list")}</a></p>
      ${notice("danger", this.error)} ${this.message ? notice(this.message.kind, this.message.text) : nothing}
      ${items === null
        ? this.error
          ? nothing
          : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`
        : items.length === 0
          ? html`<div class="card empty"><p>${t("documents.review_none")}</p></div>`
          : html`<p aria-live="polite">${t("documents.review_count", { n: this.total })}</p>
              ${items.map((d) => this.renderDocument(d))}`}
    </div>`;
  }

  private renderDocument(d: DocumentListItem) {
    const s = d.suggestion;
    const ai = this.meta?.ai_enabled === true;
    const busy = this.saving === d.id;
    const suggested = new Map<string, SuggestedCategory>((s?.categories ?? []).map((c) => [c.id, c]));
    const checked = new Set([...d.categories.map((c) => c.id), ...suggested.keys()]);
    // Categories named in a suggestion but deleted since are not offered.
    const choices = this.categories;
    const fieldNames = [...new Set([...(this.meta?.fields ?? []), ...Object.keys(s?.fields ?? {})])];
    const types = [...new Set([...(this.meta?.types ?? []), ...(s?.doc_type ? [s.doc_type] : [])])];
    const headingId = `h-${d.id}`;
    return html`<article class="card" id="doc-${d.id}" aria-labelledby=${headingId} data-id=${d.id}>
      <h2 id=${headingId} tabindex="-1">${d.name}</h2>
      <p class="facts">
        ${[d.pages !== null ? t("documents.pages_count", { n: d.pages }) : null, formatBytes(d.bytes), t("documents.uploaded_at", { date: formatDate(d.created_at) })]
          .filter(Boolean)
          .join(" · ")}
        · <a href=${documentFileUrl(d.id)} download=${d.name}>${t("documents.download_short")}</a>
      </p>
      ${ai && s?.model
        ? html`<p class="suggested-by" data-ai>
            ${s.confidence !== null ? t("documents.suggested_by_ai_confidence", { model: s.model, confidence: percent(s.confidence) }) : t("documents.suggested_by_ai", { model: s.model })}
          </p>`
        : nothing}
      <form novalidate @submit=${(e: SubmitEvent) => this.onAccept(e, d)}>
        ${ai
          ? html`<wa-select data-ai name="doc_type" label=${t("documents.type")} .value=${s?.doc_type ?? d.doc_type ?? "none"} ?disabled=${busy}>
                <wa-option value="none">${t("documents.type_none")}</wa-option>
                ${types.map((type) => html`<wa-option value=${type}>${type}</wa-option>`)}
              </wa-select>
              <wa-textarea data-ai name="summary" label=${t("documents.summary")} rows="3" resize="auto" .value=${s?.summary ?? d.summary ?? ""} ?disabled=${busy}></wa-textarea>
              ${fieldNames.length
                ? html`<div class="fields" data-ai>
                    ${fieldNames.map(
                      (name) => html`<wa-input data-field=${name} label=${name} .value=${s?.fields[name] ?? d.fields[name] ?? ""} ?disabled=${busy}></wa-input>`,
                    )}
                  </div>`
                : nothing}`
          : nothing}
        <fieldset>
          <legend>${t("documents.categories_heading")}</legend>
          ${choices.length === 0
            ? html`<p class="quiet">${t("documents.categories_none")}</p>`
            : html`<div class="checks">
                ${choices.map((c) => {
                  const hint = suggested.get(c.id);
                  return html`<wa-checkbox data-category=${c.id} .checked=${checked.has(c.id)} ?disabled=${busy}
                    >${c.name}${hint ? html` <span class="source">${this.sourceText(hint)}</span>` : nothing}</wa-checkbox
                  >`;
                })}
              </div>`}
        </fieldset>
        <div class="actions">
          <wa-button type="submit" variant="brand" ?loading=${busy} ?disabled=${this.saving !== null}>
            <wa-icon slot="start" library="system" name="check"></wa-icon>${t("documents.accept")}
          </wa-button>
          <wa-button appearance="outlined" ?disabled=${this.saving !== null} @click=${() => void this.decide(d, { decision: "reject" })}>
            <wa-icon slot="start" name="xmark"></wa-icon>${t("documents.reject")}
          </wa-button>
        </div>
      </form>
    </article>`;
  }

  private sourceText(hint: SuggestedCategory): string {
    return hint.source === "ai" ? t("documents.suggested_ai", { confidence: percent(hint.confidence) }) : t("documents.suggested_rule");
  }

  private onAccept(event: SubmitEvent, d: DocumentListItem) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const categoryIds = [...form.querySelectorAll<HTMLElement & { checked: boolean }>("wa-checkbox[data-category]")]
      .filter((box) => box.checked)
      .map((box) => box.dataset.category ?? "")
      .filter(Boolean);
    if (this.meta?.ai_enabled !== true) return void this.decide(d, { decision: "accept", category_ids: categoryIds });
    const type = form.querySelector<WaSelect>("wa-select[name=doc_type]")?.value;
    const summary = (form.querySelector<WaTextarea>("wa-textarea[name=summary]")?.value ?? "").trim();
    const fields = Object.fromEntries(
      [...form.querySelectorAll<WaInput>("wa-input[data-field]")].map((input) => {
        const value = String(input.value ?? "").trim();
        return [input.dataset.field ?? "", value === "" ? null : value];
      }),
    );
    void this.decide(d, {
      decision: "accept",
      doc_type: typeof type === "string" && type !== "none" ? type : null,
      summary: summary === "" ? null : summary,
      fields,
      category_ids: categoryIds,
    });
  }

  private async decide(d: DocumentListItem, decision: Parameters<typeof reviewDocument>[1]) {
    this.saving = d.id;
    this.message = null;
    try {
      await reviewDocument(d.id, decision);
      this.message = { kind: "success", text: decision.decision === "accept" ? t("documents.accepted", { name: d.name }) : t("documents.rejected", { name: d.name }) };
      await this.load();
      await this.updateComplete;
      // Keyboard users continue with the next document in the queue.
      this.renderRoot.querySelector<HTMLElement>("article h2")?.focus();
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
      await this.load();
    } finally {
      this.saving = null;
    }
  }
}

function percent(value: number): string {
  return new Intl.NumberFormat(INTL_LOCALES[currentLocale()], { style: "percent", maximumFractionDigits: 0 }).format(value);
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-document-review-page": SkDocumentReviewPage;
  }
}
