import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { listCatalog, type CatalogList, type TaxonomyEntry } from "../../api/catalog.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { FavoriteChangeEvent } from "../../events/favorite-change";
import { errorText } from "../../i18n/error-messages";
import { currentLocale } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles } from "../../styles/shared.styles";
import { cardGridStyles } from "../home-page/home-page";
import { catalogPath, hasFilters, parseCatalogQuery, toggleFacet, type CatalogFilters } from "./catalog-query";
import "../../components/tool-card/tool-card";
import "../../components/semantic-search/semantic-search";

const SEARCH_DELAY_MS = 300;
type Facet = "professions" | "categories";

/** A taxonomy entry's name in the UI language. */
export function entryLabel(entry: Pick<TaxonomyEntry, "label_sv" | "label_en">): string {
  return currentLocale() === "sv" ? entry.label_sv : entry.label_en;
}

/**
 * @summary The tool catalog: browse by profession, then category; or one flat list narrowed by a search
 * (debounced) and facet filters (any of the chosen professions AND any of the chosen categories),
 * each with its count. The filters live in the URL, so a list can be bookmarked and shared.
 */
@customElement("sk-catalog-page")
export class SkCatalogPage extends SkElement {
  static override styles = [
    pageStyles,
    cardGridStyles,
    css`
      form[role="search"] {
        max-width: 40rem;
        margin-bottom: var(--wa-space-l);
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(13rem, 16rem) minmax(0, 1fr);
        gap: var(--wa-space-xl);
        align-items: start;
      }
      @media (max-width: 48rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
          gap: var(--wa-space-m);
        }
      }
      .filters {
        display: flex;
        flex-direction: column;
        gap: var(--wa-space-l);
      }
      .filters h2 {
        font-size: var(--wa-font-size-m);
        margin: 0;
      }
      .browse {
        margin-bottom: var(--wa-space-l);
      }
      .browse h2 {
        font-size: var(--wa-font-size-m);
        margin-bottom: var(--wa-space-s);
      }
      .browse ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs);
      }
      .browse a {
        display: inline-flex;
        gap: var(--wa-space-2xs);
        align-items: center;
        padding: var(--wa-space-2xs) var(--wa-space-s);
        border: var(--wa-border-width-s) solid var(--wa-color-brand-border-quiet);
        border-radius: var(--wa-border-radius-pill);
        background: var(--wa-color-surface-default);
        text-decoration: none;
      }
      .browse a:hover {
        background: var(--wa-color-brand-fill-quiet);
      }
      .count {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--wa-space-s);
        margin-bottom: var(--wa-space-m);
      }
      .summary p {
        margin: 0;
      }
      .empty {
        text-align: center;
        padding: var(--wa-space-2xl) var(--wa-space-m);
      }
      wa-details.narrow-filters {
        display: none;
      }
      @media (max-width: 48rem) {
        wa-details.narrow-filters {
          display: block;
        }
        .wide-filters {
          display: none;
        }
      }
    `,
  ];

  /** The URL query string, set by the shell. */
  @property({ attribute: false }) search = "";

  @state() private list: CatalogList | null = null;
  @state() private loading = false;
  @state() private error: string | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private loadSeq = 0;

  private get filters(): CatalogFilters {
    return parseCatalogQuery(this.search);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("search")) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  private async load() {
    const seq = ++this.loadSeq;
    const filters = this.filters;
    this.loading = true;
    try {
      const list = await listCatalog({ q: filters.q || undefined, professions: filters.professions, categories: filters.categories });
      if (seq !== this.loadSeq) return;
      this.list = list;
      this.error = null;
    } catch (error) {
      if (seq === this.loadSeq) this.error = errorText(error);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  private apply(filters: CatalogFilters) {
    navigate(catalogPath(filters), { replace: true });
  }

  override render() {
    const filters = this.filters;
    const list = this.list;
    return html`
      <div class="page wide" @sk-favorite-change=${this.onFavoriteChange}>
        <h1 tabindex="-1">${t("title.catalog")}</h1>
        <form role="search" aria-label=${t("catalog.search_label")} @submit=${this.onSearchSubmit}>
          <wa-input
            type="search"
            name="q"
            label=${t("catalog.search")}
            hint=${t("catalog.search_hint")}
            .value=${filters.q}
            autocomplete="off"
            @input=${this.onSearchInput}
          >
            <wa-icon slot="start" name="magnifying-glass"></wa-icon>
          </wa-input>
        </form>
        <sk-semantic-search></sk-semantic-search>
        ${notice("danger", this.error)}
        ${list ? this.renderBrowse(list, filters) : nothing}
        <div class="layout">
          <div>
            ${list
              ? html`
                  <div class="wide-filters">${this.renderFacets(list, filters, "wide")}</div>
                  <wa-details class="narrow-filters" summary=${t("catalog.filters_toggle", { n: filters.professions.length + filters.categories.length })}>
                    ${this.renderFacets(list, filters, "narrow")}
                  </wa-details>
                `
              : nothing}
          </div>
          <div>${this.renderResults(list, filters)}</div>
        </div>
      </div>
    `;
  }

  /** Browse: pick a profession first, then one of its categories (links that set the filters). */
  private renderBrowse(list: CatalogList, filters: CatalogFilters) {
    if (filters.q || filters.categories.length || filters.professions.length > 1) return nothing;
    const profession = list.professions.find((p) => p.slug === filters.professions[0]);
    const entries = profession ? list.categories : list.professions;
    const shown = entries.filter((e) => e.tool_count > 0);
    if (shown.length === 0) return nothing;
    const heading = profession ? t("catalog.browse_categories", { profession: entryLabel(profession) }) : t("catalog.browse_professions");
    const link = (entry: TaxonomyEntry) =>
      catalogPath(profession ? { ...filters, categories: [entry.slug] } : { ...filters, professions: [entry.slug] });
    return html`
      <nav class="browse" aria-labelledby="browse-heading">
        <h2 id="browse-heading">${heading}</h2>
        <ul>
          ${shown.map(
            (entry) => html`<li>
              <a href=${link(entry)}>${entryLabel(entry)} <span class="count">(${entry.tool_count})</span></a>
            </li>`,
          )}
        </ul>
      </nav>
    `;
  }

  private renderFacets(list: CatalogList, filters: CatalogFilters, where: "wide" | "narrow") {
    const group = (facet: Facet, heading: string, entries: TaxonomyEntry[]) => {
      if (entries.length === 0) return nothing;
      return html`<wa-checkbox-group label=${heading} data-facet=${facet}>
        ${entries.map(
          (entry) => html`<wa-checkbox
            value=${entry.slug}
            .checked=${filters[facet].includes(entry.slug)}
            @change=${(e: Event) => this.apply(toggleFacet(this.filters, facet, entry.slug, (e.currentTarget as HTMLInputElement).checked))}
            >${entryLabel(entry)} <span class="count">(${entry.tool_count})</span></wa-checkbox
          >`,
        )}
      </wa-checkbox-group>`;
    };
    return html`
      <section class="filters" aria-label=${t("catalog.filters")} data-where=${where}>
        ${group("professions", t("catalog.professions"), list.professions)} ${group("categories", t("catalog.categories"), list.categories)}
        ${hasFilters(filters) && (filters.professions.length || filters.categories.length)
          ? html`<wa-button size="s" appearance="outlined" @click=${() => this.apply({ ...filters, professions: [], categories: [] })}
              >${t("catalog.clear_facets")}</wa-button
            >`
          : nothing}
      </section>
    `;
  }

  private renderResults(list: CatalogList | null, filters: CatalogFilters) {
    if (!list) return this.loading ? html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>` : nothing;
    return html`
      <div class="summary">
        <h2 class="visually-hidden" id="results-heading">${t("catalog.results")}</h2>
        <p aria-live="polite">${t("catalog.count", { n: list.items.length })}</p>
        ${this.loading ? html`<wa-spinner label=${t("app.loading")}></wa-spinner>` : nothing}
      </div>
      ${list.items.length === 0
        ? html`<div class="card empty">
            <p>${hasFilters(filters) ? t("catalog.no_match") : t("catalog.no_tools")}</p>
            ${hasFilters(filters) ? html`<wa-button appearance="outlined" href="/tools">${t("catalog.clear_all")}</wa-button>` : nothing}
          </div>`
        : html`<ul class="cards" aria-labelledby="results-heading">
            ${list.items.map((tool) => html`<li><sk-tool-card .tool=${tool}></sk-tool-card></li>`)}
          </ul>`}
    `;
  }

  private onSearchInput(event: Event) {
    const value = ((event.currentTarget as HTMLInputElement).value ?? "").trim();
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.apply({ ...this.filters, q: value }), SEARCH_DELAY_MS);
  }

  private onSearchSubmit(event: SubmitEvent) {
    event.preventDefault();
    clearTimeout(this.searchTimer);
    const input = this.renderRoot.querySelector<HTMLInputElement>("wa-input[name=q]");
    this.apply({ ...this.filters, q: (input?.value ?? "").trim() });
  }

  private onFavoriteChange(event: FavoriteChangeEvent) {
    if (!this.list) return;
    this.list = { ...this.list, items: this.list.items.map((tool) => (tool.slug === event.slug ? { ...tool, is_favorite: event.favorite } : tool)) };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-catalog-page": SkCatalogPage;
  }
}
