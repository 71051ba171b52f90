//! "Overzicht acties": the list of an employer's downloads and changes, the detail of one,
//! its file, and the request of a download. Every handler goes through a [`Tenant`], so an
//! action outside the user's scope is a 404 like any other.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Months, Utc};
use ebdesk_app::statements::statement_action;
use ebdesk_domain::premium::Month;
use ebdesk_domain::{ActionKind, ActionStatus};
use ebdesk_i18n::{LanguageIdentifier, Message};
use ebdesk_store::{
    ActionDetail, ActionFilter, AuditEvent, FileLookup, NewAction, UploadPhase, UploadRecord,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::shared::decisions::refusal_named;
use crate::shared::downloads::{queue_download, render_downloads, statement_months};
use crate::shared::history::change_details;
use crate::shared::local::{display_date, start_of_today, today};
use crate::shared::notice::Notice;
use crate::shared::pager::{cursor, insert_pager};
use crate::shared::preview::PreviewView;
use crate::shared::respond::{page, stored_attachment};
use crate::shared::{AppError, AppState, RouteExt, Tenant, actor, html, render, tenant_context};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/acties", list_actions)
        .get("/werkgevers/{employer}/acties/{action}", show_action)
        .get("/werkgevers/{employer}/acties/{action}/bestand", fetch_file)
        .get("/werkgevers/{employer}/downloads", downloads_page)
        .post(
            "/werkgevers/{employer}/downloads/overzicht-verzekerden",
            request_insured_overview,
        )
        .post(
            "/werkgevers/{employer}/downloads/premiebordereel",
            request_statement,
        );
}

#[derive(Deserialize)]
pub struct ListParams {
    soort: Option<String>,
    status: Option<String>,
    /// "3m" (default) or "alles".
    periode: Option<String>,
    /// "namen" (default) or "nummers".
    weergave: Option<String>,
    after: Option<i64>,
    before: Option<i64>,
}

#[derive(Serialize)]
struct ActionView {
    id: i64,
    kind: &'static str,
    status: &'static str,
    is_final: bool,
    description: String,
    employee_name: Option<String>,
    employee_number: Option<String>,
    requested_at: String,
    status_at: String,
    processed_at: Option<String>,
    /// "Ingangsdatum": when a change takes effect.
    effective_date: Option<String>,
    error: Option<String>,
}

/// The Brussels date of a moment, as the pages show it.
fn date(at: DateTime<Utc>) -> String {
    display_date(today(at))
}

/// The row as the reader sees it; the description is stored as a message (or, from before
/// messages had keys, as text) and shown in the reader's language.
fn view(action: &ebdesk_store::Action, lang: &LanguageIdentifier) -> ActionView {
    ActionView {
        id: action.id,
        kind: action.kind.as_str(),
        status: action.status.as_str(),
        is_final: action.status.is_final(),
        description: Message::from_stored(&action.description).render(lang),
        employee_name: action
            .employee
            .as_ref()
            .map(|e| format!("{}, {}", e.last_name, e.first_name)),
        employee_number: action
            .employee
            .as_ref()
            .and_then(|e| e.employee_number.clone()),
        requested_at: date(action.requested_at),
        status_at: date(action.status_at),
        processed_at: action.processed_at.map(date),
        effective_date: action
            .effective_date
            .map(crate::shared::local::display_date),
        error: action.error.clone(),
    }
}

/// The list's filter as the query asks it; 400 for a value the page does not offer.
struct ListChoice {
    kind: Option<ActionKind>,
    status: Option<ActionStatus>,
    all_time: bool,
    by_number: bool,
}

impl ListParams {
    fn choice(&self) -> Result<ListChoice, AppError> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.is_empty())
        }
        let kind = match given(&self.soort) {
            None => None,
            Some(s) => Some(ActionKind::from_db(s).ok_or(AppError::BadRequest)?),
        };
        let status = match given(&self.status) {
            None => None,
            Some(s) => Some(ActionStatus::from_db(s).ok_or(AppError::BadRequest)?),
        };
        let all_time = match given(&self.periode) {
            None | Some("3m") => false,
            Some("alles") => true,
            Some(_) => return Err(AppError::BadRequest),
        };
        let by_number = match given(&self.weergave) {
            None | Some("namen") => false,
            Some("nummers") => true,
            Some(_) => return Err(AppError::BadRequest),
        };
        Ok(ListChoice {
            kind,
            status,
            all_time,
            by_number,
        })
    }
}

/// The filter's choices and what is chosen, for the form above the list.
fn insert_filter(context: &mut tera::Context, choice: &ListChoice) {
    let kinds: Vec<&str> = ActionKind::ALL.iter().map(|k| k.as_str()).collect();
    let statuses: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.as_str()).collect();
    context.insert("kinds", &kinds);
    context.insert("action_statuses", &statuses);
    context.insert("filter_kind", &choice.kind.map_or("", |k| k.as_str()));
    context.insert("filter_status", &choice.status.map_or("", |s| s.as_str()));
    context.insert("all_time", &choice.all_time);
    context.insert("by_number", &choice.by_number);
}

pub async fn list_actions(
    state: web::Data<AppState>,
    tenant: Tenant,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let choice = params.choice()?;
    let filter = ActionFilter {
        kind: choice.kind,
        status: choice.status,
        since: (!choice.all_time).then(|| now.checked_sub_months(Months::new(3)).unwrap_or(now)),
        cursor: cursor(params.after, params.before),
    };
    let page = state
        .store
        .list_actions(tenant.access.scope(), &filter)
        .await?;
    let lang = ebdesk_i18n::language(&tenant.user.language);
    let actions: Vec<ActionView> = page.rows.iter().map(|a| view(a, &lang)).collect();
    let mut context = tenant_context(&tenant);
    context.insert("live", &actions.iter().any(|a| !a.is_final));
    context.insert("actions", &actions);
    insert_filter(&mut context, &choice);
    insert_pager(&mut context, &page, |r| r.id);
    Ok(html(StatusCode::OK, render("actions.html", &context)?))
}

#[derive(Deserialize)]
pub struct DetailParams {
    /// Page of the preview lists.
    pagina: Option<usize>,
    /// Why the last decision was refused (one of `shared::decisions::REFUSALS`).
    geweigerd: Option<String>,
    /// Set when a download request landed on this pending one instead of queueing another.
    bestaand: Option<String>,
}

pub async fn show_action(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
    params: web::Query<DetailParams>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let (_, id) = path.into_inner();
    let scope = tenant.access.scope();
    let detail = state
        .store
        .find_action(scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let upload: Option<UploadRecord> = match detail.action.kind.is_upload() {
        true => state.store.find_upload(scope, id).await?,
        false => None,
    };
    let now = state.now();
    let lang = ebdesk_i18n::language(&tenant.user.language);
    let action = view(&detail.action, &lang);
    let mut context = tenant_context(&tenant);
    context.insert(
        "live",
        &(!action.is_final || upload.as_ref().is_some_and(is_busy)),
    );
    context.insert("requested_by_name", &detail.requested_by_name);
    context.insert("file", &file_view(&detail, now));
    insert_upload(&mut context, upload.as_ref(), &detail, &params, &tenant)?;
    insert_change(&mut context, &detail, &tenant, now);
    let refusal = params.geweigerd.as_deref().and_then(refusal_named);
    context.insert("refusal", &refusal);
    let already_requested = params.bestaand.is_some() && !action.is_final;
    context.insert("already_requested", &already_requested);
    context.insert("action", &action);
    notice.insert(&mut context);
    page(StatusCode::OK, "action.html", &context)
}

/// What a change action changed, and whether this reader may decide on it or withdraw it.
fn insert_change(
    context: &mut tera::Context,
    detail: &ActionDetail,
    tenant: &Tenant,
    now: DateTime<Utc>,
) {
    let payload: serde_json::Value = serde_json::from_str(&detail.payload).unwrap_or_default();
    context.insert("can_decide", &tenant.access.rights().can_change());
    context.insert("change", &change_details(detail.action.kind, &payload));
    context.insert("can_withdraw", &can_withdraw(detail, tenant, now));
    context.insert(
        "employee_id",
        &detail.action.employee.as_ref().map(|e| e.id),
    );
}

/// The action's file: its name, until when it is kept, and whether that has passed.
fn file_view(detail: &ActionDetail, now: DateTime<Utc>) -> Option<serde_json::Value> {
    detail.file.as_ref().map(|(name, expires)| {
        json!({ "name": name, "expires": date(*expires), "expired": *expires <= now })
    })
}

/// An upload still being read or checked: its page refreshes itself.
fn is_busy(upload: &UploadRecord) -> bool {
    matches!(
        upload.phase,
        UploadPhase::Waiting | UploadPhase::Reading | UploadPhase::Validating
    )
}

/// An upload's record, its preview (one page of each list) and why it was refused, in the
/// reader's language.
fn insert_upload(
    context: &mut tera::Context,
    upload: Option<&UploadRecord>,
    detail: &ActionDetail,
    params: &DetailParams,
    tenant: &Tenant,
) -> Result<(), AppError> {
    let lang = ebdesk_i18n::language(&tenant.user.language);
    let preview = match upload {
        Some(u) => PreviewView::of(u, params.pagina.unwrap_or(1), &lang)?,
        None => None,
    };
    // Stored as a message key, so it is shown in the reader's language.
    let rejection = upload
        .and_then(|u| u.rejection.as_deref())
        .map(|stored| ebdesk_i18n::Message::from_stored(stored).render(&lang));
    context.insert("rejection", &rejection);
    context.insert("upload", &upload);
    context.insert("preview", &preview);
    // The preview's words: addresses for the overview, salaries for the salary list.
    let salaries = detail.action.kind == ActionKind::SalaryListUpload;
    context.insert(
        "preview_words",
        if salaries {
            "preview-salary"
        } else {
            "preview"
        },
    );
    context.insert("salary_upload", &salaries);
    Ok(())
}

/// The author may withdraw an exit on the day they filed it (Brussels time).
fn can_withdraw(detail: &ActionDetail, tenant: &Tenant, now: DateTime<Utc>) -> bool {
    detail.action.kind == ActionKind::Exit
        && detail.action.status == ActionStatus::Processed
        && detail.action.requested_by == tenant.user.user_id
        && detail.action.requested_at >= start_of_today(now)
        && tenant.access.rights().can_change()
}

/// The action's file: the download, or an upload's workbook of errors. A download of
/// personal data is written in the audit log.
pub async fn fetch_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (_, id) = path.into_inner();
    let now = state.now();
    let scope = tenant.access.scope();
    let lookup = state
        .store
        .open_generated_file(scope, id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let file = match lookup {
        FileLookup::Available(file) => file,
        FileLookup::Expired { expired_at, .. } => {
            let mut context = tenant_context(&tenant);
            context.insert("expired_on", &date(expired_at));
            context.insert("action_id", &id);
            return page(StatusCode::GONE, "file_expired.html", &context);
        }
    };
    state
        .store
        .record_event(
            &actor(&req, Some(tenant.user.user_id)),
            Some(scope.employer_id()),
            AuditEvent::PersonalDataDownloaded,
            json!({ "action_id": id, "file": file.file_name }),
            now,
        )
        .await?;
    Ok(stored_attachment(state.store.clone(), file))
}

pub async fn downloads_page(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    render_downloads(&state, &tenant, StatusCode::OK, |_| {}).await
}

#[derive(Deserialize)]
pub struct StatementRequest {
    maand: String,
}

/// Queues "Premiebordereel" of the chosen month (issued first when it is due). A month
/// that is neither issued nor due is refused at the field.
pub async fn request_statement(
    state: web::Data<AppState>,
    tenant: Tenant,
    form: web::Form<StatementRequest>,
) -> Result<HttpResponse, AppError> {
    let chosen = Month::parse(form.maand.trim());
    let months = statement_months(&state, &tenant).await?;
    let Some(month) = chosen.filter(|m| months.contains(m)) else {
        let refused = StatusCode::UNPROCESSABLE_ENTITY;
        return render_downloads(&state, &tenant, refused, |c| {
            c.insert("statement_error", "statement-month-unknown");
        })
        .await;
    };
    let action = statement_action(month, tenant.user.language.as_str());
    queue_download(&state, &tenant, &action).await
}

/// Queues "Overzicht verzekerden" and shows its action, which updates itself until the
/// file is there.
pub async fn request_insured_overview(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let action = NewAction {
        kind: ActionKind::InsuredOverviewDownload,
        description: Message::new("action-description-requested")
            .with("date", display_date(state.today()))
            .to_stored(),
        employee_id: None,
        payload: json!({ "language": tenant.user.language }).to_string(),
        effective_date: None,
    };
    queue_download(&state, &tenant, &action).await
}
