/** The stored documents chosen as a run's input files changed. */
export class DocumentsChooseEvent extends Event {
  constructor(readonly documents: ReadonlyArray<{ id: string; name: string; bytes: number }>) {
    super("sk-documents-choose", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-documents-choose": DocumentsChooseEvent;
  }
}
