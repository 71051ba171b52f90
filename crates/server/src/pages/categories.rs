//! "Categorieën": per contract of the scope, its personnel categories and their plan rules,
//! the one in force today and the other periods, in words. Read-only, for every user.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use ebdesk_domain::premium::{PlanRule, RuleFrom};
use ebdesk_store::{CategoryRules, Contract};
use serde::Serialize;

use crate::shared::{AppError, AppState, RouteExt, Tenant, html, render, tenant_context};
use ebdesk_app::amounts::{format_amount, format_rate};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/categorieen", categories);
}

/// A plan rule over its period, its amounts and rates written out.
#[derive(Debug, Serialize)]
struct RuleView {
    from: String,
    /// The day before the next period; None for the last.
    until: Option<String>,
    kind: &'static str,
    rate: Option<String>,
    low: Option<String>,
    high: Option<String>,
    threshold: Option<String>,
}

#[derive(Debug, Serialize)]
struct CategoryView {
    name: String,
    /// The rule in force today.
    current: Option<RuleView>,
    /// Every other period, oldest first.
    others: Vec<RuleView>,
}

#[derive(Debug, Serialize)]
struct ContractView {
    number: String,
    name: String,
    categories: Vec<CategoryView>,
}

fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

fn rule_view(rule: &RuleFrom, next: Option<&RuleFrom>, lang: &str) -> RuleView {
    let until = next.and_then(|n| n.from.pred_opt()).map(date);
    let mut view = RuleView {
        from: date(rule.from),
        until,
        kind: "flat",
        rate: None,
        low: None,
        high: None,
        threshold: None,
    };
    match rule.rule {
        PlanRule::Flat { rate } => view.rate = Some(format_rate(rate, lang)),
        PlanRule::TwoTier {
            low,
            high,
            threshold,
        } => {
            view.kind = "two_tier";
            view.low = Some(format_rate(low, lang));
            view.high = Some(format_rate(high, lang));
            view.threshold = Some(format_amount(threshold, lang));
        }
    }
    view
}

fn category_view(category: CategoryRules, today: NaiveDate, lang: &str) -> CategoryView {
    let in_force = category.in_force(today).map(|r| r.from);
    let (mut current, mut others) = (None, Vec::new());
    for (i, rule) in category.rules.iter().enumerate() {
        let view = rule_view(rule, category.rules.get(i + 1), lang);
        if Some(rule.from) == in_force {
            current = Some(view);
        } else {
            others.push(view);
        }
    }
    CategoryView {
        name: category.category.name,
        current,
        others,
    }
}

/// The contracts in their order, each with its categories.
fn contract_views(
    contracts: Vec<Contract>,
    categories: Vec<CategoryRules>,
    today: NaiveDate,
    lang: &str,
) -> Vec<ContractView> {
    let mut views: Vec<(i64, ContractView)> = contracts
        .into_iter()
        .map(|c| {
            let view = ContractView {
                number: c.number,
                name: c.name,
                categories: Vec::new(),
            };
            (c.id, view)
        })
        .collect();
    for category in categories {
        let contract_id = category.category.contract_id;
        if let Some((_, view)) = views.iter_mut().find(|(id, _)| *id == contract_id) {
            view.categories.push(category_view(category, today, lang));
        }
    }
    views.into_iter().map(|(_, view)| view).collect()
}

pub async fn categories(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let scope = tenant.access.scope();
    let contracts = state.store.list_contracts(scope).await?;
    let categories = state.store.list_category_rules(scope).await?;
    let lang = tenant.user.language.as_str();
    let views = contract_views(contracts, categories, state.today(), lang);
    let mut context = tenant_context(&tenant);
    context.insert("category_contracts", &views);
    Ok(html(StatusCode::OK, render("categories.html", &context)?))
}
