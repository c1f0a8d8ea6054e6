import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { addMaintainer, getToolBySlug, removeMaintainer, setPublished, updateTool, type ToolDetail } from "../../api/authoring.api";
import { fieldProblems } from "../../authoring/field-problems.rules";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { SkTaxonomyPicker } from "../../components/taxonomy-picker/taxonomy-picker";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/taxonomy-picker/taxonomy-picker";

type Message = { kind: "danger" | "success" | "warning"; text: string } | null;

/**
 * @summary One tool's administration: title, slug (only while never published), summary, professions
 * and categories, maintainers (added by e-mail, removed), and whether teachers see it in the catalog.
 * Admins change these; maintainers see them and reach the editor and the version history.
 */
@customElement("sk-admin-tool-page")
export class SkAdminToolPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs) var(--wa-space-l);
        margin-bottom: var(--wa-space-l);
      }
      .maintainers {
        list-style: none;
        padding: 0;
        margin: 0 0 var(--wa-space-m);
      }
      .maintainers li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--wa-space-xs);
        padding: var(--wa-space-2xs) 0;
        border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        overflow-wrap: anywhere;
      }
      .inline {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--wa-space-s);
        flex-direction: row;
      }
      .inline wa-input {
        flex: 1 1 14rem;
        min-width: 0;
      }
    `,
  ];

  @property() slug = "";
  @state() private tool: ToolDetail | null = null;
  @state() private message: Message = null;
  @state() private problems: Record<string, string> = {};
  @state() private busy = false;
  @state() private maintainerError = "";

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("slug") && this.slug && this.slug !== this.tool?.slug) void this.load();
  }

  private async load() {
    try {
      this.tool = await getToolBySlug(this.slug);
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  override render() {
    const tool = this.tool;
    if (!tool) {
      return html`<div class="page">
        <h1 tabindex="-1">${t("title.authoring_tool")}</h1>
        ${this.message ? notice(this.message.kind, this.message.text) : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`}
      </div>`;
    }
    const slug = encodeURIComponent(tool.slug);
    const manage = tool.can.manage;
    return html`<div class="page">
      <h1 tabindex="-1">${tool.title}</h1>
      <nav class="links" aria-label=${t("authoring.editor.links_label")}>
        <a href="/tools/${slug}/edit">${t("authoring.tools.edit")}</a>
        <a href="/tools/${slug}/versions">${t("authoring.editor.versions_link")}</a>
        ${tool.is_published ? html`<a href="/tools/${slug}">${t("authoring.tool.catalog_link")}</a>` : nothing}
        <a href="/admin/tools">${t("title.authoring_tools")}</a>
      </nav>
      ${this.message ? notice(this.message.kind, this.message.text) : nothing} ${this.renderPublish(tool)}
      <section class="card" aria-labelledby="details-heading">
        <h2 id="details-heading">${t("authoring.tool.details")}</h2>
        <form novalidate @submit=${this.saveDetails}>
          <wa-input name="title" label=${t("authoring.tool.title")} .value=${tool.title} ?disabled=${!manage} hint=${this.problems.title ?? ""} ?data-invalid=${Boolean(this.problems.title)}></wa-input>
          <wa-input
            name="slug"
            label=${t("authoring.tool.slug")}
            .value=${tool.slug}
            ?disabled=${!manage || !tool.slug_editable}
            hint=${this.problems.slug ?? (tool.slug_editable ? t("authoring.tool.slug_help") : t("authoring.tool.slug_frozen"))}
            ?data-invalid=${Boolean(this.problems.slug)}
          ></wa-input>
          <wa-textarea name="summary" rows="2" label=${t("authoring.tool.summary")} .value=${tool.summary} ?disabled=${!manage} hint=${this.problems.summary ?? ""}></wa-textarea>
          <sk-taxonomy-picker .value=${{ professions: tool.professions, categories: tool.categories }} ?disabled=${!manage}></sk-taxonomy-picker>
          ${manage ? html`<div><wa-button type="submit" variant="brand" ?loading=${this.busy}>${t("authoring.tool.save")}</wa-button></div>` : nothing}
        </form>
      </section>
      ${this.renderMaintainers(tool)}
    </div>`;
  }

  private renderPublish(tool: ToolDetail) {
    const text = tool.is_published ? t("authoring.tool.is_published") : t("authoring.tool.is_unpublished");
    return html`<section class="card" aria-labelledby="publish-heading">
      <h2 id="publish-heading">${t("authoring.tool.visibility")}</h2>
      <p>${text} ${tool.active_version ? t("authoring.tools.active", { number: tool.active_version.number }) : t("authoring.tools.no_active")}</p>
      ${tool.can.manage
        ? html`<wa-button variant=${tool.is_published ? "neutral" : "success"} ?loading=${this.busy} @click=${() => void this.togglePublished()}
            >${tool.is_published ? t("authoring.tool.unpublish") : t("authoring.tool.publish")}</wa-button
          >`
        : nothing}
    </section>`;
  }

  private renderMaintainers(tool: ToolDetail) {
    return html`<section class="card" aria-labelledby="maintainers-heading">
      <h2 id="maintainers-heading">${t("authoring.tool.maintainers")}</h2>
      ${tool.maintainers.length === 0 ? html`<p class="quiet">${t("authoring.tool.no_maintainers")}</p>` : nothing}
      <ul class="maintainers">
        ${tool.maintainers.map(
          (m) => html`<li>
            <span>${m.name === m.email ? m.email : `${m.name} (${m.email})`}</span>
            ${tool.can.manage
              ? html`<wa-button size="small" variant="danger" appearance="outlined" @click=${() => void this.removeMaintainer(m.id)}
                  ><wa-icon slot="start" name="trash-can"></wa-icon>${t("authoring.tool.remove_maintainer", { name: m.name })}</wa-button
                >`
              : nothing}
          </li>`,
        )}
      </ul>
      ${tool.can.manage
        ? html`<form class="inline" novalidate @submit=${this.addMaintainer}>
            <wa-input name="email" type="email" label=${t("authoring.tool.maintainer_email")} hint=${this.maintainerError} ?data-invalid=${Boolean(this.maintainerError)}></wa-input>
            <wa-button type="submit"><wa-icon slot="start" name="plus"></wa-icon>${t("authoring.tool.add_maintainer")}</wa-button>
          </form>`
        : nothing}
    </section>`;
  }

  private async saveDetails(event: SubmitEvent) {
    event.preventDefault();
    const tool = this.tool;
    if (!tool) return;
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.querySelector<HTMLInputElement>(`[name=${name}]`)?.value ?? "").trim();
    const picker = form.querySelector<SkTaxonomyPicker>("sk-taxonomy-picker");
    this.busy = true;
    this.problems = {};
    try {
      const changes = { title: value("title"), summary: value("summary"), ...(picker?.value ?? {}), ...(tool.slug_editable ? { slug: value("slug") } : {}) };
      const updated = await updateTool(tool.id, changes);
      this.tool = updated;
      this.message = { kind: "success", text: t("authoring.tool.saved") };
      if (updated.slug !== this.slug) navigate(`/admin/tools/${encodeURIComponent(updated.slug)}`, { replace: true });
    } catch (error) {
      this.problems = isApiError(error) ? fieldProblems(error) : {};
      this.message = { kind: "danger", text: Object.keys(this.problems).length ? t("common.check_fields") : errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private async togglePublished() {
    const tool = this.tool;
    if (!tool) return;
    this.busy = true;
    try {
      this.tool = await setPublished(tool.id, !tool.is_published);
      this.message = { kind: "success", text: this.tool.is_published ? t("authoring.tool.published_now") : t("authoring.tool.unpublished_now") };
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    } finally {
      this.busy = false;
    }
  }

  private async addMaintainer(event: SubmitEvent) {
    event.preventDefault();
    const tool = this.tool;
    const input = (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("[name=email]");
    const email = input?.value.trim() ?? "";
    if (!tool || !email) return;
    this.maintainerError = "";
    try {
      this.tool = { ...tool, maintainers: await addMaintainer(tool.id, email) };
      if (input) input.value = "";
    } catch (error) {
      this.maintainerError = errorText(error);
    }
  }

  private async removeMaintainer(userId: string) {
    const tool = this.tool;
    if (!tool) return;
    try {
      this.tool = { ...tool, maintainers: await removeMaintainer(tool.id, userId) };
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-tool-page": SkAdminToolPage;
  }
}
