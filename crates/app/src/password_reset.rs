//! "Wachtwoord vergeten": a reset link (valid one hour, only its hash stored) mailed to the
//! holder of an active account.

use chrono::{DateTime, Utc};
use ebdesk_store::{Account, Actor, Store};

use crate::Error;
use crate::credentials::{RESET_VALIDITY, hash_token, random_token};
use crate::mails::{self, Recipient};

/// Mails `account` a new reset link; earlier links stay valid until they expire or one is
/// used.
pub async fn send_password_reset(
    store: &Store,
    account: &Account,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let token = random_token();
    let holder = Recipient::new(&account.email, &account.display_name, &account.language);
    let mail = mails::password_reset(holder, public_url, &token)?;
    store
        .insert_reset_token(
            account.id,
            &hash_token(&token),
            now + RESET_VALIDITY,
            mail,
            actor,
            now,
        )
        .await?;
    Ok(())
}
