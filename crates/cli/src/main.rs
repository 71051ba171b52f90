//! The `ebdesk` binary: serve, migrate, demo data.

mod audit;
mod demo;
mod digest;
mod mail;
mod serve;
mod statement;
mod worker;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use ebdesk_domain::premium::{DEMO_INSURER_ACCOUNT, InsurerAccount};
use ebdesk_keys::SecretKey;
use ebdesk_store::{KeyCheck, Store};

#[derive(Parser)]
#[command(
    name = "ebdesk",
    version,
    about = "Werkgeversportaal voor groepsverzekeringen"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// Folder for the SQLite database (used when no database URL is given).
    #[arg(long, env = "EBDESK_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// postgres://… to run on PostgreSQL; empty for SQLite in the data folder.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Log filter, e.g. info or ebdesk_server=debug.
    #[arg(long, env = "EBDESK_LOG", default_value = "info")]
    log_level: String,
    /// Key (32 bytes, base64) that encrypts TOTP secrets and queued e-mails at rest; the same
    /// on every node (a node with another key refuses to start). Without it, the key in
    /// <data-dir>/secret.key is used (created when missing and the database has no key yet).
    #[arg(long, env = "EBDESK_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
}

impl DbArgs {
    fn key_path(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    /// The key of `EBDESK_SECRET_KEY`, else of the key file; None when neither is there.
    /// Says where it came from, for messages.
    fn configured_key(&self) -> anyhow::Result<Option<(SecretKey, String)>> {
        if let Some(text) = self.secret_key.as_deref().filter(|t| !t.is_empty()) {
            let key = SecretKey::from_base64(text).context("EBDESK_SECRET_KEY")?;
            return Ok(Some((key, "EBDESK_SECRET_KEY".to_owned())));
        }
        let path = self.key_path();
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let key = SecretKey::from_base64(&text)
            .with_context(|| format!("the key in {}", path.display()))?;
        Ok(Some((key, path.display().to_string())))
    }
}

/// What every refusal about the key ends with.
const SAME_KEY_HINT: &str = "Every node of one database needs the same key: set \
    EBDESK_SECRET_KEY to the key of the other nodes (their EBDESK_SECRET_KEY, or the content \
    of their <data-dir>/secret.key). Nothing was changed.";

/// Opens the store for a command that encrypts or decrypts secrets: finds this node's key
/// (creating the key file only for a database that has no key yet), proves that it is the
/// key the database was set up with, and installs it for the outbox. A node with another key
/// stops here instead of answering 500 on every login.
async fn open_store_with_key(db: &DbArgs) -> anyhow::Result<(Store, SecretKey)> {
    let store = open_store(db).await?;
    let (key, source) = match db.configured_key()? {
        Some(found) => found,
        None => {
            if let Some(stored) = store.stored_key_check().await? {
                anyhow::bail!(
                    "this node has no server key (no EBDESK_SECRET_KEY, no {}), but the \
                     database was set up with one (fingerprint {}). {SAME_KEY_HINT}",
                    db.key_path().display(),
                    ebdesk_keys::fingerprint_of(&stored)
                );
            }
            std::fs::create_dir_all(&db.data_dir)
                .with_context(|| format!("creating {}", db.data_dir.display()))?;
            write_private(&db.key_path(), &SecretKey::generate_base64())?;
            db.configured_key()?
                .context("the new key file cannot be read back")?
        }
    };
    match store.check_secret_key(&key, chrono::Utc::now()).await? {
        KeyCheck::Recorded | KeyCheck::Matches => {}
        KeyCheck::Differs { stored_fingerprint } => anyhow::bail!(
            "this node's server key (from {source}, fingerprint {}) is not the key the \
             database was set up with (fingerprint {stored_fingerprint}). {SAME_KEY_HINT}",
            key.fingerprint()
        ),
        KeyCheck::CannotDecrypt => anyhow::bail!(
            "this node's server key (from {source}, fingerprint {}) cannot decrypt the \
             secrets stored in the database. {SAME_KEY_HINT}",
            key.fingerprint()
        ),
    }
    ebdesk_store::use_secret_key(&key)?;
    tracing::info!(fingerprint = %key.fingerprint(), "server key checked");
    Ok((store, key))
}

/// Writes a file only its owner may read.
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

#[derive(Subcommand)]
enum Command {
    /// Runs the web application (migrates first).
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        mail: mail::MailArgs,
        /// Address to listen on.
        #[arg(long, env = "EBDESK_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Loads the demo data when the database is empty.
        #[arg(long)]
        demo: bool,
        /// The address users reach ebdesk at, for links in e-mails (default: http://<bind>).
        #[arg(long, env = "EBDESK_PUBLIC_URL")]
        public_url: Option<String>,
        /// Jobs (downloads, uploads) this node runs at once; 0 runs none (other nodes do).
        #[arg(long, env = "EBDESK_JOBS", default_value_t = 2)]
        jobs: usize,
        /// The insurer's account that statements are paid to (an IBAN; the demo insurer's
        /// when not given).
        #[arg(long, env = "EBDESK_INSURER_IBAN", default_value = DEMO_INSURER_ACCOUNT)]
        insurer_iban: InsurerAccount,
        /// Never issues statements or sends reminders or digests on its own: another node
        /// does, or the operator with `ebdesk statement` and `ebdesk digest` (the browser
        /// tests issue months by hand).
        #[arg(long)]
        no_scheduler: bool,
    },
    /// Runs only the job worker, for a separate node (stops on SIGINT/SIGTERM).
    Worker {
        #[command(flatten)]
        db: DbArgs,
        /// Jobs run at once.
        #[arg(long, env = "EBDESK_JOBS", default_value_t = 2)]
        jobs: usize,
        /// The address users reach ebdesk at, for links in notices.
        #[arg(
            long,
            env = "EBDESK_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// Sends an employer's digests of new documents of today now (the worker does it from
    /// 17:00): each recipient's at most once a day, none when nothing is new.
    Digest {
        #[command(flatten)]
        db: DbArgs,
        /// The employer's number (530-101).
        #[arg(long)]
        employer: String,
        /// The address users reach ebdesk at, for the link in the digest.
        #[arg(
            long,
            env = "EBDESK_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// Issues an employer's premium statement of a month now (the worker does it from the
    /// 15th on): its lines, charges, notice e-mail and the master's action.
    Statement {
        #[command(flatten)]
        db: DbArgs,
        /// The employer's number (530-101).
        #[arg(long)]
        employer: String,
        /// The month, jjjj-mm.
        #[arg(long)]
        month: String,
        /// The address users reach ebdesk at, for the link in the notice.
        #[arg(
            long,
            env = "EBDESK_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// Applies the database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Creates an operator account and prints its activation link (also sent by e-mail).
    Operator {
        #[command(subcommand)]
        action: OperatorAction,
    },
    /// Parses an uploaded workbook from stdin in a process of its own, with memory and CPU
    /// limits, and answers on stdout (the worker starts it; not for people).
    #[command(hide = true, name = "sheets-parse")]
    SheetsParse,
    /// Loads the demo data; `--size N` adds "Groot Bedrijf NV" (530-900) with N affiliates,
    /// `--employers N --size M` instead M affiliates over employers 540-1 … 540-N (scale set).
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        size: Option<usize>,
        /// Spreads `--size` over this many employers, a few large and most small.
        #[arg(long, requires = "size")]
        employers: Option<usize>,
    },
    /// Audit log commands.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Checks every hash chain of the audit log; exits non-zero when an entry was tampered with.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum OperatorAction {
    /// Adds an operator: `ebdesk operator add EMAIL --name "…"`.
    Add {
        #[command(flatten)]
        db: DbArgs,
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// The address users reach ebdesk at, for the link (default http://127.0.0.1:8080).
        #[arg(
            long,
            env = "EBDESK_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
}

async fn add_operator(
    db: &DbArgs,
    email: &str,
    name: Option<String>,
    public_url: &str,
) -> anyhow::Result<()> {
    let email = ebdesk_domain::EmailAddress::parse(email)
        .map_err(|e| anyhow::anyhow!("ongeldig e-mailadres ({})", e.code()))?;
    let (store, _) = open_store_with_key(db).await?;
    let name = match name {
        Some(name) => ebdesk_domain::names::check_name(&name)
            .map_err(|e| anyhow::anyhow!("ongeldige naam: {e}"))?
            .to_owned(),
        None => email.as_str().to_owned(),
    };
    let public_url = public_url.trim_end_matches('/');
    let link = ebdesk_app::invite::add_operator(
        &store,
        &email,
        &name,
        public_url,
        &ebdesk_store::Actor::default(),
        chrono::Utc::now(),
    )
    .await
    .context("creating the operator (bestaat dit e-mailadres al?)")?;
    println!("Operator aangemaakt. Activatielink (72 uur geldig, ook per e-mail verstuurd):");
    println!("  {link}");
    Ok(())
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

async fn open_store(db: &DbArgs) -> anyhow::Result<Store> {
    let store = match db.database_url.as_deref().filter(|u| !u.is_empty()) {
        Some(url) => Store::connect(url)
            .await
            .context("connecting to the database")?,
        None => {
            std::fs::create_dir_all(&db.data_dir)
                .with_context(|| format!("creating {}", db.data_dir.display()))?;
            Store::open_sqlite_file(&db.data_dir.join("ebdesk.sqlite"))
                .await
                .context("opening the SQLite database")?
        }
    };
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

fn main() -> anyhow::Result<std::process::ExitCode> {
    let cli = Cli::parse();
    // The parser child: no runtime, no logging, stdout carries only its answer.
    if let Command::SheetsParse = cli.command {
        return Ok(ebdesk_sheets::child::serve_stdio());
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?
        .block_on(run(cli))?;
    Ok(std::process::ExitCode::SUCCESS)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::SheetsParse => {}
        Command::Serve {
            db,
            bind,
            demo,
            public_url,
            mail,
            jobs,
            no_scheduler,
            insurer_iban,
        } => {
            init_tracing(&db.log_level);
            let site = serve::Site::new(bind, public_url, insurer_iban);
            let worker = serve::WorkerChoice::new(jobs, !no_scheduler);
            serve::run(&db, &mail, site, demo, worker).await?;
        }
        Command::Operator {
            action:
                OperatorAction::Add {
                    db,
                    email,
                    name,
                    public_url,
                },
        } => {
            init_tracing(&db.log_level);
            add_operator(&db, &email, name, &public_url).await?;
        }
        Command::Worker {
            db,
            jobs,
            public_url,
        } => {
            init_tracing(&db.log_level);
            run_worker(&db, jobs, public_url.trim_end_matches('/')).await?;
        }
        Command::Statement {
            db,
            employer,
            month,
            public_url,
        } => {
            init_tracing(&db.log_level);
            let (store, _) = open_store_with_key(&db).await?;
            statement::issue(&store, &employer, &month, public_url.trim_end_matches('/')).await?;
        }
        Command::Digest {
            db,
            employer,
            public_url,
        } => {
            init_tracing(&db.log_level);
            let (store, _) = open_store_with_key(&db).await?;
            digest::send(&store, &employer, public_url.trim_end_matches('/')).await?;
        }
        Command::Migrate { db } => {
            init_tracing(&db.log_level);
            migrate(&db).await?;
        }
        Command::Demo {
            db,
            size,
            employers,
        } => {
            init_tracing(&db.log_level);
            run_demo(&db, size, employers).await?;
        }
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => {
            init_tracing(&db.log_level);
            audit::verify(&open_store(&db).await?).await?;
        }
    }
    Ok(())
}

/// `ebdesk worker`: only the job worker, until SIGINT/SIGTERM.
async fn run_worker(db: &DbArgs, jobs: usize, public_url: &str) -> anyhow::Result<()> {
    let (store, _) = open_store_with_key(db).await?;
    worker::run_until_signal(store, jobs, public_url).await
}

/// `ebdesk migrate`.
async fn migrate(db: &DbArgs) -> anyhow::Result<()> {
    open_store(db).await?;
    println!("Database is bijgewerkt.");
    Ok(())
}

/// `ebdesk demo`, with its elapsed time and peak memory.
async fn run_demo(
    db: &DbArgs,
    size: Option<usize>,
    employers: Option<usize>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    match employers {
        Some(employers) => load_scale_demo(db, employers, size.unwrap_or(0)).await?,
        None => load_demo(db, size).await?,
    }
    println!(
        "Klaar in {:.1} s, piekgeheugen {} MiB (VmHWM).",
        started.elapsed().as_secs_f64(),
        demo::scale::peak_memory_mib().map_or("?".to_owned(), |m| m.to_string())
    );
    Ok(())
}

/// `ebdesk demo --employers N --size M`: the demo data on an empty database, then the scale
/// set.
async fn load_scale_demo(db: &DbArgs, employers: usize, size: usize) -> anyhow::Result<()> {
    let (store, key) = open_store_with_key(db).await?;
    if store.has_no_employers().await? {
        demo::load(&store, &key).await?;
        println!("Demogegevens geladen.");
    }
    demo::print_logins(&store).await?;
    demo::scale::load(&store, &key, employers, size).await
}

/// `ebdesk demo`: the demo data on an empty database, and `size` affiliates at Groot Bedrijf
/// NV when asked.
async fn load_demo(db: &DbArgs, size: Option<usize>) -> anyhow::Result<()> {
    let (store, key) = open_store_with_key(db).await?;
    if store.has_no_employers().await? {
        demo::load(&store, &key).await?;
        println!("Demogegevens geladen.");
    }
    if let Some(size) = size {
        let started = std::time::Instant::now();
        demo::load_large_employer(&store, &key, size).await?;
        println!(
            "Groot Bedrijf NV (530-900) met {size} aangeslotenen geladen in {:.1} s.",
            started.elapsed().as_secs_f64()
        );
    }
    demo::print_logins(&store).await?;
    Ok(())
}
