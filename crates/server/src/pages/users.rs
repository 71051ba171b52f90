//! "Gebruikers": the master user's page of user sheets. Every handler takes a
//! [`MasterTenant`], so no one else reaches it (403), and another employer's sheet is 404.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use ebdesk_app::invite;
use ebdesk_app::second_factor::{Reset, reset_second_factor};
use ebdesk_domain::EmailAddress;
use ebdesk_domain::Rights;
use ebdesk_domain::changes::parse_date;
use ebdesk_store::{Actor, NewSheet, SheetSettings, StoreError};
use serde::Serialize;

use crate::shared::confirm::{Confirmation, Question, confirm_page};
use crate::shared::forms::{login_email, person_name};
use crate::shared::language::supported;
use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::{
    AppError, AppState, MasterTenant, RouteExt, actor, html, render, tenant_context,
};

// The one-button actions on a person of "Gebruikers"; one handler tells them apart by route.
const REVOKE: &str = "/werkgevers/{employer}/gebruikers/{sheet}/intrekken";
const RESEND_INVITATION: &str = "/werkgevers/{employer}/gebruikers/{sheet}/uitnodiging";
const RESET_SECOND_FACTOR: &str = "/werkgevers/{employer}/gebruikers/{sheet}/2fa-herstellen";
const WITHDRAW_INVITATION: &str =
    "/werkgevers/{employer}/gebruikers/uitnodigingen/{invitation}/intrekken";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/gebruikers", list_users)
        .post("/werkgevers/{employer}/gebruikers", add_user)
        .get("/werkgevers/{employer}/gebruikers/nieuw", add_user_form)
        .get(
            "/werkgevers/{employer}/gebruikers/{sheet}",
            change_user_form,
        )
        .post("/werkgevers/{employer}/gebruikers/{sheet}", change_user)
        .post(REVOKE, sheet_button)
        .post(RESEND_INVITATION, sheet_button)
        .post(RESET_SECOND_FACTOR, sheet_button)
        .post(WITHDRAW_INVITATION, sheet_button);
}

/// What the form shows: the values as typed, and a message per field.
#[derive(Debug, Default, Serialize)]
struct FormView {
    name: String,
    email: String,
    /// The language of a new account (the form offers the catalogs' languages).
    language: String,
    rights: String,
    scope: String,
    contracts: Vec<i64>,
    external: bool,
    valid_until: String,
    errors: HashMap<&'static str, &'static str>,
}

fn parse_form(fields: &[(String, String)]) -> FormView {
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    FormView {
        name: get("name"),
        email: get("email").to_lowercase(),
        language: get("language"),
        rights: get("rights"),
        scope: get("scope"),
        contracts: fields
            .iter()
            .filter(|(k, _)| k == "contract")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        external: get("external") == "on",
        valid_until: get("valid_until"),
        errors: HashMap::new(),
    }
}

/// Checks rights, scope and end date; fills `form.errors`.
fn settings(
    form: &mut FormView,
    employer_contracts: &[i64],
    today: NaiveDate,
) -> Option<SheetSettings> {
    let rights = match form.rights.as_str() {
        "consult" => Some(Rights::Consult),
        "input" => Some(Rights::Input),
        _ => {
            form.errors.insert("rights", "user-rights-required");
            None
        }
    };
    let contracts = match form.scope.as_str() {
        "all" => Some(None),
        "some" if form.contracts.is_empty() => {
            form.errors.insert("scope", "user-scope-empty");
            None
        }
        "some"
            if form
                .contracts
                .iter()
                .all(|c| employer_contracts.contains(c)) =>
        {
            Some(Some(form.contracts.clone()))
        }
        _ => {
            form.errors.insert("scope", "user-scope-required");
            None
        }
    };
    let valid_until = if form.valid_until.is_empty() {
        Some(None)
    } else {
        match parse_date(&form.valid_until) {
            Some(date) if date >= today => Some(Some(date)),
            Some(_) => {
                form.errors.insert("valid_until", "user-end-date-past");
                None
            }
            None => {
                form.errors.insert("valid_until", "user-end-date-invalid");
                None
            }
        }
    };
    Some(SheetSettings {
        rights: rights?,
        contracts: contracts?,
        external: form.external,
        valid_until: valid_until?,
    })
}

async fn form_page(
    state: &AppState,
    tenant: &MasterTenant,
    form: &FormView,
    sheet_id: Option<i64>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = tenant_context(&tenant.0);
    context.insert("form", form);
    context.insert("sheet_id", &sheet_id);
    context.insert(
        "contracts",
        &state.store.list_contracts(tenant.0.access.scope()).await?,
    );
    Ok(html(status, render("user_form.html", &context)?))
}

/// The list page, with a message when an action was refused.
async fn list_page(
    state: &AppState,
    tenant: &MasterTenant,
    error_key: Option<&str>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let today = state.now().date_naive();
    let sheets: Vec<serde_json::Value> = state
        .store
        .list_sheets(&tenant.0.access)
        .await?
        .into_iter()
        .map(|sheet| {
            let expired = sheet.valid_until.is_some_and(|d| d < today);
            let mut view = serde_json::to_value(&sheet).unwrap_or_default();
            view["expired"] = serde_json::Value::Bool(expired);
            view
        })
        .collect();
    let invitations = state.store.list_sent_invitations(&tenant.0.access).await?;
    let mut context = tenant_context(&tenant.0);
    context.insert("sheets", &sheets);
    context.insert("invitations", &invitations);
    context.insert("error_key", &error_key);
    notice.insert(&mut context);
    let status = if error_key.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(status, render("users.html", &context)?))
}

pub async fn list_users(
    state: web::Data<AppState>,
    tenant: MasterTenant,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    list_page(&state, &tenant, None, notice).await
}

pub async fn add_user_form(
    state: web::Data<AppState>,
    tenant: MasterTenant,
) -> Result<HttpResponse, AppError> {
    let form = FormView {
        // Colleagues mostly read what their master reads.
        language: tenant.0.user.language.clone(),
        rights: "consult".to_owned(),
        scope: "all".to_owned(),
        ..FormView::default()
    };
    form_page(&state, &tenant, &form, None, StatusCode::OK).await
}

pub async fn add_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: MasterTenant,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut form = parse_form(&fields);
    if let Err(code) = person_name(&form.name) {
        form.errors.insert("name", code);
    }
    let email = login_email(&form.email)
        .map_err(|code| form.errors.insert("email", code))
        .ok();
    let contracts = state.store.list_contract_ids(&tenant.0.access).await?;
    let settings = settings(&mut form, &contracts, state.now().date_naive());
    let (Some(email), Some(settings), true) = (email, settings, form.errors.is_empty()) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return form_page(&state, &tenant, &form, None, status).await;
    };
    let sheet = new_sheet(&form, &email, settings, &tenant);
    let (actor, url) = (
        actor(&req, Some(tenant.0.user.user_id)),
        &state.settings.public_url,
    );
    let access = &tenant.0.access;
    match invite::add_colleague(&state.store, access, &sheet, url, &actor, state.now()).await {
        Ok(_) => Ok(see_other_saying(&users_page(&tenant), Saved::USER_ADDED)),
        Err(ebdesk_app::Error::Refused(key)) => {
            form.errors.insert("email", key);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            form_page(&state, &tenant, &form, None, status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// The person to add, in the language the form chose: only a catalogue's language, anything
/// else (a forged form) is the master's own.
fn new_sheet(
    form: &FormView,
    email: &EmailAddress,
    settings: SheetSettings,
    tenant: &MasterTenant,
) -> NewSheet {
    let language = supported(&form.language).unwrap_or(&tenant.0.user.language);
    NewSheet {
        email: email.as_str().to_owned(),
        display_name: form.name.clone(),
        language: language.to_owned(),
        settings,
    }
}

async fn sheet_of(
    state: &AppState,
    tenant: &MasterTenant,
    sheet_id: i64,
) -> Result<ebdesk_store::SheetRow, AppError> {
    state
        .store
        .find_sheet(&tenant.0.access, sheet_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn change_user_form(
    state: web::Data<AppState>,
    tenant: MasterTenant,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let sheet = sheet_of(&state, &tenant, path.1).await?;
    let form = FormView {
        name: sheet.display_name,
        email: sheet.email,
        language: sheet.language,
        rights: sheet.rights.as_str().to_owned(),
        scope: if sheet.all_contracts { "all" } else { "some" }.to_owned(),
        contracts: sheet.contract_ids,
        external: sheet.external,
        valid_until: sheet.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        errors: HashMap::new(),
    };
    form_page(&state, &tenant, &form, Some(path.1), StatusCode::OK).await
}

pub async fn change_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: MasterTenant,
    path: web::Path<(String, i64)>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let sheet = sheet_of(&state, &tenant, path.1).await?;
    let mut form = parse_form(&fields);
    form.name = sheet.display_name;
    form.email = sheet.email;
    let contracts = state.store.list_contract_ids(&tenant.0.access).await?;
    let settings = settings(&mut form, &contracts, state.now().date_naive());
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let (Some(settings), true) = (settings, form.errors.is_empty()) else {
        return form_page(&state, &tenant, &form, Some(path.1), status).await;
    };
    let actor = actor(&req, Some(tenant.0.user.user_id));
    let access = &tenant.0.access;
    let updated = (state.store).update_sheet(access, path.1, &settings, &actor, state.now());
    match updated.await {
        Ok(()) => Ok(see_other_saying(&users_page(&tenant), Saved::USER)),
        Err(StoreError::Refused(key)) => {
            form.errors.insert("rights", key);
            form_page(&state, &tenant, &form, Some(path.1), status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// "Gebruikers" of the tenant's employer.
fn users_page(tenant: &MasterTenant) -> String {
    format!(
        "/werkgevers/{}/gebruikers",
        tenant.0.access.employer().number
    )
}

/// Runs a one-button action on a sheet and goes back to the list (or says why not).
async fn sheet_action(
    state: &AppState,
    tenant: &MasterTenant,
    result: Result<(), ebdesk_app::Error>,
    saved: Saved,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(()) => Ok(see_other_saying(&users_page(tenant), saved)),
        Err(ebdesk_app::Error::Refused(key)) => {
            list_page(state, tenant, Some(key), Notice::default()).await
        }
        Err(err) => Err(err.into()),
    }
}

/// The confirmation page of a button that takes something away, naming the person; 404 for
/// a sheet or invitation this master does not see.
async fn ask(
    state: &AppState,
    tenant: &MasterTenant,
    pattern: Option<&str>,
    id: i64,
    post_to: &str,
) -> Result<HttpResponse, AppError> {
    let access = &tenant.0.access;
    let (action_key, text_key, name) = if pattern == Some(WITHDRAW_INVITATION) {
        let invitation = state
            .store
            .list_sent_invitations(access)
            .await?
            .into_iter()
            .find(|i| i.invitation_id == id)
            .ok_or(AppError::NotFound)?;
        let text = "confirm-withdraw-invitation";
        ("users-invitation-withdraw", text, invitation.display_name)
    } else {
        let sheet = sheet_of(state, tenant, id).await?;
        let (action, text) = match (pattern, sheet.invited, sheet.locked) {
            (Some(REVOKE), true, _) => ("users-withdraw", "confirm-withdraw-invitation"),
            (Some(REVOKE), false, _) => ("users-revoke", "confirm-revoke"),
            (_, _, true) => ("users-unlock", "confirm-unlock"),
            _ => ("users-reset-2fa", "confirm-reset-2fa"),
        };
        (action, text, sheet.display_name)
    };
    let back_to = users_page(tenant);
    let question = Question {
        action_key,
        text_key,
        name: &name,
        post_to,
        back_to: &back_to,
    };
    confirm_page(tenant_context(&tenant.0), &question)
}

/// Carries out the button of `pattern` on sheet or invitation `id`, and what it saved.
async fn press(
    state: &AppState,
    tenant: &MasterTenant,
    pattern: Option<&str>,
    id: i64,
    actor: &Actor,
) -> Result<(Result<(), ebdesk_app::Error>, Saved), AppError> {
    let (store, access) = (&state.store, &tenant.0.access);
    let (url, now) = (&state.settings.public_url, state.now());
    Ok(match pattern {
        Some(REVOKE) => {
            let revoked = store.revoke_sheet(access, id, actor, now).await;
            (revoked.map_err(Into::into), Saved::ACCESS_REVOKED)
        }
        Some(RESEND_INVITATION) => {
            let sent = invite::resend_invitation(store, access, id, url, actor, now).await;
            (sent, Saved::INVITATION_RESENT)
        }
        Some(RESET_SECOND_FACTOR) => {
            let reset = Reset::ByMaster {
                access,
                sheet_id: id,
            };
            let done = reset_second_factor(store, reset, url, actor, now).await;
            (done, Saved::SECOND_FACTOR_RESET)
        }
        Some(WITHDRAW_INVITATION) => {
            let withdrawn = store.withdraw_sent_invitation(access, id, actor, now).await;
            (withdrawn.map_err(Into::into), Saved::INVITATION_WITHDRAWN)
        }
        _ => return Err(AppError::NotFound),
    })
}

/// "Toegang intrekken", "Uitnodiging opnieuw sturen", "2FA herstellen" and withdrawing an
/// unanswered invitation of an existing account: each one use case on one id of the path.
pub async fn sheet_button(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: MasterTenant,
    path: web::Path<(String, i64)>,
    confirmation: web::Form<Confirmation>,
) -> Result<HttpResponse, AppError> {
    let pattern = req.match_pattern();
    let id = path.1;
    if pattern.as_deref() != Some(RESEND_INVITATION) && !confirmation.given() {
        return ask(&state, &tenant, pattern.as_deref(), id, req.path()).await;
    }
    let actor = actor(&req, Some(tenant.0.user.user_id));
    let (result, saved) = press(&state, &tenant, pattern.as_deref(), id, &actor).await?;
    sheet_action(&state, &tenant, result, saved).await
}
