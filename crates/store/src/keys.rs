//! The server key as the store sees it: the check that every node holds the same key, and
//! the key that seals the bodies of queued e-mails ([`crate::outbox`]).
//!
//! The sealing key is process-wide ([`use_secret_key`]): one ebdesk process serves one
//! installation with one key, and e-mails are queued from inside the write transaction of
//! each change (`write_effects!`), where only the transaction is at hand.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use ebdesk_keys::SecretKey;

use crate::db::{BeginWrite, with_pool};
use crate::{Result, Store, StoreError};

static OUTBOX_KEY: OnceLock<SecretKey> = OnceLock::new();

/// Installs the key that seals and opens e-mail bodies in this process. Installing the same
/// key again is fine; another key is refused ([`StoreError::KeyConflict`]).
pub fn use_secret_key(key: &SecretKey) -> Result<()> {
    let installed = OUTBOX_KEY.get_or_init(|| key.clone());
    if installed.check_value() == key.check_value() {
        Ok(())
    } else {
        Err(StoreError::KeyConflict)
    }
}

/// The installed key, or [`StoreError::NoSecretKey`].
pub(crate) fn installed_key() -> Result<&'static SecretKey> {
    OUTBOX_KEY.get().ok_or(StoreError::NoSecretKey)
}

/// What [`Store::check_secret_key`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// The database had no check value: this key's is stored now (first start).
    Recorded,
    /// The database was written with this key.
    Matches,
    /// The database was written with another key; the fingerprint of that key.
    Differs { stored_fingerprint: String },
    /// The database has no check value yet but holds secrets this key cannot decrypt (an
    /// installation from before the check, started with the wrong key). Nothing was stored.
    CannotDecrypt,
}

impl KeyCheck {
    pub fn is_ok(&self) -> bool {
        matches!(self, KeyCheck::Recorded | KeyCheck::Matches)
    }
}

impl Store {
    /// The stored key check value, if a node recorded one.
    pub async fn stored_key_check(&self) -> Result<Option<String>> {
        const SQL: &str = "SELECT check_value FROM key_check WHERE id = 1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).fetch_optional(pool).await?
        }))
    }

    /// Proves that `key` is the key of this database: records its check value when there is
    /// none (the first of concurrent first starts wins; the others then compare), else
    /// compares. On first record, clear e-mail bodies of older versions are sealed.
    pub async fn check_secret_key(&self, key: &SecretKey, now: DateTime<Utc>) -> Result<KeyCheck> {
        const INSERT: &str = "INSERT INTO key_check (id, check_value, created_at) \
            VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING";
        const ONE_SECRET: &str =
            "SELECT totp_secret FROM users WHERE totp_secret IS NOT NULL LIMIT 1";
        let stored = match self.stored_key_check().await? {
            Some(stored) => stored,
            None => {
                // Before the check existed every node wrote TOTP secrets with its key: one of
                // them tells whether this is that key.
                let secret: Option<String> = with_pool!(self, pool => {
                    sqlx::query_scalar(ONE_SECRET).fetch_optional(pool).await?
                });
                if secret.is_some_and(|s| key.decrypt(&s).is_err()) {
                    return Ok(KeyCheck::CannotDecrypt);
                }
                let inserted = with_pool!(self, pool => {
                    sqlx::query(INSERT)
                        .bind(key.check_value())
                        .bind(now)
                        .execute(pool)
                        .await?
                        .rows_affected()
                });
                if inserted == 1 {
                    self.seal_clear_outbox(key).await?;
                    return Ok(KeyCheck::Recorded);
                }
                self.stored_key_check()
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("key check vanished".to_owned()))?
            }
        };
        Ok(if key.matches_check_value(&stored) {
            KeyCheck::Matches
        } else {
            KeyCheck::Differs {
                stored_fingerprint: ebdesk_keys::fingerprint_of(&stored),
            }
        })
    }

    /// Seals the bodies that versions before the sealing stored in clear. Returns how many.
    async fn seal_clear_outbox(&self, key: &SecretKey) -> Result<u64> {
        const CLEAR: &str =
            "SELECT id, to_address, body FROM email_outbox WHERE sealed_body IS NULL";
        const SEAL: &str = "UPDATE email_outbox SET sealed_body = $2, body = '' \
            WHERE id = $1 AND sealed_body IS NULL";
        let mut sealed = 0;
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let rows: Vec<(i64, String, String)> =
                sqlx::query_as(CLEAR).fetch_all(&mut *tx).await?;
            for (id, to, body) in rows {
                let value = crate::outbox::seal_body(key, &to, &body)?;
                sealed += sqlx::query(SEAL)
                    .bind(id)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        if sealed > 0 {
            tracing::info!(count = sealed, "sealed e-mail bodies stored in clear");
        }
        Ok(sealed)
    }
}
