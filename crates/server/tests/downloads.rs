//! Requesting a download over HTTP: a second identical request lands on the pending action,
//! and a user with too many pending downloads is asked to wait. On SQLite and PostgreSQL;
//! no worker runs, so every request stays pending.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::Utc;
use ebdesk_domain::ActionKind;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{DownloadRequest, NewAction, PENDING_DOWNLOADS_PER_USER};
use reqwest::StatusCode;
use support::{Browser, CONSULT_A, EMPLOYER_A, MASTER_A, fixture, spawn_app};

both_engines!(
    a_second_request_of_the_same_download_lands_on_the_pending_action,
    a_user_with_too_many_pending_downloads_is_asked_to_wait,
);

fn request_path() -> String {
    format!("/werkgevers/{EMPLOYER_A}/downloads/overzicht-verzekerden")
}

async fn request(browser: &Browser) -> support::Page {
    let token = browser
        .get(&format!("/werkgevers/{EMPLOYER_A}/downloads"))
        .await
        .csrf_token();
    browser
        .post(&request_path(), &[("csrf_token", &token)])
        .await
}

async fn a_second_request_of_the_same_download_lands_on_the_pending_action(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    let first = request(&master).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let action = first.location.unwrap();
    assert!(
        action.starts_with(&format!("/werkgevers/{EMPLOYER_A}/acties/")),
        "{action}"
    );
    let page = master.get(&action).await;
    assert!(
        !page.body.contains("id=\"already-requested\""),
        "{}",
        page.body
    );

    let second = request(&master).await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert_eq!(second.location, Some(format!("{action}?bestaand=1")));
    let page = master.get(&second.location.unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"already-requested\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("al aangevraagd"), "{}", page.body);

    let list = master
        .get(&format!("/werkgevers/{EMPLOYER_A}/acties"))
        .await;
    assert_eq!(
        list.body.matches("Aangevraagd op").count(),
        1,
        "one action for both requests: {}",
        list.body
    );
    db.cleanup().await;
}

async fn a_user_with_too_many_pending_downloads_is_asked_to_wait(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    // The consult user already waits for downloads with other parameters.
    let scope = db
        .store
        .find_access(f.consult_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap()
        .scope()
        .clone();
    for n in 0..PENDING_DOWNLOADS_PER_USER {
        let other = NewAction {
            kind: ActionKind::InsuredOverviewDownload,
            description: "Aangevraagd op 03/03/2025".to_owned(),
            employee_id: None,
            payload: format!("{{\"n\":{n}}}"),
            effective_date: None,
        };
        let outcome = db
            .store
            .request_download(&scope, &other, Utc::now())
            .await
            .unwrap();
        assert!(matches!(outcome, DownloadRequest::Queued(_)));
    }
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let refused = request(&consult).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    let message = refused.form_error().unwrap();
    assert!(
        message.starts_with("U hebt al 3 downloads die nog worden aangemaakt."),
        "{message}"
    );
    // The refused request queued nothing.
    let list = consult
        .get(&format!("/werkgevers/{EMPLOYER_A}/acties"))
        .await;
    assert_eq!(
        list.body.matches("Aangevraagd op").count(),
        3,
        "{}",
        list.body
    );
    // The master is not held by the consult user's cap.
    let master = Browser::logged_in(&base, MASTER_A).await;
    assert_eq!(request(&master).await.status, StatusCode::SEE_OTHER);
    db.cleanup().await;
}
