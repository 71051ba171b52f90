//! One error type for every handler, and its one mapping to HTTP: a page that never shows
//! the cause (that goes to the log), in the reader's language ([`error_pages_in_language`]).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{ContentType, LOCATION};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use ebdesk_store::{SessionStage, StoreError};

use super::language::request_language;
use super::templates::render_error_page;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("login required")]
    LoginRequired,
    #[error("login not complete")]
    LoginIncomplete(SessionStage),
    #[error("already logged in")]
    AlreadyLoggedIn,
    #[error("csrf check failed")]
    Csrf,
    /// The request (its body included) did not arrive within the deadline.
    #[error("request timeout")]
    Timeout,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<ebdesk_app::Error> for AppError {
    fn from(err: ebdesk_app::Error) -> Self {
        match err {
            ebdesk_app::Error::Store(err) => err.into(),
            ebdesk_app::Error::UnknownChoice(_) => AppError::BadRequest,
            // A refusal the handler did not expect, or a failure: the cause goes to the log.
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<super::secrets::SecretError> for AppError {
    fn from(err: super::secrets::SecretError) -> Self {
        AppError::Internal(err.to_string())
    }
}

impl From<ebdesk_sheets::SheetError> for AppError {
    fn from(err: ebdesk_sheets::SheetError) -> Self {
        AppError::Internal(err.to_string())
    }
}

impl From<tera::Error> for AppError {
    fn from(err: tera::Error) -> Self {
        AppError::Internal(ebdesk_i18n::tera_error_text(&err))
    }
}

impl AppError {
    /// The message-catalog key of the page's title and text.
    fn page_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::BadRequest => "error-bad-request",
            AppError::LoginRequired | AppError::LoginIncomplete(_) | AppError::AlreadyLoggedIn => {
                "error-login-required"
            }
            AppError::Csrf => "error-csrf",
            AppError::Timeout => "error-timeout",
            AppError::Internal(_) => "error-internal",
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Timeout => StatusCode::REQUEST_TIMEOUT,
            AppError::LoginRequired | AppError::LoginIncomplete(_) | AppError::AlreadyLoggedIn => {
                StatusCode::SEE_OTHER
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let step = match self {
            AppError::LoginRequired => Some("/login"),
            AppError::LoginIncomplete(SessionStage::Enrol) => Some("/2fa/instellen"),
            AppError::LoginIncomplete(_) => Some("/login/code"),
            AppError::AlreadyLoggedIn => Some("/werkgevers"),
            _ => None,
        };
        if let Some(step) = step {
            return HttpResponse::SeeOther()
                .insert_header((LOCATION, step))
                .finish();
        }
        if let AppError::Internal(cause) = self {
            tracing::error!(cause = %cause, "request failed");
        }
        let page = ErrorPage {
            key: self.page_key(),
            status: self.status_code(),
        };
        page.response(DEFAULT_LANGUAGE)
    }
}

/// The language of an error page made without its request (what `error_response` gets).
const DEFAULT_LANGUAGE: &str = "nl";

/// An error page, remembered on its response so that it can be shown again in the
/// reader's language.
#[derive(Debug, Clone, Copy)]
struct ErrorPage {
    key: &'static str,
    status: StatusCode,
}

impl ErrorPage {
    fn response(self, lang: &str) -> HttpResponse {
        let body = render_error_page(self.key, self.status.as_u16(), lang);
        let mut response = HttpResponse::build(self.status)
            .insert_header(ContentType::html())
            .body(body);
        response.extensions_mut().insert(self);
        response
    }

    fn of<B>(response: &HttpResponse<B>) -> Option<ErrorPage> {
        response.extensions().get::<ErrorPage>().copied()
    }
}

/// Shows every error page in the language of the account (or, before login, of the
/// visitor). `ResponseError` has no request, so [`AppError`] renders Dutch; this middleware,
/// just inside the session's, renders the same page again in the reader's language. (The
/// few errors of the outer layers, a request timeout, stay Dutch.)
pub async fn error_pages_in_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let lang = request_language(req.request());
    match next.call(req).await {
        Ok(res) => match ErrorPage::of(res.response()) {
            Some(page) if lang != DEFAULT_LANGUAGE => {
                let (req, _) = res.into_parts();
                let localized = page.response(&lang);
                Ok(ServiceResponse::new(req, localized).map_into_right_body())
            }
            _ => Ok(res.map_into_left_body()),
        },
        Err(err) => {
            let response = err.error_response();
            match ErrorPage::of(&response) {
                Some(page) if lang != DEFAULT_LANGUAGE => {
                    let localized = page.response(&lang);
                    Err(InternalError::from_response(err, localized).into())
                }
                _ => Err(err),
            }
        }
    }
}
