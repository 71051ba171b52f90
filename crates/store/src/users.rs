//! User accounts, as login needs them.

use chrono::{DateTime, Utc};

use crate::db::with_pool;
use crate::{Result, Store};

/// What login needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserCredentials {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// None until the account is activated.
    pub password_hash: Option<String>,
    pub language: String,
    pub is_operator: bool,
    pub disabled: bool,
}

impl Store {
    /// The account with this (lower-case) e-mail address.
    pub async fn find_user_credentials(&self, email: &str) -> Result<Option<UserCredentials>> {
        const SQL: &str = "SELECT id, email, display_name, password_hash, language, \
            is_operator, disabled FROM users WHERE email = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(email.to_owned()).fetch_optional(pool).await?
        }))
    }

    /// Notes a successful login.
    pub async fn record_login(&self, user_id: i64, at: DateTime<Utc>) -> Result<()> {
        const SQL: &str = "UPDATE users SET last_login_at = $2 WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(at).execute(pool).await?;
        });
        Ok(())
    }
}
