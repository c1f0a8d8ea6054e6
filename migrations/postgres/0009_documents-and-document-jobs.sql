DROP INDEX "jobs_subject_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_active_subject_uq" ON "jobs" USING btree ("subject_id") WHERE status <> 'done';--> statement-breakpoint
-- Full-text search over each document's name (A), summary (B) and extracted text (D), with the
-- catalog's Swedish stemming configuration (catalog_search_words from the catalog search migration).
-- documents.repository.ts rewrites a document's row whenever its text or summary changes.
CREATE TABLE "document_search" (
	"document_id" text PRIMARY KEY NOT NULL REFERENCES "documents"("id") ON DELETE CASCADE,
	"user_id" text NOT NULL,
	"document" tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX "document_search_document_idx" ON "document_search" USING gin ("document");
