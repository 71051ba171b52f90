//! Decisions on an action (apply an upload, withdraw an exit): back to its page, which says
//! why when the decision was refused.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use ebdesk_store::{Actor, StoreError};
use futures_util::future::LocalBoxFuture;

use ebdesk_i18n::Message;

use super::confirm::{Question, confirm_page};
use super::notice::{Saved, see_other_saying};
use super::{AppError, AppState, ChangeTenant, Tenant, actor, see_other, tenant_context};

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

/// The confirmation page of a decision that takes something away (withdrawing an exit,
/// cancelling an upload), naming the action's employee or, without one, its subject; 404
/// for an action outside the scope.
pub async fn ask_on_action(
    state: &AppState,
    on: &OnAction,
    action_key: &'static str,
    text_key: &'static str,
    post_to: &str,
) -> Result<HttpResponse, AppError> {
    let detail = state
        .store
        .find_action(on.tenant.access.scope(), on.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = match &detail.action.employee {
        Some(e) => format!("{} {}", e.first_name, e.last_name),
        None => {
            let lang = ebdesk_i18n::language(&on.tenant.user.language);
            Message::from_stored(&detail.action.description).render(&lang)
        }
    };
    let back_to = format!(
        "/werkgevers/{}/acties/{}",
        on.tenant.access.employer().number,
        on.id
    );
    let question = Question {
        action_key,
        text_key,
        name: &name,
        post_to,
        back_to: &back_to,
    };
    confirm_page(tenant_context(&on.tenant), &question)
}

/// The page of one action of the tenant's employer ("Overzicht acties"), which every change,
/// upload and download leads to.
pub fn to_action(tenant: &Tenant, id: i64, saved: Saved) -> HttpResponse {
    see_other_saying(&action_path(tenant, id), saved)
}

/// The path of one action's page.
pub fn action_path(tenant: &Tenant, id: i64) -> String {
    let number = &tenant.access.employer().number;
    format!("/werkgevers/{number}/acties/{id}")
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
    saved: Saved,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(()) => Ok(to_action(tenant, id, saved)),
        Err(StoreError::Refused(key)) => refused(tenant, id, key),
        Err(err) => Err(err.into()),
    }
}
