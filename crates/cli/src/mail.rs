//! The e-mail settings of `ebdesk serve`.

use std::path::Path;

use clap::Args;
use ebdesk_mail::{MailSettings, SmtpSecurity, SmtpSettings};

/// Without `--smtp-host`, messages are written as .eml files into `<data dir>/mail/`.
#[derive(Args, Clone, Debug)]
pub struct MailArgs {
    /// SMTP relay; empty: write .eml files into <data dir>/mail instead of sending.
    #[arg(long, env = "EBDESK_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP port (default: 587 for starttls, 465 for tls, 25 for none).
    #[arg(long, env = "EBDESK_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// starttls, tls or none.
    #[arg(long, env = "EBDESK_SMTP_SECURITY", default_value = "starttls")]
    smtp_security: SmtpSecurity,
    /// SMTP login; its password is read from EBDESK_SMTP_PASSWORD only (never a flag).
    #[arg(long, env = "EBDESK_SMTP_USER")]
    smtp_user: Option<String>,
    /// The From of every message.
    #[arg(
        long,
        env = "EBDESK_MAIL_FROM",
        default_value = "ebdesk <no-reply@localhost>"
    )]
    mail_from: String,
}

impl MailArgs {
    pub fn settings(&self, data_dir: &Path) -> MailSettings {
        let host = self.smtp_host.clone().filter(|h| !h.is_empty());
        MailSettings {
            from: self.mail_from.clone(),
            smtp: host.map(|host| SmtpSettings {
                host,
                port: self.smtp_port,
                username: self.smtp_user.clone(),
                password: std::env::var("EBDESK_SMTP_PASSWORD").ok(),
                security: self.smtp_security,
            }),
            mail_dir: data_dir.join("mail"),
        }
    }
}
