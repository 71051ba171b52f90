-- Generated files in chunks of at most 1 MiB: a download of a million rows (80 MB) is
-- written and served a chunk at a time, never held whole in a node's memory. `chunks` is
-- how many rows generated_file_chunks holds for the file (0: a file stored before this
-- migration, whose bytes are in `content`); `byte_size` the file's length.

ALTER TABLE generated_files ADD COLUMN chunks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generated_files ADD COLUMN byte_size BIGINT NOT NULL DEFAULT 0;

CREATE TABLE generated_file_chunks (
    file_id BIGINT NOT NULL REFERENCES generated_files (id),
    seq INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (file_id, seq)
);
