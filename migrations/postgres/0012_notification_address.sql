-- A change of an employer's notification address waits for the new address to confirm it
-- (PostgreSQL). Keep in step with migrations/sqlite/0012_notification_address.sql.
--
-- One row per employer: a new request replaces the previous one (and its link). The link's
-- token is kept only as its SHA-256. Once confirmed, the row stays with confirmed_at, so a
-- second use of the link says "already used" rather than "unknown". requested_by is read
-- again at confirmation: a requester who lost the master sheet (or the operator role) in
-- between makes the link worthless. language: the requester's, for both mails.

CREATE TABLE notification_address_changes (
    employer_id BIGINT PRIMARY KEY REFERENCES employers (id),
    new_email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    language TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ
);
