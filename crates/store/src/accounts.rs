//! Accounts: activation and reset links, passwords, TOTP, recovery codes, lockout and the
//! failed attempts that throttle a login. Only hashes of links, codes and passwords and the
//! encrypted TOTP secret are stored.

use chrono::{DateTime, Utc};
use ebdesk_domain::access::ThrottlePolicy;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, OutgoingMail, write_effects};
use crate::{Result, Store};

/// Wrong codes in a row that lock an account.
const LOCK_AFTER_FAILED_CODES: i64 = ebdesk_domain::access::MAX_FAILED_CODES;

/// What login and the account pages need to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// None until the account is activated.
    pub password_hash: Option<String>,
    pub language: String,
    pub is_operator: bool,
    pub disabled: bool,
    /// Encrypted; set from the first enrolment page on, confirmed by a first code.
    pub totp_secret: Option<String>,
    pub totp_confirmed_at: Option<DateTime<Utc>>,
    pub locked_at: Option<DateTime<Utc>>,
}

impl Account {
    pub fn is_locked(&self) -> bool {
        self.locked_at.is_some()
    }

    pub fn has_totp(&self) -> bool {
        self.totp_secret.is_some() && self.totp_confirmed_at.is_some()
    }
}

/// The answer to [`Store::begin_attempt`].
#[derive(Debug)]
pub enum AttemptGrant {
    /// The attempt may be made; it is recorded as a failure until released.
    Granted(AttemptTicket),
    /// Too many failures under one of the keys: no attempt before this time.
    Throttled(DateTime<Utc>),
}

/// The recorded attempt, to release when it succeeds.
#[derive(Debug)]
#[must_use]
pub struct AttemptTicket(Vec<i64>);

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Set the first password (72 hours).
    Activation,
    /// Set a new password (1 hour).
    PasswordReset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Activation => "activation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }
}

/// The state of a link someone opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    /// `language` is the holder's (for the mail that says what the link did).
    Valid {
        user_id: i64,
        email: String,
        language: String,
    },
    Expired,
    Used,
    Unknown,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    email: String,
    language: String,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

const ACCOUNT_COLUMNS: &str = "id, email, display_name, password_hash, language, is_operator, \
    disabled, totp_secret, totp_confirmed_at, locked_at";

/// Inserts a single-use link inside an open transaction.
macro_rules! insert_token_sql {
    ($tx:expr, $user_id:expr, $token_hash:expr, $purpose:expr, $now:expr, $expires_at:expr) => {{
        sqlx::query(
            "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($token_hash.to_owned())
        .bind($user_id)
        .bind($purpose.as_str())
        .bind($now)
        .bind($expires_at)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use insert_token_sql;

impl Store {
    /// Notes a successful login.
    pub async fn record_login(&self, user_id: i64, at: DateTime<Utc>) -> Result<()> {
        const SQL: &str = "UPDATE users SET last_login_at = $2 WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(at).execute(pool).await?;
        });
        Ok(())
    }

    /// Sets the language the account reads pages and mails in (a catalog's code).
    pub async fn set_language(&self, user_id: i64, language: &str) -> Result<()> {
        const SQL: &str = "UPDATE users SET language = $2 WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(language).execute(pool).await?;
        });
        Ok(())
    }

    /// Whether the account holder asked for the digest of new documents ("Mijn account").
    pub async fn document_notices(&self, user_id: i64) -> Result<bool> {
        const SQL: &str = "SELECT document_notices FROM users WHERE id = $1";
        let on: Option<bool> = with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(user_id).fetch_optional(pool).await?
        });
        Ok(on.unwrap_or(false))
    }

    /// Records whether the account holder wants the digest of new documents.
    pub async fn set_document_notices(&self, user_id: i64, on: bool) -> Result<()> {
        const SQL: &str = "UPDATE users SET document_notices = $2 WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(on).execute(pool).await?;
        });
        Ok(())
    }

    /// The account with this (lower-case) e-mail address.
    pub async fn find_account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE email = $1");
        Ok(with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email.to_owned()).fetch_optional(pool).await?
        }))
    }

    pub async fn find_account(&self, user_id: i64) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE id = $1");
        Ok(with_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await?
        }))
    }

    /// Where the link with this hash stands.
    pub async fn find_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<TokenState> {
        const SQL: &str = "SELECT t.user_id, u.email, u.language, t.expires_at, t.used_at \
            FROM user_tokens t JOIN users u ON u.id = t.user_id \
            WHERE t.token_hash = $1 AND t.purpose = $2 AND NOT u.disabled";
        let row: Option<TokenRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(token_hash.to_owned())
                .bind(purpose.as_str())
                .fetch_optional(pool)
                .await?
        });
        Ok(match row {
            None => TokenState::Unknown,
            Some(row) if row.used_at.is_some() => TokenState::Used,
            Some(row) if row.expires_at <= now => TokenState::Expired,
            Some(row) => TokenState::Valid {
                user_id: row.user_id,
                email: row.email,
                language: row.language,
            },
        })
    }

    /// Sets the password through a valid link, uses the link up, and ends every session of
    /// the account; `notice` tells the holder (a reset; an activation needs none). Returns
    /// the user id, or None when the link is not (or no longer) valid.
    pub async fn set_password_with_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        password_hash: &str,
        notice: Option<OutgoingMail>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        const USE_TOKEN: &str = "UPDATE user_tokens SET used_at = $3 \
            WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
            RETURNING user_id";
        const SET_PASSWORD: &str =
            "UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1";
        const OTHER_TOKENS: &str =
            "UPDATE user_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";
        const SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
        let mut effects = Effects::default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let used: Option<(i64,)> = sqlx::query_as(USE_TOKEN)
                .bind(token_hash.to_owned())
                .bind(purpose.as_str())
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((user_id,)) = used else { return Ok(None) };
            sqlx::query(SET_PASSWORD).bind(user_id).bind(password_hash.to_owned()).bind(now).execute(&mut *tx).await?;
            sqlx::query(OTHER_TOKENS).bind(user_id).bind(now).execute(&mut *tx).await?;
            sqlx::query(SESSIONS).bind(user_id).execute(&mut *tx).await?;
            let event = match purpose {
                TokenPurpose::Activation => AuditEvent::AccountActivated,
                TokenPurpose::PasswordReset => AuditEvent::PasswordChanged,
            };
            effects.audit_account(user_id, event, json!({ "user_id": user_id }));
            if let Some(notice) = notice {
                effects.mail(notice);
            }
            let actor = Actor { user_id: Some(user_id), ip: actor.ip.clone() };
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(Some(user_id))
        })
    }

    /// A password-reset link (1 hour) and its e-mail, in one transaction.
    pub async fn insert_reset_token(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        mail: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut effects = Effects::default();
        effects.mail(mail);
        effects.audit_account(
            user_id,
            AuditEvent::PasswordResetRequested,
            json!({ "user_id": user_id }),
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            insert_token_sql!(tx, user_id, token_hash, TokenPurpose::PasswordReset, now, expires_at);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Keeps the (encrypted) secret shown on the enrolment page until a first code confirms it.
    pub async fn set_pending_totp_secret(&self, user_id: i64, encrypted: &str) -> Result<()> {
        const SQL: &str = "UPDATE users SET totp_secret = $2, totp_confirmed_at = NULL, \
            totp_last_step = NULL WHERE id = $1 AND totp_confirmed_at IS NULL";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(encrypted.to_owned()).execute(pool).await?;
        });
        Ok(())
    }

    /// Confirms the enrolment with the step of the first code, and replaces the recovery
    /// codes (hashes) in the same transaction; `notice` tells the holder that an app was
    /// enrolled. False when enrolment was already confirmed.
    pub async fn confirm_totp(
        &self,
        user_id: i64,
        step: i64,
        recovery_code_hashes: &[String],
        notice: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        const CONFIRM: &str = "UPDATE users SET totp_confirmed_at = $2, totp_last_step = $3, \
            failed_codes = 0 WHERE id = $1 AND totp_secret IS NOT NULL AND totp_confirmed_at IS NULL";
        const CLEAR: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
        const INSERT: &str = "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)";
        let mut effects = Effects::default();
        effects.audit_account(
            user_id,
            AuditEvent::TotpEnrolled,
            json!({ "user_id": user_id }),
        );
        effects.mail(notice);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(CONFIRM).bind(user_id).bind(now).bind(step).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            sqlx::query(CLEAR).bind(user_id).execute(&mut *tx).await?;
            for hash in recovery_code_hashes {
                sqlx::query(INSERT).bind(user_id).bind(hash.clone()).execute(&mut *tx).await?;
            }
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(true)
    }

    /// The last accepted time step, for replay protection.
    pub async fn totp_last_step(&self, user_id: i64) -> Result<Option<i64>> {
        const SQL: &str = "SELECT totp_last_step FROM users WHERE id = $1";
        let row: Option<(Option<i64>,)> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(user_id).fetch_optional(pool).await?
        });
        Ok(row.and_then(|(step,)| step))
    }

    /// Accepts a code's time step, atomically: false when this step (or a later one) was
    /// already used, also by a request on another node at the same moment.
    pub async fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        const SQL: &str = "UPDATE users SET totp_last_step = $2, failed_codes = 0 \
            WHERE id = $1 AND locked_at IS NULL AND (totp_last_step IS NULL OR totp_last_step < $2)";
        let changed = with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(step).execute(pool).await?.rows_affected()
        });
        Ok(changed == 1)
    }

    /// Uses up a recovery code (by hash): false when unknown or already used.
    pub async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        const USE: &str = "UPDATE recovery_codes SET used_at = $3 \
            WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";
        const RESET: &str = "UPDATE users SET failed_codes = 0 WHERE id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let used = sqlx::query(USE).bind(user_id).bind(code_hash.to_owned()).bind(now).execute(&mut *tx).await?;
            if used.rows_affected() != 1 {
                return Ok(false);
            }
            sqlx::query(RESET).bind(user_id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// How many recovery codes are left.
    pub async fn count_recovery_codes(&self, user_id: i64) -> Result<i64> {
        const SQL: &str =
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL";
        let (count,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(user_id).fetch_one(pool).await?
        });
        Ok(count)
    }

    /// Counts a wrong code. The tenth in a row locks the account, ends its sessions, tells
    /// the user by `lock_mail` and is audited. Returns whether the account is now locked.
    pub async fn record_failed_code(
        &self,
        user_id: i64,
        lock_mail: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        const COUNT: &str =
            "UPDATE users SET failed_codes = failed_codes + 1 WHERE id = $1 RETURNING failed_codes";
        const LOCK: &str = "UPDATE users SET locked_at = $2 WHERE id = $1 AND locked_at IS NULL";
        const SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (failed,): (i64,) = sqlx::query_as(COUNT).bind(user_id).fetch_one(&mut *tx).await?;
            if failed < LOCK_AFTER_FAILED_CODES {
                tx.commit().await?;
                return Ok(false);
            }
            let locked = sqlx::query(LOCK).bind(user_id).bind(now).execute(&mut *tx).await?;
            if locked.rows_affected() == 1 {
                sqlx::query(SESSIONS).bind(user_id).execute(&mut *tx).await?;
                let mut effects = Effects::default();
                effects.mail(lock_mail);
                effects.audit_account(user_id, AuditEvent::AccountLocked, json!({ "user_id": user_id, "failed_codes": failed }));
                write_effects!(tx, effects, actor, now);
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Asks for one attempt (a password, a code, a reset mail) under each throttle key, and
    /// records it in the same transaction: a burst of parallel requests is counted one by one,
    /// as a sequence would be. The attempt counts as a failure until
    /// [`Store::release_attempt`] takes it back (it succeeded).
    pub async fn begin_attempt(
        &self,
        keys: &[(String, ThrottlePolicy)],
        now: DateTime<Utc>,
    ) -> Result<AttemptGrant> {
        const LOCK: &str = "INSERT INTO throttle_keys (throttle_key, touched_at) VALUES ($1, $2) \
            ON CONFLICT (throttle_key) DO UPDATE SET touched_at = excluded.touched_at";
        const FAILURES: &str = "SELECT at FROM login_failures WHERE throttle_key = $1 AND at > $2 \
            ORDER BY at LIMIT 1000";
        const RECORD: &str =
            "INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2) RETURNING id";
        // Always the same order of locks, so two attempts never wait for each other in a cycle.
        let mut keys = keys.to_vec();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut latest: Option<DateTime<Utc>> = None;
            for (key, policy) in &keys {
                sqlx::query(LOCK).bind(key.clone()).bind(now).execute(&mut *tx).await?;
                let failures: Vec<(DateTime<Utc>,)> = sqlx::query_as(FAILURES)
                    .bind(key.clone()).bind(now - policy.window).fetch_all(&mut *tx).await?;
                let failures: Vec<DateTime<Utc>> = failures.into_iter().map(|(at,)| at).collect();
                if let Some(at) = policy.retry_at(&failures).filter(|at| *at > now) {
                    latest = latest.max(Some(at));
                }
            }
            if let Some(at) = latest {
                tx.commit().await?;
                return Ok(AttemptGrant::Throttled(at));
            }
            let mut ids = Vec::with_capacity(keys.len());
            for (key, _) in &keys {
                let id: i64 = sqlx::query_scalar(RECORD).bind(key.clone()).bind(now)
                    .fetch_one(&mut *tx).await?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(AttemptGrant::Granted(AttemptTicket(ids)))
        })
    }

    /// Takes back an attempt that succeeded, so that it does not count against its keys.
    pub async fn release_attempt(&self, ticket: AttemptTicket) -> Result<()> {
        const SQL: &str = "DELETE FROM login_failures WHERE id = $1";
        with_pool!(self, pool => {
            for id in &ticket.0 {
                sqlx::query(SQL).bind(*id).execute(pool).await?;
            }
        });
        Ok(())
    }

    /// Forgets a key's failures (after a successful login of that account).
    pub async fn clear_login_failures(&self, key: &str) -> Result<()> {
        const SQL: &str = "DELETE FROM login_failures WHERE throttle_key = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(key.to_owned()).execute(pool).await?;
        });
        Ok(())
    }
}

impl Store {
    /// Gives an account a confirmed TOTP secret (encrypted) directly: for demo accounts and
    /// tests, which must be able to log in without the enrolment page.
    pub async fn set_confirmed_totp_secret(
        &self,
        user_id: i64,
        encrypted: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const SQL: &str = "UPDATE users SET totp_secret = $2, totp_confirmed_at = $3, \
            totp_last_step = NULL WHERE id = $1";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(user_id).bind(encrypted.to_owned()).bind(now).execute(pool).await?;
        });
        Ok(())
    }
}

impl Store {
    /// Creates an account without password, its activation link (by hash) and the e-mail
    /// that carries the link, in one transaction. Refused with `Duplicate` when the address
    /// already has an account.
    pub async fn insert_invited_user(
        &self,
        user: &crate::NewUser,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        mail: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const SQL: &str = "INSERT INTO users (email, display_name, password_hash, language, \
            is_operator, disabled, created_at) VALUES ($1, $2, NULL, $3, $4, FALSE, $5) RETURNING id";
        let mut effects = Effects::default();
        effects.mail(mail);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(user.email.clone())
                .bind(user.display_name.clone())
                .bind(user.language.as_str())
                .bind(user.is_operator)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(crate::StoreError::from_write)?;
            insert_token_sql!(tx, id, token_hash, TokenPurpose::Activation, now, expires_at);
            effects.audit(None, AuditEvent::InvitationSent, json!({ "user_id": id, "operator": user.is_operator }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(id)
        })
    }
}
