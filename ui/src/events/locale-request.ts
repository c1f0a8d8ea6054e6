import type { Locale } from "../i18n/locale";

/** Asks the app to switch the UI language (and save it for a logged-in user). Bubbles out of shadow roots. */
export class LocaleRequestEvent extends Event {
  readonly locale: Locale;

  constructor(locale: Locale) {
    super("sk-locale-request", { bubbles: true, composed: true });
    this.locale = locale;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-locale-request": LocaleRequestEvent;
  }
}
