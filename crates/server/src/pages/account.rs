//! The second step of login (TOTP or recovery code), enrolling an authenticator, activation
//! links, and password reset.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use ebdesk_app::credentials::{hash_password_async, hash_token};
use ebdesk_app::mails::{self, AccountNotice, Recipient};
use ebdesk_app::password_reset::send_password_reset;
use ebdesk_domain::access::{TotpCheck, check_new_password};
use ebdesk_store::{Account, Actor, OutgoingMail, SessionStage, TokenPurpose, TokenState};
use serde::Deserialize;

use crate::shared::language::visitor_language;
use crate::shared::login::login_page;
use crate::shared::respond::{into_page, page};
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

/// A login step's page: in the account's language.
fn context(user: &SessionUser, csrf_token: &str) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("lang", &user.language);
    context.insert("csrf_token", csrf_token);
    context
}

/// A page before login: in the visitor's language.
fn visitor_context(req: &HttpRequest, csrf_token: &str) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("lang", visitor_language(req));
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
        &context(&user, &user.csrf_token),
    )
}

/// The code page again, with why (a wrong code, too many tries and until when).
fn code_refused(
    user: &SessionUser,
    key: &str,
    status: StatusCode,
    retry_time: &str,
) -> Result<HttpResponse, AppError> {
    let mut context = context(user, &user.csrf_token);
    context.insert("error_key", key);
    context.insert("retry_time", retry_time);
    page(status, "login_code.html", &context)
}

/// Too many codes were tried for this account or from this address: until when to wait.
fn code_throttled(user: &SessionUser, retry_at: DateTime<Utc>) -> Result<HttpResponse, AppError> {
    let time = throttle::local_time(retry_at);
    let status = StatusCode::TOO_MANY_REQUESTS;
    code_refused(user, "login-throttled", status, &time)
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
    let ticket = match throttle::begin(&state.store, &keys, now).await? {
        Ok(ticket) => ticket,
        Err(retry_at) => return code_throttled(&user, retry_at),
    };
    let account = state
        .store
        .find_account(user.user_id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let Some(secret) = account.totp_secret.as_deref() else {
        return Ok(see_other("/2fa/instellen"));
    };
    let secret = decrypt_secret(&state, secret)?;
    let actor = actor(&req, Some(account.id));
    let checked = second_factor(&state, &account, &secret, form.code.trim(), now).await?;
    let Some(second_factor) = checked else {
        return wrong_code(&req, &state, &user, &account, &actor).await;
    };
    state.store.release_attempt(ticket).await?;
    state.store.clear_login_failures(&keys[0]).await?;
    state.store.record_login(account.id, now).await?;
    audit::login_succeeded(&state.store, &actor, second_factor, now).await?;
    let next = landing(&state, &account, now).await?;
    let old = Some(user.token_hash());
    start_session(&state, &req, user.user_id, SessionStage::Full, old, &next).await
}

/// A TOTP secret as stored (encrypted with the server key) made readable.
fn decrypt_secret(state: &AppState, stored: &str) -> Result<String, AppError> {
    String::from_utf8(state.settings.secret_key.decrypt(stored)?)
        .map_err(|_| AppError::Internal("TOTP secret is not text".to_owned()))
}

/// Which second factor the typed code is, when it is right: a recovery code (longer than
/// six characters, used once) or the authenticator's code (each time step once).
async fn second_factor(
    state: &AppState,
    account: &Account,
    secret: &str,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Option<&'static str>, AppError> {
    if typed.chars().filter(char::is_ascii_alphanumeric).count() > 6 {
        let hash = totp::recovery_code_hash(account.id, typed);
        let used = state
            .store
            .use_recovery_code(account.id, &hash, now)
            .await?;
        return Ok(used.then_some("recovery_code"));
    }
    let last = state.store.totp_last_step(account.id).await?;
    let last = last.and_then(|s| u64::try_from(s).ok());
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    match totp::check(secret, typed, unix, last)? {
        TotpCheck::Accepted { step } => {
            let step = i64::try_from(step).map_err(|_| AppError::BadRequest)?;
            let accepted = state.store.accept_totp_step(account.id, step).await?;
            Ok(accepted.then_some("totp"))
        }
        TotpCheck::Reused | TotpCheck::Wrong => Ok(None),
    }
}

/// A wrong code counts towards the lock; the last one locks the account and mails its
/// holder.
async fn wrong_code(
    req: &HttpRequest,
    state: &AppState,
    user: &SessionUser,
    account: &Account,
    actor: &Actor,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    audit::login_failed(&state.store, actor, "code", now).await?;
    let holder = Recipient::new(&account.email, &account.display_name, &account.language);
    let lock_mail = mails::locked(holder)?;
    let locked = state
        .store
        .record_failed_code(account.id, lock_mail, actor, now)
        .await?;
    if locked {
        return login_page(
            req,
            &account.email,
            Some("login-locked"),
            StatusCode::FORBIDDEN,
        );
    }
    code_refused(user, "login-code-wrong", StatusCode::UNAUTHORIZED, "")
}

/// Where a login lands: the one employer, or the picker when there are several or an
/// invitation waits there.
async fn landing(
    state: &AppState,
    account: &Account,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let user_id = account.id;
    let choices = state
        .store
        .list_employer_choices(user_id, now.date_naive())
        .await?;
    let invited = !state
        .store
        .list_received_invitations(user_id, now)
        .await?
        .is_empty();
    Ok(match choices.as_slice() {
        // The operator's work is the console, unless they also have an employer's sheet.
        [] if account.is_operator && !invited => "/beheer".to_owned(),
        [only] if !invited => format!("/werkgevers/{}", only.number),
        _ => "/werkgevers".to_owned(),
    })
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
        return decrypt_secret(state, stored);
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
    let mut context = context(user, &user.csrf_token);
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

/// Confirms the authenticator at the code's time step with new recovery codes (their
/// hashes stored) and tells the holder; `None` when the enrolment was confirmed meanwhile.
async fn confirm_enrolment(
    state: &AppState,
    user: &SessionUser,
    step: i64,
    actor: &Actor,
) -> Result<Option<Vec<String>>, AppError> {
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| totp::recovery_code_hash(user.user_id, c))
        .collect();
    let holder = Recipient::new(&user.email, &user.display_name, &user.language);
    let url = &state.settings.public_url;
    let notice = mails::account_notice(holder, url, AccountNotice::TotpEnrolled)?;
    let confirmed = state
        .store
        .confirm_totp(user.user_id, step, &hashes, notice, actor, state.now())
        .await?;
    Ok(confirmed.then_some(codes))
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
    let step = i64::try_from(step).map_err(|_| AppError::BadRequest)?;
    let actor = actor(&req, Some(user.user_id));
    let Some(codes) = confirm_enrolment(&state, &user, step, &actor).await? else {
        return Ok(see_other("/login"));
    };
    state.store.record_login(user.user_id, now).await?;
    audit::login_succeeded(&state.store, &actor, "totp_enrolment", now).await?;
    let (id, old) = (user.user_id, Some(user.token_hash()));
    // The redirect target does not matter: the answer becomes the page of recovery codes.
    let response = start_session(&state, &req, id, SessionStage::Full, old, "/").await?;
    // The codes are shown on this answer only; the full session is already in place.
    let mut context = context(&user, "");
    context.insert("codes", &codes);
    let body = render("recovery_codes.html", &context)?;
    Ok(into_page(response, StatusCode::OK, body))
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
    let mut context = visitor_context(req, csrf_token);
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

fn message_page(
    req: &HttpRequest,
    status: StatusCode,
    key: &str,
) -> Result<HttpResponse, AppError> {
    let mut context = visitor_context(req, "");
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
    let TokenState::Valid { email, .. } = &found else {
        return link_gone(&req, &found);
    };
    let mut response = login_page(&req, "", None, StatusCode::OK)?;
    // login_page set the CSRF cookie; reuse its token in this form.
    let token = crate::shared::csrf::cookie_token(&response).unwrap_or_default();
    let body = password_page(&req, email, &token, None)?;
    *response.status_mut() = body.status();
    Ok(response.set_body(body.into_body()))
}

/// Why the typed password is refused: the two differ, or it is too weak.
fn refusal(form: &PasswordForm, email: &str) -> Option<&'static str> {
    if form.password != form.password_repeat {
        return Some("password-mismatch");
    }
    check_new_password(&form.password, email)
        .err()
        .map(|e| e.code())
}

/// A reset tells the holder; an activation is the holder's own first step.
fn password_notice(
    state: &AppState,
    purpose: TokenPurpose,
    email: &str,
    language: &str,
) -> Result<Option<OutgoingMail>, AppError> {
    if purpose == TokenPurpose::Activation {
        return Ok(None);
    }
    let holder = Recipient::new(email, "", language);
    let url = &state.settings.public_url;
    Ok(Some(mails::account_notice(
        holder,
        url,
        AccountNotice::PasswordChanged,
    )?))
}

/// The page of a link that no longer works: why (expired, used, unknown).
fn link_gone(req: &HttpRequest, found: &TokenState) -> Result<HttpResponse, AppError> {
    let problem = link_problem(found).unwrap_or("link-unknown");
    message_page(req, StatusCode::GONE, problem)
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
    let TokenState::Valid {
        user_id,
        email,
        language,
    } = found
    else {
        return link_gone(&req, &found);
    };
    if let Some(key) = refusal(&form, &email) {
        return password_page(&req, &email, &form.csrf_token, Some(key));
    }
    let hash = hash_password_async(form.password.clone()).await?;
    let actor = actor(&req, Some(user_id));
    let notice = password_notice(&state, purpose, &email, &language)?;
    let Some(user_id) = state
        .store
        .set_password_with_token(&token_hash, purpose, &hash, notice, &actor, now)
        .await?
    else {
        return message_page(&req, StatusCode::GONE, "link-used");
    };
    if purpose == TokenPurpose::PasswordReset {
        // Every session was ended; log in again, with the second factor.
        return message_page(&req, StatusCode::OK, "password-reset-done");
    }
    // Activation: straight on to enrolling an authenticator.
    let (stage, next) = (SessionStage::Enrol, "/2fa/instellen");
    start_session(&state, &req, user_id, stage, None, next).await
}

pub async fn forgot_password_form(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let response = login_page(&req, "", None, StatusCode::OK)?;
    let token = crate::shared::csrf::cookie_token(&response).unwrap_or_default();
    let body = render("forgot_password.html", &visitor_context(&req, &token))?;
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
        let url = &state.settings.public_url;
        let actor = actor(&req, Some(account.id));
        send_password_reset(&state.store, &account, url, &actor, now).await?;
    }
    message_page(&req, StatusCode::OK, "password-reset-sent")
}
