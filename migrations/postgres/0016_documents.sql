-- Documents the operator publishes for an employer (PostgreSQL). Keep in step with
-- migrations/sqlite/0016_documents.sql, which explains the tables.

CREATE TABLE documents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    contract_id BIGINT,
    kind TEXT NOT NULL
        CHECK (kind IN ('correspondence', 'legal', 'categories', 'premium_payment')),
    title TEXT NOT NULL,
    search_title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    content BYTEA NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users (id),
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX documents_employer ON documents (employer_id, published_at);
-- Read whole when downloaded, never compressed further (PDFs and zips are compressed).
ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE TABLE document_openings (
    employer_id BIGINT NOT NULL,
    document_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    opened_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (document_id, user_id),
    FOREIGN KEY (employer_id, document_id) REFERENCES documents (employer_id, id)
);
