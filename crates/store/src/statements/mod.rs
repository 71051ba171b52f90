//! Premium statements ("Premiebordereel"): issued once per employer and month, never
//! changed afterwards, with what they charge per contract and the payments received.
//!
//! Issuing reads and computes outside any transaction ([`compute`]), then writes header,
//! lines, charges, audit entry, e-mail and the master's action in one write transaction
//! ([`write`]) whose first statement claims the (employer, month) pair: when two workers or
//! two scheduler runs race, the second finds the pair taken and writes nothing.

mod compute;
mod payments;
mod read;
mod write;

use chrono::{DateTime, Duration, Utc};
use ebdesk_domain::premium::Month;

use crate::db::with_pool;
use crate::effects::{Actor, OutgoingMail};
use crate::queue::NewAction;
use crate::{Result, Store, StoreError};

pub use payments::{ChargeToRemind, NewPayment, PaymentResult};
pub use read::{ChargeStatus, StatementCharge, StatementHeader, StatementSubtotal};

/// How far back, before the previous statement read its data, the next one looks for late
/// changes: covers clocks of several nodes that differ a little (looking again at an
/// unchanged affiliation costs nothing: it gives no line).
const LATE_CHANGE_MARGIN_HOURS: i64 = 1;

/// What issuing a month answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementIssue {
    pub statement_id: i64,
    /// False when the month had been issued before (by this call's rival, or earlier).
    pub newly_issued: bool,
}

/// What goes out with a statement, only when this call issued it.
#[derive(Debug, Clone, Default)]
pub struct IssueNotice {
    /// To the employer's notification address.
    pub mail: Option<OutgoingMail>,
    /// Queued as requested by the employer's master user, so the statement appears in
    /// "Overzicht acties"; none when the employer has no master.
    pub master_action: Option<NewAction>,
}

#[derive(sqlx::FromRow)]
struct PreviousRow {
    month: String,
    issued_at: DateTime<Utc>,
    late_changes_until: Option<DateTime<Utc>>,
}

impl Store {
    /// The id of the employer's statement of `month`, if it was issued.
    pub async fn find_statement_id(&self, employer_id: i64, month: Month) -> Result<Option<i64>> {
        const SQL: &str = "SELECT id FROM premium_statements WHERE employer_id = $1 AND month = $2";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(employer_id).bind(month.key())
                .fetch_optional(pool).await?
        }))
    }

    /// The months the employer has a statement of, latest first.
    pub async fn list_statement_months(&self, employer_id: i64) -> Result<Vec<Month>> {
        const SQL: &str =
            "SELECT month FROM premium_statements WHERE employer_id = $1 ORDER BY month DESC";
        let months: Vec<String> = with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(employer_id).fetch_all(pool).await?
        });
        months.iter().map(|m| stored_month(m)).collect()
    }

    /// The latest month the employer has a statement of.
    pub async fn latest_statement_month(&self, employer_id: i64) -> Result<Option<Month>> {
        const SQL: &str = "SELECT MAX(month) FROM premium_statements WHERE employer_id = $1";
        let month: Option<String> = with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(employer_id).fetch_one(pool).await?
        });
        month.map(|m| stored_month(&m)).transpose()
    }

    /// Issues the employer's statement of `month` unless it exists: the month's lines, and,
    /// when `month` comes after every issued month, the regularisations of the affiliations
    /// changed since the previous statement. Not scoped: a statement covers the employer.
    pub async fn issue_statement(
        &self,
        employer_id: i64,
        month: Month,
        notice: &IssueNotice,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StatementIssue> {
        if let Some(id) = self.find_statement_id(employer_id, month).await? {
            return Ok(StatementIssue {
                statement_id: id,
                newly_issued: false,
            });
        }
        let started = std::time::Instant::now();
        let mut lines = self.month_lines(employer_id, month).await?;
        let read = started.elapsed();
        let mut late_changes_until = None;
        if let Some(previous) = self.previous_statement(employer_id).await? {
            let previous_month = stored_month(&previous.month)?;
            if previous_month < month {
                let since = previous.late_changes_until.unwrap_or(previous.issued_at)
                    - Duration::hours(LATE_CHANGE_MARGIN_HOURS);
                let billed = self.billed_months(employer_id, month).await?;
                lines.extend(
                    self.regularisation_lines(employer_id, &billed, since)
                        .await?,
                );
                late_changes_until = Some(now);
            }
        } else {
            late_changes_until = Some(now);
        }
        let header = write::NewStatement {
            employer_id,
            month,
            due_date: ebdesk_domain::premium::due_date(month),
            late_changes_until,
        };
        let issued = self
            .write_statement(&header, &lines, notice, actor, now)
            .await?;
        tracing::info!(
            employer_id,
            month = %month.key(),
            lines = lines.len(),
            read_ms = read.as_millis(),
            total_ms = started.elapsed().as_millis(),
            new = issued.newly_issued,
            "premium statement"
        );
        Ok(issued)
    }

    async fn previous_statement(&self, employer_id: i64) -> Result<Option<PreviousRow>> {
        const SQL: &str = "SELECT month, issued_at, late_changes_until FROM premium_statements \
            WHERE employer_id = $1 ORDER BY month DESC LIMIT 1";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).fetch_optional(pool).await?
        }))
    }

    /// The months before `month` that have a statement, oldest first.
    async fn billed_months(&self, employer_id: i64, month: Month) -> Result<Vec<Month>> {
        let mut months = self.list_statement_months(employer_id).await?;
        months.retain(|m| *m < month);
        months.reverse();
        Ok(months)
    }

    /// The language of the employer's master user, what the employer's notices are
    /// written in; None without a master.
    pub async fn master_language(&self, employer_id: i64) -> Result<Option<String>> {
        const SQL: &str = "SELECT u.language FROM user_sheets s JOIN users u ON u.id = s.user_id \
            WHERE s.employer_id = $1 AND s.rights = 'master' ORDER BY s.id LIMIT 1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(employer_id).fetch_optional(pool).await?
        }))
    }

    /// The employers that have no statement of `month` yet, by id (what the scheduler
    /// issues).
    pub async fn employers_without_statement(&self, month: Month) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT e.id FROM employers e WHERE NOT EXISTS \
            (SELECT 1 FROM premium_statements s WHERE s.employer_id = e.id AND s.month = $1) \
            ORDER BY e.id";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(month.key()).fetch_all(pool).await?
        }))
    }
}

/// A month as statements store it ("2026-11").
pub(crate) fn stored_month(text: &str) -> Result<Month> {
    Month::parse(text).ok_or_else(|| StoreError::Corrupt(format!("statement month {text:?}")))
}
