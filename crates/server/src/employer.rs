//! The pages of one employer: home, employee list, employee detail. Every handler takes a
//! [`Tenant`], which only exists for a user holding a valid sheet at the employer in the
//! path; anyone else gets 404, as if the employer did not exist.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use chrono::Utc;
use ebdesk_domain::search::classify;
use ebdesk_domain::{AffiliationStatus, Rights};
use ebdesk_store::{
    Access, EmployeeDetail, EmployeeListQuery, ListCursor, SortOrder, StatusFilter,
};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

use crate::routes::RouteExt;
use crate::session::{PreloadedAccess, SessionUser};
use crate::templates::render;
use crate::{AppError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}", employer_home)
        .get("/werkgevers/{employer}/werknemers", list_employees)
        .get(
            "/werkgevers/{employer}/werknemers/{employee}",
            show_employee,
        );
}

/// The current user's access to the employer named in the path.
pub struct Tenant {
    pub user: SessionUser,
    pub access: Access,
}

impl FromRequest for Tenant {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = SessionUser::from_request(req, payload).into_inner();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let number = req.match_info().get("employer").map(str::to_owned);
        // The session middleware read the access along with the session, for this number.
        let preloaded = req
            .extensions_mut()
            .remove::<PreloadedAccess>()
            .filter(|p| Some(&p.employer_number) == number.as_ref());
        Box::pin(async move {
            let user = user?;
            let access = match preloaded {
                Some(preloaded) => preloaded.access,
                None => {
                    let state =
                        state.ok_or_else(|| AppError::Internal("no app state".to_owned()))?;
                    let number = number.ok_or(AppError::NotFound)?;
                    state
                        .store
                        .find_access(user.user_id, &number, Utc::now().date_naive())
                        .await?
                }
            };
            Ok(Tenant {
                user,
                access: access.ok_or(AppError::NotFound)?,
            })
        })
    }
}

/// A [`Tenant`] whose rights pass `allowed`; 403 otherwise (they may see the employer, not do
/// this).
fn tenant_allowed(
    req: &HttpRequest,
    payload: &mut Payload,
    allowed: fn(Rights) -> bool,
) -> LocalBoxFuture<'static, Result<Tenant, AppError>> {
    let tenant = Tenant::from_request(req, payload);
    Box::pin(async move {
        let tenant = tenant.await?;
        if allowed(tenant.access.rights) {
            Ok(tenant)
        } else {
            Err(AppError::Forbidden)
        }
    })
}

/// The current user's access to the employer in the path, as its master user.
pub struct MasterTenant(pub Tenant);

impl FromRequest for MasterTenant {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let tenant = tenant_allowed(req, payload, Rights::can_manage_users);
        Box::pin(async move { tenant.await.map(MasterTenant) })
    }
}

/// The current user's access to the employer in the path, when it may change data (input or
/// master).
pub struct ChangeTenant(pub Tenant);

impl FromRequest for ChangeTenant {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let tenant = tenant_allowed(req, payload, Rights::can_change);
        Box::pin(async move { tenant.await.map(ChangeTenant) })
    }
}

/// The employee with this id inside the tenant's scope; 404 for anyone else's.
pub async fn employee_in_scope(
    state: &AppState,
    tenant: &Tenant,
    id: i64,
) -> Result<EmployeeDetail, AppError> {
    state
        .store
        .find_employee(&tenant.access.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Context every logged-in page needs: language, user, CSRF token.
pub fn page_context(user: &SessionUser) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("lang", &user.language);
    context.insert("user_name", &user.display_name);
    context.insert("user_email", &user.email);
    context.insert("csrf_token", &user.csrf_token);
    context.insert("is_operator", &user.is_operator);
    context
}

pub fn tenant_context(tenant: &Tenant) -> tera::Context {
    let mut context = page_context(&tenant.user);
    context.insert("employer", &tenant.access.employer);
    context.insert("rights", &tenant.access.rights);
    context.insert("can_change", &tenant.access.rights.can_change());
    context.insert("is_master", &(tenant.access.rights == Rights::Master));
    context
}

fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub async fn employer_home(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let scope = &tenant.access.scope;
    let contact_points = state.store.list_contact_points(scope).await?;
    let contracts = state.store.list_contracts(scope).await?;
    let mut context = tenant_context(&tenant);
    context.insert("contact_points", &contact_points);
    context.insert("contracts", &contracts);
    Ok(html(render("employer_home.html", &context)?))
}

#[derive(Deserialize)]
pub struct ListParams {
    q: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    after: Option<i64>,
    before: Option<i64>,
    page: Option<u32>,
}

#[derive(Serialize)]
struct ListRowView {
    id: i64,
    name: String,
    national_number: String,
    employee_number: Option<String>,
    status: AffiliationStatus,
}

pub async fn list_employees(
    state: web::Data<AppState>,
    tenant: Tenant,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let q = params.q.unwrap_or_default();
    let status = match params.status.as_deref() {
        None | Some("") | Some("all") => StatusFilter::All,
        Some(s) => StatusFilter::Only(AffiliationStatus::from_db(s).ok_or(AppError::BadRequest)?),
    };
    let sort = match params.sort.as_deref() {
        None | Some("") | Some("name") => SortOrder::Name,
        Some("number") => SortOrder::Number,
        Some(_) => return Err(AppError::BadRequest),
    };
    let cursor = match (params.after, params.before) {
        (Some(id), _) => ListCursor::After(id),
        (None, Some(id)) => ListCursor::Before(id),
        (None, None) => ListCursor::First,
    };
    let page_number = params.page.unwrap_or(1).max(1);
    let query = EmployeeListQuery {
        search: classify(&q),
        status,
        sort,
        cursor,
    };
    let page = state
        .store
        .list_employees(&tenant.access.scope, &query)
        .await?;
    let rows: Vec<ListRowView> = page
        .rows
        .iter()
        .map(|r| ListRowView {
            id: r.id,
            name: format!("{}, {}", r.last_name, r.first_name),
            national_number: r.national_number.masked(),
            employee_number: r.employee_number.clone(),
            status: r.status,
        })
        .collect();
    let mut context = tenant_context(&tenant);
    context.insert("q", &q);
    context.insert(
        "status",
        match status {
            StatusFilter::All => "all",
            StatusFilter::Only(s) => s.as_str(),
        },
    );
    context.insert(
        "sort",
        match sort {
            SortOrder::Name => "name",
            SortOrder::Number => "number",
        },
    );
    context.insert("statuses", &["all", "active", "passive", "terminated"]);
    context.insert("page", &page_number);
    context.insert(
        "next_after",
        &page.rows.last().filter(|_| page.has_next).map(|r| r.id),
    );
    context.insert(
        "previous_before",
        &page
            .rows
            .first()
            .filter(|_| page.has_previous)
            .map(|r| r.id),
    );
    context.insert("rows", &rows);
    Ok(html(render("employees.html", &context)?))
}

pub async fn show_employee(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (_, employee_id) = path.into_inner();
    let employee = employee_in_scope(&state, &tenant, employee_id).await?;
    let history: Vec<serde_json::Value> = state
        .store
        .list_employee_history(&tenant.access.scope, employee_id)
        .await?
        .iter()
        .map(crate::history::history_line)
        .collect();
    let mut context = tenant_context(&tenant);
    context.insert("national_number", &employee.national_number.formatted());
    context.insert(
        "has_active",
        &employee.affiliations.iter().any(|a| a.end_date.is_none()),
    );
    context.insert("employee", &employee);
    context.insert("history", &history);
    Ok(html(render("employee.html", &context)?))
}
