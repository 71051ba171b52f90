-- "Mail naar uw contactpunt" (SQLite). Keep in step with
-- migrations/postgres/0017_contact_messages.sql, which says what the tables hold.

CREATE TABLE contact_threads (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    contact_kind TEXT NOT NULL CHECK (contact_kind IN ('administrative', 'commercial', 'claims')),
    subject TEXT NOT NULL,
    employee_id INTEGER,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    answered_at TEXT,
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, employee_id) REFERENCES employees (employer_id, id)
);
CREATE INDEX contact_threads_employer ON contact_threads (employer_id, last_message_at);
CREATE INDEX contact_threads_inbox ON contact_threads (last_message_at);

CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL,
    from_operator BOOLEAN NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attachment_name TEXT,
    attachment_type TEXT,
    attachment BLOB,
    FOREIGN KEY (employer_id, thread_id) REFERENCES contact_threads (employer_id, id)
);
CREATE INDEX contact_messages_thread ON contact_messages (thread_id, id);
