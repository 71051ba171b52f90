//! The invited person's answer to an employer's invitation ("Uitnodigingen" on the employer
//! picker): accept (the sheet exists from then on) or decline. Only the invited account
//! itself answers; anyone else's invitation id is 404.

use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_store::StoreError;

use crate::shared::{
    AppError, AppState, RouteExt, SessionUser, actor, html, page_context, render, see_other,
};

const ACCEPT: &str = "/uitnodigingen/{invitation}/aanvaarden";
const DECLINE: &str = "/uitnodigingen/{invitation}/weigeren";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers", choose_employer)
        .post(ACCEPT, answer_invitation)
        .post(DECLINE, answer_invitation);
}

/// "Aanvaarden" or "Weigeren" of an invitation to an employer: accepted, it leads to that
/// employer; declined (or nothing to accept), back to the choice.
pub async fn answer_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SessionUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = actor(&req, Some(user.user_id));
    let (store, id, now) = (&state.store, path.into_inner(), state.now());
    let accepted = match req.match_pattern().as_deref() {
        Some(ACCEPT) => store.accept_invitation(user.user_id, id, &actor, now).await,
        Some(DECLINE) => {
            store
                .decline_invitation(user.user_id, id, &actor, now)
                .await?;
            return Ok(see_other("/werkgevers"));
        }
        _ => return Err(AppError::NotFound),
    };
    match accepted {
        Ok(number) => Ok(see_other(&format!("/werkgevers/{number}"))),
        // Already a sheet there, or an operator account: nothing to accept.
        Err(StoreError::Refused(_)) => Ok(see_other("/werkgevers")),
        Err(err) => Err(err.into()),
    }
}

/// "Kies een werkgever": the employers where the user holds a sheet.
pub async fn choose_employer(
    state: web::Data<AppState>,
    user: SessionUser,
) -> Result<HttpResponse, AppError> {
    let choices = state
        .store
        .list_employer_choices(user.user_id, state.now().date_naive())
        .await?;
    let invitations = state
        .store
        .list_received_invitations(user.user_id, state.now())
        .await?;
    let mut context = page_context(&user);
    context.insert("choices", &choices);
    context.insert("invitations", &invitations);
    Ok(html(
        actix_web::http::StatusCode::OK,
        render("employers.html", &context)?,
    ))
}
