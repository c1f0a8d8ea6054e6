import { css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type WaInput from "@awesome.me/webawesome/dist/components/input/input.js";
import type WaTextarea from "@awesome.me/webawesome/dist/components/textarea/textarea.js";
import { isApiError } from "../../api/api-error";
import { createDocumentCategory, deleteDocumentCategory, updateDocumentCategory, type DocumentCategory } from "../../api/documents.api";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import type { SkConfirmDialog } from "../confirm-dialog/confirm-dialog";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { parseKeywords, parsePatterns, patternProblem } from "./category-input";
import { CategoriesChangeEvent } from "./categories-change";
import "../confirm-dialog/confirm-dialog";

type Problems = { name?: string; patterns?: string };

/**
 * @summary The user's own document categories: each with its number of documents and its rules
 * (keywords and regular expressions the pipeline matches), created, renamed/edited in a dialog, deleted
 * after a confirmation (the category disappears from every document).
 *
 * @event sk-categories-change - A category was created, changed or deleted; the owner reloads.
 */
@customElement("sk-category-manager")
export class SkCategoryManager extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0 0 var(--wa-space-m);
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-xs);
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--wa-space-2xs) var(--wa-space-s);
      padding-bottom: var(--wa-space-xs);
      border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    }
    .name {
      flex: 1 1 4rem;
      min-width: 0;
      overflow-wrap: anywhere;
      font-weight: var(--wa-font-weight-semibold);
    }
    .rules {
      flex-basis: 100%;
      font-size: var(--wa-font-size-s);
      color: var(--wa-color-text-quiet);
      overflow-wrap: anywhere;
      margin: 0;
    }
    .count {
      color: var(--wa-color-text-quiet);
      font-size: var(--wa-font-size-s);
    }
    p {
      margin: 0 0 var(--wa-space-s);
    }
    form {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-m);
    }
    [data-invalid]::part(hint) {
      color: var(--wa-color-danger-on-quiet);
      font-weight: var(--wa-font-weight-semibold);
    }
    wa-dialog::part(footer) {
      flex-wrap: wrap;
      gap: var(--wa-space-s);
    }
  `;

  @property({ attribute: false }) categories: DocumentCategory[] = [];

  /** The category being edited; "new" while creating one; null when the dialog is closed. */
  @state() private editing: DocumentCategory | "new" | null = null;
  @state() private problems: Problems = {};
  @state() private dialogError: string | null = null;
  @state() private saving = false;
  @state() private message: { kind: "success" | "danger"; text: string } | null = null;
  @query("sk-confirm-dialog") private confirm!: SkConfirmDialog;

  override render() {
    return html`
      ${this.message ? notice(this.message.kind, this.message.text) : nothing}
      ${this.categories.length === 0
        ? html`<p class="quiet">${t("documents.categories_none")}</p>`
        : html`<ul aria-label=${t("documents.categories_heading")}>
            ${this.categories.map((c) => this.renderCategory(c))}
          </ul>`}
      <wa-button size="s" appearance="outlined" @click=${() => this.open("new")}>
        <wa-icon slot="start" name="plus"></wa-icon>${t("documents.category_new")}
      </wa-button>
      ${this.renderDialog()}
      <sk-confirm-dialog></sk-confirm-dialog>
    `;
  }

  private renderCategory(category: DocumentCategory) {
    const rules = [
      ...(category.keywords.length ? [t("documents.category_keywords_short", { words: category.keywords.join(", ") })] : []),
      ...(category.patterns.length ? [t("documents.category_patterns_short", { n: category.patterns.length })] : []),
    ];
    return html`<li>
      <span class="name">${category.name}</span>
      <span class="count">${t("documents.category_count", { n: category.document_count })}</span>
      <wa-button size="s" appearance="plain" @click=${() => this.open(category)} aria-label=${t("documents.category_edit_named", { name: category.name })}>
        <wa-icon name="pen" label=${t("documents.category_edit_named", { name: category.name })}></wa-icon>
      </wa-button>
      <wa-button size="s" appearance="plain" variant="danger" @click=${() => this.deleteCategory(category)} aria-label=${t("documents.category_delete_named", { name: category.name })}>
        <wa-icon name="trash-can" label=${t("documents.category_delete_named", { name: category.name })}></wa-icon>
      </wa-button>
      ${rules.length ? html`<p class="rules">${rules.join(" · ")}</p>` : nothing}
    </li>`;
  }

  private renderDialog() {
    const editing = this.editing;
    const current = editing === "new" || editing === null ? null : editing;
    const label = current ? t("documents.category_edit_title") : t("documents.category_new");
    return html`<wa-dialog label=${label} ?open=${editing !== null} @wa-after-hide=${this.onAfterHide}>
      ${editing !== null
        ? html`<form id="category-form" novalidate @submit=${this.onSave}>
            ${notice("danger", this.dialogError)}
            <wa-input
              name="name"
              label=${t("documents.category_name")}
              required
              maxlength="80"
              .value=${current?.name ?? ""}
              hint=${this.problems.name ?? ""}
              ?data-invalid=${Boolean(this.problems.name)}
            ></wa-input>
            <wa-textarea
              name="keywords"
              label=${t("documents.category_keywords")}
              hint=${t("documents.category_keywords_hint")}
              rows="2"
              .value=${current?.keywords.join(", ") ?? ""}
            ></wa-textarea>
            <wa-textarea
              name="patterns"
              label=${t("documents.category_patterns")}
              hint=${this.problems.patterns ?? t("documents.category_patterns_hint")}
              ?data-invalid=${Boolean(this.problems.patterns)}
              rows="2"
              .value=${current?.patterns.join("\n") ?? ""}
            ></wa-textarea>
          </form>`
        : nothing}
      <wa-button slot="footer" @click=${() => (this.editing = null)}>${t("common.cancel")}</wa-button>
      <wa-button slot="footer" variant="brand" ?loading=${this.saving} @click=${this.submitForm}>
        ${t("documents.category_save")}
      </wa-button>
    </wa-dialog>`;
  }

  private open(target: DocumentCategory | "new") {
    this.problems = {};
    this.dialogError = null;
    this.message = null;
    this.editing = target;
  }

  private onAfterHide(event: Event) {
    // Escape or the close button (events from inner popups are ignored).
    if (event.target === event.currentTarget) this.editing = null;
  }

  /** The footer button is outside the form (in the dialog's footer slot), so it submits the form itself. */
  private submitForm() {
    this.renderRoot.querySelector<HTMLFormElement>("#category-form")?.requestSubmit();
  }

  private async onSave(event: SubmitEvent) {
    event.preventDefault();
    const editing = this.editing;
    if (editing === null || this.saving) return;
    const root = this.renderRoot;
    const name = (root.querySelector<WaInput>("wa-input[name=name]")?.value ?? "").toString().trim();
    const keywords = parseKeywords(root.querySelector<WaTextarea>("wa-textarea[name=keywords]")?.value ?? "");
    const patterns = parsePatterns(root.querySelector<WaTextarea>("wa-textarea[name=patterns]")?.value ?? "");
    const bad = patterns.find((p) => patternProblem(p) !== null);
    this.problems = {
      ...(name ? {} : { name: t("field.required") }),
      ...(bad !== undefined ? { patterns: t("documents.category_pattern_invalid", { pattern: bad }) } : {}),
    };
    if (Object.keys(this.problems).length) return;
    this.saving = true;
    this.dialogError = null;
    try {
      const saved = editing === "new" ? await createDocumentCategory({ name, keywords, patterns }) : await updateDocumentCategory(editing.id, { name, keywords, patterns });
      this.editing = null;
      this.message = { kind: "success", text: editing === "new" ? t("documents.category_created", { name: saved.name }) : t("documents.category_saved", { name: saved.name }) };
      this.dispatchEvent(new CategoriesChangeEvent());
    } catch (error) {
      if (isApiError(error) && error.code === "documents.category_name_taken") this.problems = { name: errorText(error) };
      else if (isApiError(error) && error.code === "documents.invalid_pattern") this.problems = { patterns: errorText(error) };
      else this.dialogError = errorText(error);
    } finally {
      this.saving = false;
    }
  }

  private async deleteCategory(category: DocumentCategory) {
    this.message = null;
    const confirmed = await this.confirm.ask({
      title: t("documents.category_delete_title"),
      body: t("documents.category_delete_body", { name: category.name, n: category.document_count }),
      confirmLabel: t("documents.category_delete"),
      variant: "danger",
    });
    if (!confirmed) return;
    try {
      await deleteDocumentCategory(category.id);
      this.message = { kind: "success", text: t("documents.category_deleted", { name: category.name }) };
      this.dispatchEvent(new CategoriesChangeEvent());
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-category-manager": SkCategoryManager;
  }
}
