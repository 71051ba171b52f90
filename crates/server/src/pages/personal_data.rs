//! "Wijziging persoonsgegevens": the form, a confirmation that shows each change before →
//! after, and the save, fenced by the version the user started from. When someone else saved
//! first, the form comes back with what they changed.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_domain::changes::{
    FieldChange, FieldErrors, Person, diff_person, parse_person, personal_data_warnings,
};
use ebdesk_store::{Actor, EmployeeDetail, PersonalDataOutcome, StoreError};
use serde::Serialize;

use crate::shared::history::{ChangeRow, change_rows};
use crate::shared::local::{display_date, today};
use crate::shared::notice::{Saved, see_other_saying};
use crate::shared::{
    AppError, AppState, EmployeeToChange, Fields, RouteExt, Tenant, actor, employee_in_scope, html,
    render, tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get(
        "/werkgevers/{employer}/werknemers/{employee}/wijzigen",
        change_form,
    )
    .post(
        "/werkgevers/{employer}/werknemers/{employee}/wijzigen",
        change_personal_data,
    );
}

/// The fields of the form, in its order.
pub const PERSON_FIELDS: [&str; 8] = [
    "last_name",
    "first_name",
    "gender",
    "language",
    "birth_date",
    "national_number",
    "employee_number",
    "business_email",
];

/// A person's values as the form holds them.
fn form_values(person: &Person) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("last_name", person.last_name.clone()),
        ("first_name", person.first_name.clone()),
        ("gender", person.gender.as_str().to_owned()),
        ("language", person.language.as_str().to_owned()),
        ("birth_date", display_date(person.birth_date)),
        ("national_number", person.national_number.formatted()),
        (
            "employee_number",
            person.employee_number.clone().unwrap_or_default(),
        ),
        (
            "business_email",
            person.business_email.clone().unwrap_or_default(),
        ),
    ])
}

#[derive(Debug, Default, Serialize)]
struct ChangeForm {
    values: BTreeMap<&'static str, String>,
    /// What the user started from (kept in hidden fields, to show what changed meanwhile).
    was: BTreeMap<&'static str, String>,
    version: i64,
    errors: FieldErrors,
    /// Saved by someone else since the user opened the form.
    meanwhile: Vec<ChangeRow>,
    notice: Option<&'static str>,
}

impl ChangeForm {
    fn from_fields(fields: &Fields) -> Self {
        ChangeForm {
            values: PERSON_FIELDS.iter().map(|f| (*f, fields.get(f))).collect(),
            was: PERSON_FIELDS
                .iter()
                .map(|f| (*f, fields.get(&format!("was_{f}"))))
                .collect(),
            version: fields.get("version").parse().unwrap_or(-1),
            ..Default::default()
        }
    }

    /// Starts again from the stored data, keeping what the user typed: the fields that
    /// someone else changed meanwhile are listed.
    fn rebase(&mut self, current: &EmployeeDetail) {
        let now = form_values(&current.person());
        self.meanwhile = PERSON_FIELDS
            .iter()
            .filter(|f| self.was.get(*f) != now.get(*f))
            .map(|f| ChangeRow {
                field: (*f).to_owned(),
                before: self.was.get(f).cloned().unwrap_or_default(),
                after: now.get(f).cloned().unwrap_or_default(),
            })
            .collect();
        self.was = now;
        self.version = current.version;
        self.notice = Some("personal-data-changed-meanwhile");
    }
}

fn form_page(
    tenant: &Tenant,
    employee: &EmployeeDetail,
    form: &ChangeForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = tenant_context(tenant);
    context.insert("form", form);
    context.insert("change_employee", employee);
    context.insert("person_fields", &PERSON_FIELDS);
    Ok(html(status, render("personal_data_form.html", &context)?))
}

pub async fn change_form(
    EmployeeToChange {
        tenant,
        employee: current,
    }: EmployeeToChange,
) -> Result<HttpResponse, AppError> {
    let values = form_values(&current.person());
    let form = ChangeForm {
        was: values.clone(),
        values,
        version: current.version,
        ..Default::default()
    };
    form_page(&tenant, &current, &form, StatusCode::OK)
}

/// `stap=controleren` shows the changes to confirm; `stap=bevestigen` saves them;
/// `stap=terug` goes back to the form with the values typed.
pub async fn change_personal_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    EmployeeToChange {
        tenant,
        employee: current,
    }: EmployeeToChange,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::new(form.into_inner());
    let mut form = ChangeForm::from_fields(&fields);
    let step = fields.get("stap");
    let after = match parse_person(&fields.person(""), state.today()) {
        Ok(after) if step != "terug" => after,
        Ok(_) => return form_page(&tenant, &current, &form, StatusCode::OK),
        Err(errors) => {
            form.errors = errors;
            return form_page(&tenant, &current, &form, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    if form.version != current.version {
        form.rebase(&current);
        return form_page(&tenant, &current, &form, StatusCode::CONFLICT);
    }
    let changes = diff_person(&current.person(), &after);
    if changes.is_empty() {
        form.notice = Some("personal-data-nothing-changed");
        return form_page(&tenant, &current, &form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match step.as_str() {
        "controleren" => confirm_page(&tenant, &current, &form, &after, &changes),
        "bevestigen" => {
            let actor = actor(&req, Some(tenant.user.user_id));
            save(&state, &tenant, current, form, &after, &changes, &actor).await
        }
        _ => Err(AppError::BadRequest),
    }
}

/// Each change before → after, with the warnings (a BIS number made definitive).
fn confirm_page(
    tenant: &Tenant,
    current: &EmployeeDetail,
    form: &ChangeForm,
    after: &Person,
    changes: &[FieldChange],
) -> Result<HttpResponse, AppError> {
    let mut context = tenant_context(tenant);
    context.insert("form", form);
    context.insert("change_employee", current);
    context.insert("person_fields", &PERSON_FIELDS);
    context.insert(
        "change_view",
        &serde_json::json!({
            "kind": "personal_data_change",
            "rows": change_rows(changes),
            "warnings": [],
        }),
    );
    context.insert(
        "warnings",
        &personal_data_warnings(&current.person(), after),
    );
    let body = render("personal_data_confirm.html", &context)?;
    Ok(html(StatusCode::OK, body))
}

/// The action's description, stored as a message so that each reader sees it in their
/// language (the fields themselves are in the action's payload).
fn describe(changes: &[FieldChange]) -> String {
    ebdesk_i18n::Message::new("action-description-personal-data")
        .with("count", changes.len())
        .to_stored()
}

/// Saves the change, fenced by the version the form started from: when someone else saved
/// first, the form comes back with what they changed.
async fn save(
    state: &AppState,
    tenant: &Tenant,
    current: EmployeeDetail,
    mut form: ChangeForm,
    after: &Person,
    changes: &[FieldChange],
    actor: &Actor,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let saved = state
        .store
        .change_personal_data(
            tenant.access.scope(),
            current.id,
            form.version,
            after,
            today(now),
            &describe(changes),
            actor,
            now,
        )
        .await;
    match saved {
        Ok(PersonalDataOutcome::Changed { .. } | PersonalDataOutcome::Unchanged) => {
            let number = &tenant.access.employer().number;
            let employee = format!("/werkgevers/{number}/werknemers/{}", current.id);
            Ok(see_other_saying(&employee, Saved::CHANGE))
        }
        Err(StoreError::Refused("employee-changed-meanwhile")) => {
            let current = employee_in_scope(state, tenant, current.id).await?;
            form.rebase(&current);
            form_page(tenant, &current, &form, StatusCode::CONFLICT)
        }
        Err(StoreError::Refused(code)) => {
            let field = match code {
                "national-number-taken" => "national_number",
                _ => "employee_number",
            };
            form.errors.insert(field, code);
            form_page(tenant, &current, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err) => Err(err.into()),
    }
}
