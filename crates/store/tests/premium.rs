//! Plan rules and salaries: stored per period, read only inside the scope, and fed to the
//! premium engine. Every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod premium_fixture;

use premium_fixture::*;

store_test!(rules_are_read_per_category_inside_the_scope_only, |db| {
    let s = &db.store;
    let f = fixture(s).await;
    load_rules(s, &f).await;
    let b = rule(f.other_category, date(2020, 1, 1), FIVE_PERCENT);
    s.insert_plan_rule(f.master_b.employer().id, &b)
        .await
        .unwrap();

    let all = s.list_category_rules(f.master.scope()).await.unwrap();
    let names: Vec<&str> = all.iter().map(|c| c.category.name.as_str()).collect();
    assert_eq!(names, ["Bedienden", "Kaderleden", "Arbeiders"]);
    let bedienden = &all[0];
    assert_eq!(bedienden.rules.len(), 2);
    assert_eq!(bedienden.rules[0].from, date(2020, 1, 1));
    assert_eq!(
        bedienden.in_force(date(2026, 3, 2)).unwrap().rule,
        FIVE_PERCENT
    );
    assert_eq!(
        bedienden.in_force(date(2025, 12, 31)).unwrap().rule,
        PlanRule::Flat { rate: Rate(40_000) }
    );
    assert!(bedienden.in_force(date(2019, 12, 31)).is_none());
    assert_eq!(all[1].rules[0].rule, KADER);

    // The consult user of contract 1 sees its two categories, not Arbeiders.
    let restricted = s.list_category_rules(f.restricted.scope()).await.unwrap();
    let names: Vec<&str> = restricted
        .iter()
        .map(|c| c.category.name.as_str())
        .collect();
    assert_eq!(names, ["Bedienden", "Kaderleden"]);

    // B sees only its own.
    let other = s.list_category_rules(f.master_b.scope()).await.unwrap();
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].category.id, f.other_category);
    db.cleanup().await;
});

store_test!(
    a_rule_is_one_per_category_and_day_and_of_its_own_employer,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        load_rules(s, &f).await;
        let again = s
            .insert_plan_rule(f.employer, &rule(f.bedienden, date(2026, 1, 1), KADER))
            .await;
        assert!(matches!(again, Err(StoreError::Duplicate)), "{again:?}");
        // Another employer's category: its composite foreign key refuses it.
        let foreign = rule(f.other_category, date(2021, 1, 1), KADER);
        assert!(s.insert_plan_rule(f.employer, &foreign).await.is_err());
        // A salary of another employer's affiliation likewise.
        let foreign = salary(f.other_affiliation, date(2026, 1, 1), 40_000, 10_000);
        assert!(
            s.insert_salaries(f.employer, &[foreign], t0())
                .await
                .is_err()
        );
        db.cleanup().await;
    }
);

store_test!(
    salaries_keep_their_history_and_stay_inside_the_scope,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let (bediende, arbeider) = (f.affiliations[0], f.affiliations[2]);
        let salaries = [
            salary(bediende, date(2026, 3, 16), 60_000, 10_000),
            salary(bediende, date(2026, 1, 1), 48_000, 10_000),
            salary(arbeider, date(2025, 1, 1), 36_000, 8_000),
        ];
        let loaded = s.insert_salaries(f.employer, &salaries, t0()).await;
        assert_eq!(loaded.unwrap(), 3);
        let history = s.list_affiliation_salaries(f.master.scope(), bediende);
        let history = history.await.unwrap();
        let periods: Vec<(NaiveDate, i64)> = history
            .iter()
            .map(|r| (r.salary.from, r.salary.annual.0))
            .collect();
        assert_eq!(
            periods,
            [
                (date(2026, 1, 1), 4_800_000),
                (date(2026, 3, 16), 6_000_000)
            ]
        );
        assert_eq!(history[0].recorded_at, t0());
        let part_time = s.list_affiliation_salaries(f.master.scope(), arbeider);
        let part_time = part_time.await.unwrap();
        assert_eq!(part_time[0].salary.fraction.ten_thousandths(), 8_000);

        // Contract 2 lies outside the restricted scope; A's affiliations outside B's.
        let hidden = s.list_affiliation_salaries(f.restricted.scope(), arbeider);
        assert!(hidden.await.unwrap().is_empty());
        let hidden = s.list_affiliation_salaries(f.master_b.scope(), bediende);
        assert!(hidden.await.unwrap().is_empty());
        let seen = s.list_affiliation_salaries(f.restricted.scope(), bediende);
        assert_eq!(seen.await.unwrap().len(), 2);
        let again = salary(bediende, date(2026, 1, 1), 1, 10_000);
        let duplicate = s.insert_salaries(f.employer, &[again], t0()).await;
        assert!(
            matches!(duplicate, Err(StoreError::Duplicate)),
            "{duplicate:?}"
        );
        db.cleanup().await;
    }
);

store_test!(affiliation_terms_give_the_engine_its_premium, |db| {
    let s = &db.store;
    let f = fixture(s).await;
    load_rules(s, &f).await;
    let (bediende, kader, arbeider) = (f.affiliations[0], f.affiliations[1], f.affiliations[2]);
    s.insert_salaries(
        f.employer,
        &[
            salary(bediende, date(2026, 1, 1), 48_000, 10_000),
            salary(bediende, date(2026, 3, 16), 60_000, 10_000),
            salary(kader, date(2020, 1, 1), 90_000, 10_000),
            salary(arbeider, date(2020, 1, 1), 36_000, 5_000),
        ],
        t0(),
    )
    .await
    .unwrap();
    let terms = |id| s.affiliation_terms(f.master.scope(), id);
    let march = Month::new(2026, 3).unwrap();

    // 5 % of 48 000 € for 15 days and of 60 000 € for 16: (15 × 200 + 16 × 250) / 31.
    let bediende_terms = terms(bediende).await.unwrap().unwrap();
    assert_eq!(bediende_terms.start, Some(date(2020, 1, 1)));
    assert_eq!(bediende_terms.end, None);
    let premium = premium_for_month(&bediende_terms, march);
    assert_eq!(premium.premium, Cents(22_581));
    assert_eq!(premium.days_unpriced, 0);
    // In 2025 the rule was 4 % but no salary was known: nothing, reported.
    let december = premium_for_month(&bediende_terms, Month::new(2025, 12).unwrap());
    assert_eq!((december.premium, december.days_unpriced), (Cents(0), 31));

    // 3 % of 70 000 € and 10 % of 20 000 €: 4 100 € a year, 341,67 € a month.
    let kader_terms = terms(kader).await.unwrap().unwrap();
    assert_eq!(
        premium_for_month(&kader_terms, march).premium,
        Cents(34_167)
    );
    // 3 % of 36 000 € at half time: 540 € a year, 45 € a month.
    let arbeider_terms = terms(arbeider).await.unwrap().unwrap();
    assert_eq!(
        premium_for_month(&arbeider_terms, march).premium,
        Cents(4_500)
    );

    // Outside the scope: nothing at all.
    let restricted = s.affiliation_terms(f.restricted.scope(), arbeider);
    assert_eq!(restricted.await.unwrap(), None);
    let other = s.affiliation_terms(f.master_b.scope(), bediende);
    assert_eq!(other.await.unwrap(), None);
    let mine = s.affiliation_terms(f.master.scope(), f.other_affiliation);
    assert_eq!(mine.await.unwrap(), None);
    db.cleanup().await;
});

/// A salary list upload of the master of A, checked and waiting for the decision.
async fn checked_salary_upload(s: &Store, f: &Fixture, now: DateTime<Utc>) -> i64 {
    let upload = ebdesk_store::NewUpload {
        kind: ebdesk_domain::ActionKind::SalaryListUpload,
        payload: r#"{"year":2026}"#,
        file_name: "salarissen.xlsx",
        content: b"PK",
    };
    let id = s
        .create_upload_of(f.master.scope(), &upload, now)
        .await
        .unwrap();
    let kinds = [ebdesk_domain::ActionKind::SalaryListUpload];
    let job = s
        .claim_next_job(
            "test",
            Some(&kinds),
            now,
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, id);
    assert_eq!(job.payload, r#"{"year":2026}"#);
    s.finish_upload_check(id, &job.lease_token, "{}", "{}", None, now)
        .await
        .unwrap();
    id
}

fn values(euros: i64, fraction: u16) -> ebdesk_domain::salary_list::SalaryValues {
    ebdesk_domain::salary_list::SalaryValues {
        annual: Cents(euros * 100),
        fraction: Fraction::new(fraction).unwrap(),
    }
}

fn salary_apply(
    valid_from: chrono::NaiveDate,
    updates: &[ebdesk_store::SalaryUpdate],
    action_id: i64,
) -> ebdesk_store::SalaryApply<'_> {
    let details = serde_json::json!({ "action_id": action_id, "year": 2026 });
    ebdesk_store::SalaryApply {
        valid_from,
        updates,
        details,
    }
}

/// A salary to write, and the one the check saw in force (euros, fraction).
fn update(
    affiliation_id: i64,
    (euros, fraction): (i64, u16),
    seen: Option<(i64, u16)>,
) -> ebdesk_store::SalaryUpdate {
    ebdesk_store::SalaryUpdate {
        affiliation_id,
        values: values(euros, fraction),
        seen: seen.map(|(euros, fraction)| values(euros, fraction)),
    }
}

store_test!(
    the_salary_list_shows_the_salary_in_force_on_the_first_of_january,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let (bediende, kader) = (f.affiliations[0], f.affiliations[1]);
        s.insert_salaries(
            f.employer,
            &[
                salary(bediende, date(2025, 1, 1), 48_000, 10_000),
                salary(bediende, date(2026, 3, 16), 60_000, 10_000),
            ],
            t0(),
        )
        .await
        .unwrap();
        let rows = s.list_salary_list_rows(f.master.scope(), date(2026, 1, 1));
        let rows = rows.await.unwrap();
        let ids: Vec<i64> = rows.iter().map(|r| r.affiliation_id).collect();
        assert_eq!(ids, f.affiliations, "by contract, category and name");
        let current = rows[0].current.unwrap();
        assert_eq!(current.annual, Cents(4_800_000), "not the March raise");
        assert_eq!(rows[1].affiliation_id, kader);
        assert!(rows[1].current.is_none());
        assert_eq!(rows[0].contract_number, "530/000101");
        // Nobody was affiliated on 1 January 2019; contract 2 is outside the restricted
        // scope; B sees only its own.
        let before = s.list_salary_list_rows(f.master.scope(), date(2019, 1, 1));
        assert!(before.await.unwrap().is_empty());
        let restricted = s.list_salary_list_rows(f.restricted.scope(), date(2026, 1, 1));
        assert_eq!(restricted.await.unwrap().len(), 2);
        let other = s.list_salary_list_rows(f.master_b.scope(), date(2026, 1, 1));
        let other = other.await.unwrap();
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].affiliation_id, f.other_affiliation);
        db.cleanup().await;
    }
);

store_test!(
    applied_salaries_are_written_once_inside_the_scope_with_an_audit_entry,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        let (bediende, kader) = (f.affiliations[0], f.affiliations[1]);
        let day = date(2026, 1, 1);
        s.insert_salaries(f.employer, &[salary(bediende, day, 48_000, 10_000)], t0())
            .await
            .unwrap();
        let actor = ebdesk_store::Actor::default();
        let later = t0() + Duration::days(1);
        let id = checked_salary_upload(s, &f, later).await;
        // B's affiliation, or a salary that changed since the check: nothing is written.
        let with_other = [
            update(bediende, (50_000, 10_000), Some((48_000, 10_000))),
            update(f.other_affiliation, (10_000, 10_000), None),
        ];
        let with_stale = [
            update(bediende, (50_000, 10_000), Some((47_000, 10_000))),
            update(kader, (90_000, 8_000), None),
        ];
        for refused in [&with_other[..], &with_stale[..]] {
            let written = s.apply_salary_upload(
                f.master.scope(),
                id,
                salary_apply(day, refused, id),
                &actor,
                later,
            );
            assert!(
                matches!(written.await, Err(StoreError::Refused("upload-stale"))),
                "stale lists are refused as a whole"
            );
            let history = s.list_affiliation_salaries(f.master.scope(), bediende);
            assert_eq!(history.await.unwrap()[0].salary.annual, Cents(4_800_000));
            let kader_history = s.list_affiliation_salaries(f.master.scope(), kader);
            assert!(kader_history.await.unwrap().is_empty());
        }
        let updates = [
            update(bediende, (50_000, 10_000), Some((48_000, 10_000))),
            update(kader, (90_000, 8_000), None),
        ];
        let written = s.apply_salary_upload(
            f.master.scope(),
            id,
            salary_apply(day, &updates, id),
            &actor,
            later,
        );
        assert_eq!(
            written.await.unwrap(),
            2,
            "the refusals left the upload ready"
        );
        let again = s.apply_salary_upload(
            f.master.scope(),
            id,
            salary_apply(day, &updates, id),
            &actor,
            later,
        );
        assert!(
            matches!(again.await, Err(StoreError::Refused("upload-not-ready"))),
            "decided once"
        );
        let history = s.list_affiliation_salaries(f.master.scope(), bediende);
        let history = history.await.unwrap();
        assert_eq!(history.len(), 1, "the same day's row is replaced");
        assert_eq!(history[0].salary.annual, Cents(5_000_000));
        assert_eq!(history[0].recorded_at, later, "re-dated for the statements");
        let other = s.list_affiliation_salaries(f.master_b.scope(), f.other_affiliation);
        assert!(other.await.unwrap().is_empty());

        // The same list again, checked against what is now in force, changes nothing, not
        // even the dates.
        let next_day = later + Duration::days(1);
        let second = checked_salary_upload(s, &f, next_day).await;
        let same = [
            update(bediende, (50_000, 10_000), Some((50_000, 10_000))),
            update(kader, (90_000, 8_000), Some((90_000, 8_000))),
        ];
        let written = s.apply_salary_upload(
            f.master.scope(),
            second,
            salary_apply(day, &same, second),
            &actor,
            next_day,
        );
        assert_eq!(written.await.unwrap(), 0);
        let history = s.list_affiliation_salaries(f.master.scope(), bediende);
        assert_eq!(history.await.unwrap()[0].recorded_at, later);
        let kader_history = s.list_affiliation_salaries(f.master.scope(), kader);
        let kader_history = kader_history.await.unwrap();
        assert_eq!(kader_history[0].salary.fraction.ten_thousandths(), 8_000);
        assert_eq!(kader_history[0].salary.from, day);
        db.cleanup().await;
    }
);

store_test!(
    the_operator_adds_categories_and_rules_of_the_employer_only,
    |db| {
        let s = &db.store;
        let f = fixture(s).await;
        load_rules(s, &f).await;
        let operator = ebdesk_store::Actor::default();
        let contracts = s.list_employer_contracts(f.employer).await.unwrap();
        let other = s.list_employer_contracts(f.master_b.employer().id);
        let other_contract = other.await.unwrap()[0].id;
        let category = |contract_id: i64, name: &str| ebdesk_store::NewCategory {
            contract_id,
            name: name.to_owned(),
        };

        let new = category(contracts[0].id, "Directie");
        let directie = s.add_category(f.employer, &new, &operator, t0());
        let directie = directie.await.unwrap();
        for (new, code) in [
            (category(contracts[0].id, "Directie"), "category-name-taken"),
            (
                category(other_contract, "Directie"),
                "category-contract-unknown",
            ),
        ] {
            let refused = s.add_category(f.employer, &new, &operator, t0()).await;
            assert!(
                matches!(refused, Err(StoreError::Refused(c)) if c == code),
                "{refused:?}"
            );
        }
        let six = PlanRule::Flat { rate: Rate(60_000) };
        let new = rule(directie, date(2027, 1, 1), six);
        s.add_plan_rule(f.employer, &new, &operator, t0())
            .await
            .unwrap();
        for (new, code) in [
            (
                rule(directie, date(2027, 1, 1), KADER),
                "plan-rule-date-taken",
            ),
            (
                rule(f.other_category, date(2027, 1, 1), KADER),
                "plan-rule-category-unknown",
            ),
        ] {
            let refused = s.add_plan_rule(f.employer, &new, &operator, t0()).await;
            assert!(
                matches!(refused, Err(StoreError::Refused(c)) if c == code),
                "{refused:?}"
            );
        }

        // The HR users see the new category with its rule; B's category kept its rules.
        let rules = s.list_category_rules(f.master.scope()).await.unwrap();
        let added = rules.iter().find(|c| c.category.id == directie).unwrap();
        assert_eq!(added.rules.len(), 1);
        assert_eq!(added.rules[0].rule, six);
        let operators_view = s.list_employer_category_rules(f.employer).await.unwrap();
        assert_eq!(operators_view.len(), rules.len());
        let b = s.list_category_rules(f.master_b.scope()).await.unwrap();
        assert!(b[0].rules.is_empty(), "nothing added to B");
        // Each addition is in the employer's audit log, the refusals are not.
        let filter = ebdesk_store::AuditFilter::default();
        let page = s.list_audit(f.master.scope(), &filter).await.unwrap();
        let events: Vec<_> = page.rows.iter().map(|e| e.event).collect();
        let count = |event| events.iter().filter(|e| **e == event).count();
        assert_eq!(count(ebdesk_store::AuditEvent::CategoryAdded), 1);
        assert_eq!(count(ebdesk_store::AuditEvent::PlanRuleAdded), 1);
        db.cleanup().await;
    }
);
