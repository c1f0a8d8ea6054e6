import { css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { artifactsZipUrl, type Artifact } from "../../api/runs.api";
import { formatBytes } from "../../i18n/format";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";

/** "output/mapp/rapport.pdf" → "mapp/rapport.pdf": what the teacher calls the file. */
export function artifactName(path: string): string {
  return path.replace(/^output\//, "");
}

/**
 * @summary The files a run produced: each as a download (attachment, owner only), and all of them
 * together as one zip.
 */
@customElement("sk-artifact-list")
export class SkArtifactList extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0 0 var(--wa-space-m);
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--wa-space-xs);
    }
    li {
      display: flex;
      align-items: center;
      gap: var(--wa-space-s);
      overflow-wrap: anywhere;
    }
    a {
      color: var(--wa-color-text-link);
      font-weight: var(--wa-font-weight-semibold);
    }
    a:focus-visible {
      outline: var(--wa-focus-ring);
      outline-offset: var(--wa-focus-ring-offset);
    }
    .size {
      color: var(--wa-color-text-quiet);
      font-size: var(--wa-font-size-s);
      white-space: nowrap;
    }
    wa-icon {
      color: var(--wa-color-text-quiet);
      flex: none;
    }
    wa-button {
      max-width: 100%;
    }
    wa-button::part(base) {
      height: auto;
      min-height: var(--wa-form-control-height);
      white-space: normal;
    }
  `;

  @property() runId = "";
  @property({ attribute: false }) artifacts: Artifact[] = [];

  override render() {
    if (this.artifacts.length === 0) return nothing;
    return html`
      <ul>
        ${this.artifacts.map(
          (a) => html`<li>
            <wa-icon name="file" aria-hidden="true"></wa-icon>
            <a href=${a.download_url} download=${artifactName(a.path).split("/").pop() ?? ""}>${artifactName(a.path)}</a>
            <span class="size">${formatBytes(a.bytes)}</span>
          </li>`,
        )}
      </ul>
      ${this.artifacts.length > 1
        ? html`<wa-button appearance="outlined" href=${artifactsZipUrl(this.runId)} download="">
            <wa-icon slot="start" name="file-zipper"></wa-icon>${t("result.download_all", { n: this.artifacts.length })}
          </wa-button>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-artifact-list": SkArtifactList;
  }
}
