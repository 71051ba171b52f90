//! Employee changes on both engines: a new affiliation, exits (one, many, withdrawn) and a
//! change of personal data, each with its action, audit entry and history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, TimeDelta, Utc};
use ebdesk_domain::changes::Person;
use ebdesk_domain::{
    ActionKind, ActionStatus, AffiliationStatus, ExitReason, Gender, Language, NationalNumber,
    Rights,
};
use ebdesk_store::{
    Access, Actor, AffiliatePerson, EmployeeListQuery, ExitOutcome, ExitRequest, ExitTarget,
    ListCursor, NewAffiliation, NewAffiliationRequest, NewEmployee, NewEmployer, NewUser,
    PersonLookup, PersonalDataOutcome, SortOrder, StatusFilter, Store, StoreError, store_test,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Fixture {
    c1: i64,
    c2: i64,
    k1: i64,
    k2: i64,
    /// Input rights, all contracts.
    input: Access,
    /// A second input user, all contracts.
    colleague: Access,
    consult: Access,
    /// Input rights on C1 only.
    input_c1: Access,
    /// The master of employer B.
    other: Access,
    /// Janssens (C1, active since 2020) and Tweede (C2 only).
    janssens: i64,
    tweede: i64,
}

fn employee(i: u16, last: &str, contract: i64, category: i64) -> NewEmployee {
    let birth = date(1980, 1, 1) + Duration::days(i64::from(i));
    NewEmployee {
        national_number: NationalNumber::from_birth_date(birth, 2 * (i % 400) + 1).unwrap(),
        employee_number: Some(format!("{}", 100 + i)),
        last_name: last.to_owned(),
        first_name: "Test".to_owned(),
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
            status: AffiliationStatus::Active,
        }],
    }
}

async fn user(store: &Store, email: &str) -> i64 {
    store
        .insert_user(
            &NewUser {
                email: email.to_owned(),
                display_name: email.to_owned(),
                password_hash: None,
                language: Language::Dutch,
                is_operator: false,
            },
            Utc::now(),
        )
        .await
        .unwrap()
}

async fn access(
    store: &Store,
    employer: i64,
    number: &str,
    email: &str,
    rights: Rights,
    contracts: Option<&[i64]>,
) -> Access {
    let id = user(store, email).await;
    let now = Utc::now();
    store
        .insert_sheet(employer, id, rights, contracts, None, now)
        .await
        .unwrap();
    store
        .find_access(id, number, now.date_naive())
        .await
        .unwrap()
        .unwrap()
}

async fn fixture(store: &Store) -> Fixture {
    let now = Utc::now();
    let employer = |number: &str| NewEmployer {
        number: number.to_owned(),
        name: format!("Werkgever {number}"),
        kbo_number: "0403.170.701".to_owned(),
        street: "Straat 1".to_owned(),
        postal_code: "1000".to_owned(),
        city: "Brussel".to_owned(),
        notification_email: "verzekeringen@werkgever.test".to_owned(),
    };
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
    let k1 = store.insert_category(a, c1, "Bedienden").await.unwrap();
    let k2 = store.insert_category(a, c2, "Arbeiders").await.unwrap();
    let cb = store
        .insert_contract(b, "530/000201", "Personeel")
        .await
        .unwrap();
    store.insert_category(b, cb, "Personeel").await.unwrap();
    store
        .insert_employees(
            a,
            &[
                employee(1, "Janssens", c1, k1),
                employee(2, "Tweede", c2, k2),
            ],
            now,
        )
        .await
        .unwrap();
    let input = access(store, a, "530-101", "invoer@a.test", Rights::Input, None).await;
    let colleague = access(store, a, "530-101", "collega@a.test", Rights::Input, None).await;
    let consult = access(
        store,
        a,
        "530-101",
        "raadpleeg@a.test",
        Rights::Consult,
        None,
    )
    .await;
    let input_c1 = access(
        store,
        a,
        "530-101",
        "invoer-c1@a.test",
        Rights::Input,
        Some(&[c1]),
    )
    .await;
    let other = access(store, b, "530-202", "master@b.test", Rights::Master, None).await;
    let page = store
        .list_employees(input.scope(), &list_query(None, ListCursor::First))
        .await
        .unwrap();
    let id = |name: &str| page.rows.iter().find(|r| r.last_name == name).unwrap().id;
    Fixture {
        c1,
        c2,
        k1,
        k2,
        janssens: id("Janssens"),
        tweede: id("Tweede"),
        input,
        colleague,
        consult,
        input_c1,
        other,
    }
}

/// Every status, by name, from `cursor`, optionally searched.
fn list_query(search: Option<&str>, cursor: ListCursor) -> EmployeeListQuery {
    EmployeeListQuery {
        search: search.and_then(ebdesk_domain::search::classify),
        status: StatusFilter::All,
        filters: Default::default(),
        sort: SortOrder::Name,
        cursor,
    }
}

fn actor(access: &Access) -> Actor {
    // The user id of a sheet is not in Access; audit entries only need an actor.
    let _ = access;
    Actor::default()
}

fn new_person(serial: u16) -> Person {
    let birth = date(1995, 6, 15);
    Person {
        national_number: NationalNumber::from_birth_date(birth, serial).unwrap(),
        last_name: "Nieuw".to_owned(),
        first_name: "Nele".to_owned(),
        gender: if serial % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        },
        language: Language::French,
        birth_date: birth,
        employee_number: Some(format!("N{serial}")),
        business_email: Some("nele.nieuw@werkgever.test".to_owned()),
    }
}

fn affiliation(person: AffiliatePerson, contract: i64, category: i64) -> NewAffiliationRequest {
    NewAffiliationRequest {
        person,
        contract_id: contract,
        category_id: category,
        employment_start: date(2026, 11, 1),
        affiliation_start: date(2026, 11, 1),
        salary: ebdesk_domain::salary_list::SalaryValues {
            annual: ebdesk_domain::premium::Cents(4_800_000),
            fraction: ebdesk_domain::premium::Fraction::new(8_000).unwrap(),
        },
        description: "530/000101 — Bedienden".to_owned(),
    }
}

fn exit_of(ids: &[i64], end: NaiveDate) -> ExitRequest {
    ExitRequest {
        targets: ids
            .iter()
            .map(|id| ExitTarget {
                employee_id: *id,
                affiliation_ids: None,
            })
            .collect(),
        end_date: end,
        reason: ExitReason::EndOfContract,
        reported_on: Utc::now().date_naive(),
        description: "Tot en met".to_owned(),
    }
}

async fn statuses(store: &Store, access: &Access, id: i64) -> Vec<AffiliationStatus> {
    store
        .find_employee(access.scope(), id)
        .await
        .unwrap()
        .unwrap()
        .affiliations
        .iter()
        .map(|a| a.status)
        .collect()
}

store_test!(
    a_new_person_is_affiliated_once_and_found_again_by_number,
    |db| {
        let f = fixture(&db.store).await;
        let s = &db.store;
        let person = new_person(201);
        let number = person.national_number.clone();
        assert!(matches!(
            s.find_person_by_national_number(f.input.scope(), &number)
                .await
                .unwrap(),
            PersonLookup::Unknown
        ));
        let done = s
            .affiliate(
                f.input.scope(),
                &affiliation(AffiliatePerson::New(person.clone()), f.c1, f.k1),
                &actor(&f.input),
                Utc::now(),
            )
            .await
            .unwrap();
        let detail = s
            .find_employee(f.input.scope(), done.employee_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.last_name, "Nieuw");
        assert_eq!(
            detail.business_email.as_deref(),
            Some("nele.nieuw@werkgever.test")
        );
        assert_eq!(detail.affiliations.len(), 1);
        assert_eq!(detail.affiliations[0].status, AffiliationStatus::Active);
        // The salary typed is in force from the affiliation's start.
        let salaries = s.list_affiliation_salaries(f.input.scope(), done.affiliation_id);
        let salaries = salaries.await.unwrap();
        assert_eq!(salaries.len(), 1);
        assert_eq!(salaries[0].salary.from, date(2026, 11, 1));
        assert_eq!(salaries[0].salary.annual.0, 4_800_000);
        assert_eq!(salaries[0].salary.fraction.ten_thousandths(), 8_000);

        // Known now: shown to the scope, and typing the person again is refused.
        match s
            .find_person_by_national_number(f.input.scope(), &number)
            .await
            .unwrap()
        {
            PersonLookup::InScope(d) => assert_eq!(d.id, done.employee_id),
            other => panic!("{other:?}"),
        }
        let again = s
            .affiliate(
                f.input.scope(),
                &affiliation(AffiliatePerson::New(person.clone()), f.c2, f.k2),
                &actor(&f.input),
                Utc::now(),
            )
            .await;
        assert!(matches!(
            again,
            Err(StoreError::Refused("national-number-known"))
        ));
        // The same person in the other contract: a second affiliation, not a second person.
        let second = s
            .affiliate(
                f.input.scope(),
                &affiliation(
                    AffiliatePerson::Existing {
                        employee_id: done.employee_id,
                    },
                    f.c2,
                    f.k2,
                ),
                &actor(&f.input),
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(second.employee_id, done.employee_id);
        assert_eq!(statuses(s, &f.input, done.employee_id).await.len(), 2);
        // The same contract again, while the first affiliation runs: overlap.
        let overlap = s
            .affiliate(
                f.input.scope(),
                &affiliation(
                    AffiliatePerson::Existing {
                        employee_id: done.employee_id,
                    },
                    f.c1,
                    f.k1,
                ),
                &actor(&f.input),
                Utc::now(),
            )
            .await;
        assert!(matches!(
            overlap,
            Err(StoreError::Refused("affiliation-overlap"))
        ));
        // The action is processed, about the employee, effective on the affiliation date.
        let action = s
            .find_action(f.input.scope(), done.action_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(action.action.kind, ActionKind::NewAffiliation);
        assert_eq!(action.action.status, ActionStatus::Processed);
        assert_eq!(action.action.effective_date, Some(date(2026, 11, 1)));
        assert_eq!(action.action.employee.map(|e| e.id), Some(done.employee_id));
        // Another employer does not know the number.
        assert!(matches!(
            s.find_person_by_national_number(f.other.scope(), &number)
                .await
                .unwrap(),
            PersonLookup::Unknown
        ));
        db.cleanup().await;
    }
);

store_test!(affiliation_rules_refuse_with_their_message, |db| {
    let f = fixture(&db.store).await;
    let s = &db.store;
    let act = actor(&f.input);
    let now = Utc::now();
    // The employee number of Janssens (101).
    let mut taken = new_person(203);
    taken.employee_number = Some("101".to_owned());
    let r = s
        .affiliate(
            f.input.scope(),
            &affiliation(AffiliatePerson::New(taken), f.c1, f.k1),
            &act,
            now,
        )
        .await;
    assert!(matches!(
        r,
        Err(StoreError::Refused("employee-number-taken"))
    ));
    // A category of another contract.
    let r = s
        .affiliate(
            f.input.scope(),
            &affiliation(AffiliatePerson::New(new_person(205)), f.c1, f.k2),
            &act,
            now,
        )
        .await;
    assert!(matches!(
        r,
        Err(StoreError::Refused("category-not-of-contract"))
    ));
    // A contract outside the sheet's set.
    let r = s
        .affiliate(
            f.input_c1.scope(),
            &affiliation(AffiliatePerson::New(new_person(207)), f.c2, f.k2),
            &act,
            now,
        )
        .await;
    assert!(matches!(
        r,
        Err(StoreError::Refused("contract-not-in-scope"))
    ));
    // The form asks the same check before it writes; nothing chosen is refused the same.
    for (scope, contract, category, refusal) in [
        (
            f.input.scope(),
            Some(f.c1),
            Some(f.k2),
            "category-not-of-contract",
        ),
        (
            f.input.scope(),
            Some(f.c1),
            None,
            "category-not-of-contract",
        ),
        (
            f.input_c1.scope(),
            Some(f.c2),
            Some(f.k2),
            "contract-not-in-scope",
        ),
        (f.input.scope(), None, Some(f.k1), "contract-not-in-scope"),
    ] {
        let r = s.find_contract_choice(scope, contract, category).await;
        assert!(
            matches!(r, Err(StoreError::Refused(code)) if code == refusal),
            "{contract:?} {category:?}: {r:?}"
        );
    }
    let chosen = s
        .find_contract_choice(f.input.scope(), Some(f.c1), Some(f.k1))
        .await
        .unwrap();
    assert_eq!((chosen.contract_id, chosen.category_id), (f.c1, f.k1));
    // Affiliation before the hire date; a child of 12.
    let mut early = affiliation(AffiliatePerson::New(new_person(209)), f.c1, f.k1);
    early.affiliation_start = date(2026, 10, 31);
    let r = s.affiliate(f.input.scope(), &early, &act, now).await;
    assert!(matches!(
        r,
        Err(StoreError::Refused("affiliation-before-employment"))
    ));
    let mut child = new_person(211);
    child.birth_date = date(2014, 6, 15);
    child.national_number = NationalNumber::from_birth_date(child.birth_date, 211).unwrap();
    let r = s
        .affiliate(
            f.input.scope(),
            &affiliation(AffiliatePerson::New(child), f.c1, f.k1),
            &act,
            now,
        )
        .await;
    assert!(matches!(
        r,
        Err(StoreError::Refused("affiliation-age-out-of-range"))
    ));
    // A consult sheet changes nothing, whatever the caller checked.
    let r = s
        .affiliate(
            f.consult.scope(),
            &affiliation(AffiliatePerson::New(new_person(213)), f.c1, f.k1),
            &act,
            now,
        )
        .await;
    assert!(matches!(r, Err(StoreError::Forbidden)));
    // A later affiliation date is accepted with the warning kept on the action.
    let mut later = affiliation(AffiliatePerson::New(new_person(215)), f.c1, f.k1);
    later.affiliation_start = date(2026, 11, 15);
    let done = s
        .affiliate(f.input.scope(), &later, &act, now)
        .await
        .unwrap();
    let action = s
        .find_action(f.input.scope(), done.action_id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        action.payload.contains("affiliation-later-than-employment"),
        "{}",
        action.payload
    );
    // None of the refusals left a person behind: only Nieuw (215) was added.
    let page = s
        .list_employees(f.input.scope(), &list_query(None, ListCursor::First))
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 3);
    db.cleanup().await;
});

store_test!(
    an_exit_turns_affiliations_passive_and_can_be_withdrawn_the_same_day,
    |db| {
        let f = fixture(&db.store).await;
        let s = &db.store;
        let now = Utc::now();
        let act = actor(&f.input);
        let end = now.date_naive() - TimeDelta::days(10);
        let done = match s
            .exit_employees(f.input.scope(), &exit_of(&[f.janssens], end), &act, now)
            .await
            .unwrap()
        {
            ExitOutcome::Done(done) => done,
            other => panic!("{other:?}"),
        };
        assert_eq!(done.len(), 1);
        assert!(!done[0].late);
        let detail = s
            .find_employee(f.input.scope(), f.janssens)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.affiliations[0].status, AffiliationStatus::Passive);
        assert_eq!(detail.affiliations[0].end_date, Some(end));
        assert_eq!(
            detail.affiliations[0].exit_reason.as_deref(),
            Some("end_of_contract")
        );

        // Again: already exited, nothing written.
        let again = s
            .exit_employees(f.input.scope(), &exit_of(&[f.janssens], end), &act, now)
            .await
            .unwrap();
        match again {
            ExitOutcome::Refused(r) => {
                assert_eq!(r.len(), 1);
                assert_eq!(r[0].code, "exit-already-exited");
                assert_eq!(r[0].name, "Janssens, Test");
            }
            other => panic!("{other:?}"),
        }
        // A colleague cannot withdraw it; the next day its author cannot either.
        let id = done[0].action_id;
        let since = now - TimeDelta::hours(1);
        let r = s
            .withdraw_exit(f.colleague.scope(), id, since, &act, now)
            .await;
        assert!(matches!(
            r,
            Err(StoreError::Refused("exit-withdraw-other-user"))
        ));
        let r = s
            .withdraw_exit(f.input.scope(), id, now + TimeDelta::hours(1), &act, now)
            .await;
        assert!(matches!(
            r,
            Err(StoreError::Refused("exit-withdraw-too-late"))
        ));
        let r = s
            .withdraw_exit(f.consult.scope(), id, since, &act, now)
            .await;
        assert!(matches!(r, Err(StoreError::Forbidden)));
        // Its author, the same day: active again, the action withdrawn, and only once.
        s.withdraw_exit(f.input.scope(), id, since, &act, now)
            .await
            .unwrap();
        assert_eq!(
            statuses(s, &f.input, f.janssens).await,
            [AffiliationStatus::Active]
        );
        let action = s.find_action(f.input.scope(), id).await.unwrap().unwrap();
        assert_eq!(action.action.status, ActionStatus::Withdrawn);
        let r = s.withdraw_exit(f.input.scope(), id, since, &act, now).await;
        assert!(matches!(
            r,
            Err(StoreError::Refused("exit-withdraw-not-possible"))
        ));

        // Late: more than 30 days after the end date, accepted with the flag.
        let late = now.date_naive() - TimeDelta::days(31);
        match s
            .exit_employees(f.input.scope(), &exit_of(&[f.janssens], late), &act, now)
            .await
            .unwrap()
        {
            ExitOutcome::Done(done) => assert!(done[0].late),
            other => panic!("{other:?}"),
        }
        // Before the affiliation date: refused.
        let r = s
            .exit_employees(
                f.input.scope(),
                &exit_of(&[f.tweede], date(2019, 12, 31)),
                &act,
                now,
            )
            .await
            .unwrap();
        assert!(
            matches!(&r, ExitOutcome::Refused(v) if v[0].code == "exit-before-affiliation"),
            "{r:?}"
        );
        // Outside the scope (Tweede is in C2), or another employer's: not found.
        let r = s
            .exit_employees(f.input_c1.scope(), &exit_of(&[f.tweede], end), &act, now)
            .await;
        assert!(matches!(r, Err(StoreError::NotFound)));
        let r = s
            .exit_employees(f.other.scope(), &exit_of(&[f.tweede], end), &act, now)
            .await;
        assert!(matches!(r, Err(StoreError::NotFound)));
        assert_eq!(
            statuses(s, &f.input, f.tweede).await,
            [AffiliationStatus::Active]
        );
        db.cleanup().await;
    }
);

store_test!(an_exit_of_500_employees_is_one_transaction, |db| {
    let f = fixture(&db.store).await;
    let s = &db.store;
    let now = Utc::now();
    let many: Vec<NewEmployee> = (10..510)
        .map(|i| employee(i, &format!("Bulk{i:03}"), f.c1, f.k1))
        .collect();
    s.insert_employees(f.input.scope().employer_id(), &many, now)
        .await
        .unwrap();
    let mut ids = Vec::new();
    let mut cursor = ListCursor::First;
    loop {
        let page = s
            .list_employees(f.input.scope(), &list_query(Some("bulk"), cursor))
            .await
            .unwrap();
        ids.extend(page.rows.iter().map(|r| r.id));
        match page.rows.last() {
            Some(last) if page.has_next => cursor = ListCursor::After(last.id),
            _ => break,
        }
    }
    assert_eq!(ids.len(), 500);
    let act = actor(&f.input);
    let end = now.date_naive();
    // One of them exited already: the whole exit is refused and nobody else changes.
    match s
        .exit_employees(f.input.scope(), &exit_of(&ids[..1], end), &act, now)
        .await
        .unwrap()
    {
        ExitOutcome::Done(_) => {}
        other => panic!("{other:?}"),
    }
    match s
        .exit_employees(f.input.scope(), &exit_of(&ids, end), &act, now)
        .await
        .unwrap()
    {
        ExitOutcome::Refused(r) => assert_eq!(r.len(), 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        statuses(s, &f.input, ids[499]).await,
        [AffiliationStatus::Active]
    );
    // Without that one: 499 exits, each its own action.
    match s
        .exit_employees(f.input.scope(), &exit_of(&ids[1..], end), &act, now)
        .await
        .unwrap()
    {
        ExitOutcome::Done(done) => assert_eq!(done.len(), 499),
        other => panic!("{other:?}"),
    }
    for id in [ids[1], ids[250], ids[499]] {
        assert_eq!(
            statuses(s, &f.input, id).await,
            [AffiliationStatus::Passive]
        );
    }
    let exits = s
        .list_actions(
            f.input.scope(),
            &ebdesk_store::ActionFilter {
                kind: Some(ActionKind::Exit),
                ..ebdesk_store::ActionFilter::recent(now)
            },
        )
        .await
        .unwrap();
    assert_eq!(exits.rows.len(), ebdesk_store::ACTION_PAGE_SIZE);
    assert!(exits.has_next);
    let verification = s.verify_audit_chain().await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    db.cleanup().await;
});

store_test!(
    of_two_users_saving_the_same_employee_the_second_is_refused,
    |db| {
        let f = fixture(&db.store).await;
        let s = &db.store;
        let now = Utc::now();
        let today = now.date_naive();
        let start = s
            .find_employee(f.input.scope(), f.janssens)
            .await
            .unwrap()
            .unwrap();
        let mut first = start.person();
        first.last_name = "Janssens-Peeters".to_owned();
        let mut second = start.person();
        second.business_email = Some("test.janssens@a.test".to_owned());
        let saved = s
            .change_personal_data(
                f.input.scope(),
                f.janssens,
                start.version,
                &first,
                today,
                "Naam",
                &actor(&f.input),
                now,
            )
            .await
            .unwrap();
        match saved {
            PersonalDataOutcome::Changed { changes, .. } => {
                assert_eq!(changes.len(), 1);
                assert_eq!(changes[0].field, "last_name");
            }
            other => panic!("{other:?}"),
        }
        let refused = s
            .change_personal_data(
                f.colleague.scope(),
                f.janssens,
                start.version,
                &second,
                today,
                "E-mail",
                &actor(&f.colleague),
                now,
            )
            .await;
        assert!(matches!(
            refused,
            Err(StoreError::Refused("employee-changed-meanwhile"))
        ));
        let now_stored = s
            .find_employee(f.input.scope(), f.janssens)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(now_stored.last_name, "Janssens-Peeters");
        assert_eq!(now_stored.business_email, None);
        assert_eq!(now_stored.version, start.version + 1);
        // The list finds the new name.
        let found = s
            .list_employees(
                f.input.scope(),
                &list_query(Some("janssens-p"), ListCursor::First),
            )
            .await
            .unwrap();
        assert_eq!(found.rows.len(), 1);
        // Another employee's numbers are refused; nothing else is saved with them.
        let tweede = s
            .find_employee(f.input.scope(), f.tweede)
            .await
            .unwrap()
            .unwrap();
        let mut clash = now_stored.person();
        clash.national_number = tweede.national_number.clone();
        let r = s
            .change_personal_data(
                f.input.scope(),
                f.janssens,
                now_stored.version,
                &clash,
                today,
                "",
                &actor(&f.input),
                now,
            )
            .await;
        assert!(matches!(
            r,
            Err(StoreError::Refused("national-number-taken"))
        ));
        let mut clash = now_stored.person();
        clash.employee_number = tweede.employee_number.clone();
        clash.first_name = "Anders".to_owned();
        let r = s
            .change_personal_data(
                f.input.scope(),
                f.janssens,
                now_stored.version,
                &clash,
                today,
                "",
                &actor(&f.input),
                now,
            )
            .await;
        assert!(matches!(
            r,
            Err(StoreError::Refused("employee-number-taken"))
        ));
        assert_eq!(
            s.find_employee(f.input.scope(), f.janssens)
                .await
                .unwrap()
                .unwrap()
                .first_name,
            "Test"
        );
        // Saving what is stored files nothing; consult and out-of-scope are refused.
        let same = s
            .change_personal_data(
                f.input.scope(),
                f.janssens,
                now_stored.version,
                &now_stored.person(),
                today,
                "",
                &actor(&f.input),
                now,
            )
            .await
            .unwrap();
        assert_eq!(same, PersonalDataOutcome::Unchanged);
        let r = s
            .change_personal_data(
                f.consult.scope(),
                f.janssens,
                now_stored.version,
                &first,
                today,
                "",
                &actor(&f.input),
                now,
            )
            .await;
        assert!(matches!(r, Err(StoreError::Forbidden)));
        let r = s
            .change_personal_data(
                f.input_c1.scope(),
                f.tweede,
                tweede.version,
                &tweede.person(),
                today,
                "",
                &actor(&f.input),
                now,
            )
            .await;
        assert!(matches!(r, Err(StoreError::NotFound)));
        db.cleanup().await;
    }
);

store_test!(
    the_history_lists_an_employees_changes_newest_first_inside_the_scope,
    |db| {
        let f = fixture(&db.store).await;
        let s = &db.store;
        let now = Utc::now();
        let start = s
            .find_employee(f.input.scope(), f.janssens)
            .await
            .unwrap()
            .unwrap();
        let mut changed = start.person();
        changed.national_number = NationalNumber::from_birth_date(start.birth_date, 401).unwrap();
        s.change_personal_data(
            f.input.scope(),
            f.janssens,
            start.version,
            &changed,
            now.date_naive(),
            "Rijksregisternummer",
            &actor(&f.input),
            now,
        )
        .await
        .unwrap();
        let end = now.date_naive();
        s.exit_employees(
            f.input.scope(),
            &exit_of(&[f.janssens], end),
            &actor(&f.input),
            now + TimeDelta::seconds(1),
        )
        .await
        .unwrap();
        let history = s
            .list_employee_history(f.input.scope(), f.janssens)
            .await
            .unwrap();
        let kinds: Vec<ActionKind> = history.iter().map(|h| h.kind).collect();
        assert_eq!(kinds, [ActionKind::Exit, ActionKind::PersonalDataChange]);
        assert_eq!(history[0].requested_by_name, "invoer@a.test");
        // The record masks the national numbers.
        let recorded = history[1].details.to_string();
        assert!(recorded.contains("-***.**"), "{recorded}");
        assert!(
            !recorded.contains(changed.national_number.as_str()),
            "{recorded}"
        );
        assert!(
            !recorded.contains(&changed.national_number.formatted()),
            "{recorded}"
        );
        // Other employers see nothing of it.
        assert!(
            s.list_employee_history(f.other.scope(), f.janssens)
                .await
                .unwrap()
                .is_empty()
        );
        let _ = (f.c2, f.k2);
        db.cleanup().await;
    }
);
