import type { StoredDocument } from "../../api/documents.api";

/** New documents were uploaded and queued for processing. */
export class DocumentsUploadedEvent extends Event {
  constructor(readonly documents: StoredDocument[]) {
    super("sk-documents-uploaded", { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sk-documents-uploaded": DocumentsUploadedEvent;
  }
}
