import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { LocaleRequestEvent } from "../../events/locale-request";
import { currentLocale, LOCALE_NAMES, type Locale } from "../../i18n/locale";
import { t } from "../../i18n/t";
import { SkElement } from "../sk-element/sk-element";
import { languageSwitchStyles } from "./language-switch.styles";

/**
 * @summary Switches the UI between Swedish and English.
 *
 * Shows the other language's own name ("English" while the UI is Swedish, "Svenska" while it is
 * English), marked with its `lang` so screen readers pronounce it right. One press switches.
 *
 * @event sk-locale-request - The user asked for the other language (LocaleRequestEvent).
 * @cssproperty [--sk-language-switch-color=inherit] - Text colour of the button.
 * @cssproperty [--sk-language-switch-hover-background=var(--wa-color-neutral-fill-quiet)] - Background on hover.
 */
@customElement("sk-language-switch")
export class SkLanguageSwitch extends SkElement {
  static override styles = languageSwitchStyles;

  override render() {
    const other: Locale = currentLocale() === "sv" ? "en" : "sv";
    return html`
      <wa-button
        appearance="plain"
        size="small"
        lang=${other}
        title=${t("shell.language_switch_label")}
        @click=${() => this.dispatchEvent(new LocaleRequestEvent(other))}
      >
        <wa-icon slot="start" name="globe"></wa-icon>
        ${LOCALE_NAMES[other]}
      </wa-button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sk-language-switch": SkLanguageSwitch;
  }
}
