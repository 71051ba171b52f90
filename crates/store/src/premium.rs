//! What the premium engine needs, stored: the plan rules of each category per period and
//! the salaries of each affiliation with their history (`ebdesk_domain::premium`). Reading
//! takes the scope; loading (demo data, the operator's imports) does not.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::premium::{
    AffiliationTerms, Cents, Fraction, PlanRule, Rate, RuleFrom, SalaryFrom,
};
use serde::Serialize;

use crate::db::{BeginWrite, Pool, with_pool};
use crate::employers::Category;
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// Rows per INSERT statement on SQLite (see `provisioning`).
const BATCH_ROWS: usize = 500;

/// A category of the scope with its plan rules, oldest period first.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRules {
    pub category: Category,
    pub rules: Vec<RuleFrom>,
}

impl CategoryRules {
    /// The rule in force on `day`: the period with the latest start on or before it.
    pub fn in_force(&self, day: NaiveDate) -> Option<&RuleFrom> {
        self.rules.iter().rev().find(|r| r.from <= day)
    }
}

/// One period of an affiliation's salary, with when it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SalaryRecord {
    pub salary: SalaryFrom,
    pub recorded_at: DateTime<Utc>,
}

/// A plan rule to load for a category of the employer.
#[derive(Debug, Clone, Copy)]
pub struct NewPlanRule {
    pub category_id: i64,
    pub rule: RuleFrom,
}

/// A salary period to load for an affiliation of the employer.
#[derive(Debug, Clone, Copy)]
pub struct NewSalary {
    pub affiliation_id: i64,
    pub salary: SalaryFrom,
}

/// An affiliation as loading sees it: enough to give it a salary.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct AffiliationKey {
    pub id: i64,
    pub category_id: i64,
    pub affiliation_start: NaiveDate,
}

#[derive(sqlx::FromRow)]
pub(crate) struct RuleRow {
    pub(crate) category_id: i64,
    valid_from: NaiveDate,
    kind: String,
    rate_millionths: Option<i64>,
    low_millionths: Option<i64>,
    high_millionths: Option<i64>,
    threshold_cents: Option<i64>,
}

impl RuleRow {
    pub(crate) fn rule(&self) -> Result<RuleFrom> {
        let corrupt = || StoreError::Corrupt(format!("plan rule of category {}", self.category_id));
        let rate = |value: Option<i64>| {
            value
                .and_then(|v| u32::try_from(v).ok())
                .map(Rate)
                .ok_or_else(corrupt)
        };
        let rule = match self.kind.as_str() {
            "flat" => PlanRule::Flat {
                rate: rate(self.rate_millionths)?,
            },
            "two_tier" => PlanRule::TwoTier {
                low: rate(self.low_millionths)?,
                high: rate(self.high_millionths)?,
                threshold: Cents(self.threshold_cents.ok_or_else(corrupt)?),
            },
            _ => return Err(corrupt()),
        };
        Ok(RuleFrom {
            from: self.valid_from,
            rule,
        })
    }
}

/// The columns of a rule: kind, rate, low, high, threshold.
pub(crate) type RuleColumns = (
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub(crate) fn rule_columns(rule: PlanRule) -> RuleColumns {
    match rule {
        PlanRule::Flat { rate } => ("flat", Some(i64::from(rate.0)), None, None, None),
        PlanRule::TwoTier {
            low,
            high,
            threshold,
        } => (
            "two_tier",
            None,
            Some(i64::from(low.0)),
            Some(i64::from(high.0)),
            Some(threshold.0),
        ),
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SalaryRow {
    valid_from: NaiveDate,
    annual_cents: i64,
    fraction_ten_thousandths: i64,
    created_at: DateTime<Utc>,
}

impl SalaryRow {
    pub(crate) fn record(&self) -> Result<SalaryRecord> {
        let fraction = u16::try_from(self.fraction_ten_thousandths)
            .ok()
            .and_then(Fraction::new)
            .ok_or_else(|| StoreError::Corrupt("work fraction".to_owned()))?;
        Ok(SalaryRecord {
            salary: SalaryFrom {
                from: self.valid_from,
                annual: Cents(self.annual_cents),
                fraction,
            },
            recorded_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TermsRow {
    category_id: i64,
    affiliation_start: NaiveDate,
    end_date: Option<NaiveDate>,
}

/// The salaries of affiliation `$4` of employer `$1`, inside the scope (`$2`, `$3`).
const SALARIES_SQL: &str = concat!(
    "SELECT s.valid_from, s.annual_cents, s.fraction_ten_thousandths, s.created_at \
     FROM affiliation_salaries s \
     JOIN affiliations a ON a.employer_id = s.employer_id AND a.id = s.affiliation_id \
     WHERE s.employer_id = $1 AND s.affiliation_id = $4 AND ",
    in_scope_sql!("a.contract_id", "$2", "$3"),
    " ORDER BY s.valid_from"
);

impl Store {
    /// The categories of the scope's contracts (by contract and name), each with its plan
    /// rules, oldest first.
    pub async fn list_category_rules(&self, scope: &Scope) -> Result<Vec<CategoryRules>> {
        const RULES: &str = concat!(
            "SELECT r.category_id, r.valid_from, r.kind, r.rate_millionths, \
               r.low_millionths, r.high_millionths, r.threshold_cents \
             FROM category_plan_rules r \
             JOIN categories g ON g.employer_id = r.employer_id AND g.id = r.category_id \
             WHERE r.employer_id = $1 AND ",
            in_scope_sql!("g.contract_id", "$2", "$3"),
            " ORDER BY r.category_id, r.valid_from"
        );
        let categories = self.list_categories(scope).await?;
        let rows: Vec<RuleRow> = with_pool!(self, pool => {
            sqlx::query_as(RULES)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .fetch_all(pool)
                .await?
        });
        let mut rules: HashMap<i64, Vec<RuleFrom>> = HashMap::new();
        for row in &rows {
            rules.entry(row.category_id).or_default().push(row.rule()?);
        }
        Ok(categories
            .into_iter()
            .map(|category| CategoryRules {
                rules: rules.remove(&category.id).unwrap_or_default(),
                category,
            })
            .collect())
    }

    /// The salary history of an affiliation inside the scope, oldest period first; empty
    /// for an affiliation outside it (or another employer's).
    pub async fn list_affiliation_salaries(
        &self,
        scope: &Scope,
        affiliation_id: i64,
    ) -> Result<Vec<SalaryRecord>> {
        let rows: Vec<SalaryRow> = with_pool!(self, pool => {
            sqlx::query_as(SALARIES_SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(affiliation_id)
                .fetch_all(pool)
                .await?
        });
        rows.iter().map(SalaryRow::record).collect()
    }

    /// What the premium engine needs of an affiliation inside the scope: its period, its
    /// salaries and its category's rules. None outside the scope.
    pub async fn affiliation_terms(
        &self,
        scope: &Scope,
        affiliation_id: i64,
    ) -> Result<Option<AffiliationTerms>> {
        const AFFILIATION: &str = concat!(
            "SELECT a.category_id, a.affiliation_start, a.end_date FROM affiliations a \
             WHERE a.employer_id = $1 AND a.id = $4 AND ",
            in_scope_sql!("a.contract_id", "$2", "$3")
        );
        const RULES: &str = "SELECT r.category_id, r.valid_from, r.kind, r.rate_millionths, \
               r.low_millionths, r.high_millionths, r.threshold_cents \
             FROM category_plan_rules r WHERE r.employer_id = $1 AND r.category_id = $2 \
             ORDER BY r.valid_from";
        let (row, salaries, rules) = with_pool!(self, pool => {
            let row: Option<TermsRow> = sqlx::query_as(AFFILIATION)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(affiliation_id)
                .fetch_optional(pool)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let salaries: Vec<SalaryRow> = sqlx::query_as(SALARIES_SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(affiliation_id)
                .fetch_all(pool)
                .await?;
            let rules: Vec<RuleRow> = sqlx::query_as(RULES)
                .bind(scope.employer_id())
                .bind(row.category_id)
                .fetch_all(pool)
                .await?;
            (row, salaries, rules)
        });
        Ok(Some(AffiliationTerms {
            start: Some(row.affiliation_start),
            end: row.end_date,
            salaries: salaries
                .iter()
                .map(|s| s.record().map(|r| r.salary))
                .collect::<Result<_>>()?,
            rules: rules.iter().map(RuleRow::rule).collect::<Result<_>>()?,
        }))
    }

    /// Loads a plan rule for a category of the employer (not scoped: demo data and the
    /// operator's loading). A second rule of the category from the same day is a
    /// [`StoreError::Duplicate`]; another employer's category is refused by its foreign key.
    pub async fn insert_plan_rule(&self, employer_id: i64, new: &NewPlanRule) -> Result<i64> {
        const SQL: &str = "INSERT INTO category_plan_rules (employer_id, category_id, \
            valid_from, kind, rate_millionths, low_millionths, high_millionths, \
            threshold_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let (kind, rate, low, high, threshold) = rule_columns(new.rule.rule);
        with_pool!(self, pool => {
            sqlx::query_scalar(SQL)
                .bind(employer_id).bind(new.category_id).bind(new.rule.from).bind(kind)
                .bind(rate).bind(low).bind(high).bind(threshold)
                .fetch_one(pool).await.map_err(StoreError::from_write)
        })
    }

    /// Loads salary periods of the employer's affiliations, in one transaction (not
    /// scoped). Returns how many were inserted.
    pub async fn insert_salaries(
        &self,
        employer_id: i64,
        salaries: &[NewSalary],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        match &self.pool {
            Pool::Postgres(pool) => {
                const SQL: &str = "INSERT INTO affiliation_salaries (employer_id, \
                    affiliation_id, valid_from, annual_cents, fraction_ten_thousandths, \
                    created_at) \
                    SELECT $1, af, vf, an, fr, $2 \
                    FROM UNNEST($3::bigint[], $4::date[], $5::bigint[], $6::bigint[]) \
                    AS t (af, vf, an, fr) \
                    WHERE EXISTS (SELECT 1 FROM affiliations a \
                      WHERE a.employer_id = $1 AND a.id = t.af)";
                let column = |f: fn(&NewSalary) -> i64| salaries.iter().map(f).collect::<Vec<_>>();
                let mut tx = pool.begin_write().await?;
                let written = sqlx::query(SQL)
                    .bind(employer_id)
                    .bind(now)
                    .bind(column(|s| s.affiliation_id))
                    .bind(salaries.iter().map(|s| s.salary.from).collect::<Vec<_>>())
                    .bind(column(|s| s.salary.annual.0))
                    .bind(column(|s| i64::from(s.salary.fraction.ten_thousandths())))
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_write)?;
                // No foreign key on PostgreSQL (migration 0021): an affiliation of another
                // employer, or none, is left out by the EXISTS and refuses the whole load.
                if written.rows_affected() != salaries.len() as u64 {
                    return Err(StoreError::NotFound);
                }
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_write().await?;
                for part in salaries.chunks(BATCH_ROWS) {
                    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                        "INSERT INTO affiliation_salaries (employer_id, affiliation_id, \
                         valid_from, annual_cents, fraction_ten_thousandths, created_at) ",
                    );
                    insert.push_values(part, |mut row, s| {
                        row.push_bind(employer_id)
                            .push_bind(s.affiliation_id)
                            .push_bind(s.salary.from)
                            .push_bind(s.salary.annual.0)
                            .push_bind(i64::from(s.salary.fraction.ten_thousandths()))
                            .push_bind(now);
                    });
                    insert
                        .build()
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::from_write)?;
                }
                tx.commit().await?;
            }
        }
        Ok(salaries.len())
    }

    /// The employer's affiliations with an id above `after`, by id, at most `limit`: what
    /// loading reads back to give the affiliations it just inserted their salaries (not
    /// scoped).
    pub async fn list_affiliation_keys(
        &self,
        employer_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AffiliationKey>> {
        const SQL: &str = "SELECT id, category_id, affiliation_start FROM affiliations \
            WHERE employer_id = $1 AND id > $2 ORDER BY id LIMIT $3";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(employer_id)
                .bind(after)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }
}
