//! "Verplaatsen naar andere categorie" through the real app, on both engines: each refusal
//! at its field in Dutch, hostile ids refused, the move on the employee page, its action
//! and the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use chrono::Utc;
use ebdesk_domain::Rights;
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{Browser, EMPLOYER_A, MASTER_A, PASSWORD, fixture, new_user, spawn_app};

const INPUT_A: &str = "invoer@a.test";

fn path(rest: &str) -> String {
    format!("/werkgevers/{EMPLOYER_A}{rest}")
}

fn text(page: &support::Page) -> String {
    support::unescape(&page.body)
}

/// The value of the radio button of the form (the one running affiliation).
fn affiliation_id(body: &str) -> String {
    let start = body.find("name=\"affiliation\" value=\"").unwrap() + 26;
    let end = body[start..].find('"').unwrap() + start;
    body[start..end].to_owned()
}

async fn post(browser: &Browser, form_path: &str, fields: &[(&str, &str)]) -> support::Page {
    let token = browser.get(form_path).await.csrf_token();
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    browser.post(form_path, &all).await
}

async fn a_category_move_is_checked_at_its_fields_and_shown_everywhere(db: TestDb) {
    let f = fixture(&db.store).await;
    let store = &db.store;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let input = new_user(store, INPUT_A, "Invoer Proef", &hash).await;
    store
        .insert_sheet(f.employer_a, input, Rights::Input, None, None, Utc::now())
        .await
        .unwrap();
    let kader = store.insert_category(f.employer_a, f.c1, "Kaderleden");
    let kader = kader.await.unwrap().to_string();
    let base = spawn_app(db.store.clone()).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let peeters = f.person("Peeters").id;
    let form_path = path(&format!("/werknemers/{peeters}/verplaatsen"));

    let form = hr.get(&form_path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        text(&form).contains(">Kaderleden</option>"),
        "{}",
        form.body
    );
    assert!(
        !text(&form).contains(">Bedienden</option>"),
        "the current category is no choice"
    );
    let affiliation = affiliation_id(&form.body);

    // Employer B's category, another employee's affiliation, no date, a date before the start.
    let b = store.find_access(f.master_b, "530-202", Utc::now().date_naive());
    let b = b.await.unwrap().unwrap();
    let b_category = store.list_categories(b.scope()).await.unwrap()[0]
        .id
        .to_string();
    let refusals = [
        (
            vec![
                ("affiliation", affiliation.as_str()),
                ("category", b_category.as_str()),
                ("from", "01/12/2026"),
            ],
            "category",
            "categorie van het gekozen contract",
        ),
        (
            vec![
                ("affiliation", "999999"),
                ("category", kader.as_str()),
                ("from", "01/12/2026"),
            ],
            "affiliation",
            "Kies de aansluiting",
        ),
        (
            vec![
                ("affiliation", affiliation.as_str()),
                ("category", kader.as_str()),
                ("from", ""),
            ],
            "from",
            "Vul dit veld in",
        ),
        (
            vec![
                ("affiliation", affiliation.as_str()),
                ("category", kader.as_str()),
                ("from", "01/01/2015"),
            ],
            "from",
            "na de datum aansluiting",
        ),
        (
            vec![
                ("affiliation", affiliation.as_str()),
                ("category", "<script>"),
                ("from", "01/12/2026"),
            ],
            "category",
            "Kies de nieuwe categorie",
        ),
    ];
    for (fields, field, words) in &refusals {
        let page = post(&hr, &form_path, fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let error = page.field_error(field).unwrap_or_default();
        assert!(error.contains(words), "{field}: {error}");
        assert!(!page.body.contains("<script>"));
    }

    let fields = [
        ("affiliation", affiliation.as_str()),
        ("category", kader.as_str()),
        ("from", "01/12/2026"),
    ];
    let page = post(&hr, &form_path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.unwrap();
    assert!(location.ends_with("?bewaard=verplaatsing"), "{location}");
    let action = hr.get(&location).await;
    assert!(text(&action).contains("De verplaatsing naar de andere categorie is geregistreerd."));
    assert!(
        text(&action).contains("Vorige categorie</dt><dd>Bedienden"),
        "{}",
        action.body
    );
    assert!(text(&action).contains("class=\"move-new-category\">Kaderleden"));

    let employee = text(&hr.get(&path(&format!("/werknemers/{peeters}"))).await);
    assert!(
        employee.contains("Overgang naar andere categorie"),
        "{employee}"
    );
    assert!(employee.contains("30/11/2026"));
    assert!(employee.contains("class=\"move-new-category\">Kaderleden"));

    // The same move again: that affiliation no longer runs.
    let again = post(&hr, &form_path, &fields).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.field_error("affiliation").is_some());

    let master = Browser::logged_in(&base, MASTER_A).await;
    let log = text(&master.get(&path("/auditlog")).await);
    assert!(log.contains("Verplaatst naar andere categorie"), "{log}");
    assert!(log.contains("Vorige categorie: Bedienden"));
    db.cleanup().await;
}

both_engines!(a_category_move_is_checked_at_its_fields_and_shown_everywhere);
