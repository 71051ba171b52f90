//! The account e-mails: activation, access, notices to the holder.

use chrono::Duration;
use ebdesk_store::OutgoingMail;

use super::templates::render;
use super::{AppError, AppState};

/// How long an activation link and a reset link stay valid.
pub const ACTIVATION_VALIDITY: Duration = Duration::hours(72);
pub const RESET_VALIDITY: Duration = Duration::hours(1);

/// Tells an account holder that their second factor was reset, and by whom.
pub fn totp_reset_mail(
    to: &str,
    name: &str,
    by: &str,
    state: &AppState,
) -> Result<OutgoingMail, AppError> {
    let mut context = tera::Context::new();
    context.insert("name", name);
    context.insert("by", by);
    context.insert("link", &format!("{}/login", state.settings.public_url));
    mail(
        to,
        "mail-totp-reset-subject",
        "mail_totp_reset.txt",
        &context,
    )
}

/// A notice to the account holder about a change of their own account.
pub fn account_notice(
    to: &str,
    name: &str,
    subject_key: &str,
    template: &str,
    state: &AppState,
) -> Result<OutgoingMail, AppError> {
    let mut context = tera::Context::new();
    context.insert("name", name);
    context.insert("link", &format!("{}/login", state.settings.public_url));
    mail(to, subject_key, template, &context)
}

/// The invitation with the activation link (72 hours) for a new account.
pub fn activation_mail(
    to: &str,
    name: &str,
    public_url: &str,
    token: &str,
) -> Result<OutgoingMail, AppError> {
    let mut context = tera::Context::new();
    context.insert("name", name);
    context.insert("link", &format!("{public_url}/activeren/{token}"));
    mail(
        to,
        "mail-activation-subject",
        "mail_activation.txt",
        &context,
    )
}

/// A Dutch e-mail from a text template and a subject from the catalog.
pub fn mail(
    to: &str,
    subject_key: &str,
    template: &str,
    context: &tera::Context,
) -> Result<OutgoingMail, AppError> {
    let mut context = context.clone();
    context.insert("lang", "nl");
    Ok(OutgoingMail {
        to: to.to_owned(),
        subject: crate::shared::i18n::message(
            &crate::shared::i18n::language("nl"),
            subject_key,
            &[],
        ),
        body: render(&format!("mail/{template}"), &context)?,
    })
}
