//! Payments the operator records against charges, by hand or from a bank file, and the
//! reminders of charges left unpaid. A payment names its charge by the structured
//! communication; the bank's reference makes recording the same payment twice a no-op.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::premium::Cents;
use serde_json::json;

use super::read::paid_cents_sql;
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, OutgoingMail, write_effects};
use crate::{Result, Store, StoreError};

/// A payment to record.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// The charge, from the structured communication's number.
    pub charge_id: i64,
    pub amount: Cents,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
}

/// What became of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentResult {
    Recorded,
    /// The same reference was recorded for this charge before: nothing added.
    AlreadyRecorded,
    /// No charge has this communication.
    UnknownCharge,
}

/// A charge unpaid well after its due date, with what its reminder needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChargeToRemind {
    pub charge_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub notification_email: String,
    pub month: String,
    pub contract_number: String,
    pub amount_cents: i64,
    pub paid_cents: i64,
    pub due_date: NaiveDate,
}

impl Store {
    /// Records `payments` in one transaction, each with an audit entry in its employer's
    /// chain; answers what became of each, in order. `actor` must be a user (the operator).
    pub async fn record_payments(
        &self,
        payments: &[NewPayment],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<PaymentResult>> {
        const CHARGE: &str = "SELECT employer_id FROM premium_charges WHERE id = $1";
        const INSERT: &str = "INSERT INTO premium_payments (employer_id, charge_id, \
              amount_cents, paid_on, bank_reference, recorded_by, recorded_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7) \
            ON CONFLICT (charge_id, bank_reference) DO NOTHING RETURNING id";
        let recorded_by = actor.user_id.ok_or(StoreError::Forbidden)?;
        let mut effects = Effects::default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut results = Vec::with_capacity(payments.len());
            for payment in payments {
                let employer: Option<i64> = sqlx::query_scalar(CHARGE)
                    .bind(payment.charge_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(employer_id) = employer else {
                    results.push(PaymentResult::UnknownCharge);
                    continue;
                };
                let inserted: Option<i64> = sqlx::query_scalar(INSERT)
                    .bind(employer_id)
                    .bind(payment.charge_id)
                    .bind(payment.amount.0)
                    .bind(payment.paid_on)
                    .bind(payment.bank_reference.clone())
                    .bind(recorded_by)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                if inserted.is_some() {
                    effects.audit(
                        Some(employer_id),
                        AuditEvent::PremiumPaymentRecorded,
                        json!({ "charge_id": payment.charge_id,
                                "amount_cents": payment.amount.0,
                                "paid_on": payment.paid_on }),
                    );
                    results.push(PaymentResult::Recorded);
                } else {
                    results.push(PaymentResult::AlreadyRecorded);
                }
            }
            write_effects!(tx, effects, actor.clone(), now);
            tx.commit().await?;
            Ok(results)
        })
    }

    /// The charges of an employer's statement (id and amount), by contract number: what
    /// the operator's tools and the demo pay (not scoped).
    pub async fn statement_charges(
        &self,
        employer_id: i64,
        statement_id: i64,
    ) -> Result<Vec<(i64, i64)>> {
        const SQL: &str = "SELECT ch.id, ch.amount_cents FROM premium_charges ch \
            JOIN contracts c ON c.employer_id = ch.employer_id AND c.id = ch.contract_id \
            WHERE ch.employer_id = $1 AND ch.statement_id = $2 ORDER BY c.number";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).bind(statement_id).fetch_all(pool).await?
        }))
    }

    /// Charges due before `before`, not fully paid and not reminded yet, oldest first.
    pub async fn list_charges_to_remind(&self, before: NaiveDate) -> Result<Vec<ChargeToRemind>> {
        const SQL: &str = concat!(
            "SELECT ch.id AS charge_id, ch.employer_id, e.name AS employer_name, \
              e.notification_email, s.month, c.number AS contract_number, ch.amount_cents, ",
            paid_cents_sql!(),
            ", ch.due_date \
            FROM premium_charges ch \
            JOIN premium_statements s ON s.employer_id = ch.employer_id AND s.id = ch.statement_id \
            JOIN contracts c ON c.employer_id = ch.employer_id AND c.id = ch.contract_id \
            JOIN employers e ON e.id = ch.employer_id \
            WHERE ch.reminded_at IS NULL AND ch.due_date < $1 AND ch.amount_cents > 0 \
            ORDER BY ch.due_date, ch.id"
        );
        let rows: Vec<ChargeToRemind> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(before).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter(|r| r.paid_cents < r.amount_cents)
            .collect())
    }

    /// Marks the charge reminded and queues `mail`, unless another node did it first;
    /// answers whether this call did.
    pub async fn remind_charge(
        &self,
        charge_id: i64,
        mail: OutgoingMail,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        const MARK: &str = "UPDATE premium_charges SET reminded_at = $2 \
            WHERE id = $1 AND reminded_at IS NULL RETURNING employer_id";
        let mut effects = Effects::default();
        effects.mail(mail);
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let employer: Option<i64> = sqlx::query_scalar(MARK)
                .bind(charge_id)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(employer_id) = employer else { return Ok(false) };
            effects.audit(
                Some(employer_id),
                AuditEvent::PremiumReminderSent,
                json!({ "charge_id": charge_id }),
            );
            write_effects!(tx, effects, Actor::default(), now);
            tx.commit().await?;
            Ok(true)
        })
    }
}
