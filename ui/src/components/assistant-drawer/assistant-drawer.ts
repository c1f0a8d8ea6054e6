import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type WaTextarea from "@awesome.me/webawesome/dist/components/textarea/textarea.js";
import { aiEnabled, clearConversation, getConversation, postAssistantMessage, type AssistantContext, type AssistantMessage } from "../../api/ai.api";
import { isApiError } from "../../api/api-error";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { SessionController } from "../../session/session";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { splitAnswer } from "./assistant-answer";
import { AssistantProposeEvent } from "./assistant-propose";
import { SseParser, type SseEvent } from "./sse-parser";
import "@awesome.me/webawesome/dist/components/drawer/drawer.js";
import "../markdown-view/markdown-view";

/** A message on screen: stored ones have the server's id; the answer being written has none yet. */
interface ShownMessage {
  id: string | null;
  role: "user" | "assistant";
  content: string;
}

/**
 * @summary The editor's AI assistant: a button that opens a chat drawer about the tool being edited. The
 * conversation is kept per user and tool (loaded when the drawer opens, cleared on request); an answer
 * streams in as it is written; only one question at a time (the server refuses a second with 409,
 * shown as a message). Every ```diff block of an answer gets a "Preview" button. Renders nothing when
 * AI is off on the site.
 *
 * @event sk-assistant-propose - "Preview" on a proposed change (`event.detail.diff`, a unified diff of the source).
 */
@customElement("sk-assistant-drawer")
export class SkAssistantDrawer extends SkElement {
  static override styles = css`
    :host {
      display: inline-block;
    }
    wa-drawer {
      --size: min(36rem, 100vw);
    }
    wa-drawer::part(body) {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-m);
    }
    .intro {
      margin: 0;
      color: var(--wa-color-text-quiet);
      font-size: var(--wa-font-size-s);
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-m);
    }
    li {
      border-radius: var(--wa-border-radius-l);
      padding: var(--wa-space-s) var(--wa-space-m);
      overflow-wrap: anywhere;
    }
    li.user {
      background: var(--wa-color-brand-fill-quiet);
      margin-inline-start: var(--wa-space-xl);
      white-space: pre-wrap;
    }
    li.assistant {
      background: var(--wa-color-surface-lowered);
      margin-inline-end: var(--wa-space-xl);
    }
    .who {
      display: block;
      font-size: var(--wa-font-size-xs);
      font-weight: var(--wa-font-weight-semibold);
      color: var(--wa-color-text-quiet);
      margin-bottom: var(--wa-space-3xs);
      white-space: normal;
    }
    .proposal {
      margin: var(--wa-space-s) 0;
      border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-m);
      background: var(--wa-color-surface-default);
    }
    .proposal pre {
      margin: 0;
      padding: var(--wa-space-s);
      overflow-x: auto;
      font-family: var(--wa-font-family-code);
      font-size: var(--wa-font-size-s);
      max-height: 16rem;
    }
    .proposal .bar {
      display: flex;
      justify-content: flex-end;
      padding: var(--wa-space-2xs) var(--wa-space-s);
      border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    }
    form {
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-s);
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: var(--wa-space-s);
      justify-content: space-between;
    }
    .visually-hidden {
      position: absolute !important;
      width: 1px;
      height: 1px;
      margin: -1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `;

  /** The tool the conversation is about (its slug). */
  @property({ attribute: false }) toolId = "";
  /** What the assistant sees of the tool: the editor's current source, schemas and usage instructions. */
  @property({ attribute: false }) context: AssistantContext = { source: "" };
  /** Whether the drawer is open (the editor may open it itself). */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private messages: ShownMessage[] = [];
  @state() private loadedFor: string | null = null;
  @state() private loading = false;
  @state() private streaming = false;
  /** Another tab or device is waiting for an answer about this tool. */
  @state() private busyElsewhere = false;
  @state() private error: string | null = null;
  @state() private announcement = "";
  @query("wa-textarea") private input?: WaTextarea;
  private readonly sessionState = new SessionController(this);
  private abort: AbortController | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the editor cancels the answer (the server then stops asking the model).
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("toolId") && this.loadedFor !== null && this.loadedFor !== this.toolId) {
      this.abort?.abort();
      this.messages = [];
      this.loadedFor = null;
    }
    if ((changed.has("open") || changed.has("toolId")) && this.open && this.toolId && this.loadedFor !== this.toolId) void this.load();
  }

  override render() {
    if (!aiEnabled(this.sessionState.meta)) return nothing;
    return html`
      <wa-button data-ai appearance="outlined" size="s" @click=${() => (this.open = true)} aria-expanded=${this.open ? "true" : "false"}>
        <wa-icon slot="start" library="system" name="circle-question"></wa-icon>${t("ai.assistant.open")}
      </wa-button>
      <wa-drawer data-ai label=${t("ai.assistant.title")} placement="end" ?open=${this.open} @wa-after-hide=${this.onAfterHide}>
        <p class="intro">${t("ai.assistant.intro")}</p>
        ${this.busyElsewhere
          ? notice("warning", t("ai.assistant.busy"), html`<wa-button size="s" appearance="outlined" @click=${() => void this.load()}>${t("ai.assistant.reload")}</wa-button>`)
          : nothing}
        ${notice("danger", this.error)}
        ${this.loading ? html`<wa-spinner label=${t("app.loading")}></wa-spinner>` : this.renderMessages()}
        <p class="visually-hidden" role="status">${this.announcement}</p>
        <form novalidate @submit=${this.onSend}>
          <wa-textarea
            name="message"
            label=${t("ai.assistant.message_label")}
            hint=${t("ai.assistant.message_hint")}
            rows="3"
            resize="auto"
            maxlength="8000"
            ?disabled=${this.streaming}
            @keydown=${this.onKeyDown}
          ></wa-textarea>
          <div class="buttons">
            ${this.streaming
              ? html`<wa-button appearance="outlined" @click=${() => this.abort?.abort()}>
                  <wa-icon slot="start" name="circle-stop"></wa-icon>${t("ai.assistant.stop")}
                </wa-button>`
              : html`<wa-button appearance="plain" ?disabled=${this.messages.length === 0 || this.busyElsewhere} @click=${this.onClear}>
                  <wa-icon slot="start" name="trash-can"></wa-icon>${t("ai.assistant.clear")}
                </wa-button>`}
            <wa-button type="submit" variant="brand" ?loading=${this.streaming} ?disabled=${this.streaming || this.busyElsewhere}>
              <wa-icon slot="start" name="arrow-up"></wa-icon>${t("ai.assistant.send")}
            </wa-button>
          </div>
        </form>
      </wa-drawer>
    `;
  }

  private renderMessages() {
    if (this.messages.length === 0) return html`<p class="intro">${t("ai.assistant.empty")}</p>`;
    return html`<ol aria-label=${t("ai.assistant.conversation")} aria-busy=${this.streaming ? "true" : "false"}>
      ${this.messages.map((message, index) => {
        const writing = this.streaming && index === this.messages.length - 1 && message.role === "assistant";
        return html`<li class=${message.role}>
          <span class="who">${message.role === "user" ? t("ai.assistant.you") : t("ai.assistant.assistant")}</span
          >${message.role === "user" ? message.content : this.renderAnswer(message.content, writing)}
        </li>`;
      })}
    </ol>`;
  }

  private renderAnswer(content: string, writing: boolean) {
    if (content === "" && writing) return html`<wa-spinner label=${t("ai.assistant.writing")}></wa-spinner>`;
    let proposal = 0;
    return splitAnswer(content).map((part) => {
      if (part.kind === "text") return html`<sk-markdown .markdown=${part.text} heading-offset="2"></sk-markdown>`;
      const number = ++proposal;
      return html`<div class="proposal">
        <pre aria-label=${t("ai.assistant.proposal", { n: number })}><code>${part.diff}</code></pre>
        ${part.complete
          ? html`<div class="bar">
              <wa-button size="s" variant="brand" appearance="outlined" @click=${() => this.dispatchEvent(new AssistantProposeEvent(part.diff))}>
                <wa-icon slot="start" library="system" name="eye"></wa-icon>${t("ai.assistant.preview", { n: number })}
              </wa-button>
            </div>`
          : nothing}
      </div>`;
    });
  }

  private async load() {
    const toolId = this.toolId;
    this.loading = true;
    this.error = null;
    try {
      const conversation = await getConversation(toolId);
      if (toolId !== this.toolId) return;
      this.messages = conversation.messages.map(toShown);
      this.busyElsewhere = conversation.in_flight && !this.streaming;
      this.loadedFor = toolId;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.loading = false;
    }
  }

  private onKeyDown(event: KeyboardEvent) {
    // Ctrl/Cmd+Enter sends; Enter alone is a new line (questions often hold code).
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.renderRoot.querySelector("form")?.requestSubmit();
    }
  }

  private async onSend(event: SubmitEvent) {
    event.preventDefault();
    const text = (this.input?.value ?? "").trim();
    if (!text || this.streaming || !this.toolId) return;
    const toolId = this.toolId;
    const abort = new AbortController();
    this.abort = abort;
    this.streaming = true;
    this.error = null;
    this.announcement = "";
    const before = this.messages;
    this.messages = [...before, { id: null, role: "user", content: text }, { id: null, role: "assistant", content: "" }];
    try {
      const body = await postAssistantMessage(toolId, text, this.context, abort.signal);
      if (this.input) this.input.value = "";
      await this.read(body);
    } catch (error) {
      if (abort.signal.aborted) {
        this.dropUnfinishedAnswer();
        this.announcement = t("ai.assistant.stopped");
      } else if (isApiError(error) && error.code === "ai.busy") {
        this.messages = before;
        this.busyElsewhere = true;
      } else {
        this.messages = before;
        this.error = errorText(error);
      }
    } finally {
      this.streaming = false;
      if (this.abort === abort) this.abort = null;
    }
  }

  /** Follows the answer's events until the stream ends. */
  private async read(body: ReadableStream<Uint8Array>) {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    let finished = false;
    for (;;) {
      const { done, value } = await reader.read();
      const events = parser.push(done ? decoder.decode() + "\n\n" : decoder.decode(value, { stream: true }));
      for (const event of events) finished = this.apply(event) || finished;
      if (done) break;
    }
    if (!finished) {
      // The connection ended without "done" or "error" (server restart, proxy timeout).
      this.dropUnfinishedAnswer();
      this.error = t("ai.assistant.interrupted");
    }
  }

  /** Applies one event of the answer; true when it ended the answer. */
  private apply(event: SseEvent): boolean {
    const data = parseJson(event.data);
    const last = this.messages.length - 1;
    switch (event.event) {
      case "start": {
        const stored = messageFrom(data?.user_message);
        if (stored && last > 0) this.messages = this.messages.map((m, i) => (i === last - 1 ? toShown(stored) : m));
        return false;
      }
      case "delta": {
        const text = typeof data?.text === "string" ? data.text : "";
        if (text) this.messages = this.messages.map((m, i) => (i === last ? { ...m, content: m.content + text } : m));
        return false;
      }
      case "done": {
        const stored = messageFrom(data?.message);
        if (stored) this.messages = this.messages.map((m, i) => (i === last ? toShown(stored) : m));
        this.announcement = t("ai.assistant.answered");
        return true;
      }
      case "error": {
        this.dropUnfinishedAnswer();
        const message = typeof data?.message === "string" && data.message ? data.message : t("error.unknown");
        this.error = message;
        return true;
      }
      default:
        return false;
    }
  }

  /** The answer being written is not stored when it did not finish; the question is. */
  private dropUnfinishedAnswer() {
    const lastMessage = this.messages.at(-1);
    if (lastMessage?.role === "assistant" && lastMessage.id === null) this.messages = this.messages.slice(0, -1);
  }

  private async onClear() {
    this.error = null;
    try {
      await clearConversation(this.toolId);
      this.messages = [];
      this.announcement = t("ai.assistant.cleared");
    } catch (error) {
      if (isApiError(error) && error.code === "ai.busy") this.busyElsewhere = true;
      else this.error = errorText(error);
    }
  }

  private onAfterHide(event: Event) {
    // The drawer itself closed (Escape, close button, overlay), not a popup inside it.
    if (event.target === event.currentTarget) this.open = false;
  }
}

function toShown(message: AssistantMessage): ShownMessage {
  return { id: message.id, role: message.role, content: message.content };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function messageFrom(value: unknown): AssistantMessage | null {
  if (typeof value !== "object" || value === null) return null;
  const m = value as Record<string, unknown>;
  if (typeof m.id !== "string" || (m.role !== "user" && m.role !== "assistant") || typeof m.content !== "string") return null;
  return { id: m.id, role: m.role, content: m.content, created_at: typeof m.created_at === "string" ? m.created_at : "" };
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-assistant-drawer": SkAssistantDrawer;
  }
}
