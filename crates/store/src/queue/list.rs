//! Reading the action queue ("Overzicht acties"), always through a scope.

use chrono::{DateTime, Months, NaiveDate, Utc};
use ebdesk_domain::{ActionKind, ActionStatus};
use serde::Serialize;

use super::{ACTION_PAGE_SIZE, action_visible_sql};
use crate::db::with_pool;
use crate::list_query::{Keyset, ListQuery, Page};
use crate::{ListCursor, Result, Scope, Store, StoreError};

/// Which actions the list keeps. Newest first, keyset-paged.
#[derive(Debug, Clone)]
pub struct ActionFilter {
    pub kind: Option<ActionKind>,
    pub status: Option<ActionStatus>,
    /// Only actions requested from then on; None for all of them ("older on request").
    pub since: Option<DateTime<Utc>>,
    /// `After(id)`: the older page after that action; `Before(id)`: the newer page before it.
    pub cursor: ListCursor,
}

impl ActionFilter {
    /// The default view: every kind and status of the last three months.
    pub fn recent(now: DateTime<Utc>) -> Self {
        ActionFilter {
            kind: None,
            status: None,
            since: Some(now.checked_sub_months(Months::new(3)).unwrap_or(now)),
            cursor: ListCursor::First,
        }
    }
}

/// The employee an action is about, for the "by names" and "by numbers" views.
#[derive(Debug, Clone, Serialize)]
pub struct ActionEmployee {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub employee_number: Option<String>,
}

/// One line of the action list.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub id: i64,
    pub kind: ActionKind,
    pub status: ActionStatus,
    pub description: String,
    pub employee: Option<ActionEmployee>,
    pub requested_by: i64,
    pub requested_at: DateTime<Utc>,
    /// "Datum status": when the status last changed.
    pub status_at: DateTime<Utc>,
    /// "Datum verwerking": when the action became available or processed.
    pub processed_at: Option<DateTime<Utc>>,
    pub effective_date: Option<NaiveDate>,
    /// Why it failed (or why the last attempt failed, while a retry waits): a message key.
    pub error: Option<String>,
    pub attempts: u32,
}

/// Everything the detail page of an action shows.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDetail {
    pub action: Action,
    pub requested_by_name: String,
    /// What the action carries (what changed, what was asked), JSON text.
    pub payload: String,
    /// The generated file's name and end of retention, when there is one.
    pub file: Option<(String, DateTime<Utc>)>,
    /// While running: the worker that holds the lease, and until when (for operators).
    pub lease: Option<(String, DateTime<Utc>)>,
}

/// One page of the action list.
pub type ActionPage = Page<Action>;

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    kind: String,
    status: String,
    description: String,
    employee_id: Option<i64>,
    last_name: Option<String>,
    first_name: Option<String>,
    employee_number: Option<String>,
    requested_by: i64,
    requested_at: DateTime<Utc>,
    status_at: DateTime<Utc>,
    processed_at: Option<DateTime<Utc>>,
    effective_date: Option<NaiveDate>,
    error: Option<String>,
    attempts: i64,
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    action: ActionRow,
    requested_by_name: String,
    payload: String,
    file_name: Option<String>,
    file_expires_at: Option<DateTime<Utc>>,
    locked_by: Option<String>,
    lease_until: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "x.id, x.kind, x.status, x.description, x.employee_id, e.last_name, \
    e.first_name, e.employee_number, x.requested_by, x.requested_at, x.status_at, \
    x.processed_at, x.effective_date, x.error, x.attempts";

impl TryFrom<ActionRow> for Action {
    type Error = StoreError;

    fn try_from(row: ActionRow) -> Result<Self> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let employee = match (row.employee_id, row.last_name, row.first_name) {
            (Some(id), Some(last_name), Some(first_name)) => Some(ActionEmployee {
                id,
                last_name,
                first_name,
                employee_number: row.employee_number,
            }),
            _ => None,
        };
        Ok(Action {
            kind: ActionKind::from_db(&row.kind)
                .ok_or_else(|| corrupt(format!("action kind {:?}", row.kind)))?,
            status: ActionStatus::from_db(&row.status)
                .ok_or_else(|| corrupt(format!("action status {:?}", row.status)))?,
            attempts: u32::try_from(row.attempts)
                .map_err(|_| corrupt("action attempts".to_owned()))?,
            id: row.id,
            description: row.description,
            employee,
            requested_by: row.requested_by,
            requested_at: row.requested_at,
            status_at: row.status_at,
            processed_at: row.processed_at,
            effective_date: row.effective_date,
            error: row.error,
        })
    }
}

fn list_query(scope: &Scope, filter: &ActionFilter) -> ListQuery {
    let mut q = ListQuery::new(
        format!(
            "SELECT {COLUMNS} FROM actions x \
             LEFT JOIN employees e ON e.employer_id = x.employer_id AND e.id = x.employee_id \
             WHERE {}",
            action_visible_sql!("x")
        ),
        [
            scope.employer_id().into(),
            scope.all_contracts().into(),
            scope.sheet_id().into(),
        ],
    );
    if let Some(kind) = filter.kind {
        q.push_bind(" AND x.kind = ", kind.as_str());
    }
    if let Some(status) = filter.status {
        q.push_bind(" AND x.status = ", status.as_str());
    }
    if let Some(since) = filter.since {
        q.push_bind(" AND x.requested_at >= ", since);
    }
    let keyset = Keyset {
        alias: "x.",
        key: Some(("requested_at", "actions")),
        descending: true,
        sort_matches: false,
    };
    q.page(&keyset, filter.cursor, ACTION_PAGE_SIZE);
    q
}

impl Store {
    /// One page of the actions the scope may see, newest first.
    pub async fn list_actions(&self, scope: &Scope, filter: &ActionFilter) -> Result<ActionPage> {
        let rows: Vec<ActionRow> = with_pool!(self, pool, Db => {
            list_query(scope, filter).build::<Db, _>()?.fetch_all(pool).await?
        });
        Page::from_fetched(rows, filter.cursor, ACTION_PAGE_SIZE).try_map(Action::try_from)
    }

    /// The action with this id, if the scope may see it.
    pub async fn find_action(&self, scope: &Scope, id: i64) -> Result<Option<ActionDetail>> {
        const SQL: &str = concat!(
            "SELECT x.id, x.kind, x.status, x.description, x.employee_id, e.last_name, \
               e.first_name, e.employee_number, x.requested_by, x.requested_at, x.status_at, \
               x.processed_at, x.effective_date, x.error, x.attempts, \
               u.display_name AS requested_by_name, x.payload, f.file_name, \
               f.expires_at AS file_expires_at, x.locked_by, x.lease_until \
             FROM actions x \
             JOIN users u ON u.id = x.requested_by \
             LEFT JOIN employees e ON e.employer_id = x.employer_id AND e.id = x.employee_id \
             LEFT JOIN generated_files f ON f.employer_id = x.employer_id AND f.action_id = x.id \
             WHERE x.id = $4 AND ",
            action_visible_sql!("x")
        );
        let row: Option<DetailRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|row| {
            Ok(ActionDetail {
                action: Action::try_from(row.action)?,
                requested_by_name: row.requested_by_name,
                payload: row.payload,
                file: row.file_name.zip(row.file_expires_at),
                lease: row.locked_by.zip(row.lease_until),
            })
        })
        .transpose()
    }
}
