//! E-mail addresses: a pragmatic syntax check, not the full RFC 5322 grammar.
//!
//! Addresses are ASCII only (no quoted local parts, no internationalized domains in Unicode
//! form), which is what the mail systems of employers accept in practice.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A syntactically valid e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

/// Why a text is not an acceptable e-mail address.
// Serde: row errors of an upload cross the parser child's process boundary as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum EmailError {
    /// Nothing but blanks.
    #[error("e-mail address is empty")]
    Empty,
    /// Longer than 254 characters.
    #[error("e-mail address is longer than 254 characters")]
    TooLong,
    /// No `@`.
    #[error("e-mail address has no @")]
    MissingAt,
    /// The part before the `@` is empty, too long, has a character that is not allowed
    /// (a second `@` included) or misplaced dots.
    #[error("e-mail address has an invalid part before the @")]
    InvalidLocalPart,
    /// The part after the `@` is not a domain name with a top-level domain.
    #[error("e-mail address has an invalid domain")]
    InvalidDomain,
    /// Blanks inside the address.
    #[error("e-mail address contains a space")]
    ContainsSpace,
}

impl EmailError {
    /// Stable message key for the translation catalog.
    pub fn code(&self) -> &'static str {
        match self {
            EmailError::Empty => "email-empty",
            EmailError::TooLong => "email-too-long",
            EmailError::MissingAt => "email-missing-at",
            EmailError::InvalidLocalPart => "email-invalid-local-part",
            EmailError::InvalidDomain => "email-invalid-domain",
            EmailError::ContainsSpace => "email-contains-space",
        }
    }
}

/// RFC 5321 path limit minus the angle brackets.
const MAX_LENGTH: usize = 254;
/// RFC 5321 local part limit.
const MAX_LOCAL_LENGTH: usize = 64;
/// RFC 1035 label limit.
const MAX_LABEL_LENGTH: usize = 63;

fn valid_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LENGTH
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL_LENGTH
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    labels.len() >= 2 && tld_ok && labels.iter().all(|l| valid_label(l))
}

impl EmailAddress {
    /// Checks the syntax and returns the trimmed, lower-cased address.
    ///
    /// The local part may hold ASCII letters, digits and `. _ % + - '`, without leading,
    /// trailing or doubled dots; the domain needs at least one dot, labels of letters,
    /// digits and hyphens (not at either end) and a top-level domain of two or more letters.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_LENGTH {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(EmailError::ContainsSpace);
        }
        // ASCII lower-casing only: Unicode case mapping could turn a refused character
        // (the Kelvin sign) into an accepted one.
        let address = trimmed.to_ascii_lowercase();
        // Split at the last @ so that a second @ is reported in the local part.
        let Some((local, domain)) = address.rsplit_once('@') else {
            return Err(EmailError::MissingAt);
        };
        if !valid_local_part(local) {
            return Err(EmailError::InvalidLocalPart);
        }
        if !valid_domain(domain) {
            return Err(EmailError::InvalidDomain);
        }
        Ok(EmailAddress(address))
    }

    /// The whole address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(local, _)| local)
    }

    /// The part after the `@`, lower case.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, domain)| domain)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_normal_address_is_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Jan.De-Smet@Voorbeeld-Bedrijf.BE ").unwrap();
        assert_eq!(email.as_str(), "jan.de-smet@voorbeeld-bedrijf.be");
        assert_eq!(email.local_part(), "jan.de-smet");
        assert_eq!(email.domain(), "voorbeeld-bedrijf.be");
        assert_eq!(email.to_string(), "jan.de-smet@voorbeeld-bedrijf.be");
    }

    #[test]
    fn the_allowed_special_characters_and_subdomains_are_accepted() {
        for input in [
            "o'brien@example.com",
            "a_b%c+tag@mail.example.co.uk",
            "x@a1.b-2.example.org",
            "1234@example.be",
        ] {
            assert!(EmailAddress::parse(input).is_ok(), "{input}");
        }
    }

    #[test]
    fn each_kind_of_mistake_gets_its_own_error() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("jan smet@example.com", EmailError::ContainsSpace),
            ("jan@example .com", EmailError::ContainsSpace),
            ("jan.example.com", EmailError::MissingAt),
            ("@example.com", EmailError::InvalidLocalPart),
            (".jan@example.com", EmailError::InvalidLocalPart),
            ("jan.@example.com", EmailError::InvalidLocalPart),
            ("jan..smet@example.com", EmailError::InvalidLocalPart),
            ("jan@smet@example.com", EmailError::InvalidLocalPart),
            ("jan<x>@example.com", EmailError::InvalidLocalPart),
            ("josé@example.com", EmailError::InvalidLocalPart),
            ("jan@", EmailError::InvalidDomain),
            ("jan@localhost", EmailError::InvalidDomain),
            ("jan@example.c", EmailError::InvalidDomain),
            ("jan@example.c0m", EmailError::InvalidDomain),
            ("jan@-example.com", EmailError::InvalidDomain),
            ("jan@example-.com", EmailError::InvalidDomain),
            ("jan@example..com", EmailError::InvalidDomain),
            ("jan@.example.com", EmailError::InvalidDomain),
            ("jan@example.com.", EmailError::InvalidDomain),
            ("jan@exa_mple.com", EmailError::InvalidDomain),
            ("jan@\u{212a}.com", EmailError::InvalidDomain),
        ];
        for (input, expected) in cases {
            assert_eq!(EmailAddress::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn length_limits_are_enforced() {
        let long_domain = format!("{}.be", vec!["a".repeat(60); 5].join("."));
        let address = format!("jan@{long_domain}");
        assert!(address.len() > MAX_LENGTH);
        assert_eq!(EmailAddress::parse(&address), Err(EmailError::TooLong));
        let local = "a".repeat(65);
        assert_eq!(
            EmailAddress::parse(&format!("{local}@example.com")),
            Err(EmailError::InvalidLocalPart)
        );
        let label = "a".repeat(64);
        assert_eq!(
            EmailAddress::parse(&format!("jan@{label}.com")),
            Err(EmailError::InvalidDomain)
        );
        assert_eq!(EmailError::MissingAt.code(), "email-missing-at");
    }

    use crate::test_catalog::in_catalog;

    #[test]
    fn every_code_has_a_dutch_message_in_the_catalog() {
        use EmailError::*;
        for e in [
            Empty,
            TooLong,
            MissingAt,
            InvalidLocalPart,
            InvalidDomain,
            ContainsSpace,
        ] {
            assert!(in_catalog(e.code()), "{}", e.code());
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_addresses_are_stable(input in any::<String>()) {
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(EmailAddress::parse(email.as_str()).unwrap(), email.clone());
                prop_assert_eq!(format!("{}@{}", email.local_part(), email.domain()), email.as_str());
            }
        }

        #[test]
        fn generated_addresses_round_trip(
            local in "[a-z0-9]([a-z0-9_%+'-]|\\.[a-z0-9]){0,20}",
            domain in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,2}\\.[a-z]{2,6}",
        ) {
            let address = format!("{local}@{domain}");
            let email = EmailAddress::parse(&address.to_uppercase()).unwrap();
            prop_assert_eq!(email.as_str(), address.as_str());
        }
    }
}
