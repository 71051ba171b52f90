//! Benchmark, not a check (ignored by default; it never fails on time): how long one
//! employer's 30-row "Overzicht verzekerden" waits behind another employer's burst of 100
//! downloads, through the real application and its worker (2 job slots) on loopback.
//!
//! Per engine, each on a fresh database: employer A (530-101) with `BENCH_ROWS` extra
//! affiliates, employer B (530-202) with 30.
//!   idle:  A's download alone, then B's alone (the time of one job, request → Beschikbaar);
//!   burst: A's master posts the download 100 times at once, then B's master posts one;
//!   queued: 100 of A's downloads with different parameters are queued (as 100 users would),
//!          then B's master posts one.
//! For burst and queued: how long until B's action shows Beschikbaar, and how many actions
//! the 100 requests made.
//!
//! CI=true cargo test -p ebdesk-cli --test fair_queue_bench -- --ignored --nocapture
//! Environment: BENCH_ROWS=2000 (A's extra affiliates); PostgreSQL at 127.0.0.1:5432.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../server/tests/support/mod.rs"]
#[macro_use]
#[allow(unused_macros)]
mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use ebdesk_domain::{ActionKind, AffiliationStatus, Gender, Language, NationalNumber};
use ebdesk_jobs::kinds::ParserCommand;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{Engine, NewAction, NewAffiliation, NewEmployee, Store};
use reqwest::StatusCode;
use support::{
    Browser, EMPLOYER_A, EMPLOYER_B, Fixture, MASTER_A, MASTER_B, bulk_contract, fixture,
    spawn_app_with_worker,
};
use tokio::task::JoinSet;

/// A wait longer than this is reported as such, and the scenario stops there.
const GIVE_UP: Duration = Duration::from_secs(900);

fn parser() -> ParserCommand {
    ParserCommand {
        exe: env!("CARGO_BIN_EXE_ebdesk").into(),
        args: vec!["sheets-parse".to_owned()],
    }
}

fn rows_of_a() -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

/// 29 more affiliates for B, which has one: 30 rows.
async fn grow_b(store: &Store, f: &Fixture) {
    let contract = store
        .insert_contract(f.employer_b, "530/000202", "Groepsverzekering bench")
        .await
        .unwrap();
    let category = store
        .insert_category(f.employer_b, contract, "Bench")
        .await
        .unwrap();
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let rows: Vec<NewEmployee> = (0..29)
        .map(|i| {
            let birth = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(i);
            NewEmployee {
                national_number: NationalNumber::from_birth_date(birth, 201).unwrap(),
                employee_number: Some(format!("{}", 8000 + i)),
                last_name: "Bench".to_owned(),
                first_name: format!("Persoon {i:02}"),
                gender: Gender::Male,
                language: Language::Dutch,
                birth_date: birth,
                business_email: None,
                private_email_known: false,
                affiliations: vec![NewAffiliation {
                    contract_id: contract,
                    category_id: category,
                    employment_start: start,
                    affiliation_start: start,
                    end_date: None,
                    exit_reason: None,
                    status: AffiliationStatus::Active,
                }],
            }
        })
        .collect();
    store
        .insert_employees(f.employer_b, &rows, Utc::now())
        .await
        .unwrap();
}

fn request_path(employer: &str) -> String {
    format!("/werkgevers/{employer}/downloads/overzicht-verzekerden")
}

async fn token(browser: &Browser, employer: &str) -> String {
    browser
        .get(&format!("/werkgevers/{employer}/downloads"))
        .await
        .csrf_token()
}

/// Posts the download once; the action page it leads to.
async fn request(browser: &Browser, employer: &str) -> String {
    let token = token(browser, employer).await;
    let page = browser
        .post(&request_path(employer), &[("csrf_token", &token)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location.unwrap()
}

/// How long until the action page shows Beschikbaar (polled every 50 ms); None past GIVE_UP.
async fn until_available(browser: &Browser, action: &str, since: Instant) -> Option<Duration> {
    loop {
        let page = browser.get(action).await;
        assert!(!page.body.contains("status-failed"), "{}", page.body);
        if page.body.contains("status-available") {
            return Some(since.elapsed());
        }
        if since.elapsed() > GIVE_UP {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn show(wait: Option<Duration>) -> String {
    wait.map_or(format!("> {} s", GIVE_UP.as_secs()), |d| {
        format!("{:.2} s", d.as_secs_f64())
    })
}

struct Setup {
    db: TestDb,
    a: Browser,
    b: Browser,
    master_a: i64,
}

async fn setup(engine: Engine) -> Option<Setup> {
    let db = TestDb::new(engine).await?;
    let f = fixture(&db.store).await;
    bulk_contract(&db.store, &f, rows_of_a()).await;
    grow_b(&db.store, &f).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let a = Browser::logged_in(&base, MASTER_A).await;
    let b = Browser::logged_in(&base, MASTER_B).await;
    Some(Setup {
        db,
        a,
        b,
        master_a: f.master_a,
    })
}

async fn idle(engine: Engine) {
    let Some(s) = setup(engine).await else { return };
    for (browser, employer) in [(&s.a, EMPLOYER_A), (&s.b, EMPLOYER_B)] {
        let since = Instant::now();
        let action = request(browser, employer).await;
        let wait = until_available(browser, &action, since).await;
        eprintln!(
            "{engine:?} idle: {employer} alone → Beschikbaar in {}",
            show(wait)
        );
    }
    s.db.cleanup().await;
}

async fn burst(engine: Engine) {
    let Some(s) = setup(engine).await else { return };
    let token = token(&s.a, EMPLOYER_A).await;
    let a = std::sync::Arc::new(s.a);
    let since = Instant::now();
    let mut requests = JoinSet::new();
    for _ in 0..100 {
        let (browser, token) = (a.clone(), token.clone());
        requests.spawn(async move {
            let page = browser
                .post(&request_path(EMPLOYER_A), &[("csrf_token", &token)])
                .await;
            page.location
                .map(|l| l.split('?').next().unwrap().to_owned())
                .unwrap_or_else(|| format!("refused {}", page.status))
        });
    }
    let outcomes: BTreeSet<String> = requests.join_all().await.into_iter().collect();
    let burst = since.elapsed();
    let since = Instant::now();
    let action = request(&s.b, EMPLOYER_B).await;
    let wait = until_available(&s.b, &action, since).await;
    eprintln!(
        "{engine:?} burst: 100 requests of A in {:.2} s made {} distinct outcomes; \
         B's 30-row download → Beschikbaar in {}",
        burst.as_secs_f64(),
        outcomes.len(),
        show(wait)
    );
    s.db.cleanup().await;
}

async fn queued(engine: Engine) {
    let Some(s) = setup(engine).await else { return };
    let scope =
        s.db.store
            .find_access(s.master_a, EMPLOYER_A, Utc::now().date_naive())
            .await
            .unwrap()
            .unwrap()
            .scope()
            .clone();
    let since = Instant::now();
    for n in 0..100 {
        let action = NewAction {
            kind: ActionKind::InsuredOverviewDownload,
            description: "Aangevraagd op 03/03/2025".to_owned(),
            employee_id: None,
            payload: format!("{{\"n\":{n}}}"),
            effective_date: None,
        };
        s.db.store
            .enqueue_action(&scope, &action, Utc::now())
            .await
            .unwrap();
    }
    let queued = since.elapsed();
    let since = Instant::now();
    let action = request(&s.b, EMPLOYER_B).await;
    let wait = until_available(&s.b, &action, since).await;
    eprintln!(
        "{engine:?} queued: 100 of A's downloads queued in {:.2} s; \
         B's 30-row download → Beschikbaar in {}",
        queued.as_secs_f64(),
        show(wait)
    );
    s.db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn fair_queue_bench() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        idle(engine).await;
        burst(engine).await;
        queued(engine).await;
    }
}
