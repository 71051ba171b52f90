//! Years of past actions and audit entries. PostgreSQL takes the actions as arrays in one
//! statement (`UNNEST`), SQLite in multi-row statements; audit entries go through the
//! chain's own append, so that `ebdesk audit verify` holds after a load.

use ebdesk_domain::ActionStatus;

use serde_json::json;

use super::{BATCH_ROWS, HistoricAction, HistoricAudit};
use crate::audit::{AuditEntry, AuditEvent, AuditTx};
use crate::db::{BeginWrite, Pool, with_pool};
use crate::{Result, Store, StoreError};

/// The start of every INSERT of past actions.
macro_rules! action_columns {
    () => {
        "INSERT INTO actions (employer_id, kind, status, description, employee_id, \
           requested_by, requested_at, status_at, effective_date, processed_at, payload, \
           attempts, run_after, error) "
    };
}
const ACTION_COLUMNS: &str = action_columns!();

/// When a past action was processed: changes at once, jobs a little later.
fn processed_at(a: &HistoricAction) -> Option<chrono::DateTime<chrono::Utc>> {
    match a.status {
        ActionStatus::Processed | ActionStatus::Withdrawn => Some(a.requested_at),
        ActionStatus::Available | ActionStatus::Failed => {
            Some(a.requested_at + chrono::Duration::seconds(4))
        }
        ActionStatus::Requested | ActionStatus::Running => None,
    }
}

/// One array parameter of an `UNNEST`: `field` of every item.
fn column<T, U>(items: &[T], field: impl Fn(&T) -> U) -> Vec<U> {
    items.iter().map(field).collect()
}

impl Store {
    /// Inserts past actions in one transaction. They hold no lease and no file: a download
    /// of the past shows as expired.
    pub async fn insert_historic_actions(&self, actions: &[HistoricAction]) -> Result<()> {
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin_write().await?;
                insert_actions_postgres(&mut tx, actions).await?;
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_write().await?;
                for part in actions.chunks(BATCH_ROWS) {
                    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(ACTION_COLUMNS);
                    insert.push_values(part, |mut row, a| {
                        let attempts = i64::from(processed_at(a).is_some());
                        row.push_bind(a.employer_id)
                            .push_bind(a.kind.as_str())
                            .push_bind(a.status.as_str())
                            .push_bind(a.description.clone())
                            .push_bind(a.employee_id)
                            .push_bind(a.requested_by)
                            .push_bind(a.requested_at)
                            .push_bind(processed_at(a).unwrap_or(a.requested_at))
                            .push_bind(a.effective_date)
                            .push_bind(processed_at(a))
                            .push_bind(a.payload.clone())
                            .push_bind(attempts)
                            .push_bind(a.requested_at)
                            .push_bind(a.error.clone());
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
        Ok(())
    }

    /// Appends audit entries to their chains in one transaction, in the order given.
    pub async fn append_audit_history(&self, entries: &[HistoricAudit]) -> Result<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for entry in entries {
                tx.append_audit(&audit_entry(entry)).await?;
            }
            tx.commit().await?;
        });
        // Each append looks up its chain's last hash: with the statistics of an empty table
        // PostgreSQL scans the whole log for it, and a load of 23 000 entries took 64 s.
        if let Pool::Postgres(pool) = &self.pool {
            sqlx::query("ANALYZE audit_log").execute(pool).await?;
        }
        Ok(())
    }
}

/// The entry as the application writes it for the same event.
fn audit_entry(entry: &HistoricAudit) -> AuditEntry {
    match entry {
        HistoricAudit::SheetCreated {
            employer_id,
            user_id,
            rights,
            external,
            at,
        } => AuditEntry::new(AuditEvent::SheetCreated, *at)
            .employer(*employer_id)
            .details(json!({
                "rights": rights.as_str(),
                "contracts": null,
                "external": external,
                "valid_until": null,
                "user_id": user_id,
            })),
        HistoricAudit::Login { user_id, ip, at } => {
            AuditEntry::new(AuditEvent::LoginSucceeded, *at)
                .user(*user_id)
                .ip(Some(ip.clone()))
                .details(json!({ "second_factor": "totp" }))
        }
    }
}

async fn insert_actions_postgres(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    actions: &[HistoricAction],
) -> Result<()> {
    const SQL: &str = concat!(
        action_columns!(),
        "SELECT er, k, s, d, ee, rb, ra, COALESCE(pa, ra), ed, pa, p, \
           CASE WHEN pa IS NULL THEN 0 ELSE 1 END, ra, x \
         FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], \
           $6::bigint[], $7::timestamptz[], $8::date[], $9::timestamptz[], $10::text[], \
           $11::text[]) AS t (er, k, s, d, ee, rb, ra, ed, pa, p, x)"
    );
    sqlx::query(SQL)
        .bind(column(actions, |a| a.employer_id))
        .bind(column(actions, |a| a.kind.as_str().to_owned()))
        .bind(column(actions, |a| a.status.as_str().to_owned()))
        .bind(column(actions, |a| a.description.clone()))
        .bind(column(actions, |a| a.employee_id))
        .bind(column(actions, |a| a.requested_by))
        .bind(column(actions, |a| a.requested_at))
        .bind(column(actions, |a| a.effective_date))
        .bind(column(actions, processed_at))
        .bind(column(actions, |a| a.payload.clone()))
        .bind(column(actions, |a| a.error.clone()))
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}
