//! Reading what happened: the employer's audit log for its master user, the whole log and
//! the e-mail outbox for the operator (with "send again" for a message that failed). The log
//! reads in words ([`words`]) and downloads as a workbook with the same filters.

mod log;
mod words;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use ebdesk_store::{EmailStatus, OutboxFilter};
use serde::Deserialize;

use crate::shared::{
    AppError, AppState, Operator, RouteExt, html, page_context, render, see_other,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/auditlog", log::employer_log)
        .get(
            "/werkgevers/{employer}/auditlog/download",
            log::employer_download,
        )
        .get("/beheer/auditlog", log::operator_log)
        .get("/beheer/auditlog/download", log::operator_download)
        .get("/beheer/outbox", outbox)
        .post("/beheer/outbox/{id}/opnieuw", retry_email);
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
