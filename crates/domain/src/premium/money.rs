//! Money, rates and work fractions as integers: amounts in euro cents, rates in millionths,
//! fractions in ten-thousandths. One rounding rule, half away from zero, applied once per
//! line (a premium of one affiliation for one month, one cost, one regularisation).

use serde::{Deserialize, Serialize};

/// An amount in euro cents.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Reads an amount in euro as people type it: "1234,56", "1.234,56", "1234.56",
    /// "1,234.56", "48.000" or "1234". A separator followed by exactly three digits and no
    /// other separator before it groups thousands; thousands come in groups of three. None
    /// for anything else ("12,345,6", "1e5", "€12").
    pub fn parse_euro(text: &str) -> Option<Cents> {
        let text: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, part, thousands) = match digits.rfind([',', '.']) {
            None => (digits, "", None),
            Some(at) => {
                let separator = if digits[at..].starts_with(',') {
                    ','
                } else {
                    '.'
                };
                let other = if separator == ',' { '.' } else { ',' };
                let after = &digits[at + 1..];
                if after.len() == 3 && !digits[..at].contains(other) {
                    (digits, "", Some(separator))
                } else {
                    (&digits[..at], after, Some(other))
                }
            }
        };
        let whole = ungrouped(whole, thousands)?;
        let well_formed = part.len() <= 2 && part.chars().all(|c| c.is_ascii_digit());
        if !well_formed {
            return None;
        }
        let euros: i64 = whole.parse().ok()?;
        let cents: i64 = format!("{part:0<2}").parse().ok()?;
        let value = euros.checked_mul(100)?.checked_add(cents)?;
        Some(Cents(if negative { -value } else { value }))
    }
}

/// The digits of `whole`, whose thousands may be grouped by `separator` (first group one to
/// three digits, the others three).
fn ungrouped(whole: &str, separator: Option<char>) -> Option<String> {
    let groups: Vec<&str> = match separator {
        Some(separator) => whole.split(separator).collect(),
        None => vec![whole],
    };
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let first_ok = groups
        .first()
        .is_some_and(|g| digits(g) && (groups.len() == 1 || g.len() <= 3));
    let rest_ok = groups.iter().skip(1).all(|g| digits(g) && g.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, other: Cents) -> Cents {
        Cents(self.0 + other.0)
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;
    fn sub(self, other: Cents) -> Cents {
        Cents(self.0 - other.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

/// A rate in millionths: 0,90 % is `Rate(9_000)`, 5 % is `Rate(50_000)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rate(pub u32);

impl Rate {
    pub const ONE_MILLION: i128 = 1_000_000;

    /// `amount × rate`, rounded half away from zero.
    pub fn of(self, amount: Cents) -> Cents {
        Cents(round_half_away(
            i128::from(amount.0) * i128::from(self.0),
            Rate::ONE_MILLION,
        ))
    }
}

/// A work fraction in ten-thousandths: full time is `Fraction::FULL` (10 000), 80 % is 8 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fraction(u16);

impl Fraction {
    pub const FULL: Fraction = Fraction(10_000);
    pub const DENOMINATOR: i128 = 10_000;

    /// A fraction between 0 and 1 (both included), in ten-thousandths.
    pub fn new(ten_thousandths: u16) -> Option<Fraction> {
        (ten_thousandths <= 10_000).then_some(Fraction(ten_thousandths))
    }

    pub fn ten_thousandths(self) -> u16 {
        self.0
    }
}

/// `numerator / denominator` rounded to the nearest integer, halves away from zero.
/// `denominator` must be positive.
pub fn round_half_away(numerator: i128, denominator: i128) -> i64 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    let rounded = if remainder.abs() * 2 >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    };
    i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero_and_the_rest_to_the_nearest() {
        assert_eq!(round_half_away(5, 10), 1);
        assert_eq!(round_half_away(-5, 10), -1);
        assert_eq!(round_half_away(4, 10), 0);
        assert_eq!(round_half_away(-4, 10), 0);
        assert_eq!(round_half_away(15, 10), 2);
        assert_eq!(round_half_away(-15, 10), -2);
        assert_eq!(round_half_away(14, 10), 1);
        assert_eq!(round_half_away(29, 10), 3);
    }

    #[test]
    fn costs_of_the_plan_round_per_line() {
        // 0,90 % management and 0,08 % collection cost of 1 234,56 €.
        assert_eq!(Rate(9_000).of(Cents(123_456)), Cents(1_111));
        assert_eq!(Rate(800).of(Cents(123_456)), Cents(99));
        assert_eq!(Rate(44_000).of(Cents(-12_345)), Cents(-543));
    }

    #[test]
    fn amounts_read_with_comma_or_point_decimals() {
        for (text, cents) in [
            ("48000", 4_800_000),
            ("48000,5", 4_800_050),
            ("48.000,50", 4_800_050),
            ("48,000.50", 4_800_050),
            ("48000.50", 4_800_050),
            ("48.000", 4_800_000),
            ("1 234,56", 123_456),
            ("-12,3", -1_230),
            ("1.234.567", 123_456_700),
        ] {
            assert_eq!(Cents::parse_euro(text), Some(Cents(cents)), "{text}");
        }
        for bad in [
            "",
            "12,345,6",
            "1,2,3",
            "abc",
            "12.3.4,5",
            "1.2345,00",
            "€12",
            "1e5",
            "1,5,",
        ] {
            assert_eq!(Cents::parse_euro(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_fraction_lies_between_zero_and_one() {
        assert!(Fraction::new(0).is_some());
        assert_eq!(Fraction::new(10_000), Some(Fraction::FULL));
        assert!(Fraction::new(10_001).is_none());
    }
}
