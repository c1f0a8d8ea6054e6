import { html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { WaSelectEvent } from "@awesome.me/webawesome/dist/events/select.js";
import type { User } from "../../api/api-types";
import { LogoutRequestEvent } from "../../events/logout-request";
import { t } from "../../i18n/t";
import { navigate } from "../../router/navigation";
import { displayName } from "../../session/session";
import { SkElement } from "../sk-element/sk-element";
import { userMenuStyles } from "./user-menu.styles";

/**
 * @summary The logged-in user's menu: profile and log out.
 *
 * @event sk-logout-request - The user chose "Log out" (LogoutRequestEvent).
 * @cssproperty [--sk-user-menu-color=inherit] - Text colour of the trigger button.
 * @cssproperty [--sk-user-menu-hover-background=var(--wa-color-neutral-fill-quiet)] - Trigger background on hover.
 */
@customElement("sk-user-menu")
export class SkUserMenu extends SkElement {
  static override styles = userMenuStyles;

  @property({ attribute: false }) user: User | null = null;

  override render() {
    if (!this.user) return null;
    return html`
      <wa-dropdown placement="bottom-end" @wa-select=${this.onSelect}>
        <wa-button slot="trigger" appearance="plain" size="small" with-caret>
          <wa-icon slot="start" name="circle-user"></wa-icon>
          <span class="name">${displayName(this.user)}</span>
          <span class="visually-hidden">${t("shell.user_menu")}</span>
        </wa-button>
        <wa-dropdown-item value="profile">
          <wa-icon slot="icon" name="id-card"></wa-icon>
          ${t("shell.profile")}
        </wa-dropdown-item>
        <wa-dropdown-item value="api-keys">
          <wa-icon slot="icon" name="key"></wa-icon>
          ${t("title.api_keys")}
        </wa-dropdown-item>
        <wa-dropdown-item value="logout">
          <wa-icon slot="icon" name="right-from-bracket"></wa-icon>
          ${t("shell.log_out")}
        </wa-dropdown-item>
      </wa-dropdown>
    `;
  }

  private onSelect(event: WaSelectEvent) {
    const value = event.detail.item.getAttribute("value");
    if (value === "profile") navigate("/profile");
    if (value === "api-keys") navigate("/profile/api-keys");
    if (value === "logout") this.dispatchEvent(new LogoutRequestEvent());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-user-menu": SkUserMenu;
  }
}
