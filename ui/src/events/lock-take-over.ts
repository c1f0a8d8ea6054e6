/** An admin asked (in sk-lock-banner) to take over the draft lock someone else holds. */
export class LockTakeOverEvent extends Event {
  constructor() {
    super("sk-lock-take-over", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-lock-take-over": LockTakeOverEvent;
  }
}
