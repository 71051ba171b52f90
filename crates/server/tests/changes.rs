//! Employee changes through the real app, on both engines: new affiliation, exit (one, many,
//! withdrawn), change of personal data; each rule answered at its field in Dutch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::sync::Arc;

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use ebdesk_domain::{ManualClock, NationalNumber, Rights};
use ebdesk_store::test_support::TestDb;
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, Fixture, MASTER_A, PASSWORD, fixture, new_user, spawn_app,
    spawn_app_with_clock,
};

const INPUT_A: &str = "invoer@a.test";

async fn setup(db: &TestDb) -> (Fixture, String) {
    let f = fixture_with_input_user(db).await;
    let base = spawn_app(db.store.clone()).await;
    (f, base)
}

/// The two employers, and an input user of employer A.
async fn fixture_with_input_user(db: &TestDb) -> Fixture {
    let f = fixture(&db.store).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let input = new_user(&db.store, INPUT_A, "Invoer Proef", &hash).await;
    db.store
        .insert_sheet(f.employer_a, input, Rights::Input, None, None, Utc::now())
        .await
        .unwrap();
    f
}

fn path(rest: &str) -> String {
    format!("/werkgevers/{EMPLOYER_A}{rest}")
}

fn dmy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Posts `form` with the CSRF token of `from` (a page the browser loaded).
async fn post(browser: &Browser, from: &str, to: &str, form: &[(&str, &str)]) -> support::Page {
    let token = browser.get(from).await.csrf_token();
    let mut fields = vec![("csrf_token", token.as_str())];
    fields.extend_from_slice(form);
    browser.post(to, &fields).await
}

/// The page as a reader sees its characters (tera escapes `/` and quotes).
fn text(page: &support::Page) -> String {
    support::unescape(&page.body)
}

async fn new_affiliation_is_registered_with_every_rule_at_its_field(db: TestDb) {
    let (f, base) = setup(&db).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let form = hr.get(&path("/aansluitingen/nieuw")).await;
    assert_eq!(form.status, StatusCode::OK);
    let nieuw = path("/aansluitingen/nieuw");
    let save = path("/aansluitingen");

    // Step 1: a wrong national number is refused at its field.
    let page = post(
        &hr,
        &nieuw,
        &nieuw,
        &[("national_number", "85.07.30-033.27")],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("national_number")
            .unwrap()
            .contains("controlecijfers"),
        "{}",
        page.body
    );
    // A new person: the number's birth date and gender are filled in for checking.
    let birth = NaiveDate::from_ymd_opt(1996, 4, 2).unwrap();
    let number = NationalNumber::from_birth_date(birth, 38).unwrap();
    let page = post(&hr, &nieuw, &nieuw, &[("national_number", number.as_str())]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        text(&page).contains("value=\"02/04/1996\""),
        "{}",
        page.body
    );
    assert!(text(&page).contains(&number.formatted()));

    // Step 2 with mistakes: each at its field, what was typed kept.
    let contract = f.c1.to_string();
    let category = category_of(&hr, &nieuw, number.as_str(), "Bedienden").await;
    let bad = [
        ("national_number", number.as_str()),
        ("last_name", "Nieuwkomer"),
        ("first_name", ""),
        ("gender", "M"),
        ("language", "nl"),
        ("birth_date", "02/04/1996"),
        ("employee_number", "1001"),
        ("business_email", "nieuw@"),
        ("contract", contract.as_str()),
        ("category", category.as_str()),
        ("employment_start", "01/12/2026"),
        ("affiliation_start", "30/11/2026"),
        ("annual_salary", "0"),
        ("work_fraction", "1,5"),
    ];
    let page = post(&hr, &nieuw, &save, &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.field_error("first_name").unwrap(), "Vul dit veld in.");
    assert!(
        page.field_error("business_email")
            .unwrap()
            .contains("domein")
    );
    // The sex does not match the even serial.
    assert!(
        page.field_error("national_number")
            .unwrap()
            .contains("geslacht")
    );
    assert!(
        page.field_error("affiliation_start")
            .unwrap()
            .contains("niet vóór de datum in dienst")
    );
    assert!(text(&page).contains("value=\"Nieuwkomer\""));
    assert!(
        page.field_error("annual_salary")
            .unwrap()
            .contains("hoger dan 0")
    );
    assert!(
        page.field_error("work_fraction")
            .unwrap()
            .contains("tussen 0 en 1")
    );

    // Fixed but for the employee number, which Peeters has: refused by the store.
    let mut good = bad;
    good[2] = ("first_name", "Nora");
    good[3] = ("gender", "F");
    good[7] = ("business_email", "nora.nieuwkomer@proef.test");
    good[11] = ("affiliation_start", "15/12/2026");
    good[12] = ("annual_salary", "48.000,00");
    good[13] = ("work_fraction", "80 %");
    let page = post(&hr, &nieuw, &save, &good).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("employee_number").unwrap().contains("al"),
        "{}",
        page.body
    );
    // A child: age out of range at the affiliation date.
    let mut child = good;
    child[5] = ("birth_date", "02/04/2016");
    let page = post(&hr, &nieuw, &save, &child).await;
    assert!(
        page.field_error("birth_date")
            .unwrap()
            .contains("tussen 15 en 75")
    );

    good[6] = ("employee_number", "3001");
    let page = post(&hr, &nieuw, &save, &good).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // The action's page confirms the save, once, from the redirect's `bewaard`.
    let location = page.location.unwrap();
    let (action, saved) = location.split_once('?').unwrap();
    assert_eq!(saved, "bewaard=aansluiting");
    let action = action.to_owned();
    assert!(!action.contains(number.as_str()));
    let page = hr.get(&location).await;
    assert!(text(&page).contains("De aansluiting is geregistreerd."));
    let page = hr.get(&action).await;
    assert!(!text(&page).contains("id=\"notice\""));
    assert!(text(&page).contains("Nieuwe aansluiting"));
    assert!(text(&page).contains("Verwerkt"));
    // The later affiliation date was accepted with the WAP warning.
    assert!(
        text(&page).contains("aangesloten vanaf de dag van indiensttreding"),
        "{}",
        page.body
    );

    // Found in the list by name.
    let list = hr
        .get_query(&path("/werknemers"), &[("q", "nieuwkomer")])
        .await;
    assert_eq!(list.names(), ["Nieuwkomer, Nora"]);

    // The same number again: known, shown, not typed again; a second contract is fine,
    // the first one again overlaps.
    let page = post(
        &hr,
        &nieuw,
        &nieuw,
        &[("national_number", &number.formatted())],
    )
    .await;
    assert!(text(&page).contains("id=\"known-person\""));
    assert!(text(&page).contains("Nieuwkomer, Nora"));
    assert!(!text(&page).contains("name=\"last_name\""));
    let again = [
        ("national_number", number.as_str()),
        ("contract", contract.as_str()),
        ("category", category.as_str()),
        ("employment_start", "01/12/2026"),
        ("affiliation_start", "01/12/2026"),
        ("annual_salary", "36000"),
        ("work_fraction", "1"),
    ];
    let page = post(&hr, &nieuw, &save, &again).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("contract")
            .unwrap()
            .contains("al een aansluiting")
    );
    let list = hr
        .get_query(&path("/werknemers"), &[("q", "nieuwkomer")])
        .await;
    assert_eq!(list.rows().len(), 1, "never a second person");
    db.cleanup().await;
}

/// The id of the category `name` offered on the details step.
async fn category_of(browser: &Browser, nieuw: &str, number: &str, name: &str) -> String {
    let page = post(browser, nieuw, nieuw, &[("national_number", number)]).await;
    let end = page.body.find(&format!(">{name}</option>")).unwrap();
    let start = page.body[..end].rfind("value=\"").unwrap() + 7;
    let stop = page.body[start..].find('"').unwrap() + start;
    page.body[start..stop].to_owned()
}

async fn an_exit_is_inclusive_refused_twice_and_withdrawn_the_same_day(db: TestDb) {
    let (f, base) = setup(&db).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let peeters = f.person("Peeters").id;
    let exit = path(&format!("/werknemers/{peeters}/uittreding"));
    let form = hr.get(&exit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(text(&form).contains("tot en met"), "{}", form.body);
    assert!(text(&form).contains("30/04"));

    // Before the affiliation date (01/01/2015); no reason.
    let affiliation = affiliation_id(&form.body);
    let page = post(
        &hr,
        &exit,
        &exit,
        &[
            ("affiliation", &affiliation),
            ("end_date", "31/12/2014"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("reason").unwrap().contains("reden"));
    let page = post(
        &hr,
        &exit,
        &exit,
        &[
            ("affiliation", &affiliation),
            ("end_date", "31/12/2014"),
            ("reason", "retirement"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("end_date")
            .unwrap()
            .contains("vóór de datum aansluiting")
    );

    // Leaving on 1 May, reported late: accepted, passive, with the warning.
    let end = NaiveDate::from_ymd_opt(2026, 4, 30).unwrap();
    let page = post(
        &hr,
        &exit,
        &exit,
        &[
            ("affiliation", &affiliation),
            ("end_date", &dmy(end)),
            ("reason", "dismissal_by_employee"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.unwrap();
    let (action, saved) = location.split_once('?').unwrap();
    assert_eq!(saved, "bewaard=uittreding");
    let action = action.to_owned();
    let page = hr.get(&location).await;
    assert!(text(&page).contains("De uittreding is geregistreerd."));
    assert!(text(&page).contains("30/04/2026"));
    assert!(
        text(&page).contains("wettelijke termijn is verstreken"),
        "{}",
        page.body
    );
    assert!(text(&page).contains("Ontslag door werknemer"));
    let employee = hr.get(&path(&format!("/werknemers/{peeters}"))).await;
    assert!(text(&employee).contains("status-passive"));
    assert!(
        text(&employee).contains("history-exit"),
        "{}",
        employee.body
    );
    assert!(!text(&employee).contains("id=\"exit-employee\""));

    // Again: already exited.
    let page = post(
        &hr,
        &exit,
        &exit,
        &[
            ("affiliation", &affiliation),
            ("end_date", &dmy(end)),
            ("reason", "other"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("affiliation")
            .unwrap()
            .contains("al uitgetreden")
    );

    // The master cannot withdraw the input user's exit; its author can, today.
    let master = Browser::logged_in(&base, MASTER_A).await;
    let withdraw = format!("{action}/intrekken");
    let page = post(&master, &action, &withdraw, &[("bevestigd", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let refused = master.get(page.location.as_deref().unwrap()).await;
    assert!(text(&refused).contains("Alleen wie de uittreding registreerde"));
    assert!(!text(&refused).contains("id=\"withdraw\""));
    let page = hr.get(&action).await;
    assert!(text(&page).contains("id=\"withdraw\""));
    // The button first asks, naming the employee; nothing is withdrawn yet.
    let asked = post(&hr, &action, &withdraw, &[]).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(text(&asked).contains("De uittreding van"), "{}", asked.body);
    assert!(text(&hr.get(&action).await).contains("id=\"withdraw\""));
    let page = post(&hr, &action, &withdraw, &[("bevestigd", "1")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = hr.get(&action).await;
    assert!(text(&page).contains("Ingetrokken"), "{}", page.body);
    let employee = hr.get(&path(&format!("/werknemers/{peeters}"))).await;
    assert!(text(&employee).contains("status-active"));
    assert!(text(&employee).contains("status-withdrawn"));
    let actions = hr.get_query(&path("/acties"), &[("soort", "exit")]).await;
    assert!(text(&actions).contains("Ingetrokken"));
    // The list says when the change takes effect.
    assert!(text(&actions).contains("Ingangsdatum") && text(&actions).contains("30/04/2026"));
    db.cleanup().await;
}

fn affiliation_id(body: &str) -> String {
    let marker = "name=\"affiliation\" value=\"";
    let start = body.find(marker).unwrap() + marker.len();
    let end = body[start..].find('"').unwrap() + start;
    body[start..end].to_owned()
}

async fn namesakes_are_told_apart_in_the_bulk_exit(db: TestDb) {
    let (f, base) = setup(&db).await;
    support::namesakes(&db.store, &f).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let list = hr
        .get_query(&path("/werknemers"), &[("q", "mertens")])
        .await;
    let ids: Vec<String> = list.rows().iter().map(|(id, _)| id.to_string()).collect();
    assert_eq!(ids.len(), 2, "{}", list.body);
    let chosen: Vec<(&str, &str)> = ids.iter().map(|id| ("werknemer", id.as_str())).collect();
    let form = hr.get_query(&path("/uittredingen"), &chosen).await;
    assert_eq!(form.status, StatusCode::OK);
    let page = text(&form);
    assert!(page.contains("Mertens, Anouk (1043)"), "{page}");
    // Without an employee number: the masked national number (born 08/03/1988).
    assert!(page.contains("Mertens, Anouk (88.03.08-"), "{page}");
    // A name that does not repeat stays as it is.
    let peeters = f.person("Peeters").id.to_string();
    let single = hr
        .get_query(
            &path("/uittredingen"),
            &[("werknemer", &peeters), (chosen[0].0, chosen[0].1)],
        )
        .await;
    assert!(single.body.contains("Peeters, Jan</li>"), "{}", single.body);
    assert!(
        single.body.contains("Mertens, Anouk</li>"),
        "{}",
        single.body
    );
    db.cleanup().await;
}

async fn several_employees_exit_at_once_or_not_at_all(db: TestDb) {
    let (f, base) = setup(&db).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let list = hr.get(&path("/werknemers")).await;
    assert!(text(&list).contains("id=\"exit-selection\""));
    let peeters = f.person("Peeters").id.to_string();
    let celik = f.person("Çelik").id.to_string();
    let passief = f.person("Passief").id.to_string();
    let bulk = path("/uittredingen");

    // Nothing chosen: said so.
    let page = hr.get(&bulk).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&page).contains("minstens één werknemer"));
    // Piet Passief exited long ago: nobody exits, and the form says who and why.
    let chosen = hr
        .get_query(
            &bulk,
            &[
                ("werknemer", &peeters),
                ("werknemer", &celik),
                ("werknemer", &passief),
            ],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::OK);
    assert!(text(&chosen).contains("Passief, Piet") && text(&chosen).contains("Çelik, Ayşe"));
    let today = Utc::now().date_naive();
    let token = chosen.csrf_token();
    let form = |ids: &[&str]| {
        let mut form: Vec<(&str, String)> = vec![
            ("csrf_token", token.clone()),
            ("end_date", dmy(today)),
            ("reason", "end_of_contract".to_owned()),
        ];
        form.extend(ids.iter().map(|id| ("werknemer", (*id).to_owned())));
        form
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let hr = &hr;
        let bulk = bulk.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            hr.post(&bulk, &fields).await
        }
    };
    let page = send(form(&[&peeters, &celik, &passief])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&page).contains("Passief, Piet: Deze werknemer is al uitgetreden"),
        "{}",
        page.body
    );
    let employee = hr.get(&path(&format!("/werknemers/{peeters}"))).await;
    assert!(
        text(&employee).contains("status-active"),
        "nobody exited: {}",
        employee.body
    );

    let page = send(form(&[&peeters, &celik])).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(text(&page).contains("De uittreding van 2 werknemer(s)"));
    for id in [&peeters, &celik] {
        let employee = hr.get(&path(&format!("/werknemers/{id}"))).await;
        assert!(text(&employee).contains("status-passive"));
    }
    let actions = hr.get_query(&path("/acties"), &[("soort", "exit")]).await;
    assert!(text(&actions).contains("Peeters, Jan") && text(&actions).contains("Çelik, Ayşe"));
    // The master reads both exits in the log in words, as the store recorded them.
    let master = Browser::logged_in(&base, MASTER_A).await;
    let log = text(
        &master
            .get_query(&path("/auditlog"), &[("event", "employee_exited")])
            .await,
    );
    for words in [
        "Werknemer: Peeters, Jan (1001)",
        "Werknemer: Çelik, Ayşe (1002)",
        "Reden: Einde contract",
    ] {
        assert!(log.contains(words), "{words:?} missing from {log}");
    }
    assert!(
        !log.contains("affiliation_ids") && !log.contains("end_of_contract"),
        "{log}"
    );
    // A consult user is refused every form; an input user of the first contract only
    // does not find the employee of the second (404), in the list's exit either.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    assert_eq!(consult.get(&bulk).await.status, StatusCode::FORBIDDEN);
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let narrow = new_user(&db.store, "invoer-c1@a.test", "Invoer Een", &hash).await;
    db.store
        .insert_sheet(
            f.employer_a,
            narrow,
            Rights::Input,
            Some(&[f.c1]),
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    let narrow = Browser::logged_in(&base, "invoer-c1@a.test").await;
    let tweede = f.person("Tweede").id.to_string();
    for form in ["uittreding", "wijzigen"] {
        let url = path(&format!("/werknemers/{tweede}/{form}"));
        assert_eq!(
            narrow.get(&url).await.status,
            StatusCode::NOT_FOUND,
            "{url}"
        );
        let page = post(
            &narrow,
            &path("/werknemers"),
            &url,
            &[("end_date", "01/01/2026")],
        )
        .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{url}");
    }
    assert_eq!(
        narrow
            .get_query(&bulk, &[("werknemer", &tweede)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let token = narrow.get(&path("/werknemers")).await.csrf_token();
    let page = narrow
        .post(
            &bulk,
            &[
                ("csrf_token", &token),
                ("werknemer", &tweede),
                ("end_date", &dmy(today)),
                ("reason", "other"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let employee = hr.get(&path(&format!("/werknemers/{tweede}"))).await;
    assert!(text(&employee).contains("status-active"));
    db.cleanup().await;
}

async fn personal_data_changes_are_confirmed_and_never_overwrite_silently(db: TestDb) {
    let (f, base) = setup(&db).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let peeters = f.person("Peeters");
    let change = path(&format!("/werknemers/{}/wijzigen", peeters.id));

    // Both open the form.
    let hr_form = hr.get(&change).await;
    let master_form = master.get(&change).await;
    assert_eq!(hr_form.status, StatusCode::OK);
    let values = |form: &support::Page, overrides: &[(&'static str, &str)]| {
        let mut fields: Vec<(String, String)> = Vec::new();
        for name in [
            "csrf_token",
            "version",
            "was_last_name",
            "was_first_name",
            "was_gender",
            "was_language",
            "was_birth_date",
            "was_national_number",
            "was_employee_number",
            "was_business_email",
            "last_name",
            "first_name",
            "gender",
            "language",
            "birth_date",
            "national_number",
            "employee_number",
            "business_email",
        ] {
            let value = overrides
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_else(|| input_value(&form.body, name));
            fields.push((name.to_owned(), value));
        }
        fields
    };

    // A bad e-mail and a number that does not fit the birth date: at their fields.
    let page = submit(
        &hr,
        &change,
        values(
            &hr_form,
            &[
                ("business_email", "jan at proef"),
                ("birth_date", "16/01/1980"),
            ],
        ),
        "controleren",
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("business_email")
            .unwrap()
            .contains("spaties")
    );
    assert!(
        page.field_error("national_number")
            .unwrap()
            .contains("geboortedatum")
    );

    // The input user renames and sets an address: confirmation first, nothing saved yet.
    let ours = values(
        &hr_form,
        &[
            ("last_name", "Peeters-Claes"),
            ("business_email", "jan.peeters@proef.test"),
        ],
    );
    let confirm = submit(&hr, &change, ours.clone(), "controleren").await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(text(&confirm).contains("Peeters-Claes") && text(&confirm).contains("Voorheen"));
    let unchanged = hr.get(&path(&format!("/werknemers/{}", peeters.id))).await;
    assert!(text(&unchanged).contains("<h1>Peeters, Jan</h1>"));
    let saved = submit(&hr, &change, ours, "bevestigen").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = hr.get(saved.location.as_deref().unwrap()).await;
    assert!(text(&page).contains("<h1>Peeters-Claes, Jan</h1>"));
    assert!(text(&page).contains("history-personal_data_change"));
    assert!(text(&page).contains("jan.peeters@proef.test"));

    // The master, on the form opened before, changes the language: refused, shown what
    // changed meanwhile, and nothing of theirs saved.
    let theirs = values(&master_form, &[("language", "fr")]);
    let page = submit(&master, &change, theirs.clone(), "controleren").await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(text(&page).contains("intussen gewijzigd"));
    assert!(text(&page).contains("Peeters-Claes"), "{}", page.body);
    let page = submit(&master, &change, theirs, "bevestigen").await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    let employee = hr.get(&path(&format!("/werknemers/{}", peeters.id))).await;
    assert!(text(&employee).contains("Nederlands"));

    // BIS number replaced by the definitive number: the warning about the employee site.
    let tweede = f.person("Tweede");
    let bis = NationalNumber::bis_from_birth_date(NaiveDate::from_ymd_opt(1988, 8, 8).unwrap(), 14)
        .unwrap();
    let tweede_change = path(&format!("/werknemers/{}/wijzigen", tweede.id));
    let form = master.get(&tweede_change).await;
    let fields = values(&form, &[("national_number", bis.as_str())]);
    let saved = submit(&master, &tweede_change, fields, "bevestigen").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let form = master.get(&tweede_change).await;
    let fields = values(
        &form,
        &[("national_number", tweede.national_number.as_str())],
    );
    let confirm = submit(&master, &tweede_change, fields, "controleren").await;
    assert!(
        text(&confirm).contains("definitieve rijksregisternummer"),
        "{}",
        confirm.body
    );

    // The consult user gets no form.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    assert_eq!(consult.get(&change).await.status, StatusCode::FORBIDDEN);
    let detail = consult
        .get(&path(&format!("/werknemers/{}", peeters.id)))
        .await;
    assert!(!text(&detail).contains("id=\"change-personal-data\""));
    db.cleanup().await;
}

/// Posts the personal-data form with `fields` and the step.
async fn submit(
    browser: &Browser,
    url: &str,
    fields: Vec<(String, String)>,
    step: &str,
) -> support::Page {
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("stap", step));
    browser.post(url, &form).await
}

/// The value of the input named `name`.
fn input_value(body: &str, name: &str) -> String {
    if name == "csrf_token" {
        let marker = "name=\"csrf_token\" value=\"";
        let start = body.find(marker).unwrap() + marker.len();
        return support::unescape(&body[start..start + body[start..].find('"').unwrap()]);
    }
    let marker = format!("name=\"{name}\" value=\"");
    if let Some(at) = body.find(&marker) {
        let start = at + marker.len();
        let end = body[start..].find('"').unwrap() + start;
        return support::unescape(&body[start..end]);
    }
    // A select: its selected option.
    let select = body.find(&format!("name=\"{name}\"")).unwrap();
    let close = body[select..].find("</select>").unwrap() + select;
    let part = &body[select..close];
    let selected = part.find(" selected").unwrap();
    let start = part[..selected].rfind("value=\"").unwrap() + 7;
    let end = part[start..].find('"').unwrap() + start;
    part[start..end].to_owned()
}

/// The pages take "now" from the injected clock: the action is dated on the clock's Brussels
/// day, and the exit can be withdrawn until that day ends in Brussels, not in UTC.
async fn an_exit_can_be_withdrawn_until_midnight_in_brussels_by_the_servers_clock(db: TestDb) {
    let f = fixture_with_input_user(&db).await;
    // 23:50 in Brussels (UTC+1 in March), 22:50 in UTC.
    let start = Utc.with_ymd_and_hms(2027, 3, 15, 22, 50, 0).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let base = spawn_app_with_clock(db.store.clone(), clock.clone()).await;
    let hr = Browser::logged_in(&base, INPUT_A).await;
    let peeters = f.person("Peeters").id;
    let exit = path(&format!("/werknemers/{peeters}/uittreding"));
    let form = hr.get(&exit).await;
    let affiliation = affiliation_id(&form.body);
    let page = post(
        &hr,
        &exit,
        &exit,
        &[
            ("affiliation", &affiliation),
            ("end_date", "31/03/2027"),
            ("reason", "other"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.unwrap();
    let action = location.split('?').next().unwrap().to_owned();
    let page = hr.get(&action).await;
    assert!(text(&page).contains("15/03/2027"), "{}", page.body);
    assert!(text(&page).contains("id=\"withdraw\""));

    // 00:10 in Brussels the next day, still the 15th in UTC: too late.
    clock.advance(TimeDelta::minutes(20));
    let page = hr.get(&action).await;
    assert!(!text(&page).contains("id=\"withdraw\""), "{}", page.body);
    let page = post(
        &hr,
        &action,
        &format!("{action}/intrekken"),
        &[("bevestigd", "1")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let refused = hr.get(page.location.as_deref().unwrap()).await;
    assert!(
        text(&refused).contains("alleen worden ingetrokken op de dag"),
        "{}",
        refused.body
    );
    assert!(!text(&refused).contains("Ingetrokken"));
    db.cleanup().await;
}

both_engines!(
    an_exit_can_be_withdrawn_until_midnight_in_brussels_by_the_servers_clock,
    new_affiliation_is_registered_with_every_rule_at_its_field,
    an_exit_is_inclusive_refused_twice_and_withdrawn_the_same_day,
    several_employees_exit_at_once_or_not_at_all,
    namesakes_are_told_apart_in_the_bulk_exit,
    personal_data_changes_are_confirmed_and_never_overwrite_silently,
);
