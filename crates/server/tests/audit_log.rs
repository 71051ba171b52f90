//! The audit log as the master user and the operator read it: in words, in the reader's
//! language, filtered by person, event and period, and downloaded as a workbook; never with
//! another employer's names in it. On SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::io::Cursor;

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use chrono::{TimeZone, Utc};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{Actor, AuditEvent, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Browser, CONSULT_A, Fixture, MASTER_A, MASTER_B, fixture, spawn_app, unescape};

const LOG_A: &str = "/werkgevers/530-101/auditlog";

both_engines!(
    the_master_reads_the_log_in_words_and_filters_it,
    the_log_speaks_the_readers_language_and_downloads_as_a_workbook,
    nobody_else_reads_an_employers_log,
);

/// An entry of employer A on `day` of November 2026, by `user`, with `details` shaped as
/// the store writes them.
async fn entry(store: &Store, f: &Fixture, user: i64, day: u32, event: AuditEvent, details: Value) {
    let at = Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap();
    let actor = Actor {
        user_id: Some(user),
        ip: Some("192.0.2.7".to_owned()),
    };
    store
        .record_event(&actor, Some(f.employer_a), event, details, at)
        .await
        .unwrap();
}

/// A's log: an exit of Peeters, a personal-data change of Tweede, a sheet change, an
/// applied upload, and an entry that names B's employee by id (as a forged or mistaken
/// entry could): its name must not appear.
async fn history(store: &Store, f: &Fixture) {
    let peeters = f.person("Peeters");
    let tweede = f.person("Tweede");
    let exit = json!({ "action_id": 11, "employee_id": peeters.id, "exit": {
        "end_date": "2026-04-30", "reason": "retirement", "affiliation_ids": [1], "late": true } });
    entry(store, f, f.master_a, 2, AuditEvent::EmployeeExited, exit).await;
    let change = json!({ "action_id": 12, "employee_id": tweede.id,
        "national_number": tweede.national_number.masked(),
        "changes": [{ "field": "last_name", "before": "Tweede", "after": "Tweedé" },
                    { "field": "gender", "before": "M", "after": "F" }] });
    entry(
        store,
        f,
        f.consult_a,
        10,
        AuditEvent::EmployeeChanged,
        change,
    )
    .await;
    let sheet = json!({ "user_id": f.consult_a,
        "before": { "rights": "consult", "contracts": null, "external": false, "valid_until": null },
        "after": { "rights": "input", "contracts": [f.c1], "external": false, "valid_until": "2027-01-31" } });
    entry(store, f, f.master_a, 20, AuditEvent::SheetChanged, sheet).await;
    let upload = json!({ "action_id": 13, "counts": { "choice": "geldige", "rows": 40, "new": 3,
        "changed": 2, "removed": 0, "unchanged": 35, "warnings": 1, "error_rows": 2 } });
    entry(store, f, f.master_a, 25, AuditEvent::UploadApplied, upload).await;
    let details = json!({ "before": { "name": "Bouwbedrijf Proef NV", "city": "Gent" },
        "after": { "name": "Bouwbedrijf Proef BV", "city": "Gent" } });
    entry(
        store,
        f,
        f.master_a,
        27,
        AuditEvent::EmployerChanged,
        details,
    )
    .await;
    let address = json!({ "before": "oud@a.test", "after": "nieuw@a.test" });
    entry(
        store,
        f,
        f.master_a,
        28,
        AuditEvent::NotificationAddressChanged,
        address,
    )
    .await;
    let foreign = json!({ "action_id": 14, "employee_id": f.b.id });
    entry(store, f, f.master_a, 26, AuditEvent::ExitWithdrawn, foreign).await;
}

/// The page's text with its markup and its filter form left out: what the entries say.
fn text(page: &support::Page) -> String {
    let body = page.body.split("</form>").last().unwrap_or_default();
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape(&text)
}

async fn the_master_reads_the_log_in_words_and_filters_it(db: TestDb) {
    let f = fixture(&db.store).await;
    history(&db.store, &f).await;
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    let page = master.get(LOG_A).await;
    assert_eq!(page.status, StatusCode::OK);
    let all = text(&page);
    let peeters = f.person("Peeters");
    for words in [
        "Uittreding",
        &format!(
            "Werknemer: {}, {} ({})",
            peeters.last_name, peeters.first_name, peeters.employee_number
        ),
        "Einddatum: 30/04/2026",
        "Reden: Pensionering",
        "Laattijdige melding",
        "Persoonsgegevens gewijzigd",
        "Naam: Tweede → Tweedé",
        "Geslacht: Man → Vrouw",
        "Rechten van een gebruiker gewijzigd",
        "Gebruiker: consult@a.test",
        "Rechten: Raadplegen → Raadplegen en invoeren",
        "Contracten: alle contracten → ",
        "Geldig tot: — → 31/01/2027",
        "Upload toegepast",
        "Toegepast: enkel de rijen zonder fouten",
        "Rijen met fouten: 2",
        "Uittreding ingetrokken",
        "Gegevens van de werkgever gewijzigd",
        "Naam: Bouwbedrijf Proef NV → Bouwbedrijf Proef BV",
        "Notificatieadres: oud@a.test → nieuw@a.test",
    ] {
        assert!(all.contains(words), "{words:?} missing from {all}");
    }
    // No codes, no JSON, and nothing of employer B's employee.
    for raw in [
        "employee_exited",
        "\"before\"",
        "retirement",
        "{\"",
        // An unchanged field of a change is not listed.
        "Gemeente",
        &f.b.last_name,
    ] {
        assert!(!all.contains(raw), "{raw:?} shown in {all}");
    }

    // Filters: event, person, period (inclusive days, Brussels time).
    let exits = text(
        &master
            .get_query(LOG_A, &[("event", "employee_exited")])
            .await,
    );
    assert!(
        exits.contains("Einddatum") && !exits.contains("Upload toegepast"),
        "{exits}"
    );
    let by_consultant = text(
        &master
            .get_query(LOG_A, &[("person", "CONSULT@a.test ")])
            .await,
    );
    assert!(
        by_consultant.contains("Naam: Tweede → Tweedé"),
        "{by_consultant}"
    );
    assert!(!by_consultant.contains("Einddatum"), "{by_consultant}");
    let period = [("since", "2026-11-10"), ("until", "20/11/2026")];
    let middle = text(&master.get_query(LOG_A, &period).await);
    assert!(middle.contains("Persoonsgegevens gewijzigd"), "{middle}");
    assert!(
        middle.contains("Rechten van een gebruiker gewijzigd"),
        "{middle}"
    );
    assert!(
        !middle.contains("Einddatum") && !middle.contains("Upload toegepast"),
        "{middle}"
    );
    let nobody = text(
        &master
            .get_query(LOG_A, &[("person", "niemand@elders.test")])
            .await,
    );
    assert!(
        nobody.contains("Geen gebeurtenissen voor deze filters."),
        "{nobody}"
    );

    // A filter that does not parse is said at its field, and nothing is listed.
    let bad = master
        .get_query(
            LOG_A,
            &[("since", "31/02/2026"), ("event", "dropped_tables")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = unescape(&bad.body);
    assert!(said.contains("Geef een datum als dd/mm/jjjj."), "{said}");
    assert!(
        said.contains("Kies een gebeurtenis uit de lijst."),
        "{said}"
    );
    assert!(!said.contains("Einddatum"), "{said}");
    let reversed = master
        .get_query(LOG_A, &[("since", "2026-11-20"), ("until", "2026-11-10")])
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&reversed.body).contains("De einddatum ligt vóór de begindatum."));
    db.cleanup().await;
}

/// The cells of the first sheet, row by row.
fn cells(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

async fn the_log_speaks_the_readers_language_and_downloads_as_a_workbook(db: TestDb) {
    let f = fixture(&db.store).await;
    history(&db.store, &f).await;
    db.store.set_language(f.master_a, "fr").await.unwrap();
    let base = spawn_app(db.store.clone()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    let page = text(&master.get(LOG_A).await);
    for words in [
        "Sortie",
        "Date de fin : 30/04/2026",
        "Motif : Départ à la pension",
        "Chargement appliqué",
    ] {
        assert!(page.contains(words), "{words:?} missing from {page}");
    }

    let (status, content_type, bytes) = master
        .get_bytes(&format!("{LOG_A}/download?event=employee_changed"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let rows = cells(bytes);
    assert_eq!(rows[0], ["Quand", "Qui", "Événement", "Quoi", "Adresse IP"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][1], CONSULT_A);
    assert_eq!(rows[1][2], "Données personnelles modifiées");
    assert!(rows[1][3].contains("Nom : Tweede → Tweedé"), "{rows:?}");

    // The download is itself in the log, and a forged filter gets no file.
    let after = text(
        &master
            .get_query(LOG_A, &[("event", "personal_data_downloaded")])
            .await,
    );
    assert!(after.contains("journal-d-audit.xlsx"), "{after}");
    let (status, _, _) = master
        .get_bytes(&format!("{LOG_A}/download?since=gisteren"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    db.cleanup().await;
}

async fn nobody_else_reads_an_employers_log(db: TestDb) {
    let f = fixture(&db.store).await;
    history(&db.store, &f).await;
    let base = spawn_app(db.store.clone()).await;
    let consultant = Browser::logged_in(&base, CONSULT_A).await;
    let other_master = Browser::logged_in(&base, MASTER_B).await;
    for path in [LOG_A.to_owned(), format!("{LOG_A}/download")] {
        assert_eq!(consultant.get(&path).await.status, StatusCode::FORBIDDEN);
        let (status, _, body) = other_master.get_bytes(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!String::from_utf8_lossy(&body).contains("Peeters"));
    }
    // B's own log holds nothing of A, whatever its filter says.
    let own = other_master
        .get_query("/werkgevers/530-202/auditlog", &[("person", MASTER_A)])
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!text(&own).contains("Uittreding"), "{}", own.body);
    db.cleanup().await;
}
