//! Password hashing with argon2id (OWASP parameters, the crate's defaults), on a blocking
//! thread so that a burst of logins does not stall the server.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::AppError;

/// Hashes a password (used by the CLI for operators and demo users).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A hash to verify against when the account does not exist, so that the answer takes as
/// long as for a real account and does not reveal which e-mails exist.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_password("no account has this password").ok());

/// True when `password` matches `hash`; with no hash it still spends the same time.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let Some(hash) = hash.or_else(|| DUMMY_HASH.clone()) else {
            return false;
        };
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        known && ok
    })
    .await
    .map_err(|e| AppError::Internal(format!("password check did not finish: {e}")))
}

/// Hashes a new password on a blocking thread.
pub async fn hash_password_async(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing did not finish: {e}")))?
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}
