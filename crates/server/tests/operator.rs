//! The operator console through the real application, on SQLite and PostgreSQL: create an
//! employer (KBO checked), designate its master user, who activates and manages; transfer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::Utc;
use ebdesk_domain::Rights;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{Browser, PASSWORD, new_operator, spawn_app};

const OPERATOR: &str = "beheer@ebdesk.test";

fn employer_form(kbo: &str) -> Vec<(&'static str, String)> {
    vec![
        ("number", "530-303".to_owned()),
        ("name", "Drukkerij Vos BV".to_owned()),
        ("kbo", kbo.to_owned()),
        ("street", "Papierstraat 3".to_owned()),
        ("postal_code", "9000".to_owned()),
        ("city", "Gent".to_owned()),
        ("notification_email", "meldingen@vos.test".to_owned()),
        ("contract_number", "530/000303".to_owned()),
        ("contract_name", "Groepsverzekering".to_owned()),
        ("categories", "Bedienden, Arbeiders".to_owned()),
        (
            "administrative_name",
            "Dienst Groepsverzekeringen".to_owned(),
        ),
        ("administrative_email", "groep@verzekeraar.test".to_owned()),
        ("administrative_phone", "02 000 00 00".to_owned()),
    ]
}

async fn post(
    browser: &Browser,
    path: &str,
    form_page: &str,
    fields: &[(&str, String)],
) -> support::Page {
    let token = browser.get(form_page).await.csrf_token();
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form.push(("csrf_token", &token));
    browser.post(path, &form).await
}

async fn the_operator_creates_an_employer_and_designates_its_master(db: TestDb) {
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(&db.store, OPERATOR, "Beheerder", &hash).await;
    let base = spawn_app(db.store.clone()).await;
    // The operator lands on the console, not on an empty employer choice.
    let operator = Browser::new(&base);
    operator.login(OPERATOR, PASSWORD).await;
    let landed = operator.submit_code(OPERATOR).await;
    assert_eq!(landed.location.as_deref(), Some("/beheer"));
    assert_eq!(operator.get("/").await.location.as_deref(), Some("/beheer"));

    let bad = post(
        &operator,
        "/beheer/werkgevers",
        "/beheer/werkgevers/nieuw",
        &employer_form("0403.170.702"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("controlecijfers"), "{}", bad.body);
    assert!(bad.body.contains("value=\"Drukkerij Vos BV\""));
    assert!(
        db.store
            .find_employer_id("530-303")
            .await
            .unwrap()
            .is_none()
    );

    let ok = post(
        &operator,
        "/beheer/werkgevers",
        "/beheer/werkgevers/nieuw",
        &employer_form("0403.170.701"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = "/beheer/werkgevers/530-303";
    let generic = post(
        &operator,
        &format!("{page}/master"),
        page,
        &[
            ("name", "Info".to_owned()),
            ("email", "info@vos.test".to_owned()),
        ],
    )
    .await;
    assert_eq!(generic.status, StatusCode::UNPROCESSABLE_ENTITY);
    let designated = post(
        &operator,
        &format!("{page}/master"),
        page,
        &[
            ("name", "Vera Vos".to_owned()),
            ("email", "vera.vos@vos.test".to_owned()),
        ],
    )
    .await;
    assert_eq!(
        designated.status,
        StatusCode::SEE_OTHER,
        "{}",
        designated.body
    );
    assert!(
        operator
            .get("/beheer")
            .await
            .body
            .contains("vera.vos@vos.test")
    );

    // The new master activates from the e-mail, enrols and lands on the employer.
    let mail = db
        .store
        .find_latest_email_to("vera.vos@vos.test")
        .await
        .unwrap()
        .unwrap();
    let link = mail
        .body_text
        .split_whitespace()
        .find_map(|w| w.find("/activeren/").map(|i| w[i..].to_owned()))
        .unwrap();
    let vera = Browser::new(&base);
    let token = vera.get(&link).await.csrf_token();
    let set = vera
        .post(
            &link,
            &[
                ("password", "gele drukpers op maandag"),
                ("password_repeat", "gele drukpers op maandag"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(set.location.as_deref(), Some("/2fa/instellen"));
    let enrol = vera.get("/2fa/instellen").await;
    let start = enrol.body.find("id=\"totp-secret\"").unwrap();
    let text = &enrol.body[start..];
    let secret = text[text.find('>').unwrap() + 1..text.find("</code>").unwrap()].replace(' ', "");
    let code = ebdesk_server::totp_code_at(&secret, u64::try_from(Utc::now().timestamp()).unwrap())
        .unwrap();
    let token = enrol.csrf_token();
    let done = vera
        .post("/2fa/instellen", &[("code", &code), ("csrf_token", &token)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let users = vera.get("/werkgevers/530-303/gebruikers").await;
    assert_eq!(users.status, StatusCode::OK);
    // The contact point is on the employer's home.
    let home = vera.get("/werkgevers/530-303").await;
    assert!(
        home.body.contains("groep@verzekeraar.test"),
        "{}",
        home.body
    );

    // Transfer: the operator names another master; Vera keeps input rights.
    let moved = post(
        &operator,
        &format!("{page}/master"),
        page,
        &[
            ("name", "Wim Vos".to_owned()),
            ("email", "wim.vos@vos.test".to_owned()),
        ],
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        vera.get("/werkgevers/530-303/gebruikers").await.status,
        StatusCode::FORBIDDEN
    );
    let vera_id = db
        .store
        .find_account_by_email("vera.vos@vos.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let access = db
        .store
        .find_access(vera_id, "530-303", Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(access.rights(), Rights::Input);

    // The operator sees the e-mails and the employer's log; the chain verifies.
    let outbox = operator.get("/beheer/outbox").await;
    assert!(outbox.body.contains("vera.vos@vos.test"), "{}", outbox.body);
    // Without a usable link: bodies are sealed and the console never reads them.
    assert!(!outbox.body.contains("/activeren/"), "{}", outbox.body);
    let log = operator
        .get_query("/beheer/auditlog", &[("employer", "530-303")])
        .await;
    assert!(log.body.contains("Master user aangeduid"));
    assert!(log.body.contains("Werkgever aangemaakt"));
    assert!(db.store.verify_audit_chain().await.unwrap().is_intact());

    // Nobody else reaches the console.
    assert_eq!(vera.get("/beheer").await.status, StatusCode::FORBIDDEN);
    db.cleanup().await;
}

async fn the_operator_changes_an_employers_data_checked_as_when_creating(db: TestDb) {
    let f = support::fixture(&db.store).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(&db.store, OPERATOR, "Beheerder", &hash).await;
    let base = spawn_app(db.store.clone()).await;
    let operator = Browser::logged_in(&base, OPERATOR).await;
    let page = "/beheer/werkgevers/530-101";
    let save = "/beheer/werkgevers/530-101/gegevens";
    // The form is filled with the data as stored.
    let shown = operator.get(page).await;
    assert!(
        shown.body.contains("value=\"Bouwbedrijf Proef NV\""),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("value=\"Proefstraat 1\""));
    let before = db.store.find_employer("530-101").await.unwrap().unwrap();
    let fields = |kbo: &'static str, name: &'static str| {
        vec![
            ("name", name.to_owned()),
            ("kbo", kbo.to_owned()),
            ("street", "Nieuwstraat 9".to_owned()),
            ("postal_code", "".to_owned()),
            ("city", "Mechelen".to_owned()),
            // Not editable: ignored.
            ("number", "530-999".to_owned()),
            ("notification_email", "kaper@kwaad.test".to_owned()),
        ]
    };
    // Refused at each field, with what was typed kept, and nothing changed.
    let bad = post(
        &operator,
        save,
        page,
        &fields("0403.170.702", "Bouw\u{202e}bedrijf"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"data-kbo-error\""), "{}", bad.body);
    assert!(bad.body.contains("controlecijfers"));
    assert!(bad.body.contains("id=\"data-postal_code-error\""));
    assert!(bad.body.contains("id=\"data-name-error\""));
    assert!(bad.body.contains("value=\"Nieuwstraat 9\""));
    let unchanged = db.store.find_employer("530-101").await.unwrap().unwrap();
    assert_eq!(format!("{unchanged:?}"), format!("{before:?}"));

    let mut good = fields("0403.170.701", "Bouwbedrijf Proef & Zonen NV");
    good[3].1 = "2800".to_owned();
    let ok = post(&operator, save, page, &good).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let landed = operator.get(ok.location.as_deref().unwrap()).await;
    assert!(
        landed
            .body
            .contains("De gegevens van de werkgever zijn bewaard.")
    );
    let after = db.store.find_employer("530-101").await.unwrap().unwrap();
    assert_eq!(after.id, f.employer_a);
    assert_eq!(after.name, "Bouwbedrijf Proef & Zonen NV");
    assert_eq!(after.street, "Nieuwstraat 9");
    assert_eq!(
        (after.number.as_str(), after.kbo_number.as_str()),
        ("530-101", before.kbo_number.as_str())
    );
    assert_eq!(after.notification_email, before.notification_email);
    assert!(db.store.find_employer("530-999").await.unwrap().is_none());
    // The master sees the new name; the log has only what changed.
    let master = Browser::logged_in(&base, support::MASTER_A).await;
    assert!(
        master
            .get("/werkgevers/530-101")
            .await
            .body
            .contains("Nieuwstraat 9")
    );
    let log = operator
        .get_query(
            "/beheer/auditlog",
            &[("employer", "530-101"), ("event", "employer_changed")],
        )
        .await;
    assert!(log.body.contains("Nieuwstraat 9"), "{}", log.body);
    assert!(
        !log.body.contains("Mechelen"),
        "the city did not change: {}",
        log.body
    );
    // Another employer's page is untouched; an unknown one is not found.
    let other = db.store.find_employer("530-202").await.unwrap().unwrap();
    assert_eq!(other.street, "Proefstraat 1");
    let missing = post(
        &operator,
        "/beheer/werkgevers/530-999/gegevens",
        page,
        &good,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    db.cleanup().await;
}

both_engines!(
    the_operator_creates_an_employer_and_designates_its_master,
    the_operator_changes_an_employers_data_checked_as_when_creating,
);
