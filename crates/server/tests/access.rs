//! Access through the real application, on SQLite and PostgreSQL: activation, enrolment of
//! an authenticator, login with a code or a recovery code, reuse of codes and links,
//! password reset, throttling and lockout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::{Duration, Utc};
use ebdesk_domain::Language;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{Actor, NewUser, OutgoingMail, Store};
use reqwest::StatusCode;
use support::{Browser, MASTER_A, PASSWORD, Page, fixture, spawn_app};

const NEW_PASSWORD: &str = "blauwe tram naar Gent";

/// An invited account with an activation link; returns the link's token.
async fn invite(store: &Store, email: &str, expires_in: Duration) -> String {
    let token = ebdesk_app::credentials::random_token();
    let now = Utc::now();
    store
        .insert_invited_user(
            &NewUser {
                email: email.to_owned(),
                display_name: "Nieuwe Collega".to_owned(),
                password_hash: None,
                language: Language::Dutch,
                is_operator: false,
            },
            &ebdesk_app::credentials::hash_token(&token),
            now + expires_in,
            OutgoingMail {
                to: email.to_owned(),
                subject: "activeer".to_owned(),
                body: format!("/activeren/{token}"),
            },
            &Actor::default(),
            now,
        )
        .await
        .unwrap();
    token
}

/// The secret shown on the enrolment page, without its spaces.
fn shown_secret(page: &Page) -> String {
    let start = page
        .body
        .find("id=\"totp-secret\"")
        .expect("secret on the page");
    let text = &page.body[start..];
    let text = &text[text.find('>').unwrap() + 1..];
    text[..text.find('<').unwrap()].replace(' ', "")
}

fn code_now(secret: &str, offset_steps: i64) -> String {
    let unix = Utc::now().timestamp() + offset_steps * 30;
    ebdesk_server::totp_code_at(secret, u64::try_from(unix).unwrap()).unwrap()
}

async fn set_password(browser: &Browser, path: &str, password: &str, repeat: &str) -> Page {
    let form = browser.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = form.csrf_token();
    browser
        .post(
            path,
            &[
                ("password", password),
                ("password_repeat", repeat),
                ("csrf_token", &token),
            ],
        )
        .await
}

async fn a_new_user_activates_enrols_and_logs_in_with_a_code_or_a_recovery_code(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let email = "nieuwe.collega@a.test";
    let token = invite(&db.store, email, Duration::hours(72)).await;
    let link = format!("/activeren/{token}");
    let browser = Browser::new(&base);

    // Bad passwords are refused at the field, in Dutch, and the link stays usable.
    let short = set_password(&browser, &link, "kort", "kort").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("minstens 12 tekens"), "{}", short.body);
    let common = set_password(&browser, &link, "passwordpassword", "passwordpassword").await;
    assert!(common.body.contains("te bekend"), "{}", common.body);
    let mismatch = set_password(&browser, &link, NEW_PASSWORD, "iets anders dan dat").await;
    assert!(mismatch.body.contains("niet gelijk"), "{}", mismatch.body);

    let done = set_password(&browser, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/2fa/instellen"));
    // Not logged in before the authenticator is enrolled.
    let early = browser.get("/werkgevers").await;
    assert_eq!(early.location.as_deref(), Some("/2fa/instellen"));

    let enrol = browser.get("/2fa/instellen").await;
    assert!(enrol.body.contains("<svg"), "QR code shown");
    let secret = shown_secret(&enrol);
    // A reload shows the same secret until it is confirmed.
    assert_eq!(shown_secret(&browser.get("/2fa/instellen").await), secret);
    let token_field = enrol.csrf_token();
    let wrong = browser
        .post(
            "/2fa/instellen",
            &[("code", "000000"), ("csrf_token", &token_field)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("niet juist"));
    let first_code = code_now(&secret, 0);
    let codes_page = browser
        .post(
            "/2fa/instellen",
            &[("code", &first_code), ("csrf_token", &token_field)],
        )
        .await;
    assert_eq!(codes_page.status, StatusCode::OK, "{}", codes_page.body);
    let recovery: Vec<String> = codes_page
        .body
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("<li>")?
                .strip_suffix("</li>")
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(recovery.len(), 10, "{}", codes_page.body);
    assert_eq!(browser.get("/werkgevers").await.status, StatusCode::OK);

    // The activation link works once.
    let reused = Browser::new(&base).get(&link).await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert!(reused.body.contains("al gebruikt"));

    // Log in again: the code of the enrolment is not accepted a second time.
    let again = Browser::new(&base);
    let page = again.login(email, NEW_PASSWORD).await;
    assert_eq!(page.location.as_deref(), Some("/login/code"));
    let form = again.get("/login/code").await.csrf_token();
    let replay = again
        .post(
            "/login/code",
            &[("code", &first_code), ("csrf_token", &form)],
        )
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(replay.body.contains("niet juist of werd al gebruikt"));
    let next = code_now(&secret, 1);
    let ok = again
        .post("/login/code", &[("code", &next), ("csrf_token", &form)])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(again.get("/werkgevers").await.status, StatusCode::OK);

    // A recovery code (typed in capitals, with spaces) works once.
    let typed = recovery[3].to_uppercase().replace('-', " ");
    for (attempt, expected) in [(1, StatusCode::SEE_OTHER), (2, StatusCode::UNAUTHORIZED)] {
        let b = Browser::new(&base);
        b.login(email, NEW_PASSWORD).await;
        let form = b.get("/login/code").await.csrf_token();
        let answer = b
            .post("/login/code", &[("code", &typed), ("csrf_token", &form)])
            .await;
        assert_eq!(answer.status, expected, "recovery code, attempt {attempt}");
    }
    db.cleanup().await;
}

async fn an_expired_activation_link_is_refused_with_a_clear_message(db: TestDb) {
    let base = spawn_app(db.store.clone()).await;
    let token = invite(&db.store, "laat@a.test", Duration::hours(-1)).await;
    let page = Browser::new(&base)
        .get(&format!("/activeren/{token}"))
        .await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("Link verlopen"), "{}", page.body);
    let unknown = Browser::new(&base).get("/activeren/verzonnen-link").await;
    assert_eq!(unknown.status, StatusCode::GONE);
    assert!(unknown.body.contains("Link ongeldig"));
    db.cleanup().await;
}

async fn a_password_reset_says_the_same_for_unknown_addresses_and_ends_every_session(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let logged_in = Browser::logged_in(&base, MASTER_A).await;

    let ask = |email: &'static str| {
        let base = base.clone();
        async move {
            let b = Browser::new(&base);
            let token = b.get("/wachtwoord-vergeten").await.csrf_token();
            b.post(
                "/wachtwoord-vergeten",
                &[("email", email), ("csrf_token", &token)],
            )
            .await
        }
    };
    let known = ask(MASTER_A).await;
    let unknown = ask("niemand@a.test").await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(known.body, unknown.body.replace("niemand@a.test", MASTER_A));
    assert!(
        db.store
            .find_latest_email_to("niemand@a.test")
            .await
            .unwrap()
            .is_none()
    );
    let mail = db
        .store
        .find_latest_email_to(MASTER_A)
        .await
        .unwrap()
        .unwrap();
    let path = mail
        .body_text
        .split_whitespace()
        .find_map(|w| w.find("/wachtwoord-herstellen/").map(|i| w[i..].to_owned()))
        .expect("a reset link in the mail");

    let browser = Browser::new(&base);
    let done = set_password(&browser, &path, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("overal afgemeld"));
    // Logout everywhere: the session opened before the reset is gone.
    let old = logged_in.get("/werkgevers/530-101").await;
    assert_eq!(old.location.as_deref(), Some("/login"));
    // The old password no longer works, the new one does; the link works once.
    let refused = Browser::new(&base).login(MASTER_A, PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let b = Browser::new(&base);
    assert_eq!(
        b.login_fully(MASTER_A, NEW_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        Browser::new(&base).get(&path).await.status,
        StatusCode::GONE
    );
    db.cleanup().await;
}

async fn five_wrong_passwords_make_the_account_wait_and_say_until_when(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    for _ in 0..5 {
        let page = Browser::new(&base)
            .login(MASTER_A, "niet-het-wachtwoord")
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now, and the page says until when.
    let page = Browser::new(&base).login(MASTER_A, PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("Probeer opnieuw na"), "{}", page.body);
    assert!(page.set_cookie("ebdesk_session").is_none());
    db.cleanup().await;
}

async fn ten_wrong_codes_in_a_row_lock_the_account_and_tell_the_user(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let user = db
        .store
        .find_account_by_email(MASTER_A)
        .await
        .unwrap()
        .unwrap();
    let mail = || OutgoingMail {
        to: MASTER_A.to_owned(),
        subject: "x".to_owned(),
        body: "x".to_owned(),
    };
    for _ in 0..9 {
        let locked = db
            .store
            .record_failed_code(user.id, mail(), &Actor::default(), Utc::now())
            .await
            .unwrap();
        assert!(!locked);
    }
    let browser = Browser::new(&base);
    browser.login(MASTER_A, PASSWORD).await;
    let token = browser.get("/login/code").await.csrf_token();
    let page = browser
        .post("/login/code", &[("code", "123456"), ("csrf_token", &token)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("vergrendeld"), "{}", page.body);
    let sent = db
        .store
        .find_latest_email_to(MASTER_A)
        .await
        .unwrap()
        .unwrap();
    assert!(sent.subject.contains("vergrendeld"), "{}", sent.subject);
    // The right password no longer opens anything, and answers as a wrong one does.
    let again = Browser::new(&base).login(MASTER_A, PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.set_cookie("ebdesk_session").is_none());
    let _ = f;
    db.cleanup().await;
}

both_engines!(
    a_new_user_activates_enrols_and_logs_in_with_a_code_or_a_recovery_code,
    an_expired_activation_link_is_refused_with_a_clear_message,
    a_password_reset_says_the_same_for_unknown_addresses_and_ends_every_session,
    five_wrong_passwords_make_the_account_wait_and_say_until_when,
    ten_wrong_codes_in_a_row_lock_the_account_and_tell_the_user,
);
