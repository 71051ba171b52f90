//! Server-side sessions: a random token in an HttpOnly, SameSite=Lax cookie; the database
//! keeps only its SHA-256. Idle timeout 30 minutes, absolute 12 hours.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use ebdesk_app::credentials::{hash_token, random_token};

use ebdesk_store::{Access, NewSession, SessionStage};

use super::{AppError, AppState, is_https, see_other};

pub const SESSION_COOKIE: &str = "ebdesk_session";
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Activity is written at most this often, so that reading pages does not write each time.
const TOUCH_INTERVAL: Duration = Duration::seconds(60);

/// The logged-in user of this request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub language: String,
    pub csrf_token: String,
    pub stage: SessionStage,
    pub is_operator: bool,
    token_hash: String,
}

impl SessionUser {
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }
}

/// The session cookie; `Secure` when the request came over HTTPS.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::hours(12))
        .finish()
}

fn is_live(now: DateTime<Utc>, last_seen: DateTime<Utc>, expires: DateTime<Utc>) -> bool {
    now < expires && now - last_seen < IDLE_TIMEOUT
}

/// The user's access to the employer named in the path, read with the session in one query.
/// [`super::Tenant`] uses it when the number matches its own path parameter.
pub struct PreloadedAccess {
    pub employer_number: String,
    pub access: Option<Access>,
}

/// The employer number of a `/werkgevers/{number}/…` path: the pages that need the access.
fn employer_in_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/werkgevers/")?;
    let number = rest.split('/').next()?;
    (!number.is_empty()).then_some(number)
}

/// Middleware: loads the session named by the cookie, if it is still valid, into the
/// request's extensions (with the access to the employer in the path, if any). Expired
/// sessions are removed.
pub async fn load_session(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(cookie) = req.cookie(SESSION_COOKIE)
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
    {
        let token_hash = hash_token(cookie.value());
        let now = state.now();
        let employer_number = employer_in_path(req.path()).map(str::to_owned);
        let found = match &employer_number {
            Some(number) => state
                .store
                .find_session_with_access(&token_hash, number, now.date_naive())
                .await
                .map(|found| found.map(|(record, access)| (record, Some(access)))),
            None => state
                .store
                .find_session(&token_hash)
                .await
                .map(|found| found.map(|record| (record, None))),
        };
        match found {
            Ok(Some((record, access)))
                if !record.disabled
                    && !record.locked
                    && is_live(now, record.last_seen_at, record.expires_at) =>
            {
                let stage = SessionStage::from_db(&record.stage).unwrap_or(SessionStage::Code);
                if now - record.last_seen_at > TOUCH_INTERVAL
                    && let Err(err) = state.store.touch_session(&token_hash, now).await
                {
                    tracing::warn!(error = %err, "could not record session activity");
                }
                let mut extensions = req.extensions_mut();
                if let (Some(access), Some(employer_number)) = (access, employer_number) {
                    extensions.insert(PreloadedAccess {
                        employer_number,
                        access,
                    });
                }
                extensions.insert(SessionUser {
                    user_id: record.user_id,
                    email: record.email,
                    display_name: record.display_name,
                    language: record.language,
                    csrf_token: record.csrf_token,
                    stage,
                    is_operator: record.is_operator,
                    token_hash,
                });
            }
            Ok(Some(_)) => {
                if let Err(err) = state.store.delete_session(&token_hash).await {
                    tracing::warn!(error = %err, "could not remove an expired session");
                }
            }
            Ok(None) => {}
            Err(err) => {
                return Ok(req
                    .error_response(AppError::from(err))
                    .map_into_right_body());
            }
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Extractor: the logged-in user (password and second factor), or a redirect to the login
/// step they are at.
impl FromRequest for SessionUser {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req.extensions().get::<SessionUser>().cloned();
        std::future::ready(match user {
            Some(user) if user.stage == SessionStage::Full => Ok(user),
            Some(user) => Err(AppError::LoginIncomplete(user.stage)),
            None => Err(AppError::LoginRequired),
        })
    }
}

/// Extractor: a session whose password was right but whose second factor is still to come.
pub struct PendingLogin(pub SessionUser);

impl FromRequest for PendingLogin {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req.extensions().get::<SessionUser>().cloned();
        std::future::ready(match user {
            Some(user) if user.stage != SessionStage::Full => Ok(PendingLogin(user)),
            Some(_) => Err(AppError::AlreadyLoggedIn),
            None => Err(AppError::LoginRequired),
        })
    }
}

/// A new session id for `user_id` at `stage`, replacing the session at `old` (the one it
/// grows out of) in the same transaction, and the redirect to `next` that sets its cookie.
/// Every step of login gets a new id, so a planted session cookie is worth nothing.
pub async fn start_session(
    state: &AppState,
    req: &HttpRequest,
    user_id: i64,
    stage: SessionStage,
    old: Option<&str>,
    next: &str,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let token = random_token();
    let session = NewSession {
        token_hash: hash_token(&token),
        stage,
        user_id,
        csrf_token: random_token(),
        created_at: now,
        expires_at: now + ABSOLUTE_TIMEOUT,
    };
    match old {
        Some(old) => state.store.replace_session(old, &session).await?,
        None => state.store.insert_session(&session).await?,
    }
    let mut response = see_other(next);
    response
        .add_cookie(&session_cookie(token, is_https(req)))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(response)
}
