//! The action queue: every download request and change of an employer, and the durable job
//! queue that runs them.
//!
//! Jobs are rows of `actions`. A worker claims one with a short statement that writes a
//! fresh lease token; it runs the job outside any transaction, renews the lease with
//! heartbeats, and finishes it with its token: a worker whose lease expired and was taken
//! over by another cannot overwrite the result (fencing). See [`jobs`] for the worker's side
//! and [`list`] for the scoped reading side.

#[cfg(feature = "test-support")]
pub mod fixture;
pub(crate) mod jobs;
mod list;

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::ActionKind;

use crate::db::{BeginWrite, Engine, with_pool};
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

pub use jobs::{ClaimedJob, CompletedStatus, LeaseToken};
pub use list::{Action, ActionDetail, ActionEmployee, ActionFilter, ActionPage};

/// Rows on one page of the action list.
pub const ACTION_PAGE_SIZE: usize = 50;

/// The SQL condition that makes the action `alias` visible to a scope: `$1` binds the
/// employer, `$2` `Scope::all_contracts`, `$3` `Scope::sheet_id`.
///
/// An action is visible when it belongs to the employer and the sheet covers all contracts,
/// or it concerns an employee with an affiliation in the sheet's contracts, or it was
/// requested by the sheet's own user. One text for every query, as with `in_scope_sql!`.
macro_rules! action_visible_sql {
    ($alias:literal) => {
        concat!(
            "(",
            $alias,
            ".employer_id = $1 AND ($2 OR ",
            $alias,
            ".requested_by = (SELECT vs.user_id FROM user_sheets vs \
               WHERE vs.id = $3 AND vs.employer_id = $1) \
             OR EXISTS (SELECT 1 FROM affiliations va WHERE va.employer_id = $1 \
               AND va.employee_id = ",
            $alias,
            ".employee_id AND ",
            $crate::scope::in_scope_sql!("va.contract_id", "$2", "$3"),
            ")))"
        )
    };
}
pub(crate) use action_visible_sql;

/// A new action, requested by the user of the scope it is enqueued with.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub kind: ActionKind,
    /// The "omschrijving" column, e.g. "Aangevraagd op 04/08/2020".
    pub description: String,
    /// The employee the action is about; must be inside the scope.
    pub employee_id: Option<i64>,
    /// What the job needs, as JSON text (ids and choices, never bulk data).
    pub payload: String,
    /// The date a change takes effect, when it has one.
    pub effective_date: Option<NaiveDate>,
}

/// How many downloads of one kind a user may have pending (requested or running) at once,
/// across employers: enough for real work, too few to hold up the queue.
pub const PENDING_DOWNLOADS_PER_USER: i64 = 3;

/// What a download request led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadRequest {
    /// A new action was queued.
    Queued(i64),
    /// The same download (same user, employer, kind and payload) was still pending: this is
    /// its action, and nothing new was queued.
    Pending(i64),
}

impl DownloadRequest {
    /// The action the user should look at.
    pub fn action_id(self) -> i64 {
        match self {
            DownloadRequest::Queued(id) | DownloadRequest::Pending(id) => id,
        }
    }
}

/// Inserts an action due at once, requested by the sheet's user; no row when the sheet or
/// the employee is outside the scope. `$1` employer, `$2` all contracts, `$3` sheet, `$4`
/// kind, `$5` description, `$6` employee, `$7` now, `$8` effective date, `$9` payload.
const INSERT_ACTION_SQL: &str = concat!(
    "INSERT INTO actions (employer_id, kind, status, description, employee_id, \
       requested_by, requested_at, status_at, effective_date, payload, attempts, \
       run_after) \
     SELECT $1, $4, 'requested', $5, $6, s.user_id, $7, $7, $8, $9, 0, $7 \
     FROM user_sheets s WHERE s.id = $3 AND s.employer_id = $1 \
       AND ($6 IS NULL OR EXISTS (SELECT 1 FROM affiliations a \
         WHERE a.employer_id = $1 AND a.employee_id = $6 AND ",
    in_scope_sql!("a.contract_id", "$2", "$3"),
    ")) RETURNING id"
);

/// Binds [`INSERT_ACTION_SQL`] for `$scope`, `$action` and `$now`.
macro_rules! insert_action {
    ($scope:expr, $action:expr, $now:expr) => {
        sqlx::query_scalar(INSERT_ACTION_SQL)
            .bind($scope.employer_id())
            .bind($scope.all_contracts())
            .bind($scope.sheet_id())
            .bind($action.kind.as_str())
            .bind($action.description.clone())
            .bind($action.employee_id)
            .bind($now)
            .bind($action.effective_date)
            .bind($action.payload.clone())
    };
}

impl Store {
    /// Queues an action for the scope's employer, requested by the scope's own user, due at
    /// once. Answers [`StoreError::NotFound`] when `employee_id` is not an employee with an
    /// affiliation inside the scope, so nobody can file an action about someone they cannot see.
    pub async fn enqueue_action(
        &self,
        scope: &Scope,
        action: &NewAction,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let id: Option<i64> = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = insert_action!(scope, action, now)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            tx.commit().await?;
            id
        });
        id.ok_or(StoreError::NotFound)
    }

    /// Queues a download for the scope's user, unless the same download (same user,
    /// employer, kind and payload) is still requested or running: then answers that one.
    /// Refuses with `download-limit` when the user already has
    /// [`PENDING_DOWNLOADS_PER_USER`] downloads of this kind pending, at any employer.
    ///
    /// The check and the insert are one transaction that holds the user's row (SQLite:
    /// `BEGIN IMMEDIATE`; PostgreSQL: a row lock), so requests racing on several nodes still
    /// queue one job.
    pub async fn request_download(
        &self,
        scope: &Scope,
        action: &NewAction,
        now: DateTime<Utc>,
    ) -> Result<DownloadRequest> {
        const USER: &str = "SELECT s.user_id FROM user_sheets s \
            WHERE s.id = $1 AND s.employer_id = $2";
        // NO KEY UPDATE: serializes this user's requests without blocking the inserts of
        // other tables that reference the user.
        const LOCK: &str = "SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE";
        const SAME: &str = "SELECT id FROM actions WHERE requested_by = $1 AND kind = $2 \
              AND status IN ('requested', 'running') AND employer_id = $3 AND payload = $4 \
            ORDER BY id LIMIT 1";
        const PENDING: &str = "SELECT COUNT(*) FROM actions WHERE requested_by = $1 \
            AND kind = $2 AND status IN ('requested', 'running')";
        let postgres = self.engine() == Engine::Postgres;
        let kind = action.kind.as_str();
        let outcome = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user: Option<i64> = sqlx::query_scalar(USER)
                .bind(scope.sheet_id())
                .bind(scope.employer_id())
                .fetch_optional(&mut *tx)
                .await?;
            let user = user.ok_or(StoreError::NotFound)?;
            if postgres {
                sqlx::query(LOCK).bind(user).execute(&mut *tx).await?;
            }
            let same: Option<i64> = sqlx::query_scalar(SAME)
                .bind(user)
                .bind(kind)
                .bind(scope.employer_id())
                .bind(action.payload.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(id) = same {
                return Ok(DownloadRequest::Pending(id));
            }
            let pending: i64 = sqlx::query_scalar(PENDING)
                .bind(user)
                .bind(kind)
                .fetch_one(&mut *tx)
                .await?;
            if pending >= PENDING_DOWNLOADS_PER_USER {
                return Err(StoreError::Refused("download-limit"));
            }
            let id: Option<i64> = insert_action!(scope, action, now)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from_write)?;
            let id = id.ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            DownloadRequest::Queued(id)
        });
        Ok(outcome)
    }
}
