//! The premium tests' employers: A with two contracts and three categories, one affiliate
//! in each, B with one; a master, a consult user of contract 1 and B's master.

#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

pub use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
pub use ebdesk_domain::premium::{
    Cents, Fraction, Month, PlanRule, Rate, RuleFrom, SalaryFrom, premium_for_month,
};
pub use ebdesk_domain::{AffiliationStatus, Gender, Language, NationalNumber, Rights};
pub use ebdesk_store::{
    Access, NewAffiliation, NewEmployee, NewEmployer, NewPlanRule, NewSalary, NewUser, Store,
    StoreError, store_test,
};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub const FIVE_PERCENT: PlanRule = PlanRule::Flat { rate: Rate(50_000) };
pub const KADER: PlanRule = PlanRule::TwoTier {
    low: Rate(30_000),
    high: Rate(100_000),
    threshold: Cents(7_000_000),
};

pub struct Fixture {
    pub employer: i64,
    /// Contract 1: Bedienden, Kaderleden; contract 2: Arbeiders.
    pub bedienden: i64,
    pub kader: i64,
    pub arbeiders: i64,
    /// Employer B's one category.
    pub other_category: i64,
    /// The affiliations of A: one per category, in the order above.
    pub affiliations: Vec<i64>,
    /// B's one affiliation.
    pub other_affiliation: i64,
    pub master: Access,
    /// Consult, restricted to contract 1.
    pub restricted: Access,
    pub master_b: Access,
}

pub fn employer(number: &str) -> NewEmployer {
    NewEmployer {
        number: number.to_owned(),
        name: format!("Werkgever {number}"),
        kbo_number: "0403170701".to_owned(),
        street: "Straat 1".to_owned(),
        postal_code: "1000".to_owned(),
        city: "Brussel".to_owned(),
        notification_email: "lijst@werkgever.test".to_owned(),
    }
}

pub fn employee(i: u16, contract: i64, category: i64) -> NewEmployee {
    let birth = date(1980, 1, 1) + Duration::days(i64::from(i));
    NewEmployee {
        national_number: NationalNumber::from_birth_date(birth, 2 * i + 1).unwrap(),
        employee_number: Some(format!("{}", 100 + i)),
        last_name: format!("Naam{i}"),
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

pub async fn user(store: &Store, email: &str) -> i64 {
    let user = NewUser {
        email: email.to_owned(),
        display_name: email.to_owned(),
        password_hash: None,
        language: Language::Dutch,
        is_operator: false,
    };
    store.insert_user(&user, t0()).await.unwrap()
}

pub async fn access(store: &Store, user_id: i64, number: &str) -> Access {
    store
        .find_access(user_id, number, t0().date_naive())
        .await
        .unwrap()
        .unwrap()
}

/// The ids of the employer's affiliations, one per category of `categories`, in that order.
pub async fn affiliation_ids(store: &Store, employer_id: i64, categories: &[i64]) -> Vec<i64> {
    let keys = store.list_affiliation_keys(employer_id, 0, 100);
    let keys = keys.await.unwrap();
    let of = |category| keys.iter().find(|k| k.category_id == category).unwrap().id;
    categories.iter().map(|c| of(*c)).collect()
}

pub async fn fixture(s: &Store) -> Fixture {
    let a = s.insert_employer(&employer("530-101"), t0()).await.unwrap();
    let b = s.insert_employer(&employer("530-202"), t0()).await.unwrap();
    let c1 = s
        .insert_contract(a, "530/000101", "Bedienden")
        .await
        .unwrap();
    let c2 = s
        .insert_contract(a, "530/000102", "Arbeiders")
        .await
        .unwrap();
    let cb = s
        .insert_contract(b, "530/000201", "Personeel")
        .await
        .unwrap();
    let bedienden = s.insert_category(a, c1, "Bedienden").await.unwrap();
    let kader = s.insert_category(a, c1, "Kaderleden").await.unwrap();
    let arbeiders = s.insert_category(a, c2, "Arbeiders").await.unwrap();
    let other_category = s.insert_category(b, cb, "Zorgpersoneel").await.unwrap();
    let people = [
        employee(1, c1, bedienden),
        employee(2, c1, kader),
        employee(3, c2, arbeiders),
    ];
    s.insert_employees(a, &people, t0()).await.unwrap();
    s.insert_employees(b, &[employee(4, cb, other_category)], t0())
        .await
        .unwrap();
    let (master, consult, master_b) = (
        user(s, "master@a.test").await,
        user(s, "consult@a.test").await,
        user(s, "master@b.test").await,
    );
    s.insert_sheet(a, master, Rights::Master, None, None, t0())
        .await
        .unwrap();
    s.insert_sheet(a, consult, Rights::Consult, Some(&[c1]), None, t0())
        .await
        .unwrap();
    s.insert_sheet(b, master_b, Rights::Master, None, None, t0())
        .await
        .unwrap();
    Fixture {
        employer: a,
        bedienden,
        kader,
        arbeiders,
        other_category,
        affiliations: affiliation_ids(s, a, &[bedienden, kader, arbeiders]).await,
        other_affiliation: affiliation_ids(s, b, &[other_category]).await[0],
        master: access(s, master, "530-101").await,
        restricted: access(s, consult, "530-101").await,
        master_b: access(s, master_b, "530-202").await,
    }
}

pub fn rule(category_id: i64, from: NaiveDate, rule: PlanRule) -> NewPlanRule {
    NewPlanRule {
        category_id,
        rule: RuleFrom { from, rule },
    }
}

pub fn salary(affiliation_id: i64, from: NaiveDate, euros: i64, fraction: u16) -> NewSalary {
    NewSalary {
        affiliation_id,
        salary: SalaryFrom {
            from,
            annual: Cents(euros * 100),
            fraction: Fraction::new(fraction).unwrap(),
        },
    }
}

pub async fn load_rules(s: &Store, f: &Fixture) {
    let three = PlanRule::Flat { rate: Rate(30_000) };
    for new in [
        rule(
            f.bedienden,
            date(2020, 1, 1),
            PlanRule::Flat { rate: Rate(40_000) },
        ),
        rule(f.bedienden, date(2026, 1, 1), FIVE_PERCENT),
        rule(f.kader, date(2020, 1, 1), KADER),
        rule(f.arbeiders, date(2020, 1, 1), three),
    ] {
        s.insert_plan_rule(f.employer, &new).await.unwrap();
    }
}

/// A with its rules and salaries: Bedienden 48 000 € at 5 % (200,00 € a month), Kaderleden
/// 90 000 € at 80 % on the two-tier rule (273,33 €), Arbeiders 36 000 € at 3 % (90,00 €).
pub async fn priced(s: &Store) -> Fixture {
    let f = fixture(s).await;
    load_rules(s, &f).await;
    let salaries = [
        salary(f.affiliations[0], date(2020, 1, 1), 48_000, 10_000),
        salary(f.affiliations[1], date(2020, 1, 1), 90_000, 8_000),
        salary(f.affiliations[2], date(2020, 1, 1), 36_000, 10_000),
    ];
    s.insert_salaries(f.employer, &salaries, t0())
        .await
        .unwrap();
    f
}

/// The employee of employer A affiliated in `category` (one per category).
pub async fn employee_in(s: &Store, f: &Fixture, category: &str) -> i64 {
    let rows = s.list_insured_rows(f.master.scope()).await.unwrap();
    rows.iter()
        .find(|r| r.row.category == category)
        .unwrap()
        .employee_id
}
