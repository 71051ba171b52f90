//! Documents: published for an employer or one of its contracts, seen only inside the
//! scope (a contract's document only by a sheet covering it, another employer's never,
//! not even by id), "nieuw" for each user until that user opened it, every opening in the
//! audit log. Every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod premium_fixture;

use ebdesk_domain::DocumentKind;
use ebdesk_store::{Actor, AuditEvent, AuditFilter, DocumentEntry, NewDocument};
use premium_fixture::*;

struct Published {
    /// For the whole of A.
    letter: i64,
    /// For A's contract 1 (the restricted user's).
    categories: i64,
    /// For A's contract 2 (not the restricted user's).
    regulation: i64,
    /// For B.
    other: i64,
    publisher: i64,
}

fn document(kind: DocumentKind, title: &str, contract_id: Option<i64>) -> NewDocument {
    NewDocument {
        contract_id,
        kind,
        title: title.to_owned(),
        file_name: format!("{title}.pdf"),
        content_type: "application/pdf".to_owned(),
        content: format!("%PDF-1.4 {title}").into_bytes(),
    }
}

async fn contract(s: &Store, employer: i64, number: &str) -> i64 {
    let contracts = s.list_employer_contracts(employer).await.unwrap();
    contracts.iter().find(|c| c.number == number).unwrap().id
}

async fn publish(s: &Store, f: &Fixture) -> Published {
    let publisher = user(s, "beheer@ebdesk.test").await;
    let actor = Actor {
        user_id: Some(publisher),
        ip: None,
    };
    let (c1, c2) = (
        contract(s, f.employer, "530/000101").await,
        contract(s, f.employer, "530/000102").await,
    );
    let b = f.master_b.scope().employer_id();
    let mut ids = Vec::new();
    for (employer, new, minutes) in [
        (
            f.employer,
            document(DocumentKind::Correspondence, "Brief jaarafrekening", None),
            1,
        ),
        (
            f.employer,
            document(DocumentKind::Categories, "Kaderleden", Some(c1)),
            2,
        ),
        (
            f.employer,
            document(DocumentKind::Legal, "Pensioenreglement arbeiders", Some(c2)),
            3,
        ),
        (
            b,
            document(DocumentKind::Correspondence, "Brief aan B", None),
            4,
        ),
    ] {
        let at = t0() + Duration::minutes(minutes);
        ids.push(
            s.publish_document(employer, &new, &actor, at)
                .await
                .unwrap(),
        );
    }
    Published {
        letter: ids[0],
        categories: ids[1],
        regulation: ids[2],
        other: ids[3],
        publisher,
    }
}

fn ids(list: &[DocumentEntry]) -> Vec<i64> {
    list.iter().map(|d| d.id).collect()
}

async fn downloads(s: &Store, access: &Access) -> usize {
    let filter = AuditFilter {
        event: Some(AuditEvent::DocumentDownloaded),
        ..AuditFilter::default()
    };
    s.list_audit(access.scope(), &filter)
        .await
        .unwrap()
        .rows
        .len()
}

store_test!(
    a_contract_document_is_seen_only_by_a_sheet_covering_the_contract,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let p = publish(s, &f).await;
        let nobody = Actor::default();

        // Newest first.
        let master = s.list_documents(f.master.scope(), "").await.unwrap();
        assert_eq!(ids(&master), vec![p.regulation, p.categories, p.letter]);
        assert_eq!(master[0].contract_number.as_deref(), Some("530/000102"));
        assert_eq!(master[0].kind, DocumentKind::Legal);

        let restricted = s.list_documents(f.restricted.scope(), "").await.unwrap();
        assert_eq!(ids(&restricted), vec![p.categories, p.letter]);
        let opened = s.open_document(f.restricted.scope(), p.regulation, &nobody, t0());
        assert!(opened.await.unwrap().is_none());

        let b = s.list_documents(f.master_b.scope(), "").await.unwrap();
        assert_eq!(ids(&b), vec![p.other]);
        for id in [p.letter, p.categories, p.regulation] {
            let opened = s.open_document(f.master_b.scope(), id, &nobody, t0());
            assert!(
                opened.await.unwrap().is_none(),
                "B opened A's document {id}"
            );
        }
        // Refused openings leave no trace: no download in either log, nothing opened.
        assert_eq!(downloads(s, &f.master).await, 0);
        assert_eq!(downloads(s, &f.master_b).await, 0);
        let again = s.list_documents(f.master.scope(), "").await.unwrap();
        assert!(again.iter().all(|d| !d.opened));

        let file = s.open_document(f.master.scope(), p.regulation, &nobody, t0());
        let file = file.await.unwrap().unwrap();
        assert_eq!(file.content, b"%PDF-1.4 Pensioenreglement arbeiders");
        assert_eq!(file.content_type, "application/pdf");
        db.cleanup().await;
    }
);

store_test!(
    a_document_is_new_for_each_user_until_that_user_opened_it,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let p = publish(s, &f).await;
        let new_for =
            |list: &[DocumentEntry], id: i64| !list.iter().find(|d| d.id == id).unwrap().opened;

        let actor = Actor {
            user_id: Some(p.publisher),
            ip: Some("127.0.0.1".to_owned()),
        };
        for _ in 0..2 {
            let opened = s.open_document(f.master.scope(), p.letter, &actor, t0());
            assert!(opened.await.unwrap().is_some());
        }
        let master = s.list_documents(f.master.scope(), "").await.unwrap();
        assert!(!new_for(&master, p.letter));
        assert!(new_for(&master, p.categories));
        let restricted = s.list_documents(f.restricted.scope(), "").await.unwrap();
        assert!(
            new_for(&restricted, p.letter),
            "another user's opening counts for nobody else"
        );

        // Every download is in the log, the first opening only once in the list.
        assert_eq!(downloads(s, &f.master).await, 2);
        let operator = s.list_employer_documents(f.employer).await.unwrap();
        assert_eq!(ids(&operator), vec![p.regulation, p.categories, p.letter]);
        db.cleanup().await;
    }
);

store_test!(
    a_contract_of_another_employer_is_refused_and_nothing_is_stored,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let publisher = user(s, "beheer@ebdesk.test").await;
        let actor = Actor {
            user_id: Some(publisher),
            ip: None,
        };
        let theirs = contract(s, f.master_b.scope().employer_id(), "530/000201").await;
        let new = document(DocumentKind::Legal, "Reglement", Some(theirs));
        let refused = s.publish_document(f.employer, &new, &actor, t0()).await;
        assert!(matches!(
            refused,
            Err(StoreError::Refused("document-contract-unknown"))
        ));
        assert!(
            s.list_employer_documents(f.employer)
                .await
                .unwrap()
                .is_empty()
        );
        let published = AuditFilter {
            event: Some(AuditEvent::DocumentPublished),
            ..AuditFilter::default()
        };
        assert!(
            s.list_audit(f.master.scope(), &published)
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        db.cleanup().await;
    }
);

store_test!(
    the_title_search_ignores_case_and_accents_and_takes_wildcards_literally,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let publisher = user(s, "beheer@ebdesk.test").await;
        let actor = Actor {
            user_id: Some(publisher),
            ip: None,
        };
        for title in [
            "Règlement groepsverzekering",
            "Brief 100% betaald",
            "Brief 1000 betaald",
        ] {
            let new = document(DocumentKind::Legal, title, None);
            s.publish_document(f.employer, &new, &actor, t0())
                .await
                .unwrap();
        }
        let scope = f.master.scope();
        let titles = |search: &'static str| async move {
            let list = s.list_documents(scope, search).await.unwrap();
            let mut titles: Vec<String> = list.into_iter().map(|d| d.title).collect();
            titles.sort();
            titles
        };
        assert_eq!(
            titles("REGLEMENT").await,
            vec!["Règlement groepsverzekering"]
        );
        assert_eq!(titles("groeps").await, vec!["Règlement groepsverzekering"]);
        assert_eq!(
            titles("100%").await,
            vec!["Brief 100% betaald", "Brief 1000 betaald"]
        );
        assert_eq!(titles("1_0").await, Vec::<String>::new());
        assert_eq!(titles("").await.len(), 3);
        assert!(titles("factuur").await.is_empty());
        db.cleanup().await;
    }
);
