//! Upload "Overzicht verzekerden": the form, the file (kept in the database with its action,
//! checked by a worker), and the decision on the preview: apply all, apply the valid rows,
//! or cancel. Only input and master users get here.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_domain::ActionKind;
use ebdesk_i18n::Message;
use ebdesk_sheets::{FileRejection, UploadLimits};
use ebdesk_store::NewUpload;
use serde::Deserialize;

use crate::shared::confirm::Confirmation;
use crate::shared::decisions::{OnAction, action_path, ask_on_action, back_to_action, refused};
use crate::shared::file_field::read_file_field;
use crate::shared::notice::Saved;
use crate::shared::{
    AppError, AppState, ChangeTenant, RouteExt, Tenant, html, render, see_other, tenant_context,
};
use ebdesk_app::uploads::apply_upload;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/uploads", upload_form)
        .post("/werkgevers/{employer}/uploads", receive_upload)
        .post(
            "/werkgevers/{employer}/uploads/invullijst-salarissen",
            receive_salary_upload,
        )
        .post("/werkgevers/{employer}/acties/{action}/toepassen", apply)
        .post("/werkgevers/{employer}/acties/{action}/annuleren", cancel);
}

/// The file field of the upload form.
const FILE_FIELD: &str = "bestand";

/// The year field of the salary list's upload form.
const YEAR_FIELD: &str = "jaar";

/// Which list a form uploads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Upload {
    InsuredOverview,
    SalaryList,
}

fn form_page(
    state: &AppState,
    tenant: &Tenant,
    error: Option<(Upload, Message)>,
) -> Result<HttpResponse, AppError> {
    let mut context = tenant_context(tenant);
    let lang = ebdesk_i18n::language(&tenant.user.language);
    let (years, this_year) = crate::shared::downloads::salary_years(state);
    context.insert("salary_years", &years);
    context.insert("salary_year", &this_year);
    let error_of = |kind| {
        error
            .as_ref()
            .filter(|(k, _)| *k == kind)
            .map(|(_, m)| m.render(&lang))
    };
    context.insert("upload_error", &error_of(Upload::InsuredOverview));
    context.insert("salary_upload_error", &error_of(Upload::SalaryList));
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, render("upload.html", &context)?))
}

pub async fn upload_form(
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
) -> Result<HttpResponse, AppError> {
    form_page(&state, &tenant, None)
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
    receive(&state, &tenant, multipart, Upload::InsuredOverview).await
}

/// The salary list of a year chosen in the form (this year by default), as the overview.
pub async fn receive_salary_upload(
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    receive(&state, &tenant, multipart, Upload::SalaryList).await
}

/// The year a salary list upload names: this year when the field is absent or blank.
fn salary_year(state: &AppState, field: Option<&str>) -> Option<i32> {
    let (years, this_year) = crate::shared::downloads::salary_years(state);
    match field.map(str::trim) {
        None | Some("") => Some(this_year),
        Some(text) => text.parse().ok().filter(|y| years.contains(y)),
    }
}

async fn receive(
    state: &AppState,
    tenant: &Tenant,
    multipart: Multipart,
    kind: Upload,
) -> Result<HttpResponse, AppError> {
    let limits = UploadLimits::default();
    let refuse = |m: Message| form_page(state, tenant, Some((kind, m)));
    let choose = || refuse(Message::new("upload-choose-file"));
    let received = read_file_field(multipart, FILE_FIELD, &[YEAR_FIELD], limits.max_file_bytes);
    let Some(received) = received.await? else {
        return choose();
    };
    let year = received.field(YEAR_FIELD).map(str::to_owned);
    let (name, bytes) = (received.name, received.bytes);
    let Some(bytes) = bytes else {
        let max_bytes = limits.max_file_bytes;
        return refuse(FileRejection::TooLarge { max_bytes }.message());
    };
    if name.is_empty() && bytes.is_empty() {
        return choose();
    }
    if let Some(refused) = quick_refusal(&name, &bytes) {
        return refuse(refused.message());
    }
    let (action_kind, payload) = match kind {
        Upload::InsuredOverview => (ActionKind::InsuredOverviewUpload, "{}".to_owned()),
        Upload::SalaryList => match salary_year(state, year.as_deref()) {
            Some(year) => (
                ActionKind::SalaryListUpload,
                format!(r#"{{"year":{year}}}"#),
            ),
            None => return refuse(Message::new("download-salary-year-error")),
        },
    };
    let file_name: String = match name.as_str() {
        "" => "upload.xlsx".to_owned(),
        name => name.chars().take(200).collect(),
    };
    let upload = NewUpload {
        kind: action_kind,
        payload: &payload,
        file_name: &file_name,
        content: &bytes,
    };
    let scope = tenant.access.scope();
    let id = state
        .store
        .create_upload_of(scope, &upload, state.now())
        .await?;
    state.jobs.wake();
    // The action's page says the file is being checked; no notice on top of it.
    Ok(see_other(&action_path(tenant, id)))
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
