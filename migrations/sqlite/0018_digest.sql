-- The daily digest of new documents and statements (SQLite). Keep in step with
-- migrations/postgres/0018_digest.sql, which says what the table holds.

ALTER TABLE users ADD COLUMN document_notices BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE notification_digests (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    recipient TEXT NOT NULL,
    day TEXT NOT NULL,
    covered_from TEXT NOT NULL,
    covered_until TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    UNIQUE (employer_id, recipient, day)
);
