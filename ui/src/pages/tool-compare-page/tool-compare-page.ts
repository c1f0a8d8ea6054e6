import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { getToolBySlug, getVersion, listVersions, type ToolDetail, type VersionSummary } from "../../api/authoring.api";
import { comparePath, COMPARE_PARTS, parseCompareQuery, type ComparePart, type CompareQuery, type CompareSide } from "../../authoring/compare-query.rules";
import { bufferFromVersion, workingCopyKey, type EditorBuffer } from "../../authoring/editor-buffer.rules";
import { loadWorkingCopy } from "../../authoring/working-copy.store";
import { notice } from "../../components/notice/notice";
import { SkElement } from "../../components/sk-element/sk-element";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { SessionController } from "../../session/session";
import { pageStyles } from "../../styles/shared.styles";
import "../../components/diff-view/diff-view";

const PART_OF_BUFFER: Record<ComparePart, keyof EditorBuffer> = {
  source: "source",
  input_schema: "inputSchema",
  settings_schema: "settingsSchema",
  usage_instructions: "usageInstructions",
};

/**
 * @summary Compares two versions of a tool, or the author's working copy with a version: source,
 * input schema, settings schema or usage instructions, in a merge view. Every choice is in the URL.
 */
@customElement("sk-tool-compare-page")
export class SkToolComparePage extends SkElement {
  static override styles = [
    pageStyles,
    css`
      .choices {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: var(--wa-space-m);
        margin-bottom: var(--wa-space-l);
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
  @property({ attribute: false }) search = "";
  @state() private tool: ToolDetail | null = null;
  @state() private versions: VersionSummary[] = [];
  @state() private texts: { a: EditorBuffer | null; b: EditorBuffer | null } = { a: null, b: null };
  @state() private message: string | null = null;
  private readonly sessionState = new SessionController(this);

  private get query(): CompareQuery {
    return parseCompareQuery(this.search);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("slug") && this.slug) void this.load();
    else if (changed.has("search") && this.tool) void this.loadSides();
  }

  private async load() {
    try {
      const tool = await getToolBySlug(this.slug);
      this.versions = (await listVersions(tool.id)).items;
      this.tool = tool;
      await this.loadSides();
    } catch (error) {
      this.message = errorText(error);
    }
  }

  private async loadSides() {
    const [a, b] = await Promise.all([this.loadSide(this.query.a), this.loadSide(this.query.b)]);
    this.texts = { a, b };
  }

  private async loadSide(side: CompareSide): Promise<EditorBuffer | null> {
    const tool = this.tool;
    if (!tool || side.kind === "none") return null;
    if (side.kind === "working") {
      const user = this.sessionState.user;
      const copy = user ? await loadWorkingCopy(workingCopyKey(tool.id, user.id)) : null;
      if (!copy) this.message = t("authoring.compare.no_working_copy");
      return copy?.buffer ?? null;
    }
    try {
      return bufferFromVersion(await getVersion(tool.id, side.id));
    } catch (error) {
      this.message = errorText(error);
      return null;
    }
  }

  private choose(changes: Partial<CompareQuery>) {
    this.message = null;
    navigate(comparePath(this.slug, { ...this.query, ...changes }), { replace: true });
  }

  private sideLabel(side: CompareSide): string {
    if (side.kind === "working") return t("authoring.compare.working");
    if (side.kind === "none") return "";
    const v = this.versions.find((x) => x.id === side.id);
    return v ? t("authoring.compare.version_label", { number: v.number, state: t(`authoring.state.${v.state}`) }) : side.id;
  }

  override render() {
    const query = this.query;
    const slug = encodeURIComponent(this.slug);
    const texts = this.texts;
    const key = PART_OF_BUFFER[query.part];
    return html`<div class="page wide">
      <h1 tabindex="-1">${this.tool ? t("authoring.compare.heading", { title: this.tool.title }) : t("title.tool_compare")}</h1>
      <nav class="links" aria-label=${t("authoring.editor.links_label")}>
        <a href="/tools/${slug}/edit">${t("authoring.versions.editor_link")}</a>
        <a href="/tools/${slug}/versions">${t("authoring.editor.versions_link")}</a>
      </nav>
      ${notice("warning", this.message)}
      <div class="choices">
        ${this.renderSidePicker("a", query.a, true)} ${this.renderSidePicker("b", query.b, false)}
        <wa-select label=${t("authoring.compare.part")} .value=${query.part} @change=${(e: Event) => this.choose({ part: (e.target as HTMLSelectElement).value as ComparePart })}>
          ${COMPARE_PARTS.map((part) => html`<wa-option value=${part}>${t(`authoring.compare.part.${part}`)}</wa-option>`)}
        </wa-select>
      </div>
      ${texts.a && texts.b
        ? html`<sk-diff-view
            language=${query.part === "source" ? "python" : query.part === "usage_instructions" ? "markdown" : "json"}
            .original=${texts.a[key]}
            .modified=${texts.b[key]}
            original-label=${this.sideLabel(query.a)}
            modified-label=${this.sideLabel(query.b)}
          ></sk-diff-view>`
        : html`<p class="quiet">${t("authoring.compare.choose")}</p>`}
    </div>`;
  }

  private renderSidePicker(which: "a" | "b", current: CompareSide, allowWorking: boolean) {
    const value = current.kind === "working" ? "working" : current.kind === "version" ? current.id : "";
    return html`<wa-select
      label=${which === "a" ? t("authoring.compare.from") : t("authoring.compare.to")}
      .value=${value}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        this.choose({ [which]: v === "working" ? { kind: "working" } : v ? { kind: "version", id: v } : { kind: "none" } });
      }}
    >
      ${allowWorking ? html`<wa-option value="working">${t("authoring.compare.working")}</wa-option>` : nothing}
      ${this.versions.map((v) => html`<wa-option value=${v.id}>${t("authoring.compare.version_label", { number: v.number, state: t(`authoring.state.${v.state}`) })}</wa-option>`)}
    </wa-select>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-tool-compare-page": SkToolComparePage;
  }
}
