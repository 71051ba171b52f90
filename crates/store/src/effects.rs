//! What a change records beside itself, in the same transaction: audit entries and e-mails.
//! Store methods collect them in [`Effects`] and write them with [`write_effects!`] just
//! before they commit, so a change, its audit entry and its e-mail stand or fall together.

/// Who did something, from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub ip: Option<String>,
}

/// One audit entry. `details` never holds a secret, a token or a full national number.
#[derive(Debug, Clone)]
pub(crate) struct AuditRecord {
    pub employer_id: Option<i64>,
    pub event: &'static str,
    pub details: serde_json::Value,
}

/// A plain-text e-mail for the outbox.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Default)]
pub(crate) struct Effects {
    pub audit: Vec<AuditRecord>,
    pub mail: Vec<OutgoingMail>,
}

impl Effects {
    pub fn audit(
        &mut self,
        employer_id: Option<i64>,
        event: &'static str,
        details: serde_json::Value,
    ) {
        self.audit.push(AuditRecord {
            employer_id,
            event,
            details,
        });
    }

    pub fn mail(&mut self, mail: OutgoingMail) {
        self.mail.push(mail);
    }
}

/// Writes `$effects` inside the open transaction `$tx` (either engine).
macro_rules! write_effects {
    ($tx:expr, $effects:expr, $actor:expr, $now:expr) => {{
        for record in &$effects.audit {
            sqlx::query(
                "INSERT INTO audit_log (employer_id, user_id, at, ip, event, details, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, '', '')",
            )
            .bind(record.employer_id)
            .bind($actor.user_id)
            .bind($now)
            .bind($actor.ip.clone())
            .bind(record.event)
            .bind(record.details.to_string())
            .execute(&mut *$tx)
            .await?;
        }
        for mail in &$effects.mail {
            sqlx::query(
                "INSERT INTO email_outbox (to_address, subject, body, created_at, next_attempt_at, attempts) \
                 VALUES ($1, $2, $3, $4, $4, 0)",
            )
            .bind(mail.to.clone())
            .bind(mail.subject.clone())
            .bind(mail.body.clone())
            .bind($now)
            .execute(&mut *$tx)
            .await?;
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
        event: &'static str,
        details: serde_json::Value,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<()> {
        use crate::db::BeginWrite;
        let mut effects = Effects::default();
        effects.audit(employer_id, event, details);
        crate::db::with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }
}

impl crate::Store {
    /// The newest e-mail queued for `address` (tests and the operator read links from it).
    pub async fn find_latest_mail_to(&self, address: &str) -> crate::Result<Option<OutgoingMail>> {
        const SQL: &str = "SELECT to_address, subject, body FROM email_outbox \
            WHERE to_address = $1 ORDER BY id DESC LIMIT 1";
        let row: Option<(String, String, String)> = crate::db::with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(address.to_owned()).fetch_optional(pool).await?
        });
        Ok(row.map(|(to, subject, body)| OutgoingMail { to, subject, body }))
    }
}
