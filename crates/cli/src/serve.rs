//! `ebdesk serve`: the web application, the mail sender and a job worker in one process.

use anyhow::Context;
use ebdesk_domain::premium::InsurerAccount;
use ebdesk_server::{AppSettings, Application};

use crate::{DbArgs, demo, mail, open_store_with_key, worker};

/// What the worker of a `serve` node does.
pub struct WorkerChoice {
    /// Jobs run at once; 0 runs no worker at all.
    pub jobs: usize,
    /// Whether the statement scheduler runs beside the worker.
    pub schedule: bool,
}

impl WorkerChoice {
    pub fn new(jobs: usize, schedule: bool) -> Self {
        WorkerChoice { jobs, schedule }
    }
}

/// Where the node answers and what its pages say about the installation.
pub struct Site {
    pub bind: String,
    /// The address users reach ebdesk at (default: http://<bind>).
    pub public_url: Option<String>,
    pub insurer_account: InsurerAccount,
}

impl Site {
    pub fn new(bind: String, public_url: Option<String>, insurer_account: InsurerAccount) -> Self {
        Site {
            bind,
            public_url,
            insurer_account,
        }
    }
}

/// `ebdesk serve`: the web application with the mail sender and, unless `jobs` is 0, a job
/// worker, until SIGINT/SIGTERM.
pub async fn run(
    db: &DbArgs,
    mail: &mail::MailArgs,
    site: Site,
    demo: bool,
    worker: WorkerChoice,
) -> anyhow::Result<()> {
    let (store, secret_key) = open_store_with_key(db).await?;
    if demo && store.has_no_employers().await? {
        demo::load(&store, &secret_key).await?;
    }
    let mailer =
        ebdesk_mail::Mailer::new(&mail.settings(&db.data_dir)).context("e-mail settings")?;
    let sender = ebdesk_mail::spawn_sender(store.clone(), mailer, Default::default());
    let Site {
        bind,
        public_url,
        insurer_account,
    } = site;
    let public_url = public_url
        .unwrap_or_else(|| format!("http://{bind}"))
        .trim_end_matches('/')
        .to_owned();
    let mut settings = AppSettings::new(secret_key, public_url.clone());
    settings.insurer_account = insurer_account;
    let worker = if worker.jobs > 0 {
        Some(worker::RunningWorker::start(
            store.clone(),
            worker.jobs,
            &public_url,
            worker.schedule,
        )?)
    } else {
        None
    };
    let notifier = worker
        .as_ref()
        .map(|w| w.notifier.clone())
        .unwrap_or_default();
    let app = Application::build(store.clone(), &bind, settings, notifier)
        .context("binding the address")?;
    let host = bind.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
    println!("ebdesk luistert op http://{host}:{}", app.port());
    if demo {
        demo::print_logins(&store).await?;
    }
    // The server stops on SIGINT/SIGTERM; then the worker finishes or releases its
    // jobs, then the mail sender stops.
    app.run_until_stopped().await?;
    if let Some(worker) = worker {
        worker.stop().await;
    }
    sender.stop().await;
    Ok(())
}
