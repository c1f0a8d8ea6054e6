import { css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { FilesChangeEvent } from "../../events/files-change";
import { formatBytes, formatList } from "../../i18n/format";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";
import { addFiles, fileProblems, maxFileCount, normalizeAccept, type FileLimits, type FileProblem } from "./file-rules";

/**
 * @summary The file field of a tool's form: a button that opens the system's file chooser and a drop
 * zone for drag and drop, the limits (types, count, total size) shown before anything is uploaded, the
 * chosen files with a remove button each, and problems at the field.
 *
 * @event sk-files-change - The chosen files changed (`event.files`).
 */
@customElement("sk-file-picker")
export class SkFilePicker extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    fieldset {
      border: none;
      margin: 0;
      padding: 0;
      min-width: 0;
    }
    legend {
      font-weight: var(--wa-font-weight-semibold);
      padding: 0;
      margin-bottom: var(--wa-space-2xs);
    }
    .required {
      margin-inline-start: 0.1em;
    }
    .zone {
      border: 2px dashed var(--wa-color-surface-border);
      border-radius: var(--wa-border-radius-l);
      padding: var(--wa-space-m);
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--wa-space-s) var(--wa-space-m);
      background: var(--wa-color-surface-default);
    }
    .zone.over {
      border-color: var(--wa-color-brand-border-loud);
      background: var(--wa-color-brand-fill-quiet);
    }
    .zone p {
      margin: 0;
      color: var(--wa-color-text-quiet);
    }
    .limits,
    .help {
      font-size: var(--wa-font-size-s);
      color: var(--wa-color-text-quiet);
      margin: var(--wa-space-2xs) 0 0;
    }
    .error {
      font-size: var(--wa-font-size-s);
      color: var(--wa-color-danger-on-quiet);
      font-weight: var(--wa-font-weight-semibold);
      margin: var(--wa-space-2xs) 0 0;
    }
    input[type="file"] {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
      overflow: hidden;
      pointer-events: none;
    }
    ul {
      list-style: none;
      margin: var(--wa-space-s) 0 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-2xs);
    }
    li {
      display: flex;
      align-items: center;
      gap: var(--wa-space-s);
      overflow-wrap: anywhere;
    }
    li .name {
      flex: 1;
      min-width: 0;
    }
    li .size {
      color: var(--wa-color-text-quiet);
      font-size: var(--wa-font-size-s);
      white-space: nowrap;
    }
  `;

  /** The field's label. */
  @property() label = "";
  @property() help = "";
  @property({ type: Boolean }) required = false;
  /** The field's accept list and counts plus the site's limits. */
  @property({ attribute: false }) limits: FileLimits = { accept: [], min: 0, max: 1, maxFiles: 10, maxMb: 50 };
  /** A problem from the server (422 at the field or at /files) shown under the field. */
  @property() error = "";
  @property({ type: Boolean }) disabled = false;

  @state() private files: File[] = [];
  @state() private problems: FileProblem[] = [];
  @state() private refusedNames: string[] = [];
  @state() private over = false;
  @query("input[type=file]") private input!: HTMLInputElement;

  /** The chosen files. */
  get value(): File[] {
    return this.files;
  }

  /** Problems to fix before the run may start (also shown at the field); [] when fine. */
  checkForSubmit(): string[] {
    this.problems = fileProblems(this.files, this.limits, { submitting: true });
    return this.problemTexts();
  }

  /** Empties the list (after a run was sent, a tool may need new files). */
  clear(): void {
    this.setFiles([]);
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>("wa-button")?.focus(options);
  }

  private setFiles(files: File[]) {
    this.files = files;
    this.problems = fileProblems(files, this.limits, { submitting: false });
    this.dispatchEvent(new FilesChangeEvent(files));
  }

  private add(chosen: File[]) {
    const { files, refused } = addFiles(this.files, chosen, this.limits);
    this.refusedNames = refused.map((f) => f.name);
    this.setFiles(files);
  }

  private problemTexts(): string[] {
    const texts = this.problems.map((p) => {
      switch (p.code) {
        case "too_many":
          return p.limit === 1 ? t("files.too_many_one") : t("files.too_many", { n: p.limit });
        case "too_few":
          return p.limit === 1 ? t("files.too_few_one") : t("files.too_few", { n: p.limit });
        case "too_large":
          return t("files.too_large", { mb: p.limitMb });
        case "type":
          return t("files.type_refused", { names: p.name });
      }
    });
    if (this.refusedNames.length) texts.unshift(t("files.type_refused", { names: formatList(this.refusedNames) }));
    return texts;
  }

  private limitsText(): string {
    const accept = normalizeAccept(this.limits.accept).filter((a) => a !== "*/*");
    const most = maxFileCount(this.limits);
    const parts = [
      accept.length ? t("files.limit_types", { types: formatList(accept) }) : t("files.limit_any_type"),
      most === 1
        ? this.limits.min === 1
          ? t("files.limit_one")
          : t("files.limit_max_one")
        : this.limits.min > 1 && this.limits.min === most
          ? t("files.limit_exactly", { n: most })
          : this.limits.min > 0
            ? t("files.limit_between", { min: this.limits.min, max: most })
            : t("files.limit_max", { max: most }),
      t("files.limit_size", { mb: this.limits.maxMb }),
    ];
    return parts.join(" ");
  }

  override render() {
    const texts = [...this.problemTexts(), ...(this.error ? [this.error] : [])];
    const accept = normalizeAccept(this.limits.accept).filter((a) => a !== "*/*");
    const multiple = maxFileCount(this.limits) > 1;
    return html`
      <fieldset aria-describedby=${["limits", this.help ? "help" : "", texts.length ? "errors" : ""].filter(Boolean).join(" ")}>
        <legend>${this.label}${this.required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</legend>
        <div
          class="zone ${this.over ? "over" : ""}"
          @dragenter=${this.onDragOver}
          @dragover=${this.onDragOver}
          @dragleave=${this.onDragLeave}
          @drop=${this.onDrop}
        >
          <input
            type="file"
            id="file-input"
            tabindex="-1"
            aria-hidden="true"
            ?multiple=${multiple}
            accept=${accept.length ? accept.join(",") : nothing}
            @change=${this.onInputChange}
          />
          <wa-button appearance="outlined" ?disabled=${this.disabled} @click=${() => this.input.click()}>
            <wa-icon slot="start" name="file-arrow-up"></wa-icon>
            ${multiple ? t("files.choose_many") : t("files.choose_one")}
          </wa-button>
          <p>${t("files.or_drop")}</p>
        </div>
        <p class="limits" id="limits">${this.limitsText()}</p>
        ${this.help ? html`<p class="help" id="help">${this.help}</p>` : nothing}
        <div id="errors" role="alert">${texts.map((text) => html`<p class="error">${text}</p>`)}</div>
        ${this.files.length
          ? html`<ul aria-label=${t("files.chosen", { n: this.files.length })}>
              ${this.files.map(
                (file) => html`<li>
                  <wa-icon name="file" aria-hidden="true"></wa-icon>
                  <span class="name">${file.name}</span>
                  <span class="size">${formatBytes(file.size)}</span>
                  <wa-button
                    size="s"
                    appearance="plain"
                    ?disabled=${this.disabled}
                    @click=${() => this.setFiles(this.files.filter((f) => f !== file))}
                    aria-label=${t("files.remove", { name: file.name })}
                  >
                    <wa-icon name="xmark" label=${t("files.remove", { name: file.name })}></wa-icon>
                  </wa-button>
                </li>`,
              )}
            </ul>`
          : nothing}
      </fieldset>
    `;
  }

  private onInputChange() {
    const chosen = [...(this.input.files ?? [])];
    // Reset, so choosing the same file again after removing it fires change again.
    this.input.value = "";
    if (chosen.length) this.add(chosen);
  }

  private onDragOver(event: DragEvent) {
    if (this.disabled || !event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    this.over = true;
  }

  private onDragLeave(event: DragEvent) {
    // Leaving for a child of the zone is not leaving the zone.
    if (event.currentTarget instanceof Node && event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
    this.over = false;
  }

  private onDrop(event: DragEvent) {
    if (this.disabled) return;
    event.preventDefault();
    this.over = false;
    const dropped = [...(event.dataTransfer?.files ?? [])];
    if (dropped.length) this.add(dropped);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-file-picker": SkFilePicker;
  }
}
