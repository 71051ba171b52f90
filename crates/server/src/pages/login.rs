//! Login, logout and the employer picker.

use actix_web::cookie::Cookie;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use ebdesk_store::SessionStage;
use serde::Deserialize;

use crate::shared::login::{login_page, login_page_with_time};
use crate::shared::session::{SESSION_COOKIE, SessionUser, start_session};
use crate::shared::{AppError, AppState, RouteExt, actor, audit, see_other, throttle};
use ebdesk_app::credentials::hash_token;
use ebdesk_app::credentials::verify_password;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/", home)
        .get("/login", login_form)
        .post("/login", login)
        .post("/logout", logout);
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

pub async fn home(user: Option<SessionUser>) -> HttpResponse {
    match user {
        Some(user) if user.is_operator => see_other("/beheer"),
        Some(_) => see_other("/werkgevers"),
        None => see_other("/login"),
    }
}

pub async fn login_form(
    req: HttpRequest,
    user: Option<SessionUser>,
) -> Result<HttpResponse, AppError> {
    if user.is_some() {
        return Ok(see_other("/werkgevers"));
    }
    login_page(&req, "", None, actix_web::http::StatusCode::OK)
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let email = form.email.trim().to_lowercase();
    let now = state.now();
    let keys = throttle::keys(&email, &req);
    // The attempt is counted before the password is looked at, so a burst gets no more
    // tries than a sequence.
    let ticket = match throttle::begin(&state.store, &keys, now).await? {
        Ok(ticket) => ticket,
        Err(retry_at) => return login_page_throttled(&req, &email, retry_at, now),
    };
    let account = state.store.find_account_by_email(&email).await?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = verify_password(form.password.clone(), hash).await?;
    let actor = actor(&req, account.as_ref().map(|a| a.id));
    // A locked account answers as a wrong password does, whatever was typed: the answer
    // must not confirm a guessed password. One message whether or not the e-mail exists.
    let Some(account) = account.filter(|a| password_ok && !a.disabled && !a.is_locked()) else {
        audit::login_failed(&state.store, &actor, "password", now).await?;
        let status = actix_web::http::StatusCode::UNAUTHORIZED;
        return login_page(&req, &email, Some("login-failed"), status);
    };
    state.store.release_attempt(ticket).await?;
    // The password is right: a new session id, waiting for the second factor.
    let old = req.cookie(SESSION_COOKIE).map(|c| hash_token(c.value()));
    let (stage, next) = if account.has_totp() {
        (SessionStage::Code, "/login/code")
    } else {
        (SessionStage::Enrol, "/2fa/instellen")
    };
    start_session(&state, &req, account.id, stage, old.as_deref(), next).await
}

fn login_page_throttled(
    req: &HttpRequest,
    email: &str,
    retry_at: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
) -> Result<HttpResponse, AppError> {
    let mut response = login_page_with_time(
        req,
        email,
        Some("login-throttled"),
        actix_web::http::StatusCode::TOO_MANY_REQUESTS,
        &throttle::local_time(retry_at),
    )?;
    let wait = (retry_at - now).num_seconds().max(1);
    response.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(wait),
    );
    Ok(response)
}

pub async fn logout(
    state: web::Data<AppState>,
    user: SessionUser,
) -> Result<HttpResponse, AppError> {
    state.store.delete_session(user.token_hash()).await?;
    let mut response = see_other("/login");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    response
        .add_cookie(&gone)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}
