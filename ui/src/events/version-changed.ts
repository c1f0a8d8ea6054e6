import type { Version } from "../api/authoring.api";

/** A review action (submit, publish, request changes, roll back) changed a version's state. */
export class VersionChangedEvent extends Event {
  constructor(readonly version: Version) {
    super("sk-version-changed", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-version-changed": VersionChangedEvent;
  }
}
