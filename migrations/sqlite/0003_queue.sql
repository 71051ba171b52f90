-- Job queue (SQLite). Keep in step with migrations/postgres/0003_queue.sql.
-- locked_by: which worker holds a running action's lease (host:pid:uuid), for operators.
-- One generated file per action: the completion that stores it is fenced, the index says so.

ALTER TABLE actions ADD COLUMN locked_by TEXT;

DROP INDEX generated_files_employer;
CREATE UNIQUE INDEX generated_files_action ON generated_files (employer_id, action_id);
CREATE INDEX generated_files_expiry ON generated_files (expires_at);
