//! The changes an HR user makes to employees: a new affiliation ([`affiliate`]), exits
//! ([`exits`]), a change of personal data ([`personal_data`]) and a move to another category
//! ([`moves`]). Each one is a processed
//! action about the employee in "Overzicht acties", with its audit entry, written in one
//! transaction that first re-reads the sheet's rights (a consult sheet is refused inside the
//! transaction, whatever the caller checked). [`history`] reads them back per employee.

mod affiliate;
mod exits;
mod history;
mod moves;
mod personal_data;

use chrono::NaiveDate;
use ebdesk_domain::ActionKind;

pub use affiliate::{
    AffiliatePerson, AffiliationDone, ContractChoice, NewAffiliationRequest, PersonLookup,
};
pub use exits::{ExitDone, ExitOutcome, ExitRefusal, ExitRequest, ExitTarget};
pub use history::HistoryEntry;
pub use moves::{CategoryMoveDone, CategoryMoveRequest};
pub use personal_data::PersonalDataOutcome;

/// The processed action a change files about one employee.
pub(crate) struct ChangeAction<'a> {
    pub kind: ActionKind,
    pub description: &'a str,
    pub employee_id: i64,
    pub effective_date: NaiveDate,
    pub payload: serde_json::Value,
}

/// The user of the scope's sheet when that sheet may change data (input or master), read in
/// the change's transaction `$tx`; [`crate::StoreError::Forbidden`] otherwise.
macro_rules! change_rights_in_tx {
    ($tx:expr, $scope:expr) => {{
        const SQL: &str = "SELECT user_id FROM user_sheets \
            WHERE id = $1 AND employer_id = $2 AND rights IN ('input', 'master')";
        let user: Option<i64> = sqlx::query_scalar(SQL)
            .bind($scope.sheet_id())
            .bind($scope.employer_id())
            .fetch_optional(&mut *$tx)
            .await?;
        user.ok_or($crate::StoreError::Forbidden)
    }};
}
pub(crate) use change_rights_in_tx;

/// Whether employee `$id` has an affiliation inside the scope, read in `$tx`.
macro_rules! employee_in_scope_in_tx {
    ($tx:expr, $scope:expr, $id:expr) => {{
        const SQL: &str = concat!(
            "SELECT COUNT(*) FROM affiliations a WHERE a.employer_id = $1 AND a.employee_id = $4 \
               AND ",
            $crate::scope::in_scope_sql!("a.contract_id", "$2", "$3")
        );
        let count: i64 = sqlx::query_scalar(SQL)
            .bind($scope.employer_id())
            .bind($scope.all_contracts())
            .bind($scope.sheet_id())
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        count > 0
    }};
}
pub(crate) use employee_in_scope_in_tx;

/// Files `$action` ([`ChangeAction`]) as processed at `$now` by `$user`, in `$tx`; answers
/// its id.
macro_rules! insert_change_action {
    ($tx:expr, $scope:expr, $user:expr, $action:expr, $now:expr) => {{
        const SQL: &str = "INSERT INTO actions (employer_id, kind, status, description, \
               employee_id, requested_by, requested_at, status_at, effective_date, processed_at, \
               payload, attempts, run_after) \
             VALUES ($1, $2, 'processed', $3, $4, $5, $6, $6, $7, $6, $8, 0, $6) RETURNING id";
        let action: &$crate::changes::ChangeAction<'_> = $action;
        let id: i64 = sqlx::query_scalar(SQL)
            .bind($scope.employer_id())
            .bind(action.kind.as_str())
            .bind(action.description.to_owned())
            .bind(action.employee_id)
            .bind($user)
            .bind($now)
            .bind(action.effective_date)
            .bind(action.payload.to_string())
            .fetch_one(&mut *$tx)
            .await?;
        id
    }};
}
pub(crate) use insert_change_action;
