//! An employer's notification address (a distribution list) changes only once the new
//! address has confirmed a link: the request waits in `notification_address_changes` (one
//! per employer, the link's token as its hash), the current address stays in use, and the
//! confirmation replaces it, tells the old address, and writes the audit entry, in one
//! transaction.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, OutgoingMail, write_effects};
use crate::sheets::recheck_master;
use crate::{Access, Result, Scope, Store, StoreError};

/// Who asks for a new notification address.
#[derive(Debug, Clone, Copy)]
pub enum NotificationRequester<'a> {
    /// The employer's master user; their rights are read again in the transaction.
    Master(&'a Access),
    /// The operator (the actor's account must be an operator's, read in the transaction).
    Operator { employer_id: i64 },
}

/// A request for a new notification address, with the mail that carries its link.
#[derive(Debug, Clone)]
pub struct NotificationChangeRequest {
    /// The new address, checked by the caller.
    pub new_email: String,
    /// The SHA-256 of the link's token (the token itself is only in the mail).
    pub token_hash: String,
    /// The requester's language: the mail to the old address is written in it too.
    pub language: String,
    pub expires_at: DateTime<Utc>,
    /// To the new address, with the link.
    pub mail: OutgoingMail,
}

/// A request that waits for its confirmation, as the employer's pages show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PendingNotificationChange {
    pub new_email: String,
    pub requested_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// True when its link expired before it was opened: a new request is needed.
    #[sqlx(skip)]
    pub expired: bool,
}

/// What a confirmation link leads to (after confirmation: `current_email` is the address it
/// replaced).
#[derive(Debug, Clone, Serialize)]
pub struct NotificationLink {
    pub employer_id: i64,
    pub employer_number: String,
    pub employer_name: String,
    /// The address in use until the link is confirmed.
    pub current_email: String,
    pub new_email: String,
    /// The requester's language.
    pub language: String,
}

/// Why a confirmation link does not (or no longer) work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Its time ran out.
    Expired,
    /// It was confirmed already.
    Used,
    /// No such link: mistyped, replaced by a newer request, or its requester no longer has
    /// the right to ask (the master sheet moved on, the account was disabled).
    Unknown,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    employer_id: i64,
    employer_number: String,
    employer_name: String,
    current_email: String,
    new_email: String,
    language: String,
    expires_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    allowed: bool,
}

impl LinkRow {
    fn state(self, now: DateTime<Utc>) -> std::result::Result<NotificationLink, LinkProblem> {
        if self.confirmed_at.is_some() {
            return Err(LinkProblem::Used);
        }
        if self.expires_at <= now {
            return Err(LinkProblem::Expired);
        }
        if !self.allowed {
            return Err(LinkProblem::Unknown);
        }
        Ok(NotificationLink {
            employer_id: self.employer_id,
            employer_number: self.employer_number,
            employer_name: self.employer_name,
            current_email: self.current_email,
            new_email: self.new_email,
            language: self.language,
        })
    }
}

/// The link with token hash `$1`, and whether its requester may still ask: the employer's
/// master, or an operator, with an enabled account.
const LINK: &str = "SELECT n.employer_id, e.number AS employer_number, e.name AS employer_name, \
        e.notification_email AS current_email, n.new_email, n.language, n.expires_at, \
        n.confirmed_at, \
        (NOT u.disabled AND (u.is_operator OR EXISTS (SELECT 1 FROM user_sheets s \
            WHERE s.user_id = u.id AND s.employer_id = n.employer_id AND s.rights = 'master'))) \
            AS allowed \
    FROM notification_address_changes n \
    JOIN employers e ON e.id = n.employer_id \
    JOIN users u ON u.id = n.requested_by \
    WHERE n.token_hash = $1";

impl Store {
    /// Stores a request for a new notification address, replacing any earlier one of the
    /// employer (its link stops working), with its mail and an audit entry. The current
    /// address stays in use. Refused (`notification-address-unchanged`) when the new
    /// address is the current one; [`StoreError::Forbidden`] when the requester may not
    /// (no longer) ask; [`StoreError::NotFound`] for an employer that does not exist.
    pub async fn request_notification_change(
        &self,
        by: NotificationRequester<'_>,
        request: &NotificationChangeRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const OPERATOR: &str =
            "SELECT id FROM users WHERE id = $1 AND is_operator AND NOT disabled";
        const CURRENT: &str = "SELECT notification_email FROM employers WHERE id = $1";
        const UPSERT: &str = "INSERT INTO notification_address_changes (employer_id, new_email, \
                token_hash, language, requested_by, requested_at, expires_at, confirmed_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) \
            ON CONFLICT (employer_id) DO UPDATE SET new_email = excluded.new_email, \
                token_hash = excluded.token_hash, language = excluded.language, \
                requested_by = excluded.requested_by, requested_at = excluded.requested_at, \
                expires_at = excluded.expires_at, confirmed_at = NULL";
        let requester = actor.user_id.ok_or(StoreError::Forbidden)?;
        let r = request.clone();
        let mut effects = Effects::default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let employer_id = match by {
                NotificationRequester::Master(access) => {
                    recheck_master!(tx, access);
                    access.scope().employer_id()
                }
                NotificationRequester::Operator { employer_id } => {
                    let operator: Option<i64> = sqlx::query_scalar(OPERATOR)
                        .bind(requester).fetch_optional(&mut *tx).await?;
                    operator.ok_or(StoreError::Forbidden)?;
                    employer_id
                }
            };
            let current: Option<String> = sqlx::query_scalar(CURRENT)
                .bind(employer_id).fetch_optional(&mut *tx).await?;
            let current = current.ok_or(StoreError::NotFound)?;
            if current == r.new_email {
                return Err(StoreError::Refused("notification-address-unchanged"));
            }
            sqlx::query(UPSERT)
                .bind(employer_id).bind(r.new_email.clone()).bind(r.token_hash)
                .bind(r.language).bind(requester).bind(now).bind(r.expires_at)
                .execute(&mut *tx).await.map_err(StoreError::from_write)?;
            effects.audit(Some(employer_id), AuditEvent::NotificationAddressRequested, json!({
                "current": current, "requested": r.new_email,
            }));
            effects.mail(r.mail);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The request of the scope's employer that waits for its confirmation, if any.
    pub async fn find_pending_notification_change(
        &self,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingNotificationChange>> {
        self.find_pending_notification_change_of(scope.employer_id(), now)
            .await
    }

    /// [`Store::find_pending_notification_change`] for the operator (not tenant-scoped).
    pub async fn find_pending_notification_change_of(
        &self,
        employer_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingNotificationChange>> {
        const SQL: &str = "SELECT new_email, requested_at, expires_at \
            FROM notification_address_changes WHERE employer_id = $1 AND confirmed_at IS NULL";
        let found: Option<PendingNotificationChange> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).fetch_optional(pool).await?
        });
        Ok(found.map(|mut pending| {
            pending.expired = pending.expires_at <= now;
            pending
        }))
    }

    /// What the link with this token hash leads to, or why it does not work.
    pub async fn find_notification_link(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<NotificationLink, LinkProblem>> {
        let row: Option<LinkRow> = with_pool!(self, pool => {
            sqlx::query_as(LINK).bind(token_hash.to_owned()).fetch_optional(pool).await?
        });
        Ok(row.map_or(Err(LinkProblem::Unknown), |row| row.state(now)))
    }

    /// Confirms the link with this token hash: the new address replaces `current_email` (what
    /// the caller read, and wrote `notice` to), the request is marked used, the old address
    /// gets `notice`, and the audit entry is written, in one transaction. Of two confirmations
    /// at once, one changes the address and the other finds the link used.
    pub async fn confirm_notification_change(
        &self,
        token_hash: &str,
        current_email: &str,
        notice: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<NotificationLink, LinkProblem>> {
        const USE: &str = "UPDATE notification_address_changes SET confirmed_at = $2 \
            WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > $2";
        const REPLACE: &str = "UPDATE employers SET notification_email = $2 \
            WHERE id = $1 AND notification_email = $3";
        let hash = token_hash.to_owned();
        let mut effects = Effects::default();
        let outcome = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let used = sqlx::query(USE).bind(hash.clone()).bind(now).execute(&mut *tx).await?;
            if used.rows_affected() == 0 {
                None
            } else {
                let row: LinkRow = sqlx::query_as(LINK).bind(hash.clone()).fetch_one(&mut *tx).await?;
                if !row.allowed {
                    return Ok(Err(LinkProblem::Unknown));
                }
                let replaced = sqlx::query(REPLACE)
                    .bind(row.employer_id).bind(row.new_email.clone()).bind(current_email.to_owned())
                    .execute(&mut *tx).await?;
                if replaced.rows_affected() == 0 {
                    // The address is not the one the notice was written to: start again.
                    return Ok(Err(LinkProblem::Used));
                }
                effects.audit(Some(row.employer_id), AuditEvent::NotificationAddressChanged, json!({
                    "before": current_email, "after": row.new_email,
                }));
                effects.mail(notice);
                write_effects!(tx, effects, actor, now);
                tx.commit().await?;
                Some(NotificationLink {
                    employer_id: row.employer_id,
                    employer_number: row.employer_number,
                    employer_name: row.employer_name,
                    current_email: current_email.to_owned(),
                    new_email: row.new_email,
                    language: row.language,
                })
            }
        });
        match outcome {
            Some(link) => Ok(Ok(link)),
            // Not confirmed now: say why (used by a confirmation just before, expired…).
            None => Ok(Err(self
                .find_notification_link(&hash, now)
                .await?
                .err()
                .unwrap_or(LinkProblem::Used))),
        }
    }
}
