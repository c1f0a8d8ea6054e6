import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { publishVersion, requestChanges, rollbackTo, submitForReview, type ToolDetail, type Version, type VersionSummary } from "../../api/authoring.api";
import { VersionChangedEvent } from "../../events/version-changed";
import { errorText } from "../../i18n/error-messages";
import { t } from "../../i18n/t";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";

type Pending = "submit" | "publish" | "request" | "rollback" | null;

/**
 * @summary The review step a version is at, as actions for whoever may take them: a draft can be
 * submitted (with a note) by its maintainers; a version in review can be published or sent back with a
 * message by admins; an archived version can be made active again by superusers.
 *
 * @event sk-version-changed - The action succeeded (`version` is the updated version).
 */
@customElement("sk-review-actions")
export class SkReviewActions extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: var(--wa-space-s);
      margin-top: var(--wa-space-xs);
    }
    wa-input,
    wa-textarea {
      flex: 1 1 14rem;
      min-width: 0;
    }
    /* Long Swedish button texts wrap instead of widening a 320 px screen. */
    wa-button {
      max-width: 100%;
    }
    wa-button::part(button) {
      height: auto;
      min-height: var(--wa-form-control-height);
      white-space: normal;
    }
    wa-button::part(label) {
      white-space: normal;
    }
  `;

  @property({ attribute: false }) toolId = "";
  @property({ attribute: false }) version: VersionSummary | null = null;
  @property({ attribute: false }) can: ToolDetail["can"] | null = null;
  @state() private busy: Pending = null;
  @state() private error: string | null = null;

  override render() {
    const version = this.version;
    const can = this.can;
    if (!version || !can) return nothing;
    const n = version.number;
    if (version.state === "draft" && can.edit) {
      return this.form("submit", html`<wa-input name="text" label=${t("authoring.review.submit_note")}></wa-input>`, t("authoring.review.submit", { number: n }), "success");
    }
    if (version.state === "in_review" && can.review) {
      return html`${this.form("publish", html`<wa-input name="text" label=${t("authoring.review.publish_note")}></wa-input>`, t("authoring.review.publish", { number: n }), "brand")}
      ${this.form("request", html`<wa-textarea name="text" rows="2" required label=${t("authoring.review.request_message")}></wa-textarea>`, t("authoring.review.request"), "warning")}`;
    }
    if (version.state === "archived" && can.rollback) {
      return this.form("rollback", html`<wa-input name="text" label=${t("authoring.review.rollback_note")}></wa-input>`, t("authoring.review.rollback", { number: n }), "danger");
    }
    return nothing;
  }

  private form(kind: Exclude<Pending, null>, field: unknown, label: string, variant: string) {
    return html`${this.error && this.busy === null ? notice("danger", this.error) : nothing}
      <form novalidate data-action=${kind} @submit=${(e: SubmitEvent) => void this.run(e, kind)}>
        ${field}
        <wa-button type="submit" variant=${variant} ?loading=${this.busy === kind} ?disabled=${this.busy !== null}>${label}</wa-button>
      </form>`;
  }

  private async run(event: SubmitEvent, kind: Exclude<Pending, null>) {
    event.preventDefault();
    const version = this.version;
    if (!version || this.busy) return;
    const text = ((event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("[name=text]")?.value ?? "").trim();
    if (kind === "request" && !text) {
      this.error = t("authoring.review.message_required");
      return;
    }
    this.busy = kind;
    this.error = null;
    try {
      const calls: Record<Exclude<Pending, null>, () => Promise<Version>> = {
        submit: () => submitForReview(this.toolId, version.id, text),
        publish: () => publishVersion(this.toolId, version.id, text),
        request: () => requestChanges(this.toolId, version.id, text),
        rollback: () => rollbackTo(this.toolId, version.id, text),
      };
      this.dispatchEvent(new VersionChangedEvent(await calls[kind]()));
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = null;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-review-actions": SkReviewActions;
  }
}
