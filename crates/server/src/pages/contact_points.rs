//! The operator edits an employer's contact points (administrative, commercial, claims):
//! the ones left empty are removed, the others replace what was there.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::shared::contact_points::contact_points_from;
use crate::shared::notice::{Saved, see_other_saying};
use crate::shared::{AppError, AppState, Operator, RouteExt, actor, html, page_context, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get(
        "/beheer/werkgevers/{number}/contactpunten",
        contact_points_form,
    )
    .post(
        "/beheer/werkgevers/{number}/contactpunten",
        save_contact_points,
    );
}

async fn page(
    state: &AppState,
    operator: &Operator,
    number: &str,
    values: &HashMap<String, String>,
    errors: &HashMap<&'static str, &'static str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let employer = state.store.find_employer(number).await?;
    let employer = employer.ok_or(AppError::NotFound)?;
    let mut context = page_context(&operator.0);
    context.insert("details", &employer);
    context.insert(
        "form",
        &serde_json::json!({ "values": values, "errors": errors }),
    );
    Ok(html(
        status,
        render("operator_contact_points.html", &context)?,
    ))
}

pub async fn contact_points_form(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let employer_id = state.store.find_employer_id(&number).await?;
    let employer_id = employer_id.ok_or(AppError::NotFound)?;
    let mut values = HashMap::new();
    for p in state
        .store
        .list_employer_contact_points(employer_id)
        .await?
    {
        values.insert(format!("{}_name", p.kind), p.name);
        values.insert(format!("{}_email", p.kind), p.email);
        values.insert(format!("{}_phone", p.kind), p.phone);
    }
    let errors = HashMap::new();
    page(&state, &operator, &number, &values, &errors, StatusCode::OK).await
}

pub async fn save_contact_points(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    fields: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let employer_id = state.store.find_employer_id(&number).await?;
    let employer_id = employer_id.ok_or(AppError::NotFound)?;
    let values = fields.into_inner();
    let value = |key: &str| {
        values
            .get(key)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = HashMap::new();
    let points = contact_points_from(&value, &mut errors);
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(&state, &operator, &number, &values, &errors, status).await;
    }
    let who = actor(&req, Some(operator.0.user_id));
    state
        .store
        .replace_contact_points(employer_id, &points, &who, state.now())
        .await?;
    let path = format!("/beheer/werkgevers/{number}");
    Ok(see_other_saying(&path, Saved::CONTACT_POINTS))
}
