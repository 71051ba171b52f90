//! A small tenant set-up for queue tests (store and worker), behind `test-support`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::{ActionKind, AffiliationStatus, Gender, Language, NationalNumber, Rights};

use crate::{
    EmployeeListQuery, ListCursor, NewAction, NewAffiliation, NewEmployee, NewEmployer, NewUser,
    Scope, SortOrder, StatusFilter, Store,
};

/// Employer A (530-101) with contracts C1 and C2 and one employee in each; employer B
/// (530-202). Scopes: A's master (all contracts), a consult user of C1 only, one of C2 only,
/// and B's master.
pub struct QueueFixture {
    pub employer_a: i64,
    pub employer_b: i64,
    pub employee_c1: i64,
    pub employee_c2: i64,
    pub master: Scope,
    pub consult_c1: Scope,
    pub consult_c2: Scope,
    pub master_b: Scope,
    pub master_user: i64,
    pub consult_c1_user: i64,
}

/// The numbers of employers A and B.
const A: &str = "530-101";
const B: &str = "530-202";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
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

fn employee(serial: u16, last: &str, contract: i64, category: i64) -> NewEmployee {
    let birth = date(1985, 6, 1);
    NewEmployee {
        national_number: NationalNumber::from_birth_date(birth, serial).unwrap(),
        employee_number: Some(format!("{serial}")),
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

async fn user(store: &Store, email: &str, now: DateTime<Utc>) -> i64 {
    let new = NewUser {
        email: email.to_owned(),
        display_name: email.to_owned(),
        password_hash: None,
        language: Language::Dutch,
        is_operator: false,
    };
    store.insert_user(&new, now).await.unwrap()
}

async fn scope(
    store: &Store,
    employer: (i64, &str),
    user: i64,
    rights: Rights,
    contracts: Option<&[i64]>,
    now: DateTime<Utc>,
) -> Scope {
    store
        .insert_sheet(employer.0, user, rights, contracts, None, now)
        .await
        .unwrap();
    store
        .find_access(user, employer.1, now.date_naive())
        .await
        .unwrap()
        .unwrap()
        .scope()
        .clone()
}

/// Employer A's contracts C1 and C2, each with a category and one employee ("Eerste" in C1,
/// "Tweede" in C2); answers the contracts' ids.
async fn contracts_with_employees(store: &Store, a: i64, now: DateTime<Utc>) -> (i64, i64) {
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
    let employees = [
        employee(11, "Eerste", c1, k1),
        employee(13, "Tweede", c2, k2),
    ];
    store.insert_employees(a, &employees, now).await.unwrap();
    (c1, c2)
}

/// A consult sheet at employer A for `contract` only.
async fn consult_scope(
    store: &Store,
    a: i64,
    user: i64,
    contract: i64,
    now: DateTime<Utc>,
) -> Scope {
    scope(store, (a, A), user, Rights::Consult, Some(&[contract]), now).await
}

/// The ids of "Eerste" and "Tweede", as `master` lists them.
async fn employee_ids(store: &Store, master: &Scope) -> (i64, i64) {
    let query = EmployeeListQuery {
        search: None,
        status: StatusFilter::All,
        filters: Default::default(),
        sort: SortOrder::Name,
        cursor: ListCursor::First,
    };
    let rows = store.list_employees(master, &query).await.unwrap().rows;
    let id_of = |name: &str| rows.iter().find(|r| r.last_name == name).unwrap().id;
    (id_of("Eerste"), id_of("Tweede"))
}

/// Builds the set-up of [`QueueFixture`].
pub async fn queue_fixture(store: &Store, now: DateTime<Utc>) -> QueueFixture {
    let a = store.insert_employer(&employer(A), now).await.unwrap();
    let b = store.insert_employer(&employer(B), now).await.unwrap();
    let (c1, c2) = contracts_with_employees(store, a, now).await;
    let master_user = user(store, "master@a.test", now).await;
    let consult_c1_user = user(store, "c1@a.test", now).await;
    let consult_c2_user = user(store, "c2@a.test", now).await;
    let master_b_user = user(store, "master@b.test", now).await;
    let master = scope(store, (a, A), master_user, Rights::Master, None, now).await;
    let consult_c1 = consult_scope(store, a, consult_c1_user, c1, now).await;
    let consult_c2 = consult_scope(store, a, consult_c2_user, c2, now).await;
    let master_b = scope(store, (b, B), master_b_user, Rights::Master, None, now).await;
    let (employee_c1, employee_c2) = employee_ids(store, &master).await;
    QueueFixture {
        employer_a: a,
        employer_b: b,
        employee_c1,
        employee_c2,
        master,
        consult_c1,
        consult_c2,
        master_b,
        master_user,
        consult_c1_user,
    }
}

/// A download request of "Overzicht verzekerden", with `payload` as its JSON.
pub fn download(payload: &str) -> NewAction {
    NewAction {
        kind: ActionKind::InsuredOverviewDownload,
        description: "Aangevraagd op 03/03/2025".to_owned(),
        employee_id: None,
        payload: payload.to_owned(),
        effective_date: None,
    }
}
