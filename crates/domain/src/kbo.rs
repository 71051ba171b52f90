//! Belgian enterprise number (KBO / BCE ondernemingsnummer).
//!
//! Ten digits `0NNN.NNN.NCC` (the first digit 0 or 1), where the last two digits are
//! `97 - (first eight digits mod 97)`. Older nine-digit numbers get a leading 0.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

/// A valid enterprise number, stored as its 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct KboNumber(String);

/// Why a text is not an enterprise number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum KboError {
    /// Nothing but blanks, separators and the country prefix.
    #[error("enterprise number is empty")]
    Empty,
    /// Not 10 digits (or 9 for an old number).
    #[error("enterprise number does not have 10 digits")]
    WrongLength,
    /// Contains something other than digits and separators.
    #[error("enterprise number contains characters other than digits and separators")]
    NotDigits,
    /// The last two digits do not match the first eight.
    #[error("enterprise number check digits do not match")]
    CheckDigits,
    /// Starts with a digit other than 0 or 1.
    #[error("enterprise number must start with 0 or 1")]
    FirstDigit,
}

impl KboError {
    /// Stable message key for the translation catalog.
    pub fn code(&self) -> &'static str {
        match self {
            KboError::Empty => "kbo-empty",
            KboError::WrongLength => "kbo-wrong-length",
            KboError::NotDigits => "kbo-not-digits",
            KboError::CheckDigits => "kbo-check-digits",
            KboError::FirstDigit => "kbo-first-digit",
        }
    }
}

/// The largest base whose number still starts with 0 or 1.
const MAX_BASE: u32 = 19_999_999;

fn check_digits(base: u32) -> u32 {
    97 - base % 97
}

impl KboNumber {
    /// Parses an enterprise number as people write it: `"0403.170.701"`,
    /// `"BE 0403 170 701"`, `"BE0403170701"` or the old nine digits `"403170701"`.
    pub fn parse(input: &str) -> Result<Self, KboError> {
        let trimmed = input.trim();
        // The VAT form carries the country code; it is not part of the number.
        let without_country = match trimmed.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("BE") => &trimmed[2..],
            _ => trimmed,
        };
        let mut digits: String = without_country
            .chars()
            .filter(|c| !(matches!(c, '.' | '-' | '/') || c.is_whitespace()))
            .collect();
        if digits.is_empty() {
            return Err(KboError::Empty);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KboError::NotDigits);
        }
        if digits.len() == 9 {
            digits.insert(0, '0');
        }
        if digits.len() != 10 {
            return Err(KboError::WrongLength);
        }
        if !digits.starts_with(['0', '1']) {
            return Err(KboError::FirstDigit);
        }
        let base: u32 = digits[..8].parse().map_err(|_| KboError::NotDigits)?;
        let check: u32 = digits[8..].parse().map_err(|_| KboError::NotDigits)?;
        if check_digits(base) != check {
            return Err(KboError::CheckDigits);
        }
        Ok(KboNumber(digits))
    }

    /// The 10 digits, without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The usual presentation `0403.170.701`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!("{}.{}.{}", &d[0..4], &d[4..7], &d[7..10])
    }

    /// Builds a valid number from its first eight digits (for demo data); None above
    /// 19 999 999, where the number would not start with 0 or 1.
    pub fn from_base(base: u32) -> Option<Self> {
        if base > MAX_BASE {
            return None;
        }
        Some(KboNumber(format!("{base:08}{:02}", check_digits(base))))
    }
}

impl fmt::Display for KboNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_known_number_parses_in_every_usual_notation() {
        // 04031707 mod 97 = 96, 97 - 96 = 1.
        for input in [
            "0403.170.701",
            "BE 0403 170 701",
            "be0403170701",
            "403170701",
            " 0403-170-701 ",
        ] {
            let kbo = KboNumber::parse(input).unwrap();
            assert_eq!(kbo.as_str(), "0403170701", "{input}");
            assert_eq!(kbo.formatted(), "0403.170.701");
            assert_eq!(kbo.to_string(), "0403.170.701");
        }
    }

    #[test]
    fn numbers_starting_with_1_are_valid() {
        let kbo = KboNumber::from_base(10_000_000).unwrap();
        assert_eq!(kbo.as_str(), "1000000021");
        assert_eq!(KboNumber::parse("1000.000.021"), Ok(kbo));
    }

    #[test]
    fn malformed_numbers_get_the_matching_error() {
        assert_eq!(KboNumber::parse(""), Err(KboError::Empty));
        assert_eq!(KboNumber::parse("BE"), Err(KboError::Empty));
        assert_eq!(KboNumber::parse("0403.170.7"), Err(KboError::WrongLength));
        // Nine digits are an old number that gets its leading 0 back.
        assert_eq!(KboNumber::parse("403.170.702"), Err(KboError::CheckDigits));
        assert_eq!(KboNumber::parse("04031707011"), Err(KboError::WrongLength));
        assert_eq!(KboNumber::parse("0403.17O.701"), Err(KboError::NotDigits));
        assert_eq!(
            KboNumber::parse("NL 0403.170.701"),
            Err(KboError::NotDigits)
        );
        assert_eq!(KboNumber::parse("0403.170.702"), Err(KboError::CheckDigits));
        assert_eq!(KboNumber::parse("2403.170.701"), Err(KboError::FirstDigit));
        assert_eq!(KboError::CheckDigits.code(), "kbo-check-digits");
    }

    #[test]
    fn bases_above_the_range_are_refused() {
        assert_eq!(KboNumber::from_base(20_000_000), None);
        assert!(KboNumber::from_base(MAX_BASE).is_some());
    }

    use crate::test_catalog::in_catalog;

    #[test]
    fn every_code_has_a_dutch_message_in_the_catalog() {
        use KboError::*;
        for e in [Empty, WrongLength, NotDigits, CheckDigits, FirstDigit] {
            assert!(in_catalog(e.code()), "{}", e.code());
        }
    }

    proptest! {
        #[test]
        fn built_numbers_parse_and_round_trip(base in 0u32..=MAX_BASE) {
            let kbo = KboNumber::from_base(base).unwrap();
            prop_assert_eq!(KboNumber::parse(kbo.as_str()).unwrap(), kbo.clone());
            prop_assert_eq!(KboNumber::parse(&kbo.formatted()).unwrap(), kbo);
        }

        #[test]
        fn a_single_changed_digit_is_refused(
            base in 0u32..=MAX_BASE,
            position in 0usize..10,
            delta in 1u8..=9,
        ) {
            let kbo = KboNumber::from_base(base).unwrap();
            let mut digits = kbo.as_str().as_bytes().to_vec();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(digits).unwrap();
            prop_assert!(KboNumber::parse(&changed).is_err());
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = KboNumber::parse(&input);
        }
    }
}
