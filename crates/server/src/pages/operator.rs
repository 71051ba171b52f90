//! The operator console ("Beheer"): employers, their master user, and resetting anyone's
//! second factor. Every handler takes an [`Operator`]; others get 403.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_app::invite::{self, Invitee};
use ebdesk_app::notification_address::Requester;
use ebdesk_app::second_factor::{self, Reset};
use ebdesk_domain::{EmailAddress, KboNumber};
use ebdesk_store::{Employer, EmployerDetails, NewContract, NewEmployer, StoreError};
use serde::Serialize;

use crate::shared::contact_points::{check_name_field, contact_points_from};
use crate::shared::forms::{login_email, person_name};
use crate::shared::language::supported;
use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::notification::{self, NotificationForm};
use crate::shared::{AppError, AppState, Operator, RouteExt, actor, html, page_context, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/beheer", console)
        .get("/beheer/werkgevers/nieuw", new_employer_form)
        .post("/beheer/werkgevers", create_employer)
        .get("/beheer/werkgevers/{number}", show_employer)
        .post("/beheer/werkgevers/{number}/gegevens", update_employer)
        .post(
            "/beheer/werkgevers/{number}/notificatieadres",
            request_notification_address,
        )
        .post("/beheer/werkgevers/{number}/master", designate_master)
        .post("/beheer/werkgevers/{number}/contracten", add_contract)
        .post("/beheer/2fa-herstellen", reset_second_factor);
}

fn field(fields: &[(String, String)], key: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

async fn console_page(
    state: &AppState,
    operator: &Operator,
    message_key: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&operator.0);
    context.insert("employers", &state.store.list_employers().await?);
    context.insert("message_key", &message_key);
    Ok(html(status, render("operator.html", &context)?))
}

pub async fn console(
    state: web::Data<AppState>,
    operator: Operator,
) -> Result<HttpResponse, AppError> {
    console_page(&state, &operator, None, StatusCode::OK).await
}

#[derive(Clone, Default, Serialize)]
struct EmployerForm {
    values: HashMap<String, String>,
    errors: HashMap<&'static str, &'static str>,
}

const EMPLOYER_FIELDS: [&str; 19] = [
    "number",
    "name",
    "kbo",
    "street",
    "postal_code",
    "city",
    "notification_email",
    "contract_number",
    "contract_name",
    "categories",
    "administrative_name",
    "administrative_email",
    "administrative_phone",
    "commercial_name",
    "commercial_email",
    "commercial_phone",
    "claims_name",
    "claims_email",
    "claims_phone",
];

/// The contract fields of a form: number 530/NNNNNN, a name, categories separated by commas.
fn contract_from(
    value: &dyn Fn(&str) -> String,
    errors: &mut HashMap<&'static str, &'static str>,
) -> NewContract {
    if !is_number(&value("contract_number"), '/', 6..=6) {
        errors.insert("contract_number", "operator-contract-number-invalid");
    }
    if value("contract_name").is_empty() {
        errors.insert("contract_name", "operator-field-required");
    }
    check_name_field(&value("contract_name"), "contract_name", errors);
    let categories: Vec<String> = value("categories")
        .split(',')
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    for category in &categories {
        check_name_field(category, "categories", errors);
    }
    if categories.is_empty() {
        errors.insert("categories", "operator-categories-required");
    }
    NewContract {
        number: value("contract_number"),
        name: value("contract_name"),
        categories,
    }
}

fn employer_form_page(
    operator: &Operator,
    form: &EmployerForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&operator.0);
    context.insert("form", form);
    Ok(html(
        status,
        render("operator_employer_form.html", &context)?,
    ))
}

pub async fn new_employer_form(operator: Operator) -> Result<HttpResponse, AppError> {
    employer_form_page(&operator, &EmployerForm::default(), StatusCode::OK)
}

fn is_number(text: &str, separator: char, digits: std::ops::RangeInclusive<usize>) -> bool {
    text.split_once(separator).is_some_and(|(a, b)| {
        a.len() == 3
            && a.chars().all(|c| c.is_ascii_digit())
            && digits.contains(&b.len())
            && b.chars().all(|c| c.is_ascii_digit())
    })
}

pub async fn create_employer(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut form = EmployerForm::default();
    for key in EMPLOYER_FIELDS {
        form.values.insert(key.to_owned(), field(&fields, key));
    }
    let value = |key: &str| form.values.get(key).cloned().unwrap_or_default();
    let mut errors = HashMap::new();
    let employer = employer_from(&value, &mut errors);
    let contract = contract_from(&value, &mut errors);
    let contact_points = contact_points_from(&value, &mut errors);
    let (Some(employer), true) = (employer, errors.is_empty()) else {
        form.errors = errors;
        return employer_form_page(&operator, &form, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let actor = actor(&req, Some(operator.0.user_id));
    let store = &state.store;
    let created = store.create_employer(&employer, &contact_points, &contract, &actor, state.now());
    match created.await {
        Ok(_) => Ok(see_other_saying(
            &format!("/beheer/werkgevers/{}", employer.number),
            Saved::EMPLOYER,
        )),
        Err(StoreError::Refused(key)) => {
            // The employer's number or the contract's number is taken already.
            let at = match key.starts_with("contract") {
                true => "contract_number",
                false => "number",
            };
            form.errors.insert(at, key);
            employer_form_page(&operator, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => Err(err.into()),
    }
}

/// The employer's own fields, or their messages in `errors`.
fn employer_from(
    value: &dyn Fn(&str) -> String,
    errors: &mut HashMap<&'static str, &'static str>,
) -> Option<NewEmployer> {
    if !is_number(&value("number"), '-', 1..=6) {
        errors.insert("number", "operator-employer-number-invalid");
    }
    let details = details_from(value, errors);
    let notification = EmailAddress::parse(&value("notification_email"))
        .map_err(|e| errors.insert("notification_email", e.code()));
    let EmployerDetails {
        name,
        kbo_number,
        street,
        postal_code,
        city,
    } = details?;
    Some(NewEmployer {
        number: value("number"),
        name,
        kbo_number,
        street,
        postal_code,
        city,
        notification_email: notification.ok()?.as_str().to_owned(),
    })
}

/// The fields of an employer's data, as the create and the edit form name them.
const DETAIL_FIELDS: [&str; 5] = ["name", "kbo", "street", "postal_code", "city"];

/// The data of an employer (the create and the edit form check it alike), or the messages
/// in `errors`.
fn details_from(
    value: &dyn Fn(&str) -> String,
    errors: &mut HashMap<&'static str, &'static str>,
) -> Option<EmployerDetails> {
    for key in ["name", "street", "postal_code", "city"] {
        if value(key).is_empty() {
            errors.insert(key, "operator-field-required");
        }
    }
    check_name_field(&value("name"), "name", errors);
    let kbo = KboNumber::parse(&value("kbo")).map_err(|e| errors.insert("kbo", e.code()));
    Some(EmployerDetails {
        name: value("name"),
        kbo_number: kbo.ok()?.as_str().to_owned(),
        street: value("street"),
        postal_code: value("postal_code"),
        city: value("city"),
    })
}

/// The edit form filled with the employer's data as stored.
fn details_form(employer: &Employer) -> EmployerForm {
    let kbo = KboNumber::parse(&employer.kbo_number)
        .map_or_else(|_| employer.kbo_number.clone(), |k| k.formatted());
    let values = [
        ("name", employer.name.clone()),
        ("kbo", kbo),
        ("street", employer.street.clone()),
        ("postal_code", employer.postal_code.clone()),
        ("city", employer.city.clone()),
    ];
    EmployerForm {
        values: values.map(|(k, v)| (k.to_owned(), v)).into(),
        errors: HashMap::new(),
    }
}

/// The forms of the employer page, as typed when one was refused.
#[derive(Default)]
struct EmployerForms {
    /// The master and contract forms.
    form: EmployerForm,
    /// The employer's data; None: as stored.
    details: Option<EmployerForm>,
    notification: NotificationForm,
}

impl EmployerForms {
    fn with_form(form: EmployerForm) -> Self {
        EmployerForms {
            form,
            ..Default::default()
        }
    }
}

async fn employer_page(
    state: &AppState,
    operator: &Operator,
    number: &str,
    forms: &EmployerForms,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let store = &state.store;
    let employers = store.list_employers().await?;
    let summary = employers.into_iter().find(|e| e.number == number);
    let employer = store.find_employer(number).await?;
    let (Some(summary), Some(employer)) = (summary, employer) else {
        return Err(AppError::NotFound);
    };
    let mut context = page_context(&operator.0);
    context.insert(
        "contracts",
        &store.list_employer_contracts(employer.id).await?,
    );
    context.insert("summary", &summary);
    context.insert("form", &forms.form);
    let details = forms.details.clone();
    context.insert(
        "data_form",
        &details.unwrap_or_else(|| details_form(&employer)),
    );
    let pending = store.find_pending_notification_change_of(employer.id, state.now());
    let post_to = Some(format!("/beheer/werkgevers/{number}/notificatieadres"));
    notification::insert(&mut context, pending.await?, &forms.notification, post_to);
    context.insert("details", &employer);
    notice.insert(&mut context);
    Ok(html(status, render("operator_employer.html", &context)?))
}

/// The employer page again, with a refused form as typed and its messages (422).
async fn refused(
    state: &AppState,
    operator: &Operator,
    number: &str,
    forms: EmployerForms,
) -> Result<HttpResponse, AppError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    employer_page(state, operator, number, &forms, status, Notice::default()).await
}

pub async fn show_employer(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let forms = EmployerForms::default();
    employer_page(&state, &operator, &path, &forms, StatusCode::OK, notice).await
}

/// Changes the employer's data (not its number); refused at the fields, nothing changed.
pub async fn update_employer(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let store = &state.store;
    let employer_id = store.find_employer_id(&number).await?;
    let employer_id = employer_id.ok_or(AppError::NotFound)?;
    let mut form = EmployerForm::default();
    for key in DETAIL_FIELDS {
        form.values.insert(key.to_owned(), field(&fields, key));
    }
    let value = |key: &str| form.values.get(key).cloned().unwrap_or_default();
    let mut errors = HashMap::new();
    let details = details_from(&value, &mut errors);
    let (Some(details), true) = (details, errors.is_empty()) else {
        form.errors = errors;
        let forms = EmployerForms {
            details: Some(form),
            ..Default::default()
        };
        return refused(&state, &operator, &number, forms).await;
    };
    let actor = actor(&req, Some(operator.0.user_id));
    store
        .update_employer_details(employer_id, &details, &actor, state.now())
        .await?;
    let page = format!("/beheer/werkgevers/{number}");
    Ok(see_other_saying(&page, Saved::EMPLOYER_DATA))
}

/// The operator asks for a new notification address, as the master can (the same use case).
pub async fn request_notification_address(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let employer = state.store.find_employer(&number).await?;
    let employer = employer.ok_or(AppError::NotFound)?;
    let actor = actor(&req, Some(operator.0.user_id));
    let requester = Requester::Operator(&employer);
    let language = &operator.0.language;
    let asked = notification::request(&state, requester, fields.into_inner(), language, &actor);
    match asked.await? {
        Ok(()) => {
            let page = format!("/beheer/werkgevers/{number}");
            Ok(see_other_saying(&page, Saved::NOTIFICATION_REQUESTED))
        }
        Err(notification) => {
            let forms = EmployerForms {
                notification,
                ..Default::default()
            };
            refused(&state, &operator, &number, forms).await
        }
    }
}

/// The master form's name and login address, each checked at its field.
fn master_fields(
    fields: &[(String, String)],
    form: &mut EmployerForm,
) -> (String, Option<EmailAddress>) {
    let name = field(fields, "name");
    let email = field(fields, "email").to_lowercase();
    form.values.insert("name".to_owned(), name.clone());
    form.values.insert("email".to_owned(), email.clone());
    if let Err(code) = person_name(&name) {
        form.errors.insert("name", code);
    }
    let email = login_email(&email)
        .map_err(|code| form.errors.insert("email", code))
        .ok();
    (name, email)
}

/// Designates (or transfers) the master user, who gets an activation link or a notice.
pub async fn designate_master(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let employer = state
        .store
        .list_employers()
        .await?
        .into_iter()
        .find(|e| e.number == number)
        .ok_or(AppError::NotFound)?;
    let mut form = EmployerForm::default();
    let (name, email) = master_fields(&fields, &mut form);
    let (Some(email), true) = (email, form.errors.is_empty()) else {
        return refused(&state, &operator, &number, EmployerForms::with_form(form)).await;
    };
    let actor = actor(&req, Some(operator.0.user_id));
    let url = &state.settings.public_url;
    let now = state.now();
    // A new master reads the language the operator picks (the operator's own by default).
    let chosen = field(&fields, "language");
    let language = supported(&chosen).unwrap_or(&operator.0.language);
    let master = Invitee {
        email: &email,
        name: &name,
        language,
    };
    invite::designate_master(&state.store, &employer, master, url, &actor, now).await?;
    Ok(see_other_saying(
        &format!("/beheer/werkgevers/{number}"),
        Saved::MASTER,
    ))
}

/// Adds a contract (with its categories) to an existing employer.
pub async fn add_contract(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let number = path.into_inner();
    let employer_id = state
        .store
        .find_employer_id(&number)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut form = EmployerForm::default();
    for key in ["contract_number", "contract_name", "categories"] {
        form.values.insert(key.to_owned(), field(&fields, key));
    }
    let value = |key: &str| form.values.get(key).cloned().unwrap_or_default();
    let mut errors = HashMap::new();
    let contract = contract_from(&value, &mut errors);
    if errors.is_empty() {
        let actor = actor(&req, Some(operator.0.user_id));
        let added = (state.store).add_contract(employer_id, &contract, &actor, state.now());
        match added.await {
            Ok(()) => {
                let employer = format!("/beheer/werkgevers/{number}");
                return Ok(see_other_saying(&employer, Saved::CONTRACT));
            }
            Err(StoreError::Refused(key)) => errors.insert("contract_number", key),
            Err(err) => return Err(err.into()),
        };
    }
    form.errors = errors;
    refused(&state, &operator, &number, EmployerForms::with_form(form)).await
}

/// Resets the second factor (and lock) of the account with this e-mail.
pub async fn reset_second_factor(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let email = field(&fields, "email").to_lowercase();
    let Some(account) = state.store.find_account_by_email(&email).await? else {
        return console_page(
            &state,
            &operator,
            Some("operator-no-such-account"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = actor(&req, Some(operator.0.user_id));
    second_factor::reset_second_factor(
        &state.store,
        Reset::ByOperator(&account),
        &state.settings.public_url,
        &actor,
        state.now(),
    )
    .await?;
    console_page(
        &state,
        &operator,
        Some("operator-2fa-reset-done"),
        StatusCode::OK,
    )
    .await
}
