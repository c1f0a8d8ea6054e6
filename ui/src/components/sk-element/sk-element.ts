import { updateWhenLocaleChanges } from "@lit/localize";
import { LitElement } from "lit";

/**
 * Base of every Skriptoteket element: re-renders when the UI language changes, so `t()` texts
 * follow the language switch without a reload. (The text direction is always ltr for sv and en.)
 */
export class SkElement extends LitElement {
  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }
}
