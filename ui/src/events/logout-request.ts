/** Asks the app to log the current user out. Bubbles out of shadow roots. */
export class LogoutRequestEvent extends Event {
  constructor() {
    super("sk-logout-request", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-logout-request": LogoutRequestEvent;
  }
}
