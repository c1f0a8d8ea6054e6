import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { listReviews, type ReviewItem } from "../../api/authoring.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { VersionChangedEvent } from "../../events/version-changed";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/admin-nav/admin-nav";
import "../../components/review-actions/review-actions";

/**
 * @summary The review queue (admins): every version waiting for review, oldest submission first, with
 * the author's note, a comparison with what teachers run now, and publish / request changes.
 */
@customElement("sk-admin-reviews-page")
export class SkAdminReviewsPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .meta {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs) var(--wa-space-l);
      }
    `,
  ];

  @state() private items: ReviewItem[] | null = null;
  @state() private message: { kind: "danger" | "success"; text: string } | null = null;
  private readonly sessionState = new SessionController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.items = await listReviews();
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private async onChanged(event: VersionChangedEvent) {
    const v = event.version;
    this.message = { kind: "success", text: t("authoring.review.done", { number: v.number, state: t(`authoring.state.${v.state}`) }) };
    await this.load();
  }

  override render() {
    const role = this.sessionState.user?.role;
    const can = { edit: true, review: true, manage: true, rollback: role === "superuser" };
    return html`<div class="page wide">
      <sk-admin-nav current="reviews"></sk-admin-nav>
      <h1 tabindex="-1">${t("title.authoring_reviews")}</h1>
      ${this.message ? notice(this.message.kind, this.message.text) : nothing}
      ${!this.items
        ? nothing
        : this.items.length === 0
          ? html`<p class="quiet">${t("authoring.reviews.none")}</p>`
          : html`<ol @sk-version-changed=${this.onChanged}>
              ${this.items.map((item) => {
                const submitted = [...item.version.events].reverse().find((e) => e.kind === "submitted");
                const slug = encodeURIComponent(item.tool.slug);
                return html`<li class="card" data-slug=${item.tool.slug}>
                  <h2>${t("authoring.reviews.item", { title: item.tool.title, number: item.version.number })}</h2>
                  <p class="meta">
                    ${submitted ? t("authoring.event.submitted", { name: submitted.actor?.name ?? t("authoring.versions.someone"), time: formatDateTime(submitted.at) }) : nothing}
                    ${submitted?.message ? html`<br />${t("authoring.versions.note", { note: submitted.message })}` : nothing}
                  </p>
                  <p class="links">
                    ${item.version.parent_version_id
                      ? html`<a href="/tools/${slug}/compare?a=${encodeURIComponent(item.version.parent_version_id)}&b=${encodeURIComponent(item.version.id)}">${t("authoring.versions.compare_parent")}</a>`
                      : nothing}
                    <a href="/tools/${slug}/versions">${t("authoring.editor.versions_link")}</a>
                  </p>
                  <sk-review-actions .toolId=${item.tool.id} .version=${item.version} .can=${can}></sk-review-actions>
                </li>`;
              })}
            </ol>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-reviews-page": SkAdminReviewsPage;
  }
}
