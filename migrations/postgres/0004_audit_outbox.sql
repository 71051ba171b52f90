-- Audit log and e-mail outbox (PostgreSQL). Keep in step with migrations/sqlite/0004_audit_outbox.sql.

-- Entries written before the hash chain existed (development builds only) carry an empty hash
-- and could never verify: they go, before the triggers below make that impossible.
DELETE FROM audit_log WHERE hash = '';

-- The audit log is append-only, enforced here and not only by the code: no UPDATE, no DELETE,
-- no TRUNCATE.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The operator filters the whole log by user.
CREATE INDEX audit_log_user ON audit_log (user_id, id);

-- Outbox: pending → sent, or failed after the last attempt. A sender claims a message with a
-- lease (token + until) so that two app nodes never send it twice.
ALTER TABLE email_outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE email_outbox ADD COLUMN lease_token TEXT;
ALTER TABLE email_outbox ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE email_outbox ADD COLUMN failed_at TIMESTAMPTZ;

DROP INDEX email_outbox_pending;
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at);
CREATE INDEX email_outbox_recipient ON email_outbox (to_address, id);
