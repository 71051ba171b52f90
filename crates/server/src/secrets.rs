//! The server's key for secrets kept at rest (TOTP secrets): ChaCha20-Poly1305 with a random
//! nonce per value, stored as base64(nonce ‖ ciphertext). Every app node needs the same key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// Bytes of a key.
pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;

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

    pub fn encrypt(&self, plaintext: &[u8]) -> Result<String, SecretError> {
        let cipher = ChaCha20Poly1305::new(&self.0);
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(&nonce, plaintext)
            .map_err(|_| SecretError::Undecryptable)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(STANDARD.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> Result<Vec<u8>, SecretError> {
        let bytes = STANDARD
            .decode(stored)
            .map_err(|_| SecretError::Undecryptable)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        ChaCha20Poly1305::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| SecretError::Undecryptable)
    }
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
}
