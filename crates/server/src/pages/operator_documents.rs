//! The operator publishes documents for an employer ("Beheer" → an employer →
//! Documenten): a title, a kind, optionally one of the employer's contracts, and a PDF,
//! xlsx or docx file of at most 20 MB whose type is read from its bytes. A refused form
//! shows why at its field (422) and stores nothing. Every handler takes an [`Operator`].

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_domain::DocumentKind;
use ebdesk_domain::documents::check_title;
use ebdesk_i18n::Message;
use ebdesk_sheets::{DocumentFormat, DocumentRejection, MAX_DOCUMENT_BYTES, inspect_document};
use ebdesk_store::{Contract, DocumentEntry, Employer, NewDocument, StoreError};
use serde::Serialize;

use crate::shared::file_field::{ReceivedFile, read_file_field};
use crate::shared::local::{display_date, local_time};
use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::{AppError, AppState, Operator, RouteExt, actor, html, page_context, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/beheer/werkgevers/{number}/documenten", documents)
        .post("/beheer/werkgevers/{number}/documenten", publish);
}

const FILE_FIELD: &str = "bestand";
const TITLE_FIELD: &str = "titel";
const KIND_FIELD: &str = "soort";
const CONTRACT_FIELD: &str = "contract";

/// The publish form as typed (the file cannot be shown again) and its messages per field,
/// already in the operator's language.
#[derive(Serialize)]
struct PublishForm {
    values: HashMap<&'static str, String>,
    errors: HashMap<&'static str, String>,
}

impl Default for PublishForm {
    /// Every field empty (the template compares them, so each must be there).
    fn default() -> Self {
        PublishForm {
            values: [TITLE_FIELD, KIND_FIELD, CONTRACT_FIELD]
                .into_iter()
                .map(|name| (name, String::new()))
                .collect(),
            errors: HashMap::new(),
        }
    }
}

#[derive(Serialize)]
struct PublishedView {
    title: String,
    kind: &'static str,
    contract: Option<String>,
    file_name: String,
    date: String,
    /// Whole kilobytes, at least 1.
    kilobytes: i64,
}

fn published_view(d: &DocumentEntry) -> PublishedView {
    PublishedView {
        title: d.title.clone(),
        kind: d.kind.as_str(),
        contract: d.contract_number.clone(),
        file_name: d.file_name.clone(),
        date: display_date(local_time(d.published_at).date()),
        kilobytes: (d.byte_size / 1024).max(1),
    }
}

async fn page(
    state: &AppState,
    operator: &Operator,
    employer: &Employer,
    form: &PublishForm,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let store = &state.store;
    let mut context = page_context(&operator.0);
    context.insert("details", employer);
    context.insert(
        "contracts",
        &store.list_employer_contracts(employer.id).await?,
    );
    let documents = store.list_employer_documents(employer.id).await?;
    let views: Vec<PublishedView> = documents.iter().map(published_view).collect();
    context.insert("published_documents", &views);
    context.insert(
        "document_kinds",
        &DocumentKind::ALL.map(DocumentKind::as_str),
    );
    context.insert("publish_form", form);
    context.insert("max_document_mb", &(MAX_DOCUMENT_BYTES / (1024 * 1024)));
    notice.insert(&mut context);
    Ok(html(status, render("operator_documents.html", &context)?))
}

pub async fn documents(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let employer = state.employer_by_number(&path).await?;
    let form = PublishForm::default();
    page(&state, &operator, &employer, &form, StatusCode::OK, notice).await
}

/// The name the file is stored and served under: the title's letters, digits, spaces,
/// dots, dashes and underscores (anything else a dash), at most 80 characters, and the
/// extension of what the bytes are. The name it came with is not used.
fn stored_file_name(title: &str, format: DocumentFormat) -> String {
    let mut name = String::new();
    for c in title.chars().take(80) {
        let keep = c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.');
        name.push(if keep { c } else { '-' });
    }
    let name = name.trim_matches(|c: char| c == '.' || c == ' ' || c == '-');
    let name = if name.is_empty() { "document" } else { name };
    format!("{name}.{}", format.extension())
}

/// The document the form describes, or the form with a message at each refused field.
fn document_from(
    received: &ReceivedFile,
    contracts: &[Contract],
    lang: &ebdesk_i18n::LanguageIdentifier,
) -> Result<NewDocument, PublishForm> {
    let value = |name: &str| received.field(name).unwrap_or_default().to_owned();
    let mut errors: HashMap<&'static str, String> = HashMap::new();
    let mut refuse = |field: &'static str, message: Message| {
        errors.insert(field, message.render(lang));
    };
    let title = check_title(&value(TITLE_FIELD));
    let title = title
        .map_err(|e| refuse(TITLE_FIELD, Message::new(e.code())))
        .ok();
    let kind = DocumentKind::parse(&value(KIND_FIELD));
    if kind.is_none() {
        refuse(KIND_FIELD, Message::new("document-kind-unknown"));
    }
    let contract = match value(CONTRACT_FIELD).as_str() {
        "" => Some(None),
        id => contracts
            .iter()
            .find(|c| c.id.to_string() == id)
            .map(|c| Some(c.id)),
    };
    if contract.is_none() {
        refuse(CONTRACT_FIELD, Message::new("document-contract-unknown"));
    }
    let too_large = DocumentRejection::TooLarge {
        max_bytes: MAX_DOCUMENT_BYTES,
    };
    let bytes = received.bytes.as_deref().ok_or(too_large);
    let format = bytes.and_then(inspect_document);
    let format = format.map_err(|r| refuse(FILE_FIELD, r.message())).ok();
    match (title, kind, contract, format) {
        (Some(title), Some(kind), Some(contract_id), Some(format)) => Ok(NewDocument {
            contract_id,
            kind,
            file_name: stored_file_name(&title, format),
            title,
            content_type: format.content_type().to_owned(),
            content: received.bytes.clone().unwrap_or_default(),
        }),
        _ => Err(PublishForm {
            values: [TITLE_FIELD, KIND_FIELD, CONTRACT_FIELD]
                .into_iter()
                .map(|name| (name, value(name)))
                .collect(),
            errors,
        }),
    }
}

/// Publishes the document of the form, or shows the form again with why it was refused.
pub async fn publish(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let employer = state.employer_by_number(&path).await?;
    let short = [TITLE_FIELD, KIND_FIELD, CONTRACT_FIELD];
    let received = read_file_field(multipart, FILE_FIELD, &short, MAX_DOCUMENT_BYTES).await?;
    let received = received.ok_or(AppError::BadRequest)?;
    let contracts = state.store.list_employer_contracts(employer.id).await?;
    let lang = ebdesk_i18n::language(operator.0.language.as_str());
    let document = match document_from(&received, &contracts, &lang) {
        Ok(document) => document,
        Err(form) => return refused(&state, &operator, &employer, form).await,
    };
    let actor = actor(&req, Some(operator.0.user_id));
    let published = state
        .store
        .publish_document(employer.id, &document, &actor, state.now());
    match published.await {
        Ok(_) => {
            let to = format!("/beheer/werkgevers/{}/documenten", employer.number);
            Ok(see_other_saying(&to, Saved::DOCUMENT))
        }
        Err(StoreError::Refused(key)) => {
            let mut form = PublishForm::default();
            form.errors
                .insert(CONTRACT_FIELD, Message::new(key).render(&lang));
            refused(&state, &operator, &employer, form).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn refused(
    state: &AppState,
    operator: &Operator,
    employer: &Employer,
    form: PublishForm,
) -> Result<HttpResponse, AppError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(state, operator, employer, &form, status, Notice::default()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_name_comes_from_the_title_and_the_bytes_never_from_the_upload() {
        let pdf = DocumentFormat::Pdf;
        assert_eq!(stored_file_name("Brief 2026", pdf), "Brief 2026.pdf");
        assert_eq!(
            stored_file_name("Règlement \"x\"/../y", DocumentFormat::Docx),
            "Règlement -x--..-y.docx"
        );
        assert_eq!(stored_file_name("...", pdf), "document.pdf");
    }
}
