//! Rules of access: which e-mail address may become a login, which password is acceptable,
//! how TOTP codes are checked, and when failed attempts slow a login down.

use crate::EmailAddress;

/// Free-mail providers: a login must be an address of the employer's own organisation
/// (the VGZ rule: "dus geen Gmail of outlook").
const FREE_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "outlook.be",
    "hotmail.com",
    "hotmail.be",
    "live.com",
    "live.be",
    "msn.com",
    "yahoo.com",
    "yahoo.fr",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "telenet.be",
    "skynet.be",
    "scarlet.be",
    "proximus.be",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "aol.com",
    "mail.com",
    "zoho.com",
    "yandex.com",
    "tutanota.com",
    "tuta.io",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "online.be",
    "base.be",
    "belgacom.net",
    "kpnmail.nl",
    "ziggo.nl",
];

/// Mailboxes of a department or a function, not of one person.
const GENERIC_MAILBOXES: &[&str] = &[
    "info",
    "hr",
    "admin",
    "administratie",
    "personeel",
    "personeelsdienst",
    "sales",
    "contact",
    "office",
    "secretariaat",
    "boekhouding",
    "accounting",
    "payroll",
    "loon",
    "lonen",
    "support",
    "helpdesk",
    "noreply",
    "no-reply",
    "postmaster",
    "webmaster",
    "team",
    "mail",
    "algemeen",
    "directie",
    "management",
    "receptie",
    "onthaal",
    "rh",
    "personnel",
    "service",
    "finance",
    "it",
    "welcome",
    "jobs",
    "vacatures",
];

/// Why an address cannot be a login.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginEmailError {
    #[error("free-mail provider")]
    FreeMail,
    #[error("generic mailbox")]
    GenericMailbox,
}

impl LoginEmailError {
    pub fn code(&self) -> &'static str {
        match self {
            LoginEmailError::FreeMail => "login-email-free-mail",
            LoginEmailError::GenericMailbox => "login-email-generic",
        }
    }
}

/// Checks that a (syntactically valid) address is a personal address of an organisation.
pub fn check_login_email(email: &EmailAddress) -> Result<(), LoginEmailError> {
    let domain = email.domain().to_ascii_lowercase();
    if FREE_MAIL_DOMAINS.contains(&domain.as_str()) {
        return Err(LoginEmailError::FreeMail);
    }
    let local = email.local_part().to_ascii_lowercase();
    // "hr@", but also "hr.gent@" or "info-be@": the first word names the mailbox.
    let first_word = local.split(['.', '-', '_', '+']).next().unwrap_or(&local);
    if GENERIC_MAILBOXES.contains(&local.as_str()) || GENERIC_MAILBOXES.contains(&first_word) {
        return Err(LoginEmailError::GenericMailbox);
    }
    Ok(())
}

/// Shortest password accepted (NIST 800-63B: length and a blocklist, no composition rules).
pub const MIN_PASSWORD_CHARS: usize = 12;

static COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("too short")]
    TooShort,
    #[error("too common")]
    TooCommon,
    #[error("contains the e-mail address")]
    ContainsEmail,
}

impl PasswordError {
    pub fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "password-too-short",
            PasswordError::TooCommon => "password-too-common",
            PasswordError::ContainsEmail => "password-contains-email",
        }
    }
}

/// Checks a new password: at least 12 characters, not on the list of common passwords (nor
/// one character repeated), and not the login itself.
pub fn check_new_password(password: &str, email: &str) -> Result<(), PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let lower = password.to_lowercase();
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first)
        || COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .any(|common| !common.is_empty() && common == lower)
    {
        return Err(PasswordError::TooCommon);
    }
    let local = email.split('@').next().unwrap_or(email).to_lowercase();
    if lower.contains(&email.to_lowercase()) || (local.len() >= 4 && lower == local) {
        return Err(PasswordError::ContainsEmail);
    }
    Ok(())
}

/// Seconds per TOTP time step (RFC 6238 default, what authenticator apps use).
pub const TOTP_STEP_SECONDS: u64 = 30;

/// The outcome of checking a TOTP code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpCheck {
    /// Accepted: store this step, so the same code is never accepted again.
    Accepted {
        step: u64,
    },
    /// The code belongs to a step already used (a replayed code).
    Reused,
    Wrong,
}

/// Checks `code` against the codes of the steps around `unix_time` (±1 step for clock
/// drift). `code_at(step)` gives the expected code of a step. A step at or before
/// `last_step` is refused: totp-rs leaves replay protection to the caller.
pub fn check_totp(
    code: &str,
    unix_time: u64,
    last_step: Option<u64>,
    code_at: impl Fn(u64) -> String,
) -> TotpCheck {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return TotpCheck::Wrong;
    }
    let now = unix_time / TOTP_STEP_SECONDS;
    let mut reused = false;
    for step in [now.saturating_sub(1), now, now + 1] {
        if code_at(step) == code {
            if last_step.is_some_and(|last| step <= last) {
                reused = true;
            } else {
                return TotpCheck::Accepted { step };
            }
        }
    }
    if reused {
        TotpCheck::Reused
    } else {
        TotpCheck::Wrong
    }
}

/// Wrong codes in a row that lock an account.
pub const MAX_FAILED_CODES: i64 = 10;

/// Throttling of failed logins: how many failures a key (an account or an IP address) may
/// have within the window before it must wait.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub max_failures: usize,
    pub window: chrono::Duration,
}

/// Per account: 5 failures in 15 minutes.
pub const ACCOUNT_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: chrono::Duration::minutes(15),
};

/// Per IP address (an office behind one address has many users): 30 in 15 minutes.
pub const IP_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    max_failures: 30,
    window: chrono::Duration::minutes(15),
};

impl ThrottlePolicy {
    /// When the key may try again, given the times of its failures within the window
    /// (oldest first); None when it may try now.
    pub fn retry_at(
        &self,
        failures_in_window: &[chrono::DateTime<chrono::Utc>],
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        if failures_in_window.len() < self.max_failures {
            return None;
        }
        // The attempt that falls out of the window first frees a place.
        let index = failures_in_window.len() - self.max_failures;
        failures_in_window
            .get(index)
            .map(|first| *first + self.window)
    }
}

/// Normalizes a typed recovery code: case, spaces and dashes do not matter.
pub fn normalize_recovery_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{TimeZone, Utc};

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[test]
    fn free_mail_and_generic_mailboxes_cannot_become_logins() {
        assert_eq!(
            check_login_email(&email("jan.peeters@gmail.com")),
            Err(LoginEmailError::FreeMail)
        );
        assert_eq!(
            check_login_email(&email("x@Telenet.be")),
            Err(LoginEmailError::FreeMail)
        );
        assert_eq!(
            check_login_email(&email("info@peeters.test")),
            Err(LoginEmailError::GenericMailbox)
        );
        assert_eq!(
            check_login_email(&email("HR@peeters.test")),
            Err(LoginEmailError::GenericMailbox)
        );
        assert_eq!(
            check_login_email(&email("personeel.gent@peeters.test")),
            Err(LoginEmailError::GenericMailbox)
        );
        assert_eq!(check_login_email(&email("jan.maes@peeters.test")), Ok(()));
        // A person whose name starts like a mailbox is still a person.
        assert_eq!(
            check_login_email(&email("ines.hrabal@peeters.test")),
            Ok(())
        );
    }

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        assert_eq!(
            check_new_password("kort", "a@b.test"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_new_password("elf-tekens!", "a@b.test"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_new_password("aaaaaaaaaaaaaaa", "a@b.test"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("PasswordPassword", "a@b.test"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("123456789012", "a@b.test"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("xjan.maes@peeters.testx", "jan.maes@peeters.test"),
            Err(PasswordError::ContainsEmail)
        );
        // No composition rules: a long lower-case phrase is fine.
        assert_eq!(
            check_new_password("paarse olifant danst traag", "a@b.test"),
            Ok(())
        );
        // Length counts characters, not bytes.
        assert_eq!(
            check_new_password("ééééééééééé", "a@b.test"),
            Err(PasswordError::TooShort)
        );
    }

    #[test]
    fn a_code_is_accepted_once_within_one_step_of_drift() {
        let code_at = |step: u64| format!("{:06}", step % 1_000_000);
        let t = 1_000 * TOTP_STEP_SECONDS + 5;
        assert_eq!(
            check_totp("001000", t, None, code_at),
            TotpCheck::Accepted { step: 1000 }
        );
        assert_eq!(
            check_totp("000999", t, None, code_at),
            TotpCheck::Accepted { step: 999 }
        );
        assert_eq!(
            check_totp("001001", t, None, code_at),
            TotpCheck::Accepted { step: 1001 }
        );
        assert_eq!(check_totp("001002", t, None, code_at), TotpCheck::Wrong);
        assert_eq!(check_totp("000998", t, None, code_at), TotpCheck::Wrong);
        assert_eq!(
            check_totp("001000", t, Some(1000), code_at),
            TotpCheck::Reused
        );
        assert_eq!(
            check_totp("000999", t, Some(1000), code_at),
            TotpCheck::Reused
        );
        assert_eq!(
            check_totp("001001", t, Some(1000), code_at),
            TotpCheck::Accepted { step: 1001 }
        );
        assert_eq!(
            check_totp(" 001 000 ", t, None, code_at),
            TotpCheck::Accepted { step: 1000 }
        );
        assert_eq!(check_totp("abcdef", t, None, code_at), TotpCheck::Wrong);
    }

    #[test]
    fn throttling_says_when_the_oldest_failure_leaves_the_window() {
        let at = |m: u32| Utc.with_ymd_and_hms(2026, 1, 1, 10, m, 0).unwrap();
        let four = [at(0), at(1), at(2), at(3)];
        assert_eq!(ACCOUNT_THROTTLE.retry_at(&four), None);
        let five = [at(0), at(1), at(2), at(3), at(4)];
        assert_eq!(ACCOUNT_THROTTLE.retry_at(&five), Some(at(15)));
        let six = [at(0), at(1), at(2), at(3), at(4), at(5)];
        assert_eq!(ACCOUNT_THROTTLE.retry_at(&six), Some(at(16)));
    }

    #[test]
    fn recovery_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalize_recovery_code(" AB12-cd34 ef "), "ab12cd34ef");
    }
}
