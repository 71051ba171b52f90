//! Reading issued statements inside a scope: a consult user of some contracts sees their
//! subtotals, charges and lines, never those of the employer's other contracts.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::premium::{
    Cents, Fraction, Month, ReasonCode, StatementLine, StructuredCommunication,
};
use futures_util::TryStreamExt;
use serde::Serialize;

use super::stored_month;
use crate::db::{BulkRead, with_pool};
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// A statement as the scope sees it.
#[derive(Debug, Clone, Serialize)]
pub struct StatementHeader {
    pub id: i64,
    pub month: Month,
    pub issued_at: DateTime<Utc>,
    pub due_date: NaiveDate,
    /// The scope's part of the statement.
    pub total_cents: i64,
    pub line_count: i64,
    pub subtotals: Vec<StatementSubtotal>,
    pub charges: Vec<StatementCharge>,
}

/// One contract's category on a statement.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StatementSubtotal {
    pub contract_number: String,
    pub category_name: String,
    pub lines: i64,
    pub amount_cents: i64,
}

/// Where a charge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    Open,
    Paid,
    /// Not fully paid after its due date.
    Late,
}

/// What a statement charges one contract, with what was paid.
#[derive(Debug, Clone, Serialize)]
pub struct StatementCharge {
    pub id: i64,
    pub month: Month,
    pub contract_number: String,
    pub amount_cents: i64,
    pub paid_cents: i64,
    pub due_date: NaiveDate,
    /// +++123/4567/89002+++
    pub communication: String,
    pub status: ChargeStatus,
}

impl StatementCharge {
    pub fn outstanding_cents(&self) -> i64 {
        (self.amount_cents - self.paid_cents).max(0)
    }
}

#[derive(sqlx::FromRow)]
struct LineRow {
    contract_number: String,
    category_name: String,
    employee_number: Option<String>,
    name: String,
    national_number: String,
    charged_month: String,
    salary_cents: i64,
    fraction_ten_thousandths: i64,
    days: i64,
    premium_cents: i64,
    reason: Option<String>,
}

impl TryFrom<LineRow> for StatementLine {
    type Error = StoreError;

    fn try_from(r: LineRow) -> Result<StatementLine> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("statement line {what}"));
        Ok(StatementLine {
            contract: r.contract_number,
            category: r.category_name,
            employee_number: r.employee_number,
            name: r.name,
            national_number: r.national_number,
            month: stored_month(&r.charged_month)?,
            salary: Cents(r.salary_cents),
            fraction: u16::try_from(r.fraction_ten_thousandths)
                .ok()
                .and_then(Fraction::new)
                .ok_or_else(|| corrupt("fraction"))?,
            days: i32::try_from(r.days).map_err(|_| corrupt("days"))?,
            premium: Cents(r.premium_cents),
            reason: match r.reason {
                Some(code) => Some(ReasonCode::from_code(&code).ok_or_else(|| corrupt("reason"))?),
                None => None,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct HeaderRow {
    id: i64,
    month: String,
    issued_at: DateTime<Utc>,
    due_date: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct ChargeRow {
    id: i64,
    month: String,
    contract_number: String,
    amount_cents: i64,
    paid_cents: i64,
    due_date: NaiveDate,
}

impl ChargeRow {
    fn charge(self, today: NaiveDate) -> Result<StatementCharge> {
        let number = u64::try_from(self.id).ok();
        let communication = number
            .and_then(StructuredCommunication::for_number)
            .ok_or_else(|| StoreError::Corrupt("charge number".to_owned()))?;
        let status = if self.paid_cents >= self.amount_cents {
            ChargeStatus::Paid
        } else if today > self.due_date {
            ChargeStatus::Late
        } else {
            ChargeStatus::Open
        };
        Ok(StatementCharge {
            id: self.id,
            month: stored_month(&self.month)?,
            contract_number: self.contract_number,
            amount_cents: self.amount_cents,
            paid_cents: self.paid_cents,
            due_date: self.due_date,
            communication: communication.to_string(),
            status,
        })
    }
}

/// What was paid of charge `ch`, as `paid_cents`.
macro_rules! paid_cents_sql {
    () => {
        "CAST(COALESCE((SELECT SUM(p.amount_cents) FROM premium_payments p \
           WHERE p.employer_id = ch.employer_id AND p.charge_id = ch.id), 0) AS BIGINT) \
           AS paid_cents"
    };
}
pub(super) use paid_cents_sql;

/// Charges with their payments; `$1` employer, `$2`/`$3` the scope, then the caller's
/// condition and order.
macro_rules! charges_sql {
    ($tail:literal) => {
        concat!(
            "SELECT ch.id, s.month, c.number AS contract_number, ch.amount_cents, \
               ",
            paid_cents_sql!(),
            ", ch.due_date \
             FROM premium_charges ch \
             JOIN premium_statements s ON s.employer_id = ch.employer_id AND s.id = ch.statement_id \
             JOIN contracts c ON c.employer_id = ch.employer_id AND c.id = ch.contract_id \
             WHERE ch.employer_id = $1 AND ",
            in_scope_sql!("ch.contract_id", "$2", "$3"),
            $tail
        )
    };
}

impl Store {
    /// The scope's view of the employer's statement of `month`; None when it was not issued.
    pub async fn find_statement(
        &self,
        scope: &Scope,
        month: Month,
        today: NaiveDate,
    ) -> Result<Option<StatementHeader>> {
        const HEADER: &str = "SELECT id, month, issued_at, due_date FROM premium_statements \
            WHERE employer_id = $1 AND month = $2";
        const SUBTOTALS: &str = concat!(
            "SELECT l.contract_number, l.category_name, COUNT(*) AS lines, \
               CAST(SUM(l.premium_cents) AS BIGINT) AS amount_cents \
             FROM premium_statement_lines l WHERE l.employer_id = $1 AND l.statement_id = $4 \
               AND ",
            in_scope_sql!("l.contract_id", "$2", "$3"),
            " GROUP BY l.contract_number, l.category_name \
              ORDER BY l.contract_number, l.category_name"
        );
        const CHARGES: &str = charges_sql!(" AND ch.statement_id = $4 ORDER BY c.number");
        let employer_id = scope.employer_id();
        let found = with_pool!(self, pool => {
            let header: Option<HeaderRow> = sqlx::query_as(HEADER)
                .bind(employer_id).bind(month.key()).fetch_optional(pool).await?;
            let Some(header) = header else { return Ok(None) };
            let subtotals: Vec<StatementSubtotal> = sqlx::query_as(SUBTOTALS)
                .bind(employer_id).bind(scope.all_contracts()).bind(scope.sheet_id())
                .bind(header.id).fetch_all(pool).await?;
            let charges: Vec<ChargeRow> = sqlx::query_as(CHARGES)
                .bind(employer_id).bind(scope.all_contracts()).bind(scope.sheet_id())
                .bind(header.id).fetch_all(pool).await?;
            (header, subtotals, charges)
        });
        let (header, subtotals, charges) = found;
        Ok(Some(StatementHeader {
            id: header.id,
            month: stored_month(&header.month)?,
            issued_at: header.issued_at,
            due_date: header.due_date,
            total_cents: subtotals.iter().map(|s| s.amount_cents).sum(),
            line_count: subtotals.iter().map(|s| s.lines).sum(),
            subtotals,
            charges: charges
                .into_iter()
                .map(|c| c.charge(today))
                .collect::<Result<_>>()?,
        }))
    }

    /// The charges of the scope's contracts on statements of `year`, by month and contract.
    pub async fn list_charges(
        &self,
        scope: &Scope,
        year: i32,
        today: NaiveDate,
    ) -> Result<Vec<StatementCharge>> {
        const SQL: &str =
            charges_sql!(" AND s.month >= $4 AND s.month <= $5 ORDER BY s.month DESC, c.number");
        let rows: Vec<ChargeRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id()).bind(scope.all_contracts()).bind(scope.sheet_id())
                .bind(format!("{year:04}-01")).bind(format!("{year:04}-12"))
                .fetch_all(pool).await?
        });
        rows.into_iter().map(|c| c.charge(today)).collect()
    }

    /// Sends the lines of statement `statement_id` inside the scope to `sink`, in the
    /// statement's order, as they come (memory stays flat). Answers how many were sent.
    pub async fn stream_statement_lines(
        &self,
        scope: &Scope,
        statement_id: i64,
        sink: tokio::sync::mpsc::Sender<StatementLine>,
    ) -> Result<usize> {
        const SQL: &str = concat!(
            "SELECT l.contract_number, l.category_name, l.employee_number, l.name, \
               l.national_number, l.charged_month, l.salary_cents, \
               l.fraction_ten_thousandths, l.days, l.premium_cents, l.reason \
             FROM premium_statement_lines l WHERE l.employer_id = $1 AND l.statement_id = $4 \
               AND ",
            in_scope_sql!("l.contract_id", "$2", "$3"),
            " ORDER BY l.contract_number, l.category_name, l.name, l.national_number, \
               l.charged_month, l.id"
        );
        with_pool!(self, pool => {
            let mut connection = pool.begin_bulk_read().await?;
            let read = async {
                let mut sent = 0;
                let mut rows = sqlx::query_as::<_, LineRow>(SQL)
                    .bind(scope.employer_id()).bind(scope.all_contracts())
                    .bind(scope.sheet_id()).bind(statement_id)
                    .fetch(&mut *connection);
                while let Some(row) = rows.try_next().await? {
                    if sink.send(StatementLine::try_from(row)?).await.is_err() {
                        break;
                    }
                    sent += 1;
                }
                Ok(sent)
            }
            .await;
            pool.end_bulk_read(connection).await;
            read
        })
    }
}
