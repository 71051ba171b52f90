-- Salary rows lose their foreign key to the affiliation, as statement lines did (0015), and
-- the (employer_id, affiliation_id) index: the salary list's apply writes up to one row per
-- affiliation of a large employer in one statement, and the row-by-row key check and the
-- fourth index were a large part of it. Every writer already joins the affiliation in the
-- scope in the same statement or transaction (the list's apply its EXISTS, Nieuwe aansluiting
-- the affiliation it has just inserted, the loader an EXISTS), and affiliations are never
-- deleted. Lookups by affiliation use the unique (affiliation_id, valid_from) index (an
-- affiliation id belongs to one employer); those by employer, (employer_id, created_at).
-- SQLite keeps its key and index (its apply was within its target; dropping the key there
-- means rebuilding the table), so this migration has no SQLite counterpart.
ALTER TABLE affiliation_salaries
    DROP CONSTRAINT affiliation_salaries_employer_id_affiliation_id_fkey;
DROP INDEX affiliation_salaries_employer;
