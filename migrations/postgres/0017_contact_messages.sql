-- "Mail naar uw contactpunt" (PostgreSQL). Keep in step with
-- migrations/sqlite/0017_contact_messages.sql.
--
-- contact_threads: one conversation of an HR user with one of the employer's contact
-- points (administrative, commercial, claims), optionally about one employee; seen by its
-- author and the employer's master users, and by the operator. answered_at: when the
-- operator last answered; NULL while the last word is the employer's (the console's inbox
-- shows those first).
-- contact_messages: the messages of a thread, the employer's and the operator's, each with
-- at most one attachment (PDF, PNG or JPEG, checked by content), kept in the database so
-- that every node serves it.

CREATE TABLE contact_threads (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    contact_kind TEXT NOT NULL CHECK (contact_kind IN ('administrative', 'commercial', 'claims')),
    subject TEXT NOT NULL,
    employee_id BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ,
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, employee_id) REFERENCES employees (employer_id, id)
);
CREATE INDEX contact_threads_employer ON contact_threads (employer_id, last_message_at);
CREATE INDEX contact_threads_inbox ON contact_threads (last_message_at);

CREATE TABLE contact_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL,
    thread_id BIGINT NOT NULL,
    from_operator BOOLEAN NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment BYTEA,
    FOREIGN KEY (employer_id, thread_id) REFERENCES contact_threads (employer_id, id)
);
CREATE INDEX contact_messages_thread ON contact_messages (thread_id, id);
