//! The worker: claims due jobs, runs their handlers with a heartbeat, records the outcome,
//! and stops gracefully.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use ebdesk_domain::{ActionKind, Clock};
use ebdesk_store::{ClaimedJob, CompletedStatus, Store, StoreError};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinError;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, error, info, info_span, warn};

use crate::handler::{DynHandler, JobContext, JobError, JobHandler, JobOutcome};
use crate::retry::RetryPolicy;
use crate::{REASON_INTERNAL, REASON_INTERRUPTED, REASON_UNKNOWN_KIND};

/// How a worker runs. The defaults suit production; tests shorten the intervals.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Written on the jobs it holds (`actions.locked_by`), for operators.
    pub worker_id: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// How often an idle worker looks for due jobs (an enqueue in the same process wakes
    /// it at once through [`JobNotifier`]).
    pub poll_interval: Duration,
    /// How long a claim holds a job without a heartbeat.
    pub lease: Duration,
    /// How often a running job renews its lease; well under `lease`.
    pub heartbeat_interval: Duration,
    /// On shutdown, how long running jobs may take to finish before they are released.
    pub shutdown_grace: Duration,
    /// How often expired files are emptied.
    pub purge_interval: Duration,
    /// Retries of kinds whose handler has no policy of its own.
    pub retry: RetryPolicy,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            worker_id: format!(
                "pid{}-{}",
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
            concurrency: 2,
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(60),
            heartbeat_interval: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(10),
            purge_interval: Duration::from_secs(3600),
            retry: RetryPolicy::default(),
        }
    }
}

/// Wakes the worker of this process at once, e.g. right after an enqueue. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct JobNotifier(Arc<Notify>);

impl JobNotifier {
    /// Asks the worker to look for due jobs now. A wake-up sent while it is busy is kept
    /// for its next wait, so none is lost.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

struct Registered {
    handler: Arc<dyn DynHandler>,
    retry: RetryPolicy,
}

/// What the job tasks share.
struct Shared {
    store: Store,
    clock: Arc<dyn Clock>,
    config: WorkerConfig,
    handlers: HashMap<ActionKind, Registered>,
}

/// Runs queued actions with the handlers registered per kind. Several workers (in several
/// processes) may serve one database: each job runs on one of them at a time.
pub struct Worker {
    shared: Shared,
    notifier: JobNotifier,
}

impl Worker {
    /// A worker without handlers; register them with [`Worker::register`].
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: WorkerConfig) -> Self {
        Worker {
            shared: Shared {
                store,
                clock,
                config,
                handlers: HashMap::new(),
            },
            notifier: JobNotifier::default(),
        }
    }

    /// Runs the jobs of `kind` with `handler`; only registered kinds are claimed.
    pub fn register(&mut self, kind: ActionKind, handler: impl JobHandler) -> &mut Self {
        let retry = handler.retry_policy().unwrap_or(self.shared.config.retry);
        let handler: Arc<dyn DynHandler> = Arc::new(handler);
        self.shared
            .handlers
            .insert(kind, Registered { handler, retry });
        self
    }

    /// The handle that wakes this worker.
    pub fn notifier(&self) -> JobNotifier {
        self.notifier.clone()
    }

    /// Claims and runs jobs until `shutdown` is cancelled; then stops claiming, lets the
    /// running jobs finish within `shutdown_grace`, releases those still running (their
    /// attempt refunded), and returns.
    pub async fn run(self, shutdown: CancellationToken) {
        let shared = Arc::new(self.shared);
        let notify = self.notifier.0;
        let mut kinds: Vec<ActionKind> = shared.handlers.keys().copied().collect();
        kinds.sort_by_key(|k| k.as_str());
        let config = &shared.config;
        let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
        let tracker = TaskTracker::new();
        let hard_stop = CancellationToken::new();
        let mut next_purge = Instant::now();
        info!(worker = %config.worker_id, kinds = ?kinds, "worker started");
        loop {
            if Instant::now() >= next_purge {
                purge(&shared).await;
                next_purge = Instant::now() + config.purge_interval;
            }
            let permit = tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                permit = slots.clone().acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                },
            };
            let claimed = if kinds.is_empty() {
                Ok(None)
            } else {
                shared
                    .store
                    .claim_next_job(
                        &config.worker_id,
                        Some(&kinds),
                        shared.clock.now(),
                        config.lease,
                    )
                    .await
            };
            match claimed {
                Ok(Some(job)) => {
                    tracker.spawn(run_job(shared.clone(), job, permit, hard_stop.clone()));
                    continue;
                }
                Ok(None) => {}
                // The store was closed under the worker: the process is ending, not failing.
                Err(err) if err.is_closed() => {
                    info!("the store is closed: the worker stops");
                    break;
                }
                Err(err) => error!(error = %err, "claiming a job failed"),
            }
            drop(permit);
            tokio::select! {
                biased;
                () = shutdown.cancelled() => break,
                () = notify.notified() => {}
                () = tokio::time::sleep(config.poll_interval) => {}
            }
        }
        tracker.close();
        if !tracker.is_empty() {
            info!(
                running = tracker.len(),
                "worker stopping: waiting for running jobs"
            );
        }
        if tokio::time::timeout(config.shutdown_grace, tracker.wait())
            .await
            .is_err()
        {
            warn!(
                running = tracker.len(),
                "grace period over: releasing running jobs"
            );
            hard_stop.cancel();
            tracker.wait().await;
        }
        info!(worker = %config.worker_id, "worker stopped");
    }
}

async fn purge(shared: &Shared) {
    match shared.store.purge_expired_files(shared.clock.now()).await {
        Ok(0) => {}
        Ok(n) => info!(files = n, "expired files emptied"),
        Err(err) => error!(error = %err, "emptying expired files failed"),
    }
}

/// One job, from its claim to its recorded outcome, in a span with its kind and employer.
async fn run_job(
    shared: Arc<Shared>,
    job: ClaimedJob,
    permit: OwnedSemaphorePermit,
    hard_stop: CancellationToken,
) {
    let span = info_span!(
        "job",
        id = job.id,
        kind = job.kind.as_str(),
        employer_id = job.employer_id,
        attempt = job.attempt,
    );
    async move {
        let _permit = permit;
        let Some(registered) = shared.handlers.get(&job.kind) else {
            let err = JobError::permanent(REASON_UNKNOWN_KIND);
            return settle_failure(&shared, &job, RetryPolicy::default(), err).await;
        };
        if job.attempt > registered.retry.max_attempts {
            // Claimed again after its lease expired too often: a worker died running it.
            let err = JobError::permanent(REASON_INTERRUPTED);
            return settle_failure(&shared, &job, registered.retry, err).await;
        }
        info!("job started");
        let ctx = JobContext::new(shared.store.clone(), shared.clock.clone());
        let handler = registered.handler.clone();
        let task_job = job.clone();
        let mut task = tokio::spawn(
            async move { handler.run_boxed(&task_job, &ctx).await }.in_current_span(),
        );
        let config = &shared.config;
        let mut beat = tokio::time::interval_at(
            Instant::now() + config.heartbeat_interval,
            config.heartbeat_interval,
        );
        beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let finished = loop {
            tokio::select! {
                result = &mut task => break result,
                _ = beat.tick() => {
                    let now = shared.clock.now();
                    match shared.store.heartbeat_job(job.id, &job.lease_token, now, config.lease).await {
                        Ok(true) => {}
                        Ok(false) => {
                            task.abort();
                            warn!("lease lost while running: another worker took the job over");
                            return;
                        }
                        Err(err) => warn!(error = %err, "heartbeat failed; will try again"),
                    }
                }
                () = hard_stop.cancelled() => {
                    task.abort();
                    let released = shared.store.release_job(job.id, &job.lease_token, shared.clock.now()).await;
                    match released {
                        Ok(()) => info!("job released on shutdown"),
                        Err(err) => warn!(error = %err, "releasing the job failed; its lease will expire"),
                    }
                    return;
                }
            }
        };
        settle(&shared, &job, registered.retry, finished).await;
    }
    .instrument(span)
    .await;
}

/// Records what the handler's task ended with.
async fn settle(
    shared: &Shared,
    job: &ClaimedJob,
    retry: RetryPolicy,
    finished: Result<Result<JobOutcome, JobError>, JoinError>,
) {
    let now = shared.clock.now();
    let store = &shared.store;
    let recorded = match finished {
        Ok(Ok(JobOutcome::Processed)) => {
            store
                .complete_job(job.id, &job.lease_token, CompletedStatus::Processed, now)
                .await
        }
        Ok(Ok(JobOutcome::File(file))) => {
            store
                .complete_job_with_file(job.id, &job.lease_token, &file, now)
                .await
        }
        Ok(Ok(JobOutcome::Completed)) => Ok(()),
        Ok(Err(err)) => return settle_failure(shared, job, retry, err).await,
        Err(join) => {
            let err = JobError::transient(REASON_INTERNAL);
            let err = if join.is_panic() {
                err.with_source("the handler panicked")
            } else {
                err.with_source("the handler was cancelled")
            };
            return settle_failure(shared, job, retry, err).await;
        }
    };
    report(recorded, "job done");
}

/// Records a failed attempt: a retry after the backoff, or the end with the reason.
async fn settle_failure(shared: &Shared, job: &ClaimedJob, retry: RetryPolicy, err: JobError) {
    let now = shared.clock.now();
    let retry_at = if err.is_permanent() {
        None
    } else {
        retry.retry_at(job.attempt, now)
    };
    let cause = error_chain(&err);
    match retry_at {
        Some(at) => warn!(reason = err.reason(), cause, retry_at = %at, "job failed; will retry"),
        // A refused file is the answer the user gets; an ERROR would page an operator for it.
        None if err.is_refusal() => info!(reason = err.reason(), cause, "job refused its input"),
        None => error!(reason = err.reason(), cause, "job failed for good"),
    }
    let recorded = shared
        .store
        .fail_job(job.id, &job.lease_token, err.reason(), now, retry_at)
        .await;
    report(recorded, "failure recorded");
}

fn report(recorded: Result<(), StoreError>, done: &str) {
    match recorded {
        Ok(()) => info!("{done}"),
        Err(StoreError::LeaseLost) => {
            warn!("lease lost before the result was recorded: the result is discarded")
        }
        Err(err) => error!(
            error = %err,
            "recording the result failed; the job runs again when its lease expires"
        ),
    }
}

/// The causes below a job error, for the log.
fn error_chain(err: &JobError) -> String {
    let mut text = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
