//! One error type for every handler, and its one mapping to HTTP: a Dutch page that never
//! shows the cause (that goes to the log).

use actix_web::http::StatusCode;
use actix_web::http::header::{ContentType, LOCATION};
use actix_web::{HttpResponse, ResponseError};
use ebdesk_store::{SessionStage, StoreError};

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
        HttpResponse::build(self.status_code())
            .insert_header(ContentType::html())
            .body(render_error_page(
                self.page_key(),
                self.status_code().as_u16(),
            ))
    }
}
