import type { ApiError } from "../api/api-error";

/** The sandbox refused the editor's buffer (422 validation.failed): the editor shows the problems. */
export class SandboxInvalidEvent extends Event {
  constructor(readonly error: ApiError) {
    super("sk-sandbox-invalid", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-sandbox-invalid": SandboxInvalidEvent;
  }
}
