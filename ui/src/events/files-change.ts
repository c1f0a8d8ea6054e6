/** The files chosen in an sk-file-picker changed (added, replaced or removed). */
export class FilesChangeEvent extends Event {
  constructor(readonly files: File[]) {
    super("sk-files-change", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-files-change": FilesChangeEvent;
  }
}
