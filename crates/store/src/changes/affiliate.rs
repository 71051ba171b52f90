//! "Nieuwe aansluiting": an employee affiliated to a contract and category of the scope. A
//! person already known at the employer (same national number) gets a new affiliation, never
//! a second employee row.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::changes::{Person, check_affiliation_dates, overlaps};
use ebdesk_domain::salary_list::SalaryValues;
use ebdesk_domain::{ActionKind, NationalNumber};
use serde_json::json;

use super::{ChangeAction, change_rights_in_tx, insert_change_action};
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::provisioning::{
    NameWords, insert_employees_sql, push_employee_values, search_keys, word_rows,
};
use crate::scope::in_scope_sql;
use crate::{EmployeeDetail, Result, Scope, Store, StoreError};

/// What the employer knows of a national number, as the scope may see it.
#[derive(Debug, Clone)]
pub enum PersonLookup {
    /// Nobody at the employer has it: the form asks for the personal data.
    Unknown,
    /// An employee the scope sees: their data is shown, not typed again.
    InScope(Box<EmployeeDetail>),
    /// An employee of the employer with affiliations only outside the scope: affiliated as
    /// they are, without showing their data.
    OutsideScope { employee_id: i64 },
}

/// Who is affiliated.
#[derive(Debug, Clone)]
pub enum AffiliatePerson {
    /// Someone new at the employer, with their checked personal data.
    New(Person),
    /// An employee the employer already has (found by national number).
    Existing { employee_id: i64 },
}

#[derive(Debug, Clone)]
pub struct NewAffiliationRequest {
    pub person: AffiliatePerson,
    pub contract_id: i64,
    pub category_id: i64,
    pub employment_start: NaiveDate,
    pub affiliation_start: NaiveDate,
    /// The pensionable annual salary and work fraction from the affiliation's start.
    pub salary: SalaryValues,
    /// The "omschrijving" of the action (contract and category, as the caller words it).
    pub description: String,
}

/// The contract and category chosen for a new affiliation, as the scope holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractChoice {
    pub contract_id: i64,
    pub category_id: i64,
    pub contract_number: String,
    pub category_name: String,
}

/// The one check of a new affiliation's contract and category, read through `$executor` (the
/// pool for the form, the affiliation's transaction when it is written): the contract must
/// be in the scope (`contract-not-in-scope`), the category one of that contract's
/// (`category-not-of-contract`). Either id may be `None` (nothing chosen): refused the same.
macro_rules! contract_choice {
    ($executor:expr, $scope:expr, $contract_id:expr, $category_id:expr) => {{
        const SQL: &str = concat!(
            "SELECT c.id, c.number, g.id, g.name FROM contracts c \
             LEFT JOIN categories g ON g.employer_id = c.employer_id AND g.contract_id = c.id \
               AND g.id = $5 \
             WHERE c.employer_id = $1 AND c.id = $4 AND ",
            in_scope_sql!("c.id", "$2", "$3")
        );
        let contract_id: Option<i64> = $contract_id;
        let category_id: Option<i64> = $category_id;
        let row: Option<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as(SQL)
            .bind($scope.employer_id())
            .bind($scope.all_contracts())
            .bind($scope.sheet_id())
            .bind(contract_id)
            .bind(category_id)
            .fetch_optional($executor)
            .await?;
        match row {
            None => Err(StoreError::Refused("contract-not-in-scope")),
            Some((contract_id, contract_number, Some(category_id), Some(category_name))) => {
                Ok(ContractChoice {
                    contract_id,
                    category_id,
                    contract_number,
                    category_name,
                })
            }
            Some(_) => Err(StoreError::Refused("category-not-of-contract")),
        }
    }};
}

/// A new person's employee row, once their national and employee numbers are free at the
/// employer; its id.
macro_rules! insert_new_person_in_tx {
    ($tx:ident, $db:ty, $employer_id:expr, $person:expr, $now:expr) => {{
        const KNOWN: &str =
            "SELECT COUNT(*) FROM employees WHERE employer_id = $1 AND national_number = $2";
        const NUMBER_TAKEN: &str =
            "SELECT COUNT(*) FROM employees WHERE employer_id = $1 AND employee_number = $2";
        let p = $person;
        let known: i64 = sqlx::query_scalar(KNOWN)
            .bind($employer_id)
            .bind(p.national_number.as_str().to_owned())
            .fetch_one(&mut *$tx)
            .await?;
        if known > 0 {
            return Err(StoreError::Refused("national-number-known"));
        }
        let taken: i64 = sqlx::query_scalar(NUMBER_TAKEN)
            .bind($employer_id)
            .bind(p.employee_number.clone())
            .fetch_one(&mut *$tx)
            .await?;
        if taken > 0 {
            return Err(StoreError::Refused("employee-number-taken"));
        }
        let mut insert = sqlx::QueryBuilder::<$db>::new(insert_employees_sql!());
        insert.push_values([p], |mut row, p| {
            push_employee_values!(row, $employer_id, p, false, $now);
        });
        insert.push(" RETURNING id");
        let id: i64 = insert
            .build_query_scalar()
            .fetch_one(&mut *$tx)
            .await
            .map_err(StoreError::from_write)?;
        let keys = search_keys(&p.last_name, &p.first_name, p.employee_number.as_deref());
        $tx.insert_name_words($employer_id, &word_rows([(id, keys.words.as_slice())]))
            .await?;
        id
    }};
}

/// The birth date and national number of an employee of the employer (404 otherwise).
macro_rules! existing_person_in_tx {
    ($tx:ident, $employer_id:expr, $employee_id:expr) => {{
        const EXISTING: &str = "SELECT birth_date, national_number FROM employees \
            WHERE employer_id = $1 AND id = $2";
        let row: Option<(NaiveDate, String)> = sqlx::query_as(EXISTING)
            .bind($employer_id)
            .bind($employee_id)
            .fetch_optional(&mut *$tx)
            .await?;
        let (birth_date, number) = row.ok_or(StoreError::NotFound)?;
        let number = NationalNumber::parse(&number)
            .map_err(|_| StoreError::Corrupt("national number".to_owned()))?;
        (birth_date, number)
    }};
}

/// The new active affiliation, unless the person has one in that contract that has not
/// ended before the new start (`affiliation-overlap`); its id.
macro_rules! insert_affiliation_in_tx {
    ($tx:ident, $employer_id:expr, $employee_id:expr, $request:expr, $now:expr) => {{
        const ENDS: &str = "SELECT end_date FROM affiliations \
            WHERE employer_id = $1 AND employee_id = $2 AND contract_id = $3";
        const INSERT: &str = "INSERT INTO affiliations (employer_id, employee_id, \
               contract_id, category_id, employment_start, affiliation_start, end_date, \
               exit_reason, status, terms_changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, 'active', $7) RETURNING id";
        let r = $request;
        let ends: Vec<Option<NaiveDate>> = sqlx::query_scalar(ENDS)
            .bind($employer_id)
            .bind($employee_id)
            .bind(r.contract_id)
            .fetch_all(&mut *$tx)
            .await?;
        if ends
            .into_iter()
            .any(|end| overlaps(end, r.affiliation_start))
        {
            return Err(StoreError::Refused("affiliation-overlap"));
        }
        let id: i64 = sqlx::query_scalar(INSERT)
            .bind($employer_id)
            .bind($employee_id)
            .bind(r.contract_id)
            .bind(r.category_id)
            .bind(r.employment_start)
            .bind(r.affiliation_start)
            .bind($now)
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AffiliationDone {
    pub employee_id: i64,
    pub affiliation_id: i64,
    pub action_id: i64,
}

impl Store {
    /// Whether the scope's employer knows this national number, and what the scope may see.
    pub async fn find_person_by_national_number(
        &self,
        scope: &Scope,
        national_number: &NationalNumber,
    ) -> Result<PersonLookup> {
        const SQL: &str =
            "SELECT id FROM employees WHERE employer_id = $1 AND national_number = $2";
        let id: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar(SQL)
                .bind(scope.employer_id())
                .bind(national_number.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        let Some(employee_id) = id else {
            return Ok(PersonLookup::Unknown);
        };
        Ok(match self.find_employee(scope, employee_id).await? {
            Some(detail) => PersonLookup::InScope(Box::new(detail)),
            None => PersonLookup::OutsideScope { employee_id },
        })
    }

    /// Checks the contract and category a form chose (see [`NewAffiliationRequest`]);
    /// [`Store::affiliate`] checks them again, the same way, in its transaction.
    pub async fn find_contract_choice(
        &self,
        scope: &Scope,
        contract_id: Option<i64>,
        category_id: Option<i64>,
    ) -> Result<ContractChoice> {
        with_pool!(self, pool => {
            contract_choice!(pool, scope, contract_id, category_id)
        })
    }

    /// Affiliates a person: the employee (when new), the affiliation (active) with its
    /// salary from its start, the processed action and the audit entry, in one transaction. Refused with a message key
    /// ([`StoreError::Refused`]) when the contract is outside the scope
    /// (`contract-not-in-scope`), the category is not the contract's
    /// (`category-not-of-contract`), a new person's national or employee number is known
    /// already (`national-number-known`, `employee-number-taken`), the dates break a rule
    /// of [`check_affiliation_dates`], or the person has an affiliation in that contract that
    /// has not ended before the new start (`affiliation-overlap`).
    pub async fn affiliate(
        &self,
        scope: &Scope,
        request: &NewAffiliationRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<AffiliationDone> {
        const SALARY: &str = "INSERT INTO affiliation_salaries (employer_id, affiliation_id, \
            valid_from, annual_cents, fraction_ten_thousandths, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        let employer_id = scope.employer_id();
        let r = request;
        with_pool!(self, pool, Db => {
            let mut tx = pool.begin_write().await?;
            let user_id = change_rights_in_tx!(tx, scope)?;
            let choice =
                contract_choice!(&mut *tx, scope, Some(r.contract_id), Some(r.category_id))?;
            let (employee_id, birth_date, national_number, new_person) = match &r.person {
                AffiliatePerson::New(p) => {
                    let id = insert_new_person_in_tx!(tx, Db, employer_id, p, now);
                    (id, p.birth_date, p.national_number.clone(), true)
                }
                AffiliatePerson::Existing { employee_id } => {
                    let (birth, number) = existing_person_in_tx!(tx, employer_id, *employee_id);
                    (*employee_id, birth, number, false)
                }
            };
            let warning =
                check_affiliation_dates(birth_date, r.employment_start, r.affiliation_start)
                    .map_err(|(_, code)| StoreError::Refused(code))?;
            let affiliation_id = insert_affiliation_in_tx!(tx, employer_id, employee_id, r, now);
            sqlx::query(SALARY)
                .bind(employer_id)
                .bind(affiliation_id)
                .bind(r.affiliation_start)
                .bind(r.salary.annual.0)
                .bind(i64::from(r.salary.fraction.ten_thousandths()))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let details = json!({
                "affiliation_id": affiliation_id,
                "contract": choice.contract_number,
                "category": choice.category_name,
                "employment_start": r.employment_start,
                "affiliation_start": r.affiliation_start,
                "new_employee": new_person,
                "warnings": warning.into_iter().collect::<Vec<_>>(),
            });
            let action = ChangeAction {
                kind: ActionKind::NewAffiliation,
                description: &r.description,
                employee_id,
                effective_date: r.affiliation_start,
                payload: details.clone(),
            };
            let action_id = insert_change_action!(tx, scope, user_id, &action, now);
            let mut effects = Effects::default();
            effects.audit(
                Some(employer_id),
                AuditEvent::AffiliationCreated,
                json!({
                    "action_id": action_id,
                    "employee_id": employee_id,
                    "national_number": national_number.masked(),
                    "affiliation": details,
                }),
            );
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(AffiliationDone { employee_id, affiliation_id, action_id })
        })
    }
}
