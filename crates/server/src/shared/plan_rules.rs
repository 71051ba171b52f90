//! Plan rules in words, for the HR users' "Categorieën" and the operator's page alike: per
//! contract its categories, the rule in force today and the other periods.

use chrono::NaiveDate;
use ebdesk_app::amounts::{format_amount, format_rate};
use ebdesk_domain::premium::{PlanRule, RuleFrom};
use ebdesk_i18n::{LanguageIdentifier, Message};
use ebdesk_store::{CategoryRules, Contract};
use serde::Serialize;

/// A plan rule over its period, its amounts and rates written out.
#[derive(Debug, Serialize)]
pub struct RuleView {
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
pub struct CategoryView {
    id: i64,
    name: String,
    /// The rule in force today.
    current: Option<RuleView>,
    /// Every other period, oldest first.
    others: Vec<RuleView>,
}

#[derive(Debug, Serialize)]
pub struct ContractView {
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
        id: category.category.id,
        name: category.category.name,
        current,
        others,
    }
}

/// The contracts in their order, each with its categories.
pub fn contract_views(
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

/// A rule in one sentence ("3 % van het pensioengevend jaarloon"), as the audit log says it.
pub fn rule_in_words(rule: PlanRule, lang: &LanguageIdentifier) -> String {
    let code = lang.to_string();
    match rule {
        PlanRule::Flat { rate } => Message::new("categories-rule-flat")
            .with("rate", format_rate(rate, &code))
            .render(lang),
        PlanRule::TwoTier {
            low,
            high,
            threshold,
        } => Message::new("categories-rule-two-tier")
            .with("low", format_rate(low, &code))
            .with("high", format_rate(high, &code))
            .with("threshold", format_amount(threshold, &code))
            .render(lang),
    }
}
