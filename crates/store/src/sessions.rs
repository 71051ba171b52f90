//! Server-side sessions: only the hash of the cookie's token is stored.

use chrono::{DateTime, Utc};

use crate::db::with_pool;
use crate::{Result, Store};

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    /// The absolute end, whatever the activity.
    pub expires_at: DateTime<Utc>,
}

/// A stored session with the account it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub email: String,
    pub display_name: String,
    pub language: String,
    pub is_operator: bool,
    pub disabled: bool,
}

impl Store {
    pub async fn insert_session(&self, session: &NewSession) -> Result<()> {
        const SQL: &str = "INSERT INTO sessions \
            (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
            VALUES ($1, $2, $3, $4, $4, $5)";
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(session.token_hash.clone())
                .bind(session.user_id)
                .bind(session.csrf_token.clone())
                .bind(session.created_at)
                .bind(session.expires_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn find_session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        const SQL: &str = "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, \
                s.last_seen_at, s.expires_at, u.email, u.display_name, u.language, \
                u.is_operator, u.disabled \
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(token_hash.to_owned()).fetch_optional(pool).await?
        }))
    }

    /// Records activity, for the idle timeout.
    pub async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        const SQL: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(token_hash.to_owned()).bind(at).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(token_hash.to_owned()).execute(pool).await?;
        });
        Ok(())
    }
}
