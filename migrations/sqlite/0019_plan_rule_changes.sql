-- When a plan rule was added (SQLite). Keep in step with
-- migrations/postgres/0019_plan_rule_changes.sql, which says why.

ALTER TABLE category_plan_rules ADD COLUMN created_at TEXT;
