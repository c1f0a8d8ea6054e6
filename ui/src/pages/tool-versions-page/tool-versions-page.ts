import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { getToolBySlug, listVersions, type ReviewEvent, type ToolDetail, type VersionSummary } from "../../api/authoring.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { VersionChangedEvent } from "../../events/version-changed";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/review-actions/review-actions";

const STATE_VARIANT = { draft: "neutral", in_review: "warning", active: "success", archived: "neutral" } as const;

/**
 * @summary A tool's version history, newest first: state, who saved it and when with the save note, the
 * review events (submitted, changes requested, published, rolled back: who, when, message), comparisons,
 * and the review actions the viewer may take (sk-review-actions).
 */
@customElement("sk-tool-versions-page")
export class SkToolVersionsPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      ol.versions {
        list-style: none;
        padding: 0;
        margin: 0;
        display: flex;
        flex-direction: column;
        gap: var(--wa-space-m);
      }
      .version h2 {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-xs);
        margin-bottom: var(--wa-space-xs);
      }
      .meta,
      .events {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
        margin: 0 0 var(--wa-space-xs);
      }
      .events {
        padding-inline-start: var(--wa-space-l);
      }
      .events .message {
        color: var(--wa-color-text-normal);
        white-space: pre-wrap;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs) var(--wa-space-l);
        margin-bottom: var(--wa-space-m);
      }
    `,
  ];

  @property() slug = "";
  @state() private tool: ToolDetail | null = null;
  @state() private versions: VersionSummary[] | null = null;
  @state() private message: { kind: "danger" | "success"; text: string } | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("slug") && this.slug) void this.load();
  }

  private async load() {
    try {
      const tool = await getToolBySlug(this.slug);
      const { items } = await listVersions(tool.id);
      this.tool = tool;
      this.versions = items;
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
    const tool = this.tool;
    const slug = encodeURIComponent(this.slug);
    return html`<div class="page wide">
      <h1 tabindex="-1">${tool ? t("authoring.versions.heading", { title: tool.title }) : t("title.tool_versions")}</h1>
      <nav class="links" aria-label=${t("authoring.editor.links_label")}>
        <a href="/tools/${slug}/edit">${t("authoring.versions.editor_link")}</a>
        <a href="/admin/tools/${slug}">${t("authoring.editor.tool_link")}</a>
      </nav>
      ${this.message ? notice(this.message.kind, this.message.text) : nothing}
      ${!this.versions
        ? this.message
          ? nothing
          : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`
        : this.versions.length === 0
          ? html`<p class="quiet">${t("authoring.versions.none")}</p>`
          : html`<ol class="versions" @sk-version-changed=${this.onChanged}>
              ${this.versions.map((v) => this.renderVersion(v))}
            </ol>`}
    </div>`;
  }

  private renderVersion(v: VersionSummary) {
    const tool = this.tool;
    const slug = encodeURIComponent(this.slug);
    return html`<li class="card version" data-version=${v.number} data-state=${v.state}>
      <h2>
        ${t("authoring.versions.version", { number: v.number })}
        <wa-tag size="small" variant=${STATE_VARIANT[v.state]}>${t(`authoring.state.${v.state}`)}</wa-tag>
      </h2>
      <p class="meta">
        ${t("authoring.versions.saved_by", { name: v.created_by?.name ?? t("authoring.versions.someone"), time: formatDateTime(v.created_at) })}
        ${v.note ? html`<br />${t("authoring.versions.note", { note: v.note })}` : nothing}
      </p>
      ${v.events.length ? html`<ul class="events">${v.events.map((e) => this.renderEvent(e))}</ul>` : nothing}
      <p class="links">
        ${v.parent_version_id
          ? html`<a href="/tools/${slug}/compare?a=${encodeURIComponent(v.parent_version_id)}&b=${encodeURIComponent(v.id)}">${t("authoring.versions.compare_parent")}</a>`
          : nothing}
        <a href="/tools/${slug}/compare?a=working&b=${encodeURIComponent(v.id)}">${t("authoring.versions.compare_working")}</a>
      </p>
      <sk-review-actions .toolId=${tool?.id ?? ""} .version=${v} .can=${tool?.can ?? null}></sk-review-actions>
    </li>`;
  }

  private renderEvent(e: ReviewEvent) {
    return html`<li data-event=${e.kind}>
      ${t(`authoring.event.${e.kind}`, { name: e.actor?.name ?? t("authoring.versions.someone"), time: formatDateTime(e.at) })}
      ${e.message ? html`: <span class="message">${e.message}</span>` : nothing}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-tool-versions-page": SkToolVersionsPage;
  }
}
