//! "Mail naar uw contactpunt" through the real app, on both engines: hostile attachments and
//! missing fields refused at their field, an employee of another employer refused, the
//! message shown escaped, the attachment served to save, and the operator's answer read by
//! the HR user.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod support;

use ebdesk_store::test_support::TestDb;
use ebdesk_store::{NewContactPoint, OutboxFilter};
use reqwest::StatusCode;
use support::{Browser, EMPLOYER_A, MASTER_A, PASSWORD, fixture, new_operator, spawn_app};

const OPERATOR: &str = "beheer@ebdesk.test";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn path(rest: &str) -> String {
    format!("/werkgevers/{EMPLOYER_A}{rest}")
}

/// Posts the contact form (its token in the query, as the page's form does).
async fn send(
    browser: &Browser,
    fields: &[(&str, &str)],
    file_name: &str,
    bytes: Vec<u8>,
) -> support::Page {
    let token = browser.get(&path("/contact")).await.csrf_token();
    let to = format!("{}?csrf_token={token}", path("/contact"));
    browser
        .upload_form(&to, fields, "bijlage", file_name, bytes)
        .await
}

async fn a_message_reaches_the_contact_point_and_its_answer_the_author(db: TestDb) {
    let f = fixture(&db.store).await;
    let store = &db.store;
    let hash = ebdesk_app::credentials::hash_password(PASSWORD).unwrap();
    new_operator(store, OPERATOR, "Beheerder", &hash).await;
    let point = NewContactPoint {
        kind: "administrative".to_owned(),
        name: "Leen Slegers".to_owned(),
        email: "leen@verzekeraar.test".to_owned(),
        phone: "03 244 64 13".to_owned(),
    };
    store
        .insert_contact_point(f.employer_a, &point)
        .await
        .unwrap();
    let base = spawn_app(db.store.clone()).await;
    let hr = Browser::logged_in(&base, MASTER_A).await;
    let peeters = f.person("Peeters").id.to_string();

    let form = hr
        .get(&path(&format!("/contact?werknemer={peeters}")))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Leen Slegers"));
    assert!(support::unescape(&form.body).contains("Peeters, Jan"));
    // Another employer's employee is not there.
    let b = f.b.id.to_string();
    assert_eq!(
        hr.get(&path(&format!("/contact?werknemer={b}")))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let good = [
        ("soort", "administrative"),
        ("onderwerp", "Loonwijziging"),
        ("bericht", "Dag,\n<script>alert(1)</script>"),
    ];
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let refused = [
        (
            send(&hr, &good, "brief.pdf", html).await,
            "bijlage",
            "geen PDF-, PNG- of JPEG-bestand",
        ),
        (
            send(
                &hr,
                &good,
                "groot.pdf",
                [PDF, &vec![b' '; 10 * 1024 * 1024]].concat(),
            )
            .await,
            "bijlage",
            "groter dan 10 MB",
        ),
        (
            send(
                &hr,
                &[("soort", "administrative"), ("bericht", "x")],
                "",
                vec![],
            )
            .await,
            "onderwerp",
            "Vul het onderwerp in",
        ),
        (
            send(
                &hr,
                &[("soort", "claims"), ("onderwerp", "x"), ("bericht", "x")],
                "",
                vec![],
            )
            .await,
            "soort",
            "geen contactpunt van deze soort",
        ),
        (
            send(
                &hr,
                &[("soort", "<b>"), ("onderwerp", "x"), ("bericht", "x")],
                "",
                vec![],
            )
            .await,
            "soort",
            "Kies het contactpunt",
        ),
    ];
    for (page, field, words) in &refused {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            page.field_error(field).unwrap_or_default().contains(words),
            "{field}: {}",
            page.field_error(field).unwrap_or_default()
        );
    }
    assert!(
        store.list_contact_inbox().await.unwrap().is_empty(),
        "nothing stored"
    );

    let with_employee = [good.as_slice(), &[("werknemer", peeters.as_str())]].concat();
    let sent = send(&hr, &with_employee, "C:\\map\\brief juni.PDF", PDF.to_vec()).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let location = sent.location.unwrap();
    let thread = hr.get(&location).await;
    assert!(thread.body.contains("Uw bericht is verstuurd."));
    assert!(
        !thread.body.contains("<script>alert"),
        "the message is escaped"
    );
    let urls = thread.urls();
    let attachment = urls.iter().find(|u| u.contains("/bijlagen/")).unwrap();
    let file = hr.get_response(attachment).await;
    let header = |name: &str| {
        file.headers()
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("content-disposition").starts_with("attachment"));
    assert!(header("content-disposition").contains("brief juni.pdf"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    let to_point = OutboxFilter {
        to: Some("leen@verzekeraar.test".to_owned()),
        ..OutboxFilter::default()
    };
    assert_eq!(store.list_outbox(&to_point).await.unwrap().rows.len(), 1);

    // The operator reads it in the inbox and answers; an empty answer is refused.
    let operator = Browser::logged_in(&base, OPERATOR).await;
    let inbox = operator.get("/beheer/berichten").await;
    assert!(inbox.body.contains("Loonwijziging"));
    let id = location
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let thread_path = format!("/beheer/berichten/{id}");
    let token = operator.get(&thread_path).await.csrf_token();
    let empty = operator
        .post(&thread_path, &[("csrf_token", &token), ("bericht", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = [
        ("csrf_token", token.as_str()),
        ("bericht", "De wijziging is verwerkt."),
    ];
    assert_eq!(
        operator.post(&thread_path, &answer).await.status,
        StatusCode::SEE_OTHER
    );

    let read = hr.get(&path(&format!("/correspondentie/{id}"))).await;
    assert!(read.body.contains("De wijziging is verwerkt."));
    assert!(read.body.contains("Uw contactpunt"));
    let list = hr.get(&path("/correspondentie")).await;
    assert!(list.body.contains("Beantwoord"));
    let to_author = OutboxFilter {
        to: Some(MASTER_A.to_owned()),
        ..OutboxFilter::default()
    };
    let mails = store.list_outbox(&to_author).await.unwrap().rows;
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("antwoord van uw contactpunt"))
    );
    db.cleanup().await;
}

both_engines!(a_message_reaches_the_contact_point_and_its_answer_the_author);
