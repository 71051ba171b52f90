//! "Nieuwe aansluiting": first the national number, then the rest. A person the employer
//! knows already is shown (when in the user's scope), not typed again, and gets a new
//! affiliation instead of a second employee.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use ebdesk_app::affiliations::{NewAffiliation, choose_contract, register_affiliation};
use ebdesk_domain::NationalNumber;
use ebdesk_domain::changes::{FieldErrors, check_affiliation_dates, parse_date, parse_person};
use ebdesk_domain::salary_list::{self, SalaryValues};
use ebdesk_store::{AffiliatePerson, ContractChoice, EmployeeDetail, PersonLookup};
use serde::Serialize;

use crate::shared::decisions::to_action;
use crate::shared::notice::Saved;
use crate::shared::{
    AppError, AppState, ChangeTenant, Fields, RouteExt, Tenant, actor, html, render, tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get(
        "/werkgevers/{employer}/aansluitingen/nieuw",
        new_affiliation_form,
    )
    .post("/werkgevers/{employer}/aansluitingen/nieuw", find_person)
    .post("/werkgevers/{employer}/aansluitingen", add_affiliation);
}

/// The form as shown: the step, what is known of the person, the values typed, the messages.
#[derive(Debug, Default, Serialize)]
struct AffiliationForm {
    /// "lookup" (only the national number) or "details".
    step: &'static str,
    /// "" (a new person), "in_scope" (shown) or "outside" (known, not shown).
    known: &'static str,
    values: std::collections::BTreeMap<&'static str, String>,
    errors: FieldErrors,
}

const FIELDS: [&str; 14] = [
    "national_number",
    "last_name",
    "first_name",
    "gender",
    "language",
    "birth_date",
    "employee_number",
    "business_email",
    "contract",
    "category",
    "employment_start",
    "affiliation_start",
    "annual_salary",
    "work_fraction",
];

impl AffiliationForm {
    /// The store's refusal at its field; the age rule of a person whose birth date the form
    /// does not show is said at the affiliation date.
    fn refused(&mut self, code: &'static str, shown: bool) {
        let field = match (code, shown || self.known == "outside") {
            ("affiliation-age-out-of-range", true) => "affiliation_start",
            _ => field_of(code),
        };
        self.errors.insert(field, code);
    }

    /// Step 2 after the lookup: a known person in the scope is shown; for an unknown one,
    /// what the number tells is filled in for the user to check.
    fn prefill<'a>(
        &mut self,
        number: &NationalNumber,
        lookup: &'a PersonLookup,
    ) -> Option<&'a EmployeeDetail> {
        match lookup {
            PersonLookup::Unknown => {
                if let Some(birth) = number.birth_date() {
                    let shown = birth.format("%d/%m/%Y").to_string();
                    self.values.insert("birth_date", shown);
                }
                if let Some(gender) = number.gender() {
                    self.values.insert("gender", gender.as_str().to_owned());
                }
                self.values.insert("language", "nl".to_owned());
                None
            }
            PersonLookup::InScope(detail) => {
                self.known = "in_scope";
                Some(detail.as_ref())
            }
            PersonLookup::OutsideScope { .. } => {
                self.known = "outside";
                None
            }
        }
    }

    fn from_fields(fields: &Fields, step: &'static str) -> Self {
        AffiliationForm {
            step,
            values: FIELDS.iter().map(|f| (*f, fields.get(f))).collect(),
            ..Default::default()
        }
    }
}

/// Which field a refusal of the store belongs at.
fn field_of(code: &str) -> &'static str {
    match code {
        "national-number-known" => "national_number",
        "employee-number-taken" => "employee_number",
        "category-not-of-contract" => "category",
        "contract-not-in-scope" => "contract",
        "affiliation-before-employment" => "affiliation_start",
        "affiliation-age-out-of-range" => "birth_date",
        code if code.starts_with("salary-fraction") => "work_fraction",
        code if code.starts_with("salary-") => "annual_salary",
        _ => "contract",
    }
}

async fn form_page(
    state: &AppState,
    tenant: &Tenant,
    form: &AffiliationForm,
    person: Option<&ebdesk_store::EmployeeDetail>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let scope = tenant.access.scope();
    let mut context = tenant_context(tenant);
    context.insert("form", form);
    let (contracts, categories) = state.store.list_contracts_and_categories(scope).await?;
    context.insert("contracts", &contracts);
    context.insert("categories", &categories);
    context.insert("known_person", &person);
    context.insert(
        "known_national_number",
        &person.map(|p| p.national_number.formatted()),
    );
    Ok(html(status, render("affiliation_form.html", &context)?))
}

pub async fn new_affiliation_form(
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
) -> Result<HttpResponse, AppError> {
    let form = AffiliationForm {
        step: "lookup",
        ..Default::default()
    };
    form_page(&state, &tenant, &form, None, StatusCode::OK).await
}

/// Step 1 → 2: looks the national number up and shows the rest of the form.
pub async fn find_person(
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::new(form.into_inner());
    let mut form = AffiliationForm::from_fields(&fields, "lookup");
    let number = match NationalNumber::parse(&fields.get("national_number")) {
        Ok(number) => number,
        Err(e) => {
            form.errors.insert("national_number", e.code());
            return form_page(
                &state,
                &tenant,
                &form,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    form.step = "details";
    form.values.insert("national_number", number.formatted());
    let lookup = state
        .store
        .find_person_by_national_number(tenant.access.scope(), &number)
        .await?;
    let person = form.prefill(&number, &lookup);
    form.values.insert("work_fraction", "1".to_owned());
    form_page(&state, &tenant, &form, person, StatusCode::OK).await
}

/// Step 2: checks every field and affiliates, then shows the processed action.
pub async fn add_affiliation(
    req: HttpRequest,
    state: web::Data<AppState>,
    ChangeTenant(tenant): ChangeTenant,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let fields = Fields::new(form.into_inner());
    let (store, scope) = (&state.store, tenant.access.scope());
    let mut form = AffiliationForm::from_fields(&fields, "details");
    let Some(number) = national_number(&fields, &mut form) else {
        return invalid(&state, &tenant, &form, None).await;
    };
    // What the employer knows is read again: the form's step 1 is no proof.
    let lookup = store.find_person_by_national_number(scope, &number).await?;
    let (person, birth_date, shown) = who(&lookup, &fields, &mut form, state.today());
    let choice = contract_choice(&state, &tenant, &fields, &mut form).await?;
    let terms = terms(&fields, &mut form, birth_date, shown.is_some());
    let (Some(person), Some(choice), Some((employment_start, affiliation_start, salary)), true) =
        (person, choice, terms, form.errors.is_empty())
    else {
        return invalid(&state, &tenant, &form, shown).await;
    };
    let affiliation = NewAffiliation {
        person,
        choice,
        employment_start,
        affiliation_start,
        salary,
    };
    let actor = actor(&req, Some(tenant.user.user_id));
    match register_affiliation(store, scope, affiliation, &actor, state.now()).await {
        Ok(done) => Ok(to_action(&tenant, done.action_id, Saved::AFFILIATION)),
        Err(ebdesk_app::Error::Refused(code)) => {
            form.refused(code, shown.is_some());
            invalid(&state, &tenant, &form, shown).await
        }
        Err(err) => Err(err.into()),
    }
}

/// The national number of step 1; when it does not read, the form goes back to that step.
fn national_number(fields: &Fields, form: &mut AffiliationForm) -> Option<NationalNumber> {
    NationalNumber::parse(&fields.get("national_number"))
        .map_err(|e| {
            form.step = "lookup";
            form.errors.insert("national_number", e.code());
        })
        .ok()
}

/// The form again, with its messages (422).
async fn invalid(
    state: &AppState,
    tenant: &Tenant,
    form: &AffiliationForm,
    person: Option<&EmployeeDetail>,
) -> Result<HttpResponse, AppError> {
    form_page(
        state,
        tenant,
        form,
        person,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Who is affiliated: a new person from the form's fields, or the employee the number
/// belongs to; with the birth date the date rules need and the employee to show, when in
/// the scope.
fn who<'a>(
    lookup: &'a PersonLookup,
    fields: &Fields,
    form: &mut AffiliationForm,
    today: NaiveDate,
) -> (
    Option<AffiliatePerson>,
    Option<NaiveDate>,
    Option<&'a EmployeeDetail>,
) {
    match lookup {
        PersonLookup::Unknown => match parse_person(&fields.person(""), today) {
            Ok(p) => {
                let birth = p.birth_date;
                (Some(AffiliatePerson::New(p)), Some(birth), None)
            }
            Err(errors) => {
                form.errors.extend(errors);
                // The date rules still speak, when the birth date at least is readable.
                (None, parse_date(&fields.get("birth_date")), None)
            }
        },
        PersonLookup::InScope(detail) => {
            form.known = "in_scope";
            let employee_id = detail.id;
            let existing = AffiliatePerson::Existing { employee_id };
            (
                Some(existing),
                Some(detail.birth_date),
                Some(detail.as_ref()),
            )
        }
        PersonLookup::OutsideScope { employee_id } => {
            form.known = "outside";
            let existing = AffiliatePerson::Existing {
                employee_id: *employee_id,
            };
            (Some(existing), None, None)
        }
    }
}

/// The contract and category chosen, when both are inside the scope and belong together.
async fn contract_choice(
    state: &AppState,
    tenant: &Tenant,
    fields: &Fields,
    form: &mut AffiliationForm,
) -> Result<Option<ContractChoice>, AppError> {
    let contract = fields.get("contract").parse::<i64>().ok();
    let category = fields.get("category").parse::<i64>().ok();
    let scope = tenant.access.scope();
    match choose_contract(&state.store, scope, contract, category).await {
        Ok(choice) => Ok(Some(choice)),
        Err(ebdesk_app::Error::Refused(code)) => {
            form.errors.insert(field_of(code), code);
            Ok(None)
        }
        Err(err) => Err(err.into()),
    }
}

/// The dates and the salary, each field read so that every mistake gets its message.
fn terms(
    fields: &Fields,
    form: &mut AffiliationForm,
    birth_date: Option<NaiveDate>,
    known: bool,
) -> Option<(NaiveDate, NaiveDate, SalaryValues)> {
    let dates = dates(fields, form, birth_date, known);
    let salary = salary(fields, form);
    let (employment, affiliation) = dates?;
    Some((employment, affiliation, salary?))
}

/// The pensionable annual salary and work fraction from the affiliation's start, with the
/// salary list's rules (an active affiliate earns more than 0).
fn salary(fields: &Fields, form: &mut AffiliationForm) -> Option<SalaryValues> {
    let annual = salary_list::parse_annual(&fields.get("annual_salary"))
        .and_then(|a| salary_list::check_annual(a, true));
    let fraction = salary_list::parse_fraction(&fields.get("work_fraction"));
    if let Err(e) = annual {
        form.errors.insert("annual_salary", e.code());
    }
    if let Err(e) = fraction {
        form.errors.insert("work_fraction", e.code());
    }
    Some(SalaryValues {
        annual: annual.ok()?,
        fraction: fraction.ok()?,
    })
}

/// The employment and affiliation dates, checked against each other and the birth date. A
/// known person's birth date is not on the form: its message goes at the start date.
fn dates(
    fields: &Fields,
    form: &mut AffiliationForm,
    birth_date: Option<NaiveDate>,
    known: bool,
) -> Option<(NaiveDate, NaiveDate)> {
    // Both are read first, so that each missing one gets its message.
    let employment = fields.date("employment_start", &mut form.errors);
    let affiliation = fields.date("affiliation_start", &mut form.errors);
    let (employment, affiliation) = (employment?, affiliation?);
    if let Some(birth) = birth_date
        && let Err((field, code)) = check_affiliation_dates(birth, employment, affiliation)
    {
        let field = if known { "affiliation_start" } else { field };
        form.errors.insert(field, code);
    }
    Some((employment, affiliation))
}
