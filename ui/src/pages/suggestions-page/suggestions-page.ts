import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { acceptSuggestion, createSuggestion, denySuggestion, listSuggestions, type Suggestion } from "../../api/authoring.api";
import { fieldProblems } from "../../authoring/field-problems.rules";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import type { SkTaxonomyPicker } from "../../components/taxonomy-picker/taxonomy-picker";
import { errorText } from "../../i18n/error-messages";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/taxonomy-picker/taxonomy-picker";

type Message = { kind: "danger" | "success"; text: string } | null;

const STATUS_VARIANT = { pending: "warning", accepted: "success", denied: "danger" } as const;

/**
 * @summary Tool suggestions: contributors suggest a tool (title, description, professions, categories)
 * and follow the decisions on theirs; admins see every suggestion and accept it (a draft tool owned by
 * the suggester is created) or deny it with a required rationale. Every decision stays in the history.
 */
@customElement("sk-suggestions-page")
export class SkSuggestionsPage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .item h3 {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs);
        align-items: center;
        margin: 0 0 var(--wa-space-xs);
        font-size: var(--wa-font-size-m);
        overflow-wrap: anywhere;
      }
      .meta,
      .decisions {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      .description {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .decide {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--wa-space-s);
        flex-direction: row;
      }
      .decide wa-input,
      .decide wa-textarea {
        flex: 1 1 14rem;
        min-width: 0;
      }
    `,
  ];

  @state() private items: Suggestion[] | null = null;
  @state() private message: Message = null;
  @state() private problems: Record<string, string> = {};
  @state() private busy: string | null = null;
  @state() private decideErrors: Record<string, string> = {};
  private readonly sessionState = new SessionController(this);

  private get isAdmin(): boolean {
    const role = this.sessionState.user?.role;
    return role === "admin" || role === "superuser";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.items = await listSuggestions();
    } catch (error) {
      this.message = { kind: "danger", text: errorText(error) };
    }
  }

  override render() {
    return html`<div class="page">
      <h1 tabindex="-1">${t("title.suggestions")}</h1>
      ${this.message ? notice(this.message.kind, this.message.text) : nothing} ${this.renderForm()}
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">${this.isAdmin ? t("authoring.suggestions.all") : t("authoring.suggestions.mine")}</h2>
        ${!this.items ? nothing : this.items.length === 0 ? html`<p class="quiet">${t("authoring.suggestions.none")}</p>` : html`<ol>${this.items.map((s) => this.renderItem(s))}</ol>`}
      </section>
    </div>`;
  }

  private renderForm() {
    return html`<section class="card" aria-labelledby="suggest-heading">
      <h2 id="suggest-heading">${t("authoring.suggestions.new")}</h2>
      <form novalidate @submit=${this.suggest}>
        <wa-input name="title" label=${t("authoring.tool.title")} required hint=${this.problems.title ?? ""} ?data-invalid=${Boolean(this.problems.title)}></wa-input>
        <wa-textarea
          name="description"
          label=${t("authoring.suggestions.description")}
          required
          rows="4"
          hint=${this.problems.description ?? t("authoring.suggestions.description_help")}
          ?data-invalid=${Boolean(this.problems.description)}
        ></wa-textarea>
        <sk-taxonomy-picker></sk-taxonomy-picker>
        <div><wa-button type="submit" variant="brand" ?loading=${this.busy === "new"}>${t("authoring.suggestions.send")}</wa-button></div>
      </form>
    </section>`;
  }

  private renderItem(s: Suggestion) {
    return html`<li class="card item" data-suggestion=${s.title}>
      <h3>${s.title} <wa-tag size="small" variant=${STATUS_VARIANT[s.status]}>${t(`authoring.suggestion_status.${s.status}`)}</wa-tag></h3>
      <p class="meta">${t("authoring.suggestions.by", { name: s.suggested_by.name, time: formatDateTime(s.created_at) })}</p>
      <p class="description">${s.description}</p>
      ${s.decisions.length
        ? html`<ul class="decisions">
            ${s.decisions.map(
              (d) => html`<li>
                ${t(`authoring.suggestions.decision.${d.decision}`, { name: d.decided_by?.name ?? t("authoring.versions.someone"), time: formatDateTime(d.decided_at) })}
                ${d.rationale ? html`: ${d.rationale}` : nothing}
              </li>`,
            )}
          </ul>`
        : nothing}
      ${s.tool_id && s.status === "accepted" ? html`<p>${t("authoring.suggestions.accepted_hint")}</p>` : nothing}
      ${this.isAdmin && s.status !== "accepted" ? this.renderDecide(s) : nothing}
    </li>`;
  }

  private renderDecide(s: Suggestion) {
    const error = this.decideErrors[s.id];
    return html`${error ? notice("danger", error) : nothing}
      <form class="decide" novalidate data-decide="accept" @submit=${(e: SubmitEvent) => void this.accept(e, s)}>
        <wa-input name="slug" label=${t("authoring.suggestions.slug")} hint=${t("authoring.suggestions.slug_help")}></wa-input>
        <wa-button type="submit" variant="success" ?loading=${this.busy === `accept:${s.id}`}>${t("authoring.suggestions.accept")}</wa-button>
      </form>
      ${s.status === "pending"
        ? html`<form class="decide" novalidate data-decide="deny" @submit=${(e: SubmitEvent) => void this.deny(e, s)}>
            <wa-textarea name="rationale" rows="2" required label=${t("authoring.suggestions.rationale")}></wa-textarea>
            <wa-button type="submit" variant="danger" ?loading=${this.busy === `deny:${s.id}`}>${t("authoring.suggestions.deny")}</wa-button>
          </form>`
        : nothing}`;
  }

  private async suggest(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.querySelector<HTMLInputElement>(`[name=${name}]`)?.value ?? "").trim();
    const picker = form.querySelector<SkTaxonomyPicker>("sk-taxonomy-picker");
    this.busy = "new";
    this.problems = {};
    try {
      await createSuggestion({ title: value("title"), description: value("description"), ...(picker?.value ?? { professions: [], categories: [] }) });
      form.reset();
      for (const input of form.querySelectorAll<HTMLInputElement>("wa-input, wa-textarea")) input.value = "";
      this.message = { kind: "success", text: t("authoring.suggestions.sent") };
      await this.load();
    } catch (error) {
      this.problems = isApiError(error) ? fieldProblems(error) : {};
      this.message = { kind: "danger", text: Object.keys(this.problems).length ? t("common.check_fields") : errorText(error) };
    } finally {
      this.busy = null;
    }
  }

  private async accept(event: SubmitEvent, s: Suggestion) {
    event.preventDefault();
    const slug = ((event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("[name=slug]")?.value ?? "").trim();
    this.busy = `accept:${s.id}`;
    this.decideErrors = { ...this.decideErrors, [s.id]: "" };
    try {
      const { tool } = await acceptSuggestion(s.id, slug || undefined);
      navigate(`/admin/tools/${encodeURIComponent(tool.slug)}`);
    } catch (error) {
      this.decideErrors = { ...this.decideErrors, [s.id]: errorText(error) };
    } finally {
      this.busy = null;
    }
  }

  private async deny(event: SubmitEvent, s: Suggestion) {
    event.preventDefault();
    const rationale = ((event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("[name=rationale]")?.value ?? "").trim();
    if (!rationale) {
      this.decideErrors = { ...this.decideErrors, [s.id]: t("authoring.suggestions.rationale_required") };
      return;
    }
    this.busy = `deny:${s.id}`;
    try {
      await denySuggestion(s.id, rationale);
      this.decideErrors = { ...this.decideErrors, [s.id]: "" };
      await this.load();
    } catch (error) {
      this.decideErrors = { ...this.decideErrors, [s.id]: errorText(error) };
    } finally {
      this.busy = null;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-suggestions-page": SkSuggestionsPage;
  }
}
