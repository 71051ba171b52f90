//! Upload "Overzicht verzekerden": the form, the file (kept in the database with its action,
//! checked by a worker), and the decision on the preview: apply all, apply the valid rows,
//! or cancel. Only input and master users get here.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_i18n::Message;
use ebdesk_sheets::{FileRejection, UploadLimits};
use serde::Deserialize;

use crate::shared::confirm::Confirmation;
use crate::shared::decisions::{OnAction, action_path, ask_on_action, back_to_action, refused};
use crate::shared::file_field::{ReceivedFile, read_file_field};
use crate::shared::notice::Saved;
use crate::shared::{
    AppError, AppState, ChangeTenant, RouteExt, Tenant, html, render, see_other, tenant_context,
};
use ebdesk_app::uploads::apply_upload;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/uploads", upload_form)
        .post("/werkgevers/{employer}/uploads", receive_upload)
        .post("/werkgevers/{employer}/acties/{action}/toepassen", apply)
        .post("/werkgevers/{employer}/acties/{action}/annuleren", cancel);
}

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

pub async fn receive_upload(
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let limits = UploadLimits::default();
    let choose = || form_page(&tenant, Some(Message::new("upload-choose-file")));
    let Some(ReceivedFile { name, bytes }) =
        read_file_field(multipart, FILE_FIELD, limits.max_file_bytes).await?
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
        .create_upload(tenant.access.scope(), &name, &bytes, state.now())
        .await?;
    state.jobs.wake();
    // The action's page says the file is being checked; no notice on top of it.
    Ok(see_other(&action_path(&tenant, id)))
}

#[derive(Deserialize)]
pub struct ApplyForm {
    /// "alles" (only without errors) or "geldige" (skip the rows with errors).
    keuze: String,
}
pub async fn apply(
    state: web::Data<AppState>,
    on: OnAction,
    form: web::Form<ApplyForm>,
) -> Result<HttpResponse, AppError> {
    let (scope, id) = (on.tenant.access.scope(), on.id);
    let applied = apply_upload(&state.store, scope, id, &form.keuze, &on.actor, state.now()).await;
    match applied {
        Ok(_) => back_to_action(&on.tenant, id, Ok(()), Saved::UPLOAD_APPLIED),
        Err(ebdesk_app::Error::Refused(key)) => refused(&on.tenant, id, key),
        Err(err) => Err(err.into()),
    }
}

pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    on: OnAction,
    confirmation: web::Form<Confirmation>,
) -> Result<HttpResponse, AppError> {
    if !confirmation.given() {
        let (action, text) = ("confirm-cancel-upload-action", "confirm-cancel-upload");
        return ask_on_action(&state, &on, action, text, req.path()).await;
    }
    let scope = on.tenant.access.scope();
    let cancelled = state
        .store
        .cancel_upload(scope, on.id, &on.actor, state.now())
        .await;
    back_to_action(&on.tenant, on.id, cancelled, Saved::UPLOAD_CANCELLED)
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
