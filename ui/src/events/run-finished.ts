import type { RunStatus } from "../api/runs.api";

/** The run an sk-run-progress follows has finished (succeeded, failed, timed out or was cancelled). */
export class RunFinishedEvent extends Event {
  constructor(
    readonly runId: string,
    readonly status: RunStatus,
  ) {
    super("sk-run-finished", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-run-finished": RunFinishedEvent;
  }
}
