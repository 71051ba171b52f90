//! The attacks of the hardening review, through the real application on SQLite and
//! PostgreSQL: one employer's master cannot take over an account that is not only theirs,
//! a burst of passwords gets no more tries than a sequence, a locked account does not confirm
//! a password, pages are not cached, and a slow body does not hold the server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::io::{Read, Write};
use std::time::Duration;

use chrono::Utc;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{AuditEmployer, AuditEvent, AuditFilter};
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, MASTER_A, MASTER_B, PASSWORD, TEST_KEY, fixture, new_operator,
    spawn_app,
};

const USERS: &str = "/werkgevers/530-101/gebruikers";
const OPERATOR: &str = "beheer@ebdesk.test";

async fn add(browser: &Browser, email: &str) -> support::Page {
    let token = browser.get(&format!("{USERS}/nieuw")).await.csrf_token();
    let form = [
        ("name", "Iemand"),
        ("email", email),
        ("rights", "input"),
        ("scope", "all"),
        ("csrf_token", token.as_str()),
    ];
    browser.post(USERS, &form).await
}

/// Master A asks to reset the second factor of `email`'s sheet at A.
async fn reset_at_a(db: &TestDb, master: &Browser, master_id: i64, email: &str) -> support::Page {
    let access = db
        .store
        .find_access(master_id, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let sheet = db
        .store
        .list_sheets(&access)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.email == email)
        .unwrap()
        .sheet_id;
    let token = master.get(USERS).await.csrf_token();
    master
        .post(
            &format!("{USERS}/{sheet}/2fa-herstellen"),
            &[("csrf_token", &token), ("bevestigd", "1")],
        )
        .await
}

async fn events(db: &TestDb, employer: AuditEmployer, event: AuditEvent) -> usize {
    let filter = AuditFilter {
        event: Some(event),
        ..AuditFilter::default()
    };
    db.store
        .list_audit_all(employer, &filter)
        .await
        .unwrap()
        .rows
        .len()
}

async fn a_master_cannot_take_over_an_account_of_another_employer_or_the_operator(db: TestDb) {
    let f = fixture(&db.store).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let operator_id = new_operator(&db.store, OPERATOR, "Beheerder", &hash).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let today = Utc::now().date_naive();

    // The operator's address can never get a sheet: refused at the field, nothing stored.
    let refused = add(&master, OPERATOR).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("beheerder van ebdesk"),
        "{}",
        refused.body
    );
    assert!(
        db.store
            .list_received_invitations(operator_id, Utc::now())
            .await
            .unwrap()
            .is_empty()
    );

    // Another employer's master is only invited: no sheet, no access, until they accept.
    let invited = add(&master, MASTER_B).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    assert!(
        db.store
            .find_access(f.master_b, EMPLOYER_A, today)
            .await
            .unwrap()
            .is_none()
    );
    let list = master.get(USERS).await;
    assert!(
        list.body.contains("Uitnodigingen zonder antwoord"),
        "{}",
        list.body
    );
    // Nothing to reset or change: master B has no sheet at A.
    let access_a = db
        .store
        .find_access(f.master_a, EMPLOYER_A, today)
        .await
        .unwrap()
        .unwrap();
    let sheets = db.store.list_sheets(&access_a).await.unwrap();
    assert!(sheets.iter().all(|s| s.email != MASTER_B));
    let mail = db
        .store
        .find_latest_email_to(MASTER_B)
        .await
        .unwrap()
        .unwrap();
    assert!(mail.subject.contains("uitnodiging"), "{}", mail.subject);
    assert!(mail.body_text.contains("Aanvaarden"), "{}", mail.body_text);
    assert_eq!(
        events(
            &db,
            AuditEmployer::Employer(f.employer_a),
            AuditEvent::SheetInvited
        )
        .await,
        1
    );

    // Only the invited account answers: another user of A gets 404 for the same id.
    let holder = Browser::logged_in(&base, MASTER_B).await;
    let picker = holder.get("/werkgevers").await;
    assert!(picker.body.contains("Uitnodigingen"), "{}", picker.body);
    let invitation = db
        .store
        .list_received_invitations(f.master_b, Utc::now())
        .await
        .unwrap()[0]
        .invitation_id;
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let token = consult.get("/werkgevers").await.csrf_token();
    let stolen = consult
        .post(
            &format!("/uitnodigingen/{invitation}/aanvaarden"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);

    // The holder accepts: now the sheet exists, and A's chain says so.
    let accepted = holder
        .post(
            &format!("/uitnodigingen/{invitation}/aanvaarden"),
            &[("csrf_token", &picker.csrf_token())],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    assert_eq!(accepted.location.as_deref(), Some("/werkgevers/530-101"));
    assert!(
        db.store
            .find_access(f.master_b, EMPLOYER_A, today)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        events(
            &db,
            AuditEmployer::Employer(f.employer_a),
            AuditEvent::InvitationAccepted
        )
        .await,
        1
    );

    // The account also works at B: A's master may not reset its second factor.
    let reset = reset_at_a(&db, &master, f.master_a, MASTER_B).await;
    assert_eq!(reset.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reset.body.contains("andere werkgever"), "{}", reset.body);
    let account = db
        .store
        .find_account_by_email(MASTER_B)
        .await
        .unwrap()
        .unwrap();
    assert!(account.has_totp(), "the second factor is untouched");
    // B's master still logs in with password and code.
    assert_eq!(
        Browser::new(&base)
            .login_fully(MASTER_B, PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // The operator may reset it: the entry stands in both employers' chains, and the holder
    // is told by e-mail.
    let operator = Browser::logged_in(&base, OPERATOR).await;
    let token = operator.get("/beheer").await.csrf_token();
    let done = operator
        .post(
            "/beheer/2fa-herstellen",
            &[("email", MASTER_B), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    for employer in [f.employer_a, f.employer_b] {
        assert_eq!(
            events(
                &db,
                AuditEmployer::Employer(employer),
                AuditEvent::TotpReset
            )
            .await,
            1,
            "TotpReset in the chain of employer {employer}"
        );
    }
    let notice = db
        .store
        .find_latest_email_to(MASTER_B)
        .await
        .unwrap()
        .unwrap();
    assert!(
        notice.subject.contains("tweestapsverificatie"),
        "{}",
        notice.subject
    );
    assert!(db.store.verify_audit_chain().await.unwrap().is_intact());
    db.cleanup().await;
}

async fn a_master_resets_the_second_factor_of_an_account_that_is_only_theirs(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let reset = reset_at_a(&db, &master, f.master_a, CONSULT_A).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    let account = db
        .store
        .find_account_by_email(CONSULT_A)
        .await
        .unwrap()
        .unwrap();
    assert!(!account.has_totp());
    let notice = db
        .store
        .find_latest_email_to(CONSULT_A)
        .await
        .unwrap()
        .unwrap();
    assert!(
        notice.body_text.contains("master user van"),
        "{}",
        notice.body_text
    );
    assert_eq!(
        events(
            &db,
            AuditEmployer::Employer(f.employer_a),
            AuditEvent::TotpReset
        )
        .await,
        1
    );
    db.cleanup().await;
}

async fn a_burst_of_passwords_gets_no_more_tries_than_a_sequence(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let wrong: Vec<_> = (0..60)
        .map(|_| {
            let base = base.clone();
            tokio::spawn(async move {
                Browser::new(&base)
                    .login(MASTER_A, "niet-het-wachtwoord")
                    .await
            })
        })
        .collect();
    let right = {
        let base = base.clone();
        tokio::spawn(async move {
            // Sent while the burst is being answered.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Browser::new(&base).login(MASTER_A, PASSWORD).await
        })
    };
    let mut evaluated = 0;
    let mut throttled = 0;
    for handle in wrong {
        let page = handle.await;
        match page.unwrap().status {
            StatusCode::UNAUTHORIZED => evaluated += 1,
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(evaluated, 5, "at most five passwords are looked at");
    assert_eq!(throttled, 55);
    let right = right.await.unwrap();
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.set_cookie("ebdesk_session").is_none());
    db.cleanup().await;
}

async fn a_locked_account_answers_the_same_whatever_the_password(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    for _ in 0..10 {
        db.store
            .record_failed_code(
                f.master_a,
                ebdesk_store::OutgoingMail {
                    to: MASTER_A.to_owned(),
                    subject: "x".to_owned(),
                    body: "x".to_owned(),
                },
                &ebdesk_store::Actor::default(),
                Utc::now(),
            )
            .await
            .unwrap();
    }
    let right = Browser::new(&base).login(MASTER_A, PASSWORD).await;
    let wrong = Browser::new(&base)
        .login(MASTER_A, "niet-het-wachtwoord")
        .await;
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert_eq!(right.status, wrong.status);
    let strip = |body: &str| {
        body.lines()
            .filter(|l| !l.contains("csrf_token"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&right.body), strip(&wrong.body));
    assert!(right.set_cookie("ebdesk_session").is_none());
    db.cleanup().await;
}

async fn pages_are_not_cached_and_https_gets_hsts(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let url = master.url(&format!("/werkgevers/530-101/werknemers/{}", f.a[0].id));
    let client = reqwest::Client::new();
    let page = master
        .get(&format!("/werkgevers/530-101/werknemers/{}", f.a[0].id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let anonymous = client.get(&url).send().await.unwrap();
    assert_eq!(
        anonymous.headers()["cache-control"],
        "no-store",
        "even the redirect to the login"
    );
    let login = client.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(login.headers()["cache-control"], "no-store");
    assert!(login.headers().get("strict-transport-security").is_none());
    let over_https = client
        .get(format!("{base}/login"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    assert!(
        over_https.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let refused = client.post(format!("{base}/logout")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(refused.headers()["cache-control"], "no-store");
    assert!(refused.headers().get("content-security-policy").is_some());
    let css = client
        .get(format!("{base}/static/app.css"))
        .send()
        .await
        .unwrap();
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    db.cleanup().await;
}

async fn a_body_that_arrives_too_slowly_gets_a_dutch_page_and_the_server_goes_on(db: TestDb) {
    fixture(&db.store).await;
    let deadlines = ebdesk_server::BodyDeadlines {
        form: Duration::from_millis(800),
        upload: Duration::from_millis(800),
    };
    let settings =
        ebdesk_server::AppSettings::new(TEST_KEY.clone(), "http://ebdesk.test".to_owned());
    let app = ebdesk_server::Application::build_with(
        db.store.clone(),
        "127.0.0.1:0",
        settings,
        Default::default(),
        deadlines,
    )
    .unwrap();
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let head = format!(
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a"
        );
        stream.write_all(head.as_bytes()).unwrap();
        // The rest of the body never comes.
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            if answer.windows(7).any(|w| w == b"</html>") {
                break;
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("Aanvraag te traag"), "{answer}");
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(
        Browser::new(&base).get("/login").await.status,
        StatusCode::OK
    );
    db.cleanup().await;
}

both_engines!(
    a_master_cannot_take_over_an_account_of_another_employer_or_the_operator,
    a_master_resets_the_second_factor_of_an_account_that_is_only_theirs,
    a_burst_of_passwords_gets_no_more_tries_than_a_sequence,
    a_locked_account_answers_the_same_whatever_the_password,
    pages_are_not_cached_and_https_gets_hsts,
    a_body_that_arrives_too_slowly_gets_a_dutch_page_and_the_server_goes_on,
);
