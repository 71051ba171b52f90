-- Room for bulk updates (sqlite). Keep in step with migrations/postgres/0007_bulk_updates.sql.
-- Nothing to do here: SQLite has no fillfactor; the version number stays in step.
SELECT 1;
