//! The daily digest of new documents and statements, the scheduler's third step: from
//! 17:00 Brussels time, one e-mail per employer, recipient and day at most, telling what
//! was published since that recipient's previous digest. It goes to the employer's
//! notification address (documents of the whole employer; the statements have their own
//! notice there) and to every user who asked for it on "Mijn account" (the documents their
//! sheet covers, and the statements), each in their language, through the outbox. The body
//! counts documents per kind and names the statements' months: no title, no employee.

use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Europe::Brussels;
use ebdesk_store::{DigestPeriod, DigestRecipient, Employer, Store};

use crate::Error;
use crate::mails::{DigestMail, Recipient, digest};
use crate::statements::brussels_today;

/// The Brussels hour from which the day's digest goes out: what the insurer published
/// during the working day arrives together, at the end of it.
pub const DIGEST_HOUR: u32 = 17;

/// What a recipient's first digest looks back over.
pub const FIRST_PERIOD: Duration = Duration::hours(24);

/// The furthest a digest looks back (a user who turns it on again after months gets the
/// last week, not everything since their previous digest).
pub const LONGEST_PERIOD: Duration = Duration::days(7);

/// A digest covers what was published until this long before it is sent, so that a
/// publication whose transaction is still open when the digest reads is in the next one
/// rather than in none.
pub const SETTLE: Duration = Duration::minutes(5);

/// Whether the digest of the Brussels day of `now` may go out.
pub fn digest_time(now: DateTime<Utc>) -> bool {
    now.with_timezone(&Brussels).hour() >= DIGEST_HOUR
}

/// The scheduler's step: from [`DIGEST_HOUR`] on, the day's digests of every employer with
/// something new. Safe on several nodes at once: each (employer, recipient, day) digest is
/// sent once. Answers how many this call sent.
pub async fn send_due(store: &Store, public_url: &str, now: DateTime<Utc>) -> Result<usize, Error> {
    if !digest_time(now) {
        return Ok(0);
    }
    let mut sent = 0;
    for employer_id in store.employers_with_news(now - LONGEST_PERIOD).await? {
        let Some(employer) = store.find_employer_by_id(employer_id).await? else {
            continue;
        };
        sent += send_for_employer(store, public_url, &employer, now).await?;
    }
    Ok(sent)
}

/// The day's digests of one employer: its notification address (in the master's
/// language), then every user who asked for them.
pub async fn send_for_employer(
    store: &Store,
    public_url: &str,
    employer: &Employer,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let master_language = store
        .master_language(employer.id)
        .await?
        .unwrap_or_else(|| ebdesk_i18n::default_language().to_string());
    let address = Recipient::new(
        &employer.notification_email,
        &employer.name,
        &master_language,
    );
    let mut sent = usize::from(
        send_one(
            store,
            public_url,
            employer,
            (&DigestRecipient::Address, address),
            now,
        )
        .await?,
    );
    let today = brussels_today(now);
    for subscriber in store.digest_subscribers(employer.id, today).await? {
        let to = Recipient::new(
            &subscriber.email,
            &subscriber.display_name,
            &subscriber.language,
        );
        let recipient = DigestRecipient::User(subscriber.clone());
        sent += usize::from(send_one(store, public_url, employer, (&recipient, to), now).await?);
    }
    Ok(sent)
}

/// One recipient's digest of today, unless they had it already or nothing is new for
/// them. True when this call sent it.
async fn send_one(
    store: &Store,
    public_url: &str,
    employer: &Employer,
    (recipient, to): (&DigestRecipient, Recipient<'_>),
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let day = brussels_today(now);
    let until = now - SETTLE;
    let last = store.last_digest(employer.id, recipient).await?;
    if last.is_some_and(|last| last.day >= day) {
        return Ok(false);
    }
    let since = last
        .map_or(until - FIRST_PERIOD, |last| last.covered_until)
        .max(until - LONGEST_PERIOD);
    let period = DigestPeriod { day, since, until };
    let mut news = store.digest_news(employer.id, recipient, &period).await?;
    let to_address = matches!(recipient, DigestRecipient::Address);
    if to_address {
        // The notification address had each statement's own notice when it was issued.
        news.statements.clear();
    }
    if news.is_empty() {
        return Ok(false);
    }
    let documents: Vec<(&str, i64)> = news
        .documents
        .iter()
        .map(|(kind, count)| (kind.as_str(), *count))
        .collect();
    let statements: Vec<String> = news.statements.iter().map(|m| m.label()).collect();
    let mail = digest(
        to,
        public_url,
        DigestMail {
            employer: &employer.name,
            employer_number: &employer.number,
            documents: &documents,
            statements: &statements,
            to_address,
        },
    )?;
    Ok(store
        .send_digest(employer.id, recipient, &period, mail, now)
        .await?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_digest_goes_out_from_five_in_the_afternoon_in_brussels() {
        // Winter: Brussels is UTC+1.
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(!digest_time(at("2026-12-07T15:59:00Z")));
        assert!(digest_time(at("2026-12-07T16:00:00Z")));
        assert!(digest_time(at("2026-12-07T22:50:00Z")));
        assert!(!digest_time(at("2026-12-07T23:00:00Z")), "the next day");
        // Summer: UTC+2.
        assert!(digest_time(at("2026-07-07T15:00:00Z")));
    }
}
