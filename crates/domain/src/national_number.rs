//! Belgian national number (rijksregisternummer) and BIS number, together the INSZ.
//!
//! Layout `YYMMDD SSS CC`: birth date, a serial (odd for men, even for women) and two check
//! digits `97 - (YYMMDDSSS mod 97)`, computed over `2YYMMDDSSS` for people born in 2000 or
//! later. A BIS number adds 20 (gender unknown) or 40 (gender known) to the month. Month and
//! day may be 00 (partly unknown birth date, or the day's serial counter ran out), and a
//! wholly unknown birth date is written as the fictitious date `000001` of the century.
//!
//! A national number is personal data: errors never carry the number itself, so they are
//! safe to log.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::Gender;

/// A syntactically valid national or BIS number, stored as its 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct NationalNumber(String);

/// Which register issued the number, read from the month's offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// National register number (month 00..=12).
    Register,
    /// BIS number issued while the gender was unknown (month + 20).
    BisGenderUnknown,
    /// BIS number issued with a known gender (month + 40).
    BisGenderKnown,
}

/// Why a text is not a national number.
// Serde: row errors of an upload cross the parser child's process boundary as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum NationalNumberError {
    /// Nothing but blanks and separators.
    #[error("national number is empty")]
    Empty,
    /// Not exactly 11 digits.
    #[error("national number does not have 11 digits")]
    WrongLength,
    /// Contains something other than digits and separators.
    #[error("national number contains characters other than digits and separators")]
    NotDigits,
    /// The last two digits match neither the 19xx nor the 20xx computation.
    #[error("national number check digits do not match")]
    CheckDigits,
    /// Month or day out of range, or a day that does not exist in that month.
    #[error("national number does not contain a valid birth date")]
    InvalidDate,
    /// Serial 000 or 999, which are never issued.
    #[error("national number has an invalid serial")]
    InvalidSerial,
}

impl NationalNumberError {
    /// Stable message key for the translation catalog.
    pub fn code(&self) -> &'static str {
        match self {
            NationalNumberError::Empty => "national-number-empty",
            NationalNumberError::WrongLength => "national-number-wrong-length",
            NationalNumberError::NotDigits => "national-number-not-digits",
            NationalNumberError::CheckDigits => "national-number-check-digits",
            NationalNumberError::InvalidDate => "national-number-invalid-date",
            NationalNumberError::InvalidSerial => "national-number-invalid-serial",
        }
    }
}

/// Why a valid national number does not belong to the given person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ConsistencyError {
    /// The known parts of the encoded birth date differ from the birth date given.
    #[error("national number does not match the birth date")]
    BirthDateMismatch,
    /// The serial's parity differs from the gender given.
    #[error("national number does not match the gender")]
    GenderMismatch,
}

impl ConsistencyError {
    /// Stable message key for the translation catalog.
    pub fn code(&self) -> &'static str {
        match self {
            ConsistencyError::BirthDateMismatch => "national-number-birth-date-mismatch",
            ConsistencyError::GenderMismatch => "national-number-gender-mismatch",
        }
    }
}

/// `2 000 000 000`: the prefix digit 2 in front of the nine-digit body.
const MILLENNIUM_PREFIX: u64 = 2_000_000_000;

fn check_digits(body: u64) -> u64 {
    97 - body % 97
}

/// Separators people type or paste around the digit groups.
fn is_separator(c: char) -> bool {
    matches!(c, '.' | '-' | '/') || c.is_whitespace()
}

/// The value of a run of ASCII digits; callers only pass validated digit slices.
fn number_of(digits: &str) -> u64 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + u64::from(b.wrapping_sub(b'0')))
}

/// The month without its BIS offset, and the kind that offset means.
fn split_month(month: u32) -> Option<(u32, NumberKind)> {
    match month {
        0..=12 => Some((month, NumberKind::Register)),
        20..=32 => Some((month - 20, NumberKind::BisGenderUnknown)),
        40..=52 => Some((month - 40, NumberKind::BisGenderKnown)),
        _ => None,
    }
}

/// Which century the check digits point to: `Some(true)` for 20xx, `Some(false)` for 19xx.
///
/// 2 000 000 000 is not a multiple of 97, so at most one variant can match.
fn century_from_check(digits: &str) -> Option<bool> {
    let body = number_of(&digits[..9]);
    let cc = number_of(&digits[9..]);
    if check_digits(body) == cc {
        Some(false)
    } else if check_digits(MILLENNIUM_PREFIX + body) == cc {
        Some(true)
    } else {
        None
    }
}

impl NationalNumber {
    /// Parses a national or BIS number typed by a person.
    ///
    /// Dots, dashes, slashes and blanks between the digits are ignored, so
    /// `"85.07.30-033.28"`, `"85073003328"` and `" 850730 033 28 "` are the same number.
    pub fn parse(input: &str) -> Result<Self, NationalNumberError> {
        let digits: String = input.chars().filter(|c| !is_separator(*c)).collect();
        if digits.is_empty() {
            return Err(NationalNumberError::Empty);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NationalNumberError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(NationalNumberError::WrongLength);
        }
        // Check digits first: a typo is far more likely than an impossible date.
        let in_2000s = century_from_check(&digits).ok_or(NationalNumberError::CheckDigits)?;

        let year = year_of(number_of(&digits[..2]), in_2000s);
        let (month, _) =
            split_month(number_of(&digits[2..4]) as u32).ok_or(NationalNumberError::InvalidDate)?;
        let day = number_of(&digits[4..6]) as u32;
        if day > 31 {
            return Err(NationalNumberError::InvalidDate);
        }
        if month != 0 && day != 0 && NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err(NationalNumberError::InvalidDate);
        }
        let serial = number_of(&digits[6..9]);
        if serial == 0 || serial == 999 {
            return Err(NationalNumberError::InvalidSerial);
        }
        Ok(NationalNumber(digits))
    }

    /// Parses a value that came from a spreadsheet: a float like "3082175128.0" or "3082175128" that lost leading zeros gets padded to 11 digits, then parse.
    ///
    /// A leading apostrophe (the spreadsheet "this is text" marker) is ignored too. Anything
    /// that does not look like a bare number goes through [`NationalNumber::parse`] as is.
    pub fn parse_lenient(input: &str) -> Result<Self, NationalNumberError> {
        let trimmed = input.trim();
        let trimmed = trimmed.strip_prefix('\'').unwrap_or(trimmed).trim();
        // A number cell may come back as "85073003328.0": drop a fraction of only zeros.
        let integer = match trimmed.split_once('.') {
            Some((integer, fraction)) if fraction.bytes().all(|b| b == b'0') => integer,
            _ => trimmed,
        };
        let is_bare_number = !integer.is_empty()
            && integer.len() <= 11
            && integer.bytes().all(|b| b.is_ascii_digit());
        if is_bare_number {
            Self::parse(&format!("{integer:0>11}"))
        } else {
            Self::parse(trimmed)
        }
    }

    /// The 11 digits, without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The usual presentation `YY.MM.DD-SSS.CC`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!(
            "{}.{}.{}-{}.{}",
            &d[0..2],
            &d[2..4],
            &d[4..6],
            &d[6..9],
            &d[9..11]
        )
    }

    /// For long lists: `YY.MM.DD-***.**`, the birth date part visible, serial and check hidden.
    pub fn masked(&self) -> String {
        let d = &self.0;
        format!("{}.{}.{}-***.**", &d[0..2], &d[2..4], &d[4..6])
    }

    /// Register number or BIS number, and for BIS whether the gender was known.
    pub fn kind(&self) -> NumberKind {
        self.month_parts().1
    }

    /// True when the check digits matched the `2YYMMDDSSS` variant, i.e. born in 2000 or later.
    pub fn born_in_2000s(&self) -> bool {
        century_from_check(&self.0).unwrap_or(false)
    }

    /// Birth date when year, month and day are all known (None when month or day is 00).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let month = self.month_parts().0;
        let day = self.day();
        if month == 0 || day == 0 {
            return None;
        }
        NaiveDate::from_ymd_opt(self.year(), month, day)
    }

    /// Gender from the serial's parity (odd = male), None for a BIS number with gender unknown (+20).
    pub fn gender(&self) -> Option<Gender> {
        if self.kind() == NumberKind::BisGenderUnknown {
            return None;
        }
        if self.serial() % 2 == 1 {
            Some(Gender::Male)
        } else {
            Some(Gender::Female)
        }
    }

    /// Checks the known parts (year always; month and day where not 00) against the given birth date and gender; gender only checked where known.
    ///
    /// The day is only compared when the month is known too: with month 00 the day digits are
    /// a counter, not a day. The fictitious date `000001` of a wholly unknown birth date
    /// matches every birth date.
    pub fn check_against(
        &self,
        birth_date: NaiveDate,
        gender: Gender,
    ) -> Result<(), ConsistencyError> {
        let (month, _) = self.month_parts();
        let day = self.day();
        let wholly_unknown = number_of(&self.0[0..2]) == 0 && month == 0 && day == 1;
        if !wholly_unknown {
            let year_matches = self.year() == birth_date.year();
            let month_matches = month == 0 || month == birth_date.month();
            let day_matches = month == 0 || day == 0 || day == birth_date.day();
            if !(year_matches && month_matches && day_matches) {
                return Err(ConsistencyError::BirthDateMismatch);
            }
        }
        match self.gender() {
            Some(known) if known != gender => Err(ConsistencyError::GenderMismatch),
            _ => Ok(()),
        }
    }

    /// Builds a valid register number (not BIS) for a birth date and serial 1..=998 (for generated demo data). Returns None if serial out of range.
    ///
    /// Also None for a birth date outside 1900..=2099, which the layout cannot express.
    pub fn from_birth_date(birth_date: NaiveDate, serial: u16) -> Option<Self> {
        Self::build(birth_date, 0, serial)
    }

    /// Builds a valid BIS number (gender known, month + 40).
    ///
    /// Same limits as [`NationalNumber::from_birth_date`].
    pub fn bis_from_birth_date(birth_date: NaiveDate, serial: u16) -> Option<Self> {
        Self::build(birth_date, 40, serial)
    }

    fn build(birth_date: NaiveDate, month_offset: u32, serial: u16) -> Option<Self> {
        if !(1..=998).contains(&serial) || !(1900..=2099).contains(&birth_date.year()) {
            return None;
        }
        let in_2000s = birth_date.year() >= 2000;
        let yy = u64::try_from(birth_date.year() % 100).ok()?;
        let body = yy * 10_000_000
            + u64::from(birth_date.month() + month_offset) * 100_000
            + u64::from(birth_date.day()) * 1_000
            + u64::from(serial);
        let cc = if in_2000s {
            check_digits(MILLENNIUM_PREFIX + body)
        } else {
            check_digits(body)
        };
        Some(NationalNumber(format!("{body:09}{cc:02}")))
    }

    fn year(&self) -> i32 {
        year_of(number_of(&self.0[0..2]), self.born_in_2000s())
    }

    /// Month without BIS offset (0 = unknown) and the kind; a parsed number always has a valid month.
    fn month_parts(&self) -> (u32, NumberKind) {
        split_month(number_of(&self.0[2..4]) as u32).unwrap_or((0, NumberKind::Register))
    }

    fn day(&self) -> u32 {
        number_of(&self.0[4..6]) as u32
    }

    fn serial(&self) -> u64 {
        number_of(&self.0[6..9])
    }
}

fn year_of(yy: u64, in_2000s: bool) -> i32 {
    // yy < 100, so the conversion cannot fail.
    let yy = i32::try_from(yy).unwrap_or(0);
    if in_2000s { 2000 + yy } else { 1900 + yy }
}

impl fmt::Display for NationalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Appends the check digits by the rule, independently of the code under test.
    fn with_check(body9: &str, in_2000s: bool) -> String {
        let body: u64 = body9.parse().unwrap();
        let body = if in_2000s { 2_000_000_000 + body } else { body };
        format!("{body9}{:02}", 97 - body % 97)
    }

    #[test]
    fn a_number_born_in_1985_parses_in_every_usual_notation() {
        // 850730033 mod 97 = 69, 97 - 69 = 28.
        for input in [
            "85.07.30-033.28",
            "85073003328",
            " 850730 033 28 ",
            "85/07/30 033-28",
        ] {
            let nn = NationalNumber::parse(input).unwrap();
            assert_eq!(nn.as_str(), "85073003328");
        }
        let nn = NationalNumber::parse("85073003328").unwrap();
        assert_eq!(nn.formatted(), "85.07.30-033.28");
        assert_eq!(nn.to_string(), "85.07.30-033.28");
        assert_eq!(nn.masked(), "85.07.30-***.**");
        assert_eq!(nn.kind(), NumberKind::Register);
        assert!(!nn.born_in_2000s());
        assert_eq!(nn.birth_date(), Some(date(1985, 7, 30)));
        assert_eq!(nn.gender(), Some(Gender::Male));
    }

    #[test]
    fn a_number_born_after_2000_uses_the_2_prefix() {
        // 2010203002 mod 97 = 28, 97 - 28 = 69; without the 2 it would be 97 - 57 = 40.
        let nn = NationalNumber::parse("01.02.03-002.69").unwrap();
        assert!(nn.born_in_2000s());
        assert_eq!(nn.birth_date(), Some(date(2001, 2, 3)));
        assert_eq!(nn.gender(), Some(Gender::Female));
        assert_eq!(
            NationalNumber::parse("01020300240"),
            Ok(NationalNumber("01020300240".into())),
            "the same digits with 19xx check digits are a person born in 1901"
        );
        assert!(
            !NationalNumber::parse("01020300240")
                .unwrap()
                .born_in_2000s()
        );
    }

    #[test]
    fn the_century_decides_whether_29_february_exists() {
        // 2000 is a leap year, 1900 is not.
        let in_2000 = with_check("000229001", true);
        assert_eq!(
            NationalNumber::parse(&in_2000).unwrap().birth_date(),
            Some(date(2000, 2, 29))
        );
        let in_1900 = with_check("000229001", false);
        assert_eq!(
            NationalNumber::parse(&in_1900),
            Err(NationalNumberError::InvalidDate)
        );
    }

    #[test]
    fn bis_numbers_add_20_or_40_to_the_month() {
        let unknown_gender = NationalNumber::parse(&with_check("852730033", false)).unwrap();
        assert_eq!(unknown_gender.kind(), NumberKind::BisGenderUnknown);
        assert_eq!(unknown_gender.gender(), None);
        assert_eq!(unknown_gender.birth_date(), Some(date(1985, 7, 30)));

        let known_gender = NationalNumber::parse(&with_check("854730034", false)).unwrap();
        assert_eq!(known_gender.kind(), NumberKind::BisGenderKnown);
        assert_eq!(known_gender.gender(), Some(Gender::Female));
        assert_eq!(known_gender.birth_date(), Some(date(1985, 7, 30)));

        let built = NationalNumber::bis_from_birth_date(date(1985, 7, 30), 34).unwrap();
        assert_eq!(built, known_gender);
    }

    #[test]
    fn month_or_day_00_is_valid_but_gives_no_full_birth_date() {
        let month_unknown = NationalNumber::parse(&with_check("850000033", false)).unwrap();
        assert_eq!(month_unknown.birth_date(), None);
        assert_eq!(
            month_unknown.check_against(date(1985, 7, 30), Gender::Male),
            Ok(())
        );
        assert_eq!(
            month_unknown.check_against(date(1986, 7, 30), Gender::Male),
            Err(ConsistencyError::BirthDateMismatch)
        );

        let day_unknown = NationalNumber::parse(&with_check("850700033", false)).unwrap();
        assert_eq!(day_unknown.birth_date(), None);
        assert_eq!(
            day_unknown.check_against(date(1985, 7, 12), Gender::Male),
            Ok(())
        );
        assert_eq!(
            day_unknown.check_against(date(1985, 8, 12), Gender::Male),
            Err(ConsistencyError::BirthDateMismatch)
        );

        // Counter ran out: month 00 and the day digits count on, they are no day.
        let counter = NationalNumber::parse(&with_check("850002033", false)).unwrap();
        assert_eq!(
            counter.check_against(date(1985, 7, 30), Gender::Male),
            Ok(())
        );
    }

    #[test]
    fn the_fictitious_date_of_a_wholly_unknown_birth_date_is_valid_and_matches_any_date() {
        for in_2000s in [false, true] {
            let nn = NationalNumber::parse(&with_check("000001123", in_2000s)).unwrap();
            assert_eq!(nn.birth_date(), None);
            assert_eq!(nn.check_against(date(1962, 4, 5), Gender::Male), Ok(()));
            assert_eq!(
                nn.check_against(date(1962, 4, 5), Gender::Female),
                Err(ConsistencyError::GenderMismatch)
            );
        }
        let bis = NationalNumber::parse(&with_check("002001124", false)).unwrap();
        assert_eq!(bis.kind(), NumberKind::BisGenderUnknown);
        assert_eq!(bis.check_against(date(1990, 1, 1), Gender::Male), Ok(()));
    }

    #[test]
    fn serials_000_and_999_are_refused() {
        for body in ["850730000", "850730999"] {
            assert_eq!(
                NationalNumber::parse(&with_check(body, false)),
                Err(NationalNumberError::InvalidSerial)
            );
        }
        assert!(NationalNumber::parse(&with_check("850730998", false)).is_ok());
        assert!(NationalNumber::parse(&with_check("850730001", false)).is_ok());
    }

    #[test]
    fn check_digits_off_by_one_are_refused() {
        assert_eq!(
            NationalNumber::parse("85073003329"),
            Err(NationalNumberError::CheckDigits)
        );
        assert_eq!(
            NationalNumber::parse("85073003327"),
            Err(NationalNumberError::CheckDigits)
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        for body in [
            "850230033",
            "851330033",
            "850732033",
            "851931033",
            "856030033",
        ] {
            assert_eq!(
                NationalNumber::parse(&with_check(body, false)),
                Err(NationalNumberError::InvalidDate),
                "{body}"
            );
        }
        assert_eq!(
            NationalNumber::parse(&with_check("010230002", true)),
            Err(NationalNumberError::InvalidDate)
        );
    }

    #[test]
    fn malformed_input_gets_the_matching_error() {
        assert_eq!(NationalNumber::parse(""), Err(NationalNumberError::Empty));
        assert_eq!(
            NationalNumber::parse(" .-/ "),
            Err(NationalNumberError::Empty)
        );
        assert_eq!(
            NationalNumber::parse("8507300332"),
            Err(NationalNumberError::WrongLength)
        );
        assert_eq!(
            NationalNumber::parse("850730033280"),
            Err(NationalNumberError::WrongLength)
        );
        assert_eq!(
            NationalNumber::parse("85O73003328"),
            Err(NationalNumberError::NotDigits)
        );
        assert_eq!(
            NationalNumber::parse("８5073003328"),
            Err(NationalNumberError::NotDigits)
        );
    }

    #[test]
    fn spreadsheet_values_that_lost_their_leading_zero_are_repaired() {
        // Born 2003-08-21: 2030821751 mod 97 = 69, 97 - 69 = 28.
        let expected = NationalNumber::parse("03.08.21-751.28").unwrap();
        for input in [
            "3082175128",
            "3082175128.0",
            " 3082175128.00 ",
            "'03082175128",
            "03.08.21-751.28",
        ] {
            assert_eq!(
                NationalNumber::parse_lenient(input).as_ref(),
                Ok(&expected),
                "{input}"
            );
        }
        assert_eq!(
            NationalNumber::parse_lenient("85073003328.0")
                .unwrap()
                .as_str(),
            "85073003328"
        );
        assert_eq!(
            NationalNumber::parse_lenient(""),
            Err(NationalNumberError::Empty)
        );
        // A real fraction is no lost-zero float: it goes through the strict parser and fails.
        assert!(NationalNumber::parse_lenient("3082175128.5").is_err());
        assert_eq!(
            NationalNumber::parse("3082175128"),
            Err(NationalNumberError::WrongLength)
        );
    }

    #[test]
    fn a_mismatch_with_birth_date_or_gender_is_reported() {
        let nn = NationalNumber::parse("85073003328").unwrap();
        assert_eq!(nn.check_against(date(1985, 7, 30), Gender::Male), Ok(()));
        assert_eq!(
            nn.check_against(date(1985, 7, 31), Gender::Male),
            Err(ConsistencyError::BirthDateMismatch)
        );
        assert_eq!(
            nn.check_against(date(2085, 7, 30), Gender::Male),
            Err(ConsistencyError::BirthDateMismatch)
        );
        assert_eq!(
            nn.check_against(date(1985, 7, 30), Gender::Female),
            Err(ConsistencyError::GenderMismatch)
        );
        let bis_unknown = NationalNumber::parse(&with_check("852730033", false)).unwrap();
        assert_eq!(
            bis_unknown.check_against(date(1985, 7, 30), Gender::Female),
            Ok(())
        );
    }

    #[test]
    fn building_refuses_serials_and_years_the_layout_cannot_hold() {
        let d = date(1985, 7, 30);
        assert_eq!(NationalNumber::from_birth_date(d, 0), None);
        assert_eq!(NationalNumber::from_birth_date(d, 999), None);
        assert_eq!(
            NationalNumber::from_birth_date(d, 33).unwrap().as_str(),
            "85073003328"
        );
        assert_eq!(NationalNumber::from_birth_date(date(1899, 12, 31), 1), None);
        assert_eq!(
            NationalNumber::bis_from_birth_date(date(2100, 1, 1), 1),
            None
        );
    }

    #[test]
    fn errors_have_stable_codes() {
        assert_eq!(
            NationalNumberError::CheckDigits.code(),
            "national-number-check-digits"
        );
        assert_eq!(
            ConsistencyError::GenderMismatch.code(),
            "national-number-gender-mismatch"
        );
    }

    use crate::test_catalog::in_catalog;

    #[test]
    fn every_code_has_a_dutch_message_in_the_catalog() {
        use NationalNumberError::*;
        for e in [
            Empty,
            WrongLength,
            NotDigits,
            CheckDigits,
            InvalidDate,
            InvalidSerial,
        ] {
            assert!(in_catalog(e.code()), "{}", e.code());
        }
        for e in [
            ConsistencyError::BirthDateMismatch,
            ConsistencyError::GenderMismatch,
        ] {
            assert!(in_catalog(e.code()), "{}", e.code());
        }
    }

    fn any_birth_date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..=2099, 1u32..=12, 1u32..=31).prop_filter_map("real dates only", |(y, m, d)| {
            NaiveDate::from_ymd_opt(y, m, d)
        })
    }

    proptest! {
        #[test]
        fn built_numbers_parse_round_trip_and_keep_birth_date_and_gender(
            birth_date in any_birth_date(),
            serial in 1u16..=998,
            bis in any::<bool>(),
        ) {
            let nn = if bis {
                NationalNumber::bis_from_birth_date(birth_date, serial)
            } else {
                NationalNumber::from_birth_date(birth_date, serial)
            }.unwrap();
            let parsed = NationalNumber::parse(nn.as_str()).unwrap();
            prop_assert_eq!(&parsed, &nn);
            prop_assert_eq!(NationalNumber::parse(&nn.formatted()).unwrap(), nn.clone());
            prop_assert_eq!(NationalNumber::parse_lenient(nn.as_str()).unwrap(), nn.clone());
            prop_assert_eq!(parsed.birth_date(), Some(birth_date));
            prop_assert_eq!(parsed.born_in_2000s(), birth_date.year() >= 2000);
            let gender = if serial % 2 == 1 { Gender::Male } else { Gender::Female };
            prop_assert_eq!(parsed.gender(), Some(gender));
            prop_assert_eq!(parsed.kind(), if bis { NumberKind::BisGenderKnown } else { NumberKind::Register });
            prop_assert_eq!(parsed.check_against(birth_date, gender), Ok(()));
        }

        #[test]
        fn a_single_changed_digit_is_caught_unless_it_flips_the_century(
            birth_date in any_birth_date(),
            serial in 1u16..=998,
            position in 0usize..11,
            delta in 1u8..=9,
        ) {
            let nn = NationalNumber::from_birth_date(birth_date, serial).unwrap();
            let mut digits = nn.as_str().as_bytes().to_vec();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(digits).unwrap();
            match NationalNumber::parse(&changed) {
                Err(NationalNumberError::CheckDigits) => {}
                // Only the other century's variant can accept a one-digit change.
                _ => {
                    let other = with_check(&changed[..9], !nn.born_in_2000s());
                    prop_assert_eq!(other, changed);
                }
            }
        }

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = NationalNumber::parse(&input);
            let _ = NationalNumber::parse_lenient(&input);
        }

        #[test]
        fn parse_never_panics_on_digit_heavy_input(input in "[0-9 .\\-/']{0,16}") {
            if let Ok(nn) = NationalNumber::parse_lenient(&input) {
                prop_assert_eq!(nn.as_str().len(), 11);
                let _ = (nn.birth_date(), nn.gender(), nn.kind(), nn.masked());
            }
        }
    }
}
