//! "Uittreding": one employee from their page, or several from the list, with an inclusive
//! end date and a reason; and withdrawing one's own exit the same day.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use ebdesk_domain::ExitReason;
use ebdesk_domain::changes::FieldErrors;
use ebdesk_domain::names::told_apart;
use ebdesk_store::{EmployeeDetail, ExitDone, ExitOutcome, ExitRefusal, ExitRequest, ExitTarget};
use serde::Serialize;

use crate::shared::confirm::Confirmation;
use crate::shared::decisions::{OnAction, ask_on_action, back_to_action, to_action};
use crate::shared::local::{display_date, start_of_today, today};
use crate::shared::notice::Saved;
use crate::shared::{
    AppError, AppState, ChangeTenant, EmployeeToChange, Fields, RouteExt, Tenant, actor,
    employee_in_scope, html, render, tenant_context,
};

/// Most employees one exit takes at once.
const MAX_EMPLOYEES: usize = 1000;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get(
        "/werkgevers/{employer}/werknemers/{employee}/uittreding",
        exit_form,
    )
    .post(
        "/werkgevers/{employer}/werknemers/{employee}/uittreding",
        exit_employee,
    )
    .get("/werkgevers/{employer}/uittredingen", bulk_exit_form)
    .post("/werkgevers/{employer}/uittredingen", exit_employees)
    .post(
        "/werkgevers/{employer}/acties/{action}/intrekken",
        withdraw_exit,
    );
}

#[derive(Debug, Default, Serialize)]
struct ExitForm {
    end_date: String,
    reason: String,
    /// The affiliations chosen (one employee's form).
    affiliations: Vec<i64>,
    errors: FieldErrors,
    /// Employees the store refused, with their message key.
    refusals: Vec<(String, &'static str)>,
}

impl ExitForm {
    /// The store's refusals of one employee's exit, each at its field.
    fn refused_at_fields(&mut self, refusals: &[ExitRefusal]) {
        for r in refusals {
            let field = match r.code {
                "exit-before-affiliation" => "end_date",
                _ => "affiliation",
            };
            self.errors.insert(field, r.code);
        }
    }
}

/// The end date and reason, or their messages.
fn end_and_reason(fields: &Fields, form: &mut ExitForm) -> Option<(NaiveDate, ExitReason)> {
    form.end_date = fields.get("end_date");
    form.reason = fields.get("reason");
    let end = fields.date("end_date", &mut form.errors);
    let reason = ExitReason::from_db(&form.reason);
    if reason.is_none() {
        form.errors.insert("reason", "exit-reason-required");
    }
    Some((end?, reason?))
}

/// The action's description, stored as a message so that each reader sees it in their language.
fn description(end: NaiveDate) -> String {
    ebdesk_i18n::Message::new("action-description-exit")
        .with("date", display_date(end))
        .to_stored()
}

fn context_for(tenant: &Tenant, form: &ExitForm) -> tera::Context {
    let mut context = tenant_context(tenant);
    context.insert("form", form);
    context.insert(
        "reasons",
        &ExitReason::ALL
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
    );
    context
}

fn exit_page(
    tenant: &Tenant,
    employee: &EmployeeDetail,
    form: &ExitForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = context_for(tenant, form);
    context.insert("exit_employee", employee);
    Ok(html(status, render("exit_form.html", &context)?))
}

pub async fn exit_form(
    EmployeeToChange { tenant, employee }: EmployeeToChange,
) -> Result<HttpResponse, AppError> {
    let form = ExitForm {
        affiliations: employee
            .affiliations
            .iter()
            .filter(|a| a.end_date.is_none())
            .map(|a| a.id)
            .collect(),
        ..Default::default()
    };
    exit_page(&tenant, &employee, &form, StatusCode::OK)
}

pub async fn exit_employee(
    req: HttpRequest,
    state: web::Data<AppState>,
    EmployeeToChange { tenant, employee }: EmployeeToChange,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::new(form.into_inner());
    let mut form = ExitForm {
        affiliations: fields.ids("affiliation"),
        ..Default::default()
    };
    let chosen = end_and_reason(&fields, &mut form);
    if form.affiliations.is_empty() {
        form.errors
            .insert("affiliation", "exit-affiliation-required");
    }
    let Some((end_date, reason)) = chosen.filter(|_| form.errors.is_empty()) else {
        return exit_page(&tenant, &employee, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let target = ExitTarget {
        employee_id: employee.id,
        affiliation_ids: Some(form.affiliations.clone()),
    };
    match exit(&req, &state, &tenant, vec![target], end_date, reason).await? {
        ExitOutcome::Done(done) => {
            let first = done.first().map_or(0, |d| d.action_id);
            Ok(to_action(&tenant, first, Saved::EXIT))
        }
        ExitOutcome::Refused(refusals) => {
            form.refused_at_fields(&refusals);
            exit_page(&tenant, &employee, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

async fn exit(
    req: &HttpRequest,
    state: &AppState,
    tenant: &Tenant,
    targets: Vec<ExitTarget>,
    end_date: NaiveDate,
    reason: ExitReason,
) -> Result<ExitOutcome, AppError> {
    let now = state.now();
    let request = ExitRequest {
        targets,
        end_date,
        reason,
        reported_on: today(now),
        description: description(end_date),
    };
    Ok(state
        .store
        .exit_employees(
            tenant.access.scope(),
            &request,
            &actor(req, Some(tenant.user.user_id)),
            now,
        )
        .await?)
}

/// The employees chosen in the list, by name (told apart where names repeat); a 404 when
/// one is outside the scope.
async fn chosen_employees(
    state: &AppState,
    tenant: &Tenant,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, AppError> {
    if ids.len() > MAX_EMPLOYEES {
        return Err(AppError::BadRequest);
    }
    let mut people = Vec::with_capacity(ids.len());
    for id in ids {
        let e = employee_in_scope(state, tenant, *id).await?;
        let apart = e
            .employee_number
            .unwrap_or_else(|| e.national_number.masked());
        people.push((e.id, (format!("{}, {}", e.last_name, e.first_name), apart)));
    }
    let (ids, names): (Vec<i64>, Vec<(String, String)>) = people.into_iter().unzip();
    Ok(ids.into_iter().zip(told_apart(&names)).collect())
}

fn bulk_page(
    tenant: &Tenant,
    employees: &[(i64, String)],
    form: &ExitForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = context_for(tenant, form);
    context.insert("chosen", employees);
    context.insert("chosen_count", &employees.len());
    Ok(html(status, render("bulk_exit_form.html", &context)?))
}

/// The exit form for the employees ticked in the list (`?werknemer=1&werknemer=2`).
pub async fn bulk_exit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
) -> Result<HttpResponse, AppError> {
    let ids = Fields::from_query(req.query_string()).ids("werknemer");
    let employees = chosen_employees(&state, &tenant, &ids).await?;
    let mut form = ExitForm::default();
    let status = if employees.is_empty() {
        form.errors.insert("employees", "exit-employees-required");
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    bulk_page(&tenant, &employees, &form, status)
}

/// Exits every chosen employee in one transaction: when one is refused, nobody exits and
/// the form lists who was refused and why.
pub async fn exit_employees(
    req: HttpRequest,
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::new(form.into_inner());
    let ids = fields.ids("werknemer");
    if ids.len() > MAX_EMPLOYEES {
        return Err(AppError::BadRequest);
    }
    let mut form = ExitForm::default();
    let chosen = end_and_reason(&fields, &mut form);
    if ids.is_empty() {
        form.errors.insert("employees", "exit-employees-required");
    }
    let Some((end_date, reason)) = chosen.filter(|_| form.errors.is_empty()) else {
        let employees = chosen_employees(&state, &tenant, &ids).await?;
        return bulk_page(&tenant, &employees, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    // The store reads each employee in its transaction (404 outside the scope): the names
    // are only needed again when the form comes back.
    let targets = ids
        .iter()
        .map(|&employee_id| ExitTarget {
            employee_id,
            affiliation_ids: None,
        })
        .collect();
    match exit(&req, &state, &tenant, targets, end_date, reason).await? {
        ExitOutcome::Done(done) => done_page(&tenant, &done, end_date),
        ExitOutcome::Refused(refusals) => {
            let employees = chosen_employees(&state, &tenant, &ids).await?;
            form.refusals = named_as_chosen(&refusals, &employees);
            bulk_page(&tenant, &employees, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// The refusals, each with its employee named as in the list of the chosen (so that two
/// "Mertens, Anouk" stay apart).
fn named_as_chosen(
    refusals: &[ExitRefusal],
    chosen: &[(i64, String)],
) -> Vec<(String, &'static str)> {
    let named = |r: &ExitRefusal| chosen.iter().find(|(id, _)| *id == r.employee_id);
    refusals
        .iter()
        .map(|r| {
            (
                named(r).map_or_else(|| r.name.clone(), |e| e.1.clone()),
                r.code,
            )
        })
        .collect()
}

/// "Uittreding voor de selectie" done: how many, and whether late.
fn done_page(
    tenant: &Tenant,
    done: &[ExitDone],
    end_date: NaiveDate,
) -> Result<HttpResponse, AppError> {
    let mut context = tenant_context(tenant);
    context.insert("exited", &done.len());
    context.insert("late", &done.iter().any(|d| d.late));
    context.insert("end_date", &display_date(end_date));
    Ok(html(
        StatusCode::OK,
        render("bulk_exit_done.html", &context)?,
    ))
}

/// Undoes the user's own exit of today; back to the action, which says why when refused.
pub async fn withdraw_exit(
    req: HttpRequest,
    state: web::Data<AppState>,
    on: OnAction,
    confirmation: web::Form<Confirmation>,
) -> Result<HttpResponse, AppError> {
    if !confirmation.given() {
        let (action, text) = ("exit-withdraw", "confirm-withdraw-exit");
        return ask_on_action(&state, &on, action, text, req.path()).await;
    }
    let (scope, now) = (on.tenant.access.scope(), state.now());
    let withdrawn = state
        .store
        .withdraw_exit(scope, on.id, start_of_today(now), &on.actor, now)
        .await;
    back_to_action(&on.tenant, on.id, withdrawn, Saved::EXIT_WITHDRAWN)
}
