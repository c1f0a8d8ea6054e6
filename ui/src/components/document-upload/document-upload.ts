import { css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { isApiError } from "../../api/api-error";
import { uploadDocuments } from "../../api/documents.api";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";
import { DocumentsUploadedEvent } from "./documents-uploaded";

/**
 * @summary Uploads PDFs to the user's documents: a button that opens the file chooser (several files at
 * once) and a drop zone. Files go up as soon as they are chosen; the server checks the bytes (a file is a
 * PDF by its content, never by its name) and the limits, which are shown beforehand.
 *
 * @event sk-documents-uploaded - New documents were stored (`event.documents`).
 */
@customElement("sk-document-upload")
export class SkDocumentUpload extends SkElement {
  static override styles = css`
    :host {
      display: block;
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
    .limits {
      font-size: var(--wa-font-size-s);
      color: var(--wa-color-text-quiet);
      margin: var(--wa-space-2xs) 0 var(--wa-space-s);
    }
    input[type="file"] {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
      overflow: hidden;
      pointer-events: none;
    }
  `;

  /** The most files and megabytes per upload (from the documents meta). */
  @property({ type: Number, attribute: "max-files" }) maxFiles = 10;
  @property({ type: Number, attribute: "max-mb" }) maxMb = 20;

  @state() private over = false;
  @state() private uploading = 0;
  @state() private message: { kind: "success" | "danger"; text: string } | null = null;
  @query("input[type=file]") private input!: HTMLInputElement;

  override render() {
    return html`
      <div
        class="zone ${this.over ? "over" : ""}"
        @dragenter=${this.onDragOver}
        @dragover=${this.onDragOver}
        @dragleave=${this.onDragLeave}
        @drop=${this.onDrop}
      >
        <input type="file" tabindex="-1" aria-hidden="true" multiple accept="application/pdf,.pdf" @change=${this.onInputChange} />
        <wa-button variant="brand" ?loading=${this.uploading > 0} ?disabled=${this.uploading > 0} @click=${() => this.input.click()}>
          <wa-icon slot="start" name="file-arrow-up"></wa-icon>${t("documents.upload_choose")}
        </wa-button>
        <p>${t("documents.upload_or_drop")}</p>
      </div>
      <p class="limits">${t("documents.upload_limits", { n: this.maxFiles, mb: this.maxMb })}</p>
      <div aria-live="polite">${this.uploading > 0 ? html`<p role="status">${t("documents.uploading", { n: this.uploading })}</p>` : nothing}</div>
      ${this.message ? notice(this.message.kind, this.message.text) : nothing}
    `;
  }

  private async upload(files: File[]) {
    if (files.length === 0 || this.uploading > 0) return;
    if (files.length > this.maxFiles) {
      this.message = { kind: "danger", text: t("documents.upload_too_many", { n: this.maxFiles }) };
      return;
    }
    this.message = null;
    this.uploading = files.length;
    try {
      const documents = await uploadDocuments(files);
      this.message = { kind: "success", text: t("documents.uploaded", { n: documents.length }) };
      this.dispatchEvent(new DocumentsUploadedEvent(documents));
    } catch (error) {
      this.message = { kind: "danger", text: uploadErrorText(error) };
    } finally {
      this.uploading = 0;
    }
  }

  private onInputChange() {
    const chosen = [...(this.input.files ?? [])];
    // Reset, so choosing the same file again fires change again.
    this.input.value = "";
    void this.upload(chosen);
  }

  private onDragOver(event: DragEvent) {
    if (!event.dataTransfer?.types.includes("Files")) return;
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
    event.preventDefault();
    this.over = false;
    void this.upload([...(event.dataTransfer?.files ?? [])]);
  }
}

/** The upload's own refusals name the file or the limit (from the error's details); others as usual. */
function uploadErrorText(error: unknown): string {
  if (isApiError(error) && typeof error.details === "object" && error.details !== null) {
    const details = error.details as Record<string, unknown>;
    if (error.code === "documents.not_pdf" && typeof details.name === "string") return t("documents.not_pdf", { name: details.name });
    if (error.code === "documents.too_large" && typeof details.max_mb === "number") return t("documents.too_large", { mb: details.max_mb });
  }
  return errorText(error);
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-document-upload": SkDocumentUpload;
  }
}
