//! The downloads page and the request of a download, which several pages queue: the
//! overview, the salary list, the premium statement.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::Datelike;
use ebdesk_app::statements::may_issue;
use ebdesk_domain::premium::Month;
use ebdesk_domain::salary_list::allowed_years;
use ebdesk_store::{DownloadRequest, NewAction, PENDING_DOWNLOADS_PER_USER, StoreError};
use serde_json::json;

use crate::shared::decisions::action_path;
use crate::shared::{AppError, AppState, Tenant, render, see_other, tenant_context};

/// The years the salary list is offered for, and this year (chosen first).
pub fn salary_years(state: &AppState) -> (Vec<i32>, i32) {
    let today = state.today();
    (allowed_years(today).collect(), today.year())
}

/// The months whose statement can be asked for: those issued, and the current one from
/// its 15th (the request issues it), latest first.
pub async fn statement_months(state: &AppState, tenant: &Tenant) -> Result<Vec<Month>, AppError> {
    let employer_id = tenant.access.employer().id;
    let mut months = state.store.list_statement_months(employer_id).await?;
    let today = state.today();
    let current = Month::of(today);
    if may_issue(current, today, months.first().copied()) {
        months.insert(0, current);
    }
    Ok(months)
}

/// The downloads page at `status`, with what `insert` adds to its context (an error at a
/// field, the download limit).
pub async fn render_downloads(
    state: &AppState,
    tenant: &Tenant,
    status: StatusCode,
    insert: impl FnOnce(&mut tera::Context),
) -> Result<HttpResponse, AppError> {
    let months: Vec<serde_json::Value> = statement_months(state, tenant)
        .await?
        .into_iter()
        .map(|m| json!({ "key": m.key(), "label": m.label() }))
        .collect();
    let mut context = tenant_context(tenant);
    context.insert("statement_months", &months);
    let (years, this_year) = salary_years(state);
    context.insert("salary_years", &years);
    context.insert("salary_year", &this_year);
    insert(&mut context);
    Ok(crate::shared::html(
        status,
        render("downloads.html", &context)?,
    ))
}

/// Queues a download and shows its action. The same download still pending is shown
/// instead of queueing it again; a user with too many pending downloads is asked to wait
/// (429).
pub async fn queue_download(
    state: &AppState,
    tenant: &Tenant,
    action: &NewAction,
) -> Result<HttpResponse, AppError> {
    let number = &tenant.access.employer().number;
    match state
        .store
        .request_download(tenant.access.scope(), action, state.now())
        .await
    {
        Ok(DownloadRequest::Queued(id)) => {
            state.jobs.wake();
            Ok(see_other(&action_path(tenant, id)))
        }
        Ok(DownloadRequest::Pending(id)) => {
            // Queued elsewhere (the scheduler, another node): a worker here may take it now.
            state.jobs.wake();
            Ok(see_other(&format!(
                "/werkgevers/{number}/acties/{id}?bestaand=1"
            )))
        }
        Err(StoreError::Refused("download-limit")) => {
            render_downloads(state, tenant, StatusCode::TOO_MANY_REQUESTS, |c| {
                c.insert("download_limit", &PENDING_DOWNLOADS_PER_USER);
            })
            .await
        }
        Err(err) => Err(err.into()),
    }
}
