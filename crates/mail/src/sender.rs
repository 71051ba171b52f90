//! The loop that drains the outbox.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ebdesk_store::{FailureOutcome, Store, StoreError};
use tokio::sync::Notify;

use crate::Mailer;

/// How the sender claims and waits.
#[derive(Debug, Clone)]
pub struct SenderOptions {
    /// Messages claimed per round trip.
    pub batch: u32,
    /// How long a claim keeps other senders away; far longer than a batch takes to send.
    pub lease: chrono::Duration,
    /// Longest sleep between two looks at the outbox when nobody wakes the sender (another
    /// app node may have queued something, or a retry may have come due).
    pub poll: Duration,
}

impl Default for SenderOptions {
    fn default() -> Self {
        SenderOptions {
            batch: 10,
            lease: chrono::Duration::minutes(10),
            poll: Duration::from_secs(2),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
}

/// Claims one batch of messages due at `now`, sends them one by one and records each outcome.
pub async fn send_due(
    store: &Store,
    mailer: &Mailer,
    options: &SenderOptions,
    now: DateTime<Utc>,
) -> Result<SendReport, StoreError> {
    let claimed = store
        .claim_due_emails(now, options.batch, options.lease)
        .await?;
    let mut report = SendReport {
        claimed: claimed.len(),
        ..SendReport::default()
    };
    for email in &claimed {
        match mailer.send(email).await {
            Ok(()) => {
                if !store
                    .mark_email_sent(email.id, &email.lease_token, Utc::now())
                    .await?
                {
                    tracing::warn!(email_id = email.id, "e-mail sent after its lease ended");
                }
                report.sent += 1;
            }
            Err(err) => {
                report.failed += 1;
                let outcome = store
                    .mark_email_failed(
                        email.id,
                        &email.lease_token,
                        &err.message,
                        err.kind,
                        Utc::now(),
                    )
                    .await?;
                match outcome {
                    FailureOutcome::RetryAt(at) => tracing::warn!(
                        email_id = email.id,
                        attempts = email.attempts,
                        retry_at = %at,
                        error = %err.message,
                        "e-mail not delivered, will retry"
                    ),
                    FailureOutcome::GaveUp => tracing::error!(
                        email_id = email.id,
                        attempts = email.attempts,
                        error = %err.message,
                        "e-mail not delivered, given up"
                    ),
                    FailureOutcome::LeaseLost => {
                        tracing::warn!(email_id = email.id, "e-mail lease lost while sending")
                    }
                }
            }
        }
    }
    Ok(report)
}

/// Sends due messages until `shutdown` completes. Wakes when `wake` is notified (call
/// `notify_one` after queuing a message) and at least every `options.poll`. A batch in
/// progress is finished before stopping, so no message is cut off half sent. Database errors
/// are logged and retried at the next poll.
pub async fn run_sender(
    store: Store,
    mailer: Mailer,
    wake: Arc<Notify>,
    options: SenderOptions,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    tracing::info!(transport = %mailer.describe(), "e-mail sender started");
    loop {
        let full_batch = match send_due(&store, &mailer, &options, Utc::now()).await {
            Ok(report) => report.claimed == options.batch as usize,
            Err(err) => {
                tracing::error!(error = %err, "e-mail sender cannot read the outbox");
                false
            }
        };
        if full_batch {
            // More may be due: go on unless asked to stop.
            let stop = tokio::select! {
                biased;
                () = &mut shutdown => true,
                () = std::future::ready(()) => false,
            };
            if stop {
                break;
            }
            continue;
        }
        tokio::select! {
            () = &mut shutdown => break,
            () = wake.notified() => {}
            () = tokio::time::sleep(options.poll) => {}
        }
    }
    tracing::info!("e-mail sender stopped");
}

/// A sender running on its own task: [`spawn_sender`].
pub struct SenderHandle {
    wake: Arc<Notify>,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl SenderHandle {
    /// What to notify after queuing a message, so it leaves at once instead of at the next
    /// poll (`notify_one`).
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Asks the sender to stop and waits until its current batch is done.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "e-mail sender ended abnormally");
        }
    }
}

/// Starts [`run_sender`] on a task of the current tokio runtime.
pub fn spawn_sender(store: Store, mailer: Mailer, options: SenderOptions) -> SenderHandle {
    let wake = Arc::new(Notify::new());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(run_sender(
        store,
        mailer,
        Arc::clone(&wake),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    SenderHandle { wake, stop, task }
}
