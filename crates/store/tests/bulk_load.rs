//! The scale data set's bulk loads (`ebdesk demo --employers N --size M`) on a small set:
//! 3 employers, 500 affiliates; every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ebdesk_domain::{
    ActionKind, ActionStatus, AffiliationStatus, Gender, Language, NationalNumber, Rights,
};
use ebdesk_store::{
    HistoricAction, HistoricAudit, LoadedEmployer, NewAffiliation, NewContactPoint, NewDemoUser,
    NewEmployee, NewEmployer, NewScaleSheet, NewUser, ScaleContract, ScaleEmployer, Store,
    scale_sizes, store_test,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn scale_employer(rank: usize) -> ScaleEmployer {
    let contract = |n: usize, categories: &[&str]| ScaleContract {
        number: format!("540/{:06}", rank * 10 + n),
        name: format!("Contract {n}"),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
    };
    ScaleEmployer {
        employer: NewEmployer {
            number: format!("540-{rank}"),
            name: format!("Werkgever {rank}"),
            kbo_number: "0403.170.701".to_owned(),
            street: "Straat 1".to_owned(),
            postal_code: "9000".to_owned(),
            city: "Gent".to_owned(),
            notification_email: format!("verzekeringen@w{rank}.test"),
        },
        contracts: vec![
            contract(1, &["Bedienden", "Kaderleden"]),
            contract(2, &["Arbeiders"]),
        ],
    }
}

/// `count` people from person number `first` on, spread over the employer's categories.
fn people(first: usize, count: usize, employer: &LoadedEmployer) -> Vec<NewEmployee> {
    let born = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    (first..first + count)
        .map(|i| {
            let birth_date = born + Duration::days((i % 10_000) as i64);
            let serial = u16::try_from(2 * (i / 10_000) + 1).unwrap();
            let (contract_id, categories) = &employer.contracts[i % 2];
            NewEmployee {
                national_number: NationalNumber::from_birth_date(birth_date, serial).unwrap(),
                employee_number: Some(format!("{i}")),
                last_name: format!("Naam{i}"),
                first_name: "Test".to_owned(),
                gender: Gender::Male,
                language: Language::Dutch,
                birth_date,
                business_email: None,
                private_email_known: false,
                affiliations: vec![NewAffiliation {
                    contract_id: *contract_id,
                    category_id: categories[i % categories.len()],
                    employment_start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                    affiliation_start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                    end_date: None,
                    exit_reason: None,
                    status: AffiliationStatus::Active,
                }],
            }
        })
        .collect()
}

fn demo_user(email: &str) -> NewDemoUser {
    NewDemoUser {
        user: NewUser {
            email: email.to_owned(),
            display_name: email.to_owned(),
            password_hash: Some("not-a-real-hash".to_owned()),
            language: Language::Dutch,
            is_operator: false,
        },
        totp_secret: "sealed".to_owned(),
    }
}

/// Three employers with their affiliates (sizes of `scale_sizes(3, 500)`), a master each and
/// a consultant at the first and the third; answers the employers and the user ids (the
/// masters', then the consultant's).
async fn load(s: &Store) -> (Vec<LoadedEmployer>, Vec<i64>) {
    let points = [NewContactPoint {
        kind: "administrative".to_owned(),
        name: "Dossierbeheer".to_owned(),
        email: "dossier@verzekeraar.test".to_owned(),
        phone: "+32 2 000 00 00".to_owned(),
    }];
    let employers: Vec<ScaleEmployer> = (1..=3).map(scale_employer).collect();
    let loaded = s
        .insert_scale_employers(&employers, &points, t0())
        .await
        .unwrap();
    let mut first = 0;
    for (e, size) in loaded.iter().zip(scale_sizes(3, 500)) {
        let inserted = s
            .insert_employees(e.id, &people(first, size, e), t0())
            .await
            .unwrap();
        assert_eq!(inserted, size);
        first += size;
    }
    let emails = [
        "m1@w1.test",
        "m2@w2.test",
        "m3@w3.test",
        "consulent@advies.test",
    ];
    let users: Vec<NewDemoUser> = emails.iter().map(|e| demo_user(e)).collect();
    let ids = s.insert_demo_users(&users, t0()).await.unwrap();
    let sheet = |employer: &LoadedEmployer, user_id, rights, external| NewScaleSheet {
        employer_id: employer.id,
        user_id,
        rights,
        external,
    };
    let mut sheets: Vec<NewScaleSheet> = (0..3)
        .map(|i| sheet(&loaded[i], ids[i], Rights::Master, false))
        .collect();
    sheets.push(sheet(&loaded[0], ids[3], Rights::Consult, true));
    sheets.push(sheet(&loaded[2], ids[3], Rights::Consult, true));
    s.insert_scale_sheets(&sheets, t0()).await.unwrap();
    (loaded, ids)
}

/// `count` past actions of `employer` about its employees, by `user_id`.
async fn history(s: &Store, employer: &LoadedEmployer, user_id: i64, count: usize) {
    let ids = s.list_employee_ids(employer.id).await.unwrap();
    let actions: Vec<HistoricAction> = (0..count)
        .map(|i| HistoricAction {
            employer_id: employer.id,
            kind: if i % 2 == 0 {
                ActionKind::PersonalDataChange
            } else {
                ActionKind::InsuredOverviewDownload
            },
            status: if i % 2 == 0 {
                ActionStatus::Processed
            } else {
                ActionStatus::Available
            },
            description: r#"{"key":"action-description-personal-data","args":{"count":1}}"#
                .to_owned(),
            employee_id: (i % 2 == 0).then(|| ids[i % ids.len()]),
            requested_by: user_id,
            requested_at: t0() - Duration::days(i as i64),
            effective_date: Some(t0().date_naive()),
            payload: "{}".to_owned(),
            error: None,
        })
        .collect();
    s.insert_historic_actions(&actions).await.unwrap();
}

store_test!(a_small_scale_set_keeps_its_counts_skew_and_scopes, |db| {
    let s = &db.store;
    let (employers, users) = load(s).await;
    for (e, master) in employers.iter().zip(&users) {
        history(s, e, *master, 40).await;
    }
    let audit: Vec<HistoricAudit> = (0..3)
        .map(|i| HistoricAudit::SheetCreated {
            employer_id: employers[i].id,
            user_id: users[i],
            rights: Rights::Master,
            external: false,
            at: t0() - Duration::days(2_000),
        })
        .chain((0..10).map(|i| HistoricAudit::Login {
            user_id: users[i % 4],
            ip: "192.0.2.1".to_owned(),
            at: t0() - Duration::days(100 - i as i64),
        }))
        .collect();
    s.append_audit_history(&audit).await.unwrap();

    let census = s.load_census().await.unwrap();
    assert_eq!(
        (census.employers, census.employees, census.affiliations),
        (3, 500, 500)
    );
    assert_eq!((census.users, census.sheets), (4, 5));
    assert_eq!((census.actions, census.audit_entries), (120, 13));
    assert!(s.verify_audit_chain().await.unwrap().is_intact());

    // Largest first, as planned, and skewed: the first employer has the most by far.
    let sizes = s.count_employees_per_employer().await.unwrap();
    let numbers: Vec<&str> = sizes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(numbers, ["540-1", "540-2", "540-3"]);
    let counts: Vec<usize> = sizes.iter().map(|(_, c)| *c as usize).collect();
    assert_eq!(counts, scale_sizes(3, 500));
    assert!(counts[0] > 2 * counts[2], "{counts:?}");

    // Nobody works at two employers, no affiliation crosses over.
    assert_eq!(s.count_people_in_several_employers().await.unwrap(), (0, 0));

    // The consultant sees exactly the employers granted, and nothing of the other.
    let today = t0().date_naive();
    let choices = s.list_employer_choices(users[3], today).await.unwrap();
    let mut seen: Vec<&str> = choices.iter().map(|c| c.number.as_str()).collect();
    seen.sort_unstable();
    assert_eq!(seen, ["540-1", "540-3"]);
    assert!(choices.iter().all(|c| c.rights == Rights::Consult));
    assert!(
        s.find_access(users[3], "540-2", today)
            .await
            .unwrap()
            .is_none()
    );
    let master = s.find_access(users[1], "540-2", today).await.unwrap();
    assert_eq!(master.unwrap().rights(), Rights::Master);
    db.cleanup().await;
});

#[test]
fn scale_sizes_are_skewed_at_the_default_load_test_size() {
    let sizes = scale_sizes(200, 200_000);
    assert_eq!(sizes.iter().sum::<usize>(), 200_000);
    let around_ten_thousand = sizes
        .iter()
        .filter(|&&s| (5_000..=20_000).contains(&s))
        .count();
    assert!(around_ten_thousand >= 4, "{sizes:?}");
}
