#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn month(y: i32, m: u32) -> Month {
    Month::new(y, m).unwrap()
}

/// 5 % of the salary.
const FIVE_PERCENT: PlanRule = PlanRule::Flat { rate: Rate(50_000) };

fn fraction(ten_thousandths: u16) -> Fraction {
    Fraction::new(ten_thousandths).unwrap()
}

/// Affiliated from `start` (to `end`), earning `euros` a year full time at `fraction`, on
/// 5 % since 2000.
fn terms(start: NaiveDate, end: Option<NaiveDate>, euros: i64, part: u16) -> AffiliationTerms {
    AffiliationTerms {
        start: Some(start),
        end,
        salaries: vec![SalaryFrom {
            from: date(2000, 1, 1),
            annual: Cents(euros * 100),
            fraction: fraction(part),
        }],
        rules: vec![RuleFrom {
            from: date(2000, 1, 1),
            rule: FIVE_PERCENT,
        }],
    }
}

#[test]
fn a_full_month_is_a_twelfth_of_the_yearly_allowance() {
    // 5 % of 48 000,00 € is 2 400,00 € a year: 200,00 € a month.
    let full = premium_for_month(
        &terms(date(2020, 1, 1), None, 48_000, 10_000),
        month(2026, 3),
    );
    assert_eq!(full.premium, Cents(20_000));
    assert_eq!((full.days, full.days_unpriced), (31, 0));
}

#[test]
fn an_entry_on_the_tenth_counts_from_the_tenth() {
    // April has 30 days; the 10th to the 30th are 21: 200 × 21 / 30 = 140,00 €.
    let entry = premium_for_month(
        &terms(date(2026, 4, 10), None, 48_000, 10_000),
        month(2026, 4),
    );
    assert_eq!((entry.premium, entry.days), (Cents(14_000), 21));
}

#[test]
fn an_exit_on_the_twentieth_counts_the_twentieth() {
    // May has 31 days; the 1st to the 20th: 200 × 20 / 31 = 129,032… → 129,03 €.
    let exit = terms(date(2020, 1, 1), Some(date(2026, 5, 20)), 48_000, 10_000);
    let may = premium_for_month(&exit, month(2026, 5));
    assert_eq!((may.premium, may.days), (Cents(12_903), 20));
    assert_eq!(
        premium_for_month(&exit, month(2026, 6)).premium,
        Cents::ZERO
    );
}

#[test]
fn a_salary_change_mid_month_splits_the_month_by_days() {
    // June: 48 000 € until the 15th, 60 000 € from the 16th: 100,00 + 125,00 = 225,00 €.
    let mut raise = terms(date(2020, 1, 1), None, 48_000, 10_000);
    raise.salaries.push(SalaryFrom {
        from: date(2026, 6, 16),
        annual: Cents(6_000_000),
        fraction: Fraction::FULL,
    });
    assert_eq!(
        premium_for_month(&raise, month(2026, 6)).premium,
        Cents(22_500)
    );
}

#[test]
fn part_time_is_the_fraction_of_full_time() {
    // 80 %: 160,00 €.
    let part = premium_for_month(
        &terms(date(2020, 1, 1), None, 48_000, 8_000),
        month(2026, 3),
    );
    assert_eq!(part.premium, Cents(16_000));
}

#[test]
fn the_two_tier_rule_splits_the_salary_at_the_threshold() {
    // 3 % up to 70 000 €, 10 % above: 2 100 + 2 000 = 4 100 € a year, 341,666… → 341,67 €.
    let rule = PlanRule::TwoTier {
        low: Rate(30_000),
        high: Rate(100_000),
        threshold: Cents(7_000_000),
    };
    assert_eq!(
        rule.yearly_allowance(Cents(9_000_000), Fraction::FULL),
        Cents(410_000)
    );
    assert_eq!(
        rule.yearly_allowance(Cents(6_000_000), Fraction::FULL),
        Cents(180_000)
    );
    let mut tiers = terms(date(2020, 1, 1), None, 90_000, 10_000);
    tiers.rules[0].rule = rule;
    assert_eq!(
        premium_for_month(&tiers, month(2026, 3)).premium,
        Cents(34_167)
    );
}

#[test]
fn a_leap_year_february_has_twenty_nine_days() {
    // Entry on 15 February 2028: 15 of 29 days, 200 × 15 / 29 = 103,448… → 103,45 €.
    let entry = premium_for_month(
        &terms(date(2028, 2, 15), None, 48_000, 10_000),
        month(2028, 2),
    );
    assert_eq!((entry.premium, entry.days), (Cents(10_345), 15));
    assert_eq!(month(2028, 2).days(), 29);
    assert_eq!(month(2026, 2).days(), 28);
}

#[test]
fn days_without_a_salary_count_for_nothing_and_are_reported() {
    let mut unknown = terms(date(2026, 3, 1), None, 48_000, 10_000);
    unknown.salaries[0].from = date(2026, 3, 17);
    let march = premium_for_month(&unknown, month(2026, 3));
    // 15 of 31 days priced: 200 × 15 / 31 = 96,77 €.
    assert_eq!(
        (march.premium, march.days, march.days_unpriced),
        (Cents(9_677), 31, 16)
    );
}

#[test]
fn a_late_exit_is_regularised_next_month_with_code_30() {
    let billed = premium_for_month(
        &terms(date(2020, 1, 1), None, 48_000, 10_000),
        month(2026, 5),
    );
    let exited = terms(date(2020, 1, 1), Some(date(2026, 5, 20)), 48_000, 10_000);
    let due = premium_for_month(&exited, month(2026, 5));
    let line = regularise(
        month(2026, 5),
        billed.premium,
        due.premium,
        ReasonCode::Exit,
    )
    .unwrap();
    assert_eq!(line.amount(), Cents(12_903 - 20_000));
    assert_eq!(line.reason.code(), "30");
    assert_eq!(
        regularise(month(2026, 5), due.premium, due.premium, ReasonCode::Exit),
        None
    );
}

#[test]
fn reason_codes_are_those_of_the_statements() {
    let codes: Vec<&str> = ReasonCode::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(codes, ["05", "25", "30", "40", "50"]);
    for reason in ReasonCode::ALL {
        assert!(
            crate::test_catalog::in_catalog(reason.label_key()),
            "{reason:?}"
        );
    }
}

proptest! {
    /// Twelve months of a stable affiliate add up to the yearly allowance, within a cent a
    /// month.
    #[test]
    fn twelve_stable_months_sum_to_the_yearly_allowance(
        euros in 1_000_i64..500_000,
        cents in 0_i64..100,
        part in 1_u16..=10_000,
        rate in 1_u32..200_000,
        year in 2000_i32..2100,
    ) {
        let salary = Cents(euros * 100 + cents);
        let rule = PlanRule::Flat { rate: Rate(rate) };
        let stable = AffiliationTerms {
            start: Some(date(1999, 1, 1)),
            end: None,
            salaries: vec![SalaryFrom { from: date(1999, 1, 1), annual: salary, fraction: fraction(part) }],
            rules: vec![RuleFrom { from: date(1999, 1, 1), rule }],
        };
        let year_total: Cents = (1..=12).map(|m| premium_for_month(&stable, month(year, m)).premium).sum();
        let allowance = rule.yearly_allowance(salary, fraction(part));
        prop_assert!((year_total.0 - allowance.0).abs() <= 12, "{year_total:?} vs {allowance:?}");
    }

    /// What was billed plus its regularisation is what the month costs now.
    #[test]
    fn the_original_plus_its_regularisation_is_the_recomputed_month(
        euros in 1_000_i64..500_000,
        raise in 0_i64..100_000,
        exit_day in 1_u32..=28,
        m in 1_u32..=12,
    ) {
        let before = terms(date(2020, 1, 1), None, euros, 10_000);
        let billed = premium_for_month(&before, month(2026, m)).premium;
        let mut after = terms(date(2020, 1, 1), Some(date(2026, m, exit_day)), euros, 10_000);
        after.salaries.push(SalaryFrom {
            from: date(2026, m, 1),
            annual: Cents((euros + raise) * 100),
            fraction: Fraction::FULL,
        });
        let due = premium_for_month(&after, month(2026, m)).premium;
        let total = match regularise(month(2026, m), billed, due, ReasonCode::SalaryOrFraction) {
            Some(line) => billed + line.amount(),
            None => billed,
        };
        prop_assert_eq!(total, due);
    }
}

#[test]
fn months_read_and_write_their_stored_form_and_step_back_across_years() {
    assert_eq!(Month::parse("2026-11"), Some(month(2026, 11)));
    assert_eq!(month(2026, 1).key(), "2026-01");
    assert_eq!(Month::parse(&month(2031, 7).key()), Some(month(2031, 7)));
    for bad in [
        "2026-13",
        "2026-00",
        "2026-1",
        "26-11",
        "2026/11",
        "",
        "x-y",
        "2026-11-01",
    ] {
        assert_eq!(Month::parse(bad), None, "{bad}");
    }
    assert_eq!(month(2026, 1).previous(), month(2025, 12));
    assert_eq!(month(2026, 7).previous().next(), month(2026, 7));
}
