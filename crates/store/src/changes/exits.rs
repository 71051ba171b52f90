//! "Uittreding": the active affiliations of employees end on an inclusive end date and turn
//! passive (the rows and their history stay). Several employees at once are one transaction:
//! when one of them is refused, nobody exits. The author may withdraw an exit the same day.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::changes::check_exit;
use ebdesk_domain::{ActionKind, ExitReason};
use serde::Deserialize;
use serde_json::json;

use super::{ChangeAction, change_rights_in_tx, insert_change_action};
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::queue::action_visible_sql;
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// One employee to exit: all their active affiliations in the scope, or only these.
#[derive(Debug, Clone)]
pub struct ExitTarget {
    pub employee_id: i64,
    pub affiliation_ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone)]
pub struct ExitRequest {
    pub targets: Vec<ExitTarget>,
    /// The last day covered ("tot en met").
    pub end_date: NaiveDate,
    pub reason: ExitReason,
    /// The day the exit is reported (today), for the 30-day term.
    pub reported_on: NaiveDate,
    /// The "omschrijving" of each action.
    pub description: String,
}

/// An employee the exit refused, with the message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitRefusal {
    pub employee_id: i64,
    pub name: String,
    pub code: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitDone {
    pub employee_id: i64,
    pub action_id: i64,
    /// Reported more than 30 days after the end date.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExitOutcome {
    Done(Vec<ExitDone>),
    /// Nothing was written.
    Refused(Vec<ExitRefusal>),
}

#[derive(sqlx::FromRow)]
struct AffiliationRow {
    id: i64,
    affiliation_start: NaiveDate,
    status: String,
}

/// What an exit's action keeps, to show it and to withdraw it.
#[derive(Deserialize)]
struct ExitPayload {
    end_date: NaiveDate,
    affiliation_ids: Vec<i64>,
}

#[derive(sqlx::FromRow)]
struct ExitActionRow {
    kind: String,
    status: String,
    requested_by: i64,
    requested_at: DateTime<Utc>,
    employee_id: Option<i64>,
    payload: String,
}

/// The exit of one employee that passed the checks, waiting for the others'.
struct PlannedExit {
    employee_id: i64,
    affiliation_ids: Vec<i64>,
    late: bool,
}

/// Reads the name (`"last, first"`) and the affiliations in the scope of employee `$id`, in
/// `$tx`; [`StoreError::NotFound`] for an employee outside the employer.
macro_rules! exit_target_in_tx {
    ($tx:expr, $scope:expr, $id:expr) => {{
        const NAME: &str = "SELECT last_name, first_name FROM employees \
            WHERE employer_id = $1 AND id = $2";
        const AFFILIATIONS: &str = concat!(
            "SELECT a.id, a.affiliation_start, a.status FROM affiliations a \
             WHERE a.employer_id = $1 AND a.employee_id = $4 AND ",
            in_scope_sql!("a.contract_id", "$2", "$3"),
            " ORDER BY a.id"
        );
        let name: Option<(String, String)> = sqlx::query_as(NAME)
            .bind($scope.employer_id())
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let (last, first) = name.ok_or(StoreError::NotFound)?;
        let rows: Vec<AffiliationRow> = sqlx::query_as(AFFILIATIONS)
            .bind($scope.employer_id())
            .bind($scope.all_contracts())
            .bind($scope.sheet_id())
            .bind($id)
            .fetch_all(&mut *$tx)
            .await?;
        (format!("{last}, {first}"), rows)
    }};
}

/// Ends the affiliations of `$plan` ([`PlannedExit`]) as `$request` says, in `$tx`.
macro_rules! end_affiliations_in_tx {
    ($tx:expr, $employer_id:expr, $plan:expr, $request:expr, $now:expr) => {{
        const END: &str = "UPDATE affiliations SET status = 'passive', end_date = $3, \
            exit_reason = $4, terms_changed_at = $5 WHERE employer_id = $1 AND id = $2 AND status = 'active'";
        let request: &ExitRequest = $request;
        for id in &$plan.affiliation_ids {
            let ended = sqlx::query(END)
                .bind($employer_id)
                .bind(*id)
                .bind(request.end_date)
                .bind(request.reason.as_str())
                .bind($now)
                .execute(&mut *$tx)
                .await?;
            if ended.rows_affected() != 1 {
                return Err(StoreError::Corrupt("affiliation left active".to_owned()));
            }
        }
    }};
}

/// The affiliations of `target` that the exit is about: all of `rows` (those in the scope),
/// or the ones it names. [`StoreError::NotFound`] when the scope sees none of the employee's
/// affiliations or it names one the scope does not see.
fn chosen_affiliations<'a>(
    target: &ExitTarget,
    rows: &'a [AffiliationRow],
) -> Result<Vec<&'a AffiliationRow>> {
    if rows.is_empty() {
        return Err(StoreError::NotFound);
    }
    Ok(match &target.affiliation_ids {
        None => rows.iter().collect(),
        Some(ids) => {
            if !ids.iter().all(|id| rows.iter().any(|r| r.id == *id)) {
                return Err(StoreError::NotFound);
            }
            rows.iter().filter(|r| ids.contains(&r.id)).collect()
        }
    })
}

/// Checks the exit of one employee (`name` for a refusal) against the still active ones of
/// `chosen`: planned, or refused with the message key.
fn plan_exit(
    target: &ExitTarget,
    name: String,
    chosen: Vec<&AffiliationRow>,
    request: &ExitRequest,
) -> Result<PlannedExit, ExitRefusal> {
    let refuse = |code| ExitRefusal {
        employee_id: target.employee_id,
        name,
        code,
    };
    let active: Vec<&AffiliationRow> = chosen
        .into_iter()
        .filter(|r| r.status == "active")
        .collect();
    if active.is_empty() {
        return Err(refuse("exit-already-exited"));
    }
    let mut late = false;
    let mut refused = None;
    for a in &active {
        match check_exit(a.affiliation_start, request.end_date, request.reported_on) {
            Ok(warning) => late |= warning.is_some(),
            Err(code) => refused = Some(code),
        }
    }
    match refused {
        Some(code) => Err(refuse(code)),
        None => Ok(PlannedExit {
            employee_id: target.employee_id,
            affiliation_ids: active.iter().map(|a| a.id).collect(),
            late,
        }),
    }
}

/// What the action of an exit keeps (read back by [`ExitPayload`]) and its audit entry shows.
fn exit_payload(request: &ExitRequest, plan: &PlannedExit) -> serde_json::Value {
    json!({
        "end_date": request.end_date,
        "reason": request.reason.as_str(),
        "affiliation_ids": plan.affiliation_ids,
        "late": plan.late,
    })
}

impl Store {
    /// Ends the active affiliations of every target on `end_date`, one processed action and
    /// one audit entry per employee, all in one transaction. Each employee is refused (and
    /// then nothing is written) when none of their affiliations is still active
    /// (`exit-already-exited`) or the end date lies before an affiliation's start
    /// (`exit-before-affiliation`); [`StoreError::NotFound`] for an employee or affiliation
    /// outside the scope.
    pub async fn exit_employees(
        &self,
        scope: &Scope,
        request: &ExitRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<ExitOutcome> {
        let employer_id = scope.employer_id();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = change_rights_in_tx!(tx, scope)?;
            let mut refusals = Vec::new();
            let mut planned = Vec::new();
            for target in &request.targets {
                let (name, rows) = exit_target_in_tx!(tx, scope, target.employee_id);
                let chosen = chosen_affiliations(target, &rows)?;
                match plan_exit(target, name, chosen, request) {
                    Ok(plan) => planned.push(plan),
                    Err(refusal) => refusals.push(refusal),
                }
            }
            if !refusals.is_empty() {
                return Ok(ExitOutcome::Refused(refusals));
            }
            let mut done = Vec::with_capacity(planned.len());
            let mut effects = Effects::default();
            for plan in planned {
                end_affiliations_in_tx!(tx, employer_id, &plan, request, now);
                let payload = exit_payload(request, &plan);
                let action = ChangeAction {
                    kind: ActionKind::Exit,
                    description: &request.description,
                    employee_id: plan.employee_id,
                    effective_date: request.end_date,
                    payload: payload.clone(),
                };
                let action_id = insert_change_action!(tx, scope, user_id, &action, now);
                effects.audit(
                    Some(employer_id),
                    AuditEvent::EmployeeExited,
                    json!({
                        "action_id": action_id,
                        "employee_id": plan.employee_id,
                        "exit": payload,
                    }),
                );
                done.push(ExitDone {
                    employee_id: plan.employee_id,
                    action_id,
                    late: plan.late,
                });
            }
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(ExitOutcome::Done(done))
        })
    }

    /// Undoes an exit: its affiliations active again, the action "withdrawn". Only its author,
    /// and only while `since` (the start of the author's day) lies before its filing
    /// (`exit-withdraw-too-late`, `exit-withdraw-other-user`); refused when it is no processed
    /// exit (`exit-withdraw-not-possible`) or an affiliation changed since
    /// (`exit-withdraw-stale`).
    pub async fn withdraw_exit(
        &self,
        scope: &Scope,
        action_id: i64,
        since: DateTime<Utc>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const ACTION: &str = concat!(
            "SELECT x.kind, x.status, x.requested_by, x.requested_at, x.employee_id, x.payload \
             FROM actions x WHERE x.id = $4 AND ",
            action_visible_sql!("x")
        );
        const RESTORE: &str = "UPDATE affiliations SET status = 'active', end_date = NULL, \
            exit_reason = NULL, terms_changed_at = $4 \
            WHERE employer_id = $1 AND id = $2 AND status = 'passive' AND end_date = $3";
        const WITHDRAW: &str = "UPDATE actions SET status = 'withdrawn', status_at = $3 \
            WHERE employer_id = $1 AND id = $2 AND status = 'processed'";
        let employer_id = scope.employer_id();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = change_rights_in_tx!(tx, scope)?;
            let row: Option<ExitActionRow> = sqlx::query_as(ACTION)
                .bind(employer_id)
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(action_id)
                .fetch_optional(&mut *tx)
                .await?;
            let row = row.ok_or(StoreError::NotFound)?;
            if row.kind != ActionKind::Exit.as_str() || row.status != "processed" {
                return Err(StoreError::Refused("exit-withdraw-not-possible"));
            }
            if row.requested_by != user_id {
                return Err(StoreError::Refused("exit-withdraw-other-user"));
            }
            if row.requested_at < since {
                return Err(StoreError::Refused("exit-withdraw-too-late"));
            }
            let payload: ExitPayload = serde_json::from_str(&row.payload)
                .map_err(|_| StoreError::Corrupt("exit payload".to_owned()))?;
            for id in &payload.affiliation_ids {
                let restored = sqlx::query(RESTORE)
                    .bind(employer_id)
                    .bind(*id)
                    .bind(payload.end_date)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                if restored.rows_affected() != 1 {
                    return Err(StoreError::Refused("exit-withdraw-stale"));
                }
            }
            sqlx::query(WITHDRAW)
                .bind(employer_id)
                .bind(action_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let mut effects = Effects::default();
            effects.audit(
                Some(employer_id),
                AuditEvent::ExitWithdrawn,
                json!({ "action_id": action_id, "employee_id": row.employee_id }),
            );
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(())
        })
    }
}
