//! Writing an issued statement in one transaction: the header claims (employer, month),
//! the lines copy names and numbers as they are now, the charges sum the lines per
//! contract, and the audit entry, the e-mail and the master's action go with them.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::premium::Month;
use serde_json::json;

use super::compute::{ComputedLine, total_of};
use super::{IssueNotice, StatementIssue};
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, Pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::{Result, Store, StoreError};

/// Rows per INSERT on SQLite.
const BATCH_ROWS: usize = 500;

pub(crate) struct NewStatement {
    pub employer_id: i64,
    pub month: Month,
    pub due_date: NaiveDate,
    pub late_changes_until: Option<DateTime<Utc>>,
}

const CLAIM: &str = "INSERT INTO premium_statements (employer_id, month, issued_at, due_date, \
      total_cents, line_count, late_changes_until) VALUES ($1, $2, $3, $4, $5, $6, $7) \
    ON CONFLICT (employer_id, month) DO NOTHING RETURNING id";
const EXISTING: &str = "SELECT id FROM premium_statements WHERE employer_id = $1 AND month = $2";

/// The lines `v` (emp, st, af, m, s, f, d, p, r) with names and numbers copied from the
/// affiliation's employee, contract and category.
macro_rules! lines_from_v {
    () => {
        "INSERT INTO premium_statement_lines (employer_id, statement_id, \
      affiliation_id, contract_id, category_id, contract_number, category_name, \
      employee_number, name, national_number, charged_month, salary_cents, \
      fraction_ten_thousandths, days, premium_cents, reason) \
    SELECT v.emp, v.st, a.id, a.contract_id, a.category_id, c.number, g.name, \
      e.employee_number, e.last_name || ', ' || e.first_name, e.national_number, v.m, v.s, \
      v.f, v.d, v.p, v.r \
    FROM v \
    JOIN affiliations a ON a.employer_id = v.emp AND a.id = v.af \
    JOIN employees e ON e.employer_id = a.employer_id AND e.id = a.employee_id \
    JOIN contracts c ON c.employer_id = a.employer_id AND c.id = a.contract_id \
    JOIN categories g ON g.employer_id = a.employer_id AND g.id = a.category_id"
    };
}

const CHARGES: &str = "INSERT INTO premium_charges (employer_id, statement_id, contract_id, \
      amount_cents, due_date) \
    SELECT employer_id, statement_id, contract_id, SUM(premium_cents), $3 \
    FROM premium_statement_lines WHERE employer_id = $1 AND statement_id = $2 \
    GROUP BY employer_id, statement_id, contract_id";

/// The master's action, requested by the employer's master user (none without one).
const MASTER_ACTION: &str = "INSERT INTO actions (employer_id, kind, status, description, \
      employee_id, requested_by, requested_at, status_at, effective_date, payload, attempts, \
      run_after) \
    SELECT $1, $2, 'requested', $3, NULL, s.user_id, $4, $4, NULL, $5, 0, $4 \
    FROM user_sheets s WHERE s.employer_id = $1 AND s.rights = 'master' \
    ORDER BY s.id LIMIT 1";

/// Claims (employer, month) in `$tx`: the new statement's id; when the month is taken,
/// returns the existing statement's id from the enclosing function.
macro_rules! claim_or_return {
    ($tx:ident, $header:expr, $total:expr, $count:expr, $now:expr) => {{
        let claimed: Option<i64> = sqlx::query_scalar(CLAIM)
            .bind($header.employer_id)
            .bind($header.month.key())
            .bind($now)
            .bind($header.due_date)
            .bind($total)
            .bind($count)
            .bind($header.late_changes_until)
            .fetch_optional(&mut *$tx)
            .await?;
        match claimed {
            Some(id) => id,
            None => {
                let id: i64 = sqlx::query_scalar(EXISTING)
                    .bind($header.employer_id)
                    .bind($header.month.key())
                    .fetch_one(&mut *$tx)
                    .await?;
                return Ok(StatementIssue {
                    statement_id: id,
                    newly_issued: false,
                });
            }
        }
    }};
}

/// After the lines: checks their count, writes the charges, the master's action and the
/// effects, and commits `$tx`.
macro_rules! finish {
    ($tx:ident, $header:expr, $id:expr, $written:expr, $expected:expr, $notice:expr,
     $effects:expr, $actor:expr, $now:expr) => {{
        if $written != $expected {
            return Err(StoreError::Corrupt("statement lines".to_owned()));
        }
        sqlx::query(CHARGES)
            .bind($header.employer_id)
            .bind($id)
            .bind($header.due_date)
            .execute(&mut *$tx)
            .await?;
        if let Some(action) = &$notice.master_action {
            sqlx::query(MASTER_ACTION)
                .bind($header.employer_id)
                .bind(action.kind.as_str())
                .bind(action.description.clone())
                .bind($now)
                .bind(action.payload.clone())
                .execute(&mut *$tx)
                .await?;
        }
        write_effects!($tx, $effects, $actor.clone(), $now);
        $tx.commit().await?;
    }};
}

/// The audit entry and the notice mail of a newly issued statement.
fn issue_effects(header: &NewStatement, total: i64, count: i64, notice: &IssueNotice) -> Effects {
    let mut effects = Effects::default();
    effects.audit(
        Some(header.employer_id),
        AuditEvent::PremiumStatementIssued,
        json!({ "month": header.month.key(), "total_cents": total, "lines": count }),
    );
    if let Some(mail) = &notice.mail {
        effects.mail(mail.clone());
    }
    effects
}

impl Store {
    pub(super) async fn write_statement(
        &self,
        header: &NewStatement,
        lines: &[ComputedLine],
        notice: &IssueNotice,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StatementIssue> {
        let total = total_of(lines).0;
        let count = i64::try_from(lines.len()).map_err(|_| StoreError::Corrupt("lines".into()))?;
        let expected = u64::try_from(lines.len()).unwrap_or(u64::MAX);
        let effects = issue_effects(header, total, count, notice);
        let id = match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin_write().await?;
                let id = claim_or_return!(tx, header, total, count, now);
                let written = insert_lines_postgres(&mut tx, header.employer_id, id, lines).await?;
                finish!(
                    tx, header, id, written, expected, notice, effects, actor, now
                );
                id
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_write().await?;
                let id = claim_or_return!(tx, header, total, count, now);
                let mut written = 0;
                for part in lines.chunks(BATCH_ROWS) {
                    written += insert_lines_sqlite(&mut tx, header.employer_id, id, part).await?;
                }
                finish!(
                    tx, header, id, written, expected, notice, effects, actor, now
                );
                id
            }
        };
        Ok(StatementIssue {
            statement_id: id,
            newly_issued: true,
        })
    }
}

async fn insert_lines_postgres(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    employer_id: i64,
    statement_id: i64,
    lines: &[ComputedLine],
) -> Result<u64> {
    const SQL: &str = concat!(
        "WITH v AS (SELECT $1::bigint AS emp, $2::bigint AS st, t.* FROM UNNEST($3::bigint[], \
           $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[]) \
           AS t (af, m, s, f, d, p, r)) ",
        lines_from_v!()
    );
    let column = |f: fn(&ComputedLine) -> i64| lines.iter().map(f).collect::<Vec<_>>();
    let done = sqlx::query(SQL)
        .bind(employer_id)
        .bind(statement_id)
        .bind(column(|l| l.affiliation_id))
        .bind(
            lines
                .iter()
                .map(|l| l.charged_month.key())
                .collect::<Vec<_>>(),
        )
        .bind(column(|l| l.salary_cents))
        .bind(column(|l| l.fraction))
        .bind(column(|l| l.days))
        .bind(column(|l| l.premium_cents))
        .bind(
            lines
                .iter()
                .map(|l| l.reason.map(|r| r.code().to_owned()))
                .collect::<Vec<_>>(),
        )
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

async fn insert_lines_sqlite(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    employer_id: i64,
    statement_id: i64,
    lines: &[ComputedLine],
) -> Result<u64> {
    let mut insert =
        sqlx::QueryBuilder::<sqlx::Sqlite>::new("WITH v (emp, st, af, m, s, f, d, p, r) AS (");
    insert.push_values(lines, |mut row, l| {
        row.push_bind(employer_id)
            .push_bind(statement_id)
            .push_bind(l.affiliation_id)
            .push_bind(l.charged_month.key())
            .push_bind(l.salary_cents)
            .push_bind(l.fraction)
            .push_bind(l.days)
            .push_bind(l.premium_cents)
            .push_bind(l.reason.map(|r| r.code()));
    });
    insert.push(") ").push(lines_from_v!());
    let done = insert.build().execute(&mut **tx).await?;
    Ok(done.rows_affected())
}
