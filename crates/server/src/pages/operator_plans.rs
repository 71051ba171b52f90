//! The operator keeps an employer's plan ("Beheer" → an employer → Categorieën en regels):
//! the categories of each contract with their rules, a form to add a category and one to
//! add a rule from a date. A rule dated in a month already billed is regularised on the
//! next statement (reason 50). Refusals stand at their field (422) and store nothing.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_domain::changes::FieldErrors;
use ebdesk_domain::premium::plan_form::{PlanRuleDraft, check_category_name, parse_plan_rule};
use ebdesk_store::{Actor, Employer, NewCategory, NewPlanRule, StoreError};
use serde::Serialize;

use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::plan_rules::contract_views;
use crate::shared::{
    AppError, AppState, Fields, Operator, RouteExt, actor, html, page_context, render,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/beheer/werkgevers/{number}/categorieen", plans)
        .post("/beheer/werkgevers/{number}/categorieen", add_category)
        .post("/beheer/werkgevers/{number}/regels", add_rule);
}

const CATEGORY_FIELDS: [&str; 2] = ["contract", "name"];
const RULE_FIELDS: [&str; 7] = [
    "category",
    "from",
    "kind",
    "rate",
    "low",
    "high",
    "threshold",
];

/// One of the page's two forms as typed, with its messages.
#[derive(Debug, Default, Serialize)]
struct PlanForm {
    values: std::collections::BTreeMap<&'static str, String>,
    errors: FieldErrors,
}

impl PlanForm {
    fn typed(fields: &Fields, names: &[&'static str]) -> Self {
        PlanForm {
            values: names.iter().map(|n| (*n, fields.get(n))).collect(),
            errors: FieldErrors::new(),
        }
    }

    fn empty(names: &[&'static str]) -> Self {
        PlanForm {
            values: names.iter().map(|n| (*n, String::new())).collect(),
            errors: FieldErrors::new(),
        }
    }
}

/// The page's two forms; the one not posted is empty.
struct Forms {
    category: PlanForm,
    rule: PlanForm,
}

async fn page(
    state: &AppState,
    operator: &Operator,
    employer: &Employer,
    forms: &Forms,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let store = &state.store;
    let contracts = store.list_employer_contracts(employer.id).await?;
    let categories = store.list_employer_category_rules(employer.id).await?;
    let lang = operator.0.language.as_str();
    let mut context = page_context(&operator.0);
    context.insert("details", employer);
    context.insert("contracts", &contracts);
    context.insert(
        "plan_contracts",
        &contract_views(contracts.clone(), categories, state.today(), lang),
    );
    context.insert("category_form", &forms.category);
    context.insert("rule_form", &forms.rule);
    notice.insert(&mut context);
    Ok(html(status, render("operator_plans.html", &context)?))
}

pub async fn plans(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let employer = state.employer_by_number(&path).await?;
    let forms = Forms {
        category: PlanForm::empty(&CATEGORY_FIELDS),
        rule: PlanForm::empty(&RULE_FIELDS),
    };
    page(&state, &operator, &employer, &forms, StatusCode::OK, notice).await
}

/// An id typed in a select; anything else reads as no id (the store then refuses it).
fn id_of(fields: &Fields, name: &str) -> i64 {
    fields.get(name).parse().unwrap_or(0)
}

/// What a save left to say: nothing when it was saved, the store's refusal at its field,
/// any other error as it is.
fn refusals<T>(
    saved: Result<T, StoreError>,
    field_of: fn(&str) -> &'static str,
) -> Result<FieldErrors, AppError> {
    match saved {
        Ok(_) => Ok(FieldErrors::new()),
        Err(StoreError::Refused(code)) => Ok(FieldErrors::from([(field_of(code), code)])),
        Err(other) => Err(other.into()),
    }
}

/// Adds the category of the form; answers the messages per field (none: added).
async fn save_category(
    state: &AppState,
    employer_id: i64,
    fields: &Fields,
    who: &Actor,
) -> Result<FieldErrors, AppError> {
    let name = match check_category_name(&fields.get("name")) {
        Ok(name) => name,
        Err(code) => return Ok(FieldErrors::from([("name", code)])),
    };
    let new = NewCategory {
        contract_id: id_of(fields, "contract"),
        name,
    };
    let field_of = |code: &str| match code {
        "category-contract-unknown" => "contract",
        _ => "name",
    };
    let saved = state
        .store
        .add_category(employer_id, &new, who, state.now())
        .await;
    refusals(saved, field_of)
}

/// Adds the rule of the form; answers the messages per field (none: added).
async fn save_rule(
    state: &AppState,
    employer_id: i64,
    fields: &Fields,
    who: &Actor,
) -> Result<FieldErrors, AppError> {
    let values = RULE_FIELDS.map(|n| fields.get(n));
    let [_, from, kind, rate, low, high, threshold] = values.each_ref().map(String::as_str);
    let draft = PlanRuleDraft {
        from,
        kind,
        rate,
        low,
        high,
        threshold,
    };
    let rule = match parse_plan_rule(&draft, state.today()) {
        Ok(rule) => rule,
        Err(errors) => return Ok(errors),
    };
    let new = NewPlanRule {
        category_id: id_of(fields, "category"),
        rule,
    };
    let field_of = |code: &str| match code {
        "plan-rule-date-taken" => "from",
        _ => "category",
    };
    let saved = state
        .store
        .add_plan_rule(employer_id, &new, who, state.now())
        .await;
    refusals(saved, field_of)
}

/// Back to the page confirming `saved`, or the page again with the posted form's messages.
async fn answer(
    state: &AppState,
    operator: &Operator,
    employer: &Employer,
    mut posted: PlanForm,
    errors: FieldErrors,
    saved: Saved,
) -> Result<HttpResponse, AppError> {
    if errors.is_empty() {
        let path = format!("/beheer/werkgevers/{}/categorieen", employer.number);
        return Ok(see_other_saying(&path, saved));
    }
    posted.errors = errors;
    let forms = if saved == Saved::CATEGORY {
        Forms {
            category: posted,
            rule: PlanForm::empty(&RULE_FIELDS),
        }
    } else {
        Forms {
            category: PlanForm::empty(&CATEGORY_FIELDS),
            rule: posted,
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(state, operator, employer, &forms, status, Notice::default()).await
}

pub async fn add_category(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let employer = state.employer_by_number(&path).await?;
    let fields = Fields::new(form.into_inner());
    let who = actor(&req, Some(operator.0.user_id));
    let errors = save_category(&state, employer.id, &fields, &who).await?;
    let posted = PlanForm::typed(&fields, &CATEGORY_FIELDS);
    answer(
        &state,
        &operator,
        &employer,
        posted,
        errors,
        Saved::CATEGORY,
    )
    .await
}

pub async fn add_rule(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let employer = state.employer_by_number(&path).await?;
    let fields = Fields::new(form.into_inner());
    let who = actor(&req, Some(operator.0.user_id));
    let errors = save_rule(&state, employer.id, &fields, &who).await?;
    let posted = PlanForm::typed(&fields, &RULE_FIELDS);
    answer(
        &state,
        &operator,
        &employer,
        posted,
        errors,
        Saved::PLAN_RULE,
    )
    .await
}
