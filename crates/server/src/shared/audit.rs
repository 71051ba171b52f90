//! The audit events the web layer records itself (logins); changes record theirs in the
//! store, in the transaction of the change.

use chrono::{DateTime, Utc};
use ebdesk_store::{Actor, AuditEvent, Store};
use serde_json::json;

use super::AppError;

pub async fn login_failed(
    store: &Store,
    actor: &Actor,
    step: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store
        .record_event(
            actor,
            None,
            AuditEvent::LoginFailed,
            json!({ "step": step }),
            now,
        )
        .await?;
    Ok(())
}

pub async fn login_succeeded(
    store: &Store,
    actor: &Actor,
    second_factor: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store
        .record_event(
            actor,
            None,
            AuditEvent::LoginSucceeded,
            json!({ "second_factor": second_factor }),
            now,
        )
        .await?;
    Ok(())
}
