//! Reading what happened: the employer's audit log for its master user, the whole log and
//! the e-mail outbox for the operator (with "send again" for a message that failed).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, TimeZone, Utc};
use ebdesk_store::{AuditEmployer, AuditEvent, AuditFilter, EmailStatus, OutboxFilter};
use serde::Deserialize;

use crate::shared::{
    AppError, AppState, MasterTenant, Operator, RouteExt, html, page_context, render, see_other,
    tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/auditlog", employer_log)
        .get("/beheer/auditlog", operator_log)
        .get("/beheer/outbox", outbox)
        .post("/beheer/outbox/{id}/opnieuw", retry_email);
}

/// Filters in the query string; anything unknown is a 400, not a silent "all".
#[derive(Deserialize)]
pub struct LogParams {
    event: Option<String>,
    /// dd/mm/jjjj or yyyy-mm-dd: entries from this day on.
    since: Option<String>,
    before: Option<i64>,
    employer: Option<String>,
}

fn filter(params: &LogParams) -> Result<AuditFilter, AppError> {
    let event = match params.event.as_deref().filter(|e| !e.is_empty()) {
        None => None,
        Some(text) => Some(AuditEvent::from_db(text).ok_or(AppError::BadRequest)?),
    };
    let since = match params.since.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
                .map_err(|_| AppError::BadRequest)?;
            let start = day.and_hms_opt(0, 0, 0).ok_or(AppError::BadRequest)?;
            Some(Utc.from_utc_datetime(&start))
        }
    };
    Ok(AuditFilter {
        event,
        since,
        before_id: params.before,
        limit: 100,
        ..AuditFilter::default()
    })
}

fn log_context(context: &mut tera::Context, params: &LogParams) {
    let events: Vec<&str> = AuditEvent::ALL.iter().map(|e| e.as_str()).collect();
    context.insert("events", &events);
    context.insert("event", params.event.as_deref().unwrap_or(""));
    context.insert("since", params.since.as_deref().unwrap_or(""));
    context.insert("filter_employer", params.employer.as_deref().unwrap_or(""));
}

pub async fn employer_log(
    state: web::Data<AppState>,
    tenant: MasterTenant,
    params: web::Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let page = state
        .store
        .list_audit(tenant.0.access.scope(), &filter(&params)?)
        .await?;
    let mut context = tenant_context(&tenant.0);
    log_context(&mut context, &params);
    context.insert("log", &page);
    context.insert(
        "base",
        &format!("/werkgevers/{}/auditlog", tenant.0.access.employer().number),
    );
    Ok(html(StatusCode::OK, render("audit_log.html", &context)?))
}

pub async fn operator_log(
    state: web::Data<AppState>,
    operator: Operator,
    params: web::Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let employer = match params.employer.as_deref().filter(|e| !e.is_empty()) {
        None => AuditEmployer::Any,
        Some("-") => AuditEmployer::WithoutEmployer,
        Some(number) => AuditEmployer::Employer(
            state
                .store
                .find_employer_id(number)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    };
    let page = state
        .store
        .list_audit_all(employer, &filter(&params)?)
        .await?;
    let mut context = page_context(&operator.0);
    log_context(&mut context, &params);
    context.insert("log", &page);
    context.insert("base", "/beheer/auditlog");
    context.insert("operator_view", &true);
    Ok(html(StatusCode::OK, render("audit_log.html", &context)?))
}

#[derive(Deserialize)]
pub struct OutboxParams {
    status: Option<String>,
    before: Option<i64>,
}

pub async fn outbox(
    state: web::Data<AppState>,
    operator: Operator,
    params: web::Query<OutboxParams>,
) -> Result<HttpResponse, AppError> {
    let status = match params.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("pending") => Some(EmailStatus::Pending),
        Some("sent") => Some(EmailStatus::Sent),
        Some("failed") => Some(EmailStatus::Failed),
        Some(_) => return Err(AppError::BadRequest),
    };
    let page = state
        .store
        .list_outbox(&OutboxFilter {
            status,
            before_id: params.before,
            limit: 100,
            ..OutboxFilter::default()
        })
        .await?;
    let mut context = page_context(&operator.0);
    context.insert("mails", &page);
    context.insert("status", params.status.as_deref().unwrap_or(""));
    Ok(html(StatusCode::OK, render("outbox.html", &context)?))
}

pub async fn retry_email(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    if !state
        .store
        .retry_email(path.into_inner(), state.now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/beheer/outbox"))
}
