//! The daily digest of new documents against a real store, on SQLite and on PostgreSQL:
//! one mail per employer, recipient and day however many schedulers race, none when
//! nothing is new, only to users who asked for it, only what each user's sheet covers, and
//! the next day only what is new since.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use ebdesk_app::digest::send_due;
use ebdesk_domain::premium::Month;
use ebdesk_domain::{DocumentKind, Language};
use ebdesk_store::queue_fixture::{QueueFixture, queue_fixture};
use ebdesk_store::{Actor, IssueNotice, NewDocument, NewUser, OutboxFilter, Store, store_test};

const URL: &str = "https://ebdesk.test";
const ADDRESS: &str = "verzekeringen@werkgever.test";
const MASTER: &str = "master@a.test";
/// Consult, contract 530/000101 only.
const C1: &str = "c1@a.test";
/// Consult, contract 530/000102 only; never asks for the digest.
const C2: &str = "c2@a.test";

/// Monday 7 December 2026, `h`:`m` UTC (Brussels is an hour ahead).
fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, h, m, 0).unwrap()
}

/// 17:10 in Brussels on December `day`: the first scheduler run of the digest.
fn evening(day: u32) -> DateTime<Utc> {
    at(day, 16, 10)
}

struct Setup {
    f: QueueFixture,
    publisher: Actor,
    c1: i64,
    c2: i64,
}

async fn setup(s: &Store) -> Setup {
    let f = queue_fixture(s, at(1, 9, 0)).await;
    let operator = NewUser {
        email: "beheer@ebdesk.test".to_owned(),
        display_name: "Beheer".to_owned(),
        password_hash: None,
        language: Language::Dutch,
        is_operator: true,
    };
    let operator = s.insert_user(&operator, at(1, 9, 0)).await.unwrap();
    let contracts = s.list_employer_contracts(f.employer_a).await.unwrap();
    let id = |n: &str| contracts.iter().find(|c| c.number == n).unwrap().id;
    let (c1, c2) = (id("530/000101"), id("530/000102"));
    s.set_document_notices(f.master_user, true).await.unwrap();
    s.set_document_notices(f.consult_c1_user, true)
        .await
        .unwrap();
    Setup {
        publisher: Actor {
            user_id: Some(operator),
            ip: None,
        },
        f,
        c1,
        c2,
    }
}

async fn publish(
    s: &Store,
    x: &Setup,
    kind: DocumentKind,
    title: &str,
    contract_id: Option<i64>,
    now: DateTime<Utc>,
) {
    let document = NewDocument {
        contract_id,
        kind,
        title: title.to_owned(),
        file_name: format!("{title}.pdf"),
        content_type: "application/pdf".to_owned(),
        content: b"%PDF-1.4".to_vec(),
    };
    s.publish_document(x.f.employer_a, &document, &x.publisher, now)
        .await
        .unwrap();
}

/// The mails in the outbox to `to`, newest first.
async fn mails_to(s: &Store, to: &str) -> usize {
    let filter = OutboxFilter {
        to: Some(to.to_owned()),
        ..OutboxFilter::default()
    };
    s.list_outbox(&filter).await.unwrap().rows.len()
}

async fn latest_body(s: &Store, to: &str) -> String {
    s.find_latest_email_to(to).await.unwrap().unwrap().body_text
}

store_test!(
    one_digest_per_day_and_recipient_when_schedulers_race,
    |db| {
        let s = &db.store;
        let x = setup(s).await;
        publish(
            s,
            &x,
            DocumentKind::Correspondence,
            "Brief",
            None,
            at(7, 9, 0),
        )
        .await;
        // Before 17:00 in Brussels, nothing goes out.
        assert_eq!(send_due(s, URL, at(7, 15, 55)).await.unwrap(), 0);

        let now = evening(7);
        let (one, two, three) = tokio::join!(
            send_due(s, URL, now),
            send_due(s, URL, now),
            send_due(s, URL, now)
        );
        let sent = one.unwrap() + two.unwrap() + three.unwrap();
        assert_eq!(
            sent, 3,
            "the address, the master and the consult user of C1"
        );
        for to in [ADDRESS, MASTER, C1] {
            assert_eq!(mails_to(s, to).await, 1, "{to}");
        }
        assert_eq!(mails_to(s, C2).await, 0, "C2 did not ask for it");

        // Something new the same evening waits for tomorrow.
        publish(s, &x, DocumentKind::Legal, "Reglement", None, at(7, 17, 0)).await;
        assert_eq!(send_due(s, URL, at(7, 22, 50)).await.unwrap(), 0);
        assert_eq!(mails_to(s, ADDRESS).await, 1);

        let body = latest_body(s, ADDRESS).await;
        assert!(
            body.contains("- Correspondentie: 1 nieuw document"),
            "{body}"
        );
        assert!(body.contains("https://ebdesk.test/werkgevers/530-101/documenten"));
        assert!(!body.contains("Brief"), "no title in the body: {body}");
        db.cleanup().await;
    }
);

store_test!(no_digest_when_nothing_was_published, |db| {
    let s = &db.store;
    let x = setup(s).await;
    // A document of last month is no news.
    publish(s, &x, DocumentKind::Legal, "Oud", None, at(1, 9, 0)).await;
    assert_eq!(send_due(s, URL, evening(7)).await.unwrap(), 0);
    for to in [ADDRESS, MASTER, C1, C2] {
        assert_eq!(mails_to(s, to).await, 0, "{to}");
    }
    db.cleanup().await;
});

store_test!(a_user_who_did_not_ask_gets_none, |db| {
    let s = &db.store;
    let x = setup(s).await;
    s.set_document_notices(x.f.master_user, false)
        .await
        .unwrap();
    publish(
        s,
        &x,
        DocumentKind::Correspondence,
        "Brief",
        None,
        at(7, 9, 0),
    )
    .await;
    assert_eq!(send_due(s, URL, evening(7)).await.unwrap(), 2);
    assert_eq!(mails_to(s, MASTER).await, 0);
    assert_eq!(mails_to(s, C2).await, 0);
    assert_eq!(mails_to(s, C1).await, 1);
    db.cleanup().await;
});

store_test!(
    a_user_learns_nothing_of_a_contract_outside_their_sheet,
    |db| {
        let s = &db.store;
        let x = setup(s).await;
        // Only a document of C2: the C1 user gets no digest at all.
        let c2 = Some(x.c2);
        publish(s, &x, DocumentKind::Legal, "Reglement C2", c2, at(7, 9, 0)).await;
        assert_eq!(send_due(s, URL, evening(7)).await.unwrap(), 2);
        assert_eq!(mails_to(s, C1).await, 0);
        let master = latest_body(s, MASTER).await;
        assert!(
            master.contains("- Juridische documenten: 1 nieuw document"),
            "{master}"
        );

        // The next day, one of C1 and one of C2: C1's user counts only theirs.
        let c1 = Some(x.c1);
        publish(s, &x, DocumentKind::Legal, "Reglement C1", c1, at(8, 9, 0)).await;
        publish(
            s,
            &x,
            DocumentKind::Legal,
            "Reglement C2 bis",
            c2,
            at(8, 9, 5),
        )
        .await;
        assert_eq!(send_due(s, URL, evening(8)).await.unwrap(), 3);
        let theirs = latest_body(s, C1).await;
        assert!(
            theirs.contains("- Juridische documenten: 1 nieuw document"),
            "{theirs}"
        );
        let master = latest_body(s, MASTER).await;
        assert!(
            master.contains("- Juridische documenten: 2 nieuwe documenten"),
            "{master}"
        );
        db.cleanup().await;
    }
);

store_test!(the_next_digest_covers_only_what_is_new_since, |db| {
    let s = &db.store;
    let x = setup(s).await;
    publish(
        s,
        &x,
        DocumentKind::Correspondence,
        "Brief",
        None,
        at(7, 9, 0),
    )
    .await;
    assert_eq!(send_due(s, URL, evening(7)).await.unwrap(), 3);
    // Published just before the first digest's end: in the next one, not lost.
    publish(
        s,
        &x,
        DocumentKind::Categories,
        "Kader",
        None,
        evening(7) - Duration::minutes(2),
    )
    .await;
    publish(s, &x, DocumentKind::Legal, "Reglement", None, at(8, 9, 0)).await;
    assert_eq!(send_due(s, URL, evening(8)).await.unwrap(), 3);
    for to in [ADDRESS, MASTER, C1] {
        assert_eq!(mails_to(s, to).await, 2, "{to}");
        let body = latest_body(s, to).await;
        assert!(
            body.contains("- Juridische documenten: 1 nieuw document"),
            "{body}"
        );
        assert!(body.contains("- Categorieën: 1 nieuw document"), "{body}");
        assert!(!body.contains("Correspondentie"), "{body}");
    }
    // Nothing new on the third day: no mail.
    assert_eq!(send_due(s, URL, evening(9)).await.unwrap(), 0);
    assert_eq!(mails_to(s, ADDRESS).await, 2);
    db.cleanup().await;
});

store_test!(a_statement_is_in_the_users_digest_not_the_addresss, |db| {
    let s = &db.store;
    let x = setup(s).await;
    let notice = IssueNotice {
        mail: None,
        master_action: None,
    };
    let december = Month::new(2026, 12).unwrap();
    s.issue_statement(
        x.f.employer_a,
        december,
        &notice,
        &Actor::default(),
        at(7, 9, 0),
    )
    .await
    .unwrap();
    // The address had the statement's own notice: no digest for it alone.
    assert_eq!(send_due(s, URL, evening(7)).await.unwrap(), 2);
    assert_eq!(mails_to(s, ADDRESS).await, 0);
    let body = latest_body(s, C1).await;
    assert!(
        body.contains("- Premiebordereel van de maand 12/2026"),
        "{body}"
    );
    db.cleanup().await;
});
