-- Uploads of "Overzicht verzekerden" (sqlite). Keep in step with migrations/postgres/0005_uploads.sql.
-- The file and its checked result live in the database, not on one node's disk, so that the
-- preview and the confirmation work on any node and after a restart.
-- phase: waiting -> reading -> validating -> ready -> applied | cancelled; or refused.
-- preview: the classified rows (JSON, written by the worker); counts: its totals (JSON).

CREATE TABLE uploads (
    action_id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    phase TEXT NOT NULL,
    rows_done INTEGER NOT NULL,
    rows_total INTEGER NOT NULL,
    rejection TEXT,
    preview TEXT,
    counts TEXT,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    FOREIGN KEY (employer_id, action_id) REFERENCES actions (employer_id, id)
);
CREATE INDEX uploads_employer ON uploads (employer_id);
