/**
 * The assistant proposes a change: `detail.diff` is a unified diff of the tool's source (the content
 * of one ```diff block of an answer). The editor previews it in its diff view and applies or undoes it.
 */
export class AssistantProposeEvent extends CustomEvent<{ diff: string }> {
  constructor(diff: string) {
    super("sk-assistant-propose", { bubbles: true, composed: true, detail: { diff } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-assistant-propose": AssistantProposeEvent;
  }
}
