//! The `ebdesk` binary: serve, migrate, demo data.

mod audit;
mod demo;
mod mail;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use ebdesk_server::Application;
use ebdesk_store::Store;

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
    },
    /// Applies the database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Loads the demo data; `--size N` adds "Groot Bedrijf NV" (530-900) with N affiliates.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        size: Option<usize>,
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            db,
            bind,
            demo,
            mail,
        } => {
            init_tracing(&db.log_level);
            let store = open_store(&db).await?;
            if demo && store.has_no_employers().await? {
                demo::load(&store).await?;
            }
            let mailer = ebdesk_mail::Mailer::new(&mail.settings(&db.data_dir))
                .context("e-mail settings")?;
            let sender = ebdesk_mail::spawn_sender(store.clone(), mailer, Default::default());
            let app = Application::build(store, &bind).context("binding the address")?;
            let host = bind.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
            println!("ebdesk luistert op http://{host}:{}", app.port());
            if demo {
                demo::print_logins();
            }
            app.run_until_stopped().await?;
            sender.stop().await;
        }
        Command::Migrate { db } => {
            init_tracing(&db.log_level);
            open_store(&db).await?;
            println!("Database is bijgewerkt.");
        }
        Command::Demo { db, size } => {
            init_tracing(&db.log_level);
            let store = open_store(&db).await?;
            if store.has_no_employers().await? {
                demo::load(&store).await?;
                println!("Demogegevens geladen.");
            }
            if let Some(size) = size {
                let started = std::time::Instant::now();
                demo::load_large_employer(&store, size).await?;
                println!(
                    "Groot Bedrijf NV (530-900) met {size} aangeslotenen geladen in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            demo::print_logins();
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
