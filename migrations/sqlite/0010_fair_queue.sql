-- Fair queue (SQLite). Keep in step with migrations/postgres/0010_fair_queue.sql.
-- claimed_at: when a worker last took the action. The claim serves first the employer whose
-- last claim is oldest (round robin), read through actions_turn.
-- actions_requester: a user's pending requests, for the duplicate check and the cap.

ALTER TABLE actions ADD COLUMN claimed_at TEXT;

CREATE INDEX actions_turn ON actions (employer_id, claimed_at);
CREATE INDEX actions_requester ON actions (requested_by, kind, status);
