//! The invited person's answer to an employer's invitation ("Uitnodigingen" on the employer
//! picker): accept (the sheet exists from then on) or decline. Only the invited account
//! itself answers; anyone else's invitation id is 404.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use ebdesk_store::StoreError;

use crate::auth::{actor, see_other};
use crate::routes::RouteExt;
use crate::session::SessionUser;
use crate::{AppError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.post("/uitnodigingen/{invitation}/aanvaarden", accept_invitation)
        .post("/uitnodigingen/{invitation}/weigeren", decline_invitation);
}

pub async fn accept_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SessionUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = actor(&req, Some(user.user_id));
    match state
        .store
        .accept_invitation(user.user_id, path.into_inner(), &actor, Utc::now())
        .await
    {
        Ok(number) => Ok(see_other(&format!("/werkgevers/{number}"))),
        // Already a sheet there, or an operator account: nothing to accept.
        Err(StoreError::Refused(_)) => Ok(see_other("/werkgevers")),
        Err(err) => Err(err.into()),
    }
}

pub async fn decline_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SessionUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = actor(&req, Some(user.user_id));
    state
        .store
        .decline_invitation(user.user_id, path.into_inner(), &actor, Utc::now())
        .await?;
    Ok(see_other("/werkgevers"))
}
