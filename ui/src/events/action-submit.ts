/** A next action's button was pressed with valid values for the action's fields. */
export class ActionSubmitEvent extends Event {
  constructor(
    readonly actionId: string,
    readonly input: Record<string, unknown>,
  ) {
    super("sk-action-submit", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-action-submit": ActionSubmitEvent;
  }
}
