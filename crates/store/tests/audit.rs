//! Audit log tests: every one runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use ebdesk_domain::{Language, Rights};
use ebdesk_store::test_support::TestDb;
use ebdesk_store::{
    AuditEmployer, AuditEntry, AuditEvent, AuditFilter, BreakReason, BrokenEntry, Engine,
    NewEmployer, NewUser, Store, store_test,
};
use serde_json::json;

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

async fn user(store: &Store, email: &str) -> i64 {
    let user = NewUser {
        email: email.to_owned(),
        display_name: email.to_owned(),
        password_hash: None,
        language: Language::Dutch,
        is_operator: false,
    };
    store.insert_user(&user, Utc::now()).await.unwrap()
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, minute, 0).unwrap()
}

/// Runs one statement beside the store, as someone with direct database access would.
async fn raw(db: &TestDb, sql: &str) -> Result<u64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    if db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&db.url).await?;
        let done = sqlx::raw_sql(sql).execute(&pool).await;
        pool.close().await;
        done.map(|r| r.rows_affected())
    } else {
        let pool = sqlx::PgPool::connect(&db.url).await?;
        let done = sqlx::raw_sql(sql).execute(&pool).await;
        pool.close().await;
        done.map(|r| r.rows_affected())
    }
}

async fn drop_append_only_triggers(db: &TestDb) {
    let sql = match db.store.engine() {
        Engine::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
        Engine::Postgres => "DROP TRIGGER audit_log_no_update_or_delete ON audit_log;",
    };
    raw(db, sql).await.unwrap();
}

fn login(employer: Option<i64>, user: i64, minute: u32) -> AuditEntry {
    let entry = AuditEntry::new(AuditEvent::LoginSucceeded, at(minute))
        .user(user)
        .ip(Some("192.0.2.7".to_owned()));
    match employer {
        Some(id) => entry.employer(id),
        None => entry,
    }
}

store_test!(each_employer_and_the_rest_form_chains_that_verify, |db| {
    let s = &db.store;
    let a = s.insert_employer(&employer("530-1"), at(0)).await.unwrap();
    let b = s.insert_employer(&employer("530-2"), at(0)).await.unwrap();
    let u = user(s, "jan@firma.test").await;
    for (i, chain) in [Some(a), None, Some(b), Some(a), None, Some(a)]
        .iter()
        .enumerate()
    {
        s.record_audit(&login(*chain, u, i as u32)).await.unwrap();
    }
    let failed = AuditEntry::new(AuditEvent::LoginFailed, at(9))
        .details(json!({"email": "onbekend@firma.test"}));
    s.record_audit(&failed).await.unwrap();

    let verdict = s.verify_audit_chain().await.unwrap();
    assert!(verdict.is_intact(), "{verdict:?}");
    let counts: Vec<(Option<i64>, u64)> = verdict
        .chains
        .iter()
        .map(|c| (c.employer_id, c.entries))
        .collect();
    assert_eq!(counts, vec![(None, 3), (Some(a), 3), (Some(b), 1)]);
    assert_eq!(verdict.entries(), 7);
    db.cleanup().await;
});

store_test!(concurrent_appends_to_one_chain_do_not_fork_it, |db| {
    let a = db
        .store
        .insert_employer(&employer("530-1"), at(0))
        .await
        .unwrap();
    let u = user(&db.store, "jan@firma.test").await;
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let store = db.store.clone();
            tokio::spawn(async move {
                for i in 0..6 {
                    store
                        .record_audit(&login(Some(a), u, t * 6 + i))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let verdict = db.store.verify_audit_chain().await.unwrap();
    assert!(verdict.is_intact(), "{verdict:?}");
    assert_eq!(verdict.entries(), 48);
    db.cleanup().await;
});

store_test!(the_database_refuses_to_change_or_delete_entries, |db| {
    let u = user(&db.store, "jan@firma.test").await;
    let id = db.store.record_audit(&login(None, u, 1)).await.unwrap();
    let attempts = [
        format!("UPDATE audit_log SET details = '{{}}' WHERE id = {id}"),
        "UPDATE audit_log SET ip = NULL".to_owned(),
        format!("DELETE FROM audit_log WHERE id = {id}"),
        "DELETE FROM audit_log".to_owned(),
    ];
    for sql in &attempts {
        let err = raw(&db, sql).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if db.store.engine() == Engine::Postgres {
        let err = raw(&db, "TRUNCATE audit_log").await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    let page = db
        .store
        .list_audit_all(AuditEmployer::Any, &AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].ip.as_deref(), Some("192.0.2.7"));
    db.cleanup().await;
});

store_test!(
    verify_names_the_entry_that_was_altered_behind_the_log,
    |db| {
        let s = &db.store;
        let a = s.insert_employer(&employer("530-1"), at(0)).await.unwrap();
        let b = s.insert_employer(&employer("530-2"), at(0)).await.unwrap();
        let u = user(s, "jan@firma.test").await;
        let mut ids = Vec::new();
        for i in 0..5 {
            let entry = AuditEntry::new(AuditEvent::SheetChanged, at(i))
                .employer(a)
                .user(u)
                .change(json!({"rights": "consult"}), json!({"rights": "input"}));
            ids.push(s.record_audit(&entry).await.unwrap());
            s.record_audit(&login(Some(b), u, i)).await.unwrap();
        }
        drop_append_only_triggers(&db).await;
        let forged = format!(
            "UPDATE audit_log SET details = '{{\"before\":{{\"rights\":\"consult\"}},\"after\":{{\"rights\":\"master\"}}}}' WHERE id = {}",
            ids[2]
        );
        assert_eq!(raw(&db, &forged).await.unwrap(), 1);

        let verdict = s.verify_audit_chain().await.unwrap();
        assert!(!verdict.is_intact());
        let chain_a = verdict
            .chains
            .iter()
            .find(|c| c.employer_id == Some(a))
            .unwrap();
        assert_eq!(
            chain_a.first_broken,
            Some(BrokenEntry {
                id: ids[2],
                reason: BreakReason::ContentChanged
            })
        );
        assert_eq!(chain_a.entries, 5);
        let chain_b = verdict
            .chains
            .iter()
            .find(|c| c.employer_id == Some(b))
            .unwrap();
        assert_eq!(chain_b.first_broken, None);
        db.cleanup().await;
    }
);

store_test!(verify_finds_an_entry_removed_from_a_chain, |db| {
    let s = &db.store;
    let a = s.insert_employer(&employer("530-1"), at(0)).await.unwrap();
    let u = user(s, "jan@firma.test").await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(s.record_audit(&login(Some(a), u, i)).await.unwrap());
    }
    drop_append_only_triggers(&db).await;
    let removed = format!("DELETE FROM audit_log WHERE id = {}", ids[1]);
    assert_eq!(raw(&db, &removed).await.unwrap(), 1);
    let verdict = s.verify_audit_chain().await.unwrap();
    assert_eq!(
        verdict.chains[0].first_broken,
        Some(BrokenEntry {
            id: ids[2],
            reason: BreakReason::LinkBroken
        })
    );
    db.cleanup().await;
});

store_test!(times_keep_microseconds_and_verify_on_both_engines, |db| {
    let u = user(&db.store, "jan@firma.test").await;
    let precise =
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::nanoseconds(123_456_789);
    let entry = AuditEntry::new(AuditEvent::Logout, precise).user(u);
    db.store.record_audit(&entry).await.unwrap();
    let whole = AuditEntry::new(AuditEvent::Logout, at(5)).user(u);
    db.store.record_audit(&whole).await.unwrap();
    assert!(db.store.verify_audit_chain().await.unwrap().is_intact());
    let page = db
        .store
        .list_audit_all(AuditEmployer::WithoutEmployer, &AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(page.rows[1].at, precise - Duration::nanoseconds(789));
    assert_eq!(page.rows[0].at, at(5));
    db.cleanup().await;
});

store_test!(
    the_master_sees_their_employer_and_the_operator_filters_all,
    |db| {
        let s = &db.store;
        let a = s.insert_employer(&employer("530-1"), at(0)).await.unwrap();
        let b = s.insert_employer(&employer("530-2"), at(0)).await.unwrap();
        let master = user(s, "master@firma.test").await;
        let other = user(s, "collega@firma.test").await;
        s.insert_sheet(a, master, Rights::Master, None, None, at(0))
            .await
            .unwrap();
        for i in 0..7 {
            let who = if i % 2 == 0 { master } else { other };
            s.record_audit(&login(Some(a), who, i)).await.unwrap();
        }
        let sheet = AuditEntry::new(AuditEvent::SheetCreated, at(20))
            .employer(a)
            .user(master)
            .details(json!({"sheet_user": "collega@firma.test", "rights": "consult"}));
        s.record_audit(&sheet).await.unwrap();
        s.record_audit(&login(Some(b), other, 21)).await.unwrap();
        s.record_audit(&login(None, other, 22)).await.unwrap();

        let access = s
            .find_access(master, "530-1", at(0).date_naive())
            .await
            .unwrap()
            .unwrap();
        // Newest first, only employer A, in pages of 3 that follow each other.
        let mut filter = AuditFilter {
            limit: 3,
            ..AuditFilter::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = s.list_audit(access.scope(), &filter).await.unwrap();
            assert!(page.rows.iter().all(|r| r.employer_id == Some(a)));
            seen.extend(page.rows.iter().map(|r| r.at));
            match page.next_before {
                Some(id) => filter.before_id = Some(id),
                None => break,
            }
        }
        let expected: Vec<_> = [20, 6, 5, 4, 3, 2, 1, 0].into_iter().map(at).collect();
        assert_eq!(seen, expected);

        let only_sheets = AuditFilter {
            event: Some(AuditEvent::SheetCreated),
            ..AuditFilter::default()
        };
        let page = s.list_audit(access.scope(), &only_sheets).await.unwrap();
        assert_eq!(page.rows.len(), 1);
        assert_eq!(
            page.rows[0].user_email.as_deref(),
            Some("master@firma.test")
        );
        assert_eq!(page.rows[0].employer_number.as_deref(), Some("530-1"));
        assert_eq!(page.rows[0].details["rights"], "consult");

        let by_other_in_period = AuditFilter {
            user_id: Some(other),
            since: Some(at(3)),
            until: Some(at(22)),
            ..AuditFilter::default()
        };
        let rows = s
            .list_audit_all(AuditEmployer::Any, &by_other_in_period)
            .await
            .unwrap()
            .rows;
        let times: Vec<_> = rows.iter().map(|r| r.at).collect();
        assert_eq!(times, vec![at(21), at(5), at(3)]);
        let outside = s
            .list_audit_all(AuditEmployer::WithoutEmployer, &AuditFilter::default())
            .await
            .unwrap()
            .rows;
        assert_eq!(outside.len(), 1);
        assert_eq!(outside[0].user_email.as_deref(), Some("collega@firma.test"));
        let of_b = s
            .list_audit_all(AuditEmployer::Employer(b), &AuditFilter::default())
            .await
            .unwrap()
            .rows;
        assert_eq!(of_b.len(), 1);
        db.cleanup().await;
    }
);
