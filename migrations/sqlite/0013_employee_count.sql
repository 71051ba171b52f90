-- The employee list's capped count (SQLite). Keep in step with
-- migrations/postgres/0012_employee_count.sql.
--
-- "How many employees have an affiliation in the scope" is read from this index alone: the
-- employer's affiliations in employee order, so each employee is counted once as they come
-- and the count stops at its cap, without reading an employee row or looking up each
-- employee's affiliations (affiliations_employee leads with the employee for those).
CREATE INDEX affiliations_by_employer_employee
    ON affiliations (employer_id, employee_id, contract_id, status);
