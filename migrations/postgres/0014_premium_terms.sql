-- What the premium engine needs (PostgreSQL). Keep in step with
-- migrations/sqlite/0014_premium_terms.sql.
--
-- category_plan_rules: the plan rule of a category from valid_from on, until the next row of
-- the category. kind 'flat' takes rate_millionths; 'two_tier' takes low_millionths up to
-- threshold_cents (yearly) and high_millionths above it. Rates in millionths (5 % = 50000),
-- amounts in cents.
--
-- affiliation_salaries: the pensionable annual salary of a full-time worker and the work
-- fraction (ten-thousandths, full time = 10000) of an affiliation from valid_from on. A new
-- row is a new period: the history stays.

CREATE TABLE category_plan_rules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    valid_from DATE NOT NULL,
    kind TEXT NOT NULL,
    rate_millionths BIGINT,
    low_millionths BIGINT,
    high_millionths BIGINT,
    threshold_cents BIGINT,
    UNIQUE (category_id, valid_from),
    FOREIGN KEY (employer_id, category_id) REFERENCES categories (employer_id, id),
    CHECK (
        (kind = 'flat' AND rate_millionths >= 0 AND low_millionths IS NULL
            AND high_millionths IS NULL AND threshold_cents IS NULL)
        OR (kind = 'two_tier' AND rate_millionths IS NULL AND low_millionths >= 0
            AND high_millionths >= 0 AND threshold_cents >= 0)
    )
);
CREATE INDEX category_plan_rules_employer ON category_plan_rules (employer_id, category_id);

CREATE TABLE affiliation_salaries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employer_id BIGINT NOT NULL,
    affiliation_id BIGINT NOT NULL,
    valid_from DATE NOT NULL,
    annual_cents BIGINT NOT NULL CHECK (annual_cents >= 0),
    fraction_ten_thousandths BIGINT NOT NULL
        CHECK (fraction_ten_thousandths BETWEEN 0 AND 10000),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (affiliation_id, valid_from),
    FOREIGN KEY (employer_id, affiliation_id) REFERENCES affiliations (employer_id, id)
);
CREATE INDEX affiliation_salaries_employer ON affiliation_salaries (employer_id, affiliation_id);
