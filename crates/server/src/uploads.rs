//! Upload "Overzicht verzekerden": the form, the file (kept in the database with its action,
//! checked by a worker), and the decision on the preview: apply all, apply the valid rows,
//! or cancel. Only input and master users get here.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use ebdesk_i18n::{LanguageIdentifier, Message};
use ebdesk_sheets::{
    EmailChange, FileRejection, PreviewError, PreviewWarning, StoredPreview, StoredPreviewError,
    UploadLimits,
};
use ebdesk_store::UploadRecord;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::actions::{back_to_action, refused};
use crate::auth::{actor, html, see_other};
use crate::employer::{ChangeTenant, Tenant, tenant_context};
use crate::routes::RouteExt;
use crate::templates::render;
use crate::{AppError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/uploads", upload_form)
        .post("/werkgevers/{employer}/uploads", receive_upload)
        .post("/werkgevers/{employer}/acties/{action}/toepassen", apply)
        .post("/werkgevers/{employer}/acties/{action}/annuleren", cancel);
}

/// Rows per list on one page of the preview.
const PREVIEW_PAGE: usize = 50;

/// The file field of the upload form.
const FILE_FIELD: &str = "bestand";

fn form_page(tenant: &Tenant, error: Option<Message>) -> Result<HttpResponse, AppError> {
    let mut context = tenant_context(tenant);
    let lang = ebdesk_i18n::language(&tenant.user.language);
    context.insert("upload_error", &error.as_ref().map(|m| m.render(&lang)));
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, render("upload.html", &context)?))
}

pub async fn upload_form(ChangeTenant(tenant): ChangeTenant) -> Result<HttpResponse, AppError> {
    form_page(&tenant, None)
}

/// Why a received file is refused before it is stored: the cheap checks that need no parser.
/// (A file over the size limit is refused while it is received.)
fn quick_refusal(file_name: &str, bytes: &[u8]) -> Option<FileRejection> {
    let lower = file_name.to_lowercase();
    if bytes.is_empty() {
        Some(FileRejection::Empty)
    } else if lower.ends_with(".xls") {
        Some(FileRejection::OldExcelFormat)
    } else if lower.ends_with(".xlsm") {
        Some(FileRejection::Macros)
    } else if lower.ends_with(".ods") {
        Some(FileRejection::OpenDocument)
    } else if lower.ends_with(".xlsb") {
        Some(FileRejection::BinaryWorkbook)
    } else {
        None
    }
}

/// The file field as received: its name, and its bytes unless there were more than the limit.
struct ReceivedFile {
    name: String,
    bytes: Option<Vec<u8>>,
}

/// Reads the file field, stopping (without buffering the rest) past `max` bytes.
async fn read_file_field(
    mut multipart: Multipart,
    max: u64,
) -> Result<Option<ReceivedFile>, AppError> {
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| crate::response_policy::body_error(&e.into()))?;
        if field.name() != Some(FILE_FIELD) {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| crate::response_policy::body_error(&e.into()))?;
            if (bytes.len() + chunk.len()) as u64 > max {
                return Ok(Some(ReceivedFile { name, bytes: None }));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Some(ReceivedFile {
            name,
            bytes: Some(bytes),
        }));
    }
    Ok(None)
}

pub async fn receive_upload(
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let limits = UploadLimits::default();
    let choose = || form_page(&tenant, Some(Message::new("upload-choose-file")));
    let Some(ReceivedFile { name, bytes }) =
        read_file_field(multipart, limits.max_file_bytes).await?
    else {
        return choose();
    };
    let Some(bytes) = bytes else {
        let too_large = FileRejection::TooLarge {
            max_bytes: limits.max_file_bytes,
        };
        return form_page(&tenant, Some(too_large.message()));
    };
    if name.is_empty() && bytes.is_empty() {
        return choose();
    }
    if let Some(refused) = quick_refusal(&name, &bytes) {
        return form_page(&tenant, Some(refused.message()));
    }
    let name = if name.is_empty() {
        "upload.xlsx".to_owned()
    } else {
        name.chars().take(200).collect()
    };
    let id = state
        .store
        .create_upload(&tenant.access.scope, &name, &bytes, Utc::now())
        .await?;
    state.jobs.wake();
    Ok(see_other(&format!(
        "/werkgevers/{}/acties/{id}",
        tenant.access.employer.number
    )))
}

/// One line of the preview's list of changes.
#[derive(Serialize)]
struct ChangeView {
    kind: &'static str,
    #[serde(flatten)]
    change: EmailChange,
}

/// A row with an error, its reason in the reader's language.
#[derive(Serialize)]
struct ErrorView {
    row: u32,
    column: String,
    value: String,
    code: String,
    message: String,
}

impl ErrorView {
    fn of(e: PreviewError, lang: &LanguageIdentifier) -> Self {
        ErrorView {
            message: e.message.render(lang),
            row: e.row,
            column: e.column,
            value: e.value,
            code: e.code,
        }
    }
}

/// A warning, in the reader's language.
#[derive(Serialize)]
struct WarningView {
    row: u32,
    column: String,
    code: String,
    message: String,
}

impl WarningView {
    fn of(w: PreviewWarning, lang: &LanguageIdentifier) -> Self {
        WarningView {
            message: w.message.render(lang),
            row: w.row,
            column: w.column,
            code: w.code,
        }
    }
}

/// The preview as the detail page of an upload shows it: counts, and one page of each list.
#[derive(Serialize)]
pub struct PreviewView {
    new: usize,
    changed: usize,
    removed: usize,
    unchanged: usize,
    rows_read: usize,
    error_rows: usize,
    has_errors: bool,
    changes: Vec<ChangeView>,
    warnings: Vec<WarningView>,
    errors: Vec<ErrorView>,
    page: usize,
    pages: usize,
}

impl PreviewView {
    /// Reads only the summary and the lines of `page` of the stored preview, and renders
    /// their messages in `lang`.
    pub fn of(
        upload: &UploadRecord,
        page: usize,
        lang: &LanguageIdentifier,
    ) -> Result<Option<PreviewView>, AppError> {
        let Some(text) = upload.preview.as_deref() else {
            return Ok(None);
        };
        let preview = stored_preview(text)?;
        let s = preview.summary().clone();
        let longest = s.changes().max(s.warnings).max(s.errors);
        let pages = longest.div_ceil(PREVIEW_PAGE).max(1);
        let page = page.clamp(1, pages);
        let window = (page - 1) * PREVIEW_PAGE..page * PREVIEW_PAGE;
        let changes = preview
            .changes(window.clone())
            .map_err(stored_error)?
            .into_iter()
            .map(|(kind, change)| ChangeView {
                kind: kind.as_str(),
                change,
            })
            .collect();
        Ok(Some(PreviewView {
            new: s.new,
            changed: s.changed,
            removed: s.removed,
            unchanged: s.unchanged,
            rows_read: s.rows_read,
            error_rows: s.error_rows,
            has_errors: s.has_errors(),
            changes,
            warnings: preview
                .warnings(window.clone())
                .map_err(stored_error)?
                .into_iter()
                .map(|w| WarningView::of(w, lang))
                .collect(),
            errors: preview
                .errors(window)
                .map_err(stored_error)?
                .into_iter()
                .map(|e| ErrorView::of(e, lang))
                .collect(),
            page,
            pages,
        }))
    }
}

fn stored_error(e: StoredPreviewError) -> AppError {
    AppError::Internal(e.to_string())
}

fn stored_preview(text: &str) -> Result<StoredPreview<'_>, AppError> {
    StoredPreview::parse(text).map_err(stored_error)
}

#[derive(Deserialize)]
pub struct ApplyForm {
    /// "alles" (only without errors) or "geldige" (skip the rows with errors).
    keuze: String,
}
pub async fn apply(
    req: HttpRequest,
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    path: web::Path<(String, i64)>,
    form: web::Form<ApplyForm>,
) -> Result<HttpResponse, AppError> {
    let (_, id) = path.into_inner();
    let applied = ebdesk_app::uploads::apply_upload(
        &state.store,
        &tenant.access.scope,
        id,
        &form.keuze,
        &actor(&req, Some(tenant.user.user_id)),
        Utc::now(),
    )
    .await;
    match applied {
        Ok(_) => back_to_action(&tenant, id, Ok(())),
        Err(ebdesk_app::Error::Refused(key)) => refused(&tenant, id, key),
        Err(err) => Err(err.into()),
    }
}

pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (_, id) = path.into_inner();
    let cancelled = state
        .store
        .cancel_upload(
            &tenant.access.scope,
            id,
            &actor(&req, Some(tenant.user.user_id)),
            Utc::now(),
        )
        .await;
    back_to_action(&tenant, id, cancelled)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quick_checks_name_the_accepted_format() {
        let refused = quick_refusal("lijst.xls", b"x").unwrap();
        let message = refused.message().render(&ebdesk_i18n::default_language());
        assert!(message.contains(".xlsx"), "{message}");
        assert!(quick_refusal("lijst.xlsx", b"").is_some());
        assert!(quick_refusal("lijst.xlsx", b"PK").is_none());
    }
}
