DROP INDEX `tool_versions_sandbox_hash_idx`;--> statement-breakpoint
DROP INDEX `tool_versions_number_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `tool_versions_number_uq` ON `tool_versions` (`tool_id`,`number`);--> statement-breakpoint
ALTER TABLE `tool_versions` DROP COLUMN `sandbox`;