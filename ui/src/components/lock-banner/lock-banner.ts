import { css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { EditorAccess } from "../../authoring/draft-lock.rules";
import { LockTakeOverEvent } from "../../events/lock-take-over";
import { formatDateTime } from "../../i18n/format";
import { t } from "../../i18n/t";
import { notice } from "../notice/notice";
import { SkElement } from "../sk-element/sk-element";

/**
 * @summary Says who may edit the draft right now: the user (they hold the draft lock), someone else
 * (named, with when the lock runs out; the editor is read-only; admins get "Take over"), or nobody
 * (read-only).
 *
 * @event sk-lock-take-over - An admin asked to take the lock over.
 */
@customElement("sk-lock-banner")
export class SkLockBanner extends SkElement {
  static override styles = css`
    :host {
      display: block;
    }
    .take-over {
      margin-top: var(--wa-space-xs);
    }
  `;

  @property({ attribute: false }) access: EditorAccess | null = null;
  @property({ type: Boolean }) busy = false;

  override render() {
    const access = this.access;
    if (!access) return nothing;
    switch (access.kind) {
      case "editing":
        return notice("success", t("authoring.lock.mine"));
      case "read_only":
        return notice("info", t("authoring.lock.read_only"));
      case "locked":
        return notice(
          "warning",
          t("authoring.lock.held_by", { name: access.holder.name, email: access.holder.email, time: formatDateTime(access.expiresAt) }),
          access.canTakeOver
            ? html`<div class="take-over">
                <wa-button size="small" variant="warning" ?loading=${this.busy} @click=${() => this.dispatchEvent(new LockTakeOverEvent())}
                  >${t("authoring.lock.take_over")}</wa-button
                >
              </div>`
            : nothing,
        );
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-lock-banner": SkLockBanner;
  }
}
