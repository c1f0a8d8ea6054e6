import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { cancelRun, getRun, isFinished, runEventsUrl, type RunStatus } from "../../api/runs.api";
import { errorText } from "../../i18n/error-messages";
import { formatDuration } from "../../i18n/format";
import { t } from "../../i18n/t";
import { RunFinishedEvent } from "../../events/run-finished";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";

type Phase = "connecting" | "queued" | "running" | "finished";

const POLL_MS = 2000;

/**
 * @summary Follows one run live over Server-Sent Events: its place in the queue, that it is running and
 * for how long, with a Cancel button. Falls back to polling when the event stream cannot be kept open.
 * Changes of phase are announced politely; the ticking time is not.
 *
 * @event sk-run-finished - The run finished (`event.status`); the stream is closed by then.
 */
@customElement("sk-run-progress")
export class SkRunProgress extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .box {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--wa-space-s) var(--wa-space-m);
      padding: var(--wa-space-m);
      border: var(--wa-border-width-s) solid var(--wa-color-brand-border-quiet);
      background: var(--wa-color-brand-fill-quiet);
      border-radius: var(--wa-border-radius-l);
    }
    .text {
      flex: 1 1 12rem;
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-3xs);
    }
    .phase {
      font-weight: var(--wa-font-weight-semibold);
    }
    .elapsed {
      font-size: var(--wa-font-size-s);
      color: var(--wa-color-text-quiet);
      font-variant-numeric: tabular-nums;
    }
    wa-spinner {
      font-size: 1.5rem;
    }
  `;

  @property() runId = "";

  @state() private phase: Phase = "connecting";
  @state() private position: number | null = null;
  @state() private now = Date.now();
  @state() private cancelling = false;
  @state() private error: string | null = null;
  private queuedAt = Date.now();
  private runningSince: number | null = null;
  private source: EventSource | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private poller: ReturnType<typeof setTimeout> | undefined;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("runId") && this.runId) void this.follow(this.runId);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop() {
    this.source?.close();
    this.source = null;
    clearInterval(this.ticker);
    clearTimeout(this.poller);
  }

  private async follow(runId: string) {
    this.stop();
    this.phase = "connecting";
    this.position = null;
    this.cancelling = false;
    this.error = null;
    this.queuedAt = Date.now();
    this.runningSince = null;
    this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    try {
      // When the run started matters for the elapsed time after a page reload.
      const run = await getRun(runId);
      if (runId !== this.runId) return;
      this.queuedAt = Date.parse(run.queued_at) || this.queuedAt;
      if (run.started_at) this.runningSince = Date.parse(run.started_at);
      if (isFinished(run.status)) return this.finish(run.status);
      this.phase = run.status === "running" ? "running" : "queued";
    } catch (error) {
      this.error = errorText(error);
    }
    this.listen(runId);
  }

  private listen(runId: string) {
    const source = new EventSource(runEventsUrl(runId));
    this.source = source;
    source.addEventListener("queued", (event) => {
      const data = parseData(event);
      this.phase = "queued";
      this.position = typeof data.position === "number" ? data.position : null;
    });
    source.addEventListener("running", () => {
      if (this.phase !== "running") this.runningSince ??= Date.now();
      this.phase = "running";
    });
    source.addEventListener("finished", (event) => {
      const status = parseData(event).status;
      this.finish(typeof status === "string" ? (status as RunStatus) : "failed");
    });
    source.addEventListener("error", () => {
      // EventSource reconnects by itself; only a closed source needs the fallback.
      if (source.readyState === EventSource.CLOSED && this.phase !== "finished") {
        this.source = null;
        this.poll(runId);
      }
    });
  }

  private poll(runId: string) {
    this.poller = setTimeout(async () => {
      if (runId !== this.runId || this.phase === "finished") return;
      try {
        const run = await getRun(runId);
        if (isFinished(run.status)) return this.finish(run.status);
        this.phase = run.status === "running" ? "running" : "queued";
        if (run.started_at) this.runningSince ??= Date.parse(run.started_at);
      } catch (error) {
        this.error = errorText(error);
      }
      this.poll(runId);
    }, POLL_MS);
  }

  private finish(status: RunStatus) {
    if (this.phase === "finished") return;
    this.stop();
    this.phase = "finished";
    this.dispatchEvent(new RunFinishedEvent(this.runId, status));
  }

  private async cancel() {
    this.cancelling = true;
    try {
      const { status } = await cancelRun(this.runId);
      if (isFinished(status)) this.finish(status);
    } catch (error) {
      this.cancelling = false;
      this.error = errorText(error);
    }
  }

  private phaseText(): string {
    if (this.cancelling) return t("progress.cancelling");
    switch (this.phase) {
      case "connecting":
        return t("progress.starting");
      case "queued":
        return this.position === null ? t("progress.queued") : t("progress.queued_at", { position: this.position });
      case "running":
        return t("progress.running");
      case "finished":
        return t("progress.finished");
    }
  }

  override render() {
    if (this.phase === "finished") return nothing;
    const since = this.phase === "running" && this.runningSince !== null ? this.runningSince : this.queuedAt;
    const elapsed = formatDuration(Math.max(0, this.now - since));
    return html`
      <div class="box">
        <wa-spinner aria-hidden="true"></wa-spinner>
        <div class="text">
          <span class="phase" role="status">${this.phaseText()}</span>
          <span class="elapsed">${this.phase === "running" ? t("progress.elapsed_running", { time: elapsed }) : t("progress.elapsed_waiting", { time: elapsed })}</span>
        </div>
        <wa-button variant="danger" appearance="outlined" ?loading=${this.cancelling} ?disabled=${this.cancelling} @click=${this.cancel}>
          <wa-icon slot="start" name="circle-stop"></wa-icon>${t("progress.cancel")}
        </wa-button>
      </div>
      ${notice("warning", this.error)}
    `;
  }
}

function parseData(event: Event): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse((event as MessageEvent<string>).data);
    return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-run-progress": SkRunProgress;
  }
}
