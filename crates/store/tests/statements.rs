//! Premium statements: issued once per employer and month however many callers race, read
//! inside the scope, regularising late changes on the next one, never changed once issued.
//! Every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod premium_fixture;

use ebdesk_domain::premium::StructuredCommunication;
use ebdesk_domain::{ActionKind, ExitReason};
use ebdesk_store::{
    ActionFilter, Actor, ChargeStatus, Engine, ExitOutcome, ExitRequest, ExitTarget, IssueNotice,
    NewAction, NewPayment, OutboxFilter, OutgoingMail, PaymentResult, StatementHeader,
};
use premium_fixture::*;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

fn month(y: i32, m: u32) -> Month {
    Month::new(y, m).unwrap()
}

fn notice(month: Month) -> IssueNotice {
    IssueNotice {
        mail: Some(OutgoingMail {
            to: "lijst@werkgever.test".to_owned(),
            subject: "ebdesk: premiebordereel".to_owned(),
            body: "Beschikbaar".to_owned(),
        }),
        master_action: Some(NewAction {
            kind: ActionKind::PremiumStatement,
            description: "Maand".to_owned(),
            employee_id: None,
            payload: format!(r#"{{"month":"{}"}}"#, month.key()),
            effective_date: None,
        }),
    }
}

async fn issue(s: &Store, f: &Fixture, m: Month, now: DateTime<Utc>) -> bool {
    let (notice, actor) = (notice(m), Actor::default());
    let done = s.issue_statement(f.employer, m, &notice, &actor, now);
    done.await.unwrap().newly_issued
}

async fn statement(s: &Store, a: &Access, m: Month, today: NaiveDate) -> StatementHeader {
    s.find_statement(a.scope(), m, today)
        .await
        .unwrap()
        .unwrap()
}

async fn lines(s: &Store, a: &Access, id: i64) -> Vec<ebdesk_domain::premium::StatementLine> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel(16);
    let collect = async {
        let mut all = Vec::new();
        while let Some(line) = receiver.recv().await {
            all.push(line);
        }
        all
    };
    let (sent, all) = tokio::join!(s.stream_statement_lines(a.scope(), id, sender), collect);
    assert_eq!(sent.unwrap(), all.len());
    all
}

store_test!(a_month_is_issued_once_when_callers_race, |db| {
    let s = &db.store;
    let f = priced(s).await;
    let november = month(2026, 11);
    let now = at(2026, 11, 15);
    let (one, two, three) = tokio::join!(
        issue(s, &f, november, now),
        issue(s, &f, november, now),
        issue(s, &f, november, now)
    );
    assert_eq!([one, two, three].iter().filter(|new| **new).count(), 1);
    // The scheduler again, the next day: nothing new.
    assert!(!issue(s, &f, november, now + Duration::days(1)).await);

    let header = statement(s, &f.master, november, date(2026, 11, 20)).await;
    assert_eq!(header.total_cents, 20_000 + 27_333 + 9_000);
    assert_eq!(header.line_count, 3);
    assert_eq!(header.due_date, date(2026, 11, 30));
    assert_eq!(header.charges.len(), 2, "one charge per contract");
    assert_eq!(header.charges[0].amount_cents, 47_333);
    assert_eq!(header.charges[1].amount_cents, 9_000);
    for charge in &header.charges {
        let read = StructuredCommunication::parse(&charge.communication).unwrap();
        assert_eq!(read.number(), u64::try_from(charge.id).unwrap());
        assert_eq!(charge.status, ChargeStatus::Open);
    }
    let late = statement(s, &f.master, november, date(2026, 12, 1)).await;
    assert_eq!(late.charges[0].status, ChargeStatus::Late);

    // One action for the master, one e-mail to the notification address.
    let actions = s
        .list_actions(f.master.scope(), &ActionFilter::recent(now))
        .await
        .unwrap();
    let kinds: Vec<ActionKind> = actions.rows.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [ActionKind::PremiumStatement]);
    let filter = OutboxFilter {
        to: Some("lijst@werkgever.test".to_owned()),
        ..OutboxFilter::default()
    };
    assert_eq!(s.list_outbox(&filter).await.unwrap().rows.len(), 1);
    db.cleanup().await;
});

store_test!(a_statement_is_read_inside_the_scope_only, |db| {
    let s = &db.store;
    let f = priced(s).await;
    let november = month(2026, 11);
    assert!(issue(s, &f, november, at(2026, 11, 15)).await);
    let today = date(2026, 11, 20);

    let all = statement(s, &f.master, november, today).await;
    let names: Vec<String> = lines(s, &f.master, all.id)
        .await
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["Naam1, Test", "Naam2, Test", "Naam3, Test"]);

    // The consult user of contract 1: its two categories, its charge, its lines.
    let mine = statement(s, &f.restricted, november, today).await;
    assert_eq!(mine.total_cents, 47_333);
    let categories: Vec<&str> = mine
        .subtotals
        .iter()
        .map(|t| t.category_name.as_str())
        .collect();
    assert_eq!(categories, ["Bedienden", "Kaderleden"]);
    assert_eq!(mine.charges.len(), 1);
    let seen = lines(s, &f.restricted, all.id).await;
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|l| l.contract == "530/000101"));

    // Employer B has no statement; its master cannot read A's lines by id.
    assert!(
        s.find_statement(f.master_b.scope(), november, today)
            .await
            .unwrap()
            .is_none()
    );
    assert!(lines(s, &f.master_b, all.id).await.is_empty());
    db.cleanup().await;
});

store_test!(late_changes_are_regularised_on_the_next_statement, |db| {
    let s = &db.store;
    let f = priced(s).await;
    let (november, december) = (month(2026, 11), month(2026, 12));
    assert!(issue(s, &f, november, at(2026, 11, 15)).await);

    // After November was billed: Arbeiders leaves on the 20th, Bedienden earns 60 000 €
    // from 1 November.
    let entries = s.list_insured_rows(f.master.scope()).await.unwrap();
    let arbeider = entries
        .iter()
        .find(|e| e.row.category == "Arbeiders")
        .unwrap();
    let exit = ExitRequest {
        targets: vec![ExitTarget {
            employee_id: arbeider.employee_id,
            affiliation_ids: None,
        }],
        end_date: date(2026, 11, 20),
        reason: ExitReason::EndOfContract,
        reported_on: date(2026, 11, 25),
        description: "Tot en met".to_owned(),
    };
    let later = at(2026, 11, 25);
    let actor = Actor::default();
    let done = s.exit_employees(f.master.scope(), &exit, &actor, later);
    assert!(matches!(done.await.unwrap(), ExitOutcome::Done(_)));
    let raise = [salary(f.affiliations[0], date(2026, 11, 1), 60_000, 10_000)];
    s.insert_salaries(f.employer, &raise, later).await.unwrap();

    assert!(issue(s, &f, december, at(2026, 12, 15)).await);
    let header = statement(s, &f.master, december, date(2026, 12, 16)).await;
    let dec = lines(s, &f.master, header.id).await;
    let summary: Vec<(String, Month, i64, i32, Option<&str>)> = dec
        .iter()
        .map(|l| {
            (
                l.name.clone(),
                l.month,
                l.premium.0,
                l.days,
                l.reason.map(|r| r.code()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Naam1, Test".to_owned(), november, 5_000, 0, Some("25")),
            ("Naam1, Test".to_owned(), december, 25_000, 31, None),
            ("Naam2, Test".to_owned(), december, 27_333, 31, None),
            ("Naam3, Test".to_owned(), november, -3_000, -10, Some("30")),
        ]
    );
    assert_eq!(header.total_cents, 5_000 + 25_000 + 27_333 - 3_000);
    // November's statement still says what it said.
    let before = statement(s, &f.master, november, date(2026, 12, 16)).await;
    assert_eq!(before.total_cents, 56_333);

    // Nothing changed since: January has no regularisation.
    assert!(issue(s, &f, month(2027, 1), at(2027, 1, 15)).await);
    let january = statement(s, &f.master, month(2027, 1), date(2027, 1, 16)).await;
    assert_eq!(january.total_cents, 25_000 + 27_333);
    assert_eq!(january.line_count, 2);
    db.cleanup().await;
});

store_test!(issued_lines_can_be_neither_changed_nor_deleted, |db| {
    let s = &db.store;
    let f = priced(s).await;
    assert!(issue(s, &f, month(2026, 11), at(2026, 11, 15)).await);
    let update = "UPDATE premium_statement_lines SET premium_cents = 0";
    let delete = "DELETE FROM premium_statement_lines";
    for sql in [update, delete] {
        let refused = match db.engine() {
            Engine::Sqlite => {
                use sqlx::Connection;
                let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.is_err()
            }
            Engine::Postgres => {
                use sqlx::Connection;
                let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.is_err()
            }
        };
        assert!(refused, "{sql}");
    }
    let header = statement(s, &f.master, month(2026, 11), date(2026, 11, 20)).await;
    assert_eq!(header.total_cents, 56_333);
    assert_eq!(lines(s, &f.master, header.id).await.len(), 3);
    db.cleanup().await;
});

store_test!(
    payments_count_once_and_late_charges_are_reminded_once,
    |db| {
        let s = &db.store;
        let f = priced(s).await;
        let november = month(2026, 11);
        assert!(issue(s, &f, november, at(2026, 11, 15)).await);
        let header = statement(s, &f.master, november, date(2026, 12, 20)).await;
        let (bedienden, arbeiders) = (&header.charges[0], &header.charges[1]);
        let operator = user(s, "beheer@ebdesk.test").await;
        let actor = Actor {
            user_id: Some(operator),
            ip: None,
        };
        let paid = |charge_id: i64, cents: i64, reference: &str| NewPayment {
            charge_id,
            amount: Cents(cents),
            paid_on: date(2026, 11, 28),
            bank_reference: reference.to_owned(),
        };
        let payments = [
            paid(arbeiders.id, arbeiders.amount_cents, "B-1"),
            paid(arbeiders.id, arbeiders.amount_cents, "B-1"),
            paid(999_999, 100, "B-2"),
        ];
        let now = at(2026, 11, 28);
        let results = s.record_payments(&payments, &actor, now).await.unwrap();
        assert_eq!(
            results,
            [
                PaymentResult::Recorded,
                PaymentResult::AlreadyRecorded,
                PaymentResult::UnknownCharge
            ]
        );
        // The same file again: nothing more.
        let again = s
            .record_payments(&payments[..1], &actor, now)
            .await
            .unwrap();
        assert_eq!(again, [PaymentResult::AlreadyRecorded]);
        let after = statement(s, &f.master, november, date(2026, 12, 20)).await;
        assert_eq!(after.charges[1].status, ChargeStatus::Paid);
        assert_eq!(after.charges[1].paid_cents, arbeiders.amount_cents);
        assert_eq!(after.charges[0].status, ChargeStatus::Late);

        // Fifteen days after the due date, the unpaid charge only; reminded once by two nodes.
        let due = s.list_charges_to_remind(date(2026, 12, 15)).await.unwrap();
        assert_eq!(
            due.iter().map(|c| c.charge_id).collect::<Vec<_>>(),
            [bedienden.id]
        );
        assert!(
            s.list_charges_to_remind(date(2026, 11, 30))
                .await
                .unwrap()
                .is_empty()
        );
        let mail = || OutgoingMail {
            to: "lijst@werkgever.test".to_owned(),
            subject: "Herinnering".to_owned(),
            body: "Nog te betalen".to_owned(),
        };
        let later = at(2026, 12, 16);
        let (one, two) = tokio::join!(
            s.remind_charge(bedienden.id, mail(), later),
            s.remind_charge(bedienden.id, mail(), later)
        );
        assert_eq!(
            [one.unwrap(), two.unwrap()].iter().filter(|r| **r).count(),
            1
        );
        assert!(
            s.list_charges_to_remind(date(2026, 12, 15))
                .await
                .unwrap()
                .is_empty()
        );
        let filter = OutboxFilter {
            to: Some("lijst@werkgever.test".to_owned()),
            ..OutboxFilter::default()
        };
        let subjects: Vec<String> = s
            .list_outbox(&filter)
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.subject)
            .collect();
        assert_eq!(subjects.iter().filter(|s| *s == "Herinnering").count(), 1);

        // Without an operator, nothing is recorded.
        let nobody = s
            .record_payments(&payments[..1], &Actor::default(), now)
            .await;
        assert!(matches!(nobody, Err(StoreError::Forbidden)));
        db.cleanup().await;
    }
);

store_test!(a_plan_rule_added_late_is_regularised_with_reason_50, |db| {
    let s = &db.store;
    let f = priced(s).await;
    let (november, december) = (month(2026, 11), month(2026, 12));
    assert!(issue(s, &f, november, at(2026, 11, 15)).await);

    // After November was billed, the operator raises Arbeiders from 3 % to 4 % from
    // 1 November: 36 000 € now costs 120,00 € a month instead of 90,00 €.
    let four = PlanRule::Flat { rate: Rate(40_000) };
    let operator = user(s, "beheer@ebdesk.test").await;
    let actor = Actor {
        user_id: Some(operator),
        ip: None,
    };
    let new = rule(f.arbeiders, date(2026, 11, 1), four);
    s.add_plan_rule(f.employer, &new, &actor, at(2026, 11, 20))
        .await
        .unwrap();

    assert!(issue(s, &f, december, at(2026, 12, 15)).await);
    let header = statement(s, &f.master, december, date(2026, 12, 16)).await;
    let dec = lines(s, &f.master, header.id).await;
    let summary: Vec<(String, Month, i64, i32, Option<&str>)> = dec
        .iter()
        .map(|l| {
            let reason = l.reason.map(|r| r.code());
            (l.name.clone(), l.month, l.premium.0, l.days, reason)
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Naam1, Test".to_owned(), december, 20_000, 31, None),
            ("Naam2, Test".to_owned(), december, 27_333, 31, None),
            ("Naam3, Test".to_owned(), november, 3_000, 0, Some("50")),
            ("Naam3, Test".to_owned(), december, 12_000, 31, None),
        ]
    );
    // November's statement still says what it said; January has nothing to correct.
    let before = statement(s, &f.master, november, date(2026, 12, 16)).await;
    assert_eq!(before.total_cents, 20_000 + 27_333 + 9_000);
    assert!(issue(s, &f, month(2027, 1), at(2027, 1, 15)).await);
    let january = statement(s, &f.master, month(2027, 1), date(2027, 1, 16)).await;
    assert_eq!(january.total_cents, 20_000 + 27_333 + 12_000);
    db.cleanup().await;
});
