//! The link that confirms a new notification address, opened by whoever reads that mailbox
//! (logged in or not: a distribution list's readers need no account). The GET shows what
//! the link would do and a button; only the POST changes the address.

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use ebdesk_app::notification_address;
use ebdesk_store::LinkProblem;

use crate::shared::language::visitor_language;
use crate::shared::login::pre_login_csrf;
use crate::shared::respond::page;
use crate::shared::{AppError, AppState, RouteExt, SessionUser, actor};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/notificatieadres/{token}", confirm_notification_form)
        .post("/notificatieadres/{token}", confirm_notification);
}

/// The message key (and `-title`) of the page for a link that does not work.
fn problem_key(problem: LinkProblem) -> &'static str {
    match problem {
        LinkProblem::Expired => "notification-link-expired",
        LinkProblem::Used => "notification-link-used",
        LinkProblem::Unknown => "notification-link-unknown",
    }
}

/// Whoever opened the link: the session's user, if any (their language and CSRF token).
fn visitor(req: &HttpRequest) -> Option<SessionUser> {
    req.extensions().get::<SessionUser>().cloned()
}

fn context(req: &HttpRequest, csrf_token: &str) -> tera::Context {
    let mut context = tera::Context::new();
    match visitor(req) {
        Some(user) => context.insert("lang", &user.language),
        None => context.insert("lang", visitor_language(req)),
    }
    context.insert("csrf_token", csrf_token);
    context
}

fn message(req: &HttpRequest, status: StatusCode, key: &str) -> Result<HttpResponse, AppError> {
    let mut context = context(req, "");
    context.insert("message_key", key);
    page(status, "message.html", &context)
}

/// What the link would change, with the button that confirms it. A visitor without a
/// session gets the pre-login CSRF cookie (as on the login page); a session has its token.
pub async fn confirm_notification_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let found = notification_address::find_link(&state.store, &path, state.now()).await?;
    let link = match found {
        Ok(link) => link,
        Err(problem) => return message(&req, StatusCode::GONE, problem_key(problem)),
    };
    let (token, cookie) = match visitor(&req) {
        Some(user) => (user.csrf_token, None),
        None => {
            let (token, cookie) = pre_login_csrf(&req);
            (token, Some(cookie))
        }
    };
    let mut context = context(&req, &token);
    context.insert("notification_link", &link);
    context.insert("action", req.path());
    let mut response = page(StatusCode::OK, "notification_confirm.html", &context)?;
    if let Some(cookie) = cookie {
        (response.add_cookie(&cookie)).map_err(|e| AppError::Internal(e.to_string()))?;
    }
    Ok(response)
}

/// Confirms the new address; the old one is told. A used, expired or unknown link changes
/// nothing and says why.
pub async fn confirm_notification(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = actor(&req, visitor(&req).map(|user| user.user_id));
    let confirmed =
        notification_address::confirm_change(&state.store, &path, &actor, state.now()).await?;
    match confirmed {
        Ok(_) => message(&req, StatusCode::OK, "notification-confirmed"),
        Err(problem) => message(&req, StatusCode::GONE, problem_key(problem)),
    }
}
