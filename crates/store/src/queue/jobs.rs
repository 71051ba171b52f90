//! The worker's side of the queue: claim, heartbeat, complete, fail, release.
//!
//! Not tenant-scoped: a worker serves every employer. Every call after the claim takes the
//! claim's lease token and changes nothing when it no longer matches.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use ebdesk_domain::{ActionKind, ActionStatus};
use sqlx::AssertSqlSafe;

use crate::db::{BeginWrite, Engine, with_pool};
use crate::generated_files::{GeneratedFile, insert_generated_file};
use crate::list_query::arguments;
use crate::{Result, Store, StoreError};

/// The fencing token of one claim. A new claim of the same job gets a new token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseToken(String);

impl LeaseToken {
    fn fresh() -> Self {
        LeaseToken(uuid::Uuid::new_v4().to_string())
    }

    /// The token as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A job a worker holds the lease of.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub employer_id: i64,
    pub kind: ActionKind,
    /// The action's payload, JSON text.
    pub payload: String,
    /// Which attempt this is, from 1; a claim after an expired lease counts as one.
    pub attempt: u32,
    pub lease_token: LeaseToken,
    pub lease_until: DateTime<Utc>,
    /// The user who requested it: the job runs with that user's scope.
    pub requested_by: i64,
    pub employee_id: Option<i64>,
}

/// How a job without a file ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletedStatus {
    /// "Beschikbaar": a download is ready (stored elsewhere than in `generated_files`).
    Available,
    /// "Verwerkt": a change was applied.
    Processed,
}

impl From<CompletedStatus> for ActionStatus {
    fn from(status: CompletedStatus) -> Self {
        match status {
            CompletedStatus::Available => ActionStatus::Available,
            CompletedStatus::Processed => ActionStatus::Processed,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    employer_id: i64,
    kind: String,
    payload: String,
    attempts: i64,
    lease_until: DateTime<Utc>,
    requested_by: i64,
    employee_id: Option<i64>,
}

/// `now + duration`, saturating: a lease too long to represent never ends.
pub(crate) fn later(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(duration)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Whether the row `alias` may be claimed at `$1`: due, or running with an expired lease.
macro_rules! due_sql {
    ($alias:literal) => {
        concat!(
            "((",
            $alias,
            "status = 'requested' AND ",
            $alias,
            "run_after <= $1) OR (",
            $alias,
            "status = 'running' AND ",
            $alias,
            "lease_until <= $1))"
        )
    };
}

/// The claim: one statement that picks a due job and takes its lease. PostgreSQL skips rows
/// another claimer has locked; SQLite has one writer at a time (`BEGIN IMMEDIATE`). The
/// outer condition repeats the inner one, so a row that changed between the two is left alone.
///
/// Fair across employers (round robin): the employer whose last claim is oldest (or who was
/// never served) goes first, then the oldest due job of that employer. So one employer's
/// hundred queued jobs delay another employer's job by at most one claim per busy worker.
fn claim_sql(engine: Engine, kinds: usize) -> String {
    let lock = match engine {
        Engine::Sqlite => "",
        Engine::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let kinds: Vec<String> = (0..kinds).map(|i| format!("${}", 5 + i)).collect();
    format!(
        "UPDATE actions SET status = 'running', status_at = $1, claimed_at = $1, \
           attempts = attempts + 1, lease_token = $2, lease_until = $3, locked_by = $4 \
         WHERE id = (SELECT q.id FROM actions q WHERE {due_q} AND q.kind IN ({kinds}) \
           ORDER BY (SELECT t.claimed_at FROM actions t \
               WHERE t.employer_id = q.employer_id AND t.claimed_at IS NOT NULL \
               ORDER BY t.claimed_at DESC LIMIT 1) NULLS FIRST, \
             q.run_after, q.id LIMIT 1{lock}) \
           AND {due} \
         RETURNING id, employer_id, kind, payload, attempts, lease_until, requested_by, \
           employee_id",
        due_q = due_sql!("q."),
        due = due_sql!(""),
        kinds = kinds.join(", "),
    )
}

/// Ends a running job with `$3`, fenced by `$2`; returns the employer id, or no row when
/// the lease was lost.
pub(crate) const COMPLETE_SQL: &str = "UPDATE actions SET status = $3, status_at = $4, \
       processed_at = $4, error = NULL, lease_token = NULL, lease_until = NULL, locked_by = NULL \
     WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING employer_id";

/// Marks a running job done inside the caller's transaction `$tx`, so that the job's final
/// domain write and its completion commit together (a later store method that applies an
/// upload and completes its job uses it too). Evaluates to `Result<i64>` (the
/// employer id), [`StoreError::LeaseLost`] when the token no longer matches: roll back then.
macro_rules! complete_in_tx {
    ($tx:expr, $id:expr, $token:expr, $status:expr, $now:expr) => {{
        let employer: Option<i64> = sqlx::query_scalar($crate::queue::jobs::COMPLETE_SQL)
            .bind($id)
            .bind($token.as_str().to_owned())
            .bind(ebdesk_domain::ActionStatus::from($status).as_str())
            .bind($now)
            .fetch_optional(&mut *$tx)
            .await?;
        employer.ok_or($crate::StoreError::LeaseLost)
    }};
}
pub(crate) use complete_in_tx;

impl Store {
    /// Claims a due job of one of `kinds` (every kind this build knows when None): the oldest
    /// job of the employer served longest ago, so that employers take turns. Status running,
    /// a fresh lease token, `lease_until = now + lease`, one more attempt. None when nothing
    /// is due.
    pub async fn claim_next_job(
        &self,
        worker_id: &str,
        kinds: Option<&[ActionKind]>,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<ClaimedJob>> {
        let kinds = kinds.unwrap_or(ActionKind::ALL);
        if kinds.is_empty() {
            return Ok(None);
        }
        let sql = claim_sql(self.engine(), kinds.len());
        let token = LeaseToken::fresh();
        let lease_until = later(now, lease);
        let row: Option<ClaimRow> = with_pool!(self, pool => {
            let mut query = sqlx::query_as(AssertSqlSafe(sql))
                .bind(now)
                .bind(token.as_str().to_owned())
                .bind(lease_until)
                .bind(worker_id.to_owned());
            for kind in kinds {
                query = query.bind(kind.as_str());
            }
            let mut tx = pool.begin_write().await?;
            let row = query.fetch_optional(&mut *tx).await?;
            tx.commit().await?;
            row
        });
        row.map(|row| {
            Ok(ClaimedJob {
                kind: ActionKind::from_db(&row.kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("action kind {:?}", row.kind)))?,
                attempt: u32::try_from(row.attempts)
                    .map_err(|_| StoreError::Corrupt("action attempts".to_owned()))?,
                id: row.id,
                employer_id: row.employer_id,
                payload: row.payload,
                lease_token: token.clone(),
                lease_until: row.lease_until,
                requested_by: row.requested_by,
                employee_id: row.employee_id,
            })
        })
        .transpose()
    }

    /// Extends the lease to `now + lease`. False when the lease was lost: stop the job, its
    /// result would be refused.
    pub async fn heartbeat_job(
        &self,
        id: i64,
        token: &LeaseToken,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<bool> {
        const SQL: &str = "UPDATE actions SET lease_until = $3 \
            WHERE id = $1 AND lease_token = $2 AND status = 'running'";
        let rows = self
            .fenced_write(SQL, id, token, vec![Rest::Time(later(now, lease))], None)
            .await?;
        Ok(rows == 1)
    }

    /// Ends a running job as available or processed.
    pub async fn complete_job(
        &self,
        id: i64,
        token: &LeaseToken,
        status: CompletedStatus,
        now: DateTime<Utc>,
    ) -> Result<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            complete_in_tx!(tx, id, token, status, now)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores the job's file and marks the action available, in one transaction; nothing is
    /// stored when the lease was lost.
    pub async fn complete_job_with_file(
        &self,
        id: i64,
        token: &LeaseToken,
        file: &GeneratedFile,
        now: DateTime<Utc>,
    ) -> Result<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let employer_id = complete_in_tx!(tx, id, token, CompletedStatus::Available, now)?;
            insert_generated_file!(tx, employer_id, id, file, now)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records a failed attempt. With `retry_at` the job goes back to requested and is due
    /// again then; without it the action ends failed. `reason` is what the action list shows
    /// (a message key of the catalog, never internal details). An upload's progress goes
    /// with the attempt, in the same transaction: back to waiting for a retry, failed at the
    /// end, so its page never shows a check that is not running.
    pub async fn fail_job(
        &self,
        id: i64,
        token: &LeaseToken,
        reason: &str,
        now: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        const RETRY: &str = "UPDATE actions SET status = 'requested', status_at = $3, \
               run_after = $4, error = $5, lease_token = NULL, lease_until = NULL, locked_by = NULL \
            WHERE id = $1 AND lease_token = $2 AND status = 'running'";
        const FAIL: &str = "UPDATE actions SET status = 'failed', status_at = $3, error = $4, \
               lease_token = NULL, lease_until = NULL, locked_by = NULL \
            WHERE id = $1 AND lease_token = $2 AND status = 'running'";
        const UPLOAD_RETRY: &str = "UPDATE uploads SET phase = 'waiting', rows_done = 0, \
            rows_total = 0 WHERE action_id = $1 AND phase IN ('reading', 'validating')";
        const UPLOAD_FAIL: &str = "UPDATE uploads SET phase = 'failed' \
            WHERE action_id = $1 AND phase IN ('waiting', 'reading', 'validating')";
        let reason = reason.to_owned();
        let rows = match retry_at {
            Some(at) => {
                let rest = vec![Rest::Time(now), Rest::Time(at), Rest::Text(reason)];
                self.fenced_write(RETRY, id, token, rest, Some(UPLOAD_RETRY))
                    .await?
            }
            None => {
                let rest = vec![Rest::Time(now), Rest::Text(reason)];
                self.fenced_write(FAIL, id, token, rest, Some(UPLOAD_FAIL))
                    .await?
            }
        };
        if rows == 1 {
            Ok(())
        } else {
            Err(StoreError::LeaseLost)
        }
    }

    /// Gives a running job back on shutdown: requested, due now, and the attempt refunded
    /// (being interrupted is not the job's fault).
    pub async fn release_job(&self, id: i64, token: &LeaseToken, now: DateTime<Utc>) -> Result<()> {
        const SQL: &str = "UPDATE actions SET status = 'requested', status_at = $3, \
               run_after = $3, attempts = attempts - 1, lease_token = NULL, lease_until = NULL, \
               locked_by = NULL \
            WHERE id = $1 AND lease_token = $2 AND status = 'running'";
        let rows = self
            .fenced_write(SQL, id, token, vec![Rest::Time(now)], None)
            .await?;
        if rows == 1 {
            Ok(())
        } else {
            Err(StoreError::LeaseLost)
        }
    }
}

// The values of the `$3…` parameters of a fenced write: the typed bind of the lists (the
// callers keep their name for it).
use crate::list_query::Bind as Rest;

impl Store {
    /// Runs one `WHERE id = $1 AND lease_token = $2 …` statement in a write transaction and
    /// answers how many rows it changed (0: the lease was lost). `then`, with `$1` the id
    /// alone, runs in the same transaction when the fenced statement changed the job.
    async fn fenced_write(
        &self,
        sql: &'static str,
        id: i64,
        token: &LeaseToken,
        rest: Vec<Rest>,
        then: Option<&'static str>,
    ) -> Result<u64> {
        let token = token.as_str().to_owned();
        with_pool!(self, pool, Db => {
            let values = [Rest::I64(id), Rest::Text(token)].into_iter().chain(rest);
            let arguments = arguments::<Db>(values).map_err(sqlx::Error::Encode)?;
            let query = sqlx::query_with(sql, arguments);
            let mut tx = pool.begin_write().await?;
            let done = query.execute(&mut *tx).await?;
            if let Some(then) = then.filter(|_| done.rows_affected() == 1) {
                sqlx::query(then).bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }
}
