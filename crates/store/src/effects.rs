//! What a change records beside itself, in the same transaction: audit entries (in the hash
//! chain of [`crate::audit`]) and e-mails (in the outbox of [`crate::outbox`]). Store methods
//! collect them in [`Effects`] and write them with [`write_effects!`] just before they
//! commit, so a change, its audit entry and its e-mail stand or fall together.

use chrono::{DateTime, Utc};
use ebdesk_domain::EmailAddress;

use crate::audit::{AuditEntry, AuditEvent};
use crate::outbox::OutgoingEmail;
use crate::{Result, StoreError};

/// Who did something, from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub ip: Option<String>,
}

/// A plain-text e-mail for the outbox, as the web layer writes it.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Default)]
pub(crate) struct Effects {
    pub audit: Vec<(Option<i64>, AuditEvent, serde_json::Value)>,
    /// Events of an account (user id): written into the chain of every employer where the
    /// account holds a sheet when the transaction writes them (the operator's chain when it
    /// holds none), so no employer of the account misses what happened to it.
    pub account_audit: Vec<(i64, AuditEvent, serde_json::Value)>,
    pub mail: Vec<OutgoingMail>,
}

impl Effects {
    /// An audit entry. `details` never holds a secret, a token or a full national number.
    pub fn audit(
        &mut self,
        employer_id: Option<i64>,
        event: AuditEvent,
        details: serde_json::Value,
    ) {
        self.audit.push((employer_id, event, details));
    }

    /// An audit entry about account `user_id`, for every employer the account belongs to.
    pub fn audit_account(&mut self, user_id: i64, event: AuditEvent, details: serde_json::Value) {
        self.account_audit.push((user_id, event, details));
    }

    pub fn mail(&mut self, mail: OutgoingMail) {
        self.mail.push(mail);
    }

    /// The audit entries as the chain stores them (those of accounts excepted: they need
    /// the transaction to know the account's employers).
    pub fn entries(&self, actor: &Actor, now: DateTime<Utc>) -> Vec<AuditEntry> {
        self.audit
            .iter()
            .map(|(employer_id, event, details)| entry(*employer_id, *event, details, actor, now))
            .collect()
    }

    /// The e-mails as the outbox stores them (an address that is no address is a bug).
    pub fn emails(&self) -> Result<Vec<OutgoingEmail>> {
        self.mail
            .iter()
            .map(|mail| {
                Ok(OutgoingEmail {
                    to: EmailAddress::parse(&mail.to)
                        .map_err(|_| StoreError::Corrupt("e-mail recipient".to_owned()))?,
                    subject: mail.subject.clone(),
                    body_text: mail.body.clone(),
                })
            })
            .collect()
    }
}

/// One audit entry as the chain stores it.
pub(crate) fn entry(
    employer_id: Option<i64>,
    event: AuditEvent,
    details: &serde_json::Value,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AuditEntry {
    let mut entry = AuditEntry::new(event, now)
        .ip(actor.ip.clone())
        .details(details.clone());
    if let Some(id) = employer_id {
        entry = entry.employer(id);
    }
    if let Some(id) = actor.user_id {
        entry = entry.user(id);
    }
    entry
}

/// Writes `$effects` inside the open write transaction `$tx` (either engine).
macro_rules! write_effects {
    ($tx:expr, $effects:expr, $actor:expr, $now:expr) => {{
        use $crate::audit::AuditTx as _;
        use $crate::outbox::OutboxTx as _;
        let mut entries = $effects.entries(&$actor, $now);
        for (user_id, event, details) in &$effects.account_audit {
            let employers: Vec<(i64,)> = sqlx::query_as(
                "SELECT DISTINCT employer_id FROM user_sheets WHERE user_id = $1 ORDER BY employer_id",
            )
            .bind(*user_id)
            .fetch_all(&mut *$tx)
            .await?;
            let employers: Vec<Option<i64>> = if employers.is_empty() {
                vec![None]
            } else {
                employers.into_iter().map(|(id,)| Some(id)).collect()
            };
            for employer_id in employers {
                entries.push($crate::effects::entry(employer_id, *event, details, &$actor, $now));
            }
        }
        for entry in entries {
            $tx.append_audit(&entry).await?;
        }
        for email in $effects.emails()? {
            $tx.enqueue_email(&email, $now).await?;
        }
    }};
}
pub(crate) use write_effects;

impl crate::Store {
    /// Records an event that changes nothing else (a login, a failed code) in the audit log.
    pub async fn record_event(
        &self,
        actor: &Actor,
        employer_id: Option<i64>,
        event: AuditEvent,
        details: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut effects = Effects::default();
        effects.audit(employer_id, event, details);
        for entry in effects.entries(actor, now) {
            self.record_audit(&entry).await?;
        }
        Ok(())
    }
}
