//! The use cases of ebdesk, between the callers (server, worker, CLI) and the store: each one
//! is written once here and called without HTTP. "Now" is always an argument.

pub mod affiliations;
pub mod amounts;
pub mod contact;
pub mod credentials;
pub mod digest;
pub mod invite;
pub mod mails;
pub mod notification_address;
pub mod password_reset;
pub mod second_factor;
pub mod statements;
pub mod uploads;

use ebdesk_store::StoreError;

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Refused by a rule, with the message key that says why (the caller shows it at its
    /// field or on its page).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// The store failed (a refusal comes as [`Error::Refused`]).
    #[error(transparent)]
    Store(StoreError),
    /// A mail template did not render.
    #[error("mail template: {0}")]
    Template(String),
    /// A password could not be hashed.
    #[error("password hashing: {0}")]
    Password(String),
    /// The stored preview of an upload does not read.
    #[error(transparent)]
    Preview(#[from] ebdesk_sheets::StoredPreviewError),
    /// A request named a choice that does not exist.
    #[error("unknown choice {0:?}")]
    UnknownChoice(String),
}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Refused(key) => Error::Refused(key),
            other => Error::Store(other),
        }
    }
}

impl From<tera::Error> for Error {
    fn from(err: tera::Error) -> Self {
        Error::Template(ebdesk_i18n::tera_error_text(&err))
    }
}
