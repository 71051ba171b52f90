//! The employer's home page: its contracts and contact points.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::shared::{AppError, AppState, RouteExt, Tenant, html, render, tenant_context};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}", employer_home);
}

pub async fn employer_home(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let scope = tenant.access.scope();
    let contact_points = state.store.list_contact_points(scope).await?;
    let contracts = state.store.list_contracts(scope).await?;
    let mut context = tenant_context(&tenant);
    context.insert("contact_points", &contact_points);
    context.insert("contracts", &contracts);
    Ok(html(
        StatusCode::OK,
        render("employer_home.html", &context)?,
    ))
}
