//! Store tests: every one runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, Utc};
use ebdesk_domain::search::classify;
use ebdesk_domain::{AffiliationStatus, Gender, Language, NationalNumber, Rights};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{
    EmployeeListQuery, ListCursor, NewAffiliation, NewEmployee, NewEmployer, NewUser, SortOrder,
    StatusFilter, Store, store_test,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Fixture {
    employer_a: i64,
    employer_b: i64,
    c1: i64,
    c2: i64,
    user: i64,
}

fn person(
    i: u16,
    last: &str,
    first: &str,
    contract: i64,
    category: i64,
    status: AffiliationStatus,
) -> NewEmployee {
    let birth = date(1980, 1, 1) + chrono::Duration::days(i64::from(i));
    NewEmployee {
        national_number: NationalNumber::from_birth_date(birth, 2 * i + 1).unwrap(),
        employee_number: Some(format!("{}", 100 + i)),
        last_name: last.to_owned(),
        first_name: first.to_owned(),
        gender: Gender::Male,
        language: Language::Dutch,
        birth_date: birth,
        business_email: None,
        private_email_known: false,
        affiliations: vec![NewAffiliation {
            contract_id: contract,
            category_id: category,
            employment_start: date(2020, 1, 1),
            affiliation_start: date(2020, 1, 1),
            end_date: None,
            exit_reason: None,
            status,
        }],
    }
}

fn employer(number: &str) -> NewEmployer {
    NewEmployer {
        number: number.to_owned(),
        name: format!("Werkgever {number}"),
        kbo_number: "0403.170.701".to_owned(),
        street: "Straat 1".to_owned(),
        postal_code: "1000".to_owned(),
        city: "Brussel".to_owned(),
        notification_email: "verzekeringen@werkgever.test".to_owned(),
    }
}

/// Employer A with contracts C1 (3 people) and C2 (1 person), employer B with 1 person.
async fn fixture(store: &Store) -> Fixture {
    let now = Utc::now();
    let a = store
        .insert_employer(&employer("530-101"), now)
        .await
        .unwrap();
    let b = store
        .insert_employer(&employer("530-202"), now)
        .await
        .unwrap();
    let c1 = store
        .insert_contract(a, "530/000101", "Bedienden")
        .await
        .unwrap();
    let c2 = store
        .insert_contract(a, "530/000102", "Arbeiders")
        .await
        .unwrap();
    let cb = store
        .insert_contract(b, "530/000201", "Personeel")
        .await
        .unwrap();
    let k1 = store.insert_category(a, c1, "Bedienden").await.unwrap();
    let k2 = store.insert_category(a, c2, "Arbeiders").await.unwrap();
    let kb = store.insert_category(b, cb, "Personeel").await.unwrap();
    use AffiliationStatus::*;
    store
        .insert_employees(
            a,
            &[
                person(1, "Janssens", "Marie", c1, k1, Active),
                person(2, "Çelik", "Emre", c1, k1, Passive),
                person(3, "Jansen", "Tom", c1, k1, Active),
                person(4, "Tweede", "Contract", c2, k2, Active),
            ],
            now,
        )
        .await
        .unwrap();
    store
        .insert_employees(b, &[person(5, "Anders", "Bedrijf", cb, kb, Active)], now)
        .await
        .unwrap();
    let user = store
        .insert_user(
            &NewUser {
                email: "hr@a.test".to_owned(),
                display_name: "HR".to_owned(),
                password_hash: None,
                language: Language::Dutch,
                is_operator: false,
            },
            now,
        )
        .await
        .unwrap();
    Fixture {
        employer_a: a,
        employer_b: b,
        c1,
        c2,
        user,
    }
}

fn query(search: &str) -> EmployeeListQuery {
    EmployeeListQuery {
        search: classify(search),
        status: StatusFilter::All,
        filters: Default::default(),
        sort: SortOrder::Name,
        cursor: ListCursor::First,
    }
}

async fn names(store: &Store, scope: &ebdesk_store::Scope, q: &EmployeeListQuery) -> Vec<String> {
    store
        .list_employees(scope, q)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| format!("{}, {}", r.last_name, r.first_name))
        .collect()
}

store_test!(a_user_without_a_sheet_has_no_access, |db| {
    let f = fixture(&db.store).await;
    let today = Utc::now().date_naive();
    assert!(
        db.store
            .find_access(f.user, "530-101", today)
            .await
            .unwrap()
            .is_none()
    );
    db.store
        .insert_sheet(
            f.employer_a,
            f.user,
            Rights::Consult,
            None,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(
        db.store
            .find_access(f.user, "530-101", today)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.store
            .find_access(f.user, "530-202", today)
            .await
            .unwrap()
            .is_none()
    );
    let _ = f.employer_b;
    db.cleanup().await;
});

store_test!(an_expired_sheet_gives_no_access, |db| {
    let f = fixture(&db.store).await;
    let yesterday = Utc::now().date_naive() - chrono::Duration::days(1);
    db.store
        .insert_sheet(
            f.employer_a,
            f.user,
            Rights::Consult,
            None,
            Some(yesterday),
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(
        db.store
            .find_access(f.user, "530-101", Utc::now().date_naive())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .list_employer_choices(f.user, Utc::now().date_naive())
            .await
            .unwrap()
            .is_empty()
    );
    db.cleanup().await;
});

store_test!(
    a_partial_scope_hides_employees_and_contracts_outside_it,
    |db| {
        let f = fixture(&db.store).await;
        db.store
            .insert_sheet(
                f.employer_a,
                f.user,
                Rights::Consult,
                Some(&[f.c1]),
                None,
                Utc::now(),
            )
            .await
            .unwrap();
        let access = db
            .store
            .find_access(f.user, "530-101", Utc::now().date_naive())
            .await
            .unwrap()
            .unwrap();
        let all = names(&db.store, access.scope(), &query("")).await;
        assert_eq!(all, vec!["Çelik, Emre", "Jansen, Tom", "Janssens, Marie"]);
        assert!(
            names(&db.store, access.scope(), &query("tweede"))
                .await
                .is_empty()
        );
        let contracts = db.store.list_contracts(access.scope()).await.unwrap();
        assert_eq!(
            contracts.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![f.c1]
        );
        // The list's filter choices, read together: C1 and its category only.
        let (contracts, categories) = db
            .store
            .list_contracts_and_categories(access.scope())
            .await
            .unwrap();
        assert_eq!(
            contracts.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![f.c1]
        );
        assert_eq!(
            categories
                .iter()
                .map(|g| (g.contract_id, g.name.as_str()))
                .collect::<Vec<_>>(),
            vec![(f.c1, "Bedienden")]
        );
        // The C2 employee's detail is not reachable through this scope.
        let full = db
            .store
            .insert_user(
                &NewUser {
                    email: "master@a.test".to_owned(),
                    display_name: "M".to_owned(),
                    password_hash: None,
                    language: Language::Dutch,
                    is_operator: false,
                },
                Utc::now(),
            )
            .await
            .unwrap();
        db.store
            .insert_sheet(f.employer_a, full, Rights::Master, None, None, Utc::now())
            .await
            .unwrap();
        let master = db
            .store
            .find_access(full, "530-101", Utc::now().date_naive())
            .await
            .unwrap()
            .unwrap();
        // The whole employer: both contracts by number, each with its category, and never
        // employer B's.
        let (contracts, categories) = db
            .store
            .list_contracts_and_categories(master.scope())
            .await
            .unwrap();
        assert_eq!(
            contracts.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![f.c1, f.c2]
        );
        assert_eq!(
            categories
                .iter()
                .map(|g| (g.contract_id, g.name.as_str()))
                .collect::<Vec<_>>(),
            vec![(f.c1, "Bedienden"), (f.c2, "Arbeiders")]
        );
        let tweede = db
            .store
            .list_employees(master.scope(), &query("tweede"))
            .await
            .unwrap()
            .rows[0]
            .id;
        assert!(
            db.store
                .find_employee(master.scope(), tweede)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            db.store
                .find_employee(access.scope(), tweede)
                .await
                .unwrap()
                .is_none()
        );
        let _ = f.c2;
        db.cleanup().await;
    }
);

store_test!(
    searches_match_name_prefixes_numbers_and_ignore_accents,
    |db| {
        let f = fixture(&db.store).await;
        db.store
            .insert_sheet(f.employer_a, f.user, Rights::Master, None, None, Utc::now())
            .await
            .unwrap();
        let access = db
            .store
            .find_access(f.user, "530-101", Utc::now().date_naive())
            .await
            .unwrap()
            .unwrap();
        let s = access.scope();
        assert_eq!(
            names(&db.store, s, &query("jans")).await,
            vec!["Jansen, Tom", "Janssens, Marie"]
        );
        assert_eq!(
            names(&db.store, s, &query("JANSSENS m")).await,
            vec!["Janssens, Marie"]
        );
        assert_eq!(
            names(&db.store, s, &query("celik")).await,
            vec!["Çelik, Emre"]
        );
        assert_eq!(
            names(&db.store, s, &query("103")).await,
            vec!["Jansen, Tom"]
        );
        let marie = NationalNumber::from_birth_date(date(1980, 1, 2), 3).unwrap();
        assert_eq!(
            names(&db.store, s, &query(&marie.formatted())).await,
            vec!["Janssens, Marie"]
        );
        // Employer B's person is never found from A.
        assert!(names(&db.store, s, &query("anders")).await.is_empty());
        let mut passive = query("");
        passive.status = StatusFilter::Only(AffiliationStatus::Passive);
        assert_eq!(names(&db.store, s, &passive).await, vec!["Çelik, Emre"]);
        db.cleanup().await;
    }
);

store_test!(pages_follow_each_other_without_gaps_or_repeats, |db| {
    let f = fixture(&db.store).await;
    let c1 = f.c1;
    db.store
        .insert_sheet(f.employer_a, f.user, Rights::Master, None, None, Utc::now())
        .await
        .unwrap();
    let access = db
        .store
        .find_access(f.user, "530-101", Utc::now().date_naive())
        .await
        .unwrap()
        .unwrap();
    let category = db
        .store
        .insert_category(f.employer_a, c1, "Kaderleden")
        .await
        .unwrap();
    let many: Vec<NewEmployee> = (10..130)
        .map(|i| {
            person(
                i,
                &format!("Persoon{i:03}"),
                "Test",
                c1,
                category,
                AffiliationStatus::Active,
            )
        })
        .collect();
    db.store
        .insert_employees(f.employer_a, &many, Utc::now())
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut q = query("persoon");
    let mut pages = 0;
    loop {
        let page = db.store.list_employees(access.scope(), &q).await.unwrap();
        pages += 1;
        seen.extend(page.rows.iter().map(|r| r.last_name.clone()));
        match page.rows.last() {
            Some(last) if page.has_next => q.cursor = ListCursor::After(last.id),
            _ => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (10..130).map(|i| format!("Persoon{i:03}")).collect();
    assert_eq!(seen, expected);
    // And back: the page before the third one is the second.
    let first_of_third = db
        .store
        .list_employees(access.scope(), &q)
        .await
        .unwrap()
        .rows[0]
        .id;
    q.cursor = ListCursor::Before(first_of_third);
    let second = db.store.list_employees(access.scope(), &q).await.unwrap();
    assert_eq!(second.rows.len(), 50);
    assert_eq!(second.rows[0].last_name, "Persoon060");
    assert!(second.has_previous && second.has_next);
    db.cleanup().await;
});

store_test!(a_national_number_is_unique_within_one_employer, |db| {
    let f = fixture(&db.store).await;
    let category = db
        .store
        .insert_category(f.employer_a, f.c1, "Extra")
        .await
        .unwrap();
    let again = person(
        1,
        "Dubbel",
        "Nummer",
        f.c1,
        category,
        AffiliationStatus::Active,
    );
    let err = db
        .store
        .insert_employees(f.employer_a, &[again], Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ebdesk_store::StoreError::Duplicate),
        "{err:?}"
    );
    db.cleanup().await;
});

#[tokio::test]
async fn both_engines_have_the_same_tables_and_columns() {
    let Some(pg) = TestDb::new(ebdesk_store::Engine::Postgres).await else {
        return;
    };
    let lite = TestDb::new(ebdesk_store::Engine::Sqlite).await.unwrap();
    let a = lite.store.describe_schema().await.unwrap();
    let b = pg.store.describe_schema().await.unwrap();
    assert!(a.len() > 10);
    assert_eq!(a, b);
    lite.cleanup().await;
    pg.cleanup().await;
}

fn mail(to: &str) -> ebdesk_store::OutgoingMail {
    ebdesk_store::OutgoingMail {
        to: to.to_owned(),
        subject: "Onderwerp".to_owned(),
        body: "Tekst".to_owned(),
    }
}

fn invitation(to: &str, hash: &str) -> ebdesk_store::Invitation {
    ebdesk_store::Invitation {
        language: "nl".to_owned(),
        token_hash: hash.to_owned(),
        expires_at: Utc::now() + chrono::Duration::hours(72),
        activation_mail: mail(to),
        access_mail: mail(to),
    }
}

// A master replaced by the operator while a request of theirs is under way: the access the
// request read before is stale, and every sheet method reads the rights again in its
// transaction, so nothing the old master asked is done.
store_test!(
    a_replaced_master_changes_no_sheet_with_an_access_read_before,
    |db| {
        use ebdesk_store::{Actor, SheetSettings, StoreError};
        let s = &db.store;
        let f = fixture(s).await;
        let now = Utc::now();
        let actor = Actor::default();
        s.insert_sheet(f.employer_a, f.user, Rights::Master, None, None, now)
            .await
            .unwrap();
        let stale = s
            .find_access(f.user, "530-101", now.date_naive())
            .await
            .unwrap()
            .unwrap();
        let colleague = ebdesk_store::NewSheet {
            email: "collega@a.test".to_owned(),
            display_name: "Collega".to_owned(),
            language: "nl".to_owned(),
            settings: SheetSettings {
                rights: Rights::Consult,
                contracts: None,
                external: false,
                valid_until: None,
            },
        };
        s.create_sheet(
            &stale,
            &colleague,
            invitation("collega@a.test", "h1"),
            &actor,
            now,
        )
        .await
        .unwrap();
        let sheet = s.list_sheets(&stale).await.unwrap();
        let sheet = sheet
            .iter()
            .find(|r| r.email == "collega@a.test")
            .unwrap()
            .sheet_id;

        s.designate_master(
            f.employer_a,
            "nieuw@a.test",
            "Nieuwe Master",
            invitation("nieuw@a.test", "h2"),
            &actor,
            now,
        )
        .await
        .unwrap();

        let input = SheetSettings {
            rights: Rights::Input,
            contracts: None,
            external: false,
            valid_until: None,
        };
        let other = ebdesk_store::NewSheet {
            email: "derde@a.test".to_owned(),
            ..colleague.clone()
        };
        let refused = [
            s.create_sheet(
                &stale,
                &other,
                invitation("derde@a.test", "h3"),
                &actor,
                now,
            )
            .await
            .map(|_| ()),
            s.update_sheet(&stale, sheet, &input, &actor, now).await,
            s.resend_invitation(
                &stale,
                sheet,
                ebdesk_store::ActivationLink {
                    token_hash: "h4".to_owned(),
                    expires_at: now + chrono::Duration::hours(72),
                    mail: mail("collega@a.test"),
                },
                &actor,
                now,
            )
            .await,
            s.revoke_sheet(&stale, sheet, &actor, now).await,
        ];
        for (i, result) in refused.into_iter().enumerate() {
            assert!(
                matches!(result, Err(StoreError::Forbidden)),
                "{i}: {result:?}"
            );
        }
        let fresh = s
            .find_access(f.user, "530-101", now.date_naive())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(fresh.rights(), Rights::Input);
        db.cleanup().await;
    }
);
