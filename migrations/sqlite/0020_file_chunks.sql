-- Generated files in chunks (SQLite). Keep in step with
-- migrations/postgres/0020_file_chunks.sql, which says why.

ALTER TABLE generated_files ADD COLUMN chunks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generated_files ADD COLUMN byte_size INTEGER NOT NULL DEFAULT 0;

CREATE TABLE generated_file_chunks (
    file_id INTEGER NOT NULL REFERENCES generated_files (id),
    seq INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (file_id, seq)
);
