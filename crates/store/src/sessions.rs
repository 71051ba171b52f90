//! Server-side sessions: only the hash of the cookie's token is stored.

use chrono::{DateTime, Utc};

use chrono::NaiveDate;

use crate::db::{BeginWrite, with_pool};
use crate::scope::AccessRow;
use crate::{Access, Result, Store};

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub stage: SessionStage,
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
    pub locked: bool,
    pub stage: String,
}

/// How far a login got: only a `Full` session reaches the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// The password was right; the TOTP code (or a recovery code) is still to come.
    Code,
    /// The password was right; the user has no authenticator yet and must enrol one.
    Enrol,
    Full,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStage::Code => "code",
            SessionStage::Enrol => "enrol",
            SessionStage::Full => "full",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "code" => Some(SessionStage::Code),
            "enrol" => Some(SessionStage::Enrol),
            "full" => Some(SessionStage::Full),
            _ => None,
        }
    }
}

macro_rules! insert_session_sql {
    ($tx:expr, $session:expr) => {{
        sqlx::query(
            "INSERT INTO sessions \
             (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, stage) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind($session.token_hash.clone())
        .bind($session.user_id)
        .bind($session.csrf_token.clone())
        .bind($session.created_at)
        .bind($session.expires_at)
        .bind($session.stage.as_str())
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    pub async fn insert_session(&self, session: &NewSession) -> Result<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            insert_session_sql!(tx, session);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Rotates a session: the old token stops working and a new one (at a new stage, with
    /// the same absolute end) takes its place, in one transaction.
    pub async fn replace_session(&self, old_token_hash: &str, session: &NewSession) -> Result<()> {
        const DELETE: &str = "DELETE FROM sessions WHERE token_hash = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(DELETE).bind(old_token_hash.to_owned()).execute(&mut *tx).await?;
            insert_session_sql!(tx, session);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Ends every session of an account (password changed, 2FA reset, account locked).
    pub async fn delete_user_sessions(&self, user_id: i64) -> Result<()> {
        const SQL: &str = "DELETE FROM sessions WHERE user_id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).execute(pool).await?;
        });
        Ok(())
    }

    pub async fn find_session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        const SQL: &str = "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, \
                s.last_seen_at, s.expires_at, u.email, u.display_name, u.language, \
                u.is_operator, u.disabled, (u.locked_at IS NOT NULL) AS locked, s.stage \
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(token_hash.to_owned()).fetch_optional(pool).await?
        }))
    }

    /// The session and, in the same query, the user's access to the employer with number
    /// `employer_number` on `today` (None when they hold no valid sheet there). Saves a round
    /// trip on every page of an employer, the pages people use all day.
    pub async fn find_session_with_access(
        &self,
        token_hash: &str,
        employer_number: &str,
        today: NaiveDate,
    ) -> Result<Option<(SessionRecord, Option<Access>)>> {
        const SQL: &str = "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, \
                s.last_seen_at, s.expires_at, u.email, u.display_name, u.language, \
                u.is_operator, u.disabled, (u.locked_at IS NOT NULL) AS locked, s.stage, \
                e.id, e.number, e.name, e.kbo_number, e.street, e.postal_code, e.city, \
                e.notification_email, sh.id AS sheet_id, sh.rights, sh.all_contracts \
            FROM sessions s JOIN users u ON u.id = s.user_id \
            LEFT JOIN user_sheets sh ON sh.user_id = s.user_id AND NOT u.disabled \
              AND u.locked_at IS NULL AND s.stage = 'full' \
              AND sh.employer_id = (SELECT x.id FROM employers x WHERE x.number = $2) \
              AND (sh.valid_until IS NULL OR sh.valid_until >= $3) \
            LEFT JOIN employers e ON e.id = sh.employer_id \
            WHERE s.token_hash = $1";
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            session: SessionRecord,
            #[sqlx(flatten)]
            access: OptionalAccessRow,
        }
        let row: Option<Row> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(token_hash.to_owned())
                .bind(employer_number.to_owned())
                .bind(today)
                .fetch_optional(pool)
                .await?
        });
        row.map(|row| {
            Ok((
                row.session,
                row.access.into_row().map(Access::try_from).transpose()?,
            ))
        })
        .transpose()
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

/// The access columns of a LEFT JOIN: all NULL when the user holds no valid sheet.
#[derive(sqlx::FromRow)]
struct OptionalAccessRow {
    id: Option<i64>,
    number: Option<String>,
    name: Option<String>,
    kbo_number: Option<String>,
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    notification_email: Option<String>,
    sheet_id: Option<i64>,
    rights: Option<String>,
    all_contracts: Option<bool>,
}

impl OptionalAccessRow {
    fn into_row(self) -> Option<AccessRow> {
        Some(AccessRow {
            employer: crate::Employer {
                id: self.id?,
                number: self.number?,
                name: self.name?,
                kbo_number: self.kbo_number?,
                street: self.street?,
                postal_code: self.postal_code?,
                city: self.city?,
                notification_email: self.notification_email?,
            },
            sheet_id: self.sheet_id?,
            rights: self.rights?,
            all_contracts: self.all_contracts?,
        })
    }
}
