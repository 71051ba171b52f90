//! "Verplaatsen naar andere categorie": an active affiliation ends the day before `from`
//! (reason "Overgang naar andere categorie") and a new one in another category of the same
//! contract starts on `from`, pointing back to it. The salary in force on `from` and any
//! later ones follow to the new affiliation, so the premiums go on without a new salary list.
//! Both affiliations are stamped, so the next statement regularises months already billed.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ebdesk_domain::changes::{check_category_move, overlaps};
use ebdesk_domain::{ActionKind, ExitReason};
use serde_json::json;

use super::{ChangeAction, change_rights_in_tx, insert_change_action};
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

#[derive(Debug, Clone)]
pub struct CategoryMoveRequest {
    pub employee_id: i64,
    pub affiliation_id: i64,
    /// The new category: one of the affiliation's contract.
    pub category_id: i64,
    /// The first day in the new category.
    pub from: NaiveDate,
    /// Today, for the 30-day term.
    pub reported_on: NaiveDate,
    /// The "omschrijving" of the action.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryMoveDone {
    pub action_id: i64,
    /// The new affiliation.
    pub affiliation_id: i64,
    /// Reported more than 30 days after `from`.
    pub late: bool,
}

/// The affiliation to move, as the scope sees it, with its contract and category names.
#[derive(sqlx::FromRow)]
struct MovedRow {
    contract_id: i64,
    contract_number: String,
    category_id: i64,
    category_name: String,
    employment_start: NaiveDate,
    affiliation_start: NaiveDate,
    status: String,
}

/// Reads affiliation `$request.affiliation_id` of the employee inside the scope, in `$tx`
/// ([`StoreError::NotFound`] otherwise), and the name of the new category when it belongs
/// to the same contract (`category-not-of-contract` otherwise).
macro_rules! move_target_in_tx {
    ($tx:expr, $scope:expr, $request:expr) => {{
        const AFFILIATION: &str = concat!(
            "SELECT a.contract_id, c.number AS contract_number, a.category_id, \
               g.name AS category_name, a.employment_start, a.affiliation_start, a.status \
             FROM affiliations a \
             JOIN contracts c ON c.employer_id = a.employer_id AND c.id = a.contract_id \
             JOIN categories g ON g.employer_id = a.employer_id AND g.id = a.category_id \
             WHERE a.employer_id = $1 AND a.id = $4 AND a.employee_id = $5 AND ",
            in_scope_sql!("a.contract_id", "$2", "$3")
        );
        const CATEGORY: &str = "SELECT name FROM categories \
            WHERE employer_id = $1 AND contract_id = $2 AND id = $3";
        let r: &CategoryMoveRequest = $request;
        let row: Option<MovedRow> = sqlx::query_as(AFFILIATION)
            .bind($scope.employer_id())
            .bind($scope.all_contracts())
            .bind($scope.sheet_id())
            .bind(r.affiliation_id)
            .bind(r.employee_id)
            .fetch_optional(&mut *$tx)
            .await?;
        let row = row.ok_or(StoreError::NotFound)?;
        let category: Option<String> = sqlx::query_scalar(CATEGORY)
            .bind($scope.employer_id())
            .bind(row.contract_id)
            .bind(r.category_id)
            .fetch_optional(&mut *$tx)
            .await?;
        let category = category.ok_or(StoreError::Refused("category-not-of-contract"))?;
        (row, category)
    }};
}

/// Ends the moved affiliation on `$end` (refused when another change ended it first), then
/// opens the new one from `$request.from` unless the person has another affiliation in the
/// contract that has not ended by then (`affiliation-overlap`); answers the new id.
macro_rules! replace_affiliation_in_tx {
    ($tx:expr, $employer_id:expr, $request:expr, $row:expr, $end:expr, $now:expr) => {{
        const END: &str = "UPDATE affiliations SET status = 'passive', end_date = $3, \
            exit_reason = $4, terms_changed_at = $5 \
            WHERE employer_id = $1 AND id = $2 AND status = 'active'";
        const ENDS: &str = "SELECT end_date FROM affiliations \
            WHERE employer_id = $1 AND employee_id = $2 AND contract_id = $3";
        const INSERT: &str = "INSERT INTO affiliations (employer_id, employee_id, \
               contract_id, category_id, employment_start, affiliation_start, end_date, \
               exit_reason, status, terms_changed_at, moved_from_id) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, 'active', $7, $8) RETURNING id";
        let r: &CategoryMoveRequest = $request;
        let row: &MovedRow = $row;
        let ended = sqlx::query(END)
            .bind($employer_id)
            .bind(r.affiliation_id)
            .bind($end)
            .bind(ExitReason::CategoryChange.as_str())
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        if ended.rows_affected() != 1 {
            return Err(StoreError::Refused("move-affiliation-ended"));
        }
        let ends: Vec<Option<NaiveDate>> = sqlx::query_scalar(ENDS)
            .bind($employer_id)
            .bind(r.employee_id)
            .bind(row.contract_id)
            .fetch_all(&mut *$tx)
            .await?;
        if ends.into_iter().any(|end| overlaps(end, r.from)) {
            return Err(StoreError::Refused("affiliation-overlap"));
        }
        let id: i64 = sqlx::query_scalar(INSERT)
            .bind($employer_id)
            .bind(r.employee_id)
            .bind(row.contract_id)
            .bind(r.category_id)
            .bind(row.employment_start)
            .bind(r.from)
            .bind($now)
            .bind(r.affiliation_id)
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}

/// Copies to affiliation `$to` the salary of `$request.affiliation_id` in force on `from`
/// (dated `from`) and every later one, recorded `$now`.
macro_rules! copy_salaries_in_tx {
    ($tx:expr, $employer_id:expr, $request:expr, $to:expr, $now:expr) => {{
        const COPY: &str = "INSERT INTO affiliation_salaries (employer_id, affiliation_id, \
               valid_from, annual_cents, fraction_ten_thousandths, created_at) \
             SELECT employer_id, $3, CASE WHEN valid_from < $4 THEN $4 ELSE valid_from END, \
               annual_cents, fraction_ten_thousandths, $5 \
             FROM affiliation_salaries s \
             WHERE s.employer_id = $1 AND s.affiliation_id = $2 AND (s.valid_from >= $4 \
               OR s.valid_from = (SELECT MAX(p.valid_from) FROM affiliation_salaries p \
                 WHERE p.employer_id = $1 AND p.affiliation_id = $2 AND p.valid_from <= $4))";
        let r: &CategoryMoveRequest = $request;
        sqlx::query(COPY)
            .bind($employer_id)
            .bind(r.affiliation_id)
            .bind($to)
            .bind(r.from)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
    }};
}

impl Store {
    /// Moves an active affiliation of the scope to another category of its contract from
    /// `from` on: the old one passive up to the day before, the new one active with the
    /// salaries, one processed action and one audit entry, in one transaction. Refused with
    /// a message key when the affiliation has ended (`move-affiliation-ended`, also when a
    /// parallel change ended it first), the category is the same or not of the contract, the
    /// date breaks [`check_category_move`], or it would overlap another affiliation in the
    /// contract; [`StoreError::NotFound`] for an affiliation outside the scope.
    pub async fn move_category(
        &self,
        scope: &Scope,
        request: &CategoryMoveRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<CategoryMoveDone> {
        let employer_id = scope.employer_id();
        let r = request;
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = change_rights_in_tx!(tx, scope)?;
            let (row, category_name) = move_target_in_tx!(tx, scope, r);
            if row.status != "active" {
                return Err(StoreError::Refused("move-affiliation-ended"));
            }
            let warning = check_category_move(
                row.affiliation_start, row.category_id, r.category_id, r.from, r.reported_on,
            )
            .map_err(|(_, code)| StoreError::Refused(code))?;
            let end = r.from - TimeDelta::days(1);
            let new_id = replace_affiliation_in_tx!(tx, employer_id, r, &row, end, now);
            copy_salaries_in_tx!(tx, employer_id, r, new_id, now);
            let details = json!({
                "affiliation_id": new_id,
                "moved_from_id": r.affiliation_id,
                "contract": row.contract_number,
                "previous_category": row.category_name,
                "category": category_name,
                "end_date": end,
                "affiliation_start": r.from,
                "late": warning.is_some(),
            });
            let action = ChangeAction {
                kind: ActionKind::CategoryMove,
                description: &r.description,
                employee_id: r.employee_id,
                effective_date: r.from,
                payload: details.clone(),
            };
            let action_id = insert_change_action!(tx, scope, user_id, &action, now);
            let mut effects = Effects::default();
            effects.audit(
                Some(employer_id),
                AuditEvent::AffiliationMoved,
                json!({ "action_id": action_id, "employee_id": r.employee_id, "move": details }),
            );
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(CategoryMoveDone { action_id, affiliation_id: new_id, late: warning.is_some() })
        })
    }
}
