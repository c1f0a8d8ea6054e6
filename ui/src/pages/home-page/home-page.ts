import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { getHome, type CatalogItem, type Home } from "../../api/catalog.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { FavoriteChangeEvent } from "../../events/favorite-change";
import { errorText } from "../../i18n/error-messages";
import { formatDate, formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { displayName, SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/tool-card/tool-card";

/** Card grid shared by the home and catalog pages. */
export const cardGridStyles = css`
  .cards {
    list-style: none;
    margin: 0 0 var(--wa-space-xl);
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr));
    gap: var(--wa-space-m);
  }
  .cards li {
    min-width: 0;
  }
`;

/**
 * @summary Start page: the user's favorite tools, the tools they ran lately and newly published ones,
 * each as cards with a favorite star; a way into the whole catalog.
 */
@customElement("sk-home-page")
export class SkHomePage extends SkElement {
  static override styles = [
    pageStyles,
    cardGridStyles,
    css`
      .lead {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--wa-space-s) var(--wa-space-m);
        margin-bottom: var(--wa-space-xl);
      }
      .lead p {
        margin: 0;
      }
      section > p {
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  private readonly sessionState = new SessionController(this);
  @state() private home: Home | null = null;
  @state() private error: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.home = await getHome();
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  override render() {
    const user = this.sessionState.user;
    const name = user ? user.first_name.trim() || displayName(user) : "";
    const home = this.home;
    return html`
      <div class="page wide" @sk-favorite-change=${this.onFavoriteChange}>
        <h1 tabindex="-1">${t("home.greeting", { name })}</h1>
        <div class="lead">
          <p>${t("home.intro")}</p>
          <wa-button variant="brand" href="/tools"><wa-icon slot="start" name="toolbox"></wa-icon>${t("home.browse")}</wa-button>
        </div>
        ${notice("danger", this.error)}
        ${home
          ? html`
              ${this.section("favorites", t("home.favorites"), home.favorites, t("home.favorites_empty"))}
              ${this.section(
                "recent",
                t("home.recent"),
                home.recent,
                t("home.recent_empty"),
                (tool) => t("home.last_run", { time: formatDateTime((tool as Home["recent"][number]).last_run_at) }),
              )}
              ${this.section(
                "new",
                t("home.new"),
                home.new,
                t("home.new_empty"),
                (tool) => t("home.published", { time: formatDate((tool as Home["new"][number]).published_at) }),
              )}
            `
          : this.error
            ? nothing
            : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`}
      </div>
    `;
  }

  private section(id: string, heading: string, tools: readonly CatalogItem[], empty: string, meta?: (tool: CatalogItem) => string) {
    return html`
      <section aria-labelledby="${id}-heading">
        <h2 id="${id}-heading">${heading}</h2>
        ${tools.length === 0
          ? html`<p>${empty}</p>`
          : html`<ul class="cards">
              ${tools.map((tool) => html`<li><sk-tool-card .tool=${tool} meta=${meta ? meta(tool) : ""}></sk-tool-card></li>`)}
            </ul>`}
      </section>
    `;
  }

  private onFavoriteChange(event: FavoriteChangeEvent) {
    const home = this.home;
    if (!home) return;
    // One tool can be in all three lists: its star changes everywhere. A new favorite joins the
    // favorites; an unstarred one stays until the next visit, so keyboard focus is not pulled away.
    const mark = <T extends CatalogItem>(list: T[]): T[] => list.map((tool) => (tool.slug === event.slug ? { ...tool, is_favorite: event.favorite } : tool));
    const all = [...home.favorites, ...home.recent, ...home.new];
    const tool = all.find((item) => item.slug === event.slug);
    const favorites = event.favorite
      ? home.favorites.some((f) => f.slug === event.slug) || !tool
        ? mark(home.favorites)
        : [...home.favorites, { slug: tool.slug, title: tool.title, summary: tool.summary, professions: tool.professions, categories: tool.categories, is_favorite: true }]
      : mark(home.favorites);
    this.home = { favorites, recent: mark(home.recent), new: mark(home.new) };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-home-page": SkHomePage;
  }
}
