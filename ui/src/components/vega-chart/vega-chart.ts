import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { t } from "../../i18n/t";

/**
 * @summary A `vega_lite` output drawn as a chart. The renderer (vega, vega-lite, vega-interpreter) is a
 * separate chunk imported the first time a chart is shown.
 */
@customElement("sk-vega-chart")
export class SkVegaChart extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .chart {
      overflow-x: auto;
      max-width: 100%;
    }
    .chart:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
    }
  `;

  /** The Vega-Lite spec (data inline). */
  @property({ attribute: false }) spec: Record<string, unknown> = {};
  @state() private status: "loading" | "ready" | "failed" = "loading";
  @query(".chart") private box!: HTMLElement;
  private dispose: (() => void) | null = null;
  private drawSeq = 0;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("spec")) void this.draw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.dispose?.();
    this.dispose = null;
  }

  private async draw() {
    const seq = ++this.drawSeq;
    this.dispose?.();
    this.dispose = null;
    this.status = "loading";
    try {
      const { renderVegaLite } = await import("./vega-render");
      await this.updateComplete;
      if (seq !== this.drawSeq) return;
      this.box.replaceChildren();
      const dispose = await renderVegaLite(this.box, this.spec);
      if (seq !== this.drawSeq) return dispose();
      this.dispose = dispose;
      this.status = "ready";
    } catch (error) {
      if (seq !== this.drawSeq) return;
      console.warn("chart could not be drawn", error);
      this.status = "failed";
    }
  }

  override render() {
    // Vega gives the drawn chart its own semantics (role graphics-document, the spec's description as
    // its name); until then the box is named after the chart. Focusable: it scrolls sideways when wide.
    const description = typeof this.spec.description === "string" ? this.spec.description : typeof this.spec.title === "string" ? this.spec.title : t("result.chart");
    return html`
      ${this.status === "loading" ? html`<wa-spinner label=${t("result.chart_loading")}></wa-spinner>` : nothing}
      ${this.status === "failed" ? notice("warning", t("result.chart_failed")) : nothing}
      <div class="chart" role="img" tabindex="0" aria-label=${description} ?hidden=${this.status === "failed"}></div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-vega-chart": SkVegaChart;
  }
}
