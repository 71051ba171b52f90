//! The "Historiek" of an employee: the changes filed about them, newest first.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::{ActionKind, ActionStatus};
use serde::Serialize;

use crate::db::with_pool;
use crate::queue::action_visible_sql;
use crate::{Result, Scope, Store, StoreError};

/// Most entries the employee page shows.
const HISTORY_LIMIT: i64 = 200;

/// One change of an employee: what, when, by whom.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub action_id: i64,
    pub kind: ActionKind,
    pub status: ActionStatus,
    pub requested_at: DateTime<Utc>,
    pub effective_date: Option<NaiveDate>,
    pub requested_by_name: String,
    pub description: String,
    /// What the action keeps (the changes, the exit's end date and reason), as JSON.
    pub details: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    id: i64,
    kind: String,
    status: String,
    requested_at: DateTime<Utc>,
    effective_date: Option<NaiveDate>,
    display_name: String,
    description: String,
    payload: String,
}

impl Store {
    /// The changes filed about an employee that the scope may see, newest first.
    pub async fn list_employee_history(
        &self,
        scope: &Scope,
        employee_id: i64,
    ) -> Result<Vec<HistoryEntry>> {
        const SQL: &str = concat!(
            "SELECT x.id, x.kind, x.status, x.requested_at, x.effective_date, u.display_name, \
               x.description, x.payload \
             FROM actions x JOIN users u ON u.id = x.requested_by \
             WHERE x.employee_id = $4 AND x.kind IN ($5, $6, $7, $8) AND ",
            action_visible_sql!("x"),
            " ORDER BY x.id DESC LIMIT $9"
        );
        let [a, b, c, d] = ActionKind::EMPLOYEE_CHANGES;
        let rows: Vec<HistoryRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(employee_id)
                .bind(a.as_str())
                .bind(b.as_str())
                .bind(c.as_str())
                .bind(d.as_str())
                .bind(HISTORY_LIMIT)
                .fetch_all(pool)
                .await?
        });
        let corrupt = |what: String| StoreError::Corrupt(what);
        rows.into_iter()
            .map(|r| {
                Ok(HistoryEntry {
                    kind: ActionKind::from_db(&r.kind)
                        .ok_or_else(|| corrupt(format!("action kind {:?}", r.kind)))?,
                    status: ActionStatus::from_db(&r.status)
                        .ok_or_else(|| corrupt(format!("action status {:?}", r.status)))?,
                    details: serde_json::from_str(&r.payload)
                        .map_err(|_| corrupt("action payload".to_owned()))?,
                    action_id: r.id,
                    requested_at: r.requested_at,
                    effective_date: r.effective_date,
                    requested_by_name: r.display_name,
                    description: r.description,
                })
            })
            .collect()
    }
}
