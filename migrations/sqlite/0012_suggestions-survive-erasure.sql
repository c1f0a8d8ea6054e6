-- tool_suggestions is created in its final form (nullable suggested_by + suggested_by_pseudonym) by 0007:
-- rebuilding it here would run inside the migration transaction, where PRAGMA foreign_keys=OFF has no
-- effect, and the DROP would cascade to the suggestion decisions. Kept so the journal and snapshots agree.
SELECT 1;
