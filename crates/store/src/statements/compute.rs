//! What a month's statement holds, read and computed before it is written: a line per
//! affiliation covering the month, and, for affiliations changed since the previous
//! statement, the regularisation of every earlier month whose bill no longer matches.
//! Only ids and numbers are kept in memory; names are copied in SQL when the lines are
//! written (see `super::write`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::premium::{
    AffiliationTerms, Cents, Month, MonthPremium, ReasonCode, RuleFrom, SalaryFrom,
    premium_for_month, reason_for,
};

use crate::db::with_pool;
use crate::premium::{RuleRow, SalaryRow};
use crate::{Result, Store};

/// Affiliations read at a time.
const CHUNK: i64 = 10_000;

/// A line about to be written: everything but the copied names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ComputedLine {
    pub affiliation_id: i64,
    pub charged_month: Month,
    pub salary_cents: i64,
    pub fraction: i64,
    pub days: i64,
    pub premium_cents: i64,
    pub reason: Option<ReasonCode>,
}

/// The affiliation columns the engine needs.
#[derive(sqlx::FromRow)]
struct PeriodRow {
    id: i64,
    category_id: i64,
    affiliation_start: NaiveDate,
    end_date: Option<NaiveDate>,
    moved: bool,
}

#[derive(sqlx::FromRow)]
struct SalaryOfRow {
    affiliation_id: i64,
    #[sqlx(flatten)]
    salary: SalaryRow,
}

#[derive(sqlx::FromRow)]
struct BilledRow {
    affiliation_id: i64,
    charged_month: String,
    premium_cents: i64,
    days: i64,
}

/// The periods of affiliations `a`, then `$tail`. `moved`: opened by a category move, or
/// closed by one.
macro_rules! periods_sql {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.category_id, a.affiliation_start, a.end_date, \
               (a.moved_from_id IS NOT NULL OR EXISTS (SELECT 1 FROM affiliations m \
                 WHERE m.moved_from_id = a.id)) AS moved \
             FROM affiliations a ",
            $tail
        )
    };
}

/// A month's own lines need no `moved` (only regularisations give a reason).
const MONTH_PERIODS_SQL: &str = "SELECT a.id, a.category_id, a.affiliation_start, a.end_date, \
      FALSE AS moved FROM affiliations a \
    WHERE a.employer_id = $1 AND a.id > $2 \
      AND a.affiliation_start <= $3 AND (a.end_date IS NULL OR a.end_date >= $4) \
    ORDER BY a.id LIMIT $5";

impl ComputedLine {
    fn new(id: i64, month: Month, due: &MonthPremium, premium: i64, days: i64) -> Self {
        ComputedLine {
            affiliation_id: id,
            charged_month: month,
            salary_cents: due.salary.map_or(0, |s| s.annual.0),
            fraction: due
                .salary
                .map_or(0, |s| i64::from(s.fraction.ten_thousandths())),
            days,
            premium_cents: premium,
            reason: None,
        }
    }
}

impl Store {
    /// The plan rules of every category of the employer (not scoped: a statement covers
    /// the whole employer).
    async fn employer_rules(&self, employer_id: i64) -> Result<HashMap<i64, Vec<RuleFrom>>> {
        const SQL: &str = "SELECT category_id, valid_from, kind, rate_millionths, \
            low_millionths, high_millionths, threshold_cents FROM category_plan_rules \
            WHERE employer_id = $1 ORDER BY category_id, valid_from";
        let rows: Vec<RuleRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).fetch_all(pool).await?
        });
        let mut rules: HashMap<i64, Vec<RuleFrom>> = HashMap::new();
        for row in &rows {
            rules.entry(row.category_id).or_default().push(row.rule()?);
        }
        Ok(rules)
    }

    /// The salaries of the employer's affiliations `ids` (sorted), by affiliation.
    async fn salaries_of(
        &self,
        employer_id: i64,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<SalaryFrom>>> {
        const SQL: &str = "SELECT affiliation_id, valid_from, annual_cents, \
            fraction_ten_thousandths, created_at FROM affiliation_salaries \
            WHERE employer_id = $1 AND affiliation_id BETWEEN $2 AND $3 \
            ORDER BY affiliation_id, valid_from";
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            return Ok(HashMap::new());
        };
        let rows: Vec<SalaryOfRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).bind(*first).bind(*last)
                .fetch_all(pool).await?
        });
        let mut salaries: HashMap<i64, Vec<SalaryFrom>> = HashMap::new();
        for row in rows {
            if ids.binary_search(&row.affiliation_id).is_ok() {
                let salary = row.salary.record()?.salary;
                salaries.entry(row.affiliation_id).or_default().push(salary);
            }
        }
        Ok(salaries)
    }

    /// The month's own lines: every affiliation of the employer covering part of `month`.
    pub(crate) async fn month_lines(
        &self,
        employer_id: i64,
        month: Month,
    ) -> Result<Vec<ComputedLine>> {
        const SQL: &str = MONTH_PERIODS_SQL;
        let rules = self.employer_rules(employer_id).await?;
        let mut lines = Vec::new();
        let mut after = 0_i64;
        loop {
            let rows: Vec<PeriodRow> = with_pool!(self, pool => {
                sqlx::query_as(SQL)
                    .bind(employer_id).bind(after).bind(month.last_day())
                    .bind(month.first_day()).bind(CHUNK)
                    .fetch_all(pool).await?
            });
            let Some(last) = rows.last() else { break };
            after = last.id;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let mut salaries = self.salaries_of(employer_id, &ids).await?;
            for row in &rows {
                let terms = terms_of(row, &mut salaries, &rules);
                let due = premium_for_month(&terms, month);
                if due.days > 0 {
                    let (premium, days) = (due.premium.0, i64::from(due.days));
                    lines.push(ComputedLine::new(row.id, month, &due, premium, days));
                }
            }
        }
        Ok(lines)
    }

    /// The regularisations of the months in `billed_months` for the affiliations whose
    /// dates, category or salaries changed at or after `since`, or whose category got a
    /// plan rule then.
    pub(crate) async fn regularisation_lines(
        &self,
        employer_id: i64,
        billed_months: &[Month],
        since: DateTime<Utc>,
    ) -> Result<Vec<ComputedLine>> {
        if billed_months.is_empty() {
            return Ok(Vec::new());
        }
        let (changed, plan_only) = self.changed_since(employer_id, since).await?;
        let rules = self.employer_rules(employer_id).await?;
        let mut lines = Vec::new();
        for ids in changed.chunks(500) {
            let rows = self.periods_of(employer_id, ids).await?;
            let mut salaries = self.salaries_of(employer_id, ids).await?;
            let billed = self.billed(employer_id, ids).await?;
            for row in &rows {
                let terms = terms_of(row, &mut salaries, &rules);
                for &month in billed_months {
                    let (was_premium, was_days) =
                        billed.get(&(row.id, month)).copied().unwrap_or((0, 0));
                    let due = premium_for_month(&terms, month);
                    let days = i64::from(due.days);
                    if due.premium.0 == was_premium && days == was_days {
                        continue;
                    }
                    let mut line = ComputedLine::new(
                        row.id,
                        month,
                        &due,
                        due.premium.0 - was_premium,
                        days - was_days,
                    );
                    let billed_days = u32::try_from(was_days.max(0)).unwrap_or(u32::MAX);
                    let plan_only = plan_only.contains(&row.id);
                    line.reason = Some(reason_for(billed_days, due.days, row.moved, plan_only));
                    lines.push(line);
                }
            }
        }
        Ok(lines)
    }

    /// The employer's affiliations changed at or after `since`, in id order, and those of
    /// them whose only change is a plan rule of their category.
    async fn changed_since(
        &self,
        employer_id: i64,
        since: DateTime<Utc>,
    ) -> Result<(Vec<i64>, HashSet<i64>)> {
        const CHANGED: &str = "SELECT id FROM affiliations \
              WHERE employer_id = $1 AND terms_changed_at >= $2 \
            UNION SELECT affiliation_id FROM affiliation_salaries \
              WHERE employer_id = $1 AND created_at >= $2 ORDER BY 1";
        const PLAN_CHANGED: &str = "SELECT a.id FROM affiliations a \
            WHERE a.employer_id = $1 AND a.category_id IN (SELECT r.category_id \
              FROM category_plan_rules r WHERE r.employer_id = $1 AND r.created_at >= $2)";
        let (mut changed, plan_changed): (Vec<i64>, Vec<i64>) = with_pool!(self, pool => {
            let changed = sqlx::query_scalar(CHANGED).bind(employer_id).bind(since)
                .fetch_all(pool).await?;
            let plan = sqlx::query_scalar(PLAN_CHANGED).bind(employer_id).bind(since)
                .fetch_all(pool).await?;
            (changed, plan)
        });
        let plan_only: HashSet<i64> = plan_changed
            .into_iter()
            .filter(|id| changed.binary_search(id).is_err())
            .collect();
        changed.extend(plan_only.iter().copied());
        changed.sort_unstable();
        Ok((changed, plan_only))
    }

    /// The periods of the employer's affiliations `ids`.
    async fn periods_of(&self, employer_id: i64, ids: &[i64]) -> Result<Vec<PeriodRow>> {
        with_pool!(self, pool, Db => {
            let mut query = sqlx::QueryBuilder::<Db>::new(periods_sql!(""));
            query.push("WHERE a.employer_id = ").push_bind(employer_id).push(" AND a.id IN (");
            let mut each = query.separated(", ");
            for id in ids {
                each.push_bind(*id);
            }
            query.push(") ORDER BY a.id");
            Ok(query.build_query_as().fetch_all(pool).await?)
        })
    }

    /// What the issued statements billed so far for each of `ids` and month: premium and days.
    async fn billed(
        &self,
        employer_id: i64,
        ids: &[i64],
    ) -> Result<HashMap<(i64, Month), (i64, i64)>> {
        let rows: Vec<BilledRow> = with_pool!(self, pool, Db => {
            let mut query = sqlx::QueryBuilder::<Db>::new(
                "SELECT affiliation_id, charged_month, CAST(SUM(premium_cents) AS BIGINT) \
                 AS premium_cents, CAST(SUM(days) AS BIGINT) AS days \
                 FROM premium_statement_lines WHERE employer_id = ",
            );
            query.push_bind(employer_id).push(" AND affiliation_id IN (");
            let mut each = query.separated(", ");
            for id in ids {
                each.push_bind(*id);
            }
            query.push(") GROUP BY affiliation_id, charged_month");
            query.build_query_as().fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|r| {
                let month = super::stored_month(&r.charged_month)?;
                Ok(((r.affiliation_id, month), (r.premium_cents, r.days)))
            })
            .collect()
    }
}

/// The engine's view of one affiliation (its salaries are taken out of `salaries`).
fn terms_of(
    row: &PeriodRow,
    salaries: &mut HashMap<i64, Vec<SalaryFrom>>,
    rules: &HashMap<i64, Vec<RuleFrom>>,
) -> AffiliationTerms {
    AffiliationTerms {
        start: Some(row.affiliation_start),
        end: row.end_date,
        salaries: salaries.remove(&row.id).unwrap_or_default(),
        rules: rules.get(&row.category_id).cloned().unwrap_or_default(),
    }
}

/// The sum of `lines`, as the statement's total.
pub(crate) fn total_of(lines: &[ComputedLine]) -> Cents {
    Cents(lines.iter().map(|l| l.premium_cents).sum())
}
