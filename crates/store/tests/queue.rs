//! The job queue and the action list, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ebdesk_domain::{ActionKind, ActionStatus, Rights};
use ebdesk_store::queue_fixture::{download, queue_fixture};
use ebdesk_store::{
    ActionFilter, CompletedStatus, DownloadRequest, FileLookup, GeneratedFile, ListCursor,
    NewAction, PENDING_DOWNLOADS_PER_USER, Scope, Store, StoreError, store_test,
};

const LEASE: Duration = Duration::from_secs(60);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap()
}

fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

/// Every action, of any time.
fn filter_all() -> ActionFilter {
    ActionFilter {
        since: None,
        ..ActionFilter::recent(t0())
    }
}

async fn status_of(store: &Store, scope: &Scope, id: i64) -> ActionStatus {
    store
        .find_action(scope, id)
        .await
        .unwrap()
        .unwrap()
        .action
        .status
}

store_test!(concurrent_claimers_each_get_a_different_job, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let mut queued = HashSet::new();
    for i in 0..50 {
        let id = db
            .store
            .enqueue_action(&f.master, &download(&format!("{{\"n\":{i}}}")), t0())
            .await
            .unwrap();
        queued.insert(id);
    }
    let claimers: Vec<_> = (0..4)
        .map(|w| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                let worker = format!("worker-{w}");
                while let Some(job) = store
                    .claim_next_job(&worker, None, t0() + secs(1), LEASE)
                    .await
                    .unwrap()
                {
                    assert_eq!(job.attempt, 1);
                    mine.push(job.id);
                    // Run the job (briefly), as a worker would before its next claim.
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                mine
            })
        })
        .collect();
    let mut claimed = Vec::new();
    let mut busy_claimers = 0;
    for claimer in claimers {
        let mine = claimer.await.unwrap();
        busy_claimers += usize::from(!mine.is_empty());
        claimed.extend(mine);
    }
    assert_eq!(claimed.len(), 50, "every job claimed exactly once");
    assert_eq!(claimed.iter().copied().collect::<HashSet<_>>(), queued);
    assert!(busy_claimers >= 2, "the claimers really ran side by side");
    db.cleanup().await;
});

store_test!(the_oldest_due_job_of_a_known_kind_is_claimed_first, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let first = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let second = db
        .store
        .enqueue_action(&f.consult_c1, &download("{}"), t0() + secs(1))
        .await
        .unwrap();
    let later = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0() + secs(10))
        .await
        .unwrap();
    let uploads = [ActionKind::InsuredOverviewUpload];
    let none = db
        .store
        .claim_next_job("w", Some(&uploads), t0() + secs(5), LEASE)
        .await
        .unwrap();
    assert!(none.is_none(), "a worker only takes the kinds it runs");
    let job = db
        .store
        .claim_next_job("w", None, t0() + secs(5), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, first);
    assert_eq!(job.employer_id, f.employer_a);
    assert_eq!(job.requested_by, f.master_user);
    assert_eq!(job.kind, ActionKind::InsuredOverviewDownload);
    assert_eq!(job.payload, "{}");
    assert_eq!(job.lease_until, t0() + secs(65));
    let job = db
        .store
        .claim_next_job("w", None, t0() + secs(5), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, second);
    assert_eq!(job.requested_by, f.consult_c1_user);
    // Not due yet: requested "in the future".
    assert!(
        db.store
            .claim_next_job("w", None, t0() + secs(5), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        status_of(&db.store, &f.master, first).await,
        ActionStatus::Running
    );
    assert_eq!(
        status_of(&db.store, &f.master, later).await,
        ActionStatus::Requested
    );
    db.cleanup().await;
});

store_test!(a_retry_waits_for_its_time_and_keeps_the_reason, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let id = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w", None, t0(), LEASE)
        .await
        .unwrap()
        .unwrap();
    db.store
        .fail_job(
            id,
            &job.lease_token,
            "job-error-busy",
            t0() + secs(2),
            Some(t0() + secs(32)),
        )
        .await
        .unwrap();
    let waiting = db.store.find_action(&f.master, id).await.unwrap().unwrap();
    assert_eq!(waiting.action.status, ActionStatus::Requested);
    assert_eq!(waiting.action.error.as_deref(), Some("job-error-busy"));
    assert_eq!(waiting.action.status_at, t0() + secs(2));
    assert!(
        db.store
            .claim_next_job("w", None, t0() + secs(31), LEASE)
            .await
            .unwrap()
            .is_none(),
        "not before the backoff has passed"
    );
    let again = db
        .store
        .claim_next_job("w", None, t0() + secs(32), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, id);
    assert_eq!(again.attempt, 2);
    assert_ne!(again.lease_token, job.lease_token);
    // The first attempt's token is worth nothing now.
    let stale = db
        .store
        .complete_job(
            id,
            &job.lease_token,
            CompletedStatus::Processed,
            t0() + secs(33),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::LeaseLost)), "{stale:?}");
    db.store
        .complete_job(
            id,
            &again.lease_token,
            CompletedStatus::Processed,
            t0() + secs(40),
        )
        .await
        .unwrap();
    let done = db.store.find_action(&f.master, id).await.unwrap().unwrap();
    assert_eq!(done.action.status, ActionStatus::Processed);
    assert_eq!(done.action.processed_at, Some(t0() + secs(40)));
    assert_eq!(done.action.error, None);
    assert_eq!(done.action.attempts, 2);
    db.cleanup().await;
});

store_test!(
    an_expired_lease_is_taken_over_and_the_first_worker_is_fenced_off,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let id = db
            .store
            .enqueue_action(&f.master, &download("{}"), t0())
            .await
            .unwrap();
        let old = db
            .store
            .claim_next_job("crashed", None, t0(), LEASE)
            .await
            .unwrap()
            .unwrap();
        assert!(
            db.store
                .claim_next_job("rescuer", None, t0() + secs(59), LEASE)
                .await
                .unwrap()
                .is_none(),
            "a live lease is not taken over"
        );
        let new = db
            .store
            .claim_next_job("rescuer", None, t0() + secs(60), LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((new.id, new.attempt), (id, 2));
        let now = t0() + secs(70);
        assert!(
            !db.store
                .heartbeat_job(id, &old.lease_token, now, LEASE)
                .await
                .unwrap()
        );
        let file = GeneratedFile::new("oud.xlsx", "application/x-test", b"old".to_vec(), now);
        let refused = [
            db.store
                .complete_job_with_file(id, &old.lease_token, &file, now)
                .await,
            db.store
                .complete_job(id, &old.lease_token, CompletedStatus::Processed, now)
                .await,
            db.store
                .fail_job(id, &old.lease_token, "job-error", now, None)
                .await,
            db.store.release_job(id, &old.lease_token, now).await,
        ];
        for result in refused {
            assert!(matches!(result, Err(StoreError::LeaseLost)), "{result:?}");
        }
        assert!(
            db.store
                .open_generated_file(&f.master, id, now)
                .await
                .unwrap()
                .is_none(),
            "the fenced-off worker stored no file"
        );
        assert_eq!(
            status_of(&db.store, &f.master, id).await,
            ActionStatus::Running
        );
        let lease = db
            .store
            .find_action(&f.master, id)
            .await
            .unwrap()
            .unwrap()
            .lease;
        assert_eq!(lease, Some(("rescuer".to_owned(), t0() + secs(120))));
        let file = GeneratedFile::new("nieuw.xlsx", "application/x-test", b"new".to_vec(), now);
        db.store
            .complete_job_with_file(id, &new.lease_token, &file, now)
            .await
            .unwrap();
        match db
            .store
            .open_generated_file(&f.master, id, now)
            .await
            .unwrap()
        {
            Some(FileLookup::Available(stored)) => {
                assert_eq!(stored.file_name, "nieuw.xlsx");
                assert_eq!(db.store.read_generated_file(&stored).await.unwrap(), b"new");
            }
            other => panic!("expected the new file, got {other:?}"),
        }
        // Finished: even the winning token cannot turn it into a failure afterwards.
        let late = db
            .store
            .fail_job(id, &new.lease_token, "job-error", now, None)
            .await;
        assert!(matches!(late, Err(StoreError::LeaseLost)), "{late:?}");
        let done = db.store.find_action(&f.master, id).await.unwrap().unwrap();
        assert_eq!(done.action.status, ActionStatus::Available);
        assert_eq!(done.lease, None, "a finished job holds no lease");
        db.cleanup().await;
    }
);

store_test!(a_heartbeat_extends_the_lease, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    db.store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w1", None, t0(), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert!(
        db.store
            .heartbeat_job(job.id, &job.lease_token, t0() + secs(50), LEASE)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .claim_next_job("w2", None, t0() + secs(100), LEASE)
            .await
            .unwrap()
            .is_none(),
        "the renewed lease runs until 110 s"
    );
    let taken = db
        .store
        .claim_next_job("w2", None, t0() + secs(110), LEASE)
        .await
        .unwrap();
    assert_eq!(taken.map(|j| j.id), Some(job.id));
    db.cleanup().await;
});

store_test!(a_release_on_shutdown_refunds_the_attempt, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let id = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w1", None, t0(), LEASE)
        .await
        .unwrap()
        .unwrap();
    db.store
        .release_job(id, &job.lease_token, t0() + secs(5))
        .await
        .unwrap();
    let released = db.store.find_action(&f.master, id).await.unwrap().unwrap();
    assert_eq!(released.action.status, ActionStatus::Requested);
    assert_eq!(released.action.attempts, 0);
    let again = db
        .store
        .claim_next_job("w2", None, t0() + secs(5), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempt), (id, 1));
    let twice = db.store.release_job(id, &job.lease_token, t0()).await;
    assert!(matches!(twice, Err(StoreError::LeaseLost)), "{twice:?}");
    db.cleanup().await;
});

store_test!(a_job_given_up_is_failed_with_its_reason, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let id = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w", None, t0(), LEASE)
        .await
        .unwrap()
        .unwrap();
    db.store
        .fail_job(
            id,
            &job.lease_token,
            "job-error-no-rows",
            t0() + secs(1),
            None,
        )
        .await
        .unwrap();
    let failed = db.store.find_action(&f.master, id).await.unwrap().unwrap();
    assert_eq!(failed.action.status, ActionStatus::Failed);
    assert_eq!(failed.action.error.as_deref(), Some("job-error-no-rows"));
    assert_eq!(failed.action.processed_at, None);
    assert!(
        db.store
            .claim_next_job("w", None, t0() + TimeDelta::days(1), LEASE)
            .await
            .unwrap()
            .is_none(),
        "a failed action is never run again"
    );
    db.cleanup().await;
});

store_test!(a_generated_file_expires_after_30_days, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let id = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w", None, t0(), LEASE)
        .await
        .unwrap()
        .unwrap();
    let content = vec![7_u8; 100_000];
    let file = GeneratedFile::new(
        "Overzicht verzekerden.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content.clone(),
        t0(),
    );
    db.store
        .complete_job_with_file(id, &job.lease_token, &file, t0())
        .await
        .unwrap();
    let day_29 = t0() + TimeDelta::days(29);
    match db
        .store
        .open_generated_file(&f.master, id, day_29)
        .await
        .unwrap()
    {
        Some(FileLookup::Available(stored)) => {
            assert_eq!(
                db.store.read_generated_file(&stored).await.unwrap(),
                content
            );
            assert_eq!(stored.file_name, "Overzicht verzekerden.xlsx");
            assert_eq!(stored.expires_at, t0() + TimeDelta::days(30));
        }
        other => panic!("expected the file, got {other:?}"),
    }
    let day_30 = t0() + TimeDelta::days(30);
    assert_eq!(db.store.purge_expired_files(day_29).await.unwrap(), 0);
    let expired = db
        .store
        .open_generated_file(&f.master, id, day_30)
        .await
        .unwrap();
    assert!(
        matches!(&expired, Some(FileLookup::Expired { expired_at, .. }) if *expired_at == day_30),
        "expired before the purge ran: {expired:?}"
    );
    assert_eq!(db.store.purge_expired_files(day_30).await.unwrap(), 1);
    assert_eq!(db.store.purge_expired_files(day_30).await.unwrap(), 0);
    // Even a clock set back cannot bring the content back.
    let back = db
        .store
        .open_generated_file(&f.master, id, t0())
        .await
        .unwrap();
    assert!(matches!(back, Some(FileLookup::Expired { .. })), "{back:?}");
    let detail = db.store.find_action(&f.master, id).await.unwrap().unwrap();
    assert_eq!(detail.action.status, ActionStatus::Available);
    assert_eq!(
        detail.file,
        Some(("Overzicht verzekerden.xlsx".to_owned(), day_30))
    );
    db.cleanup().await;
});

store_test!(actions_are_only_visible_inside_the_scope, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let about_c2 = NewAction {
        kind: ActionKind::InsuredOverviewUpload,
        description: "Wijziging e-mailadres".to_owned(),
        employee_id: Some(f.employee_c2),
        payload: "{}".to_owned(),
        effective_date: None,
    };
    let c2_action = db
        .store
        .enqueue_action(&f.master, &about_c2, t0())
        .await
        .unwrap();
    let own_download = db
        .store
        .enqueue_action(&f.consult_c1, &download("{}"), t0() + secs(1))
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w", None, t0() + secs(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, c2_action);
    db.store
        .complete_job(
            c2_action,
            &job.lease_token,
            CompletedStatus::Processed,
            t0(),
        )
        .await
        .unwrap();
    let job = db
        .store
        .claim_next_job("w", None, t0() + secs(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    let file = GeneratedFile::new("c1.xlsx", "application/x-test", b"c1".to_vec(), t0());
    db.store
        .complete_job_with_file(own_download, &job.lease_token, &file, t0())
        .await
        .unwrap();

    let visible = |scope: Scope| {
        let store = db.store.clone();
        async move {
            let filter = ActionFilter {
                since: None,
                ..ActionFilter::recent(t0())
            };
            let page = store.list_actions(&scope, &filter).await.unwrap();
            let mut ids: Vec<i64> = page.rows.iter().map(|a| a.id).collect();
            ids.sort_unstable();
            ids
        }
    };
    let mut both = vec![c2_action, own_download];
    both.sort_unstable();
    assert_eq!(visible(f.master.clone()).await, both);
    // C1 only: its own download, not the change about the C2 employee.
    assert_eq!(visible(f.consult_c1.clone()).await, vec![own_download]);
    // C2 only: the change about its employee, not the C1 user's download.
    assert_eq!(visible(f.consult_c2.clone()).await, vec![c2_action]);
    // Another employer sees nothing, by list, by id or by file.
    assert!(visible(f.master_b.clone()).await.is_empty());
    assert!(
        db.store
            .find_action(&f.master_b, c2_action)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .find_action(&f.consult_c1, c2_action)
            .await
            .unwrap()
            .is_none()
    );
    for outsider in [&f.master_b, &f.consult_c2] {
        assert!(
            db.store
                .open_generated_file(outsider, own_download, t0())
                .await
                .unwrap()
                .is_none()
        );
    }
    assert!(matches!(
        db.store
            .open_generated_file(&f.consult_c1, own_download, t0())
            .await
            .unwrap(),
        Some(FileLookup::Available(_))
    ));
    // The C2 employee appears by name on the detail of those who may see them.
    let detail = db
        .store
        .find_action(&f.consult_c2, c2_action)
        .await
        .unwrap()
        .unwrap();
    let employee = detail.action.employee.unwrap();
    assert_eq!(
        (employee.id, employee.last_name.as_str()),
        (f.employee_c2, "Tweede")
    );
    assert_eq!(detail.requested_by_name, "master@a.test");
    // Nobody files an action about an employee outside their scope, or another employer's.
    let refused = db
        .store
        .enqueue_action(&f.consult_c1, &about_c2, t0())
        .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    let refused = db.store.enqueue_action(&f.master_b, &about_c2, t0()).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    let _ = (f.employee_c1, f.employer_b);
    db.cleanup().await;
});

store_test!(
    the_list_pages_newest_first_and_filters_by_kind_status_and_period,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        // 120 actions over 120 days before t0, every third one an upload.
        let mut ids = Vec::new();
        for day in (1..=120).rev() {
            let mut action = download("{}");
            if day % 3 == 0 {
                action.kind = ActionKind::InsuredOverviewUpload;
            }
            let at = t0() - TimeDelta::days(day);
            ids.push(
                db.store
                    .enqueue_action(&f.master, &action, at)
                    .await
                    .unwrap(),
            );
        }
        let newest_first: Vec<i64> = ids.iter().rev().copied().collect();
        // Default: the last three months (t0 = 3 March: from 3 December on, 90 days).
        let mut filter = ActionFilter::recent(t0());
        let mut seen = Vec::new();
        loop {
            let page = db.store.list_actions(&f.master, &filter).await.unwrap();
            seen.extend(page.rows.iter().map(|a| a.id));
            match page.rows.last() {
                Some(last) if page.has_next => filter.cursor = ListCursor::After(last.id),
                _ => break,
            }
        }
        assert_eq!(seen, newest_first[..90]);
        // Back from the second page to the first.
        filter.cursor = ListCursor::Before(seen[50]);
        let first = db.store.list_actions(&f.master, &filter).await.unwrap();
        assert_eq!(
            first.rows.iter().map(|a| a.id).collect::<Vec<_>>(),
            newest_first[..50]
        );
        assert!(!first.has_previous && first.has_next);
        // Older on request, only uploads.
        let uploads = ActionFilter {
            kind: Some(ActionKind::InsuredOverviewUpload),
            since: None,
            ..ActionFilter::recent(t0())
        };
        let page = db.store.list_actions(&f.master, &uploads).await.unwrap();
        assert_eq!(page.rows.len(), 40);
        assert!(
            page.rows
                .iter()
                .all(|a| a.kind == ActionKind::InsuredOverviewUpload)
        );
        // By status: one of them running.
        let job = db
            .store
            .claim_next_job("w", None, t0(), LEASE)
            .await
            .unwrap()
            .unwrap();
        let running = ActionFilter {
            status: Some(ActionStatus::Running),
            since: None,
            ..ActionFilter::recent(t0())
        };
        let page = db.store.list_actions(&f.master, &running).await.unwrap();
        assert_eq!(page.rows.iter().map(|a| a.id).collect::<Vec<_>>(), [job.id]);
        assert_eq!(job.id, ids[0], "the oldest request runs first");
        db.cleanup().await;
    }
);

/// Claims the next job at `at` and completes it at once, as one worker would; its id.
async fn run_next(store: &Store, at: DateTime<Utc>) -> Option<(i64, i64)> {
    let job = store.claim_next_job("w", None, at, LEASE).await.unwrap()?;
    store
        .complete_job(job.id, &job.lease_token, CompletedStatus::Available, at)
        .await
        .unwrap();
    Some((job.id, job.employer_id))
}

store_test!(
    one_employers_hundred_jobs_do_not_hold_up_another_employer,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        for i in 0..100 {
            db.store
                .enqueue_action(&f.master, &download(&format!("{{\"n\":{i}}}")), t0())
                .await
                .unwrap();
        }
        let claim_at = |n: i64| t0() + secs(10 + n);
        // A's turn came before B asked: B is served by the next claim.
        let (_, employer) = run_next(&db.store, claim_at(0)).await.unwrap();
        assert_eq!(employer, f.employer_a);
        let b = db
            .store
            .enqueue_action(&f.master_b, &download("{}"), t0() + secs(1))
            .await
            .unwrap();
        assert_eq!(
            run_next(&db.store, claim_at(1)).await.unwrap(),
            (b, f.employer_b)
        );
        // Then the employers with work take turns, each in its own order.
        let b2 = db
            .store
            .enqueue_action(&f.master_b, &download("{\"n\":2}"), t0() + secs(2))
            .await
            .unwrap();
        let (_, employer) = run_next(&db.store, claim_at(2)).await.unwrap();
        assert_eq!(employer, f.employer_a);
        assert_eq!(
            run_next(&db.store, claim_at(3)).await.unwrap(),
            (b2, f.employer_b)
        );
        let mut rest = 0;
        let mut n = 4;
        while let Some((_, employer)) = run_next(&db.store, claim_at(n)).await {
            assert_eq!(employer, f.employer_a);
            rest += 1;
            n += 1;
        }
        assert_eq!(rest, 98, "A's jobs all ran, none twice");
        db.cleanup().await;
    }
);

store_test!(an_employer_never_served_goes_before_a_busy_one, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    for i in 0..100 {
        db.store
            .enqueue_action(&f.master, &download(&format!("{{\"n\":{i}}}")), t0())
            .await
            .unwrap();
    }
    let b = db
        .store
        .enqueue_action(&f.master_b, &download("{}"), t0() + secs(1))
        .await
        .unwrap();
    // Nobody was served yet, so the oldest job goes first; B's comes right after.
    let first = run_next(&db.store, t0() + secs(2)).await.unwrap();
    assert_eq!(first.1, f.employer_a);
    let second = run_next(&db.store, t0() + secs(3)).await.unwrap();
    assert_eq!(second, (b, f.employer_b));
    db.cleanup().await;
});

store_test!(concurrent_claimers_take_turns_between_employers, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let mut queued = HashSet::new();
    for i in 0..60 {
        let id = db
            .store
            .enqueue_action(&f.master, &download(&format!("{{\"n\":{i}}}")), t0())
            .await
            .unwrap();
        queued.insert(id);
    }
    let mut of_b = HashSet::new();
    for i in 0..5 {
        let id = db
            .store
            .enqueue_action(&f.master_b, &download(&format!("{{\"n\":{i}}}")), t0())
            .await
            .unwrap();
        of_b.insert(id);
    }
    queued.extend(&of_b);
    // Each claim a little later than the one before, as a real clock would.
    let tick = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let claimers: Vec<_> = (0..4)
        .map(|w| {
            let (store, tick, order) = (db.store.clone(), tick.clone(), order.clone());
            tokio::spawn(async move {
                let worker = format!("worker-{w}");
                loop {
                    let n = tick.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let at = t0() + secs(1) + TimeDelta::milliseconds(n);
                    let Some(job) = store
                        .claim_next_job(&worker, None, at, LEASE)
                        .await
                        .unwrap()
                    else {
                        break;
                    };
                    assert_eq!(job.attempt, 1);
                    order.lock().unwrap().push(job.id);
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
        })
        .collect();
    for claimer in claimers {
        claimer.await.unwrap();
    }
    let order = order.lock().unwrap().clone();
    assert_eq!(order.len(), 65, "every job claimed exactly once");
    assert_eq!(order.iter().copied().collect::<HashSet<_>>(), queued);
    // Turn by turn B's five jobs are among the first ten claims; claims that overlap may
    // read a turn just before it is taken, hence the slack.
    let last_b = order.iter().rposition(|id| of_b.contains(id)).unwrap();
    assert!(last_b < 20, "B's last job was claim {last_b}: {order:?}");
    db.cleanup().await;
});

store_test!(
    a_second_identical_download_request_points_to_the_pending_one,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let first = db
            .store
            .request_download(&f.master, &download("{}"), t0())
            .await
            .unwrap();
        let DownloadRequest::Queued(id) = first else {
            panic!("expected a new action, got {first:?}")
        };
        let again = db
            .store
            .request_download(&f.master, &download("{}"), t0() + secs(1))
            .await
            .unwrap();
        assert_eq!(again, DownloadRequest::Pending(id));
        // Another user, or other parameters, are another download.
        let other_user = db
            .store
            .request_download(&f.consult_c1, &download("{}"), t0() + secs(1))
            .await
            .unwrap();
        assert!(matches!(other_user, DownloadRequest::Queued(x) if x != id));
        let other_payload = db
            .store
            .request_download(&f.master, &download("{\"n\":1}"), t0() + secs(1))
            .await
            .unwrap();
        assert!(matches!(other_payload, DownloadRequest::Queued(x) if x != id));
        // Still pending while it runs; once it is done, a request queues a fresh one.
        let job = db
            .store
            .claim_next_job("w", None, t0() + secs(2), LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.id, id);
        let running = db
            .store
            .request_download(&f.master, &download("{}"), t0() + secs(3))
            .await
            .unwrap();
        assert_eq!(running, DownloadRequest::Pending(id));
        db.store
            .complete_job(
                id,
                &job.lease_token,
                CompletedStatus::Available,
                t0() + secs(4),
            )
            .await
            .unwrap();
        let fresh = db
            .store
            .request_download(&f.master, &download("{}"), t0() + secs(5))
            .await
            .unwrap();
        assert!(
            matches!(fresh, DownloadRequest::Queued(x) if x != id),
            "{fresh:?}"
        );
        let list = db
            .store
            .list_actions(&f.master, &filter_all())
            .await
            .unwrap();
        assert_eq!(list.rows.len(), 4, "no action for the duplicates");
        db.cleanup().await;
    }
);

store_test!(
    identical_requests_at_the_same_moment_queue_one_download,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let requests: Vec<_> = (0..8)
            .map(|_| {
                let (store, scope) = (db.store.clone(), f.master.clone());
                tokio::spawn(async move {
                    store
                        .request_download(&scope, &download("{}"), t0())
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for request in requests {
            outcomes.push(request.await.unwrap());
        }
        let ids: HashSet<i64> = outcomes.iter().map(|o| o.action_id()).collect();
        assert_eq!(ids.len(), 1, "{outcomes:?}");
        let queued = outcomes
            .iter()
            .filter(|o| matches!(o, DownloadRequest::Queued(_)))
            .count();
        assert_eq!(queued, 1, "{outcomes:?}");
        let list = db
            .store
            .list_actions(&f.master, &filter_all())
            .await
            .unwrap();
        assert_eq!(list.rows.len(), 1);
        db.cleanup().await;
    }
);

store_test!(a_user_has_at_most_three_pending_downloads, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    // The master of A also consults B: the cap counts across employers.
    db.store
        .insert_sheet(
            f.employer_b,
            f.master_user,
            Rights::Consult,
            None,
            None,
            t0(),
        )
        .await
        .unwrap();
    let at_b = db
        .store
        .find_access(f.master_user, "530-202", t0().date_naive())
        .await
        .unwrap()
        .unwrap()
        .scope()
        .clone();
    let mut ids = Vec::new();
    for n in 0..PENDING_DOWNLOADS_PER_USER {
        let outcome = db
            .store
            .request_download(&f.master, &download(&format!("{{\"n\":{n}}}")), t0())
            .await
            .unwrap();
        let DownloadRequest::Queued(id) = outcome else {
            panic!("expected a new action, got {outcome:?}")
        };
        ids.push(id);
    }
    let refused = db
        .store
        .request_download(&f.master, &download("{\"n\":9}"), t0())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused("download-limit"))),
        "{refused:?}"
    );
    let refused = db
        .store
        .request_download(&at_b, &download("{}"), t0())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused("download-limit"))),
        "{refused:?}"
    );
    // A request for one already pending still finds it.
    let same = db
        .store
        .request_download(&f.master, &download("{\"n\":0}"), t0())
        .await
        .unwrap();
    assert_eq!(same, DownloadRequest::Pending(ids[0]));
    // Others are not held by this user's cap.
    db.store
        .request_download(&f.consult_c1, &download("{}"), t0())
        .await
        .unwrap();
    // One done: room for one more.
    let job = db
        .store
        .claim_next_job("w", None, t0() + secs(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    db.store
        .fail_job(job.id, &job.lease_token, "job-error", t0() + secs(2), None)
        .await
        .unwrap();
    let outcome = db
        .store
        .request_download(&at_b, &download("{}"), t0() + secs(3))
        .await
        .unwrap();
    assert!(matches!(outcome, DownloadRequest::Queued(_)), "{outcome:?}");
    db.cleanup().await;
});

store_test!(a_large_file_is_stored_and_read_a_chunk_at_a_time, |db| {
    use std::io::Write;
    let f = queue_fixture(&db.store, t0()).await;
    let id = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    let job = db.store.claim_next_job("w", None, t0(), LEASE).await;
    let job = job.unwrap().unwrap();
    // Two chunks and a half, written to a temporary file as the export writes its workbook.
    let content: Vec<u8> = (0..ebdesk_store::CHUNK_BYTES * 5 / 2)
        .map(|i| (i % 251) as u8)
        .collect();
    let mut spooled = tempfile::tempfile().unwrap();
    spooled.write_all(&content).unwrap();
    let file = GeneratedFile::spooled("groot.xlsx", "application/x-test", spooled, t0());
    db.store
        .complete_job_with_file(id, &job.lease_token, &file, t0())
        .await
        .unwrap();
    let opened = db.store.open_generated_file(&f.master, id, t0()).await;
    let Some(FileLookup::Available(stored)) = opened.unwrap() else {
        panic!("expected the file");
    };
    assert_eq!(stored.chunk_count(), 3);
    assert_eq!(stored.byte_size, content.len() as u64);
    let first = db.store.read_file_chunk(&stored, 0).await.unwrap().unwrap();
    assert_eq!(first.len(), ebdesk_store::CHUNK_BYTES);
    assert_eq!(db.store.read_file_chunk(&stored, 3).await.unwrap(), None);
    assert_eq!(
        db.store.read_generated_file(&stored).await.unwrap(),
        content
    );
    // Another employer's scope cannot open it; the purge deletes its chunks.
    let outsider = db.store.open_generated_file(&f.master_b, id, t0()).await;
    assert!(outsider.unwrap().is_none());
    let expired = t0() + TimeDelta::days(30);
    assert_eq!(db.store.purge_expired_files(expired).await.unwrap(), 1);
    assert_eq!(db.store.read_file_chunk(&stored, 1).await.unwrap(), None);
    db.cleanup().await;
});
