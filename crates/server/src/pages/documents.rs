//! "Documenten": what the insurer published for the employer, by kind (Correspondentie,
//! Juridische documenten, Categorieën, Documenten premiebetaling) and year, newest first,
//! "nieuw" until the reader opened it, with a search on the title; the issued premium
//! statements are listed under Documenten premiebetaling with a link to their PDF. A
//! download is always an attachment, and always in the audit log. Consult right is enough.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_SECURITY_POLICY, HeaderValue, X_CONTENT_TYPE_OPTIONS};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Datelike, Utc};
use ebdesk_domain::DocumentKind;
use ebdesk_domain::search::normalize_name;
use ebdesk_i18n::Message;
use ebdesk_store::{DocumentEntry, ReminderDocument, StatementDocument};
use serde::{Deserialize, Serialize};

use crate::shared::local::{display_date, local_time};
use crate::shared::respond::attachment;
use crate::shared::{AppError, AppState, RouteExt, Tenant, actor, html, render, tenant_context};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/documenten", documents_page)
        .get("/werkgevers/{employer}/documenten/{document}", download);
}

/// The policy of a served document: a sandbox without scripts, origin or sources.
const SANDBOX: &str = "sandbox; default-src 'none'";

/// Longest search kept, in characters (a title has at most 150).
const MAX_SEARCH_CHARS: usize = 150;

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
}

#[derive(Serialize)]
struct DocumentView {
    title: String,
    href: String,
    date: String,
    contract: Option<String>,
    is_new: bool,
    /// "PDF", "XLSX", "DOCX".
    format: &'static str,
    #[serde(skip)]
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct YearView {
    year: String,
    documents: Vec<DocumentView>,
}

#[derive(Serialize)]
struct SectionView {
    kind: &'static str,
    years: Vec<YearView>,
}

/// The format a stored content type names, as the list shows it.
fn format_label(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        t if t.contains("spreadsheetml") => "XLSX",
        t if t.contains("wordprocessingml") => "DOCX",
        _ => "",
    }
}

fn document_view(number: &str, d: &DocumentEntry) -> DocumentView {
    DocumentView {
        title: d.title.clone(),
        href: format!("/werkgevers/{number}/documenten/{}", d.id),
        date: display_date(local_time(d.published_at).date()),
        contract: d.contract_number.clone(),
        is_new: !d.opened,
        format: format_label(&d.content_type),
        at: d.published_at,
    }
}

fn statement_view(number: &str, s: &StatementDocument, tenant: &Tenant) -> DocumentView {
    let lang = ebdesk_i18n::language(tenant.user.language.as_str());
    DocumentView {
        title: Message::new("documents-statement-title")
            .with("month", s.month.label())
            .render(&lang),
        href: format!("/werkgevers/{number}/premies/{}/pdf", s.month.key()),
        date: display_date(local_time(s.issued_at).date()),
        contract: None,
        is_new: false,
        format: "PDF",
        at: s.issued_at,
    }
}

/// A reminder: its statement's PDF says what is due and how to pay it.
fn reminder_view(number: &str, r: &ReminderDocument, tenant: &Tenant) -> DocumentView {
    let lang = ebdesk_i18n::language(tenant.user.language.as_str());
    DocumentView {
        title: Message::new("documents-reminder-title")
            .with("month", r.month.label())
            .with("contract", r.contract_number.as_str())
            .render(&lang),
        href: format!("/werkgevers/{number}/premies/{}/pdf", r.month.key()),
        date: display_date(local_time(r.reminded_at).date()),
        contract: Some(r.contract_number.clone()),
        is_new: false,
        format: "PDF",
        at: r.reminded_at,
    }
}

/// The documents of one kind, newest first, grouped by the year they were published.
fn section(kind: DocumentKind, mut documents: Vec<DocumentView>) -> SectionView {
    documents.sort_by_key(|d| std::cmp::Reverse(d.at));
    let mut years: Vec<YearView> = Vec::new();
    for document in documents {
        let year = local_time(document.at).year().to_string();
        match years.last_mut() {
            Some(last) if last.year == year => last.documents.push(document),
            _ => years.push(YearView {
                year,
                documents: vec![document],
            }),
        }
    }
    SectionView {
        kind: kind.as_str(),
        years,
    }
}

/// Every kind's section: the documents, and the statements among the payment documents
/// when their title matches the search.
fn sections(
    tenant: &Tenant,
    documents: &[DocumentEntry],
    (statements, reminders): (&[StatementDocument], &[ReminderDocument]),
    search: &str,
) -> Vec<SectionView> {
    let number = tenant.access.employer().number.as_str();
    let wanted = normalize_name(search);
    DocumentKind::ALL
        .into_iter()
        .map(|kind| {
            let mut views: Vec<DocumentView> = documents
                .iter()
                .filter(|d| d.kind == kind)
                .map(|d| document_view(number, d))
                .collect();
            if kind == DocumentKind::PremiumPayment {
                let payments = statements
                    .iter()
                    .map(|s| statement_view(number, s, tenant))
                    .chain(reminders.iter().map(|r| reminder_view(number, r, tenant)));
                views.extend(payments.filter(|v| normalize_name(&v.title).contains(&wanted)));
            }
            section(kind, views)
        })
        .collect()
}

pub async fn documents_page(
    state: web::Data<AppState>,
    tenant: Tenant,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let search: String = params
        .q
        .as_deref()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_SEARCH_CHARS)
        .collect();
    let scope = tenant.access.scope();
    let documents = state.store.list_documents(scope, &search).await?;
    let statements = state.store.list_statement_documents(scope).await?;
    let reminders = state.store.list_reminder_documents(scope).await?;
    let mut context = tenant_context(&tenant);
    context.insert("document_search", &search);
    let payments = (statements.as_slice(), reminders.as_slice());
    let sections = sections(&tenant, &documents, payments, &search);
    context.insert("document_sections", &sections);
    Ok(html(StatusCode::OK, render("documents.html", &context)?))
}

/// The document `{document}`, when the reader's sheet covers it (404 otherwise, the same
/// as a document that does not exist), as an attachment; recorded as opened and audited.
pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let id = path.1.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let actor = actor(&req, Some(tenant.user.user_id));
    let scope = tenant.access.scope();
    let file = state.store.open_document(scope, id, &actor, state.now());
    let file = file.await?.ok_or(AppError::NotFound)?;
    let mut response = attachment(&file.content_type, file.file_name, file.content);
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Should a browser show it after all, it runs nothing and reaches nothing of ours.
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(SANDBOX));
    Ok(response)
}
