-- Foundation schema (PostgreSQL). Keep in step with migrations/sqlite/0001_foundation.sql:
-- a test checks that both engines have the same tables and columns.
-- Times are bound from Rust (timestamptz here), never taken from SQL.

CREATE TABLE employers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kbo_number TEXT NOT NULL,
    street TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    notification_email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE contact_points (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL
);
CREATE INDEX contact_points_employer ON contact_points (employer_id);

CREATE TABLE contracts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    UNIQUE (employer_id, id)
);

CREATE TABLE categories (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (employer_id, id),
    UNIQUE (contract_id, name),
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX categories_employer ON categories (employer_id, contract_id);

CREATE TABLE employees (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    national_number TEXT COLLATE "C" NOT NULL,
    employee_number TEXT,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    gender TEXT NOT NULL,
    language TEXT NOT NULL,
    birth_date DATE NOT NULL,
    business_email TEXT,
    private_email_known BOOLEAN NOT NULL,
    search_name TEXT COLLATE "C" NOT NULL,
    number_sort TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (employer_id, id),
    UNIQUE (employer_id, national_number),
    UNIQUE (employer_id, employee_number)
);
CREATE INDEX employees_by_name ON employees (employer_id, search_name, id);
CREATE INDEX employees_by_number ON employees (employer_id, number_sort, id);

CREATE TABLE affiliations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    employment_start DATE NOT NULL,
    affiliation_start DATE NOT NULL,
    end_date DATE,
    exit_reason TEXT,
    status TEXT NOT NULL,
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, employee_id) REFERENCES employees (employer_id, id),
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id),
    FOREIGN KEY (employer_id, category_id) REFERENCES categories (employer_id, id)
);
CREATE INDEX affiliations_employee ON affiliations (employee_id, employer_id, contract_id, status);
CREATE INDEX affiliations_contract ON affiliations (employer_id, contract_id, status);

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    language TEXT NOT NULL,
    is_operator BOOLEAN NOT NULL,
    disabled BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ
);

CREATE TABLE user_sheets (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    rights TEXT NOT NULL,
    all_contracts BOOLEAN NOT NULL,
    valid_until DATE,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (employer_id, id),
    UNIQUE (user_id, employer_id)
);
CREATE INDEX user_sheets_employer ON user_sheets (employer_id);

CREATE TABLE user_sheet_contracts (
    employer_id BIGINT NOT NULL,
    sheet_id BIGINT NOT NULL,
    contract_id BIGINT NOT NULL,
    PRIMARY KEY (sheet_id, contract_id),
    FOREIGN KEY (employer_id, sheet_id) REFERENCES user_sheets (employer_id, id) ON DELETE CASCADE,
    FOREIGN KEY (employer_id, contract_id) REFERENCES contracts (employer_id, id)
);
CREATE INDEX user_sheet_contracts_employer ON user_sheet_contracts (employer_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE actions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    description TEXT NOT NULL,
    employee_id BIGINT,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMPTZ NOT NULL,
    status_at TIMESTAMPTZ NOT NULL,
    effective_date DATE,
    processed_at TIMESTAMPTZ,
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    run_after TIMESTAMPTZ NOT NULL,
    lease_token TEXT,
    lease_until TIMESTAMPTZ,
    error TEXT,
    UNIQUE (employer_id, id),
    FOREIGN KEY (employer_id, employee_id) REFERENCES employees (employer_id, id)
);
CREATE INDEX actions_employer ON actions (employer_id, requested_at);
CREATE INDEX actions_queue ON actions (status, run_after);

CREATE TABLE generated_files (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL,
    action_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (employer_id, action_id) REFERENCES actions (employer_id, id)
);
CREATE INDEX generated_files_employer ON generated_files (employer_id, action_id);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT REFERENCES employers (id),
    user_id BIGINT REFERENCES users (id),
    at TIMESTAMPTZ NOT NULL,
    ip TEXT,
    event TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_employer ON audit_log (employer_id, id);

CREATE TABLE email_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    attempts BIGINT NOT NULL,
    sent_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, next_attempt_at);
