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
    let details = json!({ "step": step });
    record(store, actor, AuditEvent::LoginFailed, details, now).await
}

pub async fn login_succeeded(
    store: &Store,
    actor: &Actor,
    second_factor: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let details = json!({ "second_factor": second_factor });
    record(store, actor, AuditEvent::LoginSucceeded, details, now).await
}

/// A login event: in no employer's chain (the person has not chosen one yet).
async fn record(
    store: &Store,
    actor: &Actor,
    event: AuditEvent,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store.record_event(actor, None, event, details, now).await?;
    Ok(())
}
