/** A tool was made a favorite or no longer is (already saved on the server). */
export class FavoriteChangeEvent extends Event {
  constructor(
    readonly slug: string,
    readonly favorite: boolean,
  ) {
    super("sk-favorite-change", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-favorite-change": FavoriteChangeEvent;
  }
}
