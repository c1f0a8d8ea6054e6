import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type WaInput from "@awesome.me/webawesome/dist/components/input/input.js";
import type WaSelect from "@awesome.me/webawesome/dist/components/select/select.js";
import type { WaPageChangeEvent } from "@awesome.me/webawesome/dist/events/page-change.js";
import {
  changeDocumentCategories,
  deleteDocument,
  DOCUMENT_STATUSES,
  documentFileUrl,
  getDocumentsMeta,
  isInProgress,
  listDocumentCategories,
  listDocuments,
  reprocessDocuments,
  type DocumentCategory,
  type DocumentList,
  type DocumentListItem,
  type DocumentsMeta,
} from "../../api/documents.api";
import { categoryChips, categoryChipsStyles } from "../../components/category-chips/category-chips";
import type { SkConfirmDialog } from "../../components/confirm-dialog/confirm-dialog";
import { documentStatusTag, documentStatusText } from "../../components/document-status/document-status";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { formatBytes, formatDate } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles } from "../../styles/shared.styles";
import { documentsPageStyles } from "./documents-page.styles";
import { DOCUMENTS_PAGE_SIZE, documentsApiQuery, documentsPath, hasDocumentFilters, parseDocumentsQuery, snippetParts, withFilter, type DocumentsFilters } from "./documents-query";
import "../../components/category-manager/category-manager";
import "../../components/confirm-dialog/confirm-dialog";
import "../../components/document-upload/document-upload";

/** How often the list is refreshed while a document is still being processed. */
const POLL_MS = 2000;
const SEARCH_DELAY_MS = 300;

type Message = { kind: "success" | "danger" | "warning"; text: string } | null;

/**
 * @summary The user's documents: upload PDFs (several at once, drag and drop), a list whose statuses
 * follow the pipeline live (uploaded → extracting → classifying → needs review / done, or failed with
 * the reason and a retry), filters (status, type, category, upload dates) and full-text search kept in
 * the URL, the user's categories, and bulk actions on the chosen documents (add or remove a category,
 * process again). Each document can be downloaded, processed again or deleted.
 */
@customElement("sk-documents-page")
export class SkDocumentsPage extends SkElement {
  static override styles = [pageStyles, categoryChipsStyles, documentsPageStyles];

  /** The URL query string, set by the shell. */
  @property({ attribute: false }) search = "";

  @state() private meta: DocumentsMeta | null = null;
  @state() private list: DocumentList | null = null;
  @state() private categories: DocumentCategory[] = [];
  @state() private toReview = 0;
  @state() private loading = false;
  @state() private error: string | null = null;
  @state() private message: Message = null;
  @state() private selected = new Set<string>();
  @state() private bulkCategory = "";
  @state() private busy = false;
  @query("sk-confirm-dialog") private confirm!: SkConfirmDialog;
  private loadSeq = 0;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  private get filters(): DocumentsFilters {
    return parseDocumentsQuery(this.search);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    getDocumentsMeta()
      .then((meta) => (this.meta = meta))
      .catch((error: unknown) => (this.error = errorText(error)));
    void this.loadCategories();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.pollTimer);
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) {
      this.selected = new Set();
      void this.load();
    }
  }

  private async loadCategories() {
    try {
      this.categories = await listDocumentCategories();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Loads the list (quietly when polling) and polls again while anything is still in progress. */
  private async load() {
    const seq = ++this.loadSeq;
    clearTimeout(this.pollTimer);
    this.loading = true;
    try {
      const [list, review] = await Promise.all([
        listDocuments(documentsApiQuery(this.filters)),
        listDocuments({ status: "needs_review", page_size: 1 }),
      ]);
      if (seq !== this.loadSeq) return;
      this.list = list;
      this.toReview = review.total;
      this.error = null;
      // Documents deleted elsewhere or filtered away are no longer chosen.
      const shown = new Set(list.items.map((d) => d.id));
      if ([...this.selected].some((id) => !shown.has(id))) this.selected = new Set([...this.selected].filter((id) => shown.has(id)));
      if (list.items.some((d) => isInProgress(d.status))) this.pollTimer = setTimeout(() => void this.load(), POLL_MS);
    } catch (error) {
      if (seq === this.loadSeq) this.error = errorText(error);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  private apply(filters: DocumentsFilters) {
    navigate(documentsPath(filters), { replace: true });
  }

  override render() {
    const meta = this.meta;
    return html`
      <div class="page wide">
        <h1 tabindex="-1">${t("title.documents")}</h1>
        <p>${t("documents.intro")}</p>
        ${this.toReview > 0
          ? html`<div class="review-link">
              ${notice("info", t("documents.to_review", { n: this.toReview }), html`<a href="/documents/review">${t("documents.review_link")}</a>`)}
            </div>`
          : nothing}
        <section class="card" aria-labelledby="upload-heading">
          <h2 id="upload-heading">${t("documents.upload_heading")}</h2>
          <sk-document-upload max-files=${meta?.max_files ?? 10} max-mb=${meta?.max_upload_mb ?? 20} @sk-documents-uploaded=${() => void this.load()}></sk-document-upload>
        </section>
        <div class="layout">
          <section aria-labelledby="list-heading">
            <h2 id="list-heading">${t("documents.list_heading")}</h2>
            ${this.renderFilters(meta)} ${notice("danger", this.error)} ${this.message ? notice(this.message.kind, this.message.text) : nothing}
            ${this.renderList()}
          </section>
          <section class="card" aria-labelledby="categories-heading">
            <h2 id="categories-heading">${t("documents.categories_heading")}</h2>
            <sk-category-manager
              .categories=${this.categories}
              @sk-categories-change=${() => {
                void this.loadCategories();
                void this.load();
              }}
            ></sk-category-manager>
          </section>
        </div>
        <sk-confirm-dialog></sk-confirm-dialog>
      </div>
    `;
  }

  private renderFilters(meta: DocumentsMeta | null) {
    const filters = this.filters;
    // Types come from the AI's classification: without AI there are none to filter by.
    const types = meta?.ai_enabled ? meta.types : [];
    const typeChoices = filters.type && !types.includes(filters.type) ? [...types, filters.type] : types;
    return html`
      <form role="search" aria-label=${t("documents.search_label")} @submit=${this.onSearchSubmit}>
        <wa-input type="search" name="q" label=${t("documents.search")} hint=${t("documents.search_hint")} .value=${filters.q} autocomplete="off" @input=${this.onSearchInput}>
          <wa-icon slot="start" name="magnifying-glass"></wa-icon>
        </wa-input>
      </form>
      <form class="filters" aria-label=${t("documents.filters")} @submit=${(e: Event) => e.preventDefault()}>
        <wa-select
          label=${t("common.status")}
          .value=${filters.status ?? "all"}
          @change=${(e: Event) => this.apply(withFilter(filters, { status: DOCUMENT_STATUSES.find((s) => s === selectValue(e)) ?? null }))}
        >
          <wa-option value="all">${t("documents.all_statuses")}</wa-option>
          ${DOCUMENT_STATUSES.map((status) => html`<wa-option value=${status}>${documentStatusText(status)}</wa-option>`)}
        </wa-select>
        ${typeChoices.length
          ? html`<wa-select data-ai label=${t("documents.type")} .value=${filters.type || "all"} @change=${(e: Event) => this.apply(withFilter(filters, { type: selectValue(e) }))}>
              <wa-option value="all">${t("documents.all_types")}</wa-option>
              ${typeChoices.map((type) => html`<wa-option value=${type}>${type}</wa-option>`)}
            </wa-select>`
          : nothing}
        <wa-select label=${t("documents.category")} .value=${filters.category || "all"} @change=${(e: Event) => this.apply(withFilter(filters, { category: selectValue(e) }))}>
          <wa-option value="all">${t("documents.all_categories")}</wa-option>
          ${this.categories.map((c) => html`<wa-option value=${c.id}>${c.name}</wa-option>`)}
        </wa-select>
        <wa-input type="date" label=${t("documents.from")} .value=${filters.from} @change=${(e: Event) => this.apply(withFilter(filters, { from: (e.currentTarget as WaInput).value ?? "" }))}></wa-input>
        <wa-input type="date" label=${t("documents.to")} .value=${filters.to} @change=${(e: Event) => this.apply(withFilter(filters, { to: (e.currentTarget as WaInput).value ?? "" }))}></wa-input>
      </form>
    `;
  }

  private renderList() {
    const list = this.list;
    const filters = this.filters;
    if (!list) return this.loading ? html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>` : nothing;
    const allChosen = list.items.length > 0 && list.items.every((d) => this.selected.has(d.id));
    return html`
      <div class="summary">
        <p aria-live="polite">${t("documents.count", { n: list.total })}</p>
        ${list.items.length
          ? html`<wa-checkbox .checked=${allChosen} .indeterminate=${!allChosen && this.selected.size > 0} @change=${this.onToggleAll}>${t("documents.select_all")}</wa-checkbox>`
          : nothing}
      </div>
      ${this.renderBulk()}
      ${list.items.length === 0
        ? html`<div class="card empty">
            <p>${hasDocumentFilters(filters) ? t("documents.no_match") : t("documents.none")}</p>
            ${hasDocumentFilters(filters) ? html`<wa-button appearance="outlined" href="/documents">${t("documents.clear_filters")}</wa-button>` : nothing}
          </div>`
        : html`<ul class="documents" aria-label=${t("documents.list_heading")}>
            ${list.items.map((d) => this.renderDocument(d))}
          </ul>`}
      <wa-pagination
        label=${t("documents.pages")}
        .page=${filters.page}
        .total=${list.total}
        .pageSize=${DOCUMENTS_PAGE_SIZE}
        hide-single-page
        @wa-page-change=${(e: WaPageChangeEvent) => navigate(documentsPath({ ...filters, page: e.detail.page }))}
      ></wa-pagination>
    `;
  }

  private renderBulk() {
    const n = this.selected.size;
    if (n === 0) return nothing;
    return html`<div class="bulk" role="group" aria-label=${t("documents.bulk_label")}>
      <p>${t("documents.selected", { n })}</p>
      <wa-select label=${t("documents.category")} size="s" .value=${this.bulkCategory} placeholder=${t("documents.bulk_choose_category")} @change=${(e: Event) => (this.bulkCategory = selectValue(e))}>
        ${this.categories.map((c) => html`<wa-option value=${c.id}>${c.name}</wa-option>`)}
      </wa-select>
      <wa-button size="s" ?disabled=${!this.bulkCategory || this.busy} @click=${() => void this.bulkCategories("add")}>
        <wa-icon slot="start" name="plus"></wa-icon>${t("documents.bulk_add")}
      </wa-button>
      <wa-button size="s" ?disabled=${!this.bulkCategory || this.busy} @click=${() => void this.bulkCategories("remove")}>
        <wa-icon slot="start" name="xmark"></wa-icon>${t("documents.bulk_remove")}
      </wa-button>
      <wa-button size="s" ?disabled=${this.busy} @click=${() => void this.reprocess([...this.selected])}>
        <wa-icon slot="start" name="rotate-right"></wa-icon>${t("documents.bulk_reprocess")}
      </wa-button>
    </div>`;
  }

  private renderDocument(d: DocumentListItem) {
    const chosen = this.selected.has(d.id);
    const facts = [
      d.pages !== null ? t("documents.pages_count", { n: d.pages }) : null,
      formatBytes(d.bytes),
      t("documents.uploaded_at", { date: formatDate(d.created_at) }),
    ].filter((x): x is string => x !== null);
    return html`<li class="document ${chosen ? "selected" : ""}" data-id=${d.id}>
      <wa-checkbox .checked=${chosen} @change=${(e: Event) => this.toggle(d.id, (e.currentTarget as HTMLInputElement).checked)}
        ><span class="visually-hidden">${t("documents.select_one", { name: d.name })}</span></wa-checkbox
      >
      <div class="doc-main">
        <div class="doc-head">
          <h3 class="doc-name">${d.name}</h3>
          ${documentStatusTag(d.status)}
        </div>
        <p class="doc-meta">${facts.join(" · ")}</p>
        ${d.doc_type ? html`<p class="doc-type">${t("documents.type_value", { type: d.doc_type })}</p>` : nothing}
        ${categoryChips(d.categories)}
        ${d.summary ? html`<p class="doc-summary">${d.summary}</p>` : nothing}
        ${d.snippet ? html`<p class="snippet">${snippetParts(d.snippet).map((p) => (p.hit ? html`<mark>${p.text}</mark>` : p.text))}</p>` : nothing}
        ${d.status === "failed"
          ? html`<p class="failure" role="alert">
              <wa-icon name="circle-exclamation"></wa-icon>${d.failure?.message ?? t("documents.failed_unknown")}
              <wa-button size="s" variant="danger" appearance="outlined" ?disabled=${this.busy} @click=${() => void this.reprocess([d.id])}>
                <wa-icon slot="start" name="rotate-right"></wa-icon>${t("common.retry")}
              </wa-button>
            </p>`
          : nothing}
        ${d.status === "needs_review" ? html`<p><a href="/documents/review#doc-${d.id}">${t("documents.review_one", { name: d.name })}</a></p>` : nothing}
      </div>
      <div class="doc-actions">
        <wa-button size="s" appearance="plain" href=${documentFileUrl(d.id)} download=${d.name} aria-label=${t("documents.download", { name: d.name })}>
          <wa-icon name="download" label=${t("documents.download", { name: d.name })}></wa-icon>
        </wa-button>
        <wa-button size="s" appearance="plain" ?disabled=${this.busy || isInProgress(d.status)} @click=${() => void this.reprocess([d.id])} aria-label=${t("documents.reprocess", { name: d.name })}>
          <wa-icon name="rotate-right" label=${t("documents.reprocess", { name: d.name })}></wa-icon>
        </wa-button>
        <wa-button size="s" appearance="plain" variant="danger" ?disabled=${this.busy} @click=${() => void this.deleteOne(d)} aria-label=${t("documents.delete", { name: d.name })}>
          <wa-icon name="trash-can" label=${t("documents.delete", { name: d.name })}></wa-icon>
        </wa-button>
      </div>
    </li>`;
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private onToggleAll(event: Event) {
    const on = (event.currentTarget as HTMLInputElement).checked;
    this.selected = on ? new Set(this.list?.items.map((d) => d.id) ?? []) : new Set();
  }

  private async bulkCategories(kind: "add" | "remove") {
    const category = this.categories.find((c) => c.id === this.bulkCategory);
    if (!category || this.selected.size === 0) return;
    this.busy = true;
    this.message = null;
    try {
      const { updated } = await changeDocumentCategories([...this.selected], kind === "add" ? { add: [category.id] } : { remove: [category.id] });
      this.message = {
        kind: "success",
        text: kind === "add" ? t("documents.bulk_added", { n: updated, name: category.name }) : t("documents.bulk_removed", { n: updated, name: category.name }),
      };
      await Promise.all([this.load(), this.loadCategories()]);
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private async reprocess(ids: string[]) {
    if (ids.length === 0) return;
    this.busy = true;
    this.message = null;
    try {
      const { queued, skipped } = await reprocessDocuments(ids);
      this.message = skipped.length
        ? { kind: "warning", text: t("documents.reprocess_some", { n: queued.length, skipped: skipped.length }) }
        : { kind: "success", text: t("documents.reprocess_queued", { n: queued.length }) };
      await this.load();
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private async deleteOne(d: DocumentListItem) {
    this.message = null;
    const confirmed = await this.confirm.ask({
      title: t("documents.delete_title"),
      body: t("documents.delete_body", { name: d.name }),
      confirmLabel: t("documents.delete_confirm"),
      variant: "danger",
    });
    if (!confirmed) return;
    this.busy = true;
    try {
      await deleteDocument(d.id);
      this.message = { kind: "success", text: t("documents.deleted", { name: d.name }) };
      await Promise.all([this.load(), this.loadCategories()]);
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private onSearchInput(event: Event) {
    const value = ((event.currentTarget as HTMLInputElement).value ?? "").trim();
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.apply(withFilter(this.filters, { q: value })), SEARCH_DELAY_MS);
  }

  private onSearchSubmit(event: SubmitEvent) {
    event.preventDefault();
    clearTimeout(this.searchTimer);
    const input = this.renderRoot.querySelector<HTMLInputElement>("wa-input[name=q]");
    this.apply(withFilter(this.filters, { q: (input?.value ?? "").trim() }));
  }
}

function selectValue(event: Event): string {
  const value = (event.currentTarget as WaSelect).value;
  return typeof value === "string" && value !== "all" ? value : "";
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-documents-page": SkDocumentsPage;
  }
}
