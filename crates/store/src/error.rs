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
}

impl StoreError {
    /// Turns a unique-constraint violation into [`StoreError::Duplicate`]; both engines report
    /// the kind, only PostgreSQL names the constraint.
    pub(crate) fn from_write(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Database(err),
        }
    }
}
