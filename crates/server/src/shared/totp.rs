//! TOTP with totp-rs (SHA-1, 6 digits, 30 s: what authenticator apps expect), the QR code of
//! the enrolment page, and recovery codes. Replay protection is ebdesk's own (see
//! `ebdesk_domain::access::check_totp` and `Store::accept_totp_step`).

use ebdesk_domain::access::{TOTP_STEP_SECONDS, TotpCheck, check_totp};
use rand::Rng;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use super::AppError;

const ISSUER: &str = "ebdesk";
/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret of 160 bits, base32 (as apps show and accept it).
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret_base32: &str, account: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|_| AppError::Internal("TOTP secret is not base32".to_owned()))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        TOTP_STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|e| AppError::Internal(format!("TOTP: {e}")))
}

/// Checks a typed code against the secret at `unix_time`, refusing steps up to `last_step`.
pub fn check(
    secret_base32: &str,
    code: &str,
    unix_time: u64,
    last_step: Option<u64>,
) -> Result<TotpCheck, AppError> {
    let totp = totp(secret_base32, "x")?;
    Ok(check_totp(code, unix_time, last_step, |step| {
        totp.generate(step * TOTP_STEP_SECONDS)
    }))
}

/// The code an authenticator app shows at `unix_time` (for scripts and tests).
pub fn code_at(secret_base32: &str, unix_time: u64) -> Result<String, AppError> {
    Ok(totp(secret_base32, "x")?.generate(unix_time))
}

/// The enrolment QR code (an otpauth:// URL) as inline SVG.
pub fn qr_svg(secret_base32: &str, account: &str) -> Result<String, AppError> {
    let url = totp(secret_base32, account)?.get_url();
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build())
}

/// Ten recovery codes like `k7qm-x2p9-4hdt` (60 bits each), as shown to the user.
pub fn generate_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What is stored of a recovery code: a hash bound to the account.
pub fn recovery_code_hash(user_id: i64, code: &str) -> String {
    let normalized = ebdesk_domain::access::normalize_recovery_code(code);
    let digest = Sha256::digest(format!("ebdesk-recovery:{user_id}:{normalized}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_code_an_app_shows_now_is_accepted_once() {
        let secret = generate_secret();
        let now = 1_800_000_000;
        let code = totp(&secret, "a@b.test").unwrap().generate(now);
        let TotpCheck::Accepted { step } = check(&secret, &code, now, None).unwrap() else {
            panic!("refused");
        };
        assert_eq!(
            check(&secret, &code, now, Some(step)).unwrap(),
            TotpCheck::Reused
        );
        // 90 s later the same code is too old.
        assert_eq!(
            check(&secret, &code, now + 90, None).unwrap(),
            TotpCheck::Wrong
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_their_hash_ignores_typing_differences() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        let typed = codes[0].to_uppercase().replace('-', " ");
        assert_eq!(
            recovery_code_hash(7, &typed),
            recovery_code_hash(7, &codes[0])
        );
        assert_ne!(
            recovery_code_hash(8, &codes[0]),
            recovery_code_hash(7, &codes[0])
        );
    }

    #[test]
    fn the_qr_code_is_an_svg() {
        assert!(
            qr_svg(&generate_secret(), "a@b.test")
                .unwrap()
                .contains("<svg")
        );
    }
}
