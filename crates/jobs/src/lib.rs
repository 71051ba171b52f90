//! The background worker that runs queued actions.
//!
//! A [`Worker`] claims due jobs from the store's queue (a lease, never a transaction held
//! open), runs the [`JobHandler`] registered for their kind while a heartbeat renews the
//! lease, and records the outcome with the claim's token: a file and its completion in one
//! transaction, a retry after an exponential backoff, or a failure with its reason. A job
//! whose worker died is taken over when its lease expires. On shutdown it stops claiming,
//! lets running jobs finish within a grace period and releases the rest.

mod handler;
pub mod kinds;
mod retry;
pub mod scheduler;
mod worker;

pub use handler::{JobContext, JobError, JobHandler, JobOutcome};
pub use retry::RetryPolicy;
pub use worker::{JobNotifier, Worker, WorkerConfig};

/// Failure reason: a handler failed in an unexpected way (a panic, a store error).
pub const REASON_INTERNAL: &str = "job-error-internal";
/// Failure reason: the job's workers kept dying (its lease expired after the last attempt).
pub const REASON_INTERRUPTED: &str = "job-error-interrupted";
/// Failure reason: no handler for the kind (only reachable through a misconfiguration).
pub const REASON_UNKNOWN_KIND: &str = "job-error-unknown-kind";
