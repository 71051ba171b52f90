//! The real worker against the real queue, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ebdesk_domain::{ActionKind, ActionStatus, Clock, ManualClock};
use ebdesk_jobs::{
    JobContext, JobError, JobHandler, JobNotifier, JobOutcome, RetryPolicy, Worker, WorkerConfig,
};
use ebdesk_store::queue_fixture::{download, queue_fixture};
use ebdesk_store::{
    ActionDetail, ClaimedJob, CompletedStatus, FileLookup, GeneratedFile, NewAction, Scope, Store,
    StoreError, store_test,
};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const LEASE: Duration = Duration::from_secs(60);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap()
}

fn config() -> WorkerConfig {
    WorkerConfig {
        worker_id: "test-worker".to_owned(),
        concurrency: 2,
        poll_interval: Duration::from_millis(50),
        lease: LEASE,
        heartbeat_interval: Duration::from_millis(50),
        shutdown_grace: Duration::from_secs(1),
        purge_interval: Duration::from_secs(3600),
        retry: RetryPolicy {
            max_attempts: 3,
            base: Duration::from_secs(10),
            cap: Duration::from_secs(60),
        },
    }
}

/// A running worker and what a test needs to steer it.
struct Running {
    clock: Arc<ManualClock>,
    notifier: JobNotifier,
    shutdown: CancellationToken,
    handle: JoinHandle<()>,
}

impl Running {
    fn advance(&self, seconds: i64) {
        self.clock.advance(TimeDelta::seconds(seconds));
        self.notifier.wake();
    }

    async fn stop(self) {
        self.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(10), self.handle)
            .await
            .expect("the worker stops within its grace period")
            .unwrap();
    }
}

fn start(store: &Store, clock: Arc<ManualClock>, setup: impl FnOnce(&mut Worker)) -> Running {
    start_with(config(), store, clock, setup)
}

fn start_with(
    config: WorkerConfig,
    store: &Store,
    clock: Arc<ManualClock>,
    setup: impl FnOnce(&mut Worker),
) -> Running {
    let mut worker = Worker::new(store.clone(), clock.clone(), config);
    setup(&mut worker);
    let notifier = worker.notifier();
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(worker.run(shutdown.clone()));
    Running {
        clock,
        notifier,
        shutdown,
        handle,
    }
}

async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

async fn detail(store: &Store, scope: &Scope, id: i64) -> ActionDetail {
    store.find_action(scope, id).await.unwrap().unwrap()
}

async fn wait_for_status(store: &Store, scope: &Scope, id: i64, status: ActionStatus) {
    eventually(&format!("action {id} is {status:?}"), || async {
        detail(store, scope, id).await.action.status == status
    })
    .await;
}

/// Makes a workbook-like file out of the payload, and notes what it saw.
#[derive(Default, Clone)]
struct FileHandler {
    seen: Arc<Mutex<Vec<(i64, i64, u32)>>>,
}

impl JobHandler for FileHandler {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        self.seen
            .lock()
            .unwrap()
            .push((job.id, job.requested_by, job.attempt));
        let content = format!("rows for {}", job.payload).into_bytes();
        Ok(JobOutcome::File(GeneratedFile::new(
            "Overzicht verzekerden.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            content,
            ctx.now(),
        )))
    }
}

/// Fails every attempt with the same reason.
#[derive(Default, Clone)]
struct FailingHandler {
    calls: Arc<AtomicU32>,
}

impl JobHandler for FailingHandler {
    async fn run(&self, _job: &ClaimedJob, _ctx: &JobContext) -> Result<JobOutcome, JobError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Err(JobError::transient("job-error-test").with_source(std::io::Error::other("db down")))
    }
}

/// Runs until told to finish (or never, with `forever`).
#[derive(Default, Clone)]
struct GatedHandler {
    started: Arc<AtomicU32>,
    finish: Arc<Notify>,
    forever: bool,
}

impl JobHandler for GatedHandler {
    async fn run(&self, _job: &ClaimedJob, _ctx: &JobContext) -> Result<JobOutcome, JobError> {
        self.started.fetch_add(1, Ordering::SeqCst);
        if self.forever {
            std::future::pending::<()>().await;
        }
        self.finish.notified().await;
        Ok(JobOutcome::Processed)
    }
}

/// A bug in a handler.
struct PanickingHandler;

impl JobHandler for PanickingHandler {
    async fn run(&self, _job: &ClaimedJob, _ctx: &JobContext) -> Result<JobOutcome, JobError> {
        panic!("a handler bug");
    }

    fn retry_policy(&self) -> Option<RetryPolicy> {
        Some(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
    }
}

fn upload() -> NewAction {
    NewAction {
        kind: ActionKind::InsuredOverviewUpload,
        ..download("{}")
    }
}

store_test!(a_requested_download_is_produced_and_can_be_fetched, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let clock = Arc::new(ManualClock::new(t0()));
    let handler = FileHandler::default();
    let worker = start(&db.store, clock.clone(), |w| {
        w.register(ActionKind::InsuredOverviewDownload, handler.clone());
    });
    let id = db
        .store
        .enqueue_action(&f.consult_c1, &download("{\"contracts\":[1]}"), t0())
        .await
        .unwrap();
    worker.notifier.wake();
    wait_for_status(&db.store, &f.consult_c1, id, ActionStatus::Available).await;
    match db
        .store
        .open_generated_file(&f.consult_c1, id, clock.now())
        .await
        .unwrap()
    {
        Some(FileLookup::Available(file)) => {
            assert_eq!(
                db.store.read_generated_file(&file).await.unwrap(),
                b"rows for {\"contracts\":[1]}"
            );
            assert_eq!(file.expires_at, t0() + TimeDelta::days(30));
        }
        other => panic!("expected the file, got {other:?}"),
    }
    let done = detail(&db.store, &f.consult_c1, id).await.action;
    assert_eq!(done.processed_at, Some(t0()));
    assert_eq!(done.attempts, 1);
    assert_eq!(
        *handler.seen.lock().unwrap(),
        [(id, f.consult_c1_user, 1)],
        "run once, for its requester"
    );
    worker.stop().await;
    db.cleanup().await;
});

store_test!(
    a_failing_job_is_retried_with_backoff_then_fails_with_its_reason,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let handler = FailingHandler::default();
        let worker = start(&db.store, Arc::new(ManualClock::new(t0())), |w| {
            w.register(ActionKind::InsuredOverviewDownload, handler.clone());
        });
        let calls = || handler.calls.load(Ordering::SeqCst);
        let id = db
            .store
            .enqueue_action(&f.master, &download("{}"), t0())
            .await
            .unwrap();
        worker.notifier.wake();
        eventually("the first attempt failed", || async {
            let a = detail(&db.store, &f.master, id).await.action;
            a.status == ActionStatus::Requested && a.error.is_some()
        })
        .await;
        assert_eq!(calls(), 1);
        let waiting = detail(&db.store, &f.master, id).await.action;
        assert_eq!(waiting.error.as_deref(), Some("job-error-test"));
        // First wait: 10 s.
        worker.advance(9);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(calls(), 1, "not retried before the backoff");
        worker.advance(1);
        eventually("the second attempt ran", || async { calls() == 2 }).await;
        // Second wait: 20 s.
        eventually("the second attempt was recorded", || async {
            detail(&db.store, &f.master, id).await.action.status == ActionStatus::Requested
        })
        .await;
        worker.advance(19);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(calls(), 2, "the wait doubled");
        worker.advance(1);
        wait_for_status(&db.store, &f.master, id, ActionStatus::Failed).await;
        let failed = detail(&db.store, &f.master, id).await.action;
        assert_eq!(calls(), 3);
        assert_eq!(failed.attempts, 3);
        assert_eq!(failed.error.as_deref(), Some("job-error-test"));
        worker.advance(3600);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(calls(), 3, "never run again after the last attempt");
        worker.stop().await;
        db.cleanup().await;
    }
);

store_test!(
    on_shutdown_running_jobs_finish_within_the_grace_or_are_released,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let quick = GatedHandler::default();
        let stuck = GatedHandler {
            forever: true,
            ..GatedHandler::default()
        };
        let worker = start(&db.store, Arc::new(ManualClock::new(t0())), |w| {
            w.register(ActionKind::InsuredOverviewDownload, quick.clone());
            w.register(ActionKind::InsuredOverviewUpload, stuck.clone());
        });
        let finishes = db
            .store
            .enqueue_action(&f.master, &download("{}"), t0())
            .await
            .unwrap();
        let hangs = db
            .store
            .enqueue_action(&f.master, &upload(), t0())
            .await
            .unwrap();
        worker.notifier.wake();
        eventually("both jobs run", || async {
            quick.started.load(Ordering::SeqCst) == 1 && stuck.started.load(Ordering::SeqCst) == 1
        })
        .await;
        let finish = quick.finish.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            finish.notify_one();
        });
        worker.stop().await;
        let finished = detail(&db.store, &f.master, finishes).await.action;
        assert_eq!(finished.status, ActionStatus::Processed);
        let released = detail(&db.store, &f.master, hangs).await.action;
        assert_eq!(released.status, ActionStatus::Requested);
        assert_eq!(released.attempts, 0, "the interrupted attempt is refunded");
        assert_eq!(released.error, None);
        // And another worker takes it at once.
        let next = db
            .store
            .claim_next_job("next", None, t0(), LEASE)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((next.id, next.attempt), (hangs, 1));
        db.cleanup().await;
    }
);

store_test!(
    a_job_whose_worker_died_is_taken_over_when_its_lease_expires,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let id = db
            .store
            .enqueue_action(&f.master, &download("{}"), t0())
            .await
            .unwrap();
        let crashed = db
            .store
            .claim_next_job("crashed", None, t0(), LEASE)
            .await
            .unwrap()
            .unwrap();
        let handler = FileHandler::default();
        let worker = start(&db.store, Arc::new(ManualClock::new(t0())), |w| {
            w.register(ActionKind::InsuredOverviewDownload, handler.clone());
        });
        worker.advance(59);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            handler.seen.lock().unwrap().is_empty(),
            "the lease still runs"
        );
        worker.advance(1);
        wait_for_status(&db.store, &f.master, id, ActionStatus::Available).await;
        assert_eq!(*handler.seen.lock().unwrap(), [(id, f.master_user, 2)]);
        // The dead worker's late result is refused and changes nothing.
        let late = db
            .store
            .complete_job(
                id,
                &crashed.lease_token,
                CompletedStatus::Processed,
                t0() + TimeDelta::seconds(90),
            )
            .await;
        assert!(matches!(late, Err(StoreError::LeaseLost)), "{late:?}");
        assert_eq!(
            detail(&db.store, &f.master, id).await.action.status,
            ActionStatus::Available
        );
        worker.stop().await;
        db.cleanup().await;
    }
);

store_test!(heartbeats_keep_a_long_job_s_lease, |db| {
    let f = queue_fixture(&db.store, t0()).await;
    let handler = GatedHandler::default();
    // One slot: the worker itself cannot take its own job over while it runs.
    let one_at_a_time = WorkerConfig {
        concurrency: 1,
        ..config()
    };
    let clock = Arc::new(ManualClock::new(t0()));
    let worker = start_with(one_at_a_time, &db.store, clock, |w| {
        w.register(ActionKind::InsuredOverviewDownload, handler.clone());
    });
    let id = db
        .store
        .enqueue_action(&f.master, &download("{}"), t0())
        .await
        .unwrap();
    worker.notifier.wake();
    eventually("the job runs", || async {
        handler.started.load(Ordering::SeqCst) == 1
    })
    .await;
    let lease = detail(&db.store, &f.master, id).await.lease;
    assert_eq!(
        lease,
        Some(("test-worker".to_owned(), t0() + TimeDelta::seconds(60)))
    );
    // 50 s in, a heartbeat (every 50 ms of real time) pushes the lease to 110 s.
    worker.advance(50);
    eventually("a heartbeat renewed the lease", || async {
        let lease = detail(&db.store, &f.master, id).await.lease;
        lease.is_some_and(|(_, until)| until == t0() + TimeDelta::seconds(110))
    })
    .await;
    worker.advance(50);
    let stolen = db
        .store
        .claim_next_job("other", None, t0() + TimeDelta::seconds(100), LEASE)
        .await
        .unwrap();
    assert!(stolen.is_none(), "the lease was renewed: {stolen:?}");
    handler.finish.notify_one();
    wait_for_status(&db.store, &f.master, id, ActionStatus::Processed).await;
    assert_eq!(detail(&db.store, &f.master, id).await.action.attempts, 1);
    worker.stop().await;
    db.cleanup().await;
});

store_test!(
    a_job_that_keeps_killing_its_workers_or_panics_fails_with_a_reason,
    |db| {
        let f = queue_fixture(&db.store, t0()).await;
        let id = db
            .store
            .enqueue_action(&f.master, &download("{}"), t0())
            .await
            .unwrap();
        // Three workers died on it: each claim's lease expired.
        for n in 0..3 {
            let at = t0() + TimeDelta::seconds(61 * n);
            let job = db
                .store
                .claim_next_job("crashed", None, at, LEASE)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(job.attempt, u32::try_from(n + 1).unwrap());
        }
        let panics = db
            .store
            .enqueue_action(&f.master, &upload(), t0())
            .await
            .unwrap();
        let handler = FileHandler::default();
        let worker = start(
            &db.store,
            Arc::new(ManualClock::new(t0() + TimeDelta::seconds(183))),
            |w| {
                w.register(ActionKind::InsuredOverviewDownload, handler.clone());
                w.register(ActionKind::InsuredOverviewUpload, PanickingHandler);
            },
        );
        worker.notifier.wake();
        wait_for_status(&db.store, &f.master, id, ActionStatus::Failed).await;
        let interrupted = detail(&db.store, &f.master, id).await.action;
        assert_eq!(interrupted.error.as_deref(), Some("job-error-interrupted"));
        assert!(
            handler.seen.lock().unwrap().is_empty(),
            "not run a fourth time"
        );
        wait_for_status(&db.store, &f.master, panics, ActionStatus::Failed).await;
        let panicked = detail(&db.store, &f.master, panics).await.action;
        assert_eq!(panicked.error.as_deref(), Some("job-error-internal"));
        worker.stop().await;
        db.cleanup().await;
    }
);
