-- Premium statements, their charges and payments (SQLite). Keep in step with
-- migrations/postgres/0015_premium_statements.sql.
--
-- affiliations.moved_from_id: set on the affiliation a category move opens; it continues the
-- affiliation it names (closed the day before). affiliations.terms_changed_at: when a
-- registration last changed the affiliation's dates or category (entry, exit, withdrawal,
-- move); the next statement looks at affiliations changed since the previous one for late
-- changes. Salaries carry their own created_at.
--
-- premium_statements: one per employer and month ('YYYY-MM'), issued once and never
-- changed; its lines are the month's premiums and the regularisations of earlier months
-- (charged_month, reason set). Names and numbers are copied onto the lines as they were when
-- the statement was issued. late_changes_until: when the statement also regularised earlier
-- months, the time up to which it looked for late changes (the next one looks from there).
-- Lines can be neither changed nor deleted: a trigger refuses it. They have no foreign keys:
-- they are written only by the statement's own transaction, joined to the employer's
-- affiliations (checking both keys for 100 000 lines took a third of issuing on PostgreSQL).
--
-- premium_charges: what a statement charges per contract; its id is the number of the
-- structured communication that pays it. premium_payments: money received for a charge,
-- entered by hand or read from a bank file (bank_reference keeps a re-read file from
-- counting twice).

ALTER TABLE affiliations ADD COLUMN moved_from_id INTEGER;
ALTER TABLE affiliations ADD COLUMN terms_changed_at TEXT;
CREATE INDEX affiliations_terms_changed ON affiliations (employer_id, terms_changed_at);
CREATE INDEX affiliations_moved_from ON affiliations (moved_from_id) WHERE moved_from_id IS NOT NULL;
CREATE INDEX affiliation_salaries_recorded ON affiliation_salaries (employer_id, created_at);

CREATE TABLE premium_statements (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    month TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    due_date TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    late_changes_until TEXT,
    UNIQUE (employer_id, month),
    UNIQUE (employer_id, id)
);

CREATE TABLE premium_statement_lines (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL,
    statement_id INTEGER NOT NULL,
    affiliation_id INTEGER NOT NULL,
    contract_id INTEGER NOT NULL,
    category_id INTEGER NOT NULL,
    contract_number TEXT NOT NULL,
    category_name TEXT NOT NULL,
    employee_number TEXT,
    name TEXT NOT NULL,
    national_number TEXT NOT NULL,
    charged_month TEXT NOT NULL,
    salary_cents INTEGER NOT NULL,
    fraction_ten_thousandths INTEGER NOT NULL,
    days INTEGER NOT NULL,
    premium_cents INTEGER NOT NULL,
    reason TEXT
);
CREATE INDEX premium_statement_lines_statement ON premium_statement_lines (statement_id, contract_id);
CREATE INDEX premium_statement_lines_affiliation
    ON premium_statement_lines (affiliation_id, charged_month);
CREATE TRIGGER premium_statement_lines_no_update BEFORE UPDATE ON premium_statement_lines
BEGIN
    SELECT RAISE(ABORT, 'an issued statement never changes');
END;
CREATE TRIGGER premium_statement_lines_no_delete BEFORE DELETE ON premium_statement_lines
BEGIN
    SELECT RAISE(ABORT, 'an issued statement never changes');
END;

CREATE TABLE premium_charges (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL,
    statement_id INTEGER NOT NULL,
    contract_id INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    reminded_at TEXT,
    UNIQUE (statement_id, contract_id),
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, statement_id) REFERENCES premium_statements (employer_id, id),
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX premium_charges_employer ON premium_charges (employer_id, due_date);

CREATE TABLE premium_payments (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL,
    charge_id INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    paid_on TEXT NOT NULL,
    bank_reference TEXT,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (charge_id, bank_reference),
    FOREIGN KEY (employer_id, charge_id) REFERENCES premium_charges (employer_id, id)
);
CREATE INDEX premium_payments_charge ON premium_payments (employer_id, charge_id);
