//! The secrets of accounts: random tokens (activation and reset links, sessions) of which only
//! the hash is stored, and passwords hashed with argon2id (the crate's defaults are the OWASP
//! parameters) on a blocking thread, so that a burst of logins does not stall the server.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::Error;

/// How long an activation link stays valid.
pub const ACTIVATION_VALIDITY: Duration = Duration::hours(72);
/// How long the link that confirms a new notification address stays valid.
pub const NOTIFICATION_LINK_VALIDITY: Duration = Duration::hours(72);
/// How long a password reset link stays valid.
pub const RESET_VALIDITY: Duration = Duration::hours(1);

/// 32 random bytes, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a token, in hex: what the database keeps instead of the token.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes a password on the calling thread (the CLI and tests; the server uses
/// [`hash_password_async`]).
pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Password(e.to_string()))
}

/// Hashes a new password on a blocking thread.
pub async fn hash_password_async(password: String) -> Result<String, Error> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Password(format!("hashing did not finish: {e}")))?
}

/// A hash to verify against when the account does not exist, so that the answer takes as
/// long as for a real account and does not reveal which e-mails exist.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_password("no account has this password").ok());

/// True when `password` matches `hash`; with no hash it still spends the same time.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, Error> {
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
    .map_err(|e| Error::Password(format!("password check did not finish: {e}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_random_and_only_its_hash_is_kept() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
        assert!(!hash_token(&a).contains(&a));
    }

    #[tokio::test]
    async fn a_password_verifies_against_its_hash_and_nothing_else() {
        let hash = hash_password_async("juist wachtwoord".to_owned())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let check = |p: &str, h: Option<String>| verify_password(p.to_owned(), h);
        assert!(check("juist wachtwoord", Some(hash.clone())).await.unwrap());
        assert!(!check("fout wachtwoord", Some(hash)).await.unwrap());
        // No account: false, after the same work.
        assert!(!check("no account has this password", None).await.unwrap());
        assert!(!check("x", Some("not a hash".to_owned())).await.unwrap());
    }
}
