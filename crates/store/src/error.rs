use thiserror::Error;

/// What can go wrong in the store. The server maps these to pages; causes stay in logs.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database url: {0}")]
    InvalidUrl(String),
    #[error("a row violates a uniqueness rule")]
    Duplicate,
    #[error("stored value is not valid: {0}")]
    Corrupt(String),
    /// The row does not exist, or lies outside the caller's scope (the two are not told apart).
    #[error("not found in the caller's scope")]
    NotFound,
    /// A job's lease token no longer matches: another worker took the job over after the
    /// lease expired, or it was finished or released. Nothing was changed.
    #[error("the job's lease was lost")]
    LeaseLost,
    /// The caller's rights do not allow this (e.g. sheet management without a master sheet).
    #[error("not allowed with the caller's rights")]
    Forbidden,
    /// A rule of the domain refuses the change; the code is a message-catalog key.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// No server key was installed ([`crate::use_secret_key`]): e-mails cannot be sealed.
    #[error("no server key is installed: e-mail bodies cannot be sealed")]
    NoSecretKey,
    /// Another server key was installed in this process before.
    #[error("another server key is already installed in this process")]
    KeyConflict,
}

impl StoreError {
    /// The store was closed ([`crate::Store::close`]): the process is ending.
    pub fn is_closed(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::PoolClosed))
    }

    /// Turns a unique-constraint violation into [`StoreError::Duplicate`]; both engines report
    /// the kind, only PostgreSQL names the constraint.
    pub(crate) fn from_write(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Database(err),
        }
    }
}
