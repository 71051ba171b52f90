//! Decisions on an action (apply an upload, withdraw an exit): back to its page, which says
//! why when the decision was refused.

use actix_web::HttpResponse;
use ebdesk_store::StoreError;

use super::{AppError, Tenant, see_other};

/// Why a decision on an action can be refused (an upload's, a withdrawal's); the action's
/// page says it, read from `?geweigerd=`.
pub const REFUSALS: [&str; 7] = [
    "upload-not-ready",
    "upload-has-errors",
    "upload-stale",
    "exit-withdraw-not-possible",
    "exit-withdraw-other-user",
    "exit-withdraw-too-late",
    "exit-withdraw-stale",
];

/// The page of one action of the tenant's employer ("Overzicht acties"), which every change,
/// upload and download leads to.
pub fn to_action(tenant: &Tenant, id: i64) -> HttpResponse {
    see_other(&format!(
        "/werkgevers/{}/acties/{id}",
        tenant.access.employer().number
    ))
}

/// The refusal a `?geweigerd=` names, when it is one of [`REFUSALS`].
pub fn refusal_named(key: &str) -> Option<&'static str> {
    REFUSALS.iter().copied().find(|r| *r == key)
}

/// Back to the action's page, which says why the decision was refused.
pub fn refused(tenant: &Tenant, id: i64, key: &str) -> Result<HttpResponse, AppError> {
    let key = REFUSALS
        .iter()
        .find(|k| **k == key)
        .ok_or_else(|| AppError::Internal(format!("unexpected refusal {key}")))?;
    Ok(see_other(&format!(
        "/werkgevers/{}/acties/{id}?geweigerd={key}",
        tenant.access.employer().number
    )))
}

/// After a decision on an action: back to its page, which says why when the store refused.
pub fn back_to_action(
    tenant: &Tenant,
    id: i64,
    outcome: Result<(), StoreError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(()) => Ok(to_action(tenant, id)),
        Err(StoreError::Refused(key)) => refused(tenant, id, key),
        Err(err) => Err(err.into()),
    }
}
