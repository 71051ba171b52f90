//! "Wijziging persoonsgegevens": an employee's personal data replaced, fenced by the version
//! the user saw, so that of two users editing the same employee the second is refused
//! instead of silently overwriting the first.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::ActionKind;
use ebdesk_domain::changes::{FieldChange, Person, diff_person, for_the_record};
use serde_json::json;

use super::{ChangeAction, change_rights_in_tx, employee_in_scope_in_tx, insert_change_action};
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::employees::{DetailRow, EMPLOYEE_SQL};
use crate::provisioning::{NameWords, search_keys};
use crate::{EmployeeDetail, Result, Scope, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonalDataOutcome {
    /// Written, with what changed.
    Changed {
        action_id: i64,
        changes: Vec<FieldChange>,
    },
    /// The data was already so: nothing written, no action filed.
    Unchanged,
}

impl EmployeeDetail {
    /// The personal data of the detail, as the change form starts from it.
    pub fn person(&self) -> Person {
        Person {
            national_number: self.national_number.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            gender: self.gender,
            language: self.language,
            birth_date: self.birth_date,
            employee_number: self.employee_number.clone(),
            business_email: self.business_email.clone(),
        }
    }
}

/// The stored personal data of employee `$id`, read in `$tx`, when its version is still
/// `$version`; refused with `employee-changed-meanwhile` otherwise.
macro_rules! person_at_version_in_tx {
    ($tx:expr, $employer_id:expr, $id:expr, $version:expr) => {{
        let current: Option<DetailRow> = sqlx::query_as(EMPLOYEE_SQL)
            .bind($employer_id)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let (person, stored_version) = current.ok_or(StoreError::NotFound)?.person()?;
        if stored_version != $version {
            return Err(StoreError::Refused("employee-changed-meanwhile"));
        }
        person
    }};
}

/// Refuses (`national-number-taken`, `employee-number-taken`) when another employee of the
/// employer than `$id` has a number of `$after`, read in `$tx`.
macro_rules! check_numbers_free_in_tx {
    ($tx:expr, $employer_id:expr, $id:expr, $after:expr) => {{
        const OTHER_WITH_NATIONAL: &str = "SELECT COUNT(*) FROM employees \
            WHERE employer_id = $1 AND national_number = $2 AND id <> $3";
        const OTHER_WITH_NUMBER: &str = "SELECT COUNT(*) FROM employees \
            WHERE employer_id = $1 AND employee_number = $2 AND id <> $3";
        let after: &Person = $after;
        let others: i64 = sqlx::query_scalar(OTHER_WITH_NATIONAL)
            .bind($employer_id)
            .bind(after.national_number.as_str().to_owned())
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        if others > 0 {
            return Err(StoreError::Refused("national-number-taken"));
        }
        let others: i64 = sqlx::query_scalar(OTHER_WITH_NUMBER)
            .bind($employer_id)
            .bind(after.employee_number.clone())
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        if others > 0 {
            return Err(StoreError::Refused("employee-number-taken"));
        }
    }};
}

/// Writes `$after` over employee `$id` at `$version` (which becomes version + 1), in `$tx`;
/// refused with `employee-changed-meanwhile` when the version moved on.
macro_rules! update_person_in_tx {
    ($tx:expr, $employer_id:expr, $id:expr, $version:expr, $after:expr, $now:expr) => {{
        const UPDATE: &str = "UPDATE employees SET national_number = $4, employee_number = $5, \
               last_name = $6, first_name = $7, gender = $8, language = $9, birth_date = $10, \
               business_email = $11, search_name = $12, number_sort = $13, \
               version = version + 1, updated_at = $14 \
            WHERE employer_id = $1 AND id = $2 AND version = $3";
        let after: &Person = $after;
        let keys = search_keys(
            &after.last_name,
            &after.first_name,
            after.employee_number.as_deref(),
        );
        let updated = sqlx::query(UPDATE)
            .bind($employer_id)
            .bind($id)
            .bind($version)
            .bind(after.national_number.as_str().to_owned())
            .bind(after.employee_number.clone())
            .bind(after.last_name.clone())
            .bind(after.first_name.clone())
            .bind(after.gender.as_str())
            .bind(after.language.as_str())
            .bind(after.birth_date)
            .bind(after.business_email.clone())
            .bind(keys.name)
            .bind(keys.number_sort)
            .bind($now)
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from_write)?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Refused("employee-changed-meanwhile"));
        }
        $tx.replace_name_words($employer_id, $id, &keys.words)
            .await?;
    }};
}

impl Store {
    /// Replaces the personal data of an employee in the scope with `after`, when the stored
    /// version is still `version`: the employee row (version + 1), a processed action that
    /// takes effect on `effective_date` with the changes, and the audit entry, in one
    /// transaction. Refused with `employee-changed-meanwhile` when someone else saved first,
    /// `national-number-taken` or `employee-number-taken` when another employee of the
    /// employer has that number; [`StoreError::NotFound`] outside the scope.
    #[allow(clippy::too_many_arguments)]
    pub async fn change_personal_data(
        &self,
        scope: &Scope,
        employee_id: i64,
        version: i64,
        after: &Person,
        effective_date: NaiveDate,
        description: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<PersonalDataOutcome> {
        let employer_id = scope.employer_id();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = change_rights_in_tx!(tx, scope)?;
            if !employee_in_scope_in_tx!(tx, scope, employee_id) {
                return Err(StoreError::NotFound);
            }
            let before = person_at_version_in_tx!(tx, employer_id, employee_id, version);
            let changes = diff_person(&before, after);
            if changes.is_empty() {
                return Ok(PersonalDataOutcome::Unchanged);
            }
            check_numbers_free_in_tx!(tx, employer_id, employee_id, after);
            update_person_in_tx!(tx, employer_id, employee_id, version, after, now);
            let recorded = for_the_record(&changes);
            let action = ChangeAction {
                kind: ActionKind::PersonalDataChange,
                description,
                employee_id,
                effective_date,
                payload: json!({ "changes": recorded }),
            };
            let action_id = insert_change_action!(tx, scope, user_id, &action, now);
            let mut effects = Effects::default();
            effects.audit(
                Some(employer_id),
                AuditEvent::EmployeeChanged,
                json!({
                    "action_id": action_id,
                    "employee_id": employee_id,
                    "national_number": after.national_number.masked(),
                    "changes": recorded,
                }),
            );
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(PersonalDataOutcome::Changed { action_id, changes })
        })
    }
}
