//! "Invullijst salarissen" through the real application, its worker and the real
//! `ebdesk sheets-parse` child, on SQLite and PostgreSQL: request the list of this year,
//! download it, fill it with openpyxl (web/e2e/fill_salaries.py) and re-save it with
//! LibreOffice, upload, read the preview's counts, apply, and find the salaries stored from
//! 1 January; a second upload of the same file changes nothing. Then the rights and the
//! scope: a consult user cannot upload, an input user of contract 1 cannot touch contract
//! 2's or another employer's affiliations, and hostile files fail as actions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../server/tests/support/mod.rs"]
#[macro_use]
mod support;
#[path = "../../sheets/tests/support/mod.rs"]
mod sheets_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::{Datelike, NaiveDate, Utc};
use ebdesk_domain::Rights;
use ebdesk_domain::premium::{Cents, Fraction, SalaryFrom};
use ebdesk_domain::salary_list::SalaryListRow;
use ebdesk_jobs::kinds::ParserCommand;
use ebdesk_sheets::{CollectSalaries, UploadLimits, read_salary_upload_into, write_salary_list};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{NewSalary, Store};
use reqwest::StatusCode;
use rust_xlsxwriter::{Formula, Workbook};
use support::{
    Browser, CONSULT_A, EMPLOYER_A, Fixture, MASTER_A, PASSWORD, Page, count, fixture, new_user,
    spawn_app_with_worker, wait_for,
};

const HOME: &str = "/werkgevers/530-101";

fn parser() -> ParserCommand {
    ParserCommand {
        exe: env!("CARGO_BIN_EXE_ebdesk").into(),
        args: vec!["sheets-parse".to_owned()],
    }
}

fn this_year() -> i32 {
    Utc::now().year()
}

fn first_of_january() -> NaiveDate {
    NaiveDate::from_ymd_opt(this_year(), 1, 1).unwrap()
}

fn checked(page: &Page) -> bool {
    page.body.contains("id=\"count-new\"") || page.body.contains("status-failed")
}

/// Requests the list of this year and answers its bytes.
async fn download(browser: &Browser) -> Vec<u8> {
    let token = browser.get(&format!("{HOME}/downloads")).await.csrf_token();
    let year = this_year().to_string();
    let requested = browser
        .post(
            &format!("{HOME}/downloads/invullijst-salarissen"),
            &[("csrf_token", token.as_str()), ("jaar", year.as_str())],
        )
        .await;
    assert_eq!(
        requested.status,
        StatusCode::SEE_OTHER,
        "{}",
        requested.body
    );
    let action = requested.location.unwrap();
    wait_for(browser, &action, |p| p.body.contains("status-available")).await;
    let (status, _, bytes) = browser.get_bytes(&format!("{action}/bestand")).await;
    assert_eq!(status, StatusCode::OK);
    bytes
}

async fn upload(browser: &Browser, bytes: Vec<u8>) -> Page {
    let token = browser.get(&format!("{HOME}/uploads")).await.csrf_token();
    browser
        .upload(
            &format!("{HOME}/uploads/invullijst-salarissen?csrf_token={token}"),
            "bestand",
            "salarissen.xlsx",
            bytes,
        )
        .await
}

/// Uploads and waits for the check; answers the action's path and its page.
async fn upload_and_check(browser: &Browser, bytes: Vec<u8>) -> (String, Page) {
    let sent = upload(browser, bytes).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let path = sent.location.unwrap();
    let page = wait_for(browser, &path, checked).await;
    (path, page)
}

async fn apply(browser: &Browser, action: &str, choice: &str) -> Page {
    let token = browser.get(action).await.csrf_token();
    browser
        .post(
            &format!("{action}/toepassen"),
            &[("csrf_token", token.as_str()), ("keuze", choice)],
        )
        .await
}

fn read(bytes: &[u8]) -> CollectSalaries {
    let mut collect = CollectSalaries::default();
    read_salary_upload_into(bytes, &UploadLimits::default(), &mut collect).unwrap();
    collect
}

/// A tool the round trip needs: missing, the test says so and stops, unless CI is set.
fn tool_missing(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is needed on CI: python3 -m pip install openpyxl, apt-get install \
             libreoffice-calc-nogui"
        );
        eprintln!("skipped: {what} is not installed");
    }
    !ok
}

fn has_openpyxl() -> bool {
    Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success())
}

fn soffice() -> Option<&'static str> {
    ["libreoffice", "soffice"].into_iter().find(|exe| {
        Command::new(exe)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Fills the list with openpyxl; answers the filled file's bytes and what was typed.
fn fill(dir: &Path, bytes: &[u8]) -> (Vec<u8>, serde_json::Value) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/e2e/fill_salaries.py");
    let (source, target) = (dir.join("lijst.xlsx"), dir.join("ingevuld.xlsx"));
    std::fs::write(&source, bytes).unwrap();
    let out = Command::new("python3")
        .arg(script)
        .arg(&source)
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let filled = serde_json::from_slice(&out.stdout).unwrap();
    (std::fs::read(target).unwrap(), filled)
}

/// The file as LibreOffice saves it again.
fn resave(exe: &str, dir: &Path, bytes: &[u8]) -> Vec<u8> {
    let (source, out_dir) = (dir.join("libre.xlsx"), dir.join("out"));
    std::fs::write(&source, bytes).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let done = Command::new(exe)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(&out_dir)
        .arg(&source)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    std::fs::read(out_dir.join("libre.xlsx")).unwrap()
}

/// A directory of its own, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id());
        let stamp = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("ebdesk-salaries-{stamp}-{nanos}"));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn master_access(store: &Store, f: &Fixture) -> ebdesk_store::Access {
    store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap()
}

/// The list of A on 1 January as stored, in the download's order.
async fn stored_list(store: &Store, f: &Fixture) -> Vec<SalaryListRow> {
    let access = master_access(store, f).await;
    store
        .list_salary_list_rows(access.scope(), first_of_january())
        .await
        .unwrap()
}

async fn download_fill_upload_and_apply(db: TestDb) {
    let Some(exe) = soffice() else {
        tool_missing("LibreOffice", false);
        return db.cleanup().await;
    };
    if tool_missing("openpyxl", has_openpyxl()) {
        return db.cleanup().await;
    }
    let f = fixture(&db.store).await;
    let before = stored_list(&db.store, &f).await;
    // Peeters has a salary since last year: the list shows it and the upload changes it.
    let last_year = NaiveDate::from_ymd_opt(this_year() - 1, 3, 1).unwrap();
    let salary = SalaryFrom {
        from: last_year,
        annual: Cents(5_000_000),
        fraction: Fraction::FULL,
    };
    let peeters = NewSalary {
        affiliation_id: before[0].affiliation_id,
        salary,
    };
    db.store
        .insert_salaries(f.employer_a, &[peeters], Utc::now())
        .await
        .unwrap();
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    let bytes = download(&master).await;
    let list = read(&bytes);
    assert_eq!(
        list.rows.len(),
        5,
        "the passive employee left before 1 January"
    );
    assert_eq!(list.rows[0].annual, Ok(Some(Cents(5_000_000))));
    let dir = TempDir::new();
    let (filled, typed) = fill(dir.path(), &bytes);
    assert_eq!(typed["rows"], 5);

    // Checked twice before either is applied: the second saw the salaries of before.
    let (action, preview) = upload_and_check(&master, filled.clone()).await;
    let (twin, _) = upload_and_check(&master, filled.clone()).await;
    assert_eq!(count(&preview, "new"), 4, "{}", preview.body);
    assert_eq!(count(&preview, "changed"), 1);
    assert_eq!(count(&preview, "errors"), 0);
    assert!(
        preview.body.contains("52\u{a0}000,50\u{a0}€ × 80\u{a0}%"),
        "{}",
        preview.body
    );
    let applied = apply(&master, &action, "alles").await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    assert!(master.get(&action).await.body.contains("Verwerkt"));
    let stale = apply(&master, &twin, "alles").await;
    assert!(stale.location.unwrap().contains("geweigerd=upload-stale"));

    let access = master_access(&db.store, &f).await;
    let mut recorded = Vec::new();
    for row in typed["filled"].as_array().unwrap() {
        let id = row["affiliation"].as_i64().unwrap();
        let history = db.store.list_affiliation_salaries(access.scope(), id).await;
        let last = *history.unwrap().last().unwrap();
        assert_eq!(last.salary.from, first_of_january());
        assert_eq!(last.salary.annual.0, row["cents"].as_i64().unwrap());
        let fraction = i64::from(last.salary.fraction.ten_thousandths());
        assert_eq!(fraction, row["fraction"].as_i64().unwrap());
        recorded.push(last.recorded_at);
    }

    // The same file, and the same file saved again by LibreOffice: all unchanged.
    let resaved = resave(exe, dir.path(), &filled);
    for file in [filled, resaved] {
        let (again, preview) = upload_and_check(&master, file).await;
        assert_eq!(count(&preview, "new"), 0, "{}", preview.body);
        assert_eq!(count(&preview, "changed"), 0);
        assert_eq!(count(&preview, "unchanged"), 5);
        apply(&master, &again, "alles").await;
    }
    let mut after = Vec::new();
    for row in typed["filled"].as_array().unwrap() {
        let id = row["affiliation"].as_i64().unwrap();
        let history = db.store.list_affiliation_salaries(access.scope(), id).await;
        after.push(history.unwrap().last().unwrap().recorded_at);
    }
    assert_eq!(recorded, after, "applying the same values writes nothing");
    let log = master.get(&format!("{HOME}/auditlog")).await;
    assert!(log.body.contains("salaries_uploaded"), "{}", log.body);
    db.cleanup().await;
}

/// An input user of contract 1 only.
async fn input_of_contract_one(store: &Store, f: &Fixture) {
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    let user = new_user(store, "invoer1@a.test", "Invoer Een", &hash).await;
    store
        .insert_sheet(
            f.employer_a,
            user,
            Rights::Input,
            Some(&[f.c1]),
            None,
            Utc::now(),
        )
        .await
        .unwrap();
}

/// The full list of A (both contracts) and B's affiliation, every row filled in.
fn everything(mut rows: Vec<SalaryListRow>, other: SalaryListRow) -> Vec<u8> {
    rows.push(other);
    for row in &mut rows {
        row.current = Some(ebdesk_domain::salary_list::SalaryValues {
            annual: Cents(4_200_000),
            fraction: Fraction::FULL,
        });
    }
    write_salary_list(rows, this_year(), &ebdesk_i18n::default_language()).unwrap()
}

async fn rights_and_scope_are_kept(db: TestDb) {
    let f = fixture(&db.store).await;
    input_of_contract_one(&db.store, &f).await;
    let all = stored_list(&db.store, &f).await;
    let b_access = db
        .store
        .find_access(f.master_b, "530-202", Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let b_rows = db
        .store
        .list_salary_list_rows(b_access.scope(), first_of_january());
    let other = b_rows.await.unwrap().remove(0);
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;

    // The consult user may download, not upload.
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let token = consult.get(&format!("{HOME}/downloads")).await.csrf_token();
    let refused = consult
        .upload(
            &format!("{HOME}/uploads/invullijst-salarissen?csrf_token={token}"),
            "bestand",
            "salarissen.xlsx",
            everything(all.clone(), other.clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The input user of contract 1 sees its 3 rows and cannot change the others.
    let input = Browser::logged_in(&base, "invoer1@a.test").await;
    assert_eq!(read(&download(&input).await).rows.len(), 3);
    let (action, preview) = upload_and_check(&input, everything(all.clone(), other)).await;
    assert_eq!(count(&preview, "new"), 3, "{}", preview.body);
    assert_eq!(count(&preview, "errors"), 3, "contract 2 twice and B's");
    assert!(
        preview.body.contains("Onbekende aansluiting"),
        "{}",
        preview.body
    );
    assert!(!preview.body.contains("id=\"apply-all\""));
    apply(&input, &action, "geldige").await;
    let access = master_access(&db.store, &f).await;
    let contract_two: Vec<&SalaryListRow> = all
        .iter()
        .filter(|r| r.contract_number == "530/000102")
        .collect();
    assert_eq!(contract_two.len(), 2);
    for row in contract_two {
        let history = db
            .store
            .list_affiliation_salaries(access.scope(), row.affiliation_id);
        assert!(history.await.unwrap().is_empty(), "contract 2 is untouched");
    }
    db.cleanup().await;
}

/// A list of A's first affiliation with `salary` typed in, and a formula as fraction.
fn hand_made(key: i64, salary: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in [
        "Aansluiting (niet wijzigen)",
        "Pensioengevend jaarloon (voltijds, €)",
        "Arbeidsbreuk (0-1 of %)",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_number(1, 0, key as f64).unwrap();
    sheet.write_string(1, 1, salary).unwrap();
    sheet.write_formula(1, 2, Formula::new("=1/2")).unwrap();
    book.save_to_buffer().unwrap()
}

async fn hostile_files_change_nothing(db: TestDb) {
    let f = fixture(&db.store).await;
    let all = stored_list(&db.store, &f).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let master = Browser::logged_in(&base, MASTER_A).await;

    // Refused as a whole: a zip bomb, the other list.
    let padding = " ".repeat(8 * 1024 * 1024);
    let mut bomb = sheets_support::Package::minimal(&padding);
    bomb.level = 9;
    let overview =
        ebdesk_sheets::write_insured_overview(Vec::new(), &ebdesk_i18n::default_language())
            .unwrap();
    for (file, words) in [
        (bomb.zip(), "Excel-werkmap"),
        (overview, "Aansluiting (niet wijzigen)"),
    ] {
        let (_, page) = upload_and_check(&master, file).await;
        assert!(page.body.contains("status-failed"), "{}", page.body);
        assert!(page.body.contains(words), "{words}: {}", page.body);
    }
    // Per row: a huge string and a formula.
    // The longest text a cell holds.
    let huge = "9".repeat(32_767);
    let (action, page) = upload_and_check(&master, hand_made(all[0].affiliation_id, &huge)).await;
    assert_eq!(
        count(&page, "errors"),
        1,
        "one row with two errors: {}",
        page.body
    );
    assert!(page.body.contains("formule"), "{}", page.body);
    assert!(
        page.body.len() < 200_000,
        "the huge value is cut in the preview"
    );
    let refused = apply(&master, &action, "alles").await;
    assert!(
        refused
            .location
            .unwrap()
            .contains("geweigerd=upload-has-errors")
    );
    let access = master_access(&db.store, &f).await;
    let history = db
        .store
        .list_affiliation_salaries(access.scope(), all[0].affiliation_id);
    assert!(history.await.unwrap().is_empty());
    db.cleanup().await;
}

both_engines!(
    download_fill_upload_and_apply,
    rights_and_scope_are_kept,
    hostile_files_change_nothing,
);
