-- Catalog search and the indexes kept in sync with tools by triggers (hand-written; drizzle has no
-- tsvector columns or triggers). Any path that writes tools (import, review, admin) keeps the catalog
-- right without calling the catalog.
--
-- Two text search configurations: skriptoteket_swedish (the Snowball Swedish stemmer) and
-- skriptoteket_simple (whole words, so partial words still match as prefixes where the stem of a
-- partial word would not). Both fold accents with the unaccent dictionary when the extension is
-- available (Debian's postgresql-15 ships it; it is a trusted extension, so the database owner may
-- create it). Without it, search still stems but "lasbarhet" no longer finds "läsbarhet".
DO $$
BEGIN
	BEGIN
		CREATE EXTENSION IF NOT EXISTS unaccent;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'unaccent is not available (%); catalog search will not fold accents', SQLERRM;
	END;
	CREATE TEXT SEARCH CONFIGURATION skriptoteket_swedish (COPY = pg_catalog.swedish);
	CREATE TEXT SEARCH CONFIGURATION skriptoteket_simple (COPY = pg_catalog.simple);
	IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
		ALTER TEXT SEARCH CONFIGURATION skriptoteket_swedish ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem;
		ALTER TEXT SEARCH CONFIGURATION skriptoteket_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
	END IF;
END
$$;
--> statement-breakpoint
-- One row per tool: title (weight A), summary (B) and the active version's usage instructions (D).
CREATE TABLE "tool_search" (
	"tool_id" text PRIMARY KEY NOT NULL REFERENCES "tools"("id") ON DELETE CASCADE,
	"document" tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tool_search_document_idx" ON "tool_search" USING gin ("document");
--> statement-breakpoint
-- Stems, whole words, and whole words with hyphens removed (so "epost" also finds "e-post").
CREATE FUNCTION catalog_search_words(body text) RETURNS tsvector LANGUAGE sql STABLE AS $$
	SELECT to_tsvector('skriptoteket_swedish', body)
		|| to_tsvector('skriptoteket_simple', body)
		|| to_tsvector('skriptoteket_simple', replace(body, '-', ''))
$$;
--> statement-breakpoint
CREATE FUNCTION catalog_refresh_tool_search(p_tool_id text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO tool_search (tool_id, document)
	SELECT t.id,
		setweight(catalog_search_words(t.title), 'A')
		|| setweight(catalog_search_words(t.summary), 'B')
		|| setweight(catalog_search_words(coalesce(v.usage_instructions, '')), 'D')
	FROM tools AS t LEFT JOIN tool_versions AS v ON v.id = t.active_version_id
	WHERE t.id = p_tool_id
	ON CONFLICT (tool_id) DO UPDATE SET document = EXCLUDED.document
$$;
--> statement-breakpoint
-- Declared tags that exist in the taxonomy become links; changed text is indexed again; the first
-- publication is kept (unpublishing and publishing again does not make a tool "new").
CREATE FUNCTION catalog_tools_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.professions IS DISTINCT FROM OLD.professions THEN
		DELETE FROM tool_professions WHERE tool_id = NEW.id;
		INSERT INTO tool_professions (tool_id, profession_id)
			SELECT DISTINCT NEW.id, p.id FROM jsonb_array_elements_text(NEW.professions) AS j(slug) JOIN professions AS p ON p.slug = j.slug;
	END IF;
	IF TG_OP = 'INSERT' OR NEW.categories IS DISTINCT FROM OLD.categories THEN
		DELETE FROM tool_categories WHERE tool_id = NEW.id;
		INSERT INTO tool_categories (tool_id, category_id)
			SELECT DISTINCT NEW.id, c.id FROM jsonb_array_elements_text(NEW.categories) AS j(slug) JOIN categories AS c ON c.slug = j.slug;
	END IF;
	IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.summary IS DISTINCT FROM OLD.summary
		OR NEW.active_version_id IS DISTINCT FROM OLD.active_version_id THEN
		PERFORM catalog_refresh_tool_search(NEW.id);
	END IF;
	IF NEW.is_published AND (TG_OP = 'INSERT' OR NOT OLD.is_published) THEN
		INSERT INTO tool_publications (tool_id, first_published_at) VALUES (NEW.id, NEW.updated_at) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER catalog_tools_sync AFTER INSERT OR UPDATE ON "tools" FOR EACH ROW EXECUTE FUNCTION catalog_tools_sync();
--> statement-breakpoint
-- Version content is immutable by design; should instructions ever be rewritten, the index follows.
CREATE FUNCTION catalog_version_instructions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM catalog_refresh_tool_search(t.id) FROM tools AS t WHERE t.active_version_id = NEW.id;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER catalog_version_instructions_changed AFTER UPDATE OF usage_instructions ON "tool_versions"
	FOR EACH ROW EXECUTE FUNCTION catalog_version_instructions_changed();
--> statement-breakpoint
-- A taxonomy entry added later links the tools that already declare its slug.
CREATE FUNCTION catalog_profession_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tool_professions (tool_id, profession_id)
		SELECT t.id, NEW.id FROM tools AS t WHERE t.professions ? NEW.slug
		ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER catalog_profession_added AFTER INSERT ON "professions" FOR EACH ROW EXECUTE FUNCTION catalog_profession_added();
--> statement-breakpoint
CREATE FUNCTION catalog_category_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tool_categories (tool_id, category_id)
		SELECT t.id, NEW.id FROM tools AS t WHERE t.categories ? NEW.slug
		ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER catalog_category_added AFTER INSERT ON "categories" FOR EACH ROW EXECUTE FUNCTION catalog_category_added();
--> statement-breakpoint
-- One number that grows with every change the published catalog could show: each server keeps the
-- catalog in memory and rebuilds it only when this moved (also when another instance or `tool
-- import` changed the store). Bumped in the same transaction as the change.
CREATE TABLE "catalog_revision" (
	"id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1),
	"rev" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "catalog_revision" ("id", "rev") VALUES (1, 1);
--> statement-breakpoint
CREATE FUNCTION catalog_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE catalog_revision SET rev = rev + 1;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER catalog_revision AFTER INSERT OR UPDATE OR DELETE ON "tools" FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_revision();
--> statement-breakpoint
CREATE TRIGGER catalog_revision AFTER INSERT OR UPDATE OR DELETE ON "professions" FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_revision();
--> statement-breakpoint
CREATE TRIGGER catalog_revision AFTER INSERT OR UPDATE OR DELETE ON "categories" FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_revision();
--> statement-breakpoint
-- The starting taxonomy (admins add, rename, reorder and remove entries later). Inserted after the
-- triggers above, so tools that already declare these slugs are linked.
INSERT INTO "professions" ("id", "slug", "label_sv", "label_en", "sort_order") VALUES
	('01a2091a-5de5-735b-bded-8f673c93fb92', 'larare', 'Lärare', 'Teacher', 1),
	('01a2091a-5df1-7345-8828-60e5bb1997fc', 'specialpedagog', 'Specialpedagog', 'Special needs educator', 2),
	('01a2091a-5df6-7495-8ba0-334dccb617a9', 'skoladministrator', 'Skoladministratör', 'School administrator', 3),
	('01a2091a-5e01-73c3-b8aa-a5fbc77dbaf9', 'rektor', 'Rektor', 'Principal', 4),
	('01a2091a-5e0b-713b-b349-a4e01344c110', 'gemensamt', 'Gemensamt', 'Everyone', 5);
--> statement-breakpoint
INSERT INTO "categories" ("id", "slug", "label_sv", "label_en", "sort_order") VALUES
	('01a2091a-5e0f-7489-9e7d-c26a94aa50dc', 'lektionsplanering', 'Lektionsplanering', 'Lesson planning', 1),
	('01a2091a-5e18-7672-a467-ce17fa8f7f66', 'mentorskap', 'Mentorskap', 'Mentoring', 2),
	('01a2091a-5e22-710c-b6b3-e0d359ee0ef2', 'administration', 'Administration', 'Administration', 3),
	('01a2091a-5e29-7653-b405-316a8cb2d4d6', 'ovrigt', 'Övrigt', 'Other', 4);
--> statement-breakpoint
-- Tools that existed before this migration.
SELECT catalog_refresh_tool_search(id) FROM tools;
--> statement-breakpoint
INSERT INTO "tool_publications" (tool_id, first_published_at) SELECT id, updated_at FROM tools WHERE is_published;
