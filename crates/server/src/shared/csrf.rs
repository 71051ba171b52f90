//! CSRF protection for every request that changes something, by construction: a middleware
//! in front of all routes refuses an unsafe method unless its form carries the token of
//! the session (or, before login, of the `ebdesk_csrf` cookie), and a cross-site Origin.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::AppError;
use super::session::SessionUser;

/// The cookie that carries the token for forms shown before login (double submit).
pub const CSRF_COOKIE: &str = "ebdesk_csrf";
/// Largest form body the check reads.
const MAX_FORM_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

fn same_origin(req: &ServiceRequest) -> bool {
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        && site == "cross-site"
    {
        return false;
    }
    match req.headers().get("origin").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = req.connection_info().host().to_owned();
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(&host))
        }
    }
}

pub async fn verify_csrf(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match check(&mut req).await {
        Ok(()) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        // An answer, not an error: the outer middleware add their headers to it too.
        Err(err) => Ok(req.error_response(err).map_into_right_body()),
    }
}

/// The CSRF check of an unsafe request; a form's body is read here and handed on.
async fn check(req: &mut ServiceRequest) -> Result<(), AppError> {
    if req.method().is_safe() {
        return Ok(());
    }
    if !same_origin(req) {
        return Err(AppError::Csrf);
    }
    let expected = match req.extensions().get::<SessionUser>() {
        Some(user) => Some(user.csrf_token.clone()),
        None => req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()),
    };
    // A file upload streams its body to the handler: its form puts the token in the
    // action's query string instead (the access log never shows query strings).
    let is_multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if is_multipart {
        let given = serde_urlencoded::from_str::<TokenField>(req.query_string())
            .ok()
            .and_then(|f| f.csrf_token);
        return match token_matches(expected, given) {
            true => Ok(()),
            false => Err(AppError::Csrf),
        };
    }
    let body = req
        .extract::<web::Bytes>()
        .await
        .map_err(|err| super::response_policy::body_error(&err))?;
    if body.len() > MAX_FORM_BYTES {
        return Err(AppError::BadRequest);
    }
    let given = serde_urlencoded::from_bytes::<TokenField>(&body)
        .ok()
        .and_then(|f| f.csrf_token);
    if !token_matches(expected, given) {
        return Err(AppError::Csrf);
    }
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(())
}

fn token_matches(expected: Option<String>, given: Option<String>) -> bool {
    match (expected, given) {
        (Some(expected), Some(given)) if !expected.is_empty() => {
            bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
        }
        _ => false,
    }
}

/// The pre-login token a response is setting in its CSRF cookie, to repeat it in a form.
pub fn cookie_token(response: &actix_web::HttpResponse) -> Option<String> {
    response
        .cookies()
        .find(|c| c.name() == CSRF_COOKIE)
        .map(|c| c.value().to_owned())
}
