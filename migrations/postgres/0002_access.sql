-- Access (issue 3): activation and reset links, TOTP with recovery codes, lockout,
-- throttling, sessions that are only half logged in. Keep in step with the other engine.

-- TOTP secret, encrypted with the server's key (nonce and ciphertext, base64); confirmed
-- once the user entered a first code. The last accepted time step refuses a code twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_confirmed_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
-- Wrong codes in a row; at 10 the account is locked until a master user or operator unlocks it.
ALTER TABLE users ADD COLUMN failed_codes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMPTZ;

-- An external person (a consultant) with an optional end date (valid_until).
ALTER TABLE user_sheets ADD COLUMN external BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE user_sheets ADD COLUMN updated_at TIMESTAMPTZ;
-- Exactly one master per employer.
CREATE UNIQUE INDEX user_sheets_one_master ON user_sheets (employer_id) WHERE rights = 'master';

-- 'full' sessions reach the application; 'code' waits for the TOTP code after the password,
-- 'enrol' must first set up an authenticator.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';

-- Single-use links: activation (72 h) and password reset (1 h). Only the hash is stored.
CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- Failed password and code attempts, per account and per IP, for throttling.
CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at);
