//! Delivers the e-mail outbox: SMTP through lettre when an SMTP host is configured, else
//! `.eml` files in the data folder. See [`run_sender`] for the loop that drains the outbox.

#![forbid(unsafe_code)]

mod sender;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use ebdesk_store::{ClaimedEmail, FailureKind};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use thiserror::Error;

pub use sender::{SendReport, SenderHandle, SenderOptions, run_sender, send_due, spawn_sender};

/// How long one SMTP conversation may take before it counts as a failed attempt.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where and how to deliver.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The From of every message, e.g. `ebdesk <no-reply@verzekeraar.be>`.
    pub from: String,
    /// None: write `.eml` files into `mail_dir` instead of sending.
    pub smtp: Option<SmtpSettings>,
    /// Usually `<data dir>/mail`.
    pub mail_dir: PathBuf,
}

/// An SMTP relay. `Debug` does not show the password.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    /// None: the default of the security mode (587 STARTTLS, 465 TLS, 25 none).
    pub port: Option<u16>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub security: SmtpSecurity,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("security", &self.security)
            .finish()
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests (port 25).
    None,
}

impl FromStr for SmtpSecurity {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "starttls" => Ok(SmtpSecurity::StartTls),
            "tls" => Ok(SmtpSecurity::Tls),
            "none" => Ok(SmtpSecurity::None),
            other => Err(format!("expected starttls, tls or none, not {other:?}")),
        }
    }
}

/// A setting that cannot work.
#[derive(Debug, Error)]
pub enum MailError {
    #[error("invalid sender address {0:?}")]
    InvalidFrom(String),
    #[error("invalid SMTP settings: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// A failed delivery: the text for the operator, and whether a retry may help.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub kind: FailureKind,
}

impl SendError {
    fn transient(message: String) -> SendError {
        SendError {
            message,
            kind: FailureKind::Transient,
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Formats and delivers one message at a time.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// The transport the settings ask for. Connects to nothing yet.
    pub fn new(settings: &MailSettings) -> Result<Mailer, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| MailError::InvalidFrom(settings.from.clone()))?;
        let transport = match &settings.smtp {
            None => Transport::Files(settings.mail_dir.clone()),
            Some(smtp) => {
                let mut builder = match smtp.security {
                    SmtpSecurity::StartTls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                };
                if let Some(port) = smtp.port {
                    builder = builder.port(port);
                }
                if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Transport::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build())
            }
        };
        Ok(Mailer { from, transport })
    }

    /// One line for the startup log: where messages go.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Builds the RFC 5322 message of an outbox entry: plain UTF-8 text.
    pub fn build_message(&self, email: &ClaimedEmail) -> Result<Message, SendError> {
        let permanent = |message: String| SendError {
            message,
            kind: FailureKind::Permanent,
        };
        let to: Mailbox = email
            .to_address
            .parse()
            .map_err(|e| permanent(format!("invalid recipient address: {e}")))?;
        // A body this node cannot open will not open on a retry either.
        let body = email.body_text.clone().ok_or_else(|| {
            permanent("the body cannot be decrypted with this node's key".to_owned())
        })?;
        let domain = self.from.email.domain().to_owned();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!(
                "<outbox-{}.{}@{domain}>",
                email.id, email.lease_token
            )))
            .date_now()
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| permanent(format!("cannot build the message: {e}")))
    }

    /// Delivers one message.
    pub async fn send(&self, email: &ClaimedEmail) -> Result<(), SendError> {
        let message = self.build_message(email)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                // A 5xx reply is not taken as final: wrong credentials or a refused sender
                // answer 5xx too, and would otherwise drop every message at once.
                smtp.send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError::transient(format!("SMTP: {e}")))
            }
            Transport::Files(dir) => write_eml(dir, email.id, &message.formatted())
                .await
                .map_err(|e| SendError::transient(format!("writing {}: {e}", dir.display()))),
        }
    }
}

/// Writes `<dir>/<UTC time>-<outbox id>.eml`, whole or not at all (written aside, then renamed).
async fn write_eml(dir: &std::path::Path, id: i64, content: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let name = format!("{}-{id}.eml", Utc::now().format("%Y%m%dT%H%M%S%.3fZ"));
    let partial = dir.join(format!(".{name}.partial"));
    tokio::fs::write(&partial, content).await?;
    tokio::fs::rename(&partial, dir.join(name)).await
}
