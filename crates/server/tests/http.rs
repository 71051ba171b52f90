//! HTTP tests through the real application (actix server on a free port, reqwest as the
//! browser), each on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{
    BULK_A, Browser, CONSULT_A, EMPLOYER_A, EMPLOYER_B, MASTER_A, MASTER_B, NAME_A, NAME_B,
    PASSWORD, Page, bulk_contract, fixture, get_with_cookie, spawn_app,
};

both_engines!(
    anonymous_visitors_are_sent_to_login_and_unknown_pages_get_a_dutch_404,
    a_master_user_logs_in_and_lands_on_the_only_employer,
    wrong_password_and_unknown_email_get_the_same_refusal_and_no_session,
    login_without_or_with_a_wrong_csrf_token_is_refused,
    logout_needs_the_csrf_token_and_then_kills_the_session,
    a_post_from_another_origin_is_refused_even_with_a_valid_token,
    the_session_id_changes_at_login,
    a_consult_user_only_sees_employees_of_the_contracts_on_the_sheet,
    the_master_of_another_employer_gets_404_for_everything_of_employer_a,
    employee_search_ignores_case_and_accents_and_finds_numbers,
    the_status_filter_passive_shows_only_passive_employees,
    the_list_masks_national_numbers_and_the_detail_shows_them_in_full,
    the_list_pages_through_120_employees_50_at_a_time,
    an_invalid_query_parameter_gives_a_dutch_400_page,
    no_redirect_or_link_carries_a_full_national_number,
    the_list_filters_counts_and_answers_bad_filters_with_a_message_at_the_field,
);

const SESSION: &str = "ebdesk_session";

/// Nothing of the machinery shows on an error page.
fn assert_no_internals(page: &Page) {
    let lower = page.body.to_lowercase();
    for word in [
        "sqlx",
        "panicked",
        "stack",
        "backtrace",
        "apperror",
        "storeerror",
        "tera",
        "actix",
        ".rs",
        "rust",
        "database",
        "error(",
        "sqlite",
        "postgres",
    ] {
        assert!(
            !lower.contains(word),
            "error page shows {word:?}:\n{}",
            page.body
        );
    }
}

fn assert_redirect_to_login(page: &Page, what: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{what}");
    assert_eq!(page.location.as_deref(), Some("/login"), "{what}");
}

fn assert_dutch_page(page: &Page, status: StatusCode, title: &str, what: &str) {
    assert_eq!(page.status, status, "{what}: {}", page.body);
    assert!(page.body.contains("lang=\"nl\""), "{what}: {}", page.body);
    assert!(page.body.contains(title), "{what}: {}", page.body);
    assert_no_internals(page);
}

fn list_path(employer: &str) -> String {
    format!("/werkgevers/{employer}/werknemers")
}

fn detail_path(employer: &str, id: i64) -> String {
    format!("/werkgevers/{employer}/werknemers/{id}")
}

// ---------------------------------------------------------------------------------------

async fn anonymous_visitors_are_sent_to_login_and_unknown_pages_get_a_dutch_404(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let anonymous = Browser::new(&base);

    let page = anonymous.get(&list_path(EMPLOYER_A)).await;
    assert_redirect_to_login(&page, "anonymous employee list");
    assert!(!page.body.contains("Peeters"));
    let page = anonymous
        .get(&detail_path(EMPLOYER_A, f.person("Peeters").id))
        .await;
    assert_redirect_to_login(&page, "anonymous employee detail");
    let page = anonymous.get("/werkgevers/999-999").await;
    assert_redirect_to_login(&page, "anonymous unknown employer");

    let health = anonymous.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);

    for path in [
        "/bestaat-niet",
        "/werkgevers/530-101/iets",
        "/static/geen.css",
    ] {
        let page = anonymous.get(path).await;
        assert_dutch_page(&page, StatusCode::NOT_FOUND, "Pagina niet gevonden", path);
    }
    db.cleanup().await;
}

async fn a_master_user_logs_in_and_lands_on_the_only_employer(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let browser = Browser::new(&base);

    let form = browser.get("/login").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"password\""));
    let token = form.csrf_token();
    assert!(token.len() >= 32, "csrf token too short: {token}");

    let answer = browser
        .post(
            "/login",
            &[
                ("email", MASTER_A),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/login/code"));
    // Half logged in: the application is not reachable before the code.
    let early = browser.get("/werkgevers/530-101").await;
    assert_eq!(early.location.as_deref(), Some("/login/code"));
    let answer = browser.submit_code(MASTER_A).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/werkgevers/530-101"));
    let cookie = answer.set_cookie(SESSION).expect("a session cookie");
    let lower = cookie.to_lowercase();
    assert!(lower.contains("httponly"), "{cookie}");
    assert!(
        lower.contains("samesite=lax") || lower.contains("samesite=strict"),
        "{cookie}"
    );
    assert!(lower.contains("path=/"), "{cookie}");

    let home = browser.get("/werkgevers/530-101").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains(NAME_A), "{}", home.body);
    assert!(home.body.contains("Afmelden"));
    assert!(!home.body.contains(NAME_B));

    // Logged in, the login page sends you on.
    let again = browser.get("/login").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location.as_deref(), Some("/werkgevers"));
    // E-mail is not case sensitive.
    let other = Browser::new(&base);
    let page = other.login_fully("Master@A.test ", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    db.cleanup().await;
}

async fn wrong_password_and_unknown_email_get_the_same_refusal_and_no_session(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;

    let wrong_password = Browser::new(&base);
    let refused = wrong_password.login(MASTER_A, "niet-het-wachtwoord").await;
    let unknown_email = Browser::new(&base);
    let unknown = unknown_email.login("niemand@nergens.test", PASSWORD).await;
    let empty_password = Browser::new(&base);
    let empty = empty_password.login(MASTER_A, "").await;

    for (page, browser, what) in [
        (&refused, &wrong_password, "wrong password"),
        (&unknown, &unknown_email, "unknown e-mail"),
        (&empty, &empty_password, "empty password"),
    ] {
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{what}");
        assert!(page.body.contains("lang=\"nl\""));
        assert!(page.set_cookie(SESSION).is_none(), "{what}: session cookie");
        assert!(!page.body.contains("Afmelden"), "{what}: logout button");
        // Not logged in afterwards either.
        assert_redirect_to_login(&browser.get("/werkgevers").await, what);
    }
    let message = refused.form_error().expect("a form-error message");
    assert!(message.contains("e-mailadres"), "{message}");
    assert_eq!(unknown.form_error(), Some(message.clone()));
    assert_eq!(empty.form_error(), Some(message));
    db.cleanup().await;
}

async fn login_without_or_with_a_wrong_csrf_token_is_refused(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let browser = Browser::new(&base);
    let form = browser.get("/login").await;
    let token = form.csrf_token();

    let missing = browser
        .post("/login", &[("email", MASTER_A), ("password", PASSWORD)])
        .await;
    assert_dutch_page(
        &missing,
        StatusCode::FORBIDDEN,
        "Formulier verlopen",
        "no token",
    );
    assert!(missing.set_cookie(SESSION).is_none());

    let wrong = browser
        .post(
            "/login",
            &[
                ("email", MASTER_A),
                ("password", PASSWORD),
                ("csrf_token", &format!("{token}x")),
            ],
        )
        .await;
    assert_dutch_page(
        &wrong,
        StatusCode::FORBIDDEN,
        "Formulier verlopen",
        "wrong token",
    );
    assert!(wrong.set_cookie(SESSION).is_none());

    // A valid token without its cookie (another browser) is refused too.
    let stranger = Browser::new(&base);
    let page = stranger
        .post(
            "/login",
            &[
                ("email", MASTER_A),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_dutch_page(
        &page,
        StatusCode::FORBIDDEN,
        "Formulier verlopen",
        "no cookie",
    );

    // The right token still works.
    let ok = browser
        .post(
            "/login",
            &[
                ("email", MASTER_A),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    db.cleanup().await;
}

async fn logout_needs_the_csrf_token_and_then_kills_the_session(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let browser = Browser::new(&base);
    let login = browser.login_fully(MASTER_A, PASSWORD).await;
    let session = login.cookie_value(SESSION).unwrap();
    let home = browser.get("/werkgevers/530-101").await;
    assert_eq!(home.status, StatusCode::OK);
    let token = home.csrf_token();

    let refused = browser.post("/logout", &[]).await;
    assert_dutch_page(
        &refused,
        StatusCode::FORBIDDEN,
        "Formulier verlopen",
        "logout",
    );
    let wrong = browser.post("/logout", &[("csrf_token", "vervalst")]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/werkgevers/530-101").await.status,
        StatusCode::OK,
        "still logged in after refused logouts"
    );

    let out = browser.post("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert_redirect_to_login(
        &browser.get("/werkgevers/530-101").await,
        "after logout, same browser",
    );
    // Someone who kept a copy of the cookie gets nothing either.
    let replay = get_with_cookie(
        &base,
        "/werkgevers/530-101",
        &format!("{SESSION}={session}"),
    )
    .await;
    assert_redirect_to_login(&replay, "old session cookie after logout");
    let replay = get_with_cookie(
        &base,
        &list_path(EMPLOYER_A),
        &format!("{SESSION}={session}"),
    )
    .await;
    assert_redirect_to_login(&replay, "old session cookie after logout, list");
    db.cleanup().await;
}

async fn a_post_from_another_origin_is_refused_even_with_a_valid_token(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;

    let browser = Browser::new(&base);
    let token = browser.get("/login").await.csrf_token();
    let form = [
        ("email", MASTER_A),
        ("password", PASSWORD),
        ("csrf_token", token.as_str()),
    ];
    let evil = browser
        .post_with_headers("/login", &form, &[("Origin", "http://evil.test")])
        .await;
    assert_dutch_page(
        &evil,
        StatusCode::FORBIDDEN,
        "Formulier verlopen",
        "evil origin",
    );
    assert!(evil.set_cookie(SESSION).is_none());
    let cross = browser
        .post_with_headers("/login", &form, &[("Sec-Fetch-Site", "cross-site")])
        .await;
    assert_eq!(
        cross.status,
        StatusCode::FORBIDDEN,
        "Sec-Fetch-Site cross-site"
    );
    // Same origin is fine.
    let same = browser
        .post_with_headers("/login", &form, &[("Origin", &base)])
        .await;
    assert_eq!(same.status, StatusCode::SEE_OTHER, "{}", same.body);
    // The second step is a form too: another origin cannot submit the code.
    let token = browser.get("/login/code").await.csrf_token();
    let code = support::fresh_code(&base, MASTER_A).await;
    let evil = browser
        .post_with_headers(
            "/login/code",
            &[("code", code.as_str()), ("csrf_token", token.as_str())],
            &[("Origin", "http://evil.test")],
        )
        .await;
    assert_eq!(evil.status, StatusCode::FORBIDDEN, "evil origin, code step");
    assert_eq!(
        browser.submit_code(MASTER_A).await.status,
        StatusCode::SEE_OTHER
    );

    let token = browser.get("/werkgevers/530-101").await.csrf_token();
    let evil = browser
        .post_with_headers(
            "/logout",
            &[("csrf_token", &token)],
            &[("Origin", "http://evil.test")],
        )
        .await;
    assert_eq!(evil.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/werkgevers/530-101").await.status,
        StatusCode::OK,
        "a cross-origin logout did not log out"
    );
    db.cleanup().await;
}

async fn the_session_id_changes_at_login(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;

    // An attacker plants a session id before the victim logs in.
    let browser = Browser::new(&base);
    let planted = "aangeplant-door-een-aanvaller-0123456789abcdef";
    browser.plant_cookie(SESSION, planted);
    let login = browser.login_fully(MASTER_A, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let first = login.cookie_value(SESSION).unwrap();
    assert_ne!(first, planted);
    assert!(first.len() >= 32, "session id too short: {first}");
    assert_redirect_to_login(
        &get_with_cookie(
            &base,
            "/werkgevers/530-101",
            &format!("{SESSION}={planted}"),
        )
        .await,
        "planted cookie",
    );
    let ok = get_with_cookie(&base, "/werkgevers/530-101", &format!("{SESSION}={first}")).await;
    assert_eq!(ok.status, StatusCode::OK);

    // Logging in again, in the same browser, gives yet another id and ends the first.
    let token = browser.get("/werkgevers/530-101").await.csrf_token();
    let again = browser
        .post(
            "/login",
            &[
                ("email", MASTER_A),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let again = browser.submit_code(MASTER_A).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let second = again.cookie_value(SESSION).unwrap();
    assert_ne!(second, first);
    assert_redirect_to_login(
        &get_with_cookie(&base, "/werkgevers/530-101", &format!("{SESSION}={first}")).await,
        "session before the second login",
    );
    assert_eq!(
        browser.get("/werkgevers/530-101").await.status,
        StatusCode::OK
    );

    // Two logins never share an id.
    let other = Browser::new(&base).login_fully(MASTER_A, PASSWORD).await;
    assert_ne!(other.cookie_value(SESSION).unwrap(), second);
    db.cleanup().await;
}

async fn a_consult_user_only_sees_employees_of_the_contracts_on_the_sheet(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let browser = Browser::new(&base);
    let login = browser.login_fully(CONSULT_A, PASSWORD).await;
    assert_eq!(login.location.as_deref(), Some("/werkgevers/530-101"));
    let tweede = f.person("Tweede");

    let list = browser.get(&list_path(EMPLOYER_A)).await;
    assert_eq!(list.status, StatusCode::OK);
    let names = list.names();
    for visible in ["Peeters", "Çelik", "Passief", "Beide"] {
        assert!(
            names.contains(&f.person(visible).name()),
            "{visible} missing from {names:?}"
        );
    }
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        !list.body.contains("Tweede"),
        "C2-only employee in the list"
    );

    for q in [
        "Tweede",
        "tweede contract",
        "tw",
        tweede.employee_number.as_str(),
        tweede.national_number.as_str(),
        &tweede.national_number.formatted(),
    ] {
        let page = browser.get_query(&list_path(EMPLOYER_A), &[("q", q)]).await;
        assert_eq!(page.status, StatusCode::OK, "q={q}");
        assert!(page.rows().is_empty(), "q={q}: {:?}", page.names());
        assert!(!page.body.contains("Contract</a>"), "q={q}");
    }
    for status in ["active", "passive", "terminated", "all"] {
        let page = browser
            .get_query(&list_path(EMPLOYER_A), &[("status", status)])
            .await;
        assert!(!page.names().contains(&tweede.name()), "status={status}");
    }

    let detail = browser.get(&detail_path(EMPLOYER_A, tweede.id)).await;
    assert_dutch_page(
        &detail,
        StatusCode::NOT_FOUND,
        "Pagina niet gevonden",
        "C2 detail",
    );
    assert!(!detail.body.contains("Tweede"));

    let peeters = f.person("Peeters");
    let detail = browser.get(&detail_path(EMPLOYER_A, peeters.id)).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("Peeters"));
    // Employee in both contracts: visible, but only with the affiliation in scope.
    let beide = browser
        .get(&detail_path(EMPLOYER_A, f.person("Beide").id))
        .await;
    assert_eq!(beide.status, StatusCode::OK);
    let beide = support::unescape(&beide.body);
    assert!(beide.contains("530/000101"), "{beide}");
    assert!(
        !beide.contains("530/000102"),
        "consult user sees an affiliation of a contract outside the sheet"
    );
    db.cleanup().await;
}

async fn the_master_of_another_employer_gets_404_for_everything_of_employer_a(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let b = Browser::new(&base);
    let login = b.login_fully(MASTER_B, PASSWORD).await;
    assert_eq!(login.location.as_deref(), Some("/werkgevers/530-202"));

    let mut paths = vec![
        format!("/werkgevers/{EMPLOYER_A}"),
        list_path(EMPLOYER_A),
        format!("{}?q=Peeters", list_path(EMPLOYER_A)),
    ];
    for person in &f.a {
        paths.push(detail_path(EMPLOYER_A, person.id));
        // A's ids under B's own employer number.
        paths.push(detail_path(EMPLOYER_B, person.id));
    }
    for path in &paths {
        let page = b.get(path).await;
        assert_dutch_page(&page, StatusCode::NOT_FOUND, "Pagina niet gevonden", path);
        assert!(!page.body.contains(NAME_A), "{path}");
        for person in &f.a {
            assert!(!page.body.contains(&person.last_name), "{path}");
        }
    }
    // B's own pages work, and do not list A's people.
    let own = b.get(&list_path(EMPLOYER_B)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.names(), vec![f.b.name()]);
    let own = b.get(&detail_path(EMPLOYER_B, f.b.id)).await;
    assert_eq!(own.status, StatusCode::OK);
    // Unknown employer number looks the same as a foreign one.
    let page = b.get("/werkgevers/999-999").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // And the other way round.
    let a = Browser::logged_in(&base, MASTER_A).await;
    let list = a.get(&list_path(EMPLOYER_A)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Buiten"), "B's employee in A's list");
    assert_eq!(list.rows().len(), f.a.len());
    for q in [
        "Buiten",
        f.b.employee_number.as_str(),
        f.b.national_number.as_str(),
    ] {
        let page = a.get_query(&list_path(EMPLOYER_A), &[("q", q)]).await;
        assert!(page.rows().is_empty(), "q={q}: {:?}", page.names());
    }
    for path in [
        detail_path(EMPLOYER_A, f.b.id),
        detail_path(EMPLOYER_B, f.b.id),
        list_path(EMPLOYER_B),
    ] {
        let page = a.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Buiten"), "{path}");
    }
    db.cleanup().await;
}

async fn employee_search_ignores_case_and_accents_and_finds_numbers(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let a = Browser::logged_in(&base, MASTER_A).await;
    let search = |q: String| {
        let a = &a;
        async move {
            let page = a.get_query(&list_path(EMPLOYER_A), &[("q", &q)]).await;
            assert_eq!(page.status, StatusCode::OK, "q={q}");
            page.names()
        }
    };
    let celik = f.person("Çelik").name();
    for q in ["celik", "CELIK", "Çelik", "çel", "  Celik  ", "celik ayse"] {
        assert_eq!(search(q.to_owned()).await, vec![celik.clone()], "q={q:?}");
    }
    assert_eq!(
        search("pee".to_owned()).await,
        vec![f.person("Peeters").name()]
    );
    assert!(search("zzz".to_owned()).await.is_empty());

    let tweede = f.person("Tweede");
    for q in [
        tweede.national_number.formatted(),
        tweede.national_number.as_str().to_owned(),
    ] {
        assert_eq!(search(q.clone()).await, vec![tweede.name()], "q={q}");
    }
    let passief = f.person("Passief");
    assert_eq!(
        search(passief.employee_number.clone()).await,
        vec![passief.name()]
    );
    db.cleanup().await;
}

async fn the_status_filter_passive_shows_only_passive_employees(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let a = Browser::logged_in(&base, MASTER_A).await;
    let passive = a
        .get_query(&list_path(EMPLOYER_A), &[("status", "passive")])
        .await;
    assert_eq!(passive.status, StatusCode::OK);
    assert_eq!(passive.names(), vec![f.person("Passief").name()]);
    let active = a
        .get_query(&list_path(EMPLOYER_A), &[("status", "active")])
        .await;
    assert_eq!(active.rows().len(), f.a.len() - 1);
    assert!(!active.names().contains(&f.person("Passief").name()));
    let terminated = a
        .get_query(&list_path(EMPLOYER_A), &[("status", "terminated")])
        .await;
    assert!(terminated.rows().is_empty());
    db.cleanup().await;
}

async fn the_list_masks_national_numbers_and_the_detail_shows_them_in_full(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let a = Browser::logged_in(&base, MASTER_A).await;
    let list = a.get(&list_path(EMPLOYER_A)).await;
    assert_eq!(list.rows().len(), f.a.len());
    for person in f.a.iter().chain([&f.b]) {
        let nn = &person.national_number;
        assert!(!list.body.contains(nn.as_str()), "{} in list", nn.as_str());
        assert!(
            !list.body.contains(&nn.formatted()),
            "{} in list",
            nn.formatted()
        );
        // The serial and check digits are not there in any layout.
        assert!(
            !list
                .body
                .contains(&format!("{}.{}", &nn.as_str()[6..9], &nn.as_str()[9..]))
        );
    }
    for person in &f.a {
        assert!(
            list.body.contains(&person.national_number.masked()),
            "masked number of {}",
            person.last_name
        );
        let detail = a.get(&detail_path(EMPLOYER_A, person.id)).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(
            detail.body.contains(&person.national_number.formatted()),
            "full number on detail of {}",
            person.last_name
        );
    }
    // A search by number shows the match masked too.
    let peeters = f.person("Peeters");
    let found = a
        .get_query(
            &list_path(EMPLOYER_A),
            &[("q", peeters.national_number.as_str())],
        )
        .await;
    assert_eq!(found.names(), vec![peeters.name()]);
    let body_without_search_box = found.body.replace(
        &format!("value=\"{}\"", peeters.national_number.as_str()),
        "",
    );
    assert!(
        !body_without_search_box.contains(peeters.national_number.as_str()),
        "full number outside the search box"
    );
    db.cleanup().await;
}

async fn the_list_pages_through_120_employees_50_at_a_time(db: TestDb) {
    let f = fixture(&db.store).await;
    bulk_contract(&db.store, &f, 120).await;
    let base = spawn_app(db.store.clone()).await;
    let reader = Browser::logged_in(&base, BULK_A).await;

    let mut seen = std::collections::BTreeSet::new();
    let mut names = Vec::new();
    let first = reader.get(&list_path(EMPLOYER_A)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.rows().len(), 50);
    assert!(first.link("previous-page").is_none());
    let next = first.link("next-page").expect("a next-page link on page 1");
    for (id, name) in first.rows() {
        assert!(seen.insert(id));
        names.push(name);
    }

    let second = reader.get(&next).await;
    assert_eq!(second.status, StatusCode::OK, "{next}");
    assert_eq!(second.rows().len(), 50);
    for (id, name) in second.rows() {
        assert!(seen.insert(id), "row {id} on page 1 and 2");
        names.push(name);
    }
    assert!(second.link("previous-page").is_some());
    let next = second
        .link("next-page")
        .expect("a next-page link on page 2");

    let third = reader.get(&next).await;
    assert_eq!(third.status, StatusCode::OK, "{next}");
    assert_eq!(third.rows().len(), 20);
    assert!(
        third.link("next-page").is_none(),
        "no next-page on the last page"
    );
    for (id, name) in third.rows() {
        assert!(seen.insert(id), "row {id} seen before");
        names.push(name);
    }
    assert_eq!(seen.len(), 120);
    // In name order, and nobody of another contract.
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.iter().all(|n| n.starts_with("Reeks, Persoon ")));

    // Back from page 3 gives page 2 again.
    let back = third.link("previous-page").expect("a previous-page link");
    let again = reader.get(&back).await;
    assert_eq!(again.rows(), second.rows());

    // The master of A sees these 120 and the 5 others: 50 + 50 + 25.
    let master = Browser::logged_in(&base, MASTER_A).await;
    let mut page = master.get(&list_path(EMPLOYER_A)).await;
    let mut total = page.rows().len();
    while let Some(next) = page.link("next-page") {
        page = master.get(&next).await;
        total += page.rows().len();
    }
    assert_eq!(total, 125);
    db.cleanup().await;
}

async fn an_invalid_query_parameter_gives_a_dutch_400_page(db: TestDb) {
    fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let a = Browser::logged_in(&base, MASTER_A).await;
    for query in [
        "status=bogus",
        "sort=bogus",
        "after=abc",
        "before=1e99",
        "page=-1",
        "status=ACTIVE",
    ] {
        let page = a.get(&format!("{}?{query}", list_path(EMPLOYER_A))).await;
        assert_dutch_page(&page, StatusCode::BAD_REQUEST, "Ongeldige aanvraag", query);
    }
    // A non-numeric employee id is simply not a page.
    let page = a.get(&format!("{}/abc", list_path(EMPLOYER_A))).await;
    assert_dutch_page(
        &page,
        StatusCode::NOT_FOUND,
        "Pagina niet gevonden",
        "id abc",
    );
    // Still fine afterwards.
    assert_eq!(a.get(&list_path(EMPLOYER_A)).await.status, StatusCode::OK);
    db.cleanup().await;
}

async fn no_redirect_or_link_carries_a_full_national_number(db: TestDb) {
    let f = fixture(&db.store).await;
    bulk_contract(&db.store, &f, 60).await;
    let base = spawn_app(db.store.clone()).await;
    let numbers: Vec<String> =
        f.a.iter()
            .chain([&f.b])
            .map(|p| p.national_number.as_str().to_owned())
            .collect();
    let check = |page: &Page, what: &str| {
        if let Some(location) = &page.location {
            let digits: String = location.chars().filter(char::is_ascii_digit).collect();
            for nn in &numbers {
                assert!(!digits.contains(nn.as_str()), "{what}: Location {location}");
            }
        }
        for url in page.urls() {
            let digits: String = url.chars().filter(char::is_ascii_digit).collect();
            for nn in &numbers {
                assert!(!digits.contains(nn.as_str()), "{what}: link {url}");
            }
        }
    };

    let browser = Browser::new(&base);
    check(&browser.get(&list_path(EMPLOYER_A)).await, "anonymous list");
    check(&browser.get("/").await, "home");
    let login = browser.login_fully(MASTER_A, PASSWORD).await;
    check(&login, "login");
    let location = login.location.clone().unwrap();
    check(&browser.get(&location).await, "employer home");
    check(&browser.get("/werkgevers").await, "employer choice");
    check(&browser.get("/").await, "home, logged in");
    let list = browser.get(&list_path(EMPLOYER_A)).await;
    check(&list, "list");
    for person in &f.a {
        let nn = &person.national_number;
        for q in [nn.as_str().to_owned(), nn.formatted()] {
            let page = browser
                .get_query(&list_path(EMPLOYER_A), &[("q", &q)])
                .await;
            check(&page, "search by national number");
            for href in page.urls() {
                if href.contains("/werknemers/") {
                    check(&browser.get(&href).await, "detail found by number");
                }
            }
        }
    }
    // Paging links through a long list.
    let mut page = list;
    while let Some(next) = page.link("next-page") {
        page = browser.get(&next).await;
        check(&page, "next page");
    }
    // Searches by the start of a number with more than a page of results page on.
    let page = browser
        .get_query(&list_path(EMPLOYER_A), &[("q", "60")])
        .await;
    check(&page, "search by number prefix");
    let token = browser.get(&location).await.csrf_token();
    check(
        &browser.post("/logout", &[("csrf_token", &token)]).await,
        "logout",
    );
    db.cleanup().await;
}

/// The text of the field message with this id (`<p class="field-error" id="…">`).
fn field_error(page: &Page, id: &str) -> Option<String> {
    let marker = format!("class=\"field-error\" id=\"{id}\">");
    let start = page.body.find(&marker)? + marker.len();
    let end = page.body[start..].find("</p>")? + start;
    Some(support::unescape(&page.body[start..end]))
}

/// A's employee list with this query.
async fn list(b: &Browser, query: Vec<(&str, String)>) -> Page {
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.get_query(&list_path(EMPLOYER_A), &pairs).await
}

/// The count line above the list.
fn count_line(page: &Page) -> Option<String> {
    let marker = "id=\"employee-count\" role=\"status\">";
    let start = page.body.find(marker)? + marker.len();
    let end = page.body[start..].find("</p>")? + start;
    Some(support::unescape(&page.body[start..end]))
}

async fn the_list_filters_counts_and_answers_bad_filters_with_a_message_at_the_field(db: TestDb) {
    let f = fixture(&db.store).await;
    bulk_contract(&db.store, &f, 120).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let (c1, c2) = (f.c1.to_string(), f.c2.to_string());

    let all = list(&master, vec![]).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(count_line(&all).as_deref(), Some("125 werknemers"));

    // Contract, search and status combined.
    let page = list(&master, vec![("contract", c2.clone())]).await;
    assert_eq!(
        page.names(),
        vec![f.person("Beide").name(), f.person("Tweede").name()]
    );
    assert_eq!(count_line(&page).as_deref(), Some("2 werknemers"));
    let page = list(
        &master,
        vec![("contract", c2.clone()), ("q", "contract tweede".into())],
    )
    .await;
    assert_eq!(page.names(), vec![f.person("Tweede").name()]);
    assert_eq!(count_line(&page).as_deref(), Some("1 werknemer"));
    let page = list(
        &master,
        vec![("contract", c1.clone()), ("status", "passive".into())],
    )
    .await;
    assert_eq!(page.names(), vec![f.person("Passief").name()]);
    // The exit period (the passive affiliation ended on 31/01/2024) and the entry period.
    let page = list(
        &master,
        vec![
            ("uit_van", "31/01/2024".into()),
            ("uit_tot", "2024-01-31".into()),
        ],
    )
    .await;
    assert_eq!(page.names(), vec![f.person("Passief").name()]);
    // The form keeps the filter, as the date field wants it.
    assert!(page.body.contains("value=\"2024-01-31\""), "{}", page.body);
    let page = list(&master, vec![("in_van", "2016-01-01".into())]).await;
    assert!(page.rows().is_empty());
    assert_eq!(count_line(&page).as_deref(), Some("0 werknemers"));

    // 125 employees entered in 2015: the pager keeps the period on every page.
    let mut page = list(
        &master,
        vec![
            ("in_van", "2015-01-01".into()),
            ("in_tot", "2015-12-31".into()),
        ],
    )
    .await;
    let mut seen = page.rows().len();
    while let Some(next) = page.link("next-page") {
        assert!(next.contains("in_van=2015-01-01") && next.contains("in_tot=2015-12-31"));
        page = master.get(&next).await;
        assert_eq!(count_line(&page).as_deref(), Some("125 werknemers"));
        seen += page.rows().len();
    }
    assert_eq!(seen, 125);

    // Refused filters: 400, the page with the message at the field, nothing listed.
    let b_contract = {
        let b = Browser::logged_in(&base, support::MASTER_B).await;
        let own = b.get(&list_path(EMPLOYER_B)).await;
        let marker = "<option value=\"";
        let at = own.body.find("id=\"contract\"").unwrap();
        let rest = &own.body[at..];
        let start = rest.find(marker).unwrap() + marker.len();
        let rest = &rest[start..];
        // The first option is "all contracts" (value ""); the next is B's contract.
        let start = rest.find(marker).unwrap() + marker.len();
        rest[start..start + rest[start..].find('"').unwrap()].to_owned()
    };
    assert!(b_contract.parse::<i64>().is_ok(), "{b_contract}");
    let long = "x".repeat(10_000);
    for (query, field, message) in [
        (
            vec![("contract", "999999".to_owned())],
            "contract-error",
            "Kies een contract uit de lijst.",
        ),
        (
            vec![("contract", b_contract.clone())],
            "contract-error",
            "Kies een contract uit de lijst.",
        ),
        (
            vec![("contract", "abc".to_owned())],
            "contract-error",
            "Kies een contract uit de lijst.",
        ),
        (
            vec![("categorie", "-1".to_owned())],
            "categorie-error",
            "Kies een categorie uit de lijst.",
        ),
        (
            vec![("in_van", "2020-13-45".to_owned())],
            "in_van-error",
            "Dit is geen geldige datum. Schrijf de datum als dd/mm/jjjj, bijvoorbeeld 01/05/2026.",
        ),
        (
            vec![
                ("uit_van", "2024-02-01".to_owned()),
                ("uit_tot", "2024-01-01".to_owned()),
            ],
            "uit_tot-error",
            "Deze datum ligt vóór het begin van de periode.",
        ),
        (
            vec![("q", long.clone())],
            "q-error",
            "Typ hoogstens 100 tekens om te zoeken.",
        ),
    ] {
        let page = list(&master, query.clone()).await;
        let what = format!(
            "{:?}",
            query.iter().map(|(k, v)| (k, v.len())).collect::<Vec<_>>()
        );
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{what}");
        assert_eq!(
            field_error(&page, field).as_deref(),
            Some(message),
            "{what}"
        );
        assert!(page.rows().is_empty(), "{what}");
        assert!(count_line(&page).is_none(), "{what}");
        assert!(page.body.contains("lang=\"nl\""), "{what}");
        assert!(!page.body.contains("Buiten"), "{what}");
        let lower = page.body.to_lowercase();
        for word in [
            "sqlx",
            "panicked",
            "backtrace",
            "storeerror",
            "apperror",
            "error(",
        ] {
            assert!(!lower.contains(word), "{what}: {word}");
        }
    }
    // B's contract is not even named on A's page.
    let page = list(&master, vec![]).await;
    assert!(!page.body.contains("530/000201"));

    // The consult user (contract 1 only) asking for contract 2: refused like an unknown one,
    // and contract 2 and its employees are nowhere on the page.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let all = list(&consult, vec![]).await;
    assert_eq!(count_line(&all).as_deref(), Some("4 werknemers"));
    assert!(!all.body.contains("530/000102"));
    for query in [
        vec![("contract", c2.clone())],
        vec![("contract", c2.clone()), ("q", "tweede".into())],
    ] {
        let page = list(&consult, query).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            field_error(&page, "contract-error").as_deref(),
            Some("Kies een contract uit de lijst.")
        );
        assert!(!page.body.contains("Tweede") && !page.body.contains("530/000102"));
    }
    db.cleanup().await;
}
