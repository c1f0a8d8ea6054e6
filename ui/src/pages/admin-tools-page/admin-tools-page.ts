import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { createTool, listTools, type ToolSummary } from "../../api/authoring.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { SkTaxonomyPicker } from "../../components/taxonomy-picker/taxonomy-picker";
import { fieldProblems } from "../../authoring/field-problems.rules";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import "@awesome.me/webawesome/dist/components/badge/badge.js";
import "../../components/admin-nav/admin-nav";
import "../../components/taxonomy-picker/taxonomy-picker";

/**
 * @summary The tools an author works on: admins see every tool and can create one; contributors see the
 * tools they maintain. Each row shows the version teachers run, the newest version and its state, who
 * is editing, and a badge when versions wait for review.
 */
@customElement("sk-admin-tools-page")
export class SkAdminToolsPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      .list {
        list-style: none;
        padding: 0;
        margin: 0;
        display: flex;
        flex-direction: column;
        gap: var(--wa-space-s);
      }
      .list li {
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-m);
        padding: var(--wa-space-s) var(--wa-space-m);
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-2xs) var(--wa-space-m);
        align-items: baseline;
      }
      .list .title {
        font-weight: var(--wa-font-weight-semibold);
        flex: 1 1 14rem;
        overflow-wrap: anywhere;
      }
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-2xs) var(--wa-space-s);
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      .create {
        margin-top: var(--wa-space-xl);
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-s) var(--wa-space-l);
        margin-bottom: var(--wa-space-m);
      }
    `,
  ];

  @state() private items: ToolSummary[] | null = null;
  @state() private pending = 0;
  @state() private message: { kind: "danger" | "success"; text: string } | null = null;
  @state() private problems: Record<string, string> = {};
  @state() private creating = false;
  private readonly sessionState = new SessionController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      const { items, pending_reviews_total } = await listTools();
      this.items = items;
      this.pending = pending_reviews_total;
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  private get isAdmin(): boolean {
    const role = this.sessionState.user?.role;
    return role === "admin" || role === "superuser";
  }

  override render() {
    return html`<div class="page wide">
      ${this.isAdmin ? html`<sk-admin-nav current="tools"></sk-admin-nav>` : nothing}
      <h1 tabindex="-1">${this.isAdmin ? t("title.authoring_tools") : t("authoring.tools.mine")}</h1>
      <div class="top">
        ${this.isAdmin
          ? html`<a href="/admin/reviews">${t("authoring.tools.reviews_link")}</a>
              ${this.pending ? html`<wa-badge variant="warning" pill>${t("authoring.tools.pending", { count: this.pending })}</wa-badge>` : nothing}`
          : nothing}
        <a href="/suggestions">${t("authoring.tools.suggestions_link")}</a>
      </div>
      ${this.message ? notice(this.message.kind, this.message.text) : nothing} ${this.renderList()} ${this.isAdmin ? this.renderCreate() : nothing}
    </div>`;
  }

  private renderList() {
    if (!this.items) return html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`;
    if (this.items.length === 0) return html`<p class="quiet">${t("authoring.tools.none")}</p>`;
    return html`<ul class="list" aria-label=${t("title.authoring_tools")}>
      ${this.items.map(
        (tool) => html`<li data-slug=${tool.slug}>
          <a class="title" href="/admin/tools/${encodeURIComponent(tool.slug)}">${tool.title}</a>
          <span class="facts">
            <span>${tool.is_published ? t("authoring.tools.published") : t("authoring.tools.unpublished")}</span>
            <span>${tool.active_version ? t("authoring.tools.active", { number: tool.active_version.number }) : t("authoring.tools.no_active")}</span>
            ${tool.head_version ? html`<span>${t("authoring.tools.head", { number: tool.head_version.number, state: t(`authoring.state.${tool.head_version.state}`) })}</span>` : nothing}
            ${tool.lock ? html`<span>${t("authoring.tools.locked_by", { name: tool.lock.holder.name })}</span>` : nothing}
          </span>
          ${tool.pending_reviews ? html`<wa-badge variant="warning" pill>${t("authoring.tools.pending", { count: tool.pending_reviews })}</wa-badge>` : nothing}
          <a href="/tools/${encodeURIComponent(tool.slug)}/edit">${t("authoring.tools.edit")}</a>
        </li>`,
      )}
    </ul>`;
  }

  private renderCreate() {
    return html`<section class="card create" aria-labelledby="create-heading">
      <h2 id="create-heading">${t("authoring.tools.create")}</h2>
      <form novalidate @submit=${this.create}>
        <wa-input name="title" label=${t("authoring.tool.title")} required hint=${this.problems.title ?? ""} ?data-invalid=${Boolean(this.problems.title)}></wa-input>
        <wa-input name="slug" label=${t("authoring.tool.slug")} required hint=${this.problems.slug ?? t("authoring.tool.slug_help")} ?data-invalid=${Boolean(this.problems.slug)}></wa-input>
        <wa-textarea name="summary" label=${t("authoring.tool.summary")} rows="2" hint=${this.problems.summary ?? ""} ?data-invalid=${Boolean(this.problems.summary)}></wa-textarea>
        <sk-taxonomy-picker></sk-taxonomy-picker>
        <div><wa-button type="submit" variant="brand" ?loading=${this.creating}><wa-icon slot="start" name="plus"></wa-icon>${t("authoring.tools.create_button")}</wa-button></div>
      </form>
    </section>`;
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.querySelector<HTMLInputElement>(`[name=${name}]`)?.value ?? "").trim();
    const picker = form.querySelector<SkTaxonomyPicker>("sk-taxonomy-picker");
    this.creating = true;
    this.problems = {};
    try {
      const tool = await createTool({ title: value("title"), slug: value("slug"), summary: value("summary"), ...(picker?.value ?? { professions: [], categories: [] }) });
      navigate(`/tools/${encodeURIComponent(tool.slug)}/edit`);
    } catch (error) {
      this.problems = isApiError(error) ? fieldProblems(error) : {};
      this.message = { kind: "danger", text: Object.keys(this.problems).length ? t("common.check_fields") : errorText(error) };
    } finally {
      this.creating = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-tools-page": SkAdminToolsPage;
  }
}
