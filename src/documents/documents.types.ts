// Shapes shared by the documents feature's rules, repository and service (no I/O here).

export const DOCUMENT_STATUSES = ["uploaded", "extracting", "classifying", "needs_review", "done", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** A document that the pipeline still owns: the UI polls while any is shown. */
export const IN_PROGRESS_STATUSES: readonly DocumentStatus[] = ["uploaded", "extracting", "classifying"];

export type SuggestedCategory = { id: string; name: string; source: "rule" | "ai"; confidence: number };

/** What the pipeline proposes; the user accepts (with edits) or rejects it in the review queue. */
export type Suggestion = {
  docType: string | null;
  summary: string | null;
  fields: Record<string, string | null>;
  categories: SuggestedCategory[];
  /** The AI's overall confidence 0..1; null when only the rules ran. */
  confidence: number | null;
  model: string | null;
};

/** Why the pipeline stopped; `detail` is technical text for the log and the admin, never shown as the message. */
export type DocumentFailure = { code: string; detail: string | null; at: Date };
