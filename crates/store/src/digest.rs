//! The daily digest of what was published for an employer: who receives it (the
//! notification address, and the users who asked for it on their account page), what each
//! may learn (documents counted per kind inside the user's scope, the issued statements'
//! months), and the claim that sends each (employer, recipient, day) digest once however
//! many worker nodes run the scheduler.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::DocumentKind;
use ebdesk_domain::premium::Month;

use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, OutgoingMail, write_effects};
use crate::scope::in_scope_sql;
use crate::{Result, Store, StoreError};

/// A user who asked for the digest and holds a valid sheet at the employer.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub language: String,
    /// The sheet's reach, read by the store only (a caller cannot widen it).
    sheet_id: i64,
    all_contracts: bool,
}

/// Who a digest goes to.
#[derive(Debug, Clone)]
pub enum DigestRecipient {
    /// The employer's notification address: everything the employer sees.
    Address,
    /// A subscriber: only what their sheet covers.
    User(Subscriber),
}

impl DigestRecipient {
    /// The recipient as `notification_digests` keys it.
    pub fn key(&self) -> String {
        match self {
            DigestRecipient::Address => "address".to_owned(),
            DigestRecipient::User(s) => format!("user:{}", s.user_id),
        }
    }

    /// (all contracts, sheet id) for [`in_scope_sql`].
    fn reach(&self) -> (bool, i64) {
        match self {
            DigestRecipient::Address => (true, 0),
            DigestRecipient::User(s) => (s.all_contracts, s.sheet_id),
        }
    }
}

/// What was published in a digest's period that its recipient may learn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestNews {
    /// Documents per kind, in the menu's order; kinds without any are left out.
    pub documents: Vec<(DocumentKind, i64)>,
    /// The months of the statements issued, oldest first.
    pub statements: Vec<Month>,
}

impl DigestNews {
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.statements.is_empty()
    }
}

/// A recipient's latest digest at an employer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastDigest {
    /// The Brussels day it was sent for.
    pub day: NaiveDate,
    /// Its period's end: the next digest starts there.
    pub covered_until: DateTime<Utc>,
}

/// The day a digest is sent for and the period it covers: [`since`, `until`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestPeriod {
    pub day: NaiveDate,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct SubscriberRow {
    user_id: i64,
    email: String,
    display_name: String,
    language: String,
    sheet_id: i64,
    all_contracts: bool,
}

impl Store {
    /// The employers with a document published or a statement issued at or after `since`.
    pub async fn employers_with_news(&self, since: DateTime<Utc>) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT employer_id FROM documents WHERE published_at >= $1 \
            UNION SELECT employer_id FROM premium_statements WHERE issued_at >= $1 ORDER BY 1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(since).fetch_all(pool).await?
        }))
    }

    /// The users who asked for the digest (account enabled) with a sheet at `employer_id`
    /// valid on `today`.
    pub async fn digest_subscribers(
        &self,
        employer_id: i64,
        today: NaiveDate,
    ) -> Result<Vec<Subscriber>> {
        const SQL: &str = "SELECT u.id AS user_id, u.email, u.display_name, u.language, \
              s.id AS sheet_id, s.all_contracts \
            FROM user_sheets s JOIN users u ON u.id = s.user_id \
            WHERE s.employer_id = $1 AND u.document_notices AND NOT u.disabled \
              AND (s.valid_until IS NULL OR s.valid_until >= $2) ORDER BY u.id";
        let rows: Vec<SubscriberRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).bind(today).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| Subscriber {
                user_id: r.user_id,
                email: r.email,
                display_name: r.display_name,
                language: r.language,
                sheet_id: r.sheet_id,
                all_contracts: r.all_contracts,
            })
            .collect())
    }

    /// The recipient's latest digest at `employer_id`, if any.
    pub async fn last_digest(
        &self,
        employer_id: i64,
        recipient: &DigestRecipient,
    ) -> Result<Option<LastDigest>> {
        const SQL: &str = "SELECT day, covered_until FROM notification_digests \
            WHERE employer_id = $1 AND recipient = $2 ORDER BY day DESC LIMIT 1";
        let row: Option<(NaiveDate, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).bind(recipient.key())
                .fetch_optional(pool).await?
        });
        Ok(row.map(|(day, covered_until)| LastDigest { day, covered_until }))
    }

    /// What was published at `employer_id` in the period that `recipient` may
    /// learn: the documents the recipient's scope sees, counted per kind (a document of a
    /// contract outside a user's sheet is not counted), and the statements issued.
    pub async fn digest_news(
        &self,
        employer_id: i64,
        recipient: &DigestRecipient,
        period: &DigestPeriod,
    ) -> Result<DigestNews> {
        const DOCUMENTS: &str = concat!(
            "SELECT d.kind, COUNT(*) FROM documents d \
             WHERE d.employer_id = $1 AND d.published_at >= $2 AND d.published_at < $3 \
               AND (d.contract_id IS NULL OR ",
            in_scope_sql!("d.contract_id", "$4", "$5"),
            ") GROUP BY d.kind"
        );
        const STATEMENTS: &str = "SELECT month FROM premium_statements \
            WHERE employer_id = $1 AND issued_at >= $2 AND issued_at < $3 ORDER BY month";
        let (all, sheet) = recipient.reach();
        let (since, until) = (period.since, period.until);
        let (counts, months): (Vec<(String, i64)>, Vec<String>) = with_pool!(self, pool => {
            let counts = sqlx::query_as(DOCUMENTS)
                .bind(employer_id).bind(since).bind(until).bind(all).bind(sheet)
                .fetch_all(pool).await?;
            let months = sqlx::query_scalar(STATEMENTS)
                .bind(employer_id).bind(since).bind(until)
                .fetch_all(pool).await?;
            (counts, months)
        });
        let documents = DocumentKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let count = counts.iter().find(|(code, _)| code == kind.as_str())?.1;
                Some((kind, count))
            })
            .collect();
        let statements = months
            .iter()
            .map(|m| {
                Month::parse(m).ok_or_else(|| StoreError::Corrupt(format!("statement month {m:?}")))
            })
            .collect::<Result<_>>()?;
        Ok(DigestNews {
            documents,
            statements,
        })
    }

    /// Claims `recipient`'s digest of `period.day` at `employer_id` and writes `mail` into
    /// the outbox in the same transaction. False when that digest was claimed before (by
    /// this node or another): nothing is written then.
    pub async fn send_digest(
        &self,
        employer_id: i64,
        recipient: &DigestRecipient,
        period: &DigestPeriod,
        mail: OutgoingMail,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        const CLAIM: &str = "INSERT INTO notification_digests (employer_id, recipient, day, \
              covered_from, covered_until, sent_at) VALUES ($1, $2, $3, $4, $5, $6) \
            ON CONFLICT (employer_id, recipient, day) DO NOTHING RETURNING id";
        let mut effects = Effects::default();
        effects.mail(mail);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let claimed: Option<i64> = sqlx::query_scalar(CLAIM)
                .bind(employer_id).bind(recipient.key()).bind(period.day)
                .bind(period.since).bind(period.until).bind(now)
                .fetch_optional(&mut *tx).await?;
            if claimed.is_none() {
                return Ok(false);
            }
            write_effects!(tx, effects, Actor::default(), now);
            tx.commit().await?;
            Ok(true)
        })
    }
}
