//! The notification address through the real application, on SQLite and PostgreSQL, from
//! the attacker's side too: the master (or the operator) asks, the new address confirms by
//! a link, only then does it replace the old one, which is told.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::sync::Arc;

use chrono::{TimeDelta, TimeZone, Utc};
use ebdesk_domain::ManualClock;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, EMPLOYER_B, MASTER_A, MASTER_B, PASSWORD, fixture,
    new_operator, spawn_app, spawn_app_with_clock, unescape,
};

const HOME_A: &str = "/werkgevers/530-101";
const ASK_A: &str = "/werkgevers/530-101/notificatieadres";
const ASK_B: &str = "/werkgevers/530-202/notificatieadres";
/// Both employers of the fixture start with this address.
const OLD: &str = "meldingen@proef.test";
const NEW: &str = "hr-lijst@proef.test";
const OPERATOR: &str = "beheer@ebdesk.test";

async fn address(db: &TestDb, number: &str) -> String {
    db.store
        .find_employer(number)
        .await
        .unwrap()
        .unwrap()
        .notification_email
}

/// Posts `fields` with the CSRF token of the page at `form_page`.
async fn post(
    browser: &Browser,
    path: &str,
    form_page: &str,
    fields: &[(&str, &str)],
) -> support::Page {
    let token = browser.get(form_page).await.csrf_token();
    let mut form = fields.to_vec();
    form.push(("csrf_token", &token));
    browser.post(path, &form).await
}

/// The confirmation link's path from the newest mail to `to`.
async fn link_in_mail(db: &TestDb, to: &str) -> String {
    let mail = db.store.find_latest_email_to(to).await.unwrap().unwrap();
    mail.body_text
        .split_whitespace()
        .find_map(|w| w.find("/notificatieadres/").map(|i| w[i..].to_owned()))
        .unwrap_or_else(|| panic!("no link in {}", mail.body_text))
}

/// Opens the link like a reader of the mailbox (no account): the reader and its form token.
async fn open(base: &str, link: &str) -> (Browser, String) {
    let reader = Browser::new(base);
    let page = reader.get(link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = page.csrf_token();
    (reader, token)
}

/// Opens the link and confirms it.
async fn confirm(base: &str, link: &str) -> support::Page {
    let (reader, token) = open(base, link).await;
    reader.post(link, &[("csrf_token", &token)]).await
}

fn text(page: &support::Page) -> String {
    unescape(&page.body)
}

async fn the_master_asks_and_the_address_changes_only_once_confirmed(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let home = master.get(HOME_A).await;
    assert!(
        home.body.contains("name=\"notification_email\""),
        "{}",
        home.body
    );
    assert!(text(&home).contains("Notificatieadres"));

    // Not an address: refused at the field, what was typed kept, nothing stored or sent.
    let bad = post(
        &master,
        ASK_A,
        HOME_A,
        &[("notification_email", "hr-lijst@proef")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("id=\"notification_email-error\""),
        "{}",
        bad.body
    );
    assert!(text(&bad).contains("geen geldig domein"), "{}", bad.body);
    assert!(bad.body.contains("value=\"hr-lijst@proef\""));
    let same = post(&master, ASK_A, HOME_A, &[("notification_email", OLD)]).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&same).contains("Dit is al het notificatieadres"));
    // No CSRF token: refused before anything is read.
    let forged = master.post(ASK_A, &[("notification_email", NEW)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let cross_site = master
        .post_with_headers(
            ASK_A,
            &[("notification_email", NEW)],
            &[("Origin", "https://kwaad.test")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    let pending = db
        .store
        .find_pending_notification_change_of(f.employer_a, Utc::now());
    assert!(pending.await.unwrap().is_none());
    assert!(db.store.find_latest_email_to(NEW).await.unwrap().is_none());

    let asked = post(
        &master,
        ASK_A,
        HOME_A,
        &[("notification_email", " HR-Lijst@Proef.test ")],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let landed = master.get(asked.location.as_deref().unwrap()).await;
    let shown = text(&landed);
    assert!(
        shown.contains("De bevestigingslink is verstuurd"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("{NEW} wacht op bevestiging sinds")),
        "{shown}"
    );
    // Still the old address until someone confirms.
    assert_eq!(address(&db, EMPLOYER_A).await, OLD);
    let mail = db.store.find_latest_email_to(NEW).await.unwrap().unwrap();
    assert_eq!(
        mail.record.subject,
        "ebdesk: bevestig het nieuwe notificatieadres"
    );
    assert!(
        mail.body_text.contains("Meester Proef, master user, vroeg"),
        "{}",
        mail.body_text
    );
    let link = link_in_mail(&db, NEW).await;

    // A GET never changes anything; the POST needs its CSRF token.
    let reader = Browser::new(&base);
    let page = reader.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(text(&page).contains(NEW) && text(&page).contains(support::NAME_A));
    assert!(
        !text(&page).contains(OLD),
        "the link's reader need not learn the old address"
    );
    assert_eq!(reader.post(&link, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(address(&db, EMPLOYER_A).await, OLD);

    let token = page.csrf_token();
    let done = reader.post(&link, &[("csrf_token", &token)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(text(&done).contains("Het nieuwe notificatieadres is bevestigd"));
    assert_eq!(address(&db, EMPLOYER_A).await, NEW);
    assert_eq!(address(&db, EMPLOYER_B).await, OLD);
    // The old address is told, in the requester's language.
    let notice = db.store.find_latest_email_to(OLD).await.unwrap().unwrap();
    assert_eq!(
        notice.record.subject,
        "ebdesk: het notificatieadres werd gewijzigd"
    );
    assert!(notice.body_text.contains(NEW), "{}", notice.body_text);

    // The link works once; the page says so.
    let again = reader.post(&link, &[("csrf_token", &token)]).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(text(&again).contains("Link al gebruikt"), "{}", again.body);
    assert_eq!(reader.get(&link).await.status, StatusCode::GONE);
    let home = master.get(HOME_A).await;
    assert!(!text(&home).contains("wacht op bevestiging"));
    assert!(text(&home).contains(NEW));
    let log = master.get("/werkgevers/530-101/auditlog").await;
    assert!(log.body.contains("notification_address_requested"));
    assert!(log.body.contains("notification_address_changed"));
    assert!(db.store.verify_audit_chain().await.unwrap().is_intact());
    db.cleanup().await;
}

async fn nobody_else_asks_or_confirms(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let field = [("notification_email", NEW)];
    // Another employer's master: 404 as for any page of A; A's master at B: 404 as well.
    let master_b = Browser::logged_in(&base, MASTER_B).await;
    let page = post(&master_b, ASK_A, "/werkgevers/530-202", &field).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let master_a = Browser::logged_in(&base, MASTER_A).await;
    let page = post(&master_a, ASK_B, HOME_A, &field).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // A consult user of A sees the address, has no form, and is refused the post.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let home = consult.get(HOME_A).await;
    assert!(text(&home).contains(OLD));
    assert!(!home.body.contains("name=\"notification_email\""));
    let page = post(&consult, ASK_A, HOME_A, &field).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The operator's route is the operator's.
    let page = post(
        &master_a,
        "/beheer/werkgevers/530-101/notificatieadres",
        HOME_A,
        &field,
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // Anonymous: without a token refused, with the login page's token sent to log in.
    let anonymous = Browser::new(&base);
    assert_eq!(
        anonymous.post(ASK_A, &field).await.status,
        StatusCode::FORBIDDEN
    );
    let page = post(&anonymous, ASK_A, "/login", &field).await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    for number in [EMPLOYER_A, EMPLOYER_B] {
        assert_eq!(address(&db, number).await, OLD);
    }
    assert!(db.store.find_latest_email_to(NEW).await.unwrap().is_none());

    // A's link changes A only; a wrong or altered token changes nothing and says so.
    let asked = post(&master_a, ASK_A, HOME_A, &field).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let link = link_in_mail(&db, NEW).await;
    let mut altered = link.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    for wrong in [altered.as_str(), "/notificatieadres/een-verzonnen-link"] {
        let page = master_b.get(wrong).await;
        assert_eq!(page.status, StatusCode::GONE);
        assert!(text(&page).contains("Link ongeldig"), "{}", page.body);
        let token = master_b.get("/werkgevers").await.csrf_token();
        let page = master_b.post(wrong, &[("csrf_token", &token)]).await;
        assert_eq!(page.status, StatusCode::GONE);
    }
    assert_eq!(address(&db, EMPLOYER_A).await, OLD);
    // A new request replaces the link of the first.
    let other = [("notification_email", "ander@proef.test")];
    assert_eq!(
        post(&master_a, ASK_A, HOME_A, &other).await.status,
        StatusCode::SEE_OTHER
    );
    let page = Browser::new(&base).get(&link).await;
    assert_eq!(page.status, StatusCode::GONE);
    // Master B, logged in, confirms A's current link: the link is what counts, B is untouched.
    let current = link_in_mail(&db, "ander@proef.test").await;
    let page = master_b.get(&current).await;
    let token = page.csrf_token();
    assert_eq!(
        master_b
            .post(&current, &[("csrf_token", &token)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(address(&db, EMPLOYER_A).await, "ander@proef.test");
    assert_eq!(address(&db, EMPLOYER_B).await, OLD);
    // No mail cannon: five links an hour per employer, then a message at the field.
    for n in 3..=5 {
        let to = format!("lijst{n}@proef.test");
        let page = post(&master_a, ASK_A, HOME_A, &[("notification_email", &to)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "request {n}");
    }
    let sixth = [("notification_email", "lijst6@proef.test")];
    let page = post(&master_a, ASK_A, HOME_A, &sixth).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&page).contains("al vijf bevestigingslinks"),
        "{}",
        page.body
    );
    assert!(
        db.store
            .find_latest_email_to("lijst6@proef.test")
            .await
            .unwrap()
            .is_none()
    );
    // Another employer is not held back by A's requests.
    let page = post(&master_b, ASK_B, "/werkgevers/530-202", &sixth).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    db.cleanup().await;
}

async fn an_expired_link_says_so_and_changes_nothing(db: TestDb) {
    fixture(&db.store).await;
    let start = Utc.with_ymd_and_hms(2027, 5, 3, 8, 0, 0).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let base = spawn_app_with_clock(db.store.clone(), clock.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let asked = post(&master, ASK_A, HOME_A, &[("notification_email", NEW)]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let link = link_in_mail(&db, NEW).await;
    let reader = Browser::new(&base);
    let token = reader.get(&link).await.csrf_token();

    clock.advance(TimeDelta::hours(72));
    let page = reader.get(&link).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(text(&page).contains("Link verlopen"), "{}", page.body);
    assert!(text(&page).contains("opnieuw aan te vragen"));
    let page = reader.post(&link, &[("csrf_token", &token)]).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(text(&page).contains("Link verlopen"));
    assert_eq!(address(&db, EMPLOYER_A).await, OLD);
    // The master sees that the link expired (after logging in again).
    let master = Browser::logged_in(&base, MASTER_A).await;
    let home = text(&master.get(HOME_A).await);
    assert!(home.contains("is verlopen op 06/05/2027"), "{home}");
    db.cleanup().await;
}

async fn two_confirmations_at_once_change_the_address_once(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    post(&master, ASK_A, HOME_A, &[("notification_email", NEW)]).await;
    let link = link_in_mail(&db, NEW).await;
    // Both readers have the form open before either presses the button.
    let ((reader_a, token_a), (reader_b, token_b)) =
        (open(&base, &link).await, open(&base, &link).await);
    let (form_a, form_b) = (
        [("csrf_token", token_a.as_str())],
        [("csrf_token", token_b.as_str())],
    );
    let (a, b) = tokio::join!(reader_a.post(&link, &form_a), reader_b.post(&link, &form_b));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 410], "{}\n{}", a.body, b.body);
    assert_eq!(address(&db, EMPLOYER_A).await, NEW);
    let log = master
        .get_query(
            "/werkgevers/530-101/auditlog",
            &[("event", "notification_address_changed")],
        )
        .await;
    assert_eq!(
        log.body.matches("Notificatieadres gewijzigd</td>").count(),
        1
    );
    let notices = db
        .store
        .list_outbox(&ebdesk_store::OutboxFilter {
            to: Some(OLD.to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(notices.rows.len(), 1);
    db.cleanup().await;
}

async fn the_operator_asks_through_the_same_use_case(db: TestDb) {
    fixture(&db.store).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(&db.store, OPERATOR, "Beheerder", &hash).await;
    let base = spawn_app(db.store.clone()).await;
    let operator = Browser::logged_in(&base, OPERATOR).await;
    // The operator reads English: both mails are written in the requester's language.
    let operator_id = db
        .store
        .find_account_by_email(OPERATOR)
        .await
        .unwrap()
        .unwrap()
        .id;
    db.store.set_language(operator_id, "en").await.unwrap();
    let page = "/beheer/werkgevers/530-202";
    let ask = "/beheer/werkgevers/530-202/notificatieadres";
    let bad = post(
        &operator,
        ask,
        page,
        &[("notification_email", "geen adres")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"notification_email-error\""));
    let missing = post(
        &operator,
        "/beheer/werkgevers/530-999/notificatieadres",
        page,
        &[("notification_email", NEW)],
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let asked = post(&operator, ask, page, &[("notification_email", NEW)]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let shown = text(&operator.get(page).await);
    assert!(
        shown.contains(&format!("{NEW} has been waiting for confirmation")),
        "{shown}"
    );
    let mail = db.store.find_latest_email_to(NEW).await.unwrap().unwrap();
    assert_eq!(
        mail.record.subject,
        "ebdesk: confirm the new notification address"
    );
    assert!(
        mail.body_text.contains("The ebdesk administrator asked"),
        "{}",
        mail.body_text
    );
    // B's master sees the same request waiting on the home page.
    let master_b = Browser::logged_in(&base, MASTER_B).await;
    assert!(text(&master_b.get("/werkgevers/530-202").await).contains("wacht op bevestiging"));
    let done = confirm(&base, &link_in_mail(&db, NEW).await).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(address(&db, EMPLOYER_B).await, NEW);
    let notice = db.store.find_latest_email_to(OLD).await.unwrap().unwrap();
    assert_eq!(
        notice.record.subject,
        "ebdesk: the notification address has been changed"
    );
    assert_eq!(address(&db, EMPLOYER_A).await, OLD);
    db.cleanup().await;
}

both_engines!(
    the_master_asks_and_the_address_changes_only_once_confirmed,
    nobody_else_asks_or_confirms,
    an_expired_link_says_so_and_changes_nothing,
    two_confirmations_at_once_change_the_address_once,
    the_operator_asks_through_the_same_use_case,
);
