//! The "Overzicht verzekerden" round trip through the real application and its worker, on
//! SQLite and PostgreSQL: request, job, download, fill e-mails, upload, preview, decide.
//! Uploads are parsed by the real `ebdesk sheets-parse` child, which is why these tests
//! live with the binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../server/tests/support/mod.rs"]
#[macro_use]
mod support;

use chrono::Utc;
use ebdesk_domain::EmailAddress;
use ebdesk_jobs::kinds::ParserCommand;
use ebdesk_sheets::{UploadLimits, read_insured_upload, write_insured_overview};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{InsuredEntry, Store};
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, Fixture, MASTER_A, Page, count, fixture, spawn_app_with_worker,
    wait_for,
};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn parser() -> ParserCommand {
    ParserCommand {
        exe: env!("CARGO_BIN_EXE_ebdesk").into(),
        args: vec!["sheets-parse".to_owned()],
    }
}

fn preview_ready(page: &Page) -> bool {
    page.body.contains("id=\"count-new\"") || page.body.contains("status-failed")
}

async fn entries(store: &Store, f: &Fixture) -> Vec<InsuredEntry> {
    let access = store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    store.list_insured_rows(access.scope()).await.unwrap()
}

/// The workbook as the user sends it back: the stored rows with `email(entry)` filled in.
fn filled(entries: &[InsuredEntry], email: impl Fn(&InsuredEntry) -> Option<String>) -> Vec<u8> {
    let rows = entries.iter().map(|e| {
        let mut row = e.row.clone();
        if let Some(address) = email(e) {
            row.business_email = Some(EmailAddress::parse(&address).unwrap());
        }
        row
    });
    write_insured_overview(rows, &ebdesk_i18n::default_language()).unwrap()
}

async fn upload(browser: &Browser, name: &str, bytes: Vec<u8>) -> Page {
    let token = browser
        .get("/werkgevers/530-101/uploads")
        .await
        .csrf_token();
    browser
        .upload(
            &format!("/werkgevers/530-101/uploads?csrf_token={token}"),
            "bestand",
            name,
            bytes,
        )
        .await
}

/// Uploads and waits for the preview; answers the action's path and its page.
async fn upload_and_check(browser: &Browser, bytes: Vec<u8>) -> (String, Page) {
    let sent = upload(browser, "overzicht.xlsx", bytes).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let path = sent.location.unwrap();
    let page = wait_for(browser, &path, preview_ready).await;
    (path, page)
}

async fn decide(browser: &Browser, action: &str, step: &str, choice: &str) -> Page {
    let token = browser.get(action).await.csrf_token();
    browser
        .post(
            &format!("{action}/{step}"),
            &[
                ("csrf_token", &token),
                ("keuze", choice),
                ("bevestigd", "1"),
            ],
        )
        .await
}

/// The upload of the action at `path`, as stored.
async fn stored_upload(store: &Store, f: &Fixture, path: &str) -> ebdesk_store::UploadRecord {
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let access = store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    store
        .find_upload(access.scope(), id)
        .await
        .unwrap()
        .unwrap()
}

async fn business_email(store: &Store, f: &Fixture, employee_id: i64) -> Option<String> {
    let access = store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    store
        .find_employee(access.scope(), employee_id)
        .await
        .unwrap()
        .unwrap()
        .business_email
}

fn address_of(entry: &InsuredEntry) -> String {
    format!("werknemer{}@proef.test", entry.employee_id)
}

async fn download_fill_upload_and_apply(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    // Request from the home page; the action page shows it until the file is there.
    let token = master.get("/werkgevers/530-101").await.csrf_token();
    let requested = master
        .post(
            "/werkgevers/530-101/downloads/overzicht-verzekerden",
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(requested.status, StatusCode::SEE_OTHER);
    let action = requested.location.unwrap();
    let done = wait_for(&master, &action, |p| p.body.contains("status-available")).await;
    assert!(done.body.contains("Beschikbaar"), "{}", done.body);
    let list = master.get("/werkgevers/530-101/acties").await;
    assert!(list.body.contains("Overzicht verzekerden"), "{}", list.body);
    assert!(list.body.contains("Aangevraagd op"), "{}", list.body);

    let (status, content_type, bytes) = master.get_bytes(&format!("{action}/bestand")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, XLSX);
    let downloaded = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    let stored = entries(&db.store, &f).await;
    assert_eq!(
        downloaded.rows.len(),
        stored.len(),
        "one row per affiliation"
    );
    let numbers: Vec<String> = downloaded
        .rows
        .iter()
        .map(|r| r.national_number.clone().unwrap().as_str().to_owned())
        .collect();
    assert!(
        !numbers.contains(&f.b.national_number.as_str().to_owned()),
        "the other employer's employee is not in the download"
    );

    // Fill in an address for everyone without one.
    let without: Vec<&InsuredEntry> = stored
        .iter()
        .filter(|e| e.row.business_email.is_none())
        .collect();
    let mut employees: Vec<i64> = without.iter().map(|e| e.employee_id).collect();
    employees.sort_unstable();
    employees.dedup();
    assert!(!employees.is_empty());
    let file = filled(&stored, |e| {
        e.row.business_email.is_none().then(|| address_of(e))
    });

    // Cancel first: nothing changes.
    let (cancelled, preview) = upload_and_check(&master, file.clone()).await;
    assert_eq!(count(&preview, "new"), employees.len(), "{}", preview.body);
    assert_eq!(count(&preview, "errors"), 0);
    assert!(preview.body.contains("id=\"apply-all\""));
    // Cancelling asks first (the file named, nothing decided), then cancels.
    let token = master.get(&cancelled).await.csrf_token();
    let asked = master
        .post(&format!("{cancelled}/annuleren"), &[("csrf_token", &token)])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("wordt niet toegepast"),
        "{}",
        asked.body
    );
    assert!(
        master
            .get(&cancelled)
            .await
            .body
            .contains("id=\"apply-all\"")
    );
    let page = decide(&master, &cancelled, "annuleren", "").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(master.get(&cancelled).await.body.contains("geannuleerd"));
    assert_eq!(business_email(&db.store, &f, employees[0]).await, None);

    // Then apply all: every address is there.
    let (applied, _) = upload_and_check(&master, file.clone()).await;
    let page = decide(&master, &applied, "toepassen", "alles").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let done = master.get(&applied).await;
    assert!(done.body.contains("Verwerkt"), "{}", done.body);
    let employee = master
        .get(&format!("/werkgevers/530-101/werknemers/{}", employees[0]))
        .await;
    assert!(
        employee
            .body
            .contains(&format!("werknemer{}@proef.test", employees[0])),
        "{}",
        employee.body
    );
    // Deciding twice is refused.
    let again = decide(&master, &applied, "toepassen", "alles").await;
    assert!(
        again
            .location
            .unwrap()
            .contains("geweigerd=upload-not-ready")
    );

    // The same file again changes nothing.
    let versions: Vec<i64> = entries(&db.store, &f)
        .await
        .iter()
        .map(|e| e.version)
        .collect();
    let (same, preview) = upload_and_check(&master, file).await;
    assert_eq!(count(&preview, "new"), 0);
    assert_eq!(count(&preview, "changed"), 0);
    assert_eq!(count(&preview, "removed"), 0);
    decide(&master, &same, "toepassen", "alles").await;
    assert!(master.get(&same).await.body.contains("Verwerkt"));
    let after: Vec<i64> = entries(&db.store, &f)
        .await
        .iter()
        .map(|e| e.version)
        .collect();
    assert_eq!(
        versions, after,
        "a re-upload of the same file writes nothing"
    );

    // The download and the change are in the audit log.
    let log = master.get("/werkgevers/530-101/auditlog").await;
    assert!(
        log.body.contains("personal_data_downloaded"),
        "{}",
        log.body
    );
    assert!(log.body.contains("upload_applied"));
    assert!(log.body.contains("upload_cancelled"));
    db.cleanup().await;
}

async fn errors_are_shown_and_only_valid_rows_apply(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let stored = entries(&db.store, &f).await;
    let good = stored[0].clone();
    let bad = stored
        .iter()
        .find(|e| e.employee_id != good.employee_id)
        .unwrap()
        .clone();

    // One valid address, one invalid, and a row of the other employer's employee.
    let mut rows: Vec<ebdesk_domain::insured_sheet::InsuredRow> = stored
        .iter()
        .filter(|e| e.employee_id == good.employee_id || e.employee_id == bad.employee_id)
        .map(|e| {
            let mut row = e.row.clone();
            if e.employee_id == good.employee_id {
                row.business_email = Some(EmailAddress::parse("goed@proef.test").unwrap());
            }
            row
        })
        .collect();
    let mut stranger = good.row.clone();
    stranger.national_number = f.b.national_number.clone();
    rows.push(stranger);
    let mut book = write_insured_overview(rows, &ebdesk_i18n::default_language()).unwrap();
    // The invalid address is typed in by hand: the writer only takes valid ones.
    book = ebdesk_sheets_test_edit(&book, &bad.row.national_number, "geen-adres");

    let (action, preview) = upload_and_check(&master, book).await;
    assert_eq!(count(&preview, "new"), 1, "{}", preview.body);
    assert_eq!(count(&preview, "errors"), 2);
    assert!(preview.body.contains("geen-adres"));
    assert!(
        preview
            .body
            .contains("Er is geen verzekerde met dit rijksregisternummer")
    );
    assert!(!preview.body.contains("id=\"apply-all\""));
    // Stored as message keys, rendered in the reader's language when shown.
    let text = stored_upload(&db.store, &f, &action).await.preview.unwrap();
    assert!(text.contains(r#""key":"row-unknown-employee""#), "{text}");
    assert!(!text.contains("Er is geen verzekerde"), "{text}");
    // "Apply all" is refused while there are errors.
    let refused = decide(&master, &action, "toepassen", "alles").await;
    let back = master.get(&refused.location.unwrap()).await;
    assert!(
        back.body.contains("Het bestand bevat fouten"),
        "{}",
        back.body
    );
    assert_eq!(business_email(&db.store, &f, good.employee_id).await, None);
    // The workbook of errors.
    let (status, content_type, _) = master.get_bytes(&format!("{action}/bestand")).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, XLSX));

    decide(&master, &action, "toepassen", "geldige").await;
    assert_eq!(
        business_email(&db.store, &f, good.employee_id)
            .await
            .as_deref(),
        Some("goed@proef.test")
    );
    assert_eq!(business_email(&db.store, &f, bad.employee_id).await, None);
    db.cleanup().await;
}

/// Writes `value` into the e-mail cell of the row with `number`, through a fresh workbook
/// with the same rows (the sheets crate's writer refuses invalid addresses by type).
fn ebdesk_sheets_test_edit(
    book: &[u8],
    number: &ebdesk_domain::NationalNumber,
    value: &str,
) -> Vec<u8> {
    let parsed = read_insured_upload(book, &UploadLimits::default()).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Verzekerden").unwrap();
    sheet.write_string(0, 0, "Rijksregisternummer").unwrap();
    sheet.write_string(0, 1, "Zakelijk e-mailadres").unwrap();
    for (i, row) in parsed.rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap();
        let key = row.national_number.clone().unwrap();
        sheet.write_string(r, 0, key.formatted()).unwrap();
        let email = if &key == number {
            value.to_owned()
        } else {
            row.business_email
                .clone()
                .unwrap()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default()
        };
        if !email.is_empty() {
            sheet.write_string(r, 1, email).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn bad_files_change_nothing(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    // Refused at the field, before anything is stored.
    let old = upload(&master, "lijst.xls", b"\xD0\xCF\x11\xE0rest".to_vec()).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(old.body.contains("oude Excel-formaat"), "{}", old.body);
    assert!(old.body.contains("(.xlsx)"));
    let empty = upload(&master, "lijst.xlsx", Vec::new()).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Refused by the worker: the action fails and says why.
    let sent = upload(&master, "lijst.xlsx", b"dit is geen werkmap".to_vec()).await;
    let path = sent.location.unwrap();
    let page = wait_for(&master, &path, |p| p.body.contains("status-failed")).await;
    assert!(
        page.body.contains("Dit bestand is geen Excel-werkmap"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Mislukt"));
    assert!(!page.body.contains("apply-"));
    assert_eq!(
        stored_upload(&db.store, &f, &path)
            .await
            .rejection
            .as_deref(),
        Some(r#"{"key":"upload-not-a-workbook"}"#)
    );
    let stored = entries(&db.store, &f).await;
    assert!(stored.iter().all(|e| e.version == 1));

    // A consult user cannot upload at all.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    assert_eq!(
        consult.get("/werkgevers/530-101/uploads").await.status,
        StatusCode::FORBIDDEN
    );
    db.cleanup().await;
}

/// Two previews of the same employees: once one is applied, the other is refused as a
/// whole, none of its rows written (the apply is one transaction).
async fn a_stale_preview_applies_nothing(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;
    let stored = entries(&db.store, &f).await;
    let first = filled(&stored, |e| {
        Some(format!("een{}@proef.test", e.employee_id))
    });
    let second = filled(&stored, |e| {
        Some(format!("twee{}@proef.test", e.employee_id))
    });
    let (a, _) = upload_and_check(&master, first).await;
    let (b, _) = upload_and_check(&master, second).await;
    decide(&master, &b, "toepassen", "alles").await;
    let refused = decide(&master, &a, "toepassen", "alles").await;
    assert!(
        refused.location.unwrap().contains("geweigerd=upload-stale"),
        "the older preview is refused"
    );
    for e in entries(&db.store, &f).await {
        assert_eq!(
            e.row.business_email.map(|m| m.as_str().to_owned()),
            Some(format!("twee{}@proef.test", e.employee_id))
        );
    }
    db.cleanup().await;
}

both_engines!(
    download_fill_upload_and_apply,
    errors_are_shown_and_only_valid_rows_apply,
    bad_files_change_nothing,
    a_stale_preview_applies_nothing,
);
