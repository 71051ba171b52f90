//! The server's key for secrets kept at rest (TOTP secrets, bodies of queued e-mails):
//! ChaCha20-Poly1305 with a random nonce per value, stored as base64(nonce ‖ ciphertext).
//!
//! Every app node needs the same key. [`SecretKey::check_value`] lets a node prove that it
//! holds the key the database was written with, without storing anything that reveals it.
//! Its own crate so that the store (which seals the outbox), the server and the CLI share
//! one type without the store depending on the server.

#![forbid(unsafe_code)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes of a key.
pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;

/// The label whose HMAC is the key check value. Changing it invalidates every database.
const CHECK_LABEL: &[u8] = b"ebdesk key check v1";

/// Hex digits of the check value shown to people (enough to tell two keys apart).
const FINGERPRINT_HEX: usize = 12;

#[derive(Clone)]
pub struct SecretKey(Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the key must be {KEY_BYTES} bytes in base64")]
    BadKey,
    #[error("a stored secret could not be decrypted (wrong key or damaged value)")]
    Undecryptable,
}

impl SecretKey {
    /// A key from its base64 text (as in `EBDESK_SECRET_KEY` or the key file).
    pub fn from_base64(text: &str) -> Result<SecretKey, SecretError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| SecretError::BadKey)?;
        if bytes.len() != KEY_BYTES {
            return Err(SecretError::BadKey);
        }
        Ok(SecretKey(*Key::from_slice(&bytes)))
    }

    /// A new random key, as base64.
    pub fn generate_base64() -> String {
        STANDARD.encode(ChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// A new random key (tests, and a first start without a key).
    pub fn generate() -> SecretKey {
        SecretKey(ChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn encrypt(&self, plaintext: &[u8]) -> Result<String, SecretError> {
        self.encrypt_for(b"", plaintext)
    }

    pub fn decrypt(&self, stored: &str) -> Result<Vec<u8>, SecretError> {
        self.decrypt_for(b"", stored)
    }

    /// Encrypts `plaintext` bound to `context` (e.g. the recipient of an e-mail): the value
    /// decrypts only with the same context, so it cannot be moved to another row.
    pub fn encrypt_for(&self, context: &[u8], plaintext: &[u8]) -> Result<String, SecretError> {
        let cipher = ChaCha20Poly1305::new(&self.0);
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .map_err(|_| SecretError::Undecryptable)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(STANDARD.encode(out))
    }

    /// The plaintext of a value of [`SecretKey::encrypt_for`] with the same `context`.
    pub fn decrypt_for(&self, context: &[u8], stored: &str) -> Result<Vec<u8>, SecretError> {
        let bytes = STANDARD
            .decode(stored)
            .map_err(|_| SecretError::Undecryptable)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        ChaCha20Poly1305::new(&self.0)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .map_err(|_| SecretError::Undecryptable)
    }

    /// HMAC-SHA-256 of a fixed label under this key, in hex: the same for every node with
    /// this key, different for any other key, and useless for finding the key.
    pub fn check_value(&self) -> String {
        // HMAC takes keys of any length: new_from_slice cannot refuse 32 bytes, and an
        // empty value would match no stored check value anyway.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_slice()) else {
            return String::new();
        };
        mac.update(CHECK_LABEL);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `stored` is this key's [`SecretKey::check_value`] (compared in constant time).
    pub fn matches_check_value(&self, stored: &str) -> bool {
        use subtle::ConstantTimeEq as _;
        let mine = self.check_value();
        !mine.is_empty() && mine.as_bytes().ct_eq(stored.trim().as_bytes()).into()
    }

    /// The start of the check value: lets people compare the keys of two nodes in logs and
    /// messages without showing either key.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.check_value())
    }
}

/// The fingerprint of a stored check value (see [`SecretKey::fingerprint`]).
pub fn fingerprint_of(check_value: &str) -> String {
    check_value.chars().take(FINGERPRINT_HEX).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_secret_comes_back_only_with_the_same_key_and_is_never_stored_in_clear() {
        let key = SecretKey::from_base64(&SecretKey::generate_base64()).unwrap();
        let stored = key.encrypt(b"JBSWY3DPEHPK3PXP").unwrap();
        assert!(!stored.contains("JBSWY3DP"));
        assert_eq!(key.decrypt(&stored).unwrap(), b"JBSWY3DPEHPK3PXP");
        // Same plaintext, new nonce: two different stored values.
        assert_ne!(stored, key.encrypt(b"JBSWY3DPEHPK3PXP").unwrap());
        let other = SecretKey::from_base64(&SecretKey::generate_base64()).unwrap();
        assert!(other.decrypt(&stored).is_err());
        assert!(SecretKey::from_base64("dGVzdA==").is_err());
    }

    #[test]
    fn a_value_bound_to_a_context_decrypts_only_in_that_context() {
        let key = SecretKey::generate();
        let stored = key
            .encrypt_for(b"an@firma.test", b"/activeren/abc")
            .unwrap();
        assert_eq!(
            key.decrypt_for(b"an@firma.test", &stored).unwrap(),
            b"/activeren/abc"
        );
        assert!(key.decrypt_for(b"mallory@firma.test", &stored).is_err());
        assert!(key.decrypt(&stored).is_err());
    }

    #[test]
    fn the_check_value_tells_keys_apart_and_is_stable() {
        let text = SecretKey::generate_base64();
        let key = SecretKey::from_base64(&text).unwrap();
        let again = SecretKey::from_base64(&text).unwrap();
        let other = SecretKey::generate();
        assert_eq!(key.check_value(), again.check_value());
        assert_eq!(key.check_value().len(), 64);
        assert!(key.matches_check_value(&again.check_value()));
        assert!(!key.matches_check_value(&other.check_value()));
        assert!(!key.matches_check_value(""));
        assert!(!key.check_value().contains(text.trim_end_matches('=')));
        assert_eq!(key.fingerprint().len(), 12);
        assert_ne!(key.fingerprint(), other.fingerprint());
    }
}
