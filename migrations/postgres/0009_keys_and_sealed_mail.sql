-- The key check and sealed e-mail bodies (PostgreSQL). Keep in step with migrations/sqlite/0009_keys_and_sealed_mail.sql.

-- One row: the check value of the server key (HMAC of a fixed label), written by the first
-- node that starts; a node with another key refuses to start instead of failing every login.
CREATE TABLE key_check (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    check_value TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The body of a queued e-mail encrypted with the server key (activation and reset links are
-- as good as passwords until used). `body` stays '' for such rows; older rows are sealed by
-- the first node that records the key check.
ALTER TABLE email_outbox ADD COLUMN sealed_body TEXT;
