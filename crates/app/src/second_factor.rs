//! "2FA herstellen": the authenticator and recovery codes of an account are removed, its
//! sessions end, and its holder gets a mail in their language saying who did it.

use chrono::{DateTime, Utc};
use ebdesk_store::{Access, Account, Actor, Store, StoreError};

use crate::Error;
use crate::mails::{self, Recipient, ResetBy};

/// Whose second factor is reset, by whom.
#[derive(Debug, Clone, Copy)]
pub enum Reset<'a> {
    /// By the master user of `access`'s employer: someone with a sheet there.
    ByMaster { access: &'a Access, sheet_id: i64 },
    /// By the operator: any account.
    ByOperator(&'a Account),
}

/// Resets the second factor and tells its holder.
pub async fn reset_second_factor(
    store: &Store,
    reset: Reset<'_>,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    match reset {
        Reset::ByMaster { access, sheet_id } => {
            let sheet = store
                .find_sheet(access, sheet_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            let holder = Recipient::new(&sheet.email, &sheet.display_name, &sheet.language);
            let by = ResetBy::MasterOf(&access.employer().name);
            let notice = mails::totp_reset(holder, public_url, by)?;
            store
                .reset_second_factor(access, sheet_id, notice, actor, now)
                .await?;
        }
        Reset::ByOperator(account) => {
            let holder = Recipient::new(&account.email, &account.display_name, &account.language);
            let notice = mails::totp_reset(holder, public_url, ResetBy::Operator)?;
            store
                .reset_second_factor_of(account.id, notice, actor, now)
                .await?;
        }
    }
    Ok(())
}
