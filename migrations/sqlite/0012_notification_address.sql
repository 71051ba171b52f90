-- A change of an employer's notification address waits for the new address to confirm it
-- (SQLite). Keep in step with migrations/postgres/0012_notification_address.sql.
--
-- One row per employer: a new request replaces the previous one (and its link). The link's
-- token is kept only as its SHA-256. Once confirmed, the row stays with confirmed_at, so a
-- second use of the link says "already used" rather than "unknown". requested_by is read
-- again at confirmation: a requester who lost the master sheet (or the operator role) in
-- between makes the link worthless. language: the requester's, for both mails.

CREATE TABLE notification_address_changes (
    employer_id INTEGER PRIMARY KEY REFERENCES employers (id),
    new_email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    language TEXT NOT NULL,
    requested_by INTEGER NOT NULL REFERENCES users (id),
    requested_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    confirmed_at TEXT
);
