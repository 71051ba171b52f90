-- Salary rows lose their foreign key to the affiliation, as statement lines did (0015): the
-- salary list's apply writes up to one row per affiliation of a large employer in one
-- statement, and checking the key row by row took a large part of it. Every writer already
-- joins the affiliation in the scope in the same statement or transaction (the list's apply
-- its EXISTS, Nieuwe aansluiting the affiliation it has just inserted), and affiliations are
-- never deleted.
ALTER TABLE affiliation_salaries
    DROP CONSTRAINT affiliation_salaries_employer_id_affiliation_id_fkey;
-- SQLite keeps its key (its apply was within its target; dropping it means rebuilding the
-- table), so this migration has no SQLite counterpart.
