//! Work that comes by the calendar rather than by a request: from the 15th on, the month's
//! premium statements; 15 days after a due date, the reminder of what is still unpaid;
//! from 17:00, the day's digest of new documents (`ebdesk_app::digest`).
//! Every worker node runs the scheduler; each statement is issued and each reminder sent
//! once whatever the number of nodes (see `ebdesk_store::Store::issue_statement`).

use std::sync::Arc;
use std::time::Duration;

use ebdesk_domain::Clock;
use ebdesk_store::Store;
use tokio_util::sync::CancellationToken;
use tracing::{error, info};

use crate::JobNotifier;

/// How often the scheduler looks: statements are due on a day, not a minute.
pub const SCHEDULE_INTERVAL: Duration = Duration::from_secs(600);

/// Issues what is due now and every `interval` until `shutdown`; wakes the worker when it
/// queued something (the masters' statement actions).
pub async fn run_scheduler(
    store: Store,
    clock: Arc<dyn Clock>,
    public_url: String,
    interval: Duration,
    notifier: JobNotifier,
    shutdown: CancellationToken,
) {
    loop {
        match ebdesk_app::statements::issue_due(&store, &public_url, clock.now()).await {
            Ok(0) => {}
            Ok(issued) => {
                info!(issued, "premium statements issued");
                notifier.wake();
            }
            Err(ebdesk_app::Error::Store(err)) if err.is_closed() => break,
            Err(err) => error!(error = %err, "issuing the premium statements failed"),
        }
        match ebdesk_app::statements::remind_late(&store, &public_url, clock.now()).await {
            Ok(0) => {}
            Ok(sent) => info!(sent, "reminders of unpaid premiums queued"),
            Err(ebdesk_app::Error::Store(err)) if err.is_closed() => break,
            Err(err) => error!(error = %err, "reminding unpaid premiums failed"),
        }
        match ebdesk_app::digest::send_due(&store, &public_url, clock.now()).await {
            Ok(0) => {}
            Ok(sent) => info!(sent, "digests of new documents queued"),
            Err(ebdesk_app::Error::Store(err)) if err.is_closed() => break,
            Err(err) => error!(error = %err, "sending the digests of new documents failed"),
        }
        tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(interval) => {}
        }
    }
}
