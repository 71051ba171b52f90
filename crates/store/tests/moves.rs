//! "Verplaatsen naar andere categorie" on both engines: the old affiliation ends the day
//! before, the new one takes the salaries, the premiums follow (with reason 40 for months
//! already billed), and everything the scope or the rules forbid leaves the data untouched.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod premium_fixture;

use ebdesk_domain::{ActionKind, AffiliationStatus};
use ebdesk_store::{
    ActionFilter, Actor, CategoryMoveDone, CategoryMoveRequest, IssueNotice, Scope,
};
use premium_fixture::*;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

/// What a move answered, to compare: "ok", the refusal's key, "forbidden" or "not-found".
fn outcome(result: &Result<CategoryMoveDone, StoreError>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(StoreError::Refused(code)) => (*code).to_owned(),
        Err(StoreError::Forbidden) => "forbidden".to_owned(),
        Err(StoreError::NotFound) => "not-found".to_owned(),
        Err(other) => format!("{other:?}"),
    }
}

fn request(
    employee_id: i64,
    affiliation_id: i64,
    category_id: i64,
    from: NaiveDate,
) -> CategoryMoveRequest {
    CategoryMoveRequest {
        employee_id,
        affiliation_id,
        category_id,
        from,
        reported_on: date(2026, 11, 25),
        description: "Naar Kaderleden".to_owned(),
    }
}

async fn move_to(
    s: &Store,
    scope: &Scope,
    r: &CategoryMoveRequest,
) -> Result<CategoryMoveDone, StoreError> {
    s.move_category(scope, r, &Actor::default(), at(2026, 11, 25))
        .await
}

/// Issues `month` at `now`, without notice; whether it was new.
async fn issue(s: &Store, f: &Fixture, month: Month, now: DateTime<Utc>) -> bool {
    let (notice, actor) = (IssueNotice::default(), Actor::default());
    let issued = s.issue_statement(f.employer, month, &notice, &actor, now);
    issued.await.unwrap().newly_issued
}

store_test!(
    a_move_ends_the_affiliation_and_the_premiums_follow_the_new_category,
    |db| {
        let s = &db.store;
        let f = priced(s).await;
        let november = Month::new(2026, 11).unwrap();
        assert!(issue(s, &f, november, at(2026, 11, 15)).await);
        // A raise already known for January follows too.
        let january = [salary(f.affiliations[0], date(2027, 1, 1), 50_000, 10_000)];
        s.insert_salaries(f.employer, &january, t0()).await.unwrap();

        // After November was billed: Bedienden becomes Kaderleden from 16 November.
        let employee = employee_in(s, &f, "Bedienden").await;
        let r = request(employee, f.affiliations[0], f.kader, date(2026, 11, 16));
        let done = move_to(s, f.master.scope(), &r).await.unwrap();
        assert!(!done.late);

        let detail = s
            .find_employee(f.master.scope(), employee)
            .await
            .unwrap()
            .unwrap();
        let old = detail
            .affiliations
            .iter()
            .find(|a| a.id == f.affiliations[0])
            .unwrap();
        assert_eq!(old.status, AffiliationStatus::Passive);
        assert_eq!(old.end_date, Some(date(2026, 11, 15)));
        assert_eq!(old.exit_reason.as_deref(), Some("category_change"));
        let new = detail
            .affiliations
            .iter()
            .find(|a| a.id == done.affiliation_id)
            .unwrap();
        assert_eq!(
            (new.status, new.category_name.as_str()),
            (AffiliationStatus::Active, "Kaderleden")
        );
        assert_eq!(new.affiliation_start, date(2026, 11, 16));
        assert_eq!(new.employment_start, old.employment_start);
        let salaries: Vec<(NaiveDate, i64)> = s
            .list_affiliation_salaries(f.master.scope(), done.affiliation_id)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.salary.from, r.salary.annual.0))
            .collect();
        assert_eq!(
            salaries,
            [
                (date(2026, 11, 16), 4_800_000),
                (date(2027, 1, 1), 5_000_000)
            ]
        );

        // The action and the employee's history.
        let history = s
            .list_employee_history(f.master.scope(), employee)
            .await
            .unwrap();
        assert_eq!(history[0].kind, ActionKind::CategoryMove);
        assert_eq!(history[0].details["previous_category"], "Bedienden");
        let filter = ActionFilter::recent(at(2026, 11, 25));
        let actions = s.list_actions(f.master.scope(), &filter).await.unwrap();
        assert!(actions.rows.iter().any(|a| a.id == done.action_id));

        // December: November regularised with reason 40 (15 days at 200,00 € back, 15 days at
        // 3 % of 48 000 € = 120,00 € a month), December at the new category.
        let december = Month::new(2026, 12).unwrap();
        assert!(issue(s, &f, december, at(2026, 12, 15)).await);
        let header = s.find_statement(f.master.scope(), december, date(2026, 12, 16));
        let header = header.await.unwrap().unwrap();
        let (sender, mut receiver) = tokio::sync::mpsc::channel(16);
        let streamed = s.stream_statement_lines(f.master.scope(), header.id, sender);
        let collect = async {
            let mut all = Vec::new();
            while let Some(line) = receiver.recv().await {
                all.push(line);
            }
            all
        };
        let (sent, lines) = tokio::join!(streamed, collect);
        sent.unwrap();
        let mut moved: Vec<(String, Month, i64, i32, Option<&str>)> = lines
            .iter()
            .filter(|l| l.name == "Naam1, Test")
            .map(|l| {
                (
                    l.category.clone(),
                    l.month,
                    l.premium.0,
                    l.days,
                    l.reason.map(|r| r.code()),
                )
            })
            .collect();
        moved.sort();
        assert_eq!(
            moved,
            [
                ("Bedienden".to_owned(), november, -10_000, -15, Some("40")),
                ("Kaderleden".to_owned(), november, 6_000, 15, Some("40")),
                ("Kaderleden".to_owned(), december, 12_000, 31, None),
            ]
        );
        db.cleanup().await;
    }
);

store_test!(a_refused_move_changes_nothing, |db| {
    let s = &db.store;
    let f = priced(s).await;
    let employee = employee_in(s, &f, "Bedienden").await;
    let from = date(2026, 12, 1);
    let cases = [
        (
            request(employee, f.affiliations[0], f.bedienden, from),
            "move-same-category",
        ),
        // Arbeiders is a category of the other contract; the other one of employer B.
        (
            request(employee, f.affiliations[0], f.arbeiders, from),
            "category-not-of-contract",
        ),
        (
            request(employee, f.affiliations[0], f.other_category, from),
            "category-not-of-contract",
        ),
        (
            request(employee, f.affiliations[0], f.kader, date(2020, 1, 1)),
            "move-not-after-start",
        ),
        (
            request(employee, f.affiliations[0], f.kader, date(2028, 1, 1)),
            "move-too-far-ahead",
        ),
    ];
    for (r, code) in &cases {
        assert_eq!(outcome(&move_to(s, f.master.scope(), r).await), *code);
    }
    // Consult rights change nothing, whatever the caller checked.
    let r = request(employee, f.affiliations[0], f.kader, from);
    assert_eq!(
        outcome(&move_to(s, f.restricted.scope(), &r).await),
        "forbidden"
    );
    // Another employer's affiliation, or one of another employee, is not there.
    let theirs = request(employee, f.other_affiliation, f.kader, from);
    assert_eq!(
        outcome(&move_to(s, f.master.scope(), &theirs).await),
        "not-found"
    );
    let b = request(employee, f.other_affiliation, f.other_category, from);
    assert_eq!(
        outcome(&move_to(s, f.master_b.scope(), &b).await),
        "not-found"
    );
    let wrong_employee = request(employee, f.affiliations[1], f.bedienden, from);
    assert_eq!(
        outcome(&move_to(s, f.master.scope(), &wrong_employee).await),
        "not-found"
    );

    let detail = s
        .find_employee(f.master.scope(), employee)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail.affiliations.len(), 1);
    assert_eq!(detail.affiliations[0].status, AffiliationStatus::Active);
    assert!(
        s.list_employee_history(f.master.scope(), employee)
            .await
            .unwrap()
            .is_empty()
    );
    db.cleanup().await;
});

store_test!(two_moves_of_one_affiliation_at_once_make_one, |db| {
    let s = &db.store;
    let f = priced(s).await;
    let employee = employee_in(s, &f, "Bedienden").await;
    let one = request(employee, f.affiliations[0], f.kader, date(2026, 12, 1));
    let two = request(employee, f.affiliations[0], f.kader, date(2026, 12, 2));
    let (a, b) = tokio::join!(
        move_to(s, f.master.scope(), &one),
        move_to(s, f.master.scope(), &two)
    );
    let mut outcomes = [outcome(&a), outcome(&b)];
    outcomes.sort();
    assert_eq!(outcomes, ["move-affiliation-ended", "ok"]);
    let detail = s
        .find_employee(f.master.scope(), employee)
        .await
        .unwrap()
        .unwrap();
    let active = detail
        .affiliations
        .iter()
        .filter(|a| a.end_date.is_none())
        .count();
    assert_eq!((detail.affiliations.len(), active), (2, 1));
    db.cleanup().await;
});
