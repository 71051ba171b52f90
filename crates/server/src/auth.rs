//! Login, logout and the employer picker.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use ebdesk_app::credentials::{hash_token, random_token, verify_password};
use ebdesk_store::{Actor, NewSession, SessionStage};
use serde::Deserialize;

use crate::csrf::CSRF_COOKIE;
use crate::session::{ABSOLUTE_TIMEOUT, SESSION_COOKIE, SessionUser, session_cookie};
use crate::templates::render;
use crate::{AppError, AppState};
use crate::{audit, throttle};

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

pub fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location.to_owned()))
        .finish()
}

pub fn is_https(req: &HttpRequest) -> bool {
    req.connection_info().scheme() == "https"
}

/// The login page, with the pre-login CSRF token (a cookie and the same value in the form).
pub fn login_page(
    req: &HttpRequest,
    email: &str,
    error_key: Option<&str>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    login_page_with_time(req, email, error_key, status, "")
}

fn login_page_with_time(
    req: &HttpRequest,
    email: &str,
    error_key: Option<&str>,
    status: actix_web::http::StatusCode,
    retry_time: &str,
) -> Result<HttpResponse, AppError> {
    let token = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32)
        .unwrap_or_else(random_token);
    let mut context = tera::Context::new();
    context.insert("lang", "nl");
    context.insert("csrf_token", &token);
    context.insert("email", email);
    context.insert("error_key", &error_key);
    context.insert("retry_time", retry_time);
    let body = render("login.html", &context)?;
    let cookie = Cookie::build(CSRF_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(is_https(req))
        .finish();
    let mut response = html(status, body);
    response
        .add_cookie(&cookie)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}

pub async fn home(user: Option<SessionUser>) -> HttpResponse {
    match user {
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
    let now = Utc::now();
    let keys = throttle::keys(&email, &req);
    // The attempt is counted before the password is looked at, so a burst gets no more
    // tries than a sequence.
    let ticket = match throttle::begin(&state.store, &keys, now).await? {
        Ok(ticket) => ticket,
        Err(retry_at) => return login_page_throttled(&req, &email, retry_at),
    };
    let account = state.store.find_account_by_email(&email).await?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = verify_password(form.password.clone(), hash).await?;
    let actor = actor(&req, account.as_ref().map(|a| a.id));
    // A locked account answers as a wrong password does, whatever was typed: the answer
    // must not confirm a guessed password.
    let account = match account {
        Some(account) if password_ok && !account.disabled && !account.is_locked() => account,
        _ => {
            audit::login_failed(&state.store, &actor, "password", now).await?;
            // One message whether or not the e-mail exists.
            return login_page(
                &req,
                &email,
                Some("login-failed"),
                actix_web::http::StatusCode::UNAUTHORIZED,
            );
        }
    };
    state.store.release_attempt(ticket).await?;
    // The password is right: a new session id, waiting for the second factor.
    if let Some(old) = req.cookie(SESSION_COOKIE) {
        state.store.delete_session(&hash_token(old.value())).await?;
    }
    let stage = if account.has_totp() {
        SessionStage::Code
    } else {
        SessionStage::Enrol
    };
    let token = random_token();
    state
        .store
        .insert_session(&NewSession {
            token_hash: hash_token(&token),
            stage,
            user_id: account.id,
            csrf_token: random_token(),
            created_at: now,
            expires_at: now + ABSOLUTE_TIMEOUT,
        })
        .await?;
    let next = match stage {
        SessionStage::Enrol => "/2fa/instellen",
        _ => "/login/code",
    };
    let mut response = see_other(next);
    response
        .add_cookie(&session_cookie(token, is_https(&req)))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}

fn login_page_throttled(
    req: &HttpRequest,
    email: &str,
    retry_at: chrono::DateTime<Utc>,
) -> Result<HttpResponse, AppError> {
    let mut response = login_page_with_time(
        req,
        email,
        Some("login-throttled"),
        actix_web::http::StatusCode::TOO_MANY_REQUESTS,
        &throttle::local_time(retry_at),
    )?;
    let wait = (retry_at - Utc::now()).num_seconds().max(1);
    response.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(wait),
    );
    Ok(response)
}

/// Who is acting, from which address (the peer, not a header a client could forge).
pub fn actor(req: &HttpRequest, user_id: Option<i64>) -> Actor {
    Actor {
        user_id,
        ip: req.peer_addr().map(|a| a.ip().to_string()),
    }
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

/// "Kies een werkgever": the employers where the user holds a sheet.
pub async fn choose_employer(
    state: web::Data<AppState>,
    user: SessionUser,
) -> Result<HttpResponse, AppError> {
    let choices = state
        .store
        .list_employer_choices(user.user_id, Utc::now().date_naive())
        .await?;
    let invitations = state
        .store
        .list_received_invitations(user.user_id, Utc::now())
        .await?;
    let mut context = crate::employer::page_context(&user);
    context.insert("choices", &choices);
    context.insert("invitations", &invitations);
    Ok(html(
        actix_web::http::StatusCode::OK,
        render("employers.html", &context)?,
    ))
}
