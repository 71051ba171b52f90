-- The daily digest of new documents and statements (PostgreSQL). Keep in step with
-- migrations/sqlite/0018_digest.sql.
--
-- users.document_notices: the account holder asked, on "Mijn account", for an e-mail when
-- documents are published at an employer where they hold a sheet.
--
-- notification_digests: one row per digest sent, the claim that makes it once per
-- (employer, recipient, Brussels day) however many worker nodes run the scheduler: the
-- row and the outbox mail are written in one transaction. recipient is 'address' (the
-- employer's notification address, whichever it is that day) or 'user:<id>'. A digest
-- tells what was published in [covered_from, covered_until); the next one of the same
-- recipient starts at covered_until.

ALTER TABLE users ADD COLUMN document_notices BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE notification_digests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    recipient TEXT NOT NULL,
    day DATE NOT NULL,
    covered_from TIMESTAMPTZ NOT NULL,
    covered_until TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    UNIQUE (employer_id, recipient, day)
);
