import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { listDocuments, type DocumentListItem } from "../../api/documents.api";
import { errorText } from "../../i18n/error-messages";
import { formatBytes, formatDate } from "../../i18n/format";
import { t } from "../../i18n/t";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { DocumentsChooseEvent } from "./documents-choose";

const PICKER_PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

interface Chosen {
  id: string;
  name: string;
  bytes: number;
}

/**
 * @summary Chooses stored documents (the user's own PDFs) as input files of a tool run, next to files
 * uploaded in the form: a dialog with a search over the documents, the chosen ones listed with a
 * remove button each. Renders nothing when the user has no documents.
 *
 * @event sk-documents-choose - The chosen documents changed (`event.documents`).
 */
@customElement("sk-document-picker")
export class SkDocumentPicker extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: var(--wa-space-s) 0 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-2xs);
    }
    li {
      display: flex;
      align-items: center;
      gap: var(--wa-space-s);
      overflow-wrap: anywhere;
    }
    li .name {
      flex: 1;
      min-width: 0;
    }
    .quiet {
      color: var(--wa-color-text-quiet);
      font-size: var(--wa-font-size-s);
    }
    .choices {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-xs);
      margin-top: var(--wa-space-m);
      max-height: 50vh;
      overflow-y: auto;
    }
    wa-dialog {
      --width: min(40rem, 100vw);
    }
    wa-dialog::part(footer) {
      flex-wrap: wrap;
      gap: var(--wa-space-s);
    }
  `;

  @property({ type: Boolean }) disabled = false;

  @state() private hasDocuments = false;
  @state() private open = false;
  @state() private results: DocumentListItem[] | null = null;
  @state() private error: string | null = null;
  @state() private chosen: Chosen[] = [];
  /** The choice inside the open dialog, applied with "Use". */
  @state() private draft = new Map<string, Chosen>();
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private searchSeq = 0;

  /** The ids of the chosen documents. */
  get value(): string[] {
    return this.chosen.map((d) => d.id);
  }

  /** Forgets the choice (after a run was sent). */
  clear(): void {
    this.setChosen([]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    listDocuments({ page_size: 1 })
      .then((list) => (this.hasDocuments = list.total > 0))
      .catch(() => (this.hasDocuments = false));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  override render() {
    if (!this.hasDocuments) return nothing;
    return html`
      <wa-button appearance="outlined" ?disabled=${this.disabled} @click=${this.openDialog}>
        <wa-icon slot="start" name="file"></wa-icon>${t("documents.picker_open")}
      </wa-button>
      ${this.chosen.length
        ? html`<ul aria-label=${t("documents.picker_chosen", { n: this.chosen.length })}>
            ${this.chosen.map(
              (d) => html`<li>
                <wa-icon name="file" aria-hidden="true"></wa-icon>
                <span class="name">${d.name}</span>
                <span class="quiet">${formatBytes(d.bytes)}</span>
                <wa-button size="s" appearance="plain" ?disabled=${this.disabled} @click=${() => this.setChosen(this.chosen.filter((c) => c !== d))} aria-label=${t("files.remove", { name: d.name })}>
                  <wa-icon name="xmark" label=${t("files.remove", { name: d.name })}></wa-icon>
                </wa-button>
              </li>`,
            )}
          </ul>`
        : nothing}
      <wa-dialog label=${t("documents.picker_title")} ?open=${this.open} @wa-after-hide=${this.onAfterHide}>
        ${this.open ? this.renderDialogBody() : nothing}
        <wa-button slot="footer" @click=${() => (this.open = false)}>${t("common.cancel")}</wa-button>
        <wa-button slot="footer" variant="brand" @click=${this.use}>${t("documents.picker_use", { n: this.draft.size })}</wa-button>
      </wa-dialog>
    `;
  }

  private renderDialogBody() {
    const results = this.results;
    return html`
      <wa-input type="search" label=${t("documents.search")} autocomplete="off" @input=${this.onSearchInput}>
        <wa-icon slot="start" name="magnifying-glass"></wa-icon>
      </wa-input>
      ${notice("danger", this.error)}
      <div class="choices" role="group" aria-label=${t("documents.picker_results")}>
        ${results === null
          ? html`<wa-spinner label=${t("app.loading")}></wa-spinner>`
          : results.length === 0
            ? html`<p class="quiet">${t("documents.no_match")}</p>`
            : results.map(
                (d) => html`<wa-checkbox .checked=${this.draft.has(d.id)} @change=${(e: Event) => this.toggle(d, (e.currentTarget as HTMLInputElement).checked)}>
                  ${d.name} <span class="quiet">${formatDate(d.created_at)} · ${formatBytes(d.bytes)}</span>
                </wa-checkbox>`,
              )}
      </div>
    `;
  }

  private openDialog() {
    this.draft = new Map(this.chosen.map((d) => [d.id, d]));
    this.results = null;
    this.error = null;
    this.open = true;
    void this.search("");
  }

  private async search(q: string) {
    const seq = ++this.searchSeq;
    try {
      const list = await listDocuments({ q: q || undefined, page_size: PICKER_PAGE_SIZE });
      if (seq === this.searchSeq) {
        this.results = list.items;
        this.error = null;
      }
    } catch (error) {
      if (seq === this.searchSeq) this.error = errorText(error);
    }
  }

  private onSearchInput(event: Event) {
    const value = String((event.currentTarget as HTMLInputElement).value ?? "").trim();
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.search(value), SEARCH_DELAY_MS);
  }

  private toggle(d: DocumentListItem, on: boolean) {
    const next = new Map(this.draft);
    if (on) next.set(d.id, { id: d.id, name: d.name, bytes: d.bytes });
    else next.delete(d.id);
    this.draft = next;
  }

  private use() {
    this.setChosen([...this.draft.values()]);
    this.open = false;
  }

  private setChosen(chosen: Chosen[]) {
    this.chosen = chosen;
    this.dispatchEvent(new DocumentsChooseEvent(chosen));
  }

  private onAfterHide(event: Event) {
    if (event.target === event.currentTarget) this.open = false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-document-picker": SkDocumentPicker;
  }
}
