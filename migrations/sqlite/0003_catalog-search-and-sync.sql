-- Catalog search and the indexes kept in sync with tools by triggers (hand-written; drizzle has no
-- virtual tables or triggers). Any path that writes tools (import, review, admin) keeps the catalog
-- right without calling the catalog.
--
-- tool_search: FTS5 over every tool's title, summary and active version's usage instructions.
-- unicode61 with remove_diacritics 2 folds å/ä/ö (and é, ü, …) in text and queries alike, so
-- "lasbarhet" finds "läsbarhet". `joined` repeats the text with hyphens removed, so "epost" also finds
-- "e-post"; it is given weight 0 when ranking. FTS5 has no Swedish stemmer: the catalog stems query
-- words itself (swedish-stemmer.rules.ts) and matches them as prefixes.
CREATE VIRTUAL TABLE `tool_search` USING fts5(
	tool_id UNINDEXED,
	title,
	summary,
	instructions,
	joined,
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- A new tool: link its declared tags that exist in the taxonomy, index its text, note a publication.
CREATE TRIGGER `catalog_tools_after_insert` AFTER INSERT ON `tools` BEGIN
	INSERT INTO tool_professions (tool_id, profession_id)
		SELECT DISTINCT NEW.id, p.id FROM json_each(NEW.professions) AS j JOIN professions AS p ON p.slug = j.value;
	INSERT INTO tool_categories (tool_id, category_id)
		SELECT DISTINCT NEW.id, c.id FROM json_each(NEW.categories) AS j JOIN categories AS c ON c.slug = j.value;
	INSERT INTO tool_search (tool_id, title, summary, instructions, joined)
		SELECT NEW.id, NEW.title, NEW.summary, i.text, replace(NEW.title || ' ' || NEW.summary || ' ' || i.text, '-', '')
		FROM (SELECT coalesce((SELECT usage_instructions FROM tool_versions WHERE id = NEW.active_version_id), '') AS text) AS i;
	INSERT INTO tool_publications (tool_id, first_published_at) SELECT NEW.id, NEW.updated_at WHERE NEW.is_published;
END;
--> statement-breakpoint
CREATE TRIGGER `catalog_tools_after_update_professions` AFTER UPDATE OF professions ON `tools` BEGIN
	DELETE FROM tool_professions WHERE tool_id = NEW.id;
	INSERT INTO tool_professions (tool_id, profession_id)
		SELECT DISTINCT NEW.id, p.id FROM json_each(NEW.professions) AS j JOIN professions AS p ON p.slug = j.value;
END;
--> statement-breakpoint
CREATE TRIGGER `catalog_tools_after_update_categories` AFTER UPDATE OF categories ON `tools` BEGIN
	DELETE FROM tool_categories WHERE tool_id = NEW.id;
	INSERT INTO tool_categories (tool_id, category_id)
		SELECT DISTINCT NEW.id, c.id FROM json_each(NEW.categories) AS j JOIN categories AS c ON c.slug = j.value;
END;
--> statement-breakpoint
-- A changed title or summary, or another active version (publish, rollback): index the text again.
CREATE TRIGGER `catalog_tools_after_update_text` AFTER UPDATE OF title, summary, active_version_id ON `tools` BEGIN
	DELETE FROM tool_search WHERE tool_id = NEW.id;
	INSERT INTO tool_search (tool_id, title, summary, instructions, joined)
		SELECT NEW.id, NEW.title, NEW.summary, i.text, replace(NEW.title || ' ' || NEW.summary || ' ' || i.text, '-', '')
		FROM (SELECT coalesce((SELECT usage_instructions FROM tool_versions WHERE id = NEW.active_version_id), '') AS text) AS i;
END;
--> statement-breakpoint
-- The first publication is kept: unpublishing and publishing again does not make a tool "new".
CREATE TRIGGER `catalog_tools_after_publish` AFTER UPDATE OF is_published ON `tools` WHEN NEW.is_published AND NOT OLD.is_published BEGIN
	INSERT OR IGNORE INTO tool_publications (tool_id, first_published_at) VALUES (NEW.id, NEW.updated_at);
END;
--> statement-breakpoint
-- Links, favorites and publications go by foreign key cascade; the FTS table has none.
CREATE TRIGGER `catalog_tools_after_delete` AFTER DELETE ON `tools` BEGIN
	DELETE FROM tool_search WHERE tool_id = OLD.id;
END;
--> statement-breakpoint
-- Version content is immutable by design; should instructions ever be rewritten, the index follows.
CREATE TRIGGER `catalog_versions_after_update_instructions` AFTER UPDATE OF usage_instructions ON `tool_versions` BEGIN
	DELETE FROM tool_search WHERE tool_id IN (SELECT id FROM tools WHERE active_version_id = NEW.id);
	INSERT INTO tool_search (tool_id, title, summary, instructions, joined)
		SELECT t.id, t.title, t.summary, NEW.usage_instructions, replace(t.title || ' ' || t.summary || ' ' || NEW.usage_instructions, '-', '')
		FROM tools AS t WHERE t.active_version_id = NEW.id;
END;
--> statement-breakpoint
-- A taxonomy entry added later links the tools that already declare its slug.
CREATE TRIGGER `catalog_professions_after_insert` AFTER INSERT ON `professions` BEGIN
	INSERT OR IGNORE INTO tool_professions (tool_id, profession_id)
		SELECT t.id, NEW.id FROM tools AS t, json_each(t.professions) AS j WHERE j.value = NEW.slug;
END;
--> statement-breakpoint
CREATE TRIGGER `catalog_categories_after_insert` AFTER INSERT ON `categories` BEGIN
	INSERT OR IGNORE INTO tool_categories (tool_id, category_id)
		SELECT t.id, NEW.id FROM tools AS t, json_each(t.categories) AS j WHERE j.value = NEW.slug;
END;
--> statement-breakpoint
-- One number that grows with every change the published catalog could show: the server keeps the
-- catalog in memory and rebuilds it only when this moved (also when another process, e.g. `tool
-- import`, changed the store). Bumped in the same transaction as the change.
CREATE TABLE `catalog_revision` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`rev` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `catalog_revision` (`id`, `rev`) VALUES (1, 1);
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_tools_insert` AFTER INSERT ON `tools` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_tools_update` AFTER UPDATE ON `tools` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_tools_delete` AFTER DELETE ON `tools` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_professions_insert` AFTER INSERT ON `professions` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_professions_update` AFTER UPDATE ON `professions` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_professions_delete` AFTER DELETE ON `professions` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_categories_insert` AFTER INSERT ON `categories` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_categories_update` AFTER UPDATE ON `categories` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
CREATE TRIGGER `catalog_revision_categories_delete` AFTER DELETE ON `categories` BEGIN UPDATE catalog_revision SET rev = rev + 1; END;
--> statement-breakpoint
-- The starting taxonomy (admins add, rename, reorder and remove entries later). Inserted after the
-- triggers above, so tools that already declare these slugs are linked.
INSERT INTO `professions` (`id`, `slug`, `label_sv`, `label_en`, `sort_order`) VALUES
	('01a2091a-5de5-735b-bded-8f673c93fb92', 'larare', 'Lärare', 'Teacher', 1),
	('01a2091a-5df1-7345-8828-60e5bb1997fc', 'specialpedagog', 'Specialpedagog', 'Special needs educator', 2),
	('01a2091a-5df6-7495-8ba0-334dccb617a9', 'skoladministrator', 'Skoladministratör', 'School administrator', 3),
	('01a2091a-5e01-73c3-b8aa-a5fbc77dbaf9', 'rektor', 'Rektor', 'Principal', 4),
	('01a2091a-5e0b-713b-b349-a4e01344c110', 'gemensamt', 'Gemensamt', 'Everyone', 5);
--> statement-breakpoint
INSERT INTO `categories` (`id`, `slug`, `label_sv`, `label_en`, `sort_order`) VALUES
	('01a2091a-5e0f-7489-9e7d-c26a94aa50dc', 'lektionsplanering', 'Lektionsplanering', 'Lesson planning', 1),
	('01a2091a-5e18-7672-a467-ce17fa8f7f66', 'mentorskap', 'Mentorskap', 'Mentoring', 2),
	('01a2091a-5e22-710c-b6b3-e0d359ee0ef2', 'administration', 'Administration', 'Administration', 3),
	('01a2091a-5e29-7653-b405-316a8cb2d4d6', 'ovrigt', 'Övrigt', 'Other', 4);
--> statement-breakpoint
-- Tools that existed before this migration.
INSERT INTO `tool_search` (tool_id, title, summary, instructions, joined)
	SELECT t.id, t.title, t.summary, coalesce(v.usage_instructions, ''), replace(t.title || ' ' || t.summary || ' ' || coalesce(v.usage_instructions, ''), '-', '')
	FROM tools AS t LEFT JOIN tool_versions AS v ON v.id = t.active_version_id;
--> statement-breakpoint
INSERT INTO `tool_publications` (tool_id, first_published_at) SELECT id, updated_at FROM tools WHERE is_published;
