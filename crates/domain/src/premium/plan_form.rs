//! The operator's forms for the plan: a new category of a contract, and a plan rule of a
//! category from a date. Each field is checked on its own, so every message stands at its
//! field.

use chrono::{Datelike, Months, NaiveDate};

use super::{Cents, PlanRule, Rate, RuleFrom};
use crate::changes::{FieldErrors, parse_date};
use crate::salary_list::decimal;

/// The longest category name ("Bedienden", "Kaderleden vanaf 2024", …).
pub const MAX_CATEGORY_NAME: usize = 60;

/// A plan rule as typed: `kind` is "flat" or "two_tier"; rates in percent ("3", "2,5 %"),
/// the threshold in euro a year.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanRuleDraft<'a> {
    pub from: &'a str,
    pub kind: &'a str,
    pub rate: &'a str,
    pub low: &'a str,
    pub high: &'a str,
    pub threshold: &'a str,
}

/// A category name: trimmed, 1 to [`MAX_CATEGORY_NAME`] characters, no control characters.
pub fn check_category_name(text: &str) -> Result<String, &'static str> {
    let name = text.trim();
    if name.is_empty() {
        Err("field-required")
    } else if name.chars().count() > MAX_CATEGORY_NAME {
        Err("category-name-too-long")
    } else if name.chars().any(char::is_control) {
        Err("category-name-invalid")
    } else {
        Ok(name.to_owned())
    }
}

/// A rate typed in percent ("3", "2,5", "0,90 %"), from 0 % to 100 %, to the ten-thousandth
/// of a percent.
pub fn parse_rate(text: &str) -> Result<Rate, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("field-required");
    }
    let number = text.strip_suffix('%').unwrap_or(text).trim_end();
    let (numerator, scale) = decimal(number).ok_or("plan-rate-invalid")?;
    // millionths = percent × 10 000; finer than that is not a rate anyone types.
    let millionths = numerator * 10_000;
    if millionths % scale != 0 {
        return Err("plan-rate-invalid");
    }
    let millionths = millionths / scale;
    if millionths > 1_000_000 {
        return Err("plan-rate-out-of-range");
    }
    u32::try_from(millionths)
        .map(Rate)
        .map_err(|_| "plan-rate-out-of-range")
}

/// A yearly threshold in euro, above 0 and at most 10 000 000 €.
fn parse_threshold(text: &str) -> Result<Cents, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("field-required");
    }
    match Cents::parse_euro(text) {
        Some(c) if c.0 > 0 && c.0 <= 1_000_000_000 => Ok(c),
        Some(_) => Err("plan-threshold-out-of-range"),
        None => Err("salary-not-amount"),
    }
}

/// The start of a rule: a date from 1 January 2000 to a year after `today`.
fn parse_from(text: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    if text.trim().is_empty() {
        return Err("field-required");
    }
    let from = parse_date(text).ok_or("date-invalid")?;
    let latest = today.checked_add_months(Months::new(12)).unwrap_or(today);
    if from.year() < 2000 || from > latest {
        return Err("plan-rule-from-out-of-range");
    }
    Ok(from)
}

/// The rule a form describes, or the message of each field that does not read.
pub fn parse_plan_rule(
    draft: &PlanRuleDraft<'_>,
    today: NaiveDate,
) -> Result<RuleFrom, FieldErrors> {
    let mut errors = FieldErrors::new();
    let e = &mut errors;
    let from = at(e, "from", parse_from(draft.from, today));
    let rule = match draft.kind {
        "flat" => at(e, "rate", parse_rate(draft.rate)).map(|rate| PlanRule::Flat { rate }),
        "two_tier" => {
            let low = at(e, "low", parse_rate(draft.low));
            let high = at(e, "high", parse_rate(draft.high));
            let threshold = at(e, "threshold", parse_threshold(draft.threshold));
            match (low, high, threshold) {
                (Some(low), Some(high), Some(threshold)) => Some(PlanRule::TwoTier {
                    low,
                    high,
                    threshold,
                }),
                _ => None,
            }
        }
        _ => at::<PlanRule>(e, "kind", Err("plan-kind-invalid")),
    };
    match (from, rule) {
        (Some(from), Some(rule)) if errors.is_empty() => Ok(RuleFrom { from, rule }),
        _ => Err(errors),
    }
}

/// The value of a field, or its message in `errors`.
fn at<T>(
    errors: &mut FieldErrors,
    field: &'static str,
    read: Result<T, &'static str>,
) -> Option<T> {
    read.map_err(|code| errors.insert(field, code)).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rates_read_in_percent() {
        assert_eq!(parse_rate("3"), Ok(Rate(30_000)));
        assert_eq!(parse_rate("2,5 %"), Ok(Rate(25_000)));
        assert_eq!(parse_rate("0.90%"), Ok(Rate(9_000)));
        assert_eq!(parse_rate("100"), Ok(Rate(1_000_000)));
        assert_eq!(parse_rate("0"), Ok(Rate(0)));
        assert_eq!(parse_rate("100,01"), Err("plan-rate-out-of-range"));
        assert_eq!(parse_rate("-3"), Err("plan-rate-invalid"));
        assert_eq!(parse_rate("3,00001"), Err("plan-rate-invalid"));
        assert_eq!(parse_rate("drie"), Err("plan-rate-invalid"));
        assert_eq!(parse_rate(" "), Err("field-required"));
    }

    #[test]
    fn a_two_tier_rule_needs_both_rates_and_a_threshold() {
        let today = day(2026, 12, 7);
        let draft = PlanRuleDraft {
            from: "01/01/2027",
            kind: "two_tier",
            low: "3",
            high: "8,5",
            threshold: "68.000,00",
            ..Default::default()
        };
        let rule = parse_plan_rule(&draft, today).unwrap();
        assert_eq!(rule.from, day(2027, 1, 1));
        assert_eq!(
            rule.rule,
            PlanRule::TwoTier {
                low: Rate(30_000),
                high: Rate(85_000),
                threshold: Cents(6_800_000)
            }
        );
        let bad = PlanRuleDraft {
            from: "01/01/2029",
            threshold: "0",
            high: "",
            ..draft
        };
        let errors = parse_plan_rule(&bad, today).unwrap_err();
        assert_eq!(errors.get("from"), Some(&"plan-rule-from-out-of-range"));
        assert_eq!(errors.get("high"), Some(&"field-required"));
        assert_eq!(
            errors.get("threshold"),
            Some(&"plan-threshold-out-of-range")
        );
        assert_eq!(errors.get("low"), None);
        let unknown = PlanRuleDraft {
            kind: "<script>",
            ..draft
        };
        let errors = parse_plan_rule(&unknown, today).unwrap_err();
        assert_eq!(errors.get("kind"), Some(&"plan-kind-invalid"));
    }

    #[test]
    fn category_names_are_short_plain_text() {
        assert_eq!(
            check_category_name("  Kaderleden "),
            Ok("Kaderleden".to_owned())
        );
        assert_eq!(check_category_name(""), Err("field-required"));
        assert_eq!(
            check_category_name(&"x".repeat(61)),
            Err("category-name-too-long")
        );
        assert_eq!(check_category_name("a\u{0}b"), Err("category-name-invalid"));
    }
}
