//! What a job kind implements, and what it gets and gives back.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ebdesk_domain::Clock;
use ebdesk_store::{ClaimedJob, GeneratedFile, Store, StoreError};

use crate::retry::RetryPolicy;

/// Runs the jobs of one kind. Registered on a [`crate::Worker`] per
/// [`ebdesk_domain::ActionKind`].
///
/// Implementations write `async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> …`;
/// the future must be `Send`. A handler reads what it needs through the store (with the
/// scope of `job.requested_by`), builds its result, and returns it: the worker stores it
/// together with the job's completion. CPU-heavy work (workbooks) belongs on
/// `tokio::task::spawn_blocking`.
pub trait JobHandler: Send + Sync + 'static {
    /// Runs one attempt of `job`.
    fn run(
        &self,
        job: &ClaimedJob,
        ctx: &JobContext,
    ) -> impl Future<Output = Result<JobOutcome, JobError>> + Send;

    /// The retry policy of this kind; None for the worker's.
    fn retry_policy(&self) -> Option<RetryPolicy> {
        None
    }
}

/// How an attempt ended well.
#[derive(Debug)]
pub enum JobOutcome {
    /// A change was applied: the action becomes "Verwerkt".
    Processed,
    /// A download was produced: stored with the completion, the action becomes "Beschikbaar".
    File(GeneratedFile),
    /// The handler already completed the job itself, with `job.lease_token`, in the same
    /// transaction as its domain write (a store method that applies and completes at once).
    Completed,
}

/// Why an attempt failed. `reason` is what the action list shows: a message key of the
/// catalog (`job-error-…`), never internal details; those go in `source`, which is logged.
#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct JobError {
    reason: String,
    permanent: bool,
    refusal: bool,
    #[source]
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl JobError {
    /// A failure that may pass (a database that did not answer): retried with backoff.
    pub fn transient(reason: impl Into<String>) -> Self {
        JobError {
            reason: reason.into(),
            permanent: false,
            refusal: false,
            source: None,
        }
    }

    /// A failure that will not pass (bad input): the action fails at once.
    pub fn permanent(reason: impl Into<String>) -> Self {
        JobError {
            reason: reason.into(),
            permanent: true,
            refusal: false,
            source: None,
        }
    }

    /// The job's input was refused (a bad file, a revoked access): permanent, and the
    /// answer the user gets, not a fault of ours, so it is not logged as an error.
    pub fn refused(reason: impl Into<String>) -> Self {
        JobError {
            refusal: true,
            ..JobError::permanent(reason)
        }
    }

    /// Attaches the cause, for the log.
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The message key stored on the action.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Whether retrying is pointless.
    pub fn is_permanent(&self) -> bool {
        self.permanent
    }

    /// Whether this is a refusal of the job's input rather than a failure.
    pub fn is_refusal(&self) -> bool {
        self.refusal
    }
}

impl From<StoreError> for JobError {
    /// A store error during a job: transient (the database may come back), reason
    /// `job-error-internal`.
    fn from(err: StoreError) -> Self {
        JobError::transient(crate::REASON_INTERNAL).with_source(err)
    }
}

/// What a running job may use besides its own handler's fields.
#[derive(Debug, Clone)]
pub struct JobContext {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl JobContext {
    pub(crate) fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        JobContext { store, clock }
    }

    /// The store, for reads and for a handler's own transactional completion.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The worker's clock: use it for every time a job writes.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The future of one attempt, boxed so that handlers of different types share a map.
pub(crate) type BoxedRun<'a> =
    Pin<Box<dyn Future<Output = Result<JobOutcome, JobError>> + Send + 'a>>;

/// [`JobHandler`] made object-safe.
pub(crate) trait DynHandler: Send + Sync + 'static {
    fn run_boxed<'a>(&'a self, job: &'a ClaimedJob, ctx: &'a JobContext) -> BoxedRun<'a>;
}

impl<H: JobHandler> DynHandler for H {
    fn run_boxed<'a>(&'a self, job: &'a ClaimedJob, ctx: &'a JobContext) -> BoxedRun<'a> {
        Box::pin(self.run(job, ctx))
    }
}
