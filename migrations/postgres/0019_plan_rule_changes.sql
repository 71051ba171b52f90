-- When a plan rule was added: a rule the operator adds with a date in a month already
-- billed regularises that month on the next statement, like a late salary. Rules loaded
-- before this column (demo data, the first rules of a category) have none.

ALTER TABLE category_plan_rules ADD COLUMN created_at TIMESTAMPTZ;
