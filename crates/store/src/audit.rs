//! The tamper-evident audit log: who did what, when, where, at which employer.
//!
//! Every entry is appended inside the write transaction of the change it records, so the
//! two commit or roll back together. Store methods do it with [`AuditTx::append_audit`],
//! which works on either engine's transaction inside `with_pool!`:
//!
//! ```ignore
//! use crate::audit::{AuditEntry, AuditEvent, AuditTx};
//! use crate::db::{BeginWrite, with_pool};
//!
//! with_pool!(self, pool => {
//!     let mut tx = pool.begin_write().await?;          // BEGIN IMMEDIATE on SQLite
//!     sqlx::query(UPDATE_SHEET).bind(…).execute(&mut *tx).await?;
//!     tx.append_audit(
//!         &AuditEntry::new(AuditEvent::SheetChanged, now)
//!             .employer(employer_id)
//!             .user(actor_id)
//!             .ip(ip)
//!             .change(json!({"rights": "consult"}), json!({"rights": "input"})),
//!     ).await?;
//!     tx.commit().await?;
//! });
//! ```
//!
//! Events without another change (a login) use [`Store::record_audit`].
//!
//! Tamper evidence: the database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of
//! `audit_log` with triggers, and each entry carries the hash of the previous entry of its
//! chain (one chain per employer, one for events without employer), so a change made behind
//! the triggers' back is found by [`Store::verify_audit_chain`] (`ebdesk audit verify`).
//! Appends to one chain are serialized: SQLite's `BEGIN IMMEDIATE` holds the database's write
//! lock, PostgreSQL takes a transaction-level advisory lock per chain, so two concurrent
//! appends never read the same previous hash.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use ebdesk_domain::NationalNumber;
use serde::{Serialize, Serializer};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::audit_names::AuditNames;
use crate::db::{BeginWrite, with_pool};
use crate::list_query::{ListQuery, Page};
use crate::{Result, Scope, Store, StoreError};

/// `prev_hash` of the first entry of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Advisory-lock namespace of audit chains on PostgreSQL (the first key of the two-key form).
const PG_LOCK_NAMESPACE: i32 = 0x6175_6469; // "audi"

/// Entries read per round trip by the verification.
const VERIFY_BATCH: i64 = 1000;

/// Largest page of [`Store::list_audit`].
pub const MAX_AUDIT_PAGE: u32 = 500;

macro_rules! audit_events {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// What an audit entry records. The strings are stored: never rename one, add a
        /// variant (one line in the list in `audit.rs`) for a new kind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum AuditEvent {
            $($(#[$doc])* $variant,)*
        }

        impl AuditEvent {
            /// Every kind, in declaration order (for filters in the UI).
            pub const ALL: &'static [AuditEvent] = &[$(AuditEvent::$variant,)*];

            /// The stable string stored in `audit_log.event`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditEvent::$variant => $text,)*
                }
            }

            /// The kind stored as `value`, if this build knows it.
            pub fn from_db(value: &str) -> Option<AuditEvent> {
                match value {
                    $($text => Some(AuditEvent::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

audit_events! {
    LoginSucceeded = "login_succeeded",
    /// Wrong password or code; the user is None when the e-mail is unknown.
    LoginFailed = "login_failed",
    Logout = "logout",
    /// The user set a first password through the activation link.
    AccountActivated = "account_activated",
    PasswordChanged = "password_changed",
    PasswordResetRequested = "password_reset_requested",
    TotpEnrolled = "totp_enrolled",
    TotpReset = "totp_reset",
    RecoveryCodeUsed = "recovery_code_used",
    AccountLocked = "account_locked",
    AccountUnlocked = "account_unlocked",
    SheetCreated = "sheet_created",
    SheetChanged = "sheet_changed",
    SheetRevoked = "sheet_revoked",
    InvitationSent = "invitation_sent",
    InvitationWithdrawn = "invitation_withdrawn",
    /// A master invited an existing account; it holds no sheet until its holder accepts.
    SheetInvited = "sheet_invited",
    /// The invited account holder accepted: the sheet exists from now on.
    InvitationAccepted = "invitation_accepted",
    InvitationDeclined = "invitation_declined",
    MasterTransferred = "master_transferred",
    EmployerCreated = "employer_created",
    /// The operator changed an employer's data (name, KBO number, address): the changed
    /// fields only, before and after.
    EmployerChanged = "employer_changed",
    /// A new notification address was asked; it waits for its confirmation link.
    NotificationAddressRequested = "notification_address_requested",
    /// The new notification address confirmed its link and replaced the old one.
    NotificationAddressChanged = "notification_address_changed",
    ContractAdded = "contract_added",
    /// A download or export that contains personal data.
    PersonalDataDownloaded = "personal_data_downloaded",
    EmployeeChanged = "employee_changed",
    /// An upload's addresses were applied (the counts; the rows stay with the upload).
    UploadApplied = "upload_applied",
    UploadCancelled = "upload_cancelled",
    /// A salary list's salaries were applied (the year and the counts).
    SalariesUploaded = "salaries_uploaded",
    /// "Nieuwe aansluiting": an affiliation, and the employee when they were new.
    AffiliationCreated = "affiliation_created",
    /// "Uittreding": an employee's affiliations ended.
    EmployeeExited = "employee_exited",
    /// An exit undone by its author the same day.
    ExitWithdrawn = "exit_withdrawn",
    /// "Verplaatsen naar andere categorie": an affiliation ended, one in another category
    /// opened the next day.
    AffiliationMoved = "affiliation_moved",
    /// A month's premium statement was issued (the month, its total and lines).
    PremiumStatementIssued = "premium_statement_issued",
    /// A statement's workbook or PDF was downloaded (the month, the format, the lines).
    PremiumStatementDownloaded = "premium_statement_downloaded",
    /// An HR user wrote to a contact point (a new thread or a reply; never the text).
    ContactMessageSent = "contact_message_sent",
    /// The operator answered a thread.
    ContactMessageAnswered = "contact_message_answered",
    /// The operator changed an employer's contact points.
    ContactPointsChanged = "contact_points_changed",
    /// The operator recorded a payment of a charge (by hand or from a bank file).
    PremiumPaymentRecorded = "premium_payment_recorded",
    /// A reminder went to the notification address for a charge unpaid after its due date.
    PremiumReminderSent = "premium_reminder_sent",
    /// The operator published a document for an employer (its id, title, kind, file name
    /// and contract, if any).
    DocumentPublished = "document_published",
    /// A user downloaded a published document (the same details).
    DocumentDownloaded = "document_downloaded",
    /// The operator added a category to a contract (the contract and the name).
    CategoryAdded = "category_added",
    /// The operator added a plan rule to a category (contract, category, date, rule).
    PlanRuleAdded = "plan_rule_added",
}

impl Serialize for AuditEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One audit entry to append.
///
/// `details` is a JSON value: for a change `{"before": …, "after": …}` (see
/// [`AuditEntry::change`]), else whatever identifies the object (a sheet id, a file name).
///
/// **Never put a password, a token (activation, reset, session), a TOTP secret, a recovery
/// code or a full national number in `details`**: the log is kept for years and shown to
/// the master user and the operator. Name the employee by id and masked number instead.
/// Debug builds assert this with [`find_forbidden_content`].
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// None for events outside an employer (operator actions, failed logins of unknown users).
    pub employer_id: Option<i64>,
    /// Who did it; None when nobody is known.
    pub user_id: Option<i64>,
    /// Stored with microsecond precision (what both engines keep).
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
    pub event: AuditEvent,
    pub details: Value,
}

impl AuditEntry {
    /// An entry with no employer, user, IP or details yet.
    pub fn new(event: AuditEvent, at: DateTime<Utc>) -> AuditEntry {
        AuditEntry {
            employer_id: None,
            user_id: None,
            at,
            ip: None,
            event,
            details: Value::Object(serde_json::Map::new()),
        }
    }

    pub fn employer(mut self, employer_id: i64) -> AuditEntry {
        self.employer_id = Some(employer_id);
        self
    }

    pub fn user(mut self, user_id: i64) -> AuditEntry {
        self.user_id = Some(user_id);
        self
    }

    pub fn ip(mut self, ip: Option<String>) -> AuditEntry {
        self.ip = ip;
        self
    }

    pub fn details(mut self, details: Value) -> AuditEntry {
        self.details = details;
        self
    }

    /// Details `{"before": before, "after": after}`.
    pub fn change(self, before: Value, after: Value) -> AuditEntry {
        self.details(serde_json::json!({ "before": before, "after": after }))
    }
}

/// Why `details` would break the rule on [`AuditEntry`], if it does: a key that names a
/// secret (`password`, `secret`, `token`), or a run of digits that is a national number
/// (11 digits, possibly written with dots, dashes or slashes, or a valid number inside a
/// longer run). Tests of code that writes audit entries can call it too.
pub fn find_forbidden_content(details: &Value) -> Option<String> {
    match details {
        Value::Object(map) => map.iter().find_map(|(key, value)| {
            let lower = key.to_ascii_lowercase();
            if ["password", "secret", "token"]
                .iter()
                .any(|word| lower.contains(word))
            {
                Some(format!("key {key:?} names a secret"))
            } else {
                find_forbidden_content(value)
            }
        }),
        Value::Array(values) => values.iter().find_map(find_forbidden_content),
        Value::String(text) => national_number_in(text).then(|| "a national number".to_owned()),
        Value::Number(n) => {
            national_number_in(&n.to_string()).then(|| "a national number".to_owned())
        }
        Value::Bool(_) | Value::Null => None,
    }
}

/// True when `text` holds a run of digits (dots, dashes and slashes between them allowed, not
/// after a `+`, which starts a phone number) of exactly 11 digits, or a longer run with a
/// valid national number inside.
fn national_number_in(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let phone = i > 0 && chars[i - 1] == '+';
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            let separator_between_digits =
                matches!(c, '.' | '-' | '/') && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !separator_between_digits {
                break;
            }
            i += 1;
        }
        if phone {
            continue;
        }
        if digits.len() == 11 {
            return true;
        }
        if digits.len() > 11
            && (0..=digits.len() - 11).any(|s| NationalNumber::parse(&digits[s..s + 11]).is_ok())
        {
            return true;
        }
    }
    false
}

/// The time as stored and hashed: microseconds, which both engines keep exactly.
fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The one textual form of a time inside the hash, the same whichever engine stored it.
fn hashed_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// SHA-256 (lower-case hex) over a versioned, length-prefixed encoding of the fields, so no
/// two different entries encode alike (a NULL differs from an empty text, and no field can
/// run into the next).
fn entry_hash(prev_hash: &str, row: &HashedFields<'_>) -> String {
    fn field(hasher: &mut Sha256, value: Option<&str>) {
        match value {
            None => hasher.update([0u8]),
            Some(text) => {
                hasher.update([1u8]);
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
        }
    }
    let mut hasher = Sha256::new();
    hasher.update(b"ebdesk-audit-v1");
    field(&mut hasher, Some(prev_hash));
    field(
        &mut hasher,
        row.employer_id.map(|id| id.to_string()).as_deref(),
    );
    field(&mut hasher, row.user_id.map(|id| id.to_string()).as_deref());
    field(&mut hasher, Some(&hashed_time(row.at)));
    field(&mut hasher, row.ip);
    field(&mut hasher, Some(row.event));
    field(&mut hasher, Some(row.details));
    format!("{:x}", hasher.finalize())
}

/// What the hash covers, besides the previous hash.
struct HashedFields<'a> {
    employer_id: Option<i64>,
    user_id: Option<i64>,
    at: DateTime<Utc>,
    ip: Option<&'a str>,
    event: &'a str,
    details: &'a str,
}

const LAST_HASH_OF_EMPLOYER: &str =
    "SELECT hash FROM audit_log WHERE employer_id = $1 ORDER BY id DESC LIMIT 1";
const LAST_HASH_WITHOUT_EMPLOYER: &str =
    "SELECT hash FROM audit_log WHERE employer_id IS NULL ORDER BY id DESC LIMIT 1";
const INSERT_ENTRY: &str = "INSERT INTO audit_log \
    (employer_id, user_id, at, ip, event, details, prev_hash, hash) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

/// Appends audit entries inside a write transaction that the caller holds (see the module
/// example). Implemented for both engines' transactions, so the same call compiles in each
/// arm of `with_pool!`. The transaction must come from `begin_write()`.
pub(crate) trait AuditTx {
    /// Appends `entry` to its employer's chain and returns its id.
    async fn append_audit(&mut self, entry: &AuditEntry) -> Result<i64>;
}

/// The body shared by both engines, once the chain is locked.
macro_rules! append_entry {
    ($tx:expr, $entry:expr) => {{
        let entry: &AuditEntry = $entry;
        debug_assert!(
            find_forbidden_content(&entry.details).is_none(),
            "audit details of {} hold something secret: {:?}",
            entry.event.as_str(),
            find_forbidden_content(&entry.details)
        );
        let at = stored_time(entry.at);
        let details = entry.details.to_string();
        let prev_hash: Option<String> = match entry.employer_id {
            Some(id) => {
                sqlx::query_scalar(LAST_HASH_OF_EMPLOYER)
                    .bind(id)
                    .fetch_optional(&mut **$tx)
                    .await?
            }
            None => {
                sqlx::query_scalar(LAST_HASH_WITHOUT_EMPLOYER)
                    .fetch_optional(&mut **$tx)
                    .await?
            }
        };
        let prev_hash = prev_hash.unwrap_or_else(|| GENESIS_HASH.to_owned());
        let hash = entry_hash(
            &prev_hash,
            &HashedFields {
                employer_id: entry.employer_id,
                user_id: entry.user_id,
                at,
                ip: entry.ip.as_deref(),
                event: entry.event.as_str(),
                details: &details,
            },
        );
        let id: i64 = sqlx::query_scalar(INSERT_ENTRY)
            .bind(entry.employer_id)
            .bind(entry.user_id)
            .bind(at)
            .bind(entry.ip.clone())
            .bind(entry.event.as_str())
            .bind(details)
            .bind(prev_hash)
            .bind(hash)
            .fetch_one(&mut **$tx)
            .await
            .map_err(StoreError::from_write)?;
        Ok(id)
    }};
}

impl AuditTx for sqlx::Transaction<'_, sqlx::Sqlite> {
    async fn append_audit(&mut self, entry: &AuditEntry) -> Result<i64> {
        // BEGIN IMMEDIATE already holds the database's only write lock.
        append_entry!(self, entry)
    }
}

impl AuditTx for sqlx::Transaction<'_, sqlx::Postgres> {
    async fn append_audit(&mut self, entry: &AuditEntry) -> Result<i64> {
        // Held until commit or rollback: the next writer of this chain reads our hash.
        // Chains whose ids collide in 31 bits merely wait for each other.
        let chain = entry.employer_id.map_or(0, |id| (id & 0x7fff_ffff) as i32);
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind(PG_LOCK_NAMESPACE)
            .bind(chain)
            .execute(&mut **self)
            .await?;
        append_entry!(self, entry)
    }
}

/// One chain's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainVerification {
    /// None: the chain of events without employer.
    pub employer_id: Option<i64>,
    /// Entries read.
    pub entries: u64,
    /// The first entry that does not verify, if any.
    pub first_broken: Option<BrokenEntry>,
}

/// An entry where a chain stops verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BrokenEntry {
    pub id: i64,
    pub reason: BreakReason,
}

/// How an entry fails to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BreakReason {
    /// Its content no longer matches its hash: it was changed.
    ContentChanged,
    /// Its `prev_hash` is not the hash of the entry before it: an entry was removed or
    /// inserted before it.
    LinkBroken,
}

/// The verdict of [`Store::verify_audit_chain`], one line per chain (no employer first, then
/// by employer id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    pub chains: Vec<ChainVerification>,
}

impl AuditVerification {
    /// True when every chain verifies.
    pub fn is_intact(&self) -> bool {
        self.chains.iter().all(|c| c.first_broken.is_none())
    }

    /// Entries read over all chains.
    pub fn entries(&self) -> u64 {
        self.chains.iter().map(|c| c.entries).sum()
    }
}

#[derive(sqlx::FromRow)]
struct StoredEntry {
    id: i64,
    employer_id: Option<i64>,
    user_id: Option<i64>,
    at: DateTime<Utc>,
    ip: Option<String>,
    event: String,
    details: String,
    prev_hash: String,
    hash: String,
}

/// Where a chain stands while walking it: the stored hash of its last entry.
struct ChainWalk {
    last_hash: String,
    verdict: ChainVerification,
}

/// Who sees entries of which employer in [`Store::list_audit_all`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEmployer {
    /// Every entry.
    Any,
    /// The entries of one employer.
    Employer(i64),
    /// Only entries outside any employer.
    WithoutEmployer,
}

/// Filters and paging of the audit log. Pages run newest first.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub event: Option<AuditEvent>,
    pub user_id: Option<i64>,
    /// Entries by the user with this e-mail (exact, as stored: lower case).
    pub user_email: Option<String>,
    /// Inclusive.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    /// The page after (older than) the entry with this id: [`AuditPage::next_before`].
    pub before_id: Option<i64>,
    /// Rows per page, at most [`MAX_AUDIT_PAGE`].
    pub limit: u32,
}

impl Default for AuditFilter {
    fn default() -> Self {
        AuditFilter {
            event: None,
            user_id: None,
            user_email: None,
            since: None,
            until: None,
            before_id: None,
            limit: 50,
        }
    }
}

/// One entry as the log pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub employer_id: Option<i64>,
    pub employer_number: Option<String>,
    pub user_id: Option<i64>,
    /// The e-mail of the user, at the time of reading.
    pub user_email: Option<String>,
    pub at: DateTime<Utc>,
    pub ip: Option<String>,
    pub event: AuditEvent,
    pub details: Value,
}

/// A page of the log, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRecord>,
    /// What the rows' details name by id.
    #[serde(skip)]
    pub names: AuditNames,
    /// Set `AuditFilter::before_id` to this for the next (older) page; None on the last.
    pub next_before: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    employer_id: Option<i64>,
    employer_number: Option<String>,
    user_id: Option<i64>,
    user_email: Option<String>,
    at: DateTime<Utc>,
    ip: Option<String>,
    event: String,
    details: String,
}

impl TryFrom<RecordRow> for AuditRecord {
    type Error = StoreError;

    fn try_from(row: RecordRow) -> Result<AuditRecord> {
        let event = AuditEvent::from_db(&row.event)
            .ok_or_else(|| StoreError::Corrupt(format!("audit event {:?}", row.event)))?;
        let details = serde_json::from_str(&row.details)
            .map_err(|e| StoreError::Corrupt(format!("audit details of {}: {e}", row.id)))?;
        Ok(AuditRecord {
            id: row.id,
            employer_id: row.employer_id,
            employer_number: row.employer_number,
            user_id: row.user_id,
            user_email: row.user_email,
            at: row.at,
            ip: row.ip,
            event,
            details,
        })
    }
}

impl Store {
    /// Appends one entry in a transaction of its own, for events that change nothing else
    /// (a login, a failed login, a download). Returns its id.
    pub async fn record_audit(&self, entry: &AuditEntry) -> Result<i64> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.append_audit(entry).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The log of the scope's employer, for its master user (the caller checks the right).
    pub async fn list_audit(&self, scope: &Scope, filter: &AuditFilter) -> Result<AuditPage> {
        self.list_audit_all(AuditEmployer::Employer(scope.employer_id()), filter)
            .await
    }

    /// The whole log, for the operator only: no tenant scope applies.
    pub async fn list_audit_all(
        &self,
        employer: AuditEmployer,
        filter: &AuditFilter,
    ) -> Result<AuditPage> {
        let limit = filter.limit.clamp(1, MAX_AUDIT_PAGE) as usize;
        let mut q = ListQuery::new(
            "SELECT a.id, a.employer_id, e.number AS employer_number, a.user_id, \
                u.email AS user_email, a.at, a.ip, a.event, a.details \
            FROM audit_log a \
            LEFT JOIN employers e ON e.id = a.employer_id \
            LEFT JOIN users u ON u.id = a.user_id WHERE 1 = 1",
            [],
        );
        match employer {
            AuditEmployer::Any => {}
            AuditEmployer::Employer(id) => {
                q.push_bind(" AND a.employer_id = ", id);
            }
            AuditEmployer::WithoutEmployer => {
                q.push(" AND a.employer_id IS NULL");
            }
        }
        if let Some(event) = filter.event {
            q.push_bind(" AND a.event = ", event.as_str());
        }
        if let Some(user_id) = filter.user_id {
            q.push_bind(" AND a.user_id = ", user_id);
        }
        if let Some(email) = &filter.user_email {
            q.push_bind(" AND u.email = ", email.clone());
        }
        if let Some(since) = filter.since {
            q.push_bind(" AND a.at >= ", since);
        }
        if let Some(until) = filter.until {
            q.push_bind(" AND a.at < ", until);
        }
        let cursor = q.page_older_than("a.", filter.before_id, limit);
        let rows: Vec<RecordRow> = with_pool!(self, pool, Db => {
            q.build::<Db, _>()?.fetch_all(pool).await?
        });
        let (rows, next_before) = Page::from_fetched(rows, cursor, limit)
            .try_map(AuditRecord::try_from)?
            .into_older(|r| r.id);
        let names = self.audit_names(employer, &rows).await?;
        Ok(AuditPage {
            rows,
            names,
            next_before,
        })
    }

    /// Walks every chain in id order, recomputes each hash and checks each link. Reports
    /// the first broken entry per chain, or the count of entries that verify.
    pub async fn verify_audit_chain(&self) -> Result<AuditVerification> {
        const SQL: &str = "SELECT id, employer_id, user_id, at, ip, event, details, prev_hash, \
            hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2";
        let mut chains: BTreeMap<Option<i64>, ChainWalk> = BTreeMap::new();
        let mut after = 0_i64;
        loop {
            let batch: Vec<StoredEntry> = with_pool!(self, pool => {
                sqlx::query_as(SQL).bind(after).bind(VERIFY_BATCH).fetch_all(pool).await?
            });
            let Some(last) = batch.last() else { break };
            after = last.id;
            for entry in &batch {
                let walk = chains
                    .entry(entry.employer_id)
                    .or_insert_with(|| ChainWalk {
                        last_hash: GENESIS_HASH.to_owned(),
                        verdict: ChainVerification {
                            employer_id: entry.employer_id,
                            entries: 0,
                            first_broken: None,
                        },
                    });
                walk.verdict.entries += 1;
                if walk.verdict.first_broken.is_none() {
                    walk.verdict.first_broken = check_entry(&walk.last_hash, entry);
                }
                walk.last_hash.clone_from(&entry.hash);
            }
        }
        Ok(AuditVerification {
            chains: chains.into_values().map(|walk| walk.verdict).collect(),
        })
    }
}

fn check_entry(expected_prev: &str, entry: &StoredEntry) -> Option<BrokenEntry> {
    let recomputed = entry_hash(
        &entry.prev_hash,
        &HashedFields {
            employer_id: entry.employer_id,
            user_id: entry.user_id,
            at: entry.at,
            ip: entry.ip.as_deref(),
            event: &entry.event,
            details: &entry.details,
        },
    );
    let reason = if recomputed != entry.hash {
        BreakReason::ContentChanged
    } else if entry.prev_hash != expected_prev {
        BreakReason::LinkBroken
    } else {
        return None;
    };
    Some(BrokenEntry {
        id: entry.id,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_strings_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for event in AuditEvent::ALL {
            assert!(seen.insert(event.as_str()), "{} twice", event.as_str());
            assert_eq!(AuditEvent::from_db(event.as_str()), Some(*event));
        }
    }

    #[test]
    fn national_numbers_and_secret_keys_are_found_in_details() {
        let forbidden = [
            json!({"employee": "85073003328"}),
            json!({"before": {"nn": "85.07.30-033.28"}}),
            json!({"list": [1, 2, "x 85073003328 y"]}),
            json!({"number": 85073003328_u64}),
            json!({"password": "whatever"}),
            json!({"activation_token": "abc"}),
            json!({"totp_secret": "JBSWY3DP"}),
            // A valid number inside a longer run.
            json!({"ref": "0085073003328"}),
        ];
        for details in forbidden {
            assert!(find_forbidden_content(&details).is_some(), "{details}");
        }
        let allowed = [
            json!({"employee_id": 12345, "masked": "85.07.30-xxx.xx"}),
            json!({"phone": "+32.2.123.45.67", "mobile": "+32 470 12 34 56"}),
            json!({"period": "2024-01-01/2024-12-31", "at": "2026-11-24T11:37:06.123456Z"}),
            json!({"rights": {"before": "consult", "after": "input"}}),
        ];
        for details in allowed {
            assert_eq!(find_forbidden_content(&details), None, "{details}");
        }
    }

    #[test]
    fn the_hash_separates_fields_and_nulls() {
        let at = Utc::now();
        let base = HashedFields {
            employer_id: Some(1),
            user_id: None,
            at,
            ip: Some(""),
            event: "logout",
            details: "{}",
        };
        let moved = HashedFields {
            employer_id: None,
            user_id: Some(1),
            ip: None,
            ..base
        };
        assert_ne!(
            entry_hash(GENESIS_HASH, &base),
            entry_hash(GENESIS_HASH, &moved)
        );
        let a = HashedFields {
            event: "ab",
            details: "c",
            ..base
        };
        let b = HashedFields {
            event: "a",
            details: "bc",
            ..base
        };
        assert_ne!(entry_hash(GENESIS_HASH, &a), entry_hash(GENESIS_HASH, &b));
    }
}
