//! "Aangerekende premies" and the Premiebordereel over HTTP, with the worker: a consult
//! user of one contract sees that contract's charges, PDF lines and workbook lines only; a
//! month without a statement is refused at its field; every PDF download is audited. On
//! SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::io::Cursor;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{NaiveDate, Utc};
use ebdesk_domain::premium::{Cents, Fraction, Month, PlanRule, Rate, RuleFrom, SalaryFrom};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{Actor, IssueNotice, NewPlanRule, NewSalary, Store};
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, Fixture, MASTER_A, MASTER_B, PASSWORD, fixture, new_operator,
    spawn_app_with_worker, unescape,
};

both_engines!(
    charges_and_the_pdf_show_the_scope_only_and_the_pdf_is_audited,
    the_workbook_of_a_month_is_requested_and_made_for_the_scope,
    the_operator_records_payments_once_by_hand_and_from_a_bank_file,
);

const OPERATOR: &str = "beheer@ebdesk.test";

fn parser() -> ebdesk_jobs::kinds::ParserCommand {
    // Statements parse nothing: the parser child never starts.
    ebdesk_jobs::kinds::ParserCommand {
        exe: "/bin/false".into(),
        args: Vec::new(),
    }
}

/// Plan rules and salaries for every affiliation of A, and this month's statement.
async fn issued(store: &Store, f: &Fixture) -> Month {
    let today = Utc::now().date_naive();
    let access = store
        .find_access(f.master_a, EMPLOYER_A, today)
        .await
        .unwrap()
        .unwrap();
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    for category in store.list_categories(access.scope()).await.unwrap() {
        let rule = RuleFrom {
            from,
            rule: PlanRule::Flat { rate: Rate(50_000) },
        };
        let new = NewPlanRule {
            category_id: category.id,
            rule,
        };
        store.insert_plan_rule(f.employer_a, &new).await.unwrap();
    }
    let keys = store
        .list_affiliation_keys(f.employer_a, 0, 100)
        .await
        .unwrap();
    let salaries: Vec<NewSalary> = keys
        .iter()
        .map(|k| NewSalary {
            affiliation_id: k.id,
            salary: SalaryFrom {
                from,
                annual: Cents(4_800_000),
                fraction: Fraction::FULL,
            },
        })
        .collect();
    store
        .insert_salaries(f.employer_a, &salaries, Utc::now())
        .await
        .unwrap();
    let month = Month::of(today);
    let (notice, actor) = (IssueNotice::default(), Actor::default());
    let done = store.issue_statement(f.employer_a, month, &notice, &actor, Utc::now());
    assert!(done.await.unwrap().newly_issued);
    month
}

fn premies() -> String {
    format!("/werkgevers/{EMPLOYER_A}/premies")
}

async fn charges_and_the_pdf_show_the_scope_only_and_the_pdf_is_audited(db: TestDb) {
    let f = fixture(&db.store).await;
    let month = issued(&db.store, &f).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let (master, consult) = (
        Browser::logged_in(&base, MASTER_A).await,
        Browser::logged_in(&base, CONSULT_A).await,
    );

    let all = unescape(&master.get(&premies()).await.body);
    assert!(
        all.contains("530/000101") && all.contains("530/000102"),
        "{all}"
    );
    assert!(all.contains("+++"), "the structured communication: {all}");
    let mine = consult.get(&premies()).await;
    assert_eq!(mine.status, StatusCode::OK);
    let mine = unescape(&mine.body);
    assert!(mine.contains("530/000101"), "{mine}");
    assert!(!mine.contains("530/000102"), "{mine}");

    let pdf_path = format!("{}/{}/pdf", premies(), month.key());
    let (status, content_type, pdf) = consult.get_bytes(&pdf_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"530/000101"));
    // The plan's costs inside the total, as text or (with a no-break space) in hex.
    let hex: String = b"beheerskosten"
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let upper = String::from_utf8_lossy(&pdf).to_uppercase();
    assert!(
        has(b"beheerskosten") || upper.contains(&hex),
        "the management cost"
    );
    assert!(
        !has(b"530/000102"),
        "the other contract is not in the consult's PDF"
    );

    // Made-up, malformed and hostile months are not there; nor is A's PDF for B's master.
    for odd in [
        "2026-13",
        "1999-01",
        "..%2F..%2Fetc",
        "2026-1",
        "%3Cscript%3E",
    ] {
        let (status, _, _) = consult.get_bytes(&format!("{}/{odd}/pdf", premies())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{odd}");
    }
    let other = Browser::logged_in(&base, MASTER_B).await;
    let (status, _, _) = other.get_bytes(&pdf_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The year's workbook: the consult user's contract only; odd years are not there.
    let year_path = format!("{}/{}/xlsx", premies(), month.year);
    let (status, _, bytes) = consult.get_bytes(&year_path).await;
    assert_eq!(status, StatusCode::OK);
    let contracts: Vec<String> = rows(bytes)[1..].iter().map(|r| r[1].clone()).collect();
    assert!(
        contracts.contains(&"530/000101".to_owned()),
        "{contracts:?}"
    );
    assert!(
        !contracts.contains(&"530/000102".to_owned()),
        "{contracts:?}"
    );
    for odd in ["1999", "3000", "20x6", "-1"] {
        let (status, _, _) = consult
            .get_bytes(&format!("{}/{odd}/xlsx", premies()))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{odd}");
    }

    let log = master
        .get(&format!("/werkgevers/{EMPLOYER_A}/auditlog"))
        .await;
    assert!(
        log.body.contains("Premiebordereel gedownload"),
        "{}",
        log.body
    );
    assert!(log.body.contains("PDF"), "{}", log.body);
    db.cleanup().await;
}

/// The rows of the first sheet as text.
fn rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect()
}

async fn the_workbook_of_a_month_is_requested_and_made_for_the_scope(db: TestDb) {
    let f = fixture(&db.store).await;
    let month = issued(&db.store, &f).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let downloads = format!("/werkgevers/{EMPLOYER_A}/downloads");
    let request = format!("{downloads}/premiebordereel");

    // A month without a statement, or no month at all, is refused at the field.
    for odd in ["1999-01", "2026-13", "<script>alert(1)</script>", ""] {
        let token = consult.get(&downloads).await.csrf_token();
        let refused = consult
            .post(&request, &[("csrf_token", &token), ("maand", odd)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{odd}");
        assert!(refused.body.contains("id=\"statement-month-error\""));
        assert!(
            refused.body.contains("geen premiebordereel beschikbaar"),
            "{}",
            refused.body
        );
        assert!(!refused.body.contains("<script>alert"), "never echoed raw");
    }

    let token = consult.get(&downloads).await.csrf_token();
    let requested = consult
        .post(&request, &[("csrf_token", &token), ("maand", &month.key())])
        .await;
    assert_eq!(
        requested.status,
        StatusCode::SEE_OTHER,
        "{}",
        requested.body
    );
    let action = requested.location.unwrap();
    let started = Instant::now();
    loop {
        let page = consult.get(&action).await;
        if page.body.contains("status-available") {
            assert!(page.body.contains("Premiebordereel"), "{}", page.body);
            break;
        }
        assert!(!page.body.contains("status-failed"), "{}", page.body);
        assert!(started.elapsed() < Duration::from_secs(60), "{}", page.body);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, _, bytes) = consult.get_bytes(&format!("{action}/bestand")).await;
    assert_eq!(status, StatusCode::OK);
    let rows = rows(bytes);
    let contracts: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r[1].as_str())
        .filter(|c| !c.is_empty())
        .collect();
    assert!(!contracts.is_empty());
    assert!(
        contracts.iter().all(|c| *c == "530/000101"),
        "{contracts:?}"
    );
    let names: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    assert!(names.contains(&"Peeters, Jan"), "{names:?}");
    assert!(!names.contains(&"Tweede, Contract"), "{names:?}");
    db.cleanup().await;
}

/// The text of `<dd id="count-NAME">N</dd>`.
fn count(body: &str, name: &str) -> String {
    let marker = format!("id=\"count-{name}\">");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("{name}: {body}"))
        + marker.len();
    body[start..].split('<').next().unwrap().to_owned()
}

async fn the_operator_records_payments_once_by_hand_and_from_a_bank_file(db: TestDb) {
    let f = fixture(&db.store).await;
    let month = issued(&db.store, &f).await;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(&db.store, OPERATOR, "Beheerder", &hash).await;
    let base = spawn_app_with_worker(db.store.clone(), parser()).await;
    let today = Utc::now().date_naive();
    let access = db
        .store
        .find_access(f.consult_a, EMPLOYER_A, today)
        .await
        .unwrap()
        .unwrap();
    let header = db
        .store
        .find_statement(access.scope(), month, today)
        .await
        .unwrap()
        .unwrap();
    let charge = &header.charges[0];
    let operator = Browser::logged_in(&base, OPERATOR).await;

    // A wrong communication is refused at its field; nothing is recorded.
    let form = operator.get("/beheer/betalingen").await;
    assert_eq!(form.status, StatusCode::OK);
    let (token, nonce) = (form.csrf_token(), field_value(&form.body, "formulier"));
    let wrong = operator
        .post(
            "/beheer/betalingen",
            &[
                ("csrf_token", &token),
                ("formulier", &nonce),
                ("mededeling", "+++000/0000/00000+++"),
                ("bedrag", "-3"),
                ("datum", "31/02/2026"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["mededeling", "bedrag", "datum"] {
        assert!(
            wrong.body.contains(&format!("id=\"payment-{id}-error\"")),
            "{id}"
        );
    }

    // Half the charge by hand; the same form sent twice records it once.
    let half = format!(
        "{},{:02}",
        charge.amount_cents / 200,
        (charge.amount_cents / 2) % 100
    );
    for (round, expected) in [(0, ("1", "0")), (1, ("0", "1"))] {
        let sent = operator
            .post(
                "/beheer/betalingen",
                &[
                    ("csrf_token", &token),
                    ("formulier", &nonce),
                    ("mededeling", &charge.communication),
                    ("bedrag", &half),
                    ("datum", &today.format("%d/%m/%Y").to_string()),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{round}: {}", sent.body);
        assert_eq!(count(&sent.body, "recorded"), expected.0, "{round}");
        assert_eq!(count(&sent.body, "already"), expected.1, "{round}");
    }
    let page = unescape(
        &Browser::logged_in(&base, CONSULT_A)
            .await
            .get(&premies())
            .await
            .body,
    );
    assert!(
        page.contains("charge-open"),
        "half paid is still open: {page}"
    );

    // The rest from a bank file, read twice; bad rows are reported with their line.
    let rest = charge.amount_cents - charge.amount_cents / 2;
    let csv = format!(
        "Datum;Bedrag;Mededeling;Referentie\n\
         {date};{euros},{cents:02};{communication};BANK-1\n\
         {date};12,00;+++000/0000/00000+++;BANK-2\n\
         {date};abc;{communication};BANK-3\n",
        date = today.format("%d/%m/%Y"),
        euros = rest / 100,
        cents = rest % 100,
        communication = charge.communication,
    );
    for expected in [("1", "0"), ("0", "1")] {
        let path = format!("/beheer/betalingen/bestand?csrf_token={token}");
        let read = operator
            .upload(&path, "bestand", "bank.csv", csv.clone().into_bytes())
            .await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(count(&read.body, "recorded"), expected.0);
        assert_eq!(count(&read.body, "already"), expected.1);
        assert_eq!(count(&read.body, "problems"), "2");
        assert!(read.body.contains("<td>3</td>") && read.body.contains("<td>4</td>"));
    }
    let page = unescape(
        &Browser::logged_in(&base, CONSULT_A)
            .await
            .get(&premies())
            .await
            .body,
    );
    assert!(page.contains("charge-paid"), "{page}");
    assert!(page.contains("Betaald"), "{page}");

    // A file without the columns is refused as a whole.
    let path = format!("/beheer/betalingen/bestand?csrf_token={token}");
    let odd = operator
        .upload(&path, "bestand", "x.csv", b"a;b\n1;2\n".to_vec())
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(odd.body.contains("id=\"payment-file-error\""));
    db.cleanup().await;
}

/// The value of the hidden input `name`.
fn field_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap() + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}
