-- Accounts belong to people: a master who adds an existing account only invites it; the
-- sheet exists once the account holder has accepted (after logging in).
CREATE TABLE sheet_invitations (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    rights TEXT NOT NULL,
    all_contracts BOOLEAN NOT NULL,
    external BOOLEAN NOT NULL,
    valid_until TEXT,
    invited_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    UNIQUE (employer_id, id),
    UNIQUE (user_id, employer_id)
);
CREATE INDEX sheet_invitations_employer ON sheet_invitations (employer_id);
CREATE INDEX sheet_invitations_user ON sheet_invitations (user_id);

CREATE TABLE sheet_invitation_contracts (
    employer_id INTEGER NOT NULL,
    invitation_id INTEGER NOT NULL,
    contract_id INTEGER NOT NULL,
    PRIMARY KEY (invitation_id, contract_id),
    FOREIGN KEY (employer_id, invitation_id) REFERENCES sheet_invitations (employer_id, id) ON DELETE CASCADE,
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX sheet_invitation_contracts_employer ON sheet_invitation_contracts (employer_id);

-- An operator account never holds a sheet at an employer (the store refuses first; this is
-- the backstop).
CREATE TRIGGER user_sheets_no_operator BEFORE INSERT ON user_sheets
    WHEN (SELECT is_operator FROM users WHERE id = NEW.user_id)
BEGIN
    SELECT RAISE(ABORT, 'an operator account cannot hold a user sheet');
END;
CREATE TRIGGER users_operator_without_sheets BEFORE UPDATE OF is_operator ON users
    WHEN NEW.is_operator AND EXISTS (SELECT 1 FROM user_sheets WHERE user_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'an account with user sheets cannot become an operator');
END;

-- One row per throttle key, upserted at the start of every attempt: the row lock it takes
-- (PostgreSQL) or the single writer (SQLite) makes counting and recording one step.
CREATE TABLE throttle_keys (
    throttle_key TEXT PRIMARY KEY,
    touched_at TEXT NOT NULL
);
