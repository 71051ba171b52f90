//! No secret, password, token, TOTP secret or full national number reaches the logs: a test
//! plants canary values through every door a user has and reads everything that was logged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ebdesk_store::test_support::TestDb;
use support::{Browser, MASTER_A, fixture, spawn_app, totp_secret};

/// Everything the application logs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static LOGS: std::sync::LazyLock<Captured> = std::sync::LazyLock::new(|| {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();
    captured
});

async fn nothing_secret_or_personal_is_ever_logged(db: TestDb) {
    let logs = LOGS.clone();
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let canary_password = "kanarie-wachtwoord-7391";
    let person = f.person("Tweede");
    let national = person.national_number.as_str().to_owned();

    // A wrong password, a right login with its code, searches by national number.
    Browser::new(&base).login(MASTER_A, canary_password).await;
    let browser = Browser::logged_in(&base, MASTER_A).await;
    for q in [national.clone(), person.national_number.formatted()] {
        browser
            .get_query("/werkgevers/530-101/werknemers", &[("q", &q)])
            .await;
    }
    browser
        .get(&format!("/werkgevers/530-101/werknemers/{}", person.id))
        .await;
    // A reset link is asked for and opened.
    let token = browser.get("/werkgevers").await.csrf_token();
    let b = Browser::new(&base);
    let form = b.get("/wachtwoord-vergeten").await.csrf_token();
    b.post(
        "/wachtwoord-vergeten",
        &[("email", MASTER_A), ("csrf_token", &form)],
    )
    .await;
    let mail = db
        .store
        .find_latest_email_to(MASTER_A)
        .await
        .unwrap()
        .unwrap();
    let link = mail
        .body_text
        .split_whitespace()
        .find_map(|w| w.find("/wachtwoord-herstellen/").map(|i| w[i..].to_owned()))
        .unwrap();
    b.get(&link).await;
    // A new notification address is asked for; its link is opened and confirmed.
    browser
        .post(
            "/werkgevers/530-101/notificatieadres",
            &[
                ("notification_email", "lijst@a.test"),
                ("csrf_token", &token),
            ],
        )
        .await;
    let mail = db.store.find_latest_email_to("lijst@a.test").await;
    let notification_link = mail
        .unwrap()
        .unwrap()
        .body_text
        .split_whitespace()
        .find_map(|w| w.find("/notificatieadres/").map(|i| w[i..].to_owned()))
        .unwrap();
    let reader = Browser::new(&base);
    let form = reader.get(&notification_link).await.csrf_token();
    let done = reader
        .post(&notification_link, &[("csrf_token", &form)])
        .await;
    assert_eq!(done.status, reqwest::StatusCode::OK);
    browser.post("/logout", &[("csrf_token", &token)]).await;

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("login"), "the logs were captured: {text}");
    let reset_token = link.rsplit('/').next().unwrap();
    for (what, canary) in [
        ("password", canary_password),
        ("national number", national.as_str()),
        (
            "formatted national number",
            &person.national_number.formatted(),
        ),
        ("reset token", reset_token),
        (
            "notification link token",
            notification_link.rsplit('/').next().unwrap(),
        ),
        ("TOTP secret", &totp_secret(MASTER_A)),
        ("CSRF token", &token),
    ] {
        assert!(!text.contains(canary), "the {what} is in the logs");
    }
    db.cleanup().await;
}

both_engines!(nothing_secret_or_personal_is_ever_logged);
