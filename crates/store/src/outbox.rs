//! The durable e-mail outbox: messages are queued in the database, inside the transaction of
//! the change that causes them, and a sender (crate `ebdesk-mail`) delivers them later.
//!
//! Store methods queue a message with [`OutboxTx::enqueue_email`] beside their other writes,
//! exactly like an audit entry (see [`crate::audit`]):
//!
//! ```ignore
//! with_pool!(self, pool => {
//!     let mut tx = pool.begin_write().await?;
//!     // … insert the user sheet …
//!     tx.enqueue_email(&OutgoingEmail { to, subject, body_text }, now).await?;
//!     tx.append_audit(&entry).await?;
//!     tx.commit().await?;
//! });
//! ```
//!
//! Life of a message: `pending` → claimed by a sender with a lease (a fresh token and an end
//! time; `FOR UPDATE SKIP LOCKED` on PostgreSQL) → `sent`, or back to `pending` with the
//! error and a later `next_attempt_at` ([`retry_delay`]), or `failed` after the last attempt
//! or a permanent refusal. A sender that dies holding a lease loses it when it ends. Only the
//! holder of the current token can complete a claim. Every row stays, for the operator.
//!
//! Bodies are sealed with the server key ([`crate::keys::use_secret_key`]) bound to the
//! recipient: activation and reset links are as good as a password until used, and their
//! tokens are only stored hashed elsewhere. Only a claim (the sender, just before sending)
//! opens them; the operator's list never reads them.

use chrono::{DateTime, Duration, Utc};
use ebdesk_domain::email::EmailAddress;
use ebdesk_keys::SecretKey;
use serde::Serialize;

use crate::db::{BeginWrite, Pool, with_pool};
use crate::keys::installed_key;
use crate::list_query::{ListQuery, Page};
use crate::{Result, Store, StoreError};

/// Attempts before a message is given up and left `failed`.
pub const MAX_EMAIL_ATTEMPTS: i64 = 10;

/// Longest error text kept per message.
const MAX_ERROR_CHARS: usize = 1000;

/// Largest page of [`Store::list_outbox`].
const MAX_OUTBOX_PAGE: u32 = 500;

/// How long to wait after the `attempts`-th failed attempt: 1 min, 5 min, 30 min, 2 h, then
/// every 6 h. None once [`MAX_EMAIL_ATTEMPTS`] attempts failed (about 32 hours in all).
pub fn retry_delay(attempts: i64) -> Option<Duration> {
    if attempts >= MAX_EMAIL_ATTEMPTS {
        return None;
    }
    Some(match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(6),
    })
}

/// A message to queue: plain UTF-8 text, subject and body written by the caller (in Dutch).
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub to: EmailAddress,
    pub subject: String,
    pub body_text: String,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    /// Not sent yet: new, being sent, or waiting for a retry (`attempts` > 0).
    Pending,
    Sent,
    /// Given up; `last_error` says why.
    Failed,
}

impl EmailStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::Pending => "pending",
            EmailStatus::Sent => "sent",
            EmailStatus::Failed => "failed",
        }
    }

    fn from_db(value: &str) -> Result<EmailStatus> {
        match value {
            "pending" => Ok(EmailStatus::Pending),
            "sent" => Ok(EmailStatus::Sent),
            "failed" => Ok(EmailStatus::Failed),
            other => Err(StoreError::Corrupt(format!("e-mail status {other:?}"))),
        }
    }
}

/// A message a sender holds the lease of.
#[derive(Debug, Clone)]
pub struct ClaimedEmail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    /// The opened body; None when it cannot be decrypted with this process's key (a damaged
    /// row, or a node with another key): the sender gives such a message up.
    pub body_text: Option<String>,
    /// Attempts including this one.
    pub attempts: i64,
    /// Proves the lease to [`Store::mark_email_sent`] and [`Store::mark_email_failed`].
    pub lease_token: String,
}

#[derive(sqlx::FromRow)]
struct ClaimedRow {
    id: i64,
    to_address: String,
    subject: String,
    body: String,
    sealed_body: Option<String>,
    attempts: i64,
    lease_token: String,
}

impl ClaimedRow {
    fn open(self) -> ClaimedEmail {
        let body_text = open_body(&self.to_address, self.body, self.sealed_body);
        ClaimedEmail {
            id: self.id,
            to_address: self.to_address,
            subject: self.subject,
            body_text,
            attempts: self.attempts,
            lease_token: self.lease_token,
        }
    }
}

/// What a body is bound to: its recipient, so a sealed body cannot be moved to another row.
fn seal_context(to_address: &str) -> Vec<u8> {
    format!("ebdesk outbox:{to_address}").into_bytes()
}

/// The stored form of a body for `to_address` (lower-case, as stored).
pub(crate) fn seal_body(key: &SecretKey, to_address: &str, body: &str) -> Result<String> {
    key.encrypt_for(&seal_context(to_address), body.as_bytes())
        .map_err(|_| StoreError::Corrupt("sealing an e-mail body".to_owned()))
}

/// The body of a row: opened with the installed key, or as stored by a version before the
/// sealing (the first node with the key check seals those).
fn open_body(to_address: &str, body: String, sealed: Option<String>) -> Option<String> {
    let Some(sealed) = sealed else {
        return Some(body);
    };
    let opened = installed_key()
        .ok()?
        .decrypt_for(&seal_context(to_address), &sealed)
        .ok()?;
    String::from_utf8(opened).ok()
}

/// Whether a failure is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The server or the network may do better later.
    Transient,
    /// The message can never be delivered as it is (a refused address): give up now.
    Permanent,
}

/// What [`Store::mark_email_failed`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    RetryAt(DateTime<Utc>),
    GaveUp,
    /// The lease had expired and another sender holds the message now; nothing was written.
    LeaseLost,
}

/// One message as the operator's outbox page shows it: never its body.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxRecord {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
    pub status: EmailStatus,
    pub attempts: i64,
    /// For a pending message, when the next attempt is due.
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    /// The error of the latest failed attempt (kept after a later success).
    pub last_error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    to_address: String,
    subject: String,
    created_at: DateTime<Utc>,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    failed_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
}

impl TryFrom<RecordRow> for OutboxRecord {
    type Error = StoreError;

    fn try_from(row: RecordRow) -> Result<OutboxRecord> {
        Ok(OutboxRecord {
            status: EmailStatus::from_db(&row.status)?,
            id: row.id,
            to_address: row.to_address,
            subject: row.subject,
            created_at: row.created_at,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            sent_at: row.sent_at,
            failed_at: row.failed_at,
            last_error: row.last_error,
        })
    }
}

/// Filters and paging of the outbox, newest first.
#[derive(Debug, Clone)]
pub struct OutboxFilter {
    pub status: Option<EmailStatus>,
    /// Exact recipient address (addresses are stored lower-cased).
    pub to: Option<String>,
    /// The page after (older than) this id: [`OutboxPage::next_before`].
    pub before_id: Option<i64>,
    pub limit: u32,
}

impl Default for OutboxFilter {
    fn default() -> Self {
        OutboxFilter {
            status: None,
            to: None,
            before_id: None,
            limit: 50,
        }
    }
}

/// A page of the outbox, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxPage {
    pub rows: Vec<OutboxRecord>,
    pub next_before: Option<i64>,
}

const RECORD_COLUMNS: &str = "SELECT id, to_address, subject, created_at, \
    status, attempts, next_attempt_at, sent_at, failed_at, last_error FROM email_outbox";

const INSERT_EMAIL: &str = "INSERT INTO email_outbox (to_address, subject, body, sealed_body, \
    created_at, next_attempt_at, attempts, status) \
    VALUES ($1, $2, '', $3, $4, $4, 0, 'pending') RETURNING id";

/// Queues e-mails inside a write transaction that the caller holds, on either engine.
pub(crate) trait OutboxTx {
    /// Queues `email`, due at once; returns its id. Sent only if the transaction commits.
    async fn enqueue_email(&mut self, email: &OutgoingEmail, now: DateTime<Utc>) -> Result<i64>;
}

macro_rules! enqueue {
    ($tx:expr, $email:expr, $now:expr) => {{
        let email: &OutgoingEmail = $email;
        let to = email.to.as_str().to_owned();
        let sealed = seal_body(installed_key()?, &to, &email.body_text)?;
        let id: i64 = sqlx::query_scalar(INSERT_EMAIL)
            .bind(to)
            .bind(email.subject.clone())
            .bind(sealed)
            .bind($now)
            .fetch_one(&mut **$tx)
            .await?;
        Ok(id)
    }};
}

impl OutboxTx for sqlx::Transaction<'_, sqlx::Sqlite> {
    async fn enqueue_email(&mut self, email: &OutgoingEmail, now: DateTime<Utc>) -> Result<i64> {
        enqueue!(self, email, now)
    }
}

impl OutboxTx for sqlx::Transaction<'_, sqlx::Postgres> {
    async fn enqueue_email(&mut self, email: &OutgoingEmail, now: DateTime<Utc>) -> Result<i64> {
        enqueue!(self, email, now)
    }
}

/// The claim, but for the locking clause PostgreSQL needs so that concurrent claimers skip
/// each other's rows instead of waiting for them.
macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE email_outbox SET lease_token = $1, lease_until = $2, attempts = attempts + 1 ",
            "WHERE id IN (SELECT id FROM email_outbox ",
            "WHERE status = 'pending' AND next_attempt_at <= $3 ",
            "AND (lease_until IS NULL OR lease_until <= $3) ",
            "ORDER BY next_attempt_at, id LIMIT $4",
            $lock,
            ") RETURNING id, to_address, subject, body, sealed_body, attempts, lease_token"
        )
    };
}

fn cut(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}

impl Store {
    /// Queues one message in a transaction of its own, due at once. Returns its id.
    pub async fn enqueue_email(&self, email: &OutgoingEmail, now: DateTime<Utc>) -> Result<i64> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.enqueue_email(email, now).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Claims up to `limit` due messages for `lease`: no other sender gets them until the
    /// lease ends. Each claim counts as an attempt.
    pub async fn claim_due_emails(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<ClaimedEmail>> {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let until = now + lease;
        let limit = i64::from(limit);
        let claimed: Vec<ClaimedRow> = match &self.pool {
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_write().await?;
                let rows = sqlx::query_as(claim_sql!(""))
                    .bind(token)
                    .bind(until)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                rows
            }
            Pool::Postgres(pool) => {
                sqlx::query_as(claim_sql!(" FOR UPDATE SKIP LOCKED"))
                    .bind(token)
                    .bind(until)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
        };
        Ok(claimed.into_iter().map(ClaimedRow::open).collect())
    }

    /// Records a delivery. False when the lease was lost (another sender holds the message).
    pub async fn mark_email_sent(&self, id: i64, token: &str, now: DateTime<Utc>) -> Result<bool> {
        const SQL: &str = "UPDATE email_outbox SET status = 'sent', sent_at = $3, \
            lease_token = NULL, lease_until = NULL \
            WHERE id = $1 AND lease_token = $2 AND status = 'pending'";
        let done = with_pool!(self, pool => {
            sqlx::query(SQL).bind(id).bind(token.to_owned()).bind(now)
                .execute(pool).await?.rows_affected()
        });
        Ok(done == 1)
    }

    /// Records a failed attempt: schedules the next one after [`retry_delay`], or gives the
    /// message up (after the last attempt, or at once when the failure is permanent).
    pub async fn mark_email_failed(
        &self,
        id: i64,
        token: &str,
        error: &str,
        kind: FailureKind,
        now: DateTime<Utc>,
    ) -> Result<FailureOutcome> {
        const ATTEMPTS: &str = "SELECT attempts FROM email_outbox \
            WHERE id = $1 AND lease_token = $2 AND status = 'pending'";
        const RETRY: &str = "UPDATE email_outbox SET next_attempt_at = $2, last_error = $3, \
            lease_token = NULL, lease_until = NULL WHERE id = $1";
        const GIVE_UP: &str = "UPDATE email_outbox SET status = 'failed', failed_at = $2, \
            last_error = $3, lease_token = NULL, lease_until = NULL WHERE id = $1";
        let error = cut(error);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let attempts: Option<i64> = sqlx::query_scalar(ATTEMPTS)
                .bind(id).bind(token.to_owned()).fetch_optional(&mut *tx).await?;
            let Some(attempts) = attempts else {
                return Ok(FailureOutcome::LeaseLost);
            };
            let delay = match kind {
                FailureKind::Transient => retry_delay(attempts),
                FailureKind::Permanent => None,
            };
            let outcome = match delay {
                Some(delay) => {
                    let at = now + delay;
                    sqlx::query(RETRY).bind(id).bind(at).bind(error).execute(&mut *tx).await?;
                    FailureOutcome::RetryAt(at)
                }
                None => {
                    sqlx::query(GIVE_UP).bind(id).bind(now).bind(error).execute(&mut *tx).await?;
                    FailureOutcome::GaveUp
                }
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// The operator's "send again" on a failed message: pending and due at `now`, for one
    /// more attempt. False when the message is not failed.
    pub async fn retry_email(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        const SQL: &str = "UPDATE email_outbox SET status = 'pending', next_attempt_at = $2, \
            failed_at = NULL WHERE id = $1 AND status = 'failed'";
        let done = with_pool!(self, pool => {
            sqlx::query(SQL).bind(id).bind(now).execute(pool).await?.rows_affected()
        });
        Ok(done == 1)
    }

    /// The outbox for the operator, newest first: status, attempts and last error of each.
    pub async fn list_outbox(&self, filter: &OutboxFilter) -> Result<OutboxPage> {
        let limit = filter.limit.clamp(1, MAX_OUTBOX_PAGE) as usize;
        let mut q = ListQuery::new(RECORD_COLUMNS, []);
        q.push(" WHERE 1 = 1");
        if let Some(status) = filter.status {
            q.push_bind(" AND status = ", status.as_str());
        }
        if let Some(to) = &filter.to {
            q.push_bind(" AND to_address = ", to.clone());
        }
        let cursor = q.page_older_than("", filter.before_id, limit);
        let rows: Vec<RecordRow> = with_pool!(self, pool, Db => {
            q.build::<Db, _>()?.fetch_all(pool).await?
        });
        let (rows, next_before) = Page::from_fetched(rows, cursor, limit)
            .try_map(OutboxRecord::try_from)?
            .into_older(|r| r.id);
        Ok(OutboxPage { rows, next_before })
    }

    /// The newest message queued for `address` (lower-case), whatever its status, with its
    /// body opened: tests read activation and reset links from it.
    #[cfg(feature = "test-support")]
    pub async fn find_latest_email_to(&self, address: &str) -> Result<Option<OpenedEmail>> {
        const BODY: &str = "SELECT body, sealed_body FROM email_outbox WHERE id = $1";
        let page = self
            .list_outbox(&OutboxFilter {
                to: Some(address.to_owned()),
                limit: 1,
                ..OutboxFilter::default()
            })
            .await?;
        let Some(record) = page.rows.into_iter().next() else {
            return Ok(None);
        };
        let (body, sealed): (String, Option<String>) = with_pool!(self, pool => {
            sqlx::query_as(BODY).bind(record.id).fetch_one(pool).await?
        });
        let body_text = open_body(&record.to_address, body, sealed)
            .ok_or_else(|| StoreError::Corrupt("an e-mail body does not open".to_owned()))?;
        Ok(Some(OpenedEmail { record, body_text }))
    }

    /// What the outbox table holds for message `id`, as stored: (body, sealed body). Tests
    /// check that nothing readable is at rest.
    #[cfg(feature = "test-support")]
    pub async fn stored_email_body(&self, id: i64) -> Result<(String, Option<String>)> {
        const SQL: &str = "SELECT body, sealed_body FROM email_outbox WHERE id = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(id).fetch_one(pool).await?
        }))
    }
}

/// A message with its body opened ([`Store::find_latest_email_to`], for tests); reads like
/// its [`OutboxRecord`] otherwise.
#[cfg(feature = "test-support")]
#[derive(Debug, Clone)]
pub struct OpenedEmail {
    pub record: OutboxRecord,
    pub body_text: String,
}

#[cfg(feature = "test-support")]
impl std::ops::Deref for OpenedEmail {
    type Target = OutboxRecord;

    fn deref(&self) -> &OutboxRecord {
        &self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_end() {
        let delays: Vec<_> = (1..=MAX_EMAIL_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(delays[0], Some(Duration::minutes(1)));
        assert_eq!(delays[1], Some(Duration::minutes(5)));
        assert_eq!(delays[2], Some(Duration::minutes(30)));
        assert_eq!(delays[3], Some(Duration::hours(2)));
        assert_eq!(delays[4], Some(Duration::hours(6)));
        assert_eq!(delays[8], Some(Duration::hours(6)));
        assert_eq!(delays[9], None);
    }
}

#[cfg(all(test, feature = "test-support"))]
mod transaction_tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::audit::{AuditEmployer, AuditEntry, AuditEvent, AuditFilter, AuditTx};
    use crate::store_test;

    /// What a store method like "create a user sheet" does: its change, the e-mail and the
    /// audit entry in one transaction; `commit` false plays a failure before the commit.
    async fn change_with_mail_and_audit(store: &Store, commit: bool) {
        let now = Utc::now();
        let mail = OutgoingEmail {
            to: EmailAddress::parse("nieuw@firma.test").unwrap(),
            subject: "Activeer je account".to_owned(),
            body_text: "Welkom".to_owned(),
        };
        let entry = AuditEntry::new(AuditEvent::InvitationSent, now);
        with_pool!(store, pool => {
            let mut tx = pool.begin_write().await.unwrap();
            tx.enqueue_email(&mail, now).await.unwrap();
            tx.append_audit(&entry).await.unwrap();
            if commit {
                tx.commit().await.unwrap();
            } else {
                tx.rollback().await.unwrap();
            }
        });
    }

    async fn counts(store: &Store) -> (usize, usize) {
        let mails = store.list_outbox(&OutboxFilter::default()).await.unwrap();
        let audit = store
            .list_audit_all(AuditEmployer::Any, &AuditFilter::default())
            .await
            .unwrap();
        (mails.rows.len(), audit.rows.len())
    }

    store_test!(mail_and_audit_commit_or_roll_back_with_the_change, |db| {
        change_with_mail_and_audit(&db.store, false).await;
        assert_eq!(counts(&db.store).await, (0, 0));
        change_with_mail_and_audit(&db.store, true).await;
        assert_eq!(counts(&db.store).await, (1, 1));
        assert!(db.store.verify_audit_chain().await.unwrap().is_intact());
        db.cleanup().await;
    });
}
