//! "Verplaatsen naar andere categorie": from the employee's page, one running affiliation
//! moves to another category of its contract from a date on.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use ebdesk_domain::changes::FieldErrors;
use ebdesk_store::{Category, CategoryMoveRequest, EmployeeDetail, StoreError};
use serde::Serialize;

use crate::shared::decisions::to_action;
use crate::shared::local::{display_date, today};
use crate::shared::notice::Saved;
use crate::shared::{
    AppError, AppState, EmployeeToChange, Fields, RouteExt, Tenant, actor, html, render,
    tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get(
        "/werkgevers/{employer}/werknemers/{employee}/verplaatsen",
        move_form,
    )
    .post(
        "/werkgevers/{employer}/werknemers/{employee}/verplaatsen",
        move_affiliation,
    );
}

#[derive(Debug, Default, Serialize)]
struct MoveForm {
    affiliation: Option<i64>,
    category: Option<i64>,
    from: String,
    errors: FieldErrors,
}

/// The field where the store's refusal belongs.
fn field_of(code: &str) -> &'static str {
    match code {
        "move-not-after-start" | "move-too-far-ahead" | "affiliation-overlap" => "from",
        "move-affiliation-ended" => "affiliation",
        _ => "category",
    }
}

/// The form's choices, or their messages: a running affiliation of the employee, a category
/// of the scope and a date.
fn read_form(fields: &Fields, employee: &EmployeeDetail) -> (MoveForm, Option<NaiveDate>) {
    let mut form = MoveForm {
        affiliation: fields.get("affiliation").parse().ok(),
        category: fields.get("category").parse().ok(),
        from: fields.get("from"),
        ..Default::default()
    };
    let running = |id| {
        employee
            .affiliations
            .iter()
            .any(|a| a.id == id && a.end_date.is_none())
    };
    if !form.affiliation.is_some_and(running) {
        form.errors
            .insert("affiliation", "move-affiliation-required");
    }
    if form.category.is_none() {
        form.errors.insert("category", "move-category-required");
    }
    let from = fields.date("from", &mut form.errors);
    (form, from)
}

async fn move_page(
    state: &AppState,
    tenant: &Tenant,
    employee: &EmployeeDetail,
    form: &MoveForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let contracts: Vec<i64> = employee
        .affiliations
        .iter()
        .map(|a| a.contract_id)
        .collect();
    let categories: Vec<Category> = state
        .store
        .list_categories(tenant.access.scope())
        .await?
        .into_iter()
        .filter(|c| contracts.contains(&c.contract_id))
        .collect();
    let other_category = employee.affiliations.iter().any(|a| {
        a.end_date.is_none()
            && categories
                .iter()
                .any(|c| c.contract_id == a.contract_id && c.id != a.category_id)
    });
    let mut context = tenant_context(tenant);
    context.insert("other_category", &other_category);
    context.insert("form", form);
    context.insert("move_employee", employee);
    context.insert("categories", &categories);
    Ok(html(status, render("move_form.html", &context)?))
}

pub async fn move_form(
    state: web::Data<AppState>,
    EmployeeToChange { tenant, employee }: EmployeeToChange,
) -> Result<HttpResponse, AppError> {
    let mut running = employee
        .affiliations
        .iter()
        .filter(|a| a.end_date.is_none());
    let form = MoveForm {
        // One running affiliation (the usual case) is chosen already.
        affiliation: running
            .next()
            .map(|a| a.id)
            .filter(|_| running.next().is_none()),
        ..Default::default()
    };
    move_page(&state, &tenant, &employee, &form, StatusCode::OK).await
}

pub async fn move_affiliation(
    req: HttpRequest,
    state: web::Data<AppState>,
    EmployeeToChange { tenant, employee }: EmployeeToChange,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (mut form, from) = read_form(&Fields::new(form.into_inner()), &employee);
    let (Some(affiliation_id), Some(category_id), Some(from)) =
        (form.affiliation, form.category, from)
    else {
        return move_page(
            &state,
            &tenant,
            &employee,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !form.errors.is_empty() {
        return move_page(
            &state,
            &tenant,
            &employee,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = state.now();
    let request = CategoryMoveRequest {
        employee_id: employee.id,
        affiliation_id,
        category_id,
        from,
        reported_on: today(now),
        description: description(&state, &tenant, category_id, from).await?,
    };
    let actor = actor(&req, Some(tenant.user.user_id));
    match state
        .store
        .move_category(tenant.access.scope(), &request, &actor, now)
        .await
    {
        Ok(done) => Ok(to_action(&tenant, done.action_id, Saved::CATEGORY_MOVED)),
        Err(StoreError::Refused(code)) => {
            form.errors.insert(field_of(code), code);
            move_page(
                &state,
                &tenant,
                &employee,
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

/// The action's description, stored as a message so that each reader sees it in their
/// language; the category's name as the scope sees it (empty for one it does not).
async fn description(
    state: &AppState,
    tenant: &Tenant,
    category_id: i64,
    from: NaiveDate,
) -> Result<String, AppError> {
    let categories = state.store.list_categories(tenant.access.scope()).await?;
    let name = categories
        .into_iter()
        .find(|c| c.id == category_id)
        .map(|c| c.name)
        .unwrap_or_default();
    Ok(
        ebdesk_i18n::Message::new("action-description-category-move")
            .with("category", name)
            .with("date", display_date(from))
            .to_stored(),
    )
}
