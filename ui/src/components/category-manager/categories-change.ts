/** The user's document categories changed (created, edited or deleted): lists and filters reload. */
export class CategoriesChangeEvent extends Event {
  constructor() {
    super("sk-categories-change", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-categories-change": CategoriesChangeEvent;
  }
}
