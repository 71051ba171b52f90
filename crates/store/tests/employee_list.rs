//! The employee list's search, filters and count, on both engines: words of the name in any
//! order and without accents, each typed word the start of a word of the name; contract,
//! category, status and the entry and exit periods, combined on one affiliation; the count
//! of what the list finds; all of it inside the user's scope.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, Utc};
use ebdesk_domain::search::classify;
use ebdesk_domain::{AffiliationStatus, Gender, Language, NationalNumber, Rights};
use ebdesk_store::{
    Access, Actor, EmployeeFilters, EmployeeListQuery, ListCursor, NewAffiliation, NewEmployee,
    NewEmployer, NewUser, PersonalDataOutcome, SearchTuning, SortOrder, StatusFilter, Store,
    store_test,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One affiliation: contract, category, start, end (passive when ended).
type Aff = (i64, i64, NaiveDate, Option<NaiveDate>);

fn employee(i: u16, last: &str, first: &str, affiliations: &[Aff]) -> NewEmployee {
    let birth = date(1980, 1, 1) + chrono::Duration::days(i64::from(i));
    NewEmployee {
        national_number: NationalNumber::from_birth_date(birth, 2 * i + 1).unwrap(),
        employee_number: Some(format!("{}", 200 + i)),
        last_name: last.to_owned(),
        first_name: first.to_owned(),
        gender: Gender::Female,
        language: Language::Dutch,
        birth_date: birth,
        business_email: None,
        private_email_known: false,
        affiliations: affiliations
            .iter()
            .map(|&(contract_id, category_id, start, end)| NewAffiliation {
                contract_id,
                category_id,
                employment_start: start,
                affiliation_start: start,
                end_date: end,
                exit_reason: end.map(|_| "dismissal_by_employee".to_owned()),
                status: if end.is_some() {
                    AffiliationStatus::Passive
                } else {
                    AffiliationStatus::Active
                },
            })
            .collect(),
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

struct Fixture {
    c1: i64,
    c2: i64,
    /// Contract of employer B.
    cb: i64,
    /// Categories: C1 "Bedienden" and "Kaderleden", C2 "Arbeiders".
    k1: i64,
    k1_kader: i64,
    k2: i64,
    /// Master of A (all contracts).
    master: Access,
    /// Consult user of A, contract C1 only.
    consult_c1: Access,
    /// Input user of A, all contracts.
    input: Access,
}

async fn access(
    store: &Store,
    employer: i64,
    number: &str,
    email: &str,
    rights: Rights,
    contracts: Option<&[i64]>,
) -> Access {
    let now = Utc::now();
    let user = store
        .insert_user(
            &NewUser {
                email: email.to_owned(),
                display_name: email.to_owned(),
                password_hash: None,
                language: Language::Dutch,
                is_operator: false,
            },
            now,
        )
        .await
        .unwrap();
    store
        .insert_sheet(employer, user, rights, contracts, None, now)
        .await
        .unwrap();
    store
        .find_access(user, number, now.date_naive())
        .await
        .unwrap()
        .unwrap()
}

/// Employer A:
/// - Aerts, Lien: C1 Bedienden from 2020-03-01, active
/// - Mertens, Anouk (201... by number): C1 Bedienden from 2021-06-01, active
/// - Mertens, Anouk: C2 Arbeiders from 2022-01-01 to 2023-12-31 (passive)
/// - Çelik, Emre: C1 Kaderleden from 2019-01-01 to 2024-05-31 (passive)
/// - Van den Broeck, Marie-Lien: C2 Arbeiders from 2024-02-01, active
/// - Lienaerts, Tom: C1 Bedienden from 2018-09-01, active
/// - Beide, Bram: C1 Bedienden from 2015-01-01 and C2 Arbeiders from 2024-03-01, active
///
/// Employer B: Aerts, Lien.
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
    let k1_kader = store.insert_category(a, c1, "Kaderleden").await.unwrap();
    let k2 = store.insert_category(a, c2, "Arbeiders").await.unwrap();
    let kb = store.insert_category(b, cb, "Personeel").await.unwrap();
    store
        .insert_employees(
            a,
            &[
                employee(1, "Aerts", "Lien", &[(c1, k1, date(2020, 3, 1), None)]),
                employee(2, "Mertens", "Anouk", &[(c1, k1, date(2021, 6, 1), None)]),
                employee(
                    3,
                    "Mertens",
                    "Anouk",
                    &[(c2, k2, date(2022, 1, 1), Some(date(2023, 12, 31)))],
                ),
                employee(
                    4,
                    "Çelik",
                    "Emre",
                    &[(c1, k1_kader, date(2019, 1, 1), Some(date(2024, 5, 31)))],
                ),
                employee(
                    5,
                    "Van den Broeck",
                    "Marie-Lien",
                    &[(c2, k2, date(2024, 2, 1), None)],
                ),
                employee(6, "Lienaerts", "Tom", &[(c1, k1, date(2018, 9, 1), None)]),
                employee(
                    7,
                    "Beide",
                    "Bram",
                    &[
                        (c1, k1, date(2015, 1, 1), None),
                        (c2, k2, date(2024, 3, 1), None),
                    ],
                ),
            ],
            now,
        )
        .await
        .unwrap();
    store
        .insert_employees(
            b,
            &[employee(
                8,
                "Aerts",
                "Lien",
                &[(cb, kb, date(2020, 3, 1), None)],
            )],
            now,
        )
        .await
        .unwrap();
    let master = access(store, a, "530-101", "master@a.test", Rights::Master, None).await;
    let consult_c1 = access(
        store,
        a,
        "530-101",
        "raadpleeg@a.test",
        Rights::Consult,
        Some(&[c1]),
    )
    .await;
    let input = access(store, a, "530-101", "invoer@a.test", Rights::Input, None).await;
    access(store, b, "530-202", "master@b.test", Rights::Master, None).await;
    Fixture {
        c1,
        c2,
        cb,
        k1,
        k1_kader,
        k2,
        master,
        consult_c1,
        input,
    }
}

fn query(search: &str, filters: EmployeeFilters) -> EmployeeListQuery {
    EmployeeListQuery {
        search: classify(search),
        status: StatusFilter::All,
        filters,
        sort: SortOrder::Name,
        cursor: ListCursor::First,
    }
}

/// "Last, First (number)" of every row of the first page, and the count.
async fn found(store: &Store, access: &Access, q: &EmployeeListQuery) -> (Vec<String>, i64) {
    let page = store.list_employees(access.scope(), q).await.unwrap();
    let count = store.count_employees(access.scope(), q).await.unwrap();
    // The capped count the page uses: exact up to its cap, cap + 1 beyond.
    let scope = access.scope();
    let capped = store.count_employees_up_to(scope, q, 1000).await.unwrap();
    assert_eq!(capped, count);
    if count > 1 {
        let over = store.count_employees_up_to(scope, q, 1).await.unwrap();
        assert_eq!(over, 2, "more than the cap reads as cap + 1");
    }
    let names = page
        .rows
        .into_iter()
        .map(|r| {
            format!(
                "{}, {} ({})",
                r.last_name,
                r.first_name,
                r.employee_number.unwrap_or_default()
            )
        })
        .collect();
    (names, count)
}

/// The names the search `q` finds, and checks that the count agrees.
async fn search(store: &Store, access: &Access, q: &str) -> Vec<String> {
    let (names, count) = found(store, access, &query(q, EmployeeFilters::default())).await;
    assert_eq!(
        usize::try_from(count).unwrap(),
        names.len(),
        "count of {q:?}"
    );
    names
}

store_test!(
    a_name_is_found_by_its_words_in_any_order_with_or_without_accents,
    |db| {
        let f = fixture(&db.store).await;
        let (s, m) = (&db.store, &f.master);
        let aerts = vec!["Aerts, Lien (201)".to_owned()];
        for q in [
            "lien aerts",
            "aerts lien",
            "AËRTS",
            "Aerts, Lien",
            "  aerts   LIEN ",
        ] {
            assert_eq!(search(s, m, q).await, aerts, "q={q:?}");
        }
        assert_eq!(
            search(s, m, "lien").await,
            vec![
                "Aerts, Lien (201)",
                "Lienaerts, Tom (206)",
                "Van den Broeck, Marie-Lien (205)"
            ]
        );
        for q in ["celik", "Çelik", "ÇELİK emre", "emre çel"] {
            assert_eq!(search(s, m, q).await, vec!["Çelik, Emre (204)"], "q={q:?}");
        }
        for q in ["broeck van", "marie broeck", "den lien", "van-den-broeck"] {
            assert_eq!(
                search(s, m, q).await,
                vec!["Van den Broeck, Marie-Lien (205)"],
                "q={q:?}"
            );
        }
        // Two people of the same name: both, told apart by their numbers.
        assert_eq!(
            search(s, m, "anouk mertens").await,
            vec!["Mertens, Anouk (202)", "Mertens, Anouk (203)"]
        );
        // B's Aerts is never found from A.
        assert_eq!(search(s, m, "aerts").await, aerts);
        db.cleanup().await;
    }
);

store_test!(
    each_typed_word_must_be_the_start_of_some_word_of_the_name,
    |db| {
        let f = fixture(&db.store).await;
        let (s, m) = (&db.store, &f.master);
        // "aerts" inside "lienaerts" is not the start of a word.
        assert_eq!(search(s, m, "aer").await, vec!["Aerts, Lien (201)"]);
        for q in ["erts", "ien", "aerts tom", "anouk x", "lien aertsx"] {
            assert!(search(s, m, q).await.is_empty(), "q={q:?}");
        }
        assert_eq!(
            search(s, m, "mert a").await,
            vec!["Mertens, Anouk (202)", "Mertens, Anouk (203)"]
        );
        // A word typed twice, or one that is the start of another typed word, asks nothing more.
        assert_eq!(
            search(s, m, "lien lie lien").await,
            search(s, m, "lien").await
        );
        // Single letters are starts of words too.
        assert_eq!(
            search(s, m, "v d b m l marie broeck").await,
            vec!["Van den Broeck, Marie-Lien (205)"]
        );
        db.cleanup().await;
    }
);

store_test!(
    a_consult_user_never_sees_or_counts_employees_of_other_contracts,
    |db| {
        let f = fixture(&db.store).await;
        let (s, c) = (&db.store, &f.consult_c1);
        let all = found(s, c, &query("", EmployeeFilters::default())).await;
        assert_eq!(
            all,
            (
                vec![
                    "Aerts, Lien (201)".to_owned(),
                    "Beide, Bram (207)".to_owned(),
                    "Çelik, Emre (204)".to_owned(),
                    "Lienaerts, Tom (206)".to_owned(),
                    "Mertens, Anouk (202)".to_owned(),
                ],
                5
            )
        );
        assert_eq!(search(s, c, "mertens").await, vec!["Mertens, Anouk (202)"]);
        assert!(search(s, c, "broeck").await.is_empty());
        // Asking for contract 2, its category, or B's contract, finds and counts nobody.
        for filters in [
            EmployeeFilters {
                contract_id: Some(f.c2),
                ..Default::default()
            },
            EmployeeFilters {
                category_id: Some(f.k2),
                ..Default::default()
            },
            EmployeeFilters {
                contract_id: Some(f.cb),
                ..Default::default()
            },
            EmployeeFilters {
                contract_id: Some(f.c2),
                exit_from: Some(date(2023, 1, 1)),
                ..Default::default()
            },
        ] {
            for q in ["", "mertens", "beide"] {
                let result = found(s, c, &query(q, filters.clone())).await;
                assert_eq!(result, (vec![], 0), "q={q:?} {filters:?}");
            }
        }
        // Bram Beide is in both contracts; through C1 his C2 affiliation does not count.
        let c2_2024 = EmployeeFilters {
            entry_from: Some(date(2024, 1, 1)),
            ..Default::default()
        };
        assert_eq!(found(s, c, &query("", c2_2024.clone())).await, (vec![], 0));
        assert_eq!(
            found(s, &f.master, &query("", c2_2024)).await,
            (
                vec![
                    "Beide, Bram (207)".to_owned(),
                    "Van den Broeck, Marie-Lien (205)".to_owned()
                ],
                2
            )
        );
        db.cleanup().await;
    }
);

store_test!(
    filters_combine_on_one_affiliation_and_the_count_follows_them,
    |db| {
        let f = fixture(&db.store).await;
        let (s, m) = (&db.store, &f.master);
        let names = |v: &[&str]| v.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let c1 = EmployeeFilters {
            contract_id: Some(f.c1),
            ..Default::default()
        };
        let mut active_c1 = query("", c1.clone());
        active_c1.status = StatusFilter::Only(AffiliationStatus::Active);
        assert_eq!(
            found(s, m, &active_c1).await,
            (
                names(&[
                    "Aerts, Lien (201)",
                    "Beide, Bram (207)",
                    "Lienaerts, Tom (206)",
                    "Mertens, Anouk (202)"
                ]),
                4
            )
        );
        // Entered C1 in 2020 (inclusive on both ends).
        active_c1.filters.entry_from = Some(date(2020, 3, 1));
        active_c1.filters.entry_to = Some(date(2020, 12, 31));
        assert_eq!(
            found(s, m, &active_c1).await,
            (names(&["Aerts, Lien (201)"]), 1)
        );
        // Beide entered C2 in 2024, not C1: C1 with a 2024 entry is nobody.
        let c1_2024 = EmployeeFilters {
            entry_from: Some(date(2024, 1, 1)),
            ..c1.clone()
        };
        assert_eq!(found(s, m, &query("", c1_2024)).await, (vec![], 0));
        // Left in 2024 / in 2023 (end date inclusive).
        let left_2024 = EmployeeFilters {
            exit_from: Some(date(2024, 1, 1)),
            exit_to: Some(date(2024, 12, 31)),
            ..Default::default()
        };
        assert_eq!(
            found(s, m, &query("", left_2024)).await,
            (names(&["Çelik, Emre (204)"]), 1)
        );
        let left_2023 = EmployeeFilters {
            exit_from: Some(date(2023, 12, 31)),
            exit_to: Some(date(2023, 12, 31)),
            ..Default::default()
        };
        assert_eq!(
            found(s, m, &query("mertens", left_2023.clone())).await,
            (names(&["Mertens, Anouk (203)"]), 1)
        );
        let mut left_2023_active = query("mertens", left_2023);
        left_2023_active.status = StatusFilter::Only(AffiliationStatus::Active);
        assert_eq!(found(s, m, &left_2023_active).await, (vec![], 0));
        // A category, and a category with the search.
        let kader = EmployeeFilters {
            category_id: Some(f.k1_kader),
            ..Default::default()
        };
        assert_eq!(
            found(s, m, &query("", kader.clone())).await,
            (names(&["Çelik, Emre (204)"]), 1)
        );
        assert_eq!(found(s, m, &query("lien", kader)).await, (vec![], 0));
        let bedienden = EmployeeFilters {
            category_id: Some(f.k1),
            ..c1
        };
        assert_eq!(
            found(s, m, &query("lien", bedienden)).await,
            (names(&["Aerts, Lien (201)", "Lienaerts, Tom (206)"]), 2)
        );
        // The number search with a filter.
        let c2 = EmployeeFilters {
            contract_id: Some(f.c2),
            ..Default::default()
        };
        assert_eq!(
            found(s, m, &query("203", c2.clone())).await,
            (names(&["Mertens, Anouk (203)"]), 1)
        );
        assert_eq!(found(s, m, &query("202", c2)).await, (vec![], 0));
        // Another employer's contract: nobody.
        let foreign = EmployeeFilters {
            contract_id: Some(f.cb),
            ..Default::default()
        };
        assert_eq!(found(s, m, &query("aerts", foreign)).await, (vec![], 0));
        db.cleanup().await;
    }
);

store_test!(the_count_is_the_number_of_rows_over_all_pages, |db| {
    let f = fixture(&db.store).await;
    let s = &db.store;
    let extra: Vec<NewEmployee> = (20..140)
        .map(|i| {
            employee(
                i,
                &format!("Reeks{i:03}"),
                if i % 2 == 0 { "Even" } else { "Oneven" },
                &[(f.c1, f.k1, date(2021, 1, 1), None)],
            )
        })
        .collect();
    s.insert_employees(f.master.scope().employer_id(), &extra, Utc::now())
        .await
        .unwrap();
    for (q, expected) in [("", 127), ("even", 60), ("oneven", 60), ("reeks", 120)] {
        let mut q = query(q, EmployeeFilters::default());
        let count = s.count_employees(f.master.scope(), &q).await.unwrap();
        assert_eq!(count, expected);
        let mut rows = 0;
        loop {
            let page = s.list_employees(f.master.scope(), &q).await.unwrap();
            rows += page.rows.len();
            match page.rows.last() {
                Some(last) if page.has_next => q.cursor = ListCursor::After(last.id),
                _ => break,
            }
        }
        assert_eq!(i64::try_from(rows).unwrap(), count);
    }
    db.cleanup().await;
});

store_test!(
    a_changed_name_is_found_by_its_new_words_and_no_longer_by_the_old,
    |db| {
        let f = fixture(&db.store).await;
        let s = &db.store;
        let now = Utc::now();
        let id = s
            .list_employees(f.input.scope(), &query("aerts lien", Default::default()))
            .await
            .unwrap()
            .rows[0]
            .id;
        let start = s.find_employee(f.input.scope(), id).await.unwrap().unwrap();
        let mut after = start.person();
        after.last_name = "Wouters-Claes".to_owned();
        after.first_name = "Liène".to_owned();
        let outcome = s
            .change_personal_data(
                f.input.scope(),
                id,
                start.version,
                &after,
                now.date_naive(),
                "Naam",
                &Actor::default(),
                now,
            )
            .await
            .unwrap();
        assert!(matches!(outcome, PersonalDataOutcome::Changed { .. }));
        let m = &f.master;
        assert_eq!(search(s, m, "aerts").await, Vec::<String>::new());
        for q in ["claes lien", "wouters", "lien wout"] {
            assert_eq!(
                search(s, m, q).await,
                vec!["Wouters-Claes, Liène (201)"],
                "q={q:?}"
            );
        }
        db.cleanup().await;
    }
);

store_test!(
    the_migration_fills_the_same_words_as_the_store_writes,
    |db| {
        let f = fixture(&db.store).await;
        let s = &db.store;
        // Names with accents, hyphens, repeated and empty words.
        s.insert_employees(
            f.master.scope().employer_id(),
            &[
                employee(
                    30,
                    "D'Hondt-Ölçer",
                    "Jan Jan",
                    &[(f.c1, f.k1, date(2020, 1, 1), None)],
                ),
                employee(31, "Núñez", "--", &[(f.c1, f.k1, date(2020, 1, 1), None)]),
                employee(
                    32,
                    "Ïñés",
                    "Élodie-Çağla",
                    &[(f.c2, f.k2, date(2020, 1, 1), None)],
                ),
            ],
            Utc::now(),
        )
        .await
        .unwrap();
        let written = s.all_name_words().await;
        assert!(written.iter().any(|(_, _, w)| w == "olcer"));
        assert!(written.iter().any(|(_, _, w)| w == "cagla"));
        s.rerun_name_word_backfill().await;
        assert_eq!(s.all_name_words().await, written);
        db.cleanup().await;
    }
);

/// The plans of a name search, as `SearchTuning` forces them on a few employees: the
/// matches first; a walk of the list's order that fills the page (a common word), or ends
/// before (the matches further on, or the list's end), then the matches first.
fn plans() -> Vec<(&'static str, SearchTuning)> {
    let tuning = |rare_below, walk_rows| SearchTuning {
        rare_below,
        walk_rows,
    };
    vec![
        ("matches first", tuning(1_000_000, 1)),
        ("walk up to 120 employees", tuning(0, 120)),
        ("walk up to 60 employees", tuning(0, 60)),
        ("walk up to 7 employees", tuning(0, 7)),
        ("walk when 40 words or more", tuning(40, 100)),
    ]
}

/// Every page from the first to the last and back again: each page's ids and neighbours.
async fn all_pages(
    store: &Store,
    access: &Access,
    q: &EmployeeListQuery,
) -> Vec<(Vec<i64>, bool, bool)> {
    let mut q = q.clone();
    let mut pages = Vec::new();
    loop {
        let page = store.list_employees(access.scope(), &q).await.unwrap();
        let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
        pages.push((ids.clone(), page.has_previous, page.has_next));
        match ids.last() {
            Some(&last) if page.has_next => q.cursor = ListCursor::After(last),
            _ => break,
        }
    }
    // And back from the last page.
    while let Some(&first) = pages.last().and_then(|p| p.0.first()) {
        if !pages.last().unwrap().1 {
            break;
        }
        q.cursor = ListCursor::Before(first);
        let page = store.list_employees(access.scope(), &q).await.unwrap();
        let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
        pages.push((ids, page.has_previous, page.has_next));
    }
    pages
}

store_test!(
    every_plan_of_the_name_search_finds_the_same_pages_and_counts,
    |db| {
        let f = fixture(&db.store).await;
        // 120 more in two contracts: every third a Jan, every third a "Jana Janssens" (two
        // words that start with "jan": counted once), the rest Mark.
        let extra: Vec<NewEmployee> = (20..140)
            .map(|i| {
                let first = ["Jan", "Jana Janssens", "Mark"][usize::from(i % 3)];
                let aff = if i % 2 == 0 {
                    (f.c1, f.k1, date(2021, 1, 1), None)
                } else {
                    (f.c2, f.k2, date(2021, 1, 1), Some(date(2023, 1, 1)))
                };
                employee(i, &format!("Reeks{i:03}"), first, &[aff])
            })
            .collect();
        db.store
            .insert_employees(f.master.scope().employer_id(), &extra, Utc::now())
            .await
            .unwrap();
        let mut variants: Vec<(SortOrder, StatusFilter, EmployeeFilters)> = vec![
            (SortOrder::Name, StatusFilter::All, Default::default()),
            (SortOrder::Number, StatusFilter::All, Default::default()),
            (
                SortOrder::Name,
                StatusFilter::Only(AffiliationStatus::Active),
                Default::default(),
            ),
        ];
        variants.push((
            SortOrder::Name,
            StatusFilter::All,
            EmployeeFilters {
                contract_id: Some(f.c2),
                ..Default::default()
            },
        ));
        let searches = [
            "jan",
            "janssens jana",
            "jan reeks",
            "reeks1 mark",
            "reeks",
            "r",
            "lien",
            "aerts lien",
            "zzz",
            "jan zzz",
            // Inside a word, not at its start: nobody.
            "eeks",
            "ien",
            "v d b m l marie broeck",
        ];
        for access in [&f.master, &f.consult_c1] {
            for (sort, status, filters) in &variants {
                for search in searches {
                    let mut q = query(search, filters.clone());
                    q.sort = *sort;
                    q.status = *status;
                    let what = format!("q={search:?} {sort:?} {status:?} {filters:?}");
                    let exact = db.store.count_employees(access.scope(), &q).await.unwrap();
                    let mut expected = None;
                    for (plan, tuning) in plans() {
                        let s = db.store.clone().with_search_tuning(tuning);
                        let pages = all_pages(&s, access, &q).await;
                        match &expected {
                            None => expected = Some(pages),
                            Some(e) => assert_eq!(&pages, e, "{plan}: {what}"),
                        }
                        // The page's own call: the same first page, the same count.
                        for cap in [1000, 60, 1] {
                            let (page, n) = s
                                .list_employees_counted(access.scope(), &q, cap)
                                .await
                                .unwrap();
                            let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                            let first = &expected.as_ref().unwrap()[0].0;
                            assert_eq!(&ids, first, "{plan} counted: {what}");
                            assert_eq!(n, exact.min(cap + 1), "{plan} counted, cap {cap}: {what}");
                        }
                        for cap in [1000, 60, 10, 1, 0] {
                            let capped = s.count_employees_up_to(access.scope(), &q, cap).await;
                            assert_eq!(
                                capped.unwrap(),
                                exact.min(cap + 1),
                                "{plan} cap {cap}: {what}"
                            );
                        }
                    }
                    // The pages hold every match once.
                    let pages = expected.unwrap();
                    let forward: Vec<i64> = pages
                        .iter()
                        .scan(true, |more, p| {
                            let this = *more;
                            *more = p.2;
                            this.then(|| p.0.clone())
                        })
                        .flatten()
                        .collect();
                    let mut unique = forward.clone();
                    unique.sort();
                    unique.dedup();
                    assert_eq!(unique.len(), forward.len(), "{what}");
                    assert_eq!(i64::try_from(forward.len()).unwrap(), exact, "{what}");
                }
            }
        }
        // What the searches find, once: Jan and the Janssens, each once.
        let m = &f.master;
        let jan = found(&db.store, m, &query("jan", Default::default())).await;
        assert_eq!(jan.1, 80);
        let double = found(&db.store, m, &query("janssens jana", Default::default())).await;
        assert_eq!(double.1, 40);
        db.cleanup().await;
    }
);
