//! Changing an employer's notification address, once for the master's form and the
//! operator's: the new address gets a confirmation link (a random token, of which the store
//! keeps only the hash, valid [`NOTIFICATION_LINK_VALIDITY`]) in the requester's language;
//! the current address stays in use until someone opens that link and confirms. Then the
//! old address is told that it was replaced, so a takeover of the address does not go
//! unnoticed by the people who read it.

use chrono::{DateTime, Utc};
use ebdesk_domain::EmailAddress;
use ebdesk_domain::access::ThrottlePolicy;
use ebdesk_store::{
    Access, Actor, AttemptGrant, Employer, LinkProblem, NotificationChangeRequest,
    NotificationLink, NotificationRequester, Store,
};

use crate::Error;
use crate::credentials::{NOTIFICATION_LINK_VALIDITY, hash_token, random_token};
use crate::mails::{self, Recipient, RequestedBy};

/// Confirmation mails per employer: 5 an hour. A request mails an address that is not the
/// employer's yet; this keeps the form from being a way to flood someone's mailbox.
pub const REQUEST_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: chrono::Duration::hours(1),
};

/// Who asks for the new address.
#[derive(Debug, Clone, Copy)]
pub enum Requester<'a> {
    /// The employer's master user (their access, and their name for the mail).
    Master { access: &'a Access, name: &'a str },
    /// The operator, for this employer.
    Operator(&'a Employer),
}

impl Requester<'_> {
    fn employer(&self) -> &Employer {
        match self {
            Requester::Master { access, .. } => access.employer(),
            Requester::Operator(employer) => employer,
        }
    }
}

/// Asks for `typed` as the employer's new notification address: checked as an e-mail
/// address (`Error::Refused` with the message key otherwise, when it is the current one, or
/// after [`REQUEST_THROTTLE`]'s number of requests), stored as pending, and mailed a
/// confirmation link in `language` (the requester's).
pub async fn request_change(
    store: &Store,
    requester: Requester<'_>,
    typed: &str,
    language: &str,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let new = EmailAddress::parse(typed).map_err(|e| Error::Refused(e.code()))?;
    let employer = requester.employer();
    if new.as_str() == employer.notification_email {
        return Err(Error::Refused("notification-address-unchanged"));
    }
    let key = format!("notification:{}", employer.id);
    if let AttemptGrant::Throttled(_) = store.begin_attempt(&[(key, REQUEST_THROTTLE)], now).await?
    {
        return Err(Error::Refused("notification-too-many"));
    }
    let (by, mail_by) = match requester {
        Requester::Master { access, name } => (
            NotificationRequester::Master(access),
            RequestedBy::Master(name),
        ),
        Requester::Operator(employer) => (
            NotificationRequester::Operator {
                employer_id: employer.id,
            },
            RequestedBy::Operator,
        ),
    };
    let token = random_token();
    let to = Recipient::new(new.as_str(), "", language);
    let mail = mails::notification_confirmation(to, public_url, &token, &employer.name, mail_by)?;
    let request = NotificationChangeRequest {
        new_email: new.as_str().to_owned(),
        token_hash: hash_token(&token),
        language: language.to_owned(),
        expires_at: now + NOTIFICATION_LINK_VALIDITY,
        mail,
    };
    Ok(store
        .request_notification_change(by, &request, actor, now)
        .await?)
}

/// What the link with `token` would confirm, or why it cannot.
pub async fn find_link(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Result<NotificationLink, LinkProblem>, Error> {
    Ok(store
        .find_notification_link(&hash_token(token), now)
        .await?)
}

/// Confirms the link with `token`: the new address replaces the old one, which gets a
/// notice in the requester's language. Answers the change made, or why the link does not
/// work (expired, used, unknown); of two confirmations at once only one changes anything.
pub async fn confirm_change(
    store: &Store,
    token: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Result<NotificationLink, LinkProblem>, Error> {
    let token_hash = hash_token(token);
    let link = match store.find_notification_link(&token_hash, now).await? {
        Ok(link) => link,
        Err(problem) => return Ok(Err(problem)),
    };
    let old = Recipient::new(&link.current_email, "", &link.language);
    let notice = mails::notification_replaced(old, &link.employer_name, &link.new_email)?;
    Ok(store
        .confirm_notification_change(&token_hash, &link.current_email, notice, actor, now)
        .await?)
}
