CREATE TABLE `tool_draft_locks` (
	`tool_id` text PRIMARY KEY NOT NULL,
	`holder_id` text NOT NULL,
	`acquired_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`holder_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tool_maintainers` (
	`tool_id` text NOT NULL,
	`user_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`tool_id`, `user_id`),
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tool_maintainers_user_idx` ON `tool_maintainers` (`user_id`);--> statement-breakpoint
CREATE TABLE `tool_suggestion_decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`suggestion_id` text NOT NULL,
	`decision` text NOT NULL,
	`rationale` text,
	`decided_by` text,
	`decided_at` integer NOT NULL,
	FOREIGN KEY (`suggestion_id`) REFERENCES `tool_suggestions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `tool_suggestion_decisions_idx` ON `tool_suggestion_decisions` (`suggestion_id`,`decided_at`);--> statement-breakpoint
CREATE TABLE `tool_suggestions` (
	`id` text PRIMARY KEY NOT NULL,
	`suggested_by` text,
	`suggested_by_pseudonym` text,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`professions` text DEFAULT '[]' NOT NULL,
	`categories` text DEFAULT '[]' NOT NULL,
	`status` text NOT NULL,
	`tool_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`suggested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `tool_suggestions_by_idx` ON `tool_suggestions` (`suggested_by`,`created_at`);--> statement-breakpoint
CREATE INDEX `tool_suggestions_status_idx` ON `tool_suggestions` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `tool_version_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tool_id` text NOT NULL,
	`version_id` text NOT NULL,
	`kind` text NOT NULL,
	`message` text,
	`actor_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `tool_versions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `tool_version_events_tool_idx` ON `tool_version_events` (`tool_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `document_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`keywords` text DEFAULT '[]' NOT NULL,
	`patterns` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_categories_user_name_uq` ON `document_categories` (`user_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `document_category_links` (
	`document_id` text NOT NULL,
	`category_id` text NOT NULL,
	PRIMARY KEY(`document_id`, `category_id`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `document_categories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `document_category_links_category_idx` ON `document_category_links` (`category_id`);--> statement-breakpoint
CREATE TABLE `document_pages` (
	`document_id` text NOT NULL,
	`page` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`document_id`, `page`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`pages` integer,
	`status` text NOT NULL,
	`failure_code` text,
	`failure_detail` text,
	`failed_at` integer,
	`doc_type` text,
	`summary` text,
	`fields` text DEFAULT '{}' NOT NULL,
	`suggestion` text,
	`ai_model` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`processed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `documents_user_created_idx` ON `documents` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `documents_status_idx` ON `documents` (`status`,`updated_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text DEFAULT 'run' NOT NULL,
	`run_id` text,
	`subject_id` text,
	`priority` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 3 NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`available_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_jobs`("id", "kind", "run_id", "subject_id", "priority", "status", "attempts", "max_attempts", "lease_owner", "lease_expires_at", "cancel_requested", "available_at", "created_at") SELECT "id", 'run', "run_id", NULL, "priority", "status", "attempts", "max_attempts", "lease_owner", "lease_expires_at", "cancel_requested", "available_at", "created_at" FROM `jobs`;--> statement-breakpoint
DROP TABLE `jobs`;--> statement-breakpoint
ALTER TABLE `__new_jobs` RENAME TO `jobs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_run_uq` ON `jobs` (`run_id`);--> statement-breakpoint
CREATE INDEX `jobs_subject_idx` ON `jobs` (`subject_id`);--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`kind`,`status`,`priority`,`available_at`);--> statement-breakpoint
CREATE INDEX `jobs_lease_idx` ON `jobs` (`status`,`lease_expires_at`);--> statement-breakpoint
DROP INDEX `tool_versions_number_uq`;--> statement-breakpoint
ALTER TABLE `tool_versions` ADD `sandbox` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `tool_versions_sandbox_hash_idx` ON `tool_versions` (`tool_id`,`sandbox`,`content_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `tool_versions_number_uq` ON `tool_versions` (`tool_id`,`number`) WHERE "sandbox" = 0;