//! The audit log page and its workbook, for the employer's master user (its own log) and
//! the operator (every log): filters on person, event and period from the query string,
//! entries in the reader's words. A filter that does not parse is said at its field.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use ebdesk_i18n::LanguageIdentifier;
use ebdesk_sheets::{AuditLogRow, XLSX_CONTENT_TYPE, audit_log_workbook_name, write_audit_log};
use ebdesk_store::{
    AuditEmployer, AuditEvent, AuditFilter, AuditPage, AuditRecord, MAX_AUDIT_PAGE, Scope, Store,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::words::{describe, event_name};
use crate::shared::local::{local_time, start_of};
use crate::shared::respond::attachment;
use crate::shared::{
    AppError, AppState, MasterTenant, Operator, SessionUser, actor, html, page_context, render,
    tenant_context,
};

/// Entries per page.
const PAGE: u32 = 100;
/// Entries in one workbook: the newest of the filter (the page says so).
pub const DOWNLOAD_CAP: usize = 10_000;

/// The filters as the form sends them; empty means "any".
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct LogParams {
    event: String,
    /// An e-mail address: the entries of that person.
    person: String,
    /// First day, dd/mm/yyyy or yyyy-mm-dd (Brussels days).
    since: String,
    /// Last day, included.
    until: String,
    /// The operator's filter: an employer's number, or "-" for entries of no employer.
    employer: String,
    #[serde(skip_serializing)]
    before: Option<i64>,
}

/// Field → catalogue key of what is wrong with it.
type FieldErrors = BTreeMap<&'static str, &'static str>;

/// Whose log is read.
enum Whose<'a> {
    Employer(&'a Scope),
    Operator(AuditEmployer),
}

impl Whose<'_> {
    async fn page(&self, store: &Store, filter: &AuditFilter) -> Result<AuditPage, AppError> {
        Ok(match self {
            Whose::Employer(scope) => store.list_audit(scope, filter).await?,
            Whose::Operator(employer) => store.list_audit_all(*employer, filter).await?,
        })
    }

    fn is_operator(&self) -> bool {
        matches!(self, Whose::Operator(_))
    }
}

fn day(text: &str, field: &'static str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"));
    parsed
        .map_err(|_| errors.insert(field, "audit-filter-date"))
        .ok()
}

/// The store's filter, or what is wrong with the form's.
fn filter(params: &LogParams) -> Result<AuditFilter, FieldErrors> {
    let mut errors = FieldErrors::new();
    let event = match params.event.as_str() {
        "" => None,
        code => AuditEvent::from_db(code).or_else(|| {
            errors.insert("event", "audit-filter-event");
            None
        }),
    };
    let since = day(&params.since, "since", &mut errors);
    let until = day(&params.until, "until", &mut errors);
    if let (Some(first), Some(last)) = (since, until)
        && last < first
    {
        errors.insert("until", "audit-filter-period");
    }
    let person = params.person.trim().to_lowercase();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(AuditFilter {
        event,
        user_email: (!person.is_empty()).then_some(person),
        since: since.map(start_of),
        until: until.and_then(|d| d.succ_opt()).map(start_of),
        before_id: params.before,
        limit: PAGE,
        ..AuditFilter::default()
    })
}

/// The operator's employer filter.
async fn operator_employer(
    store: &Store,
    params: &LogParams,
    errors: &mut FieldErrors,
) -> Result<AuditEmployer, AppError> {
    Ok(match params.employer.trim() {
        "" => AuditEmployer::Any,
        "-" => AuditEmployer::WithoutEmployer,
        number => match store.find_employer_id(number).await? {
            Some(id) => AuditEmployer::Employer(id),
            None => {
                errors.insert("employer", "audit-filter-employer");
                AuditEmployer::Any
            }
        },
    })
}

/// One entry in the reader's words.
fn in_words(entry: &AuditRecord, page: &AuditPage, lang: &LanguageIdentifier) -> AuditLogRow {
    AuditLogRow {
        at: local_time(entry.at),
        employer: entry.employer_number.clone(),
        who: entry.user_email.clone().unwrap_or_else(|| "—".to_owned()),
        event: event_name(entry.event, lang),
        details: describe(entry, &page.names, lang),
        ip: entry.ip.clone().unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct EntryView {
    at: String,
    employer: Option<String>,
    who: String,
    event: String,
    details: Vec<String>,
    ip: String,
}

impl From<AuditLogRow> for EntryView {
    fn from(row: AuditLogRow) -> Self {
        EntryView {
            at: row.at.format("%d/%m/%Y %H:%M:%S").to_string(),
            employer: row.employer,
            who: row.who,
            event: row.event,
            details: row.details,
            ip: row.ip,
        }
    }
}

/// The filter form's values, the events by name, and the query string of the filter.
fn filter_context(context: &mut tera::Context, params: &LogParams, lang: &LanguageIdentifier) {
    let events: Vec<(&str, String)> = AuditEvent::ALL
        .iter()
        .map(|e| (e.as_str(), event_name(*e, lang)))
        .collect();
    context.insert("events", &events);
    context.insert("params", params);
    context.insert(
        "query",
        &serde_urlencoded::to_string(params).unwrap_or_default(),
    );
    context.insert("download_cap", &DOWNLOAD_CAP);
}

/// Renders the log page of `whose` with `errors` found before reading.
async fn log_page(
    state: &AppState,
    whose: Whose<'_>,
    params: &LogParams,
    mut errors: FieldErrors,
    mut context: tera::Context,
    lang: &LanguageIdentifier,
) -> Result<HttpResponse, AppError> {
    filter_context(&mut context, params, lang);
    let read = filter(params).map_err(|found| errors.extend(found));
    let (status, entries, next) = match read {
        Ok(filter) if errors.is_empty() => {
            let page = whose.page(&state.store, &filter).await?;
            let rows = page.rows.iter().map(|e| in_words(e, &page, lang).into());
            (
                StatusCode::OK,
                rows.collect::<Vec<EntryView>>(),
                page.next_before,
            )
        }
        _ => (StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), None),
    };
    context.insert("entries", &entries);
    context.insert("next_before", &next);
    context.insert("errors", &errors);
    context.insert("operator_view", &whose.is_operator());
    Ok(html(status, render("audit_log.html", &context)?))
}

pub async fn employer_log(
    state: web::Data<AppState>,
    tenant: MasterTenant,
    params: web::Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let tenant = tenant.0;
    let lang = ebdesk_i18n::language(&tenant.user.language);
    let mut context = tenant_context(&tenant);
    let number = &tenant.access.employer().number;
    context.insert("base", &format!("/werkgevers/{number}/auditlog"));
    context.insert("people", &state.store.list_sheets(&tenant.access).await?);
    let whose = Whose::Employer(tenant.access.scope());
    log_page(&state, whose, &params, FieldErrors::new(), context, &lang).await
}

pub async fn operator_log(
    state: web::Data<AppState>,
    operator: Operator,
    params: web::Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let lang = ebdesk_i18n::language(&operator.0.language);
    let mut errors = FieldErrors::new();
    let employer = operator_employer(&state.store, &params, &mut errors).await?;
    let mut context = page_context(&operator.0);
    context.insert("base", "/beheer/auditlog");
    let whose = Whose::Operator(employer);
    log_page(&state, whose, &params, errors, context, &lang).await
}

/// The workbook of every entry of the filter, newest first, at most [`DOWNLOAD_CAP`]; the
/// download itself is logged.
async fn workbook(
    req: &HttpRequest,
    state: &AppState,
    whose: Whose<'_>,
    params: &LogParams,
    user: &SessionUser,
) -> Result<HttpResponse, AppError> {
    let lang = ebdesk_i18n::language(&user.language);
    // The page said what is wrong with a filter; a hand-made link gets no file.
    let mut filter = filter(params).map_err(|_| AppError::BadRequest)?;
    filter.limit = MAX_AUDIT_PAGE;
    let mut rows = Vec::new();
    loop {
        let page = whose.page(&state.store, &filter).await?;
        rows.extend(page.rows.iter().map(|e| in_words(e, &page, &lang)));
        match page.next_before {
            Some(before) if rows.len() < DOWNLOAD_CAP => filter.before_id = Some(before),
            _ => break,
        }
    }
    rows.truncate(DOWNLOAD_CAP);
    let content = write_audit_log(&rows, whose.is_operator(), &lang)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let file = audit_log_workbook_name(&lang);
    let employer_id = match whose {
        Whose::Employer(scope) => Some(scope.employer_id()),
        Whose::Operator(_) => None,
    };
    let details = json!({ "file": file, "entries": rows.len() });
    let event = AuditEvent::PersonalDataDownloaded;
    let who = actor(req, Some(user.user_id));
    let recorded = state
        .store
        .record_event(&who, employer_id, event, details, state.now());
    recorded.await?;
    Ok(attachment(XLSX_CONTENT_TYPE, file, content))
}

pub async fn employer_download(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: MasterTenant,
    params: web::Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let whose = Whose::Employer(tenant.0.access.scope());
    workbook(&req, &state, whose, &params, &tenant.0.user).await
}

pub async fn operator_download(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    params: web::Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::new();
    let employer = operator_employer(&state.store, &params, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::BadRequest);
    }
    workbook(
        &req,
        &state,
        Whose::Operator(employer),
        &params,
        &operator.0,
    )
    .await
}
