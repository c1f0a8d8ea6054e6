CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`label_sv` text NOT NULL,
	`label_en` text NOT NULL,
	`sort_order` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_slug_uq` ON `categories` (`slug`);--> statement-breakpoint
CREATE TABLE `professions` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`label_sv` text NOT NULL,
	`label_en` text NOT NULL,
	`sort_order` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `professions_slug_uq` ON `professions` (`slug`);--> statement-breakpoint
CREATE TABLE `tool_categories` (
	`tool_id` text NOT NULL,
	`category_id` text NOT NULL,
	PRIMARY KEY(`tool_id`, `category_id`),
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `tool_categories_category_idx` ON `tool_categories` (`category_id`,`tool_id`);--> statement-breakpoint
CREATE TABLE `tool_favorites` (
	`user_id` text NOT NULL,
	`tool_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `tool_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tool_favorites_tool_idx` ON `tool_favorites` (`tool_id`);--> statement-breakpoint
CREATE TABLE `tool_instructions_seen` (
	`user_id` text NOT NULL,
	`tool_id` text NOT NULL,
	`version_id` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `tool_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `tool_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tool_instructions_seen_tool_idx` ON `tool_instructions_seen` (`tool_id`);--> statement-breakpoint
CREATE INDEX `tool_instructions_seen_version_idx` ON `tool_instructions_seen` (`version_id`);--> statement-breakpoint
CREATE TABLE `tool_professions` (
	`tool_id` text NOT NULL,
	`profession_id` text NOT NULL,
	PRIMARY KEY(`tool_id`, `profession_id`),
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profession_id`) REFERENCES `professions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `tool_professions_profession_idx` ON `tool_professions` (`profession_id`,`tool_id`);--> statement-breakpoint
CREATE TABLE `tool_publications` (
	`tool_id` text PRIMARY KEY NOT NULL,
	`first_published_at` integer NOT NULL,
	FOREIGN KEY (`tool_id`) REFERENCES `tools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tool_publications_time_idx` ON `tool_publications` (`first_published_at`);