//! "Gebruikers" through the real application, on SQLite and PostgreSQL: the master user adds,
//! changes and revokes user sheets; the rules of the VGZ and Ethias documents hold.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::Utc;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{Browser, CONSULT_A, EMPLOYER_A, MASTER_A, MASTER_B, fixture, spawn_app};

const USERS: &str = "/werkgevers/530-101/gebruikers";

async fn sheet_id(db: &TestDb, master_id: i64, email: &str) -> i64 {
    let access = db
        .store
        .find_access(master_id, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    db.store
        .list_sheets(&access)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.email == email)
        .unwrap()
        .sheet_id
}

async fn add(browser: &Browser, fields: &[(&str, &str)]) -> support::Page {
    let token = browser.get(&format!("{USERS}/nieuw")).await.csrf_token();
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", &token));
    browser.post(USERS, &form).await
}

async fn the_master_adds_a_colleague_who_gets_an_invitation_with_a_scope(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let c1 = f.c1.to_string();

    // Free mail and generic mailboxes are refused at the field, with what was typed kept.
    let gmail = add(
        &master,
        &[
            ("name", "Lies Goossens"),
            ("email", "lies.goossens@gmail.com"),
            ("rights", "consult"),
            ("scope", "all"),
        ],
    )
    .await;
    assert_eq!(gmail.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(gmail.body.contains("gratis provider"), "{}", gmail.body);
    assert!(gmail.body.contains("value=\"Lies Goossens\""));
    let generic = add(
        &master,
        &[
            ("name", "Personeelsdienst"),
            ("email", "hr@a.test"),
            ("rights", "consult"),
            ("scope", "all"),
        ],
    )
    .await;
    assert!(generic.body.contains("algemeen adres"), "{}", generic.body);
    let no_contract = add(
        &master,
        &[
            ("name", "Lies Goossens"),
            ("email", "lies.goossens@a.test"),
            ("rights", "consult"),
            ("scope", "some"),
        ],
    )
    .await;
    assert!(no_contract.body.contains("minstens één contract"));
    // Nothing was stored by the refusals.
    assert!(
        db.store
            .find_account_by_email("lies.goossens@a.test")
            .await
            .unwrap()
            .is_none()
    );

    let ok = add(
        &master,
        &[
            ("name", "Lies Goossens"),
            ("email", "Lies.Goossens@a.test"),
            ("rights", "input"),
            ("scope", "some"),
            ("contract", &c1),
            ("external", "on"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let list = master.get(USERS).await;
    assert!(list.body.contains("lies.goossens@a.test"));
    assert!(list.body.contains("Uitgenodigd"));
    let mail = db
        .store
        .find_latest_email_to("lies.goossens@a.test")
        .await
        .unwrap()
        .unwrap();
    assert!(mail.body_text.contains("/activeren/"), "{}", mail.body_text);
    // One sheet per person per employer.
    let twice = add(
        &master,
        &[
            ("name", "Lies"),
            ("email", "lies.goossens@a.test"),
            ("rights", "consult"),
            ("scope", "all"),
        ],
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("al een gebruikersfiche"));

    // The invitation can be withdrawn: the link stops working.
    let path = mail
        .body_text
        .split_whitespace()
        .find_map(|w| w.find("/activeren/").map(|i| w[i..].to_owned()))
        .unwrap();
    let sheet = sheet_id(&db, f.master_a, "lies.goossens@a.test").await;
    let token = master.get(USERS).await.csrf_token();
    let withdrawn = master
        .post(
            &format!("{USERS}/{sheet}/intrekken"),
            &[("csrf_token", &token), ("bevestigd", "1")],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(
        Browser::new(&base).get(&path).await.status,
        StatusCode::GONE
    );
    db.cleanup().await;
}

async fn a_scope_change_or_a_revocation_takes_effect_on_the_next_request(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let tweede = format!("/werkgevers/530-101/werknemers/{}", f.person("Tweede").id);
    assert_eq!(consult.get(&tweede).await.status, StatusCode::NOT_FOUND);

    let sheet = sheet_id(&db, f.master_a, CONSULT_A).await;
    let form = master.get(&format!("{USERS}/{sheet}")).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = form.csrf_token();
    let changed = master
        .post(
            &format!("{USERS}/{sheet}"),
            &[
                ("rights", "consult"),
                ("scope", "all"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    // The session that was already open sees the wider scope at once.
    assert_eq!(consult.get(&tweede).await.status, StatusCode::OK);

    let token = master.get(USERS).await.csrf_token();
    // The button first asks, naming the person, and changes nothing.
    let asked = master
        .post(
            &format!("{USERS}/{sheet}/intrekken"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("name=\"bevestigd\" value=\"1\""),
        "{}",
        asked.body
    );
    assert!(
        asked.body.contains("verliest meteen de toegang"),
        "{}",
        asked.body
    );
    assert_eq!(consult.get(&tweede).await.status, StatusCode::OK);
    let revoked = master
        .post(
            &format!("{USERS}/{sheet}/intrekken"),
            &[("csrf_token", &token), ("bevestigd", "1")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        consult.get("/werkgevers/530-101").await.status,
        StatusCode::NOT_FOUND
    );
    db.cleanup().await;
}

async fn the_master_cannot_revoke_or_change_their_own_sheet_and_others_cannot_manage(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let own = sheet_id(&db, f.master_a, MASTER_A).await;
    let token = master.get(USERS).await.csrf_token();
    let revoke = master
        .post(
            &format!("{USERS}/{own}/intrekken"),
            &[("csrf_token", &token), ("bevestigd", "1")],
        )
        .await;
    assert_eq!(revoke.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        revoke.body.contains("master user kan hier niet"),
        "{}",
        revoke.body
    );
    let change = master
        .post(
            &format!("{USERS}/{own}"),
            &[
                ("rights", "consult"),
                ("scope", "all"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(change.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        master.get("/werkgevers/530-101").await.status,
        StatusCode::OK
    );
    assert!(master.get(USERS).await.body.contains("Master user"));

    // A consult user may not manage users; another employer's master does not even see it.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    assert_eq!(consult.get(USERS).await.status, StatusCode::FORBIDDEN);
    let other = Browser::logged_in(&base, MASTER_B).await;
    assert_eq!(other.get(USERS).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.get(&format!("{USERS}/{own}")).await.status,
        StatusCode::NOT_FOUND
    );
    db.cleanup().await;
}

both_engines!(
    the_master_adds_a_colleague_who_gets_an_invitation_with_a_scope,
    a_scope_change_or_a_revocation_takes_effect_on_the_next_request,
    the_master_cannot_revoke_or_change_their_own_sheet_and_others_cannot_manage,
);
