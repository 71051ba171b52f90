//! "Categorieën": per contract of the scope, its personnel categories and their plan rules,
//! the one in force today and the other periods, in words. Read-only, for every user.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::shared::plan_rules::contract_views;
use crate::shared::{AppError, AppState, RouteExt, Tenant, html, render, tenant_context};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/categorieen", categories);
}

pub async fn categories(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let scope = tenant.access.scope();
    let contracts = state.store.list_contracts(scope).await?;
    let categories = state.store.list_category_rules(scope).await?;
    let lang = tenant.user.language.as_str();
    let views = contract_views(contracts, categories, state.today(), lang);
    let mut context = tenant_context(&tenant);
    context.insert("category_contracts", &views);
    Ok(html(StatusCode::OK, render("categories.html", &context)?))
}
