DROP INDEX `jobs_subject_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_active_subject_uq` ON `jobs` (`subject_id`) WHERE status <> 'done';--> statement-breakpoint
-- Full-text search over each document's name, summary and extracted text (hand-written: drizzle has no
-- virtual tables). documents.repository.ts rewrites a document's row whenever its text or summary
-- changes, and deletes it with the document. Same tokenizer as the catalog's tool_search: å/ä/ö fold,
-- and query words are stemmed by search.rules.ts and matched as prefixes.
CREATE VIRTUAL TABLE `document_search` USING fts5(
	document_id UNINDEXED,
	user_id UNINDEXED,
	name,
	summary,
	body,
	tokenize = 'unicode61 remove_diacritics 2'
);
