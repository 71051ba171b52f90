//! "Werknemers": the employee list and the employee page. Every handler takes a [`Tenant`],
//! which only exists for a user holding a valid sheet at the employer in the path; anyone
//! else gets 404, as if the employer did not exist.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use ebdesk_domain::AffiliationStatus;
use ebdesk_domain::search::classify;
use ebdesk_store::{EmployeeListQuery, EmployeeListRow, SortOrder, StatusFilter};
use serde::{Deserialize, Serialize};

use crate::shared::notice::Notice;
use crate::shared::pager::{cursor, insert_pager};
use crate::shared::{
    AppError, AppState, RouteExt, Tenant, employee_in_scope, html, render, tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/werknemers", list_employees)
        .get(
            "/werkgevers/{employer}/werknemers/{employee}",
            show_employee,
        );
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

impl ListParams {
    /// The store's query; 400 for a filter or sort order the page does not offer.
    fn query(&self) -> Result<EmployeeListQuery, AppError> {
        let status = match self.status.as_deref() {
            None | Some("") | Some("all") => StatusFilter::All,
            Some(s) => {
                StatusFilter::Only(AffiliationStatus::from_db(s).ok_or(AppError::BadRequest)?)
            }
        };
        let sort = match self.sort.as_deref() {
            None | Some("") | Some("name") => SortOrder::Name,
            Some("number") => SortOrder::Number,
            Some(_) => return Err(AppError::BadRequest),
        };
        Ok(EmployeeListQuery {
            search: classify(self.q.as_deref().unwrap_or_default()),
            status,
            sort,
            cursor: cursor(self.after, self.before),
        })
    }
}

impl ListRowView {
    fn of(row: &EmployeeListRow) -> Self {
        ListRowView {
            id: row.id,
            name: format!("{}, {}", row.last_name, row.first_name),
            national_number: row.national_number.masked(),
            employee_number: row.employee_number.clone(),
            status: row.status,
        }
    }
}

pub async fn list_employees(
    state: web::Data<AppState>,
    tenant: Tenant,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let query = params.query()?;
    let page = state
        .store
        .list_employees(tenant.access.scope(), &query)
        .await?;
    let rows: Vec<ListRowView> = page.rows.iter().map(ListRowView::of).collect();
    let mut context = tenant_context(&tenant);
    context.insert("q", params.q.as_deref().unwrap_or_default());
    context.insert(
        "status",
        match query.status {
            StatusFilter::All => "all",
            StatusFilter::Only(s) => s.as_str(),
        },
    );
    context.insert(
        "sort",
        match query.sort {
            SortOrder::Name => "name",
            SortOrder::Number => "number",
        },
    );
    context.insert("statuses", &["all", "active", "passive", "terminated"]);
    context.insert("page", &params.page.unwrap_or(1).max(1));
    insert_pager(&mut context, &page, |r| r.id);
    context.insert("rows", &rows);
    Ok(html(StatusCode::OK, render("employees.html", &context)?))
}

pub async fn show_employee(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let (_, employee_id) = path.into_inner();
    let employee = employee_in_scope(&state, &tenant, employee_id).await?;
    let history: Vec<serde_json::Value> = state
        .store
        .list_employee_history(tenant.access.scope(), employee_id)
        .await?
        .iter()
        .map(crate::shared::history::history_line)
        .collect();
    let mut context = tenant_context(&tenant);
    context.insert("national_number", &employee.national_number.formatted());
    context.insert(
        "has_active",
        &employee.affiliations.iter().any(|a| a.end_date.is_none()),
    );
    context.insert("employee", &employee);
    context.insert("history", &history);
    notice.insert(&mut context);
    Ok(html(StatusCode::OK, render("employee.html", &context)?))
}
