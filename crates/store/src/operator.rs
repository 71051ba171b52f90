//! The operator's work: employers and their master user, and any account's second factor.
//! Not tenant-scoped: only the operator console calls these, behind the `Operator` guard.

use chrono::{DateTime, Utc};
use ebdesk_domain::{KboNumber, Rights};
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::sheets::{Invitation, invited_account};
use crate::{NewContactPoint, NewEmployer, Result, Store, StoreError};

/// One employer in the operator's list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EmployerSummary {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub kbo_number: String,
    pub master_email: Option<String>,
    pub master_invited: Option<bool>,
}

/// The data of an employer the operator may change. Its number never changes; its
/// notification address changes only through a confirmed link (see
/// [`Store::request_notification_change`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmployerDetails {
    pub name: String,
    pub kbo_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

impl EmployerDetails {
    /// (field, value) in a fixed order, for the audit entry's before and after.
    fn fields(&self) -> [(&'static str, &str); 5] {
        [
            ("name", &self.name),
            ("kbo_number", &self.kbo_number),
            ("street", &self.street),
            ("postal_code", &self.postal_code),
            ("city", &self.city),
        ]
    }
}

/// True when both are the same KBO number, however written (the demo data and older rows
/// keep it with dots, the operator's form stores the ten digits).
fn same_kbo(a: &str, b: &str) -> bool {
    match (KboNumber::parse(a), KboNumber::parse(b)) {
        (Ok(a), Ok(b)) => a.as_str() == b.as_str(),
        _ => a == b,
    }
}

/// The fields that differ, as `{"before": {..}, "after": {..}}`; None when none does.
fn details_change(before: &EmployerDetails, after: &EmployerDetails) -> Option<serde_json::Value> {
    let (mut was, mut is) = (serde_json::Map::new(), serde_json::Map::new());
    for ((field, old), (_, new)) in before.fields().into_iter().zip(after.fields()) {
        if old != new {
            was.insert(field.to_owned(), json!(old));
            is.insert(field.to_owned(), json!(new));
        }
    }
    (!was.is_empty()).then(|| json!({ "before": was, "after": is }))
}

/// A first contract with its categories, created with the employer.
#[derive(Debug, Clone)]
pub struct NewContract {
    pub number: String,
    pub name: String,
    pub categories: Vec<String>,
}

/// Every column of an employer, for the rows matching `$where`.
macro_rules! employer_sql {
    ($where:literal) => {
        concat!(
            "SELECT id, number, name, kbo_number, street, postal_code, city, \
               notification_email FROM employers WHERE ",
            $where
        )
    };
}

impl Store {
    /// Every employer, by number, with its master user.
    pub async fn list_employers(&self) -> Result<Vec<EmployerSummary>> {
        const SQL: &str = "SELECT e.id, e.number, e.name, e.kbo_number, u.email AS master_email, \
                (u.password_hash IS NULL) AS master_invited \
            FROM employers e \
            LEFT JOIN user_sheets s ON s.employer_id = e.id AND s.rights = 'master' \
            LEFT JOIN users u ON u.id = s.user_id ORDER BY e.number";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).fetch_all(pool).await?
        }))
    }

    /// Creates an employer with its first contract and categories, in one transaction.
    pub async fn create_employer(
        &self,
        employer: &NewEmployer,
        contact_points: &[NewContactPoint],
        contract: &NewContract,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const CONTACT: &str = "INSERT INTO contact_points (employer_id, kind, name, email, phone) \
            VALUES ($1, $2, $3, $4, $5)";
        const EMPLOYER: &str = "INSERT INTO employers (number, name, kbo_number, street, \
            postal_code, city, notification_email, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let e = employer.clone();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(EMPLOYER)
                .bind(e.number.clone()).bind(e.name.clone()).bind(e.kbo_number.clone())
                .bind(e.street).bind(e.postal_code).bind(e.city).bind(e.notification_email)
                .bind(now)
                .fetch_one(&mut *tx).await
                .map_err(|err| match StoreError::from_write(err) {
                    StoreError::Duplicate => StoreError::Refused("employer-number-taken"),
                    other => other,
                })?;
            for point in contact_points {
                sqlx::query(CONTACT)
                    .bind(id).bind(point.kind.clone()).bind(point.name.clone())
                    .bind(point.email.clone()).bind(point.phone.clone())
                    .execute(&mut *tx).await?;
            }
            insert_contract!(tx, id, contract);
            let mut effects = Effects::default();
            effects.audit(Some(id), AuditEvent::EmployerCreated, json!({
                "number": e.number, "name": e.name, "kbo_number": e.kbo_number,
                "contract": contract.number, "categories": contract.categories,
            }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The employer with this number, all its data (the operator's view; not tenant-scoped).
    pub async fn find_employer(&self, number: &str) -> Result<Option<crate::Employer>> {
        const SQL: &str = employer_sql!("number = $1");
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(number.to_owned()).fetch_optional(pool).await?
        }))
    }

    /// An employer by id, for the scheduler (not tenant-scoped: it acts for every employer).
    pub async fn find_employer_by_id(&self, employer_id: i64) -> Result<Option<crate::Employer>> {
        const SQL: &str = employer_sql!("id = $1");
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).fetch_optional(pool).await?
        }))
    }

    /// Changes an employer's data, with an audit entry of the fields that changed (before and
    /// after), in one transaction. Answers how many fields changed (0: nothing written);
    /// [`StoreError::NotFound`] for an employer that does not exist.
    pub async fn update_employer_details(
        &self,
        employer_id: i64,
        details: &EmployerDetails,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        // A write first, so that PostgreSQL locks the row before it is read: the "before"
        // of the audit entry is what this change replaces (SQLite's BEGIN IMMEDIATE
        // serializes writers anyway).
        const LOCK: &str = "UPDATE employers SET name = name WHERE id = $1";
        const READ: &str = "SELECT name, kbo_number, street, postal_code, city \
            FROM employers WHERE id = $1";
        const WRITE: &str = "UPDATE employers SET name = $2, kbo_number = $3, street = $4, \
            postal_code = $5, city = $6 WHERE id = $1";
        let mut d = details.clone();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let locked = sqlx::query(LOCK).bind(employer_id).execute(&mut *tx).await?;
            if locked.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let (name, kbo_number, street, postal_code, city): (String, String, String, String, String) =
                sqlx::query_as(READ).bind(employer_id).fetch_one(&mut *tx).await?;
            let before = EmployerDetails { name, kbo_number, street, postal_code, city };
            if same_kbo(&before.kbo_number, &d.kbo_number) {
                d.kbo_number = before.kbo_number.clone();
            }
            let Some(change) = details_change(&before, &d) else {
                return Ok(0);
            };
            let changed = change["after"].as_object().map_or(0, serde_json::Map::len);
            sqlx::query(WRITE)
                .bind(employer_id).bind(d.name).bind(d.kbo_number).bind(d.street)
                .bind(d.postal_code).bind(d.city)
                .execute(&mut *tx).await?;
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::EmployerChanged, change);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// The contracts of an employer, by number (the operator's view; not tenant-scoped).
    pub async fn list_employer_contracts(&self, employer_id: i64) -> Result<Vec<crate::Contract>> {
        const SQL: &str =
            "SELECT id, number, name FROM contracts WHERE employer_id = $1 ORDER BY number";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).fetch_all(pool).await?
        }))
    }

    /// Adds a contract with its categories to an employer.
    pub async fn add_contract(
        &self,
        employer_id: i64,
        contract: &NewContract,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut effects = Effects::default();
        effects.audit(Some(employer_id), AuditEvent::ContractAdded, json!({
            "contract": contract.number, "name": contract.name, "categories": contract.categories,
        }));
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            insert_contract!(tx, employer_id, contract);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Makes the person with this e-mail the employer's master user: the current master (if
    /// any) keeps input rights, the new one gets a master sheet on all contracts (an account
    /// and an activation link when they have none). Returns whether a link was sent.
    pub async fn designate_master(
        &self,
        employer_id: i64,
        email: &str,
        display_name: &str,
        invitation: Invitation,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        const OLD_MASTER: &str = "UPDATE user_sheets SET rights = 'input', updated_at = $2 \
            WHERE employer_id = $1 AND rights = 'master' RETURNING user_id";
        const EXISTING_SHEET: &str = "UPDATE user_sheets SET rights = 'master', all_contracts = $3, \
            valid_until = NULL, updated_at = $4 WHERE employer_id = $1 AND user_id = $2";
        const NEW_SHEET: &str = "INSERT INTO user_sheets (employer_id, user_id, rights, all_contracts, \
            valid_until, created_at, external, updated_at) VALUES ($1, $2, $3, $4, NULL, $5, $6, $5)";
        const CLEAR_CONTRACTS: &str = "DELETE FROM user_sheet_contracts WHERE employer_id = $1 AND sheet_id IN \
             (SELECT id FROM user_sheets WHERE employer_id = $1 AND user_id = $2)";
        let mut effects = Effects::default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (user_id, needs_activation) =
                invited_account!(tx, effects, email, display_name, invitation, now);
            let previous: Option<(i64,)> = sqlx::query_as(OLD_MASTER)
                .bind(employer_id).bind(now).fetch_optional(&mut *tx).await?;
            sqlx::query(CLEAR_CONTRACTS).bind(employer_id).bind(user_id).execute(&mut *tx).await?;
            let updated = sqlx::query(EXISTING_SHEET)
                .bind(employer_id).bind(user_id).bind(true).bind(now)
                .execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                sqlx::query(NEW_SHEET)
                    .bind(employer_id).bind(user_id).bind(Rights::Master.as_str()).bind(true)
                    .bind(now).bind(false)
                    .execute(&mut *tx).await.map_err(StoreError::from_write)?;
            }
            effects.audit(Some(employer_id), AuditEvent::MasterTransferred, json!({
                "before": previous.map(|(id,)| id), "after": user_id, "email": email,
            }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(needs_activation)
        })
    }
}

/// Inserts a contract and its categories inside an open transaction.
macro_rules! insert_contract {
    ($tx:expr, $employer_id:expr, $contract:expr) => {{
        let contract: &NewContract = $contract;
        let contract_id: i64 = sqlx::query_scalar(
            "INSERT INTO contracts (employer_id, number, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind($employer_id)
        .bind(contract.number.clone())
        .bind(contract.name.clone())
        .fetch_one(&mut *$tx)
        .await
        .map_err(|err| match StoreError::from_write(err) {
            StoreError::Duplicate => StoreError::Refused("contract-number-taken"),
            other => other,
        })?;
        for category in &contract.categories {
            sqlx::query(
                "INSERT INTO categories (employer_id, contract_id, name) VALUES ($1, $2, $3)",
            )
            .bind($employer_id)
            .bind(contract_id)
            .bind(category.clone())
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from_write)?;
        }
    }};
}
use insert_contract;
