import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type WaInput from "@awesome.me/webawesome/dist/components/input/input.js";
import type WaTextarea from "@awesome.me/webawesome/dist/components/textarea/textarea.js";
import { aiEnabled, getAiStatus, reindexTools, testChat, testEmbedding, type AiModel, type AiStatus, type TestChatResult, type TestEmbeddingResult } from "../../api/ai.api";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { formatBytes, formatDateTime, formatDuration } from "../../i18n/format";
import { currentLocale, INTL_LOCALES } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import { pageStyles, tableStyles } from "../../styles/shared.styles";
import "../../components/admin-nav/admin-nav";
import "../not-found-page/not-found-page";

type Outcome<T> = { kind: "idle" } | { kind: "busy" } | { kind: "done"; result: T } | { kind: "failed"; message: string };

/**
 * @summary Admins check the site's local AI: whether the Ollama server answers and its version, the
 * configured models and whether the server has them, the models it offers and has loaded, a test chat
 * and a test embedding with a model chosen from the server's list (a text field when the list cannot be
 * read), and the state of the tools' search index. Settings are changed in the [ai] section of the
 * configuration file. With AI off the page does not exist.
 */
@customElement("sk-admin-ai-page")
export class SkAdminAiPage extends SkElement {
  static override styles = [
    pageStyles,
    tableStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--wa-space-xs) var(--wa-space-l);
        margin: 0 0 var(--wa-space-m);
      }
      dt {
        font-weight: var(--wa-font-weight-semibold);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      @media (max-width: 30rem) {
        dl {
          grid-template-columns: 1fr;
        }
        dd + dt {
          margin-top: var(--wa-space-s);
        }
      }
      table {
        min-width: 30rem;
      }
      td.number,
      th.number {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .reply {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--wa-color-surface-lowered);
        border-radius: var(--wa-border-radius-m);
        padding: var(--wa-space-s);
        margin: 0 0 var(--wa-space-s);
      }
      code {
        font-family: var(--wa-font-family-code);
        overflow-wrap: anywhere;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
        gap: 0 var(--wa-space-l);
      }
    `,
  ];

  @state() private status: AiStatus | null = null;
  @state() private loadError: string | null = null;
  @state() private checking = false;
  @state() private chat: Outcome<TestChatResult> = { kind: "idle" };
  @state() private embedding: Outcome<TestEmbeddingResult> = { kind: "idle" };
  @state() private reindex: Outcome<{ indexed: number; unchanged: number; removed: number }> = { kind: "idle" };
  private readonly sessionState = new SessionController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (aiEnabled(this.sessionState.meta)) void this.load();
  }

  private async load() {
    this.checking = true;
    try {
      this.status = await getAiStatus();
      this.loadError = null;
    } catch (error) {
      this.loadError = errorText(error);
    } finally {
      this.checking = false;
    }
  }

  protected override updated(): void {
    // With AI off the address is not a page, so its document title is not "AI" either (this runs after the
    // shell has set the route's title).
    if (!aiEnabled(this.sessionState.meta)) document.title = `${t("title.not_found")} – ${t("app.name")}`;
  }

  override render() {
    // With AI off nothing about AI may show: the address is simply not a page.
    if (!aiEnabled(this.sessionState.meta)) return html`<sk-not-found-page></sk-not-found-page>`;
    const status = this.status;
    return html`<div class="page wide" data-ai>
      <h1 tabindex="-1">${t("title.admin_ai")}</h1>
      <sk-admin-nav current="ai"></sk-admin-nav>
      <p>${t("ai.admin.intro")}</p>
      ${notice("danger", this.loadError)}
      ${status
        ? html`${this.renderServer(status)}
            <div class="grid">${this.renderTestChat(status)} ${this.renderTestEmbedding(status)}</div>
            ${this.renderModels(status)} ${this.renderIndex(status)}`
        : this.loadError
          ? nothing
          : html`<div class="center"><wa-spinner label=${t("app.loading")}></wa-spinner></div>`}
    </div>`;
  }

  private renderServer(status: AiStatus) {
    const server = status.server;
    const c = status.config;
    return html`<section class="card" aria-labelledby="server-heading">
      <h2 id="server-heading">${t("ai.admin.server_heading")}</h2>
      ${server?.reachable
        ? notice("success", t("ai.admin.reachable", { version: server.version ?? "?" }))
        : notice("danger", server?.error?.message ?? t("ai.admin.unreachable"))}
      <dl>
        <dt>${t("ai.admin.url")}</dt>
        <dd><code>${c.ollama_url}</code></dd>
        <dt>${t("ai.admin.chat_model")}</dt>
        <dd>${c.chat_model || t("common.not_set")} ${server?.reachable ? this.presence(server.chat_model_present) : nothing}</dd>
        <dt>${t("ai.admin.embed_model")}</dt>
        <dd>${c.embed_model || t("common.not_set")} ${server?.reachable ? this.presence(server.embed_model_present) : nothing}</dd>
        <dt>${t("ai.admin.num_ctx")}</dt>
        <dd>${num(c.num_ctx)}</dd>
        <dt>${t("ai.admin.timeout")}</dt>
        <dd>${formatDuration(c.timeout_seconds * 1000)}</dd>
        <dt>${t("ai.admin.concurrency")}</dt>
        <dd>${num(c.concurrency)}</dd>
        <dt>${t("ai.admin.retries")}</dt>
        <dd>${num(c.max_retries)}</dd>
      </dl>
      <p class="quiet">${t("ai.admin.config_hint")}</p>
      <wa-button appearance="outlined" ?loading=${this.checking} @click=${() => void this.load()}>
        <wa-icon slot="start" name="rotate-right"></wa-icon>${t("ai.admin.check_again")}
      </wa-button>
    </section>`;
  }

  private presence(present: boolean | null) {
    if (present === null) return nothing;
    return present
      ? html`<wa-tag size="s" variant="success" appearance="filled-outlined">${t("ai.admin.model_present")}</wa-tag>`
      : html`<wa-tag size="s" variant="danger" appearance="filled-outlined">${t("ai.admin.model_missing")}</wa-tag>`;
  }

  /** A model picker: the server's models in a dropdown, or a text field when the list could not be read. */
  private modelControl(name: string, label: string, models: AiModel[] | null, preferred: string) {
    if (models === null || models.length === 0) {
      return html`<wa-input name=${name} label=${label} hint=${t("ai.admin.model_list_unavailable")} .value=${preferred}></wa-input>`;
    }
    const names = models.map((m) => m.name);
    const value = names.includes(preferred) ? preferred : (names[0] ?? "");
    return html`<wa-select name=${name} label=${label} .value=${value}>
      ${names.map((n) => html`<wa-option value=${n}>${n}</wa-option>`)}
    </wa-select>`;
  }

  private renderTestChat(status: AiStatus) {
    const chat = this.chat;
    return html`<section class="card" aria-labelledby="chat-heading">
      <h2 id="chat-heading">${t("ai.admin.test_chat_heading")}</h2>
      <form novalidate @submit=${this.onTestChat}>
        ${this.modelControl("chat-model", t("ai.admin.model"), status.server?.models ?? null, status.config.chat_model)}
        <wa-textarea name="message" label=${t("ai.admin.test_chat_message")} rows="2" .value=${t("ai.admin.test_chat_default")} maxlength="2000"></wa-textarea>
        <div class="actions">
          <wa-button type="submit" variant="brand" ?loading=${chat.kind === "busy"} ?disabled=${chat.kind === "busy"}>${t("ai.admin.test_chat_send")}</wa-button>
        </div>
      </form>
      <div aria-live="polite">
        ${chat.kind === "done"
          ? html`<h3 class="visually-hidden">${t("ai.admin.reply")}</h3>
              <p class="reply">${chat.result.reply}</p>
              <p class="quiet">${t("ai.admin.chat_facts", { model: chat.result.model, tokens: num(chat.result.prompt_tokens), time: formatDuration(chat.result.duration_ms) })}</p>`
          : chat.kind === "failed"
            ? notice("danger", chat.message)
            : nothing}
      </div>
    </section>`;
  }

  private renderTestEmbedding(status: AiStatus) {
    const embedding = this.embedding;
    return html`<section class="card" aria-labelledby="embed-heading">
      <h2 id="embed-heading">${t("ai.admin.test_embedding_heading")}</h2>
      <form novalidate @submit=${this.onTestEmbedding}>
        ${this.modelControl("embed-model", t("ai.admin.model"), status.server?.models ?? null, status.config.embed_model)}
        <wa-input name="text" label=${t("ai.admin.test_embedding_text")} .value=${t("ai.admin.test_embedding_default")} maxlength="2000"></wa-input>
        <div class="actions">
          <wa-button type="submit" variant="brand" ?loading=${embedding.kind === "busy"} ?disabled=${embedding.kind === "busy"}>${t("ai.admin.test_embedding_send")}</wa-button>
        </div>
      </form>
      <div aria-live="polite">
        ${embedding.kind === "done"
          ? html`<p>${t("ai.admin.embedding_facts", { model: embedding.result.model, dimensions: num(embedding.result.dimensions), time: formatDuration(embedding.result.duration_ms) })}</p>
              <p class="quiet"><code>[${embedding.result.sample.map((v) => v.toFixed(4)).join(", ")}, …]</code></p>`
          : embedding.kind === "failed"
            ? notice("danger", embedding.message)
            : nothing}
      </div>
    </section>`;
  }

  private renderModels(status: AiStatus) {
    const models = status.server?.models;
    const loaded = status.server?.loaded;
    return html`<section class="card" aria-labelledby="models-heading">
      <h2 id="models-heading">${t("ai.admin.models_heading")}</h2>
      ${models === null || models === undefined
        ? html`<p>${t("ai.admin.model_list_unavailable")}</p>`
        : models.length === 0
          ? html`<p>${t("ai.admin.no_models")}</p>`
          : html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t("ai.admin.models_heading")}>
              <table>
                <caption class="visually-hidden">${t("ai.admin.models_heading")}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t("ai.admin.col_name")}</th>
                    <th scope="col">${t("ai.admin.col_family")}</th>
                    <th scope="col">${t("ai.admin.col_parameters")}</th>
                    <th scope="col">${t("ai.admin.col_quantization")}</th>
                    <th scope="col" class="number">${t("ai.admin.col_size")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${models.map(
                    (m) => html`<tr>
                      <td><code>${m.name}</code></td>
                      <td>${m.family}</td>
                      <td>${m.parameter_size}</td>
                      <td>${m.quantization_level}</td>
                      <td class="number">${formatBytes(m.size)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
      <h3>${t("ai.admin.loaded_heading")}</h3>
      ${loaded === null || loaded === undefined
        ? html`<p>${t("ai.admin.loaded_unavailable")}</p>`
        : loaded.length === 0
          ? html`<p>${t("ai.admin.none_loaded")}</p>`
          : html`<ul>
              ${loaded.map((m) => html`<li><code>${m.name}</code> — ${t("ai.admin.loaded_facts", { vram: formatBytes(m.size_vram), until: formatDateTime(m.expires_at) })}</li>`)}
            </ul>`}
    </section>`;
  }

  private renderIndex(status: AiStatus) {
    const e = status.embeddings;
    const reindex = this.reindex;
    if (!e) return nothing;
    return html`<section class="card" aria-labelledby="index-heading">
      <h2 id="index-heading">${t("ai.admin.index_heading")}</h2>
      <p>${t("ai.admin.index_intro")}</p>
      <dl>
        <dt>${t("ai.admin.index_tools")}</dt>
        <dd>${t("ai.admin.index_count", { indexed: e.indexed_tools, published: e.published_tools })}</dd>
        <dt>${t("ai.admin.index_last_sync")}</dt>
        <dd>${e.last_embedded_at ? formatDateTime(e.last_embedded_at) : t("common.never")}</dd>
      </dl>
      ${e.stale_tools > 0 ? notice("warning", t("ai.admin.index_stale", { n: e.stale_tools })) : nothing}
      <wa-button appearance="outlined" ?loading=${reindex.kind === "busy"} ?disabled=${reindex.kind === "busy"} @click=${() => void this.onReindex()}>
        <wa-icon slot="start" name="rotate-right"></wa-icon>${t("ai.admin.reindex")}
      </wa-button>
      <div aria-live="polite">
        ${reindex.kind === "done"
          ? notice("success", t("ai.admin.reindexed", { indexed: reindex.result.indexed, unchanged: reindex.result.unchanged, removed: reindex.result.removed }))
          : reindex.kind === "failed"
            ? notice("danger", reindex.message)
            : nothing}
      </div>
    </section>`;
  }

  private modelValue(form: HTMLFormElement, name: string): string {
    const control = form.querySelector<HTMLElement & { value: unknown }>(`[name=${name}]`);
    return typeof control?.value === "string" ? control.value.trim() : "";
  }

  private async onTestChat(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const message = (form.querySelector<WaTextarea>("wa-textarea[name=message]")?.value ?? "").trim();
    if (!message) return;
    this.chat = { kind: "busy" };
    try {
      this.chat = { kind: "done", result: await testChat(message, this.modelValue(form, "chat-model")) };
    } catch (error) {
      this.chat = { kind: "failed", message: errorText(error) };
    }
  }

  private async onTestEmbedding(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = String(form.querySelector<WaInput>("wa-input[name=text]")?.value ?? "").trim();
    if (!text) return;
    this.embedding = { kind: "busy" };
    try {
      this.embedding = { kind: "done", result: await testEmbedding(text, this.modelValue(form, "embed-model")) };
    } catch (error) {
      this.embedding = { kind: "failed", message: errorText(error) };
    }
  }

  private async onReindex() {
    this.reindex = { kind: "busy" };
    try {
      this.reindex = { kind: "done", result: await reindexTools() };
      await this.load();
    } catch (error) {
      this.reindex = { kind: "failed", message: errorText(error) };
    }
  }
}

function num(n: number): string {
  return new Intl.NumberFormat(INTL_LOCALES[currentLocale()]).format(n);
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-admin-ai-page": SkAdminAiPage;
  }
}
