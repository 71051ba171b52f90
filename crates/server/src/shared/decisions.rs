//! Decisions on an action (apply an upload, withdraw an exit): back to its page, which says
//! why when the decision was refused.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use ebdesk_store::{Actor, StoreError};
use futures_util::future::LocalBoxFuture;

use super::{AppError, ChangeTenant, Tenant, actor, see_other};

/// A decision on the action of the path (`{action}`) by a user who may change data: who
/// decides, on which action id. Whether the action is theirs to decide is the store's
/// question (an action outside the scope is refused as not found).
pub struct OnAction {
    pub tenant: Tenant,
    pub id: i64,
    pub actor: Actor,
}

impl FromRequest for OnAction {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let tenant = ChangeTenant::from_request(req, payload);
        let id = req.match_info().get("action").map(str::parse::<i64>);
        let req = req.clone();
        Box::pin(async move {
            let ChangeTenant(tenant) = tenant.await?;
            let id = id.and_then(Result::ok).ok_or(AppError::NotFound)?;
            let actor = actor(&req, Some(tenant.user.user_id));
            Ok(OnAction { tenant, id, actor })
        })
    }
}

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
