//! The login page, on which every account flow starts or ends, with its pre-login CSRF
//! cookie.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};

use super::csrf::CSRF_COOKIE;
use super::language::{switch_cookie, visitor_language};
use super::templates::render;
use super::{AppError, html, is_https};
use ebdesk_app::credentials::random_token;

/// The login page, with the pre-login CSRF token (a cookie and the same value in the form).
pub fn login_page(
    req: &HttpRequest,
    email: &str,
    error_key: Option<&str>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    login_page_with_time(req, email, error_key, status, "")
}

pub fn login_page_with_time(
    req: &HttpRequest,
    email: &str,
    error_key: Option<&str>,
    status: actix_web::http::StatusCode,
    retry_time: &str,
) -> Result<HttpResponse, AppError> {
    let (token, cookie) = pre_login_csrf(req);
    let mut context = tera::Context::new();
    context.insert("lang", visitor_language(req));
    context.insert("csrf_token", &token);
    context.insert("email", email);
    context.insert("error_key", &error_key);
    context.insert("retry_time", retry_time);
    let body = render("login.html", &context)?;
    let mut response = html(status, body);
    response
        .add_cookie(&cookie)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(chosen) = switch_cookie(req) {
        response
            .add_cookie(&chosen)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    Ok(response)
}

/// The pre-login CSRF token of this visitor (their cookie's, or a new one) and the cookie
/// that carries it, for a form shown to someone without a session.
pub fn pre_login_csrf(req: &HttpRequest) -> (String, Cookie<'static>) {
    let token = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32)
        .unwrap_or_else(random_token);
    let cookie = Cookie::build(CSRF_COOKIE, token.clone())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(is_https(req))
        .finish();
    (token, cookie)
}
