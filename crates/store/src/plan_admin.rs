//! The operator keeps each employer's plan: a new category of a contract, a plan rule of a
//! category from a date. Not tenant-scoped (the operator's work); every write checks that
//! the contract or category is the employer's and leaves an audit entry. A rule's
//! `created_at` lets the next statement regularise the billed months it changes.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::premium::{NewPlanRule, rule_columns};
use crate::{CategoryRules, Result, Scope, Store, StoreError};

/// A category to add to one of the employer's contracts.
#[derive(Debug, Clone)]
pub struct NewCategory {
    pub contract_id: i64,
    pub name: String,
}

impl Store {
    /// Every category of the employer (by contract and name) with its plan rules, oldest
    /// first: the operator's view.
    pub async fn list_employer_category_rules(
        &self,
        employer_id: i64,
    ) -> Result<Vec<CategoryRules>> {
        self.list_category_rules(&Scope::whole_employer(employer_id))
            .await
    }

    /// Adds a category to a contract of `employer_id`, with its audit entry. Refused with
    /// `category-contract-unknown` (not the employer's contract) or `category-name-taken`.
    pub async fn add_category(
        &self,
        employer_id: i64,
        new: &NewCategory,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const CONTRACT: &str = "SELECT number FROM contracts WHERE employer_id = $1 AND id = $2";
        const INSERT: &str = "INSERT INTO categories (employer_id, contract_id, name) \
            VALUES ($1, $2, $3) RETURNING id";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let contract: String = sqlx::query_scalar(CONTRACT)
                .bind(employer_id).bind(new.contract_id)
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::Refused("category-contract-unknown"))?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(employer_id).bind(new.contract_id).bind(new.name.clone())
                .fetch_one(&mut *tx).await
                .map_err(|e| match StoreError::from_write(e) {
                    StoreError::Duplicate => StoreError::Refused("category-name-taken"),
                    other => other,
                })?;
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::CategoryAdded, json!({
                "contract": contract, "category": new.name,
            }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Adds a plan rule to a category of `employer_id` from its date on, stamped `now`, with
    /// its audit entry. Refused with `plan-rule-category-unknown` (not the employer's
    /// category) or `plan-rule-date-taken` (the category has a rule from that day).
    pub async fn add_plan_rule(
        &self,
        employer_id: i64,
        new: &NewPlanRule,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const CATEGORY: &str = "SELECT c.number, g.name FROM categories g \
            JOIN contracts c ON c.id = g.contract_id \
            WHERE g.employer_id = $1 AND g.id = $2";
        const INSERT: &str = "INSERT INTO category_plan_rules (employer_id, category_id, \
            valid_from, kind, rate_millionths, low_millionths, high_millionths, \
            threshold_cents, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
            RETURNING id";
        let (kind, rate, low, high, threshold) = rule_columns(new.rule.rule);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (contract, category): (String, String) = sqlx::query_as(CATEGORY)
                .bind(employer_id).bind(new.category_id)
                .fetch_optional(&mut *tx).await?
                .ok_or(StoreError::Refused("plan-rule-category-unknown"))?;
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(employer_id).bind(new.category_id).bind(new.rule.from).bind(kind)
                .bind(rate).bind(low).bind(high).bind(threshold).bind(now)
                .fetch_one(&mut *tx).await
                .map_err(|e| match StoreError::from_write(e) {
                    StoreError::Duplicate => StoreError::Refused("plan-rule-date-taken"),
                    other => other,
                })?;
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::PlanRuleAdded, json!({
                "contract": contract, "category": category,
                "valid_from": new.rule.from, "rule": new.rule.rule,
            }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(id)
        })
    }
}
