-- Accounts belong to people: a master who adds an existing account only invites it; the
-- sheet exists once the account holder has accepted (after logging in).
CREATE TABLE sheet_invitations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    rights TEXT NOT NULL,
    all_contracts BOOLEAN NOT NULL,
    external BOOLEAN NOT NULL,
    valid_until DATE,
    invited_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    UNIQUE (employer_id, id),
    UNIQUE (user_id, employer_id)
);
CREATE INDEX sheet_invitations_employer ON sheet_invitations (employer_id);
CREATE INDEX sheet_invitations_user ON sheet_invitations (user_id);

CREATE TABLE sheet_invitation_contracts (
    employer_id BIGINT NOT NULL,
    invitation_id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    PRIMARY KEY (invitation_id, contract_id),
    FOREIGN KEY (employer_id, invitation_id) REFERENCES sheet_invitations (employer_id, id) ON DELETE CASCADE,
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX sheet_invitation_contracts_employer ON sheet_invitation_contracts (employer_id);

-- An operator account never holds a sheet at an employer (the store refuses first; this is
-- the backstop).
CREATE FUNCTION user_sheets_no_operator() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT is_operator FROM users WHERE id = NEW.user_id) THEN
        RAISE EXCEPTION 'an operator account cannot hold a user sheet';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER user_sheets_no_operator BEFORE INSERT OR UPDATE OF user_id ON user_sheets
    FOR EACH ROW EXECUTE FUNCTION user_sheets_no_operator();

CREATE FUNCTION users_operator_without_sheets() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.is_operator AND EXISTS (SELECT 1 FROM user_sheets WHERE user_id = NEW.id) THEN
        RAISE EXCEPTION 'an account with user sheets cannot become an operator';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER users_operator_without_sheets BEFORE UPDATE OF is_operator ON users
    FOR EACH ROW EXECUTE FUNCTION users_operator_without_sheets();

-- One row per throttle key, upserted at the start of every attempt: the row lock it takes
-- (PostgreSQL) or the single writer (SQLite) makes counting and recording one step.
CREATE TABLE throttle_keys (
    throttle_key TEXT PRIMARY KEY,
    touched_at TIMESTAMPTZ NOT NULL
);
