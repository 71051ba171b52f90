//! "Categorieën": every user of the employer reads the plan rules of the categories of the
//! contracts in their scope, in words; another employer's page is not there. On SQLite
//! and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::{NaiveDate, Utc};
use ebdesk_domain::premium::{Cents, PlanRule, Rate, RuleFrom};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{NewPlanRule, Store};
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, EMPLOYER_B, MASTER_A, MASTER_B, fixture, spawn_app, unescape,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The employer's categories by name, as its master sees them.
async fn category(store: &Store, master: i64, employer: &str, name: &str) -> (i64, i64) {
    let today = Utc::now().date_naive();
    let access = store.find_access(master, employer, today).await.unwrap();
    let access = access.unwrap();
    let categories = store.list_categories(access.scope()).await.unwrap();
    let found = categories.into_iter().find(|c| c.name == name).unwrap();
    (access.employer().id, found.id)
}

async fn rule(store: &Store, (employer, category): (i64, i64), from: NaiveDate, rule: PlanRule) {
    let rule = RuleFrom { from, rule };
    let new = NewPlanRule {
        category_id: category,
        rule,
    };
    store.insert_plan_rule(employer, &new).await.unwrap();
}

fn flat(millionths: u32) -> PlanRule {
    PlanRule::Flat {
        rate: Rate(millionths),
    }
}

async fn page(browser: &Browser, employer: &str) -> (StatusCode, String) {
    let page = browser
        .get(&format!("/werkgevers/{employer}/categorieen"))
        .await;
    (page.status, unescape(&page.body).replace('\u{a0}', " "))
}

async fn the_categories_page_shows_the_rules_of_the_scope_only(db: TestDb) {
    let s = &db.store;
    let f = fixture(s).await;
    let bedienden = category(s, f.master_a, EMPLOYER_A, "Bedienden").await;
    let arbeiders = category(s, f.master_a, EMPLOYER_A, "Arbeiders").await;
    let zorg = category(s, f.master_b, EMPLOYER_B, "Zorgpersoneel").await;
    rule(s, bedienden, date(2010, 1, 1), flat(40_000)).await;
    rule(s, bedienden, date(2020, 1, 1), flat(50_000)).await;
    let two_tier = PlanRule::TwoTier {
        low: Rate(30_000),
        high: Rate(100_000),
        threshold: Cents(7_000_000),
    };
    rule(s, arbeiders, date(2020, 1, 1), two_tier).await;
    rule(s, zorg, date(2020, 1, 1), flat(9_000)).await;
    let base = spawn_app(s.clone()).await;

    let master = Browser::logged_in(&base, MASTER_A).await;
    let (status, body) = page(&master, EMPLOYER_A).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "href=\"/werkgevers/530-101/categorieen\"",
        "530/000101",
        "530/000102",
        "5 % van het pensioengevend jaarloon",
        "vanaf 01/01/2020",
        "van 01/01/2010 tot en met 31/12/2019: 4 % van het pensioengevend jaarloon",
        "3 % tot 70 000,00 €, 10 % daarboven",
    ] {
        assert!(body.contains(text), "{text} missing:\n{body}");
    }
    assert!(!body.contains("0,90 %"), "{body}");

    // The consult user of the first contract: its categories only.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let (status, body) = page(&consult, EMPLOYER_A).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("5 % van het pensioengevend jaarloon"),
        "{body}"
    );
    for hidden in ["530/000102", "Arbeiders", "70 000,00"] {
        assert!(!body.contains(hidden), "{hidden} shown:\n{body}");
    }

    // Another employer's page is not there, as every tenant page.
    let (status, _) = page(&master, EMPLOYER_B).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = Browser::logged_in(&base, MASTER_B).await;
    let (status, _) = page(&other, EMPLOYER_A).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = page(&other, EMPLOYER_B).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("0,90 % van het pensioengevend jaarloon"),
        "{body}"
    );
    db.cleanup().await;
}

both_engines!(the_categories_page_shows_the_rules_of_the_scope_only);

/// The operator's page of an employer's plan, and a form posted to it with the page's token.
async fn post_plan(operator: &Browser, to: &str, fields: &[(&str, &str)]) -> support::Page {
    let plans = format!("/beheer/werkgevers/{EMPLOYER_A}/categorieen");
    let token = operator.get(&plans).await.csrf_token();
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    operator
        .post(&format!("/beheer/werkgevers/{EMPLOYER_A}/{to}"), &form)
        .await
}

async fn the_operator_adds_categories_and_rules_that_hr_then_reads(db: TestDb) {
    let s = &db.store;
    let f = fixture(s).await;
    let hash = ebdesk_app::credentials::hash_password(support::PASSWORD).unwrap();
    support::new_operator(s, "beheer@ebdesk.test", "Beheerder", &hash).await;
    let (_, bedienden) = category(s, f.master_a, EMPLOYER_A, "Bedienden").await;
    let (_, zorg) = category(s, f.master_b, EMPLOYER_B, "Zorgpersoneel").await;
    let base = spawn_app(s.clone()).await;
    let operator = Browser::logged_in(&base, "beheer@ebdesk.test").await;

    // A category for the first contract; the same name again and B's contract are refused.
    let c1 = f.c1.to_string();
    let added = [("contract", c1.as_str()), ("name", "Directie")];
    let added = post_plan(&operator, "categorieen", &added).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let again = [("contract", c1.as_str()), ("name", " Directie ")];
    let again = post_plan(&operator, "categorieen", &again).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .field_error("name")
            .unwrap()
            .contains("al een categorie")
    );
    let other_contract = s.list_employer_contracts(f.employer_b).await.unwrap()[0]
        .id
        .to_string();
    let foreign = [
        ("contract", other_contract.as_str()),
        ("name", "Sluiproute"),
    ];
    let foreign = post_plan(&operator, "categorieen", &foreign).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.field_error("contract").is_some());

    // A rule: typed mistakes at their fields, B's category refused, then a good one.
    let (bedienden, zorg) = (bedienden.to_string(), zorg.to_string());
    let rule = |category: &str, from: &str, rate: &str| -> Vec<(String, String)> {
        [
            ("category", category),
            ("from", from),
            ("kind", "flat"),
            ("rate", rate),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec()
    };
    let post_rule = |fields: Vec<(String, String)>| {
        let operator = &operator;
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            post_plan(operator, "regels", &fields).await
        }
    };
    let bad = post_rule(rule(&bedienden, "31/02/2026", "120")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field_error("from").is_some());
    assert!(bad.field_error("rate").unwrap().contains("100 %"));
    let foreign = post_rule(rule(&zorg, "01/01/2026", "6")).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.field_error("category").is_some());
    let saved = post_rule(rule(&bedienden, "01/01/2026", "6,5 %")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let taken = post_rule(rule(&bedienden, "01/01/2026", "6,5 %")).await;
    assert!(taken.field_error("from").unwrap().contains("al een regel"));

    // HR reads the new rule and the new category; B's page has neither.
    let master = Browser::logged_in(&base, MASTER_A).await;
    let (_, body) = page(&master, EMPLOYER_A).await;
    assert!(
        body.contains("6,50 % van het pensioengevend jaarloon"),
        "{body}"
    );
    assert!(body.contains("Directie"), "{body}");
    let other = Browser::logged_in(&base, MASTER_B).await;
    let (_, body) = page(&other, EMPLOYER_B).await;
    assert!(!body.contains("6,50 %") && !body.contains("Directie") && !body.contains("Sluiproute"));
    // HR users cannot reach the operator's forms.
    let token = master
        .get(&format!("/werkgevers/{EMPLOYER_A}/categorieen"))
        .await
        .csrf_token();
    let hr_post = master
        .post(
            &format!("/beheer/werkgevers/{EMPLOYER_A}/categorieen"),
            &[("csrf_token", &token), ("contract", &c1), ("name", "X")],
        )
        .await;
    assert_eq!(hr_post.status, StatusCode::FORBIDDEN);
    db.cleanup().await;
}

both_engines!(the_operator_adds_categories_and_rules_that_hr_then_reads);
