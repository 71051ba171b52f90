//! "2FA herstellen": the authenticator and recovery codes of an account are removed, its
//! sessions end, and its holder gets a mail in their language saying who did it.

use chrono::{DateTime, Utc};
use ebdesk_store::{Access, Account, Actor, Store};

use crate::Error;
use crate::mails::{self, Recipient, ResetBy};

/// A master user resets the second factor of someone with a sheet at their employer.
pub async fn reset_by_master(
    store: &Store,
    access: &Access,
    sheet_id: i64,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let sheet = store
        .find_sheet(access, sheet_id)
        .await?
        .ok_or(Error::Store(ebdesk_store::StoreError::NotFound))?;
    let holder = Recipient::new(&sheet.email, &sheet.display_name, &sheet.language);
    let by = ResetBy::MasterOf(&access.employer().name);
    let notice = mails::totp_reset(holder, public_url, by)?;
    store
        .reset_second_factor(access, sheet_id, notice, actor, now)
        .await?;
    Ok(())
}

/// The operator resets the second factor of any account.
pub async fn reset_by_operator(
    store: &Store,
    account: &Account,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let holder = Recipient::new(&account.email, &account.display_name, &account.language);
    let notice = mails::totp_reset(holder, public_url, ResetBy::Operator)?;
    store
        .reset_second_factor_of(account.id, notice, actor, now)
        .await?;
    Ok(())
}
