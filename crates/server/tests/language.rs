//! The language of pages and mails, through the real application on SQLite and PostgreSQL:
//! the browser's Accept-Language before login, the NL / FR / EN switch over it, the
//! account's own language after login (whatever the browser says), and mails in the
//! recipient's language.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{Browser, MASTER_A, fixture, spawn_app};

both_engines!(
    the_login_page_speaks_the_browsers_language_until_the_switch_says_otherwise,
    the_account_language_wins_and_the_person_changes_it_on_their_account_page,
    a_reset_mail_is_written_in_the_account_holders_language,
    error_pages_speak_the_readers_language,
    the_person_asks_for_the_digest_of_new_documents_on_their_account_page,
);

async fn the_login_page_speaks_the_browsers_language_until_the_switch_says_otherwise(db: TestDb) {
    let base = spawn_app(db.store.clone()).await;
    let b = Browser::new(&base);
    let french = [("accept-language", "fr-BE,fr;q=0.9,nl;q=0.5")];
    let page = b.get_with_headers("/login", &french).await;
    assert!(page.body.contains("<html lang=\"fr\""), "{}", page.body);
    assert!(page.body.contains("Connexion"), "{}", page.body);
    assert!(!page.body.contains("Aanmelden</h1>"));

    // The switch: English, kept in a cookie for the next pages, over the browser's French.
    let page = b.get_with_headers("/login?taal=en", &french).await;
    assert!(page.body.contains("Log in"), "{}", page.body);
    assert_eq!(page.cookie_value("ebdesk_lang").as_deref(), Some("en"));
    let page = b.get_with_headers("/wachtwoord-vergeten", &french).await;
    assert!(page.body.contains("<html lang=\"en\""), "{}", page.body);

    // Nothing else is taken: an unknown choice or cookie is the browser's language again.
    let fresh = Browser::new(&base);
    fresh.plant_cookie("ebdesk_lang", "xx");
    let page = fresh.get_with_headers("/login?taal=de", &french).await;
    assert!(page.body.contains("<html lang=\"fr\""), "{}", page.body);
    assert!(page.set_cookie("ebdesk_lang").is_none());
    let page = Browser::new(&base).get("/login").await;
    assert!(page.body.contains("<html lang=\"nl\""), "{}", page.body);

    db.cleanup().await;
}

async fn the_account_language_wins_and_the_person_changes_it_on_their_account_page(db: TestDb) {
    let f = fixture(&db.store).await;
    db.store.set_language(f.master_a, "fr").await.unwrap();
    let base = spawn_app(db.store.clone()).await;
    let b = Browser::logged_in(&base, MASTER_A).await;
    let dutch_browser = [("accept-language", "nl-BE")];
    let page = b
        .get_with_headers("/werkgevers/530-101", &dutch_browser)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Travailleurs"), "{}", page.body);

    let token = b.get("/mijn-account").await.csrf_token();
    let refused = b
        .post(
            "/mijn-account",
            &[("language", "de"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused
            .body
            .contains("Choisissez une des langues de la liste."),
        "{}",
        refused.body
    );
    let saved = b
        .post(
            "/mijn-account",
            &[("language", "en"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = b.get(saved.location.as_deref().unwrap()).await;
    assert!(
        page.body.contains("Your settings have been saved."),
        "{}",
        page.body
    );
    let page = b.get("/werkgevers/530-101").await;
    assert!(page.body.contains(">Employees<"), "{}", page.body);
    // Without the form's token nothing changes.
    let forged = b.post("/mijn-account", &[("language", "nl")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let account = db.store.find_account(f.master_a).await.unwrap().unwrap();
    assert_eq!(account.language, "en");

    db.cleanup().await;
}

async fn error_pages_speak_the_readers_language(db: TestDb) {
    let f = fixture(&db.store).await;
    db.store.set_language(f.master_a, "en").await.unwrap();
    let base = spawn_app(db.store.clone()).await;
    let visitor = Browser::new(&base);
    let french = [("accept-language", "fr-BE,fr;q=0.9")];
    let missing = visitor.get_with_headers("/nergens", &french).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("Page introuvable"),
        "{}",
        missing.body
    );
    // Logged in, the account's language wins over the browser's; for a handler's error
    // (another employer) as for an unknown path.
    let english = Browser::logged_in(&base, MASTER_A).await;
    for path in ["/nergens", "/werkgevers/530-202/werknemers"] {
        let page = english.get_with_headers(path, &french).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("Page not found"), "{}", page.body);
    }
    // A Dutch reader sees the Dutch page as before.
    let dutch = visitor.get("/nergens").await;
    assert!(
        dutch.body.contains("Pagina niet gevonden"),
        "{}",
        dutch.body
    );
    db.cleanup().await;
}

async fn a_reset_mail_is_written_in_the_account_holders_language(db: TestDb) {
    let f = fixture(&db.store).await;
    db.store.set_language(f.master_a, "fr").await.unwrap();
    let base = spawn_app(db.store.clone()).await;
    // The visitor reads Dutch; the mail goes to a French reader.
    let b = Browser::new(&base);
    let token = b.get("/wachtwoord-vergeten").await.csrf_token();
    let page = b
        .post(
            "/wachtwoord-vergeten",
            &[("email", MASTER_A), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let mail = db
        .store
        .find_latest_email_to(MASTER_A)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mail.subject, "ebdesk : choisissez un nouveau mot de passe");
    assert!(mail.body_text.starts_with("Bonjour "), "{}", mail.body_text);

    // The link is used: the notice that the password changed is French too.
    let start = mail.body_text.find("/wachtwoord-herstellen/").unwrap();
    let link: String = mail.body_text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let token = b.get(&link).await.csrf_token();
    let new_password = "een-heel-nieuw-wachtwoord-42";
    let done = b
        .post(
            &link,
            &[
                ("password", new_password),
                ("password_repeat", new_password),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let notice = db
        .store
        .find_latest_email_to(MASTER_A)
        .await
        .unwrap()
        .unwrap();
    assert!(
        notice
            .body_text
            .contains("Le mot de passe de votre compte ebdesk vient d'être modifié"),
        "{}",
        notice.body_text
    );

    db.cleanup().await;
}

async fn the_person_asks_for_the_digest_of_new_documents_on_their_account_page(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let b = Browser::logged_in(&base, MASTER_A).await;
    let page = b.get("/mijn-account").await;
    assert!(
        page.body.contains("E-mail bij nieuwe documenten"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(" checked>"), "{}", page.body);
    assert!(!db.store.document_notices(f.master_a).await.unwrap());

    let token = page.csrf_token();
    let saved = b
        .post(
            "/mijn-account",
            &[
                ("language", "nl"),
                ("document_notices", "1"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(db.store.document_notices(f.master_a).await.unwrap());
    let page = b.get(saved.location.as_deref().unwrap()).await;
    assert!(
        page.body.contains("Uw instellingen zijn bewaard."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("name=\"document_notices\" value=\"1\" aria-describedby=\"document-notices-hint\" checked>"),
        "{}",
        page.body
    );

    // Unchecked: the box is not sent, and the choice is taken back.
    let saved = b
        .post(
            "/mijn-account",
            &[("language", "nl"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert!(!db.store.document_notices(f.master_a).await.unwrap());
    let page = b.get("/mijn-account").await;
    assert!(!page.body.contains(" checked>"), "{}", page.body);
    db.cleanup().await;
}
