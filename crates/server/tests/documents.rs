//! "Documenten" over HTTP: the operator publishes, a hostile file is refused at its field
//! and nothing is stored, a document of employer A is 404 by id for employer B's users and
//! a contract's document for a sheet without the contract, a download is an attachment of
//! the stored type with nosniff, and every download is in the audit log. On SQLite and
//! PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use std::io::{Cursor, Write};

use chrono::Utc;
use ebdesk_domain::premium::Month;
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{Actor, AuditEvent, AuditFilter, IssueNotice, Store};
use reqwest::StatusCode;
use support::{
    Browser, CONSULT_A, EMPLOYER_A, EMPLOYER_B, Fixture, MASTER_A, MASTER_B, PASSWORD, Page,
    fixture, new_operator, spawn_app, unescape,
};

both_engines!(
    a_document_is_seen_only_inside_the_scope_and_is_404_by_id_elsewhere,
    hostile_uploads_are_refused_at_their_field_and_nothing_is_stored,
    a_download_is_an_audited_attachment_of_its_type_never_sniffed,
);

const OPERATOR: &str = "beheer@ebdesk.test";

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

async fn operator(base: &str, store: &Store) -> (Browser, String) {
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(store, OPERATOR, "Beheerder", &hash).await;
    let browser = Browser::logged_in(base, OPERATOR).await;
    let page = browser
        .get(&format!("/beheer/werkgevers/{EMPLOYER_A}/documenten"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let token = page.csrf_token();
    (browser, token)
}

async fn publish(
    browser: &Browser,
    token: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: Vec<u8>,
) -> Page {
    let path = format!("/beheer/werkgevers/{EMPLOYER_A}/documenten?csrf_token={token}");
    browser
        .upload_form(&path, fields, "bestand", file_name, bytes)
        .await
}

/// Publishes for A a letter for every contract and a regulation of the second contract
/// (not the consult user's); answers their ids, newest last.
async fn letter_and_regulation(
    db: &TestDb,
    f: &Fixture,
    browser: &Browser,
    token: &str,
) -> (i64, i64) {
    let c2 = f.c2.to_string();
    for (title, kind, contract) in [
        ("Brief indexering 2026", "correspondence", ""),
        ("Pensioenreglement arbeiders", "legal", c2.as_str()),
    ] {
        let fields = [("titel", title), ("soort", kind), ("contract", contract)];
        let done = publish(browser, token, &fields, "stuk.pdf", pdf(title)).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let mut ids: Vec<i64> = db
        .store
        .list_employer_documents(f.employer_a)
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    ids.sort();
    (ids[0], ids[1])
}

async fn a_document_is_seen_only_inside_the_scope_and_is_404_by_id_elsewhere(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let (operator, token) = operator(&base, &db.store).await;
    let (letter, regulation) = letter_and_regulation(&db, &f, &operator, &token).await;
    let list = operator
        .get(&format!("/beheer/werkgevers/{EMPLOYER_A}/documenten"))
        .await;
    assert!(
        list.body.contains("Pensioenreglement arbeiders"),
        "{}",
        list.body
    );

    let documents = |e: &str| format!("/werkgevers/{e}/documenten");
    let one = |e: &str, id: i64| format!("/werkgevers/{e}/documenten/{id}");
    let master = Browser::logged_in(&base, MASTER_A).await;
    let page = unescape(&master.get(&documents(EMPLOYER_A)).await.body);
    assert!(page.contains("Brief indexering 2026") && page.contains("Pensioenreglement arbeiders"));
    assert_eq!(
        page.matches("class=\"status new-mark\"").count(),
        2,
        "{page}"
    );

    let consult = Browser::logged_in(&base, CONSULT_A).await;
    let page = unescape(&consult.get(&documents(EMPLOYER_A)).await.body);
    assert!(page.contains("Brief indexering 2026"), "{page}");
    assert!(!page.contains("Pensioenreglement"), "{page}");
    assert_eq!(
        consult.get(&one(EMPLOYER_A, regulation)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        consult.get(&one(EMPLOYER_A, letter)).await.status,
        StatusCode::OK
    );

    // B's master: nothing of A, neither under A's number nor under B's own.
    let other = Browser::logged_in(&base, MASTER_B).await;
    let page = unescape(&other.get(&documents(EMPLOYER_B)).await.body);
    assert!(!page.contains("Brief indexering") && !page.contains("Pensioenreglement"));
    for id in [letter, regulation] {
        for employer in [EMPLOYER_A, EMPLOYER_B] {
            let got = other.get(&one(employer, id)).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "B got {employer} {id}");
        }
    }
    for bad in ["abc", "-1", "99999999999999999999"] {
        let got = master
            .get(&format!("/werkgevers/{EMPLOYER_A}/documenten/{bad}"))
            .await;
        assert_eq!(got.status, StatusCode::NOT_FOUND);
    }

    // The master opens the letter: no longer new for the master, the regulation still is.
    assert_eq!(
        master.get(&one(EMPLOYER_A, letter)).await.status,
        StatusCode::OK
    );
    let page = unescape(&master.get(&documents(EMPLOYER_A)).await.body);
    assert_eq!(
        page.matches("class=\"status new-mark\"").count(),
        1,
        "{page}"
    );
    let search = master
        .get_query(&documents(EMPLOYER_A), &[("q", "REGLEMENT")])
        .await;
    let search = unescape(&search.body);
    assert!(search.contains("Pensioenreglement") && !search.contains("Brief indexering"));

    // An issued statement is listed among the payment documents, as a link to its PDF.
    let month = Month::of(Utc::now().date_naive());
    let (notice, nobody) = (IssueNotice::default(), Actor::default());
    let issued = db
        .store
        .issue_statement(f.employer_a, month, &notice, &nobody, Utc::now());
    issued.await.unwrap();
    let page = unescape(&consult.get(&documents(EMPLOYER_A)).await.body);
    let link = format!(
        "href=\"/werkgevers/{EMPLOYER_A}/premies/{}/pdf\"",
        month.key()
    );
    assert!(page.contains(&link), "{page}");
    assert!(
        page.contains(&format!("Premiebordereel {}", month.label())),
        "{page}"
    );

    // A reminder of a charge is filed there too, for the scopes that hold its contract.
    let today = Utc::now().date_naive();
    let access = db.store.find_access(f.master_a, EMPLOYER_A, today).await;
    let access = access.unwrap().unwrap();
    let header = db.store.find_statement(access.scope(), month, today).await;
    let header = header.unwrap().unwrap();
    let c2 = header
        .charges
        .iter()
        .find(|c| c.contract_number == "530/000102")
        .unwrap();
    let mail = ebdesk_store::OutgoingMail {
        to: "meldingen@proef.test".to_owned(),
        subject: "ebdesk: herinnering".to_owned(),
        body: "Onbetaald".to_owned(),
    };
    assert!(
        db.store
            .remind_charge(c2.id, mail, Utc::now())
            .await
            .unwrap()
    );
    let title = format!(
        "Herinnering premiebordereel {} — contract 530/000102",
        month.label()
    );
    let page = unescape(&master.get(&documents(EMPLOYER_A)).await.body);
    assert!(page.contains(&title), "{page}");
    let page = unescape(&consult.get(&documents(EMPLOYER_A)).await.body);
    assert!(
        !page.contains("Herinnering"),
        "the consult user lacks contract 2: {page}"
    );
    db.cleanup().await;
}

fn zip_bomb() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    out.start_file("[Content_Types].xml", options).unwrap();
    out.write_all(
        br#"<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
    )
    .unwrap();
    out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..100 {
        out.write_all(&zeros).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The form's fields, the file's name and bytes, the field refused and what it says.
type Hostile<'a> = (Vec<(&'a str, &'a str)>, &'a str, Vec<u8>, &'a str, &'a str);

async fn hostile_uploads_are_refused_at_their_field_and_nothing_is_stored(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let (operator, token) = operator(&base, &db.store).await;
    let theirs = db
        .store
        .list_employer_contracts(f.employer_b)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let mut big = pdf("groot");
    big.resize(21 * 1024 * 1024, b' ');
    let html = b"<html><script>alert(document.cookie)</script></html>".to_vec();
    let ok = [
        ("titel", "Brief"),
        ("soort", "correspondence"),
        ("contract", ""),
    ];
    let cases: Vec<Hostile> = vec![
        (
            ok.to_vec(),
            "brief.pdf",
            html,
            "bestand",
            "geen PDF-, Excel- (.xlsx) of Word-document",
        ),
        (
            ok.to_vec(),
            "lijst.xlsx",
            zip_bomb(),
            "bestand",
            "ongewoon sterk gecomprimeerd",
        ),
        (ok.to_vec(), "groot.pdf", big, "bestand", "groter dan 20 MB"),
        (
            ok.to_vec(),
            "leeg.pdf",
            Vec::new(),
            "bestand",
            "Het bestand is leeg",
        ),
        (
            vec![("titel", "Brief"), ("soort", "contracts"), ("contract", "")],
            "brief.pdf",
            pdf("x"),
            "soort",
            "Kies een van de rubrieken",
        ),
        (
            vec![
                ("titel", "Brief"),
                ("soort", "legal"),
                ("contract", theirs.as_str()),
            ],
            "brief.pdf",
            pdf("x"),
            "contract",
            "hoort niet bij deze werkgever",
        ),
        (
            vec![("titel", " "), ("soort", "legal"), ("contract", "")],
            "brief.pdf",
            pdf("x"),
            "titel",
            "Geef het document een titel",
        ),
    ];
    for (fields, name, bytes, field, says) in cases {
        let refused = publish(&operator, &token, &fields, name, bytes).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            refused.body
        );
        let message = refused.field_error(field).unwrap_or_default();
        assert!(message.contains(says), "{name}: {message}");
    }
    assert!(
        db.store
            .list_employer_documents(f.employer_a)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        db.store
            .list_employer_documents(f.employer_b)
            .await
            .unwrap()
            .is_empty()
    );
    db.cleanup().await;
}

async fn a_download_is_an_audited_attachment_of_its_type_never_sniffed(db: TestDb) {
    let f = fixture(&db.store).await;
    let base = spawn_app(db.store.clone()).await;
    let (operator, token) = operator(&base, &db.store).await;
    // Named .html by the operator's computer: served as the PDF it is, under the title.
    let fields = [
        ("titel", "Brief \"bijlage\" <1>"),
        ("soort", "correspondence"),
        ("contract", ""),
    ];
    let done = publish(&operator, &token, &fields, "brief.html", pdf("bijlage")).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let id = db
        .store
        .list_employer_documents(f.employer_a)
        .await
        .unwrap()[0]
        .id;

    let master = Browser::logged_in(&base, MASTER_A).await;
    for _ in 0..2 {
        let got = master
            .get_response(&format!("/werkgevers/{EMPLOYER_A}/documenten/{id}"))
            .await;
        assert_eq!(got.status(), StatusCode::OK);
        let header = |name: &str| {
            got.headers()
                .get(name)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(header("content-type"), "application/pdf");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(header("content-security-policy").starts_with("sandbox"));
        let disposition = header("content-disposition");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("Brief -bijlage- -1.pdf"),
            "{disposition}"
        );
        assert_eq!(
            got.bytes().await.unwrap().as_ref(),
            pdf("bijlage").as_slice()
        );
    }
    let access = db
        .store
        .find_access(f.master_a, EMPLOYER_A, Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let filter = AuditFilter {
        event: Some(AuditEvent::DocumentDownloaded),
        ..AuditFilter::default()
    };
    let entries = db
        .store
        .list_audit(access.scope(), &filter)
        .await
        .unwrap()
        .rows;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].user_id, Some(f.master_a));
    let log = unescape(
        &master
            .get(&format!("/werkgevers/{EMPLOYER_A}/auditlog"))
            .await
            .body,
    );
    assert!(log.contains("Document gedownload"), "{log}");
    assert!(log.contains("Titel: Brief \"bijlage\" <1>"), "{log}");
    db.cleanup().await;
}
