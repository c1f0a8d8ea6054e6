import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { isApiError } from "../../api/api-error";
import type { TaxonomyEntry } from "../../api/catalog.api";
import { addTaxonomyEntry, listTaxonomy, removeTaxonomyEntry, renameTaxonomyEntry, reorderTaxonomy, type TaxonomyKind } from "../../api/taxonomy.api";
import { describeFailure, readForm } from "../../forms/forms";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { tableStyles } from "../../styles/shared.styles";
import type { SkConfirmDialog } from "../confirm-dialog/confirm-dialog";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import "../confirm-dialog/confirm-dialog";
import { moved } from "./taxonomy-order";

type Message = { kind: "success" | "danger" | "warning"; text: string } | null;

/**
 * @summary One taxonomy (professions or categories) for admins: the entries in their order with how
 * many tools use each; add, rename (Swedish and English names; the slug stays), move up or down, and
 * remove — refused by the server, naming the tools, while a tool uses the entry.
 */
@customElement("sk-taxonomy-editor")
export class SkTaxonomyEditor extends SkElement {
  static override styles = [
    tableStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: var(--wa-font-size-l);
        margin: 0 0 var(--wa-space-m);
      }
      h3 {
        font-size: var(--wa-font-size-m);
        margin: var(--wa-space-l) 0 var(--wa-space-s);
      }
      table {
        min-width: 36rem;
      }
      td.slug {
        font-family: var(--wa-font-family-code);
        font-size: var(--wa-font-size-xs);
      }
      td.count {
        text-align: end;
      }
      .row-actions {
        display: flex;
        flex-wrap: nowrap;
        gap: var(--wa-space-2xs);
      }
      form.add {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
        gap: var(--wa-space-s) var(--wa-space-m);
        align-items: start;
      }
      .add-button {
        grid-column: 1 / -1;
      }
      .edit {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs);
        align-items: end;
      }
      .edit wa-input {
        flex: 1 1 9rem;
      }
      wa-callout {
        margin-bottom: var(--wa-space-m);
      }
      [data-invalid]::part(hint) {
        color: var(--wa-color-danger-on-quiet);
        font-weight: var(--wa-font-weight-semibold);
      }
      .visually-hidden {
        position: absolute !important;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
    `,
  ];

  @property() kind: TaxonomyKind = "professions";

  @state() private entries: TaxonomyEntry[] = [];
  @state() private loaded = false;
  @state() private message: Message = null;
  @state() private editing: string | null = null;
  @state() private editErrors: Record<string, string> = {};
  @state() private addErrors: Record<string, string> = {};
  @state() private busy = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("kind")) void this.load();
  }

  private async load() {
    try {
      this.entries = await listTaxonomy(this.kind);
      this.loaded = true;
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private get words() {
    return this.kind === "professions"
      ? { heading: t("taxonomy.professions"), add: t("taxonomy.add_profession"), caption: t("taxonomy.professions_caption") }
      : { heading: t("taxonomy.categories"), add: t("taxonomy.add_category"), caption: t("taxonomy.categories_caption") };
  }

  override render() {
    const words = this.words;
    const id = `${this.kind}-heading`;
    return html`
      <section aria-labelledby=${id}>
        <h2 id=${id}>${words.heading}</h2>
        <div role="status">${this.message && this.message.kind !== "danger" ? notice(this.message.kind, this.message.text) : nothing}</div>
        ${this.message?.kind === "danger" ? notice("danger", this.message.text) : nothing}
        ${!this.loaded
          ? nothing
          : this.entries.length === 0
            ? html`<p>${t("taxonomy.empty")}</p>`
            : html`<div class="table-scroll" tabindex="0" role="region" aria-label=${words.caption}>
                <table>
                  <caption class="visually-hidden">${words.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t("taxonomy.col_sv")}</th>
                      <th scope="col">${t("taxonomy.col_en")}</th>
                      <th scope="col">${t("taxonomy.col_slug")}</th>
                      <th scope="col">${t("taxonomy.col_tools")}</th>
                      <th scope="col">${t("admin.users.col_actions")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${repeat(
                      this.entries,
                      (entry) => entry.slug,
                      (entry, index) => (this.editing === entry.slug ? this.renderEditRow(entry) : this.renderRow(entry, index)),
                    )}
                  </tbody>
                </table>
              </div>`}
        <h3>${words.add}</h3>
        <form class="add" novalidate @submit=${this.onAdd}>
          <wa-input name="label_sv" label=${t("taxonomy.label_sv")} required hint=${this.addErrors.label_sv ?? ""} ?data-invalid=${Boolean(this.addErrors.label_sv)}></wa-input>
          <wa-input name="label_en" label=${t("taxonomy.label_en")} required hint=${this.addErrors.label_en ?? ""} ?data-invalid=${Boolean(this.addErrors.label_en)}></wa-input>
          <wa-input
            name="slug"
            label=${t("taxonomy.slug")}
            required
            hint=${this.addErrors.slug ?? t("taxonomy.slug_hint")}
            ?data-invalid=${Boolean(this.addErrors.slug)}
          ></wa-input>
          <div class="add-button"><wa-button type="submit" variant="brand" ?loading=${this.busy}><wa-icon slot="start" name="plus"></wa-icon>${t("taxonomy.add")}</wa-button></div>
        </form>
        <sk-confirm-dialog></sk-confirm-dialog>
      </section>
    `;
  }

  private renderRow(entry: TaxonomyEntry, index: number) {
    const name = entry.label_sv;
    return html`<tr>
      <td>${entry.label_sv}</td>
      <td lang="en">${entry.label_en}</td>
      <td class="slug">${entry.slug}</td>
      <td class="count">${entry.tool_count}</td>
      <td>
        <div class="row-actions">
          <wa-button size="s" appearance="outlined" ?disabled=${this.busy || index === 0} @click=${() => this.move(index, -1)} data-move="up">
            <wa-icon name="arrow-up" label=${t("taxonomy.move_up", { name })}></wa-icon>
          </wa-button>
          <wa-button size="s" appearance="outlined" ?disabled=${this.busy || index === this.entries.length - 1} @click=${() => this.move(index, 1)} data-move="down">
            <wa-icon name="arrow-down" label=${t("taxonomy.move_down", { name })}></wa-icon>
          </wa-button>
          <wa-button size="s" appearance="outlined" ?disabled=${this.busy} @click=${() => this.startEdit(entry.slug)}>
            <wa-icon slot="start" name="pen"></wa-icon>${t("taxonomy.rename")}<span class="visually-hidden"> ${name}</span>
          </wa-button>
          <wa-button size="s" variant="danger" appearance="outlined" ?disabled=${this.busy} @click=${() => this.removeEntry(entry)}>
            <wa-icon slot="start" name="trash-can"></wa-icon>${t("taxonomy.remove")}<span class="visually-hidden"> ${name}</span>
          </wa-button>
        </div>
      </td>
    </tr>`;
  }

  private renderEditRow(entry: TaxonomyEntry) {
    return html`<tr>
      <td colspan="5">
        <form class="edit" novalidate @submit=${(e: SubmitEvent) => this.onRename(e, entry)}>
          <wa-input
            name="label_sv"
            label=${t("taxonomy.label_sv")}
            .value=${entry.label_sv}
            hint=${this.editErrors.label_sv ?? ""}
            ?data-invalid=${Boolean(this.editErrors.label_sv)}
          ></wa-input>
          <wa-input
            name="label_en"
            label=${t("taxonomy.label_en")}
            .value=${entry.label_en}
            hint=${this.editErrors.label_en ?? ""}
            ?data-invalid=${Boolean(this.editErrors.label_en)}
          ></wa-input>
          <wa-button type="submit" variant="brand" size="s" ?loading=${this.busy}>${t("profile.save")}</wa-button>
          <wa-button size="s" appearance="outlined" @click=${() => this.stopEdit(entry.slug)}>${t("common.cancel")}</wa-button>
        </form>
      </td>
    </tr>`;
  }

  private async startEdit(slug: string) {
    this.editing = slug;
    this.editErrors = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("form.edit wa-input")?.focus();
  }

  private async stopEdit(slug: string) {
    this.editing = null;
    await this.updateComplete;
    this.focusRowButton(slug, "wa-button:not([data-move])");
  }

  private focusRowButton(slug: string, selector: string) {
    const index = this.entries.findIndex((e) => e.slug === slug);
    const row = this.renderRoot.querySelectorAll("tbody tr")[index];
    row?.querySelector<HTMLElement>(selector)?.focus();
  }

  private async onRename(event: SubmitEvent, entry: TaxonomyEntry) {
    event.preventDefault();
    const values = readForm(event.currentTarget as HTMLFormElement);
    this.busy = true;
    try {
      const saved = await renameTaxonomyEntry(this.kind, entry.slug, { label_sv: (values.label_sv ?? "").trim(), label_en: (values.label_en ?? "").trim() });
      this.entries = this.entries.map((e) => (e.slug === saved.slug ? saved : e));
      this.message = { kind: "success", text: t("taxonomy.renamed", { name: saved.label_sv }) };
      this.busy = false;
      await this.stopEdit(entry.slug);
    } catch (error) {
      const failure = describeFailure(error);
      this.editErrors = failure.fields;
      this.message = { kind: "danger", text: failure.message };
    } finally {
      this.busy = false;
    }
  }

  private async move(index: number, step: -1 | 1) {
    const slug = this.entries[index]?.slug;
    if (!slug) return;
    this.busy = true;
    try {
      this.entries = await reorderTaxonomy(this.kind, moved(this.entries.map((e) => e.slug), index, step));
      this.message = { kind: "success", text: t("taxonomy.moved", { name: this.entries.find((e) => e.slug === slug)?.label_sv ?? slug, position: this.entries.findIndex((e) => e.slug === slug) + 1 }) };
    } catch (error) {
      this.message = { kind: isApiError(error) && error.code === "taxonomy.order_mismatch" ? "warning" : "danger", text: errorText(error) };
      if (isApiError(error) && error.code === "taxonomy.order_mismatch") await this.load();
    } finally {
      this.busy = false;
    }
    // Keep the keyboard on the entry that moved: the same arrow, or the other one at an end.
    await this.updateComplete;
    const newIndex = this.entries.findIndex((e) => e.slug === slug);
    const direction = step < 0 ? "up" : "down";
    const atEnd = step < 0 ? newIndex === 0 : newIndex === this.entries.length - 1;
    this.focusRowButton(slug, `wa-button[data-move="${atEnd ? (direction === "up" ? "down" : "up") : direction}"]`);
  }

  private async removeEntry(entry: TaxonomyEntry) {
    const dialog = this.renderRoot.querySelector<SkConfirmDialog>("sk-confirm-dialog");
    const confirmed = await dialog?.ask({
      title: t("taxonomy.remove_title"),
      body: t("taxonomy.remove_body", { name: entry.label_sv }),
      confirmLabel: t("taxonomy.remove"),
      variant: "danger",
    });
    if (!confirmed) return;
    this.busy = true;
    try {
      await removeTaxonomyEntry(this.kind, entry.slug);
      this.entries = this.entries.filter((e) => e.slug !== entry.slug);
      this.message = { kind: "success", text: t("taxonomy.removed", { name: entry.label_sv }) };
    } catch (error) {
      // 409 taxonomy.in_use: the server's message names the tools that use the entry.
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private async onAdd(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = readForm(form);
    const entry = { slug: (values.slug ?? "").trim().toLowerCase(), label_sv: (values.label_sv ?? "").trim(), label_en: (values.label_en ?? "").trim() };
    const missing = Object.fromEntries(Object.entries(entry).filter(([, v]) => v === "").map(([k]) => [k, t("field.required")]));
    this.addErrors = missing;
    if (Object.keys(missing).length) {
      this.message = { kind: "danger", text: t("common.check_fields") };
      return;
    }
    this.busy = true;
    try {
      const added = await addTaxonomyEntry(this.kind, entry);
      this.entries = [...this.entries, added];
      this.message = { kind: "success", text: t("taxonomy.added", { name: added.label_sv }) };
      form.reset();
      for (const input of form.querySelectorAll<HTMLInputElement>("wa-input")) input.value = "";
    } catch (error) {
      const failure = describeFailure(error);
      this.addErrors = isApiError(error) && error.code === "taxonomy.slug_taken" ? { slug: errorText(error) } : failure.fields;
      this.message = { kind: "danger", text: failure.message };
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-taxonomy-editor": SkTaxonomyEditor;
  }
}
