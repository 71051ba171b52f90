-- Documents the operator publishes for an employer (SQLite). Keep in step with
-- migrations/postgres/0016_documents.sql.
--
-- documents: one file (PDF, xlsx or docx, its type checked by content before it is stored)
-- for one employer, or for one of its contracts (contract_id; then only sheets covering the
-- contract see it), in a kind of the "Documenten" menu. The bytes live here, like
-- generated_files, so every app node serves them. search_title is the title as the search
-- compares it (lower case, no accents, single spaces), computed in Rust.
--
-- document_openings: when a user first opened a document (the "nieuw" mark goes away).

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    contract_id INTEGER,
    kind TEXT NOT NULL
        CHECK (kind IN ('correspondence', 'legal', 'categories', 'premium_payment')),
    title TEXT NOT NULL,
    search_title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    content BLOB NOT NULL,
    published_at TEXT NOT NULL,
    published_by INTEGER NOT NULL REFERENCES users (id),
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX documents_employer ON documents (employer_id, published_at);

CREATE TABLE document_openings (
    employer_id INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    opened_at TEXT NOT NULL,
    PRIMARY KEY (document_id, user_id),
    FOREIGN KEY (employer_id, document_id) REFERENCES documents (employer_id, id)
);
