//! "Mail naar uw contactpunt": writing to one of the employer's contact points, replying in a
//! thread, and the operator's answer. The e-mails only say that there is something to read:
//! the messages (which may name employees) stay in ebdesk.

use chrono::{DateTime, Utc};
use ebdesk_domain::contact::ContactKind;
use ebdesk_store::{Actor, ContactReply, NewContactThread, OutgoingMail, Scope, Store};

use crate::Error;
use crate::mails::{Recipient, contact_answer, contact_message};

/// The e-mail to the employer's contact point of `kind`; refused when the employer has none.
async fn to_contact_point(
    store: &Store,
    scope: &Scope,
    employer_name: &str,
    kind: ContactKind,
    public_url: &str,
) -> Result<OutgoingMail, Error> {
    let points = store.list_contact_points(scope).await?;
    let point = points
        .iter()
        .find(|p| p.kind == kind.as_str())
        .ok_or(Error::Refused("contact-point-unknown"))?;
    // The insurer's staff read Dutch (the console's language).
    let to = Recipient::new(&point.email, &point.name, "nl");
    contact_message(to, public_url, employer_name, kind.as_str())
}

/// Starts a thread with the contact point of `new.kind`; answers its id.
pub async fn write_to_contact_point(
    store: &Store,
    scope: &Scope,
    employer_name: &str,
    new: &NewContactThread,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, Error> {
    let mail = to_contact_point(store, scope, employer_name, new.kind, public_url).await?;
    Ok(store
        .start_contact_thread(scope, new, Some(mail), actor, now)
        .await?)
}

/// The HR user's reply in a thread: the contact point gets the same notice.
pub async fn reply_to_contact_point(
    store: &Store,
    scope: &Scope,
    employer_name: &str,
    reply: ContactReply<'_>,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let thread = store
        .find_contact_thread(scope, reply.thread_id)
        .await?
        .ok_or(Error::Store(ebdesk_store::StoreError::NotFound))?;
    let kind = ContactKind::from_db(&thread.thread.contact_kind)
        .ok_or(Error::UnknownChoice(thread.thread.contact_kind.clone()))?;
    let mail = to_contact_point(store, scope, employer_name, kind, public_url).await?;
    let sent = store.reply_contact_thread(scope, reply, Some(mail), actor, now);
    Ok(sent.await?)
}

/// The operator's answer: the thread's author is told, in their language, to read it.
pub async fn answer_thread(
    store: &Store,
    thread_id: i64,
    body: &str,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let thread = store
        .find_contact_thread_for_operator(thread_id)
        .await?
        .ok_or(Error::Store(ebdesk_store::StoreError::NotFound))?;
    let operator = actor
        .user_id
        .ok_or(Error::Refused("contact-operator-unknown"))?;
    let to = Recipient::new(
        &thread.author_email,
        &thread.thread.author_name,
        &thread.author_language,
    );
    let mail = contact_answer(to, public_url, &thread.thread.employer_number, thread_id)?;
    let answer = store.answer_contact_thread(thread_id, operator, body, Some(mail), actor, now);
    Ok(answer.await?)
}
