//! The job worker of `ebdesk serve` and of `ebdesk worker` (a node that only runs jobs).

use std::sync::Arc;

use anyhow::Context;
use ebdesk_domain::SystemClock;
use ebdesk_jobs::kinds::{ParserCommand, register_all};
use ebdesk_jobs::scheduler::{SCHEDULE_INTERVAL, run_scheduler};
use ebdesk_jobs::{JobNotifier, Worker, WorkerConfig};
use ebdesk_store::Store;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A running worker and what stops it.
pub struct RunningWorker {
    pub notifier: JobNotifier,
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

impl RunningWorker {
    /// Starts a worker with every job kind, `concurrency` jobs at a time, and (when
    /// `schedule`) the scheduler beside it; `public_url` is where users reach ebdesk (links
    /// in notices).
    pub fn start(
        store: Store,
        concurrency: usize,
        public_url: &str,
        schedule: bool,
    ) -> anyhow::Result<RunningWorker> {
        let parser = ParserCommand::current_exe().context("locating the ebdesk binary")?;
        let config = WorkerConfig {
            concurrency: concurrency.max(1),
            ..WorkerConfig::default()
        };
        let mut worker = Worker::new(store.clone(), Arc::new(SystemClock), config);
        register_all(&mut worker, parser, public_url);
        let notifier = worker.notifier();
        let shutdown = CancellationToken::new();
        let scheduler = run_scheduler(
            store,
            Arc::new(SystemClock),
            public_url.to_owned(),
            SCHEDULE_INTERVAL,
            notifier.clone(),
            shutdown.clone(),
        );
        let worker = worker.run(shutdown.clone());
        let task = tokio::spawn(async move {
            if schedule {
                tokio::join!(worker, scheduler);
            } else {
                worker.await;
            }
        });
        Ok(RunningWorker {
            notifier,
            shutdown,
            task,
        })
    }

    /// Stops claiming, lets running jobs finish within the grace period, releases the rest.
    pub async fn stop(self) {
        self.shutdown.cancel();
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the worker task ended badly");
        }
    }
}

/// Runs a worker until SIGINT or SIGTERM.
pub async fn run_until_signal(
    store: Store,
    concurrency: usize,
    public_url: &str,
) -> anyhow::Result<()> {
    let worker = RunningWorker::start(store, concurrency, public_url, true)?;
    println!("ebdesk worker draait; stop met Ctrl-C.");
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
    worker.stop().await;
    Ok(())
}
