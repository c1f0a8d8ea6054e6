/** The author changed the text of an sk-code-editor (or sk-markdown-editor). */
export class CodeChangeEvent extends Event {
  constructor(readonly value: string) {
    super("sk-code-change", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-code-change": CodeChangeEvent;
  }
}
