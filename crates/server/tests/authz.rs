//! The authorization matrix: every route × every role, read and write, with the status each
//! must get. It fails when a route is added without an entry here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::Utc;
use ebdesk_domain::Rights;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, MASTER_A, MASTER_B, PASSWORD, fixture, new_operator, new_user,
    spawn_app,
};

const OPERATOR: &str = "beheer@ebdesk.test";
const INPUT_A: &str = "invoer@a.test";
const ROLES: [&str; 6] = [
    "anonymous",
    "operator",
    "consult_a",
    "input_a",
    "master_b",
    "master_a",
];

/// Expected status per role, in the order of `ROLES`.
type Row = (&'static str, &'static str, [u16; 6]);

const S: u16 = 303;
/// Anonymous → login; the operator (no sheet) and the other employer's master → 404; the
/// consult and input users of A are refused what only the master may do (403).
const TENANT_READ: [u16; 6] = [S, 404, 200, 200, 404, 200];
const MASTER_READ: [u16; 6] = [S, 404, 403, 403, 404, 200];
const OPERATOR_ONLY: [u16; 6] = [S, 200, 403, 403, 403, 403];
/// Forms that change employees: the consult user is refused (403) before anything is read.
const CHANGE_READ: [u16; 6] = [S, 404, 403, 200, 404, 200];
const CHANGE_REFUSED: [u16; 6] = [S, 404, 403, 422, 404, 422];

const MATRIX: &[Row] = &[
    ("GET", "/", [S, S, S, S, S, S]),
    ("GET", "/healthz", [200; 6]),
    ("GET", "/robots.txt", [200; 6]),
    ("GET", "/static/{file}", [200; 6]),
    ("GET", "/login", [200, S, S, S, S, S]),
    // A wrong password, whoever sends it.
    ("POST", "/login", [401; 6]),
    ("GET", "/werkgevers", [S, 200, 200, 200, 200, 200]),
    // Everyone logged in has their own account page; the matrix posts no language (400).
    ("GET", "/mijn-account", [S, 200, 200, 200, 200, 200]),
    ("POST", "/mijn-account", [S, 400, 400, 400, 400, 400]),
    // The second factor's pages are for half-logged-in sessions only.
    ("GET", "/login/code", [S; 6]),
    ("POST", "/login/code", [S; 6]),
    ("GET", "/2fa/instellen", [S; 6]),
    ("POST", "/2fa/instellen", [S; 6]),
    ("GET", "/activeren/{token}", [410; 6]),
    ("POST", "/activeren/{token}", [410; 6]),
    ("GET", "/wachtwoord-vergeten", [200; 6]),
    ("POST", "/wachtwoord-vergeten", [200; 6]),
    ("GET", "/wachtwoord-herstellen/{token}", [410; 6]),
    ("POST", "/wachtwoord-herstellen/{token}", [410; 6]),
    // The notification address's confirmation link: the token is the right (a made-up one
    // is gone for everyone).
    ("GET", "/notificatieadres/{token}", [410; 6]),
    ("POST", "/notificatieadres/{token}", [410; 6]),
    ("GET", "/werkgevers/{employer}", TENANT_READ),
    // A new notification address: the master only (an empty form is refused at its field).
    (
        "POST",
        "/werkgevers/{employer}/notificatieadres",
        [S, 404, 403, 403, 404, 422],
    ),
    ("GET", "/werkgevers/{employer}/werknemers", TENANT_READ),
    ("GET", "/werkgevers/{employer}/categorieen", TENANT_READ),
    ("GET", "/werkgevers/{employer}/premies", TENANT_READ),
    // Writing to a contact point: anyone of the employer; the matrix posts no multipart
    // form (400). The fixture's thread is master A's: others do not see it (404).
    ("GET", "/werkgevers/{employer}/contact", TENANT_READ),
    (
        "POST",
        "/werkgevers/{employer}/contact",
        [S, 404, 400, 400, 404, 400],
    ),
    ("GET", "/werkgevers/{employer}/correspondentie", TENANT_READ),
    (
        "GET",
        "/werkgevers/{employer}/correspondentie/{thread}",
        [S, 404, 404, 404, 404, 200],
    ),
    (
        "POST",
        "/werkgevers/{employer}/correspondentie/{thread}",
        [S, 404, 400, 400, 404, 400],
    ),
    (
        "GET",
        "/werkgevers/{employer}/correspondentie/{thread}/bijlagen/{message}",
        [S, 404, 404, 404, 404, 200],
    ),
    // This month's statement, issued by the fixture.
    (
        "GET",
        "/werkgevers/{employer}/premies/{month}/pdf",
        TENANT_READ,
    ),
    (
        "GET",
        "/werkgevers/{employer}/premies/{year}/xlsx",
        TENANT_READ,
    ),
    ("GET", "/werkgevers/{employer}/documenten", TENANT_READ),
    // A regulation of the second contract: outside the consult user's scope.
    (
        "GET",
        "/werkgevers/{employer}/documenten/{document}",
        [S, 404, 404, 200, 404, 200],
    ),
    // An employee of the second contract: outside the consult user's scope.
    (
        "GET",
        "/werkgevers/{employer}/werknemers/{employee}",
        [S, 404, 404, 200, 404, 200],
    ),
    ("GET", "/werkgevers/{employer}/gebruikers", MASTER_READ),
    (
        "GET",
        "/werkgevers/{employer}/gebruikers/nieuw",
        MASTER_READ,
    ),
    // An empty form: refused at its fields.
    (
        "POST",
        "/werkgevers/{employer}/gebruikers",
        [S, 404, 403, 403, 404, 422],
    ),
    (
        "GET",
        "/werkgevers/{employer}/gebruikers/{sheet}",
        MASTER_READ,
    ),
    (
        "POST",
        "/werkgevers/{employer}/gebruikers/{sheet}",
        [S, 404, 403, 403, 404, 422],
    ),
    // The consult user's sheet has no pending invitation.
    (
        "POST",
        "/werkgevers/{employer}/gebruikers/{sheet}/uitnodiging",
        [S, 404, 403, 403, 404, 422],
    ),
    (
        "POST",
        "/werkgevers/{employer}/gebruikers/{sheet}/2fa-herstellen",
        [S, 404, 403, 403, 404, 200],
    ),
    (
        "POST",
        "/werkgevers/{employer}/gebruikers/{sheet}/intrekken",
        [S, 404, 403, 403, 404, 200],
    ),
    // Revoking, resetting 2FA and withdrawing first ask (200, nothing changes); then only
    // with `bevestigd=1` (tests/confirm.rs).
    // An invitation of A to another account: only A's master withdraws it.
    (
        "POST",
        "/werkgevers/{employer}/gebruikers/uitnodigingen/{invitation}/intrekken",
        [S, 404, 403, 403, 404, 200],
    ),
    // The operator console: the operator only (empty forms are refused at their fields).
    ("GET", "/beheer", OPERATOR_ONLY),
    // Payments: the operator only; the matrix posts no fields (400) and no file (400).
    ("GET", "/beheer/betalingen", OPERATOR_ONLY),
    ("POST", "/beheer/betalingen", [S, 400, 403, 403, 403, 403]),
    (
        "POST",
        "/beheer/betalingen/bestand",
        [S, 400, 403, 403, 403, 403],
    ),
    ("GET", "/beheer/werkgevers/nieuw", OPERATOR_ONLY),
    // The inbox; the matrix posts an answer without text (400).
    ("GET", "/beheer/berichten", OPERATOR_ONLY),
    ("GET", "/beheer/berichten/{thread}", OPERATOR_ONLY),
    (
        "POST",
        "/beheer/berichten/{thread}",
        [S, 400, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/beheer/berichten/{thread}/bijlagen/{message}",
        OPERATOR_ONLY,
    ),
    (
        "GET",
        "/beheer/werkgevers/{number}/contactpunten",
        OPERATOR_ONLY,
    ),
    // No fields: every contact point left empty is removed.
    (
        "POST",
        "/beheer/werkgevers/{number}/contactpunten",
        [S, S, 403, 403, 403, 403],
    ),
    ("POST", "/beheer/werkgevers", [S, 422, 403, 403, 403, 403]),
    ("GET", "/beheer/werkgevers/{number}", OPERATOR_ONLY),
    // Publishing a document: the matrix posts a plain form, not a multipart one (400).
    (
        "GET",
        "/beheer/werkgevers/{number}/documenten",
        OPERATOR_ONLY,
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/documenten",
        [S, 400, 403, 403, 403, 403],
    ),
    // The plan: the matrix posts no fields, so the operator's forms answer 422.
    (
        "GET",
        "/beheer/werkgevers/{number}/categorieen",
        OPERATOR_ONLY,
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/categorieen",
        [S, 422, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/regels",
        [S, 422, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/master",
        [S, 422, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/contracten",
        [S, 422, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/gegevens",
        [S, 422, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/beheer/werkgevers/{number}/notificatieadres",
        [S, 422, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/beheer/2fa-herstellen",
        [S, 422, 403, 403, 403, 403],
    ),
    ("GET", "/werkgevers/{employer}/auditlog", MASTER_READ),
    (
        "GET",
        "/werkgevers/{employer}/auditlog/download",
        MASTER_READ,
    ),
    ("GET", "/beheer/auditlog", OPERATOR_ONLY),
    ("GET", "/beheer/auditlog/download", OPERATOR_ONLY),
    ("GET", "/beheer/outbox", OPERATOR_ONLY),
    // No such message: 404 for the operator.
    (
        "POST",
        "/beheer/outbox/{id}/opnieuw",
        [S, 404, 403, 403, 403, 403],
    ),
    // Overzicht acties. The action is a download of the master of A, with its file: the
    // consult user (one contract) does not see it.
    ("GET", "/werkgevers/{employer}/acties", TENANT_READ),
    (
        "GET",
        "/werkgevers/{employer}/acties/{action}",
        [S, 404, 404, 200, 404, 200],
    ),
    (
        "GET",
        "/werkgevers/{employer}/acties/{action}/bestand",
        [S, 404, 404, 200, 404, 200],
    ),
    ("GET", "/werkgevers/{employer}/downloads", TENANT_READ),
    (
        "POST",
        "/werkgevers/{employer}/downloads/overzicht-verzekerden",
        [S, 404, 303, 303, 404, 303],
    ),
    // The matrix posts no month (400).
    (
        "POST",
        "/werkgevers/{employer}/downloads/premiebordereel",
        [S, 404, 400, 400, 404, 400],
    ),
    // The salary list of this year, for any user of the employer, as the overview.
    (
        "POST",
        "/werkgevers/{employer}/downloads/invullijst-salarissen",
        [S, 404, 303, 303, 404, 303],
    ),
    // Uploads and decisions: input and master only. The matrix posts a plain form: no file
    // (400), no choice (400); cancelling a download is refused back to its page (303).
    (
        "GET",
        "/werkgevers/{employer}/uploads",
        [S, 404, 403, 200, 404, 200],
    ),
    (
        "POST",
        "/werkgevers/{employer}/uploads",
        [S, 404, 403, 400, 404, 400],
    ),
    (
        "POST",
        "/werkgevers/{employer}/uploads/invullijst-salarissen",
        [S, 404, 403, 400, 404, 400],
    ),
    (
        "POST",
        "/werkgevers/{employer}/acties/{action}/toepassen",
        [S, 404, 403, 400, 404, 400],
    ),
    (
        "POST",
        "/werkgevers/{employer}/acties/{action}/annuleren",
        [S, 404, 403, 200, 404, 200],
    ),
    // Employee changes: input and master only. The matrix posts empty forms, refused at
    // their fields (422); withdrawing a download is refused back to its page (303).
    (
        "GET",
        "/werkgevers/{employer}/aansluitingen/nieuw",
        CHANGE_READ,
    ),
    (
        "POST",
        "/werkgevers/{employer}/aansluitingen/nieuw",
        CHANGE_REFUSED,
    ),
    (
        "POST",
        "/werkgevers/{employer}/aansluitingen",
        CHANGE_REFUSED,
    ),
    (
        "GET",
        "/werkgevers/{employer}/werknemers/{employee}/uittreding",
        CHANGE_READ,
    ),
    (
        "POST",
        "/werkgevers/{employer}/werknemers/{employee}/uittreding",
        CHANGE_REFUSED,
    ),
    (
        "GET",
        "/werkgevers/{employer}/werknemers/{employee}/verplaatsen",
        CHANGE_READ,
    ),
    (
        "POST",
        "/werkgevers/{employer}/werknemers/{employee}/verplaatsen",
        CHANGE_REFUSED,
    ),
    // No employees chosen.
    ("GET", "/werkgevers/{employer}/uittredingen", CHANGE_REFUSED),
    (
        "POST",
        "/werkgevers/{employer}/uittredingen",
        CHANGE_REFUSED,
    ),
    (
        "GET",
        "/werkgevers/{employer}/werknemers/{employee}/wijzigen",
        CHANGE_READ,
    ),
    (
        "POST",
        "/werkgevers/{employer}/werknemers/{employee}/wijzigen",
        CHANGE_REFUSED,
    ),
    (
        "POST",
        "/werkgevers/{employer}/acties/{action}/intrekken",
        [S, 404, 403, 200, 404, 200],
    ),
    // A's invitation to master B: only master B answers it (accepting takes them to A);
    // then it is gone.
    (
        "POST",
        "/uitnodigingen/{invitation}/aanvaarden",
        [S, 404, 404, 404, S, 404],
    ),
    (
        "POST",
        "/uitnodigingen/{invitation}/weigeren",
        [S, 404, 404, 404, 404, 404],
    ),
    // Last: it ends the session.
    ("POST", "/logout", [S; 6]),
];

async fn every_route_answers_every_role_as_the_matrix_says(db: TestDb) {
    let f = fixture(&db.store).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let operator = new_operator(&db.store, OPERATOR, "Beheerder", &hash).await;
    // An input user of A with every contract: reads what the consult user cannot, manages nothing.
    let input_a = new_user(&db.store, INPUT_A, "Invoer Proef", &hash).await;
    db.store
        .insert_sheet(f.employer_a, input_a, Rights::Input, None, None, Utc::now())
        .await
        .unwrap();
    let base = spawn_app(db.store.clone()).await;

    // The matrix and the application list the same routes (a worker has built the app once
    // it answered).
    Browser::new(&base).get("/healthz").await;
    let registered = ebdesk_server::registered_routes();
    for (method, path) in &registered {
        assert!(
            MATRIX.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} has no entry in the authorization matrix"
        );
    }
    for (method, path, _) in MATRIX {
        assert!(
            registered.contains(&(*method, *path)),
            "{method} {path} is in the matrix but not an application route"
        );
    }

    let access = db
        .store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let consult_sheet = db
        .store
        .list_sheets(&access)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.email == CONSULT_A)
        .unwrap()
        .sheet_id;
    let action = db
        .store
        .enqueue_action(
            access.scope(),
            &ebdesk_store::NewAction {
                kind: ebdesk_domain::ActionKind::InsuredOverviewDownload,
                description: "Aangevraagd".to_owned(),
                employee_id: None,
                payload: "{}".to_owned(),
                effective_date: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job(
            "matrix",
            None,
            Utc::now(),
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, action);
    let file = ebdesk_store::GeneratedFile::new(
        "lijst.xlsx",
        "application/octet-stream",
        vec![1, 2, 3],
        Utc::now(),
    );
    db.store
        .complete_job_with_file(job.id, &job.lease_token, &file, Utc::now())
        .await
        .unwrap();
    let this_month = ebdesk_domain::premium::Month::of(Utc::now().date_naive());
    db.store
        .issue_statement(
            access.employer().id,
            this_month,
            &ebdesk_store::IssueNotice::default(),
            &ebdesk_store::Actor::default(),
            Utc::now(),
        )
        .await
        .unwrap();
    // A thread of A's master with the claims contact point, its message with an attachment.
    let thread = ebdesk_store::NewContactThread {
        kind: ebdesk_domain::contact::ContactKind::Claims,
        subject: "Vraag".to_owned(),
        body: "Dag".to_owned(),
        employee_id: None,
        attachment: Some(ebdesk_store::NewAttachment {
            name: "brief.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: b"%PDF-1.4 brief".to_vec(),
        }),
    };
    let actor = ebdesk_store::Actor::default();
    let thread = db
        .store
        .start_contact_thread(access.scope(), &thread, None, &actor, Utc::now());
    let thread = thread.await.unwrap();
    let found = db
        .store
        .find_contact_thread(access.scope(), thread)
        .await
        .unwrap();
    let message = found.unwrap().messages[0].id;
    let document = db
        .store
        .publish_document(
            access.employer().id,
            &ebdesk_store::NewDocument {
                contract_id: Some(f.c2),
                kind: ebdesk_domain::DocumentKind::Legal,
                title: "Pensioenreglement arbeiders".to_owned(),
                file_name: "Pensioenreglement arbeiders.pdf".to_owned(),
                content_type: "application/pdf".to_owned(),
                content: b"%PDF-1.4".to_vec(),
            },
            &ebdesk_store::Actor {
                user_id: Some(operator),
                ip: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    // Two invitations of A to existing accounts: master B, and an outside consultant.
    let hash_x = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_user(&db.store, "extern@c.test", "Extern", &hash_x).await;
    let inviter = Browser::logged_in(&base, MASTER_A).await;
    for email in [MASTER_B, "extern@c.test"] {
        let token = inviter
            .get("/werkgevers/530-101/gebruikers/nieuw")
            .await
            .csrf_token();
        let added = inviter
            .post(
                "/werkgevers/530-101/gebruikers",
                &[
                    ("name", "Uitgenodigd"),
                    ("email", email),
                    ("rights", "consult"),
                    ("scope", "all"),
                    ("csrf_token", &token),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let invitations = db.store.list_sent_invitations(&access).await.unwrap();
    let invitation_of = |email: &str| {
        invitations
            .iter()
            .find(|i| i.email == email)
            .unwrap()
            .invitation_id
            .to_string()
    };
    let (to_master_b, to_extern) = (invitation_of(MASTER_B), invitation_of("extern@c.test"));
    let fill = |path: &str| {
        let invitation = if path.starts_with("/uitnodigingen") {
            &to_master_b
        } else {
            &to_extern
        };
        path.replace("{employer}", EMPLOYER_A)
            .replace("{invitation}", invitation)
            .replace("{employee}", &f.person("Tweede").id.to_string())
            .replace("{sheet}", &consult_sheet.to_string())
            .replace("{token}", "een-verzonnen-link")
            .replace("{file}", "app.css")
            .replace("{number}", EMPLOYER_A)
            .replace("{id}", "999999")
            .replace("{action}", &action.to_string())
            .replace("{document}", &document.to_string())
            .replace("{month}", &this_month.key())
            .replace("{year}", &this_month.year.to_string())
            .replace("{thread}", &thread.to_string())
            .replace("{message}", &message.to_string())
    };

    // The master of A goes last: revoking the consult user's sheet changes what follows.
    for (index, role) in ROLES.iter().enumerate() {
        let browser = match *role {
            "anonymous" => Browser::new(&base),
            "operator" => Browser::logged_in(&base, OPERATOR).await,
            "consult_a" => Browser::logged_in(&base, CONSULT_A).await,
            "input_a" => Browser::logged_in(&base, INPUT_A).await,
            "master_b" => Browser::logged_in(&base, MASTER_B).await,
            _ => Browser::logged_in(&base, MASTER_A).await,
        };
        for (method, path, expected) in MATRIX {
            let url = fill(path);
            let page = if *method == "GET" {
                browser.get(&url).await
            } else {
                // A valid CSRF token for this browser: the matrix is about rights, not CSRF.
                let token = browser.get("/login").await;
                let token = if token.status == StatusCode::OK {
                    token.csrf_token()
                } else {
                    browser.get("/werkgevers").await.csrf_token()
                };
                let mut form = vec![("csrf_token", token.as_str())];
                // An unknown address per role: six wrong passwords for one account would
                // lock it before its own turn.
                let stranger = format!("onbekend-{index}@a.test");
                if *path == "/login" {
                    form.extend([
                        ("email", stranger.as_str()),
                        ("password", "fout-wachtwoord"),
                    ]);
                }
                if *path == "/wachtwoord-vergeten" {
                    form.push(("email", "niemand@a.test"));
                }
                browser.post(&url, &form).await
            };
            assert_eq!(
                page.status.as_u16(),
                expected[index],
                "{role}: {method} {url}: {}",
                page.body.chars().take(300).collect::<String>()
            );
        }
    }
    db.cleanup().await;
}

both_engines!(every_route_answers_every_role_as_the_matrix_says);
