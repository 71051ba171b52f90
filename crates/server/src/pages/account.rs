//! The second step of login (TOTP or recovery code), enrolling an authenticator, activation
//! links, and password reset.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_app::credentials::{RESET_VALIDITY, hash_password_async, hash_token, random_token};
use ebdesk_app::mails::{self, AccountNotice, Recipient};
use ebdesk_domain::access::{TotpCheck, check_new_password};
use ebdesk_store::{SessionStage, TokenPurpose, TokenState};
use serde::Deserialize;

use crate::shared::login::login_page;
use crate::shared::respond::page;
use crate::shared::session::{PendingLogin, SessionUser, start_session};
use crate::shared::{
    AppError, AppState, RouteExt, actor, audit, render, see_other, throttle, totp,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/login/code", code_form)
        .post("/login/code", submit_code)
        .get("/2fa/instellen", enrol_form)
        .post("/2fa/instellen", enrol)
        .get("/activeren/{token}", set_password_form)
        .post("/activeren/{token}", set_password)
        .get("/wachtwoord-vergeten", forgot_password_form)
        .post("/wachtwoord-vergeten", forgot_password)
        .get("/wachtwoord-herstellen/{token}", set_password_form)
        .post("/wachtwoord-herstellen/{token}", set_password);
}

fn context(user: Option<&SessionUser>, csrf_token: &str) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("lang", user.map_or("nl", |u| u.language.as_str()));
    context.insert("csrf_token", csrf_token);
    context
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn code_form(login: PendingLogin) -> Result<HttpResponse, AppError> {
    let PendingLogin(user) = login;
    if user.stage == SessionStage::Enrol {
        return Ok(see_other("/2fa/instellen"));
    }
    page(
        StatusCode::OK,
        "login_code.html",
        &context(Some(&user), &user.csrf_token),
    )
}

/// Checks the code; the session becomes a full one (with a new id) when it is right.
pub async fn submit_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    login: PendingLogin,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let PendingLogin(user) = login;
    if user.stage != SessionStage::Code {
        return Ok(see_other("/2fa/instellen"));
    }
    let now = state.now();
    let keys = throttle::keys(&user.email, &req);
    let refuse = |key: &str, status: StatusCode, time: String| {
        let mut context = context(Some(&user), &user.csrf_token);
        context.insert("error_key", key);
        context.insert("retry_time", &time);
        page(status, "login_code.html", &context)
    };
    let ticket = match throttle::begin(&state.store, &keys, now).await? {
        Ok(ticket) => ticket,
        Err(retry_at) => {
            return refuse(
                "login-throttled",
                StatusCode::TOO_MANY_REQUESTS,
                throttle::local_time(retry_at),
            );
        }
    };
    let account = state
        .store
        .find_account(user.user_id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let actor = actor(&req, Some(account.id));
    let secret = match &account.totp_secret {
        Some(stored) => String::from_utf8(state.settings.secret_key.decrypt(stored)?)
            .map_err(|_| AppError::Internal("TOTP secret is not text".to_owned()))?,
        None => return Ok(see_other("/2fa/instellen")),
    };
    let typed = form.code.trim();
    let accepted = if typed.chars().filter(char::is_ascii_alphanumeric).count() > 6 {
        let hash = totp::recovery_code_hash(account.id, typed);
        state
            .store
            .use_recovery_code(account.id, &hash, now)
            .await?
            .then_some("recovery_code")
    } else {
        let last = state.store.totp_last_step(account.id).await?;
        let last = last.and_then(|s| u64::try_from(s).ok());
        let unix = u64::try_from(now.timestamp()).unwrap_or(0);
        match totp::check(&secret, typed, unix, last)? {
            TotpCheck::Accepted { step } => {
                let step = i64::try_from(step).map_err(|_| AppError::BadRequest)?;
                state
                    .store
                    .accept_totp_step(account.id, step)
                    .await?
                    .then_some("totp")
            }
            TotpCheck::Reused | TotpCheck::Wrong => None,
        }
    };
    let Some(second_factor) = accepted else {
        audit::login_failed(&state.store, &actor, "code", now).await?;
        let lock_mail = mails::locked(Recipient {
            email: &account.email,
            name: &account.display_name,
            language: &ebdesk_i18n::language(&account.language),
        })?;
        let locked = state
            .store
            .record_failed_code(account.id, lock_mail, &actor, now)
            .await?;
        if locked {
            return login_page(
                &req,
                &account.email,
                Some("login-locked"),
                StatusCode::FORBIDDEN,
            );
        }
        return refuse("login-code-wrong", StatusCode::UNAUTHORIZED, String::new());
    };
    state.store.release_attempt(ticket).await?;
    state.store.clear_login_failures(&keys[0]).await?;
    state.store.record_login(account.id, now).await?;
    audit::login_succeeded(&state.store, &actor, second_factor, now).await?;
    let choices = state
        .store
        .list_employer_choices(account.id, now.date_naive())
        .await?;
    // Invitations wait on the picker: whoever has one lands there.
    let invited = !state
        .store
        .list_received_invitations(account.id, now)
        .await?
        .is_empty();
    let next = match choices.as_slice() {
        [only] if !invited => format!("/werkgevers/{}", only.number),
        _ => "/werkgevers".to_owned(),
    };
    start_session(
        &state,
        &req,
        user.user_id,
        SessionStage::Full,
        Some(user.token_hash()),
        &next,
    )
    .await
}

/// The enrolment page: QR code and secret, kept the same on every reload until confirmed.
pub async fn enrol_form(
    state: web::Data<AppState>,
    login: PendingLogin,
) -> Result<HttpResponse, AppError> {
    let PendingLogin(user) = login;
    if user.stage != SessionStage::Enrol {
        return Ok(see_other("/login/code"));
    }
    let secret = pending_secret(&state, user.user_id).await?;
    enrol_page(&user, &secret, None)
}

async fn pending_secret(state: &AppState, user_id: i64) -> Result<String, AppError> {
    let account = state
        .store
        .find_account(user_id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    if let (Some(stored), None) = (&account.totp_secret, account.totp_confirmed_at) {
        return String::from_utf8(state.settings.secret_key.decrypt(stored)?)
            .map_err(|_| AppError::Internal("TOTP secret is not text".to_owned()));
    }
    let secret = totp::generate_secret();
    let encrypted = state.settings.secret_key.encrypt(secret.as_bytes())?;
    state
        .store
        .set_pending_totp_secret(user_id, &encrypted)
        .await?;
    Ok(secret)
}

fn enrol_page(
    user: &SessionUser,
    secret: &str,
    error_key: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let mut context = context(Some(user), &user.csrf_token);
    context.insert("qr_svg", &totp::qr_svg(secret, &user.email)?);
    // Grouped by four, as apps that take typed secrets show them.
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    context.insert("secret", &grouped.join(" "));
    context.insert("error_key", &error_key);
    let status = if error_key.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(status, "enrol.html", &context)
}

/// Confirms the authenticator with a first code; shows the recovery codes once.
pub async fn enrol(
    req: HttpRequest,
    state: web::Data<AppState>,
    login: PendingLogin,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let PendingLogin(user) = login;
    if user.stage != SessionStage::Enrol {
        return Ok(see_other("/login/code"));
    }
    let now = state.now();
    let secret = pending_secret(&state, user.user_id).await?;
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    let TotpCheck::Accepted { step } = totp::check(&secret, &form.code, unix, None)? else {
        return enrol_page(&user, &secret, Some("enrol-code-wrong"));
    };
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| totp::recovery_code_hash(user.user_id, c))
        .collect();
    let step = i64::try_from(step).map_err(|_| AppError::BadRequest)?;
    let actor = actor(&req, Some(user.user_id));
    let notice = mails::account_notice(
        Recipient {
            email: &user.email,
            name: &user.display_name,
            language: &ebdesk_i18n::language(&user.language),
        },
        &state.settings.public_url,
        AccountNotice::TotpEnrolled,
    )?;
    if !state
        .store
        .confirm_totp(user.user_id, step, &hashes, notice, &actor, now)
        .await?
    {
        return Ok(see_other("/login"));
    }
    state.store.record_login(user.user_id, now).await?;
    audit::login_succeeded(&state.store, &actor, "totp_enrolment", now).await?;
    let mut response = start_session(
        &state,
        &req,
        user.user_id,
        SessionStage::Full,
        Some(user.token_hash()),
        "/werkgevers",
    )
    .await?;
    // The codes are shown on this answer only; the full session is already in place.
    let mut context = context(Some(&user), "");
    context.insert("codes", &codes);
    let body = render("recovery_codes.html", &context)?;
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .remove(actix_web::http::header::LOCATION);
    response.headers_mut().insert(
        actix_web::http::header::CONTENT_TYPE,
        actix_web::http::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response.set_body(actix_web::body::BoxBody::new(body)))
}

/// Missing fields are empty: the link is checked first, then each field gets its message.
#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
pub struct PasswordForm {
    password: String,
    password_repeat: String,
    csrf_token: String,
}

fn purpose_of(req: &HttpRequest) -> TokenPurpose {
    if req.path().starts_with("/activeren/") {
        TokenPurpose::Activation
    } else {
        TokenPurpose::PasswordReset
    }
}

fn password_page(
    req: &HttpRequest,
    email: &str,
    csrf_token: &str,
    error_key: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let mut context = context(None, csrf_token);
    context.insert("email", email);
    context.insert("action", req.path());
    context.insert("activation", &(purpose_of(req) == TokenPurpose::Activation));
    context.insert("error_key", &error_key);
    let status = if error_key.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(status, "set_password.html", &context)
}

fn link_problem(state: &TokenState) -> Option<&'static str> {
    match state {
        TokenState::Valid { .. } => None,
        TokenState::Expired => Some("link-expired"),
        TokenState::Used => Some("link-used"),
        TokenState::Unknown => Some("link-unknown"),
    }
}

fn message_page(status: StatusCode, key: &str) -> Result<HttpResponse, AppError> {
    let mut context = context(None, "");
    context.insert("message_key", key);
    page(status, "message.html", &context)
}

/// The form behind an activation or reset link (its pre-login CSRF token is a cookie, as on
/// the login page).
pub async fn set_password_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let found = state
        .store
        .find_token(&hash_token(&path), purpose_of(&req), state.now())
        .await?;
    if let Some(problem) = link_problem(&found) {
        return message_page(StatusCode::GONE, problem);
    }
    let TokenState::Valid { email, .. } = found else {
        return message_page(StatusCode::GONE, "link-unknown");
    };
    let mut response = login_page(&req, "", None, StatusCode::OK)?;
    // login_page set the CSRF cookie; reuse its token in this form.
    let token = crate::shared::csrf::cookie_token(&response).unwrap_or_default();
    let body = password_page(&req, &email, &token, None)?;
    *response.status_mut() = body.status();
    Ok(response.set_body(body.into_body()))
}

pub async fn set_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let purpose = purpose_of(&req);
    let token_hash = hash_token(&path);
    let found = state.store.find_token(&token_hash, purpose, now).await?;
    let TokenState::Valid { user_id, email } = found else {
        return message_page(
            StatusCode::GONE,
            link_problem(&found).unwrap_or("link-unknown"),
        );
    };
    let refused = |key: &str| password_page(&req, &email, &form.csrf_token, Some(key));
    if form.password != form.password_repeat {
        return refused("password-mismatch");
    }
    if let Err(err) = check_new_password(&form.password, &email) {
        return refused(err.code());
    }
    let hash = hash_password_async(form.password.clone()).await?;
    let actor = actor(&req, Some(user_id));
    // A reset tells the holder; an activation is the holder's own first step.
    let notice = match purpose {
        TokenPurpose::PasswordReset => Some(mails::account_notice(
            Recipient {
                email: &email,
                name: "",
                language: &ebdesk_i18n::default_language(),
            },
            &state.settings.public_url,
            AccountNotice::PasswordChanged,
        )?),
        TokenPurpose::Activation => None,
    };
    let Some(user_id) = state
        .store
        .set_password_with_token(&token_hash, purpose, &hash, notice, &actor, now)
        .await?
    else {
        return message_page(StatusCode::GONE, "link-used");
    };
    if purpose == TokenPurpose::PasswordReset {
        // Every session was ended; log in again, with the second factor.
        return message_page(StatusCode::OK, "password-reset-done");
    }
    // Activation: straight on to enrolling an authenticator.
    start_session(
        &state,
        &req,
        user_id,
        SessionStage::Enrol,
        None,
        "/2fa/instellen",
    )
    .await
}

pub async fn forgot_password_form(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let response = login_page(&req, "", None, StatusCode::OK)?;
    let token = crate::shared::csrf::cookie_token(&response).unwrap_or_default();
    let body = render("forgot_password.html", &context(None, &token))?;
    Ok(response.set_body(actix_web::body::BoxBody::new(body)))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// Sends a reset link when the address belongs to an active account; says the same either way.
pub async fn forgot_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let email = form.email.trim().to_lowercase();
    // At most a few mails per address per window: a reset link is no mail cannon.
    let keys = vec![format!("reset:{email}")];
    // Every request counts, known address or not, so the answer's timing tells nothing.
    let allowed = throttle::begin(&state.store, &keys, now).await?.is_ok();
    if allowed
        && let Some(account) = state.store.find_account_by_email(&email).await?
        && account.password_hash.is_some()
        && !account.disabled
    {
        let token = random_token();
        let mail = mails::password_reset(
            Recipient {
                email: &account.email,
                name: &account.display_name,
                language: &ebdesk_i18n::language(&account.language),
            },
            &state.settings.public_url,
            &token,
        )?;
        state
            .store
            .insert_reset_token(
                account.id,
                &hash_token(&token),
                now + RESET_VALIDITY,
                mail,
                &actor(&req, Some(account.id)),
                now,
            )
            .await?;
    }
    message_page(StatusCode::OK, "password-reset-sent")
}
