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
