//! "Invullijst salarissen": the yearly list on which the employer fills in each affiliate's
//! pensionable annual salary (full time) and work fraction. The rules that read and judge a
//! filled-in row; the sheets crate reads the cells, the store applies the result.
//!
//! The rules, written down once:
//! - An amount reads as people type it (see [`Cents::parse_euro`]), with an optional `€`.
//! - A salary is refused when negative, above [`MAX_ANNUAL`] (10 000 000,00 € a year: no
//!   pensionable salary comes near it, a typo in cents does), or 0 for an active affiliate.
//! - A fraction is a decimal between 0 and 1 ("0,8", "0.8") or a percentage ("80 %"); 0 and
//!   anything above 1 are refused. More precision than a ten-thousandth is rounded.
//! - A salary that moves more than [`WARN_CHANGE_PERCENT`] % from the current one is kept,
//!   with a warning: a raise of a third happens, a misplaced comma happens more often.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::premium::{Cents, Fraction};

/// The highest pensionable annual salary accepted: 10 000 000,00 €.
pub const MAX_ANNUAL: Cents = Cents(1_000_000_000);
/// A change of the annual salary beyond this many percent of the current one is warned.
pub const WARN_CHANGE_PERCENT: i64 = 30;

/// The reference date of the list of `year`: 1 January, from which its salaries apply.
pub fn reference_date(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// The years a list may be asked for around `today`: last year, this year and next year.
pub fn allowed_years(today: NaiveDate) -> std::ops::RangeInclusive<i32> {
    today.year() - 1..=today.year() + 1
}

/// Why a salary or fraction cell is refused; `code()` is its catalogue key (domain.ftl).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum SalaryError {
    #[error("no salary")]
    SalaryEmpty,
    #[error("not an amount")]
    SalaryNotAmount,
    #[error("negative salary")]
    SalaryNegative,
    #[error("salary above the maximum")]
    SalaryTooLarge,
    #[error("zero salary for an active affiliate")]
    SalaryZero,
    #[error("no fraction")]
    FractionEmpty,
    #[error("not a fraction")]
    FractionNotNumber,
    #[error("fraction outside 0-1")]
    FractionOutOfRange,
    #[error("zero fraction")]
    FractionZero,
    #[error("unknown affiliation")]
    UnknownAffiliation,
    #[error("affiliation twice in the list")]
    DuplicateAffiliation,
}

impl SalaryError {
    /// The catalogue key of the message.
    pub fn code(self) -> &'static str {
        match self {
            SalaryError::SalaryEmpty => "salary-empty",
            SalaryError::SalaryNotAmount => "salary-not-amount",
            SalaryError::SalaryNegative => "salary-negative",
            SalaryError::SalaryTooLarge => "salary-too-large",
            SalaryError::SalaryZero => "salary-zero",
            SalaryError::FractionEmpty => "salary-fraction-empty",
            SalaryError::FractionNotNumber => "salary-fraction-not-number",
            SalaryError::FractionOutOfRange => "salary-fraction-out-of-range",
            SalaryError::FractionZero => "salary-fraction-zero",
            SalaryError::UnknownAffiliation => "salary-unknown-affiliation",
            SalaryError::DuplicateAffiliation => "salary-duplicate-affiliation",
        }
    }

    /// Whether the error is about the fraction column (else the salary or the key).
    pub fn is_fraction(self) -> bool {
        matches!(
            self,
            SalaryError::FractionEmpty
                | SalaryError::FractionNotNumber
                | SalaryError::FractionOutOfRange
                | SalaryError::FractionZero
        )
    }
}

/// Reads a typed annual salary: "48.000,50", "48000.5", "€ 48 000". Bounds are checked by
/// [`check_annual`], which knows whether the affiliate is active.
pub fn parse_annual(text: &str) -> Result<Cents, SalaryError> {
    let text = text.trim().trim_start_matches('€').trim_end_matches('€');
    if text.trim().is_empty() {
        return Err(SalaryError::SalaryEmpty);
    }
    Cents::parse_euro(text).ok_or(SalaryError::SalaryNotAmount)
}

/// A salary read from a number cell (euros, as a spreadsheet stores them), rounded to the
/// cent.
pub fn annual_from_number(euros: f64) -> Result<Cents, SalaryError> {
    if !euros.is_finite() {
        return Err(SalaryError::SalaryNotAmount);
    }
    let cents = (euros * 100.0).round();
    if cents.abs() > 1e15 {
        return Err(if cents < 0.0 {
            SalaryError::SalaryNegative
        } else {
            SalaryError::SalaryTooLarge
        });
    }
    // Bounded above: the cast cannot saturate.
    Ok(Cents(cents as i64))
}

/// The bounds of an annual salary; 0 is refused for an active affiliate only.
pub fn check_annual(annual: Cents, active: bool) -> Result<Cents, SalaryError> {
    if annual.0 < 0 {
        Err(SalaryError::SalaryNegative)
    } else if annual > MAX_ANNUAL {
        Err(SalaryError::SalaryTooLarge)
    } else if annual.0 == 0 && active {
        Err(SalaryError::SalaryZero)
    } else {
        Ok(annual)
    }
}

/// Reads a typed work fraction: "0,8", "0.8", "1", "80 %", "80%", "83,33 %".
pub fn parse_fraction(text: &str) -> Result<Fraction, SalaryError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SalaryError::FractionEmpty);
    }
    let (number, percent) = match text.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let (numerator, scale) = decimal(number).ok_or(SalaryError::FractionNotNumber)?;
    // ten-thousandths = value × 10 000 (or × 100 for a percentage), rounded.
    let factor: i128 = if percent { 100 } else { 10_000 };
    let ten_thousandths = crate::premium::round_half_away(numerator * factor, scale);
    fraction_of(ten_thousandths)
}

/// A fraction read from a number cell: 0.8, or a cell formatted as 80 % (stored as 0.8).
pub fn fraction_from_number(value: f64) -> Result<Fraction, SalaryError> {
    if !value.is_finite() {
        return Err(SalaryError::FractionNotNumber);
    }
    if !(0.0..=1.0).contains(&value) {
        return Err(SalaryError::FractionOutOfRange);
    }
    // Within 0..=10 000 after the check above.
    fraction_of((value * 10_000.0).round() as i64)
}

fn fraction_of(ten_thousandths: i64) -> Result<Fraction, SalaryError> {
    if ten_thousandths == 0 {
        return Err(SalaryError::FractionZero);
    }
    u16::try_from(ten_thousandths)
        .ok()
        .and_then(Fraction::new)
        .ok_or(SalaryError::FractionOutOfRange)
}

/// A non-negative decimal with a comma or a point as numerator and power of ten; None for
/// anything else, or more than 12 digits.
pub(crate) fn decimal(text: &str) -> Option<(i128, i128)> {
    let (whole, part) = match text.find([',', '.']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.len() + part.len() > 12 || (whole.is_empty() && part.is_empty()) {
        return None;
    }
    if !digits(whole) || !digits(part) {
        return None;
    }
    let numerator: i128 = format!("{whole}{part}").parse().ok()?;
    let exponent = u32::try_from(part.len()).ok()?;
    Some((numerator, 10_i128.pow(exponent)))
}

/// A salary and fraction as the list carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryValues {
    pub annual: Cents,
    pub fraction: Fraction,
}

/// The columns of the list, in sheet order. The reader finds them by header, in any order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalaryColumn {
    Contract,
    Category,
    EmployeeNumber,
    Name,
    NationalNumber,
    /// The key: the affiliation's id, protected.
    Affiliation,
    /// The pensionable annual salary of a full-time worker, to fill in.
    AnnualSalary,
    /// The work fraction, to fill in.
    Fraction,
}

impl SalaryColumn {
    pub const ALL: [SalaryColumn; 8] = [
        SalaryColumn::Contract,
        SalaryColumn::Category,
        SalaryColumn::EmployeeNumber,
        SalaryColumn::Name,
        SalaryColumn::NationalNumber,
        SalaryColumn::Affiliation,
        SalaryColumn::AnnualSalary,
        SalaryColumn::Fraction,
    ];

    /// The columns without which an upload cannot be read.
    pub const REQUIRED: [SalaryColumn; 3] = [
        SalaryColumn::Affiliation,
        SalaryColumn::AnnualSalary,
        SalaryColumn::Fraction,
    ];

    /// The 0-based position in the downloaded sheet.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The catalogue key of the header (sheets.ftl).
    pub fn key(self) -> &'static str {
        match self {
            SalaryColumn::Contract => "salary-col-contract",
            SalaryColumn::Category => "salary-col-category",
            SalaryColumn::EmployeeNumber => "salary-col-employee-number",
            SalaryColumn::Name => "salary-col-name",
            SalaryColumn::NationalNumber => "salary-col-national-number",
            SalaryColumn::Affiliation => "salary-col-affiliation",
            SalaryColumn::AnnualSalary => "salary-col-annual-salary",
            SalaryColumn::Fraction => "salary-col-fraction",
        }
    }

    /// Whether the user fills this column in (the others are protected).
    pub fn is_editable(self) -> bool {
        matches!(self, SalaryColumn::AnnualSalary | SalaryColumn::Fraction)
    }
}

/// One row of the list as it is downloaded: an affiliation active on the reference date
/// and the salary in force that day, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalaryListRow {
    /// The key the upload is matched by.
    pub affiliation_id: i64,
    pub contract_number: String,
    pub category: String,
    pub employee_number: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub national_number: crate::NationalNumber,
    pub current: Option<SalaryValues>,
}

/// What a valid row does to the stored salary of its affiliation at the reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalaryChange {
    /// No salary was known on the reference date.
    New,
    /// Differs from the salary in force on the reference date.
    Changed,
    /// Equal to the salary in force on the reference date.
    Unchanged,
}

/// Compares a row's values with the salary in force on the reference date.
pub fn classify(current: Option<SalaryValues>, new: SalaryValues) -> SalaryChange {
    match current {
        None => SalaryChange::New,
        Some(current) if current == new => SalaryChange::Unchanged,
        Some(_) => SalaryChange::Changed,
    }
}

/// Whether the annual salary moves more than [`WARN_CHANGE_PERCENT`] % from `current`.
pub fn is_large_change(current: Cents, new: Cents) -> bool {
    let difference = i128::from(new.0) - i128::from(current.0);
    difference.abs() * 100 > i128::from(current.0) * i128::from(WARN_CHANGE_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_catalog::in_catalog;

    fn fraction(t: u16) -> Fraction {
        Fraction::new(t).unwrap_or(Fraction::FULL)
    }

    #[test]
    fn salaries_read_with_comma_or_point_decimals_and_thousands() {
        for (text, cents) in [
            ("48000", 4_800_000),
            ("48.000,50", 4_800_050),
            ("48,000.50", 4_800_050),
            ("48 000,5", 4_800_050),
            ("€ 48.000", 4_800_000),
            ("48000 €", 4_800_000),
        ] {
            assert_eq!(parse_annual(text), Ok(Cents(cents)), "{text}");
        }
        assert_eq!(parse_annual("  "), Err(SalaryError::SalaryEmpty));
        assert_eq!(parse_annual("veel"), Err(SalaryError::SalaryNotAmount));
        assert_eq!(parse_annual("12,345,6"), Err(SalaryError::SalaryNotAmount));
        assert_eq!(annual_from_number(48000.505), Ok(Cents(4_800_051)));
        assert_eq!(
            annual_from_number(f64::NAN),
            Err(SalaryError::SalaryNotAmount)
        );
        assert_eq!(annual_from_number(1e300), Err(SalaryError::SalaryTooLarge));
    }

    #[test]
    fn negative_absurd_and_zero_salaries_are_refused() {
        assert_eq!(
            check_annual(Cents(-1), true),
            Err(SalaryError::SalaryNegative)
        );
        assert_eq!(check_annual(MAX_ANNUAL, true), Ok(MAX_ANNUAL));
        assert_eq!(
            check_annual(Cents(MAX_ANNUAL.0 + 1), true),
            Err(SalaryError::SalaryTooLarge)
        );
        assert_eq!(check_annual(Cents(0), true), Err(SalaryError::SalaryZero));
        assert_eq!(check_annual(Cents(0), false), Ok(Cents(0)));
    }

    #[test]
    fn fractions_read_as_decimals_or_percentages() {
        for (text, t) in [
            ("0,8", 8_000),
            ("0.8", 8_000),
            ("1", 10_000),
            ("1,0", 10_000),
            ("80 %", 8_000),
            ("80%", 8_000),
            ("83,33 %", 8_333),
            ("0,83333", 8_333),
            ("100 %", 10_000),
            (",5", 5_000),
        ] {
            assert_eq!(parse_fraction(text), Ok(fraction(t)), "{text}");
        }
        for (text, error) in [
            ("", SalaryError::FractionEmpty),
            ("0", SalaryError::FractionZero),
            ("0 %", SalaryError::FractionZero),
            ("1,2", SalaryError::FractionOutOfRange),
            ("80", SalaryError::FractionOutOfRange),
            ("120 %", SalaryError::FractionOutOfRange),
            ("-0,5", SalaryError::FractionNotNumber),
            ("halftijds", SalaryError::FractionNotNumber),
            ("0,8,1", SalaryError::FractionNotNumber),
            ("%", SalaryError::FractionNotNumber),
            ("0.0000000000001", SalaryError::FractionNotNumber),
        ] {
            assert_eq!(parse_fraction(text), Err(error), "{text}");
        }
        assert_eq!(fraction_from_number(0.8), Ok(fraction(8_000)));
        assert_eq!(
            fraction_from_number(1.5),
            Err(SalaryError::FractionOutOfRange)
        );
        assert_eq!(fraction_from_number(0.0), Err(SalaryError::FractionZero));
        assert_eq!(
            fraction_from_number(-0.1),
            Err(SalaryError::FractionOutOfRange)
        );
    }

    #[test]
    fn a_row_is_new_changed_or_unchanged_and_large_changes_are_warned() {
        let now = SalaryValues {
            annual: Cents(4_800_000),
            fraction: Fraction::FULL,
        };
        assert_eq!(classify(None, now), SalaryChange::New);
        assert_eq!(classify(Some(now), now), SalaryChange::Unchanged);
        let part_time = SalaryValues {
            fraction: fraction(8_000),
            ..now
        };
        assert_eq!(classify(Some(now), part_time), SalaryChange::Changed);
        assert!(!is_large_change(Cents(100_000), Cents(130_000)));
        assert!(is_large_change(Cents(100_000), Cents(130_001)));
        assert!(is_large_change(Cents(100_000), Cents(69_999)));
        assert!(!is_large_change(Cents(100_000), Cents(70_000)));
    }

    #[test]
    fn the_reference_date_is_the_first_of_january() {
        assert_eq!(
            reference_date(2027),
            NaiveDate::from_ymd_opt(2027, 1, 1),
            "the list's salaries apply from 1 January"
        );
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
        assert_eq!(allowed_years(today), 2025..=2027);
    }

    #[test]
    fn every_error_has_a_dutch_message() {
        use SalaryError::*;
        for e in [
            SalaryEmpty,
            SalaryNotAmount,
            SalaryNegative,
            SalaryTooLarge,
            SalaryZero,
            FractionEmpty,
            FractionNotNumber,
            FractionOutOfRange,
            FractionZero,
            UnknownAffiliation,
            DuplicateAffiliation,
        ] {
            assert!(in_catalog(e.code()), "{}", e.code());
        }
    }
}
