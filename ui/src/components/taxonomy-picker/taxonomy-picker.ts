import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { TaxonomyEntry } from "../../api/catalog.api";
import { listTaxonomy } from "../../api/taxonomy.api";
import { currentLocale } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";

export interface TaxonomyChoice {
  professions: string[];
  categories: string[];
}

/** The taxonomy, loaded once per page load (it changes rarely; admins edit it elsewhere). */
let taxonomy: Promise<{ professions: TaxonomyEntry[]; categories: TaxonomyEntry[] }> | null = null;
function loadTaxonomy() {
  taxonomy ??= Promise.all([listTaxonomy("professions"), listTaxonomy("categories")])
    .then(([professions, categories]) => ({ professions, categories }))
    .catch((error: unknown) => {
      taxonomy = null;
      throw error;
    });
  return taxonomy;
}

/**
 * @summary Choosing professions and categories (the catalog's taxonomy) as two groups of checkboxes.
 * `value` holds the chosen slugs; the element updates it and fires `change` on every toggle.
 */
@customElement("sk-taxonomy-picker")
export class SkTaxonomyPicker extends SkElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      gap: var(--wa-space-m);
    }
  `;

  @property({ attribute: false }) value: TaxonomyChoice = { professions: [], categories: [] };
  @property({ type: Boolean }) disabled = false;
  @state() private entries: { professions: TaxonomyEntry[]; categories: TaxonomyEntry[] } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    loadTaxonomy().then(
      (entries) => (this.entries = entries),
      () => (this.entries = { professions: [], categories: [] }),
    );
  }

  override render() {
    if (!this.entries) return nothing;
    const label = (entry: TaxonomyEntry) => (currentLocale() === "sv" ? entry.label_sv : entry.label_en);
    const group = (facet: keyof TaxonomyChoice, heading: string, entries: TaxonomyEntry[]) =>
      entries.length === 0
        ? nothing
        : html`<wa-checkbox-group label=${heading} data-facet=${facet}>
            ${entries.map(
              (entry) => html`<wa-checkbox
                value=${entry.slug}
                ?disabled=${this.disabled}
                .checked=${this.value[facet].includes(entry.slug)}
                @change=${(e: Event) => this.toggle(facet, entry.slug, (e.currentTarget as HTMLInputElement).checked)}
                >${label(entry)}</wa-checkbox
              >`,
            )}
          </wa-checkbox-group>`;
    return html`${group("professions", t("catalog.professions"), this.entries.professions)} ${group("categories", t("catalog.categories"), this.entries.categories)}`;
  }

  private toggle(facet: keyof TaxonomyChoice, slug: string, checked: boolean) {
    const rest = this.value[facet].filter((s) => s !== slug);
    this.value = { ...this.value, [facet]: checked ? [...rest, slug] : rest };
    this.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-taxonomy-picker": SkTaxonomyPicker;
  }
}
