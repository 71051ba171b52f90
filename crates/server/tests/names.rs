//! Names that hide or reorder text (U+202E and the like) are refused at their field, with
//! the Dutch message and what was typed kept, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{Browser, EMPLOYER_A, MASTER_A, PASSWORD, fixture, new_operator, spawn_app};

/// Shows "Eva" then, reversed, "exe.pdf": a name that lies about what follows it.
const SPOOFED: &str = "Eva \u{202E}fdp.exe";
const MESSAGE: &str = "leesrichting van de tekst omdraait";

/// The `<p id="name-error">` of a page.
fn name_error(page: &support::Page) -> String {
    let start = page
        .body
        .find("id=\"name-error\"")
        .unwrap_or_else(|| panic!("no error at the name field:\n{}", page.body));
    let end = page.body[start..].find("</p>").unwrap() + start;
    page.body[start..end].to_owned()
}

async fn a_name_with_a_direction_override_is_refused_at_the_field(db: TestDb) {
    fixture(&db.store).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(&db.store, "beheer@ebdesk.test", "Beheerder", &hash).await;
    let base = spawn_app(db.store.clone()).await;

    // The master's "Gebruikers" form.
    let master = Browser::logged_in(&base, MASTER_A).await;
    let users = format!("/werkgevers/{EMPLOYER_A}/gebruikers");
    let token = master.get(&format!("{users}/nieuw")).await.csrf_token();
    let refused = master
        .post(
            &users,
            &[
                ("name", SPOOFED),
                ("email", "eva.janssens@a.test"),
                ("rights", "consult"),
                ("scope", "all"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(name_error(&refused).contains(MESSAGE), "{}", refused.body);
    assert!(refused.body.contains(&format!("value=\"{SPOOFED}\"")));
    assert!(refused.body.contains("value=\"eva.janssens@a.test\""));
    assert!(
        db.store
            .find_account_by_email("eva.janssens@a.test")
            .await
            .unwrap()
            .is_none()
    );

    // The operator's master designation.
    let operator = Browser::logged_in(&base, "beheer@ebdesk.test").await;
    let page = format!("/beheer/werkgevers/{EMPLOYER_A}");
    let token = operator.get(&page).await.csrf_token();
    let refused = operator
        .post(
            &format!("{page}/master"),
            &[
                ("name", SPOOFED),
                ("email", "eva.janssens@a.test"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(name_error(&refused).contains(MESSAGE), "{}", refused.body);
    assert!(
        db.store
            .find_account_by_email("eva.janssens@a.test")
            .await
            .unwrap()
            .is_none()
    );
    db.cleanup().await;
}

both_engines!(a_name_with_a_direction_override_is_refused_at_the_field);
