//! The premium engine: what an affiliation costs for a month, from the plan rule of its
//! category and the salary and work fraction in force each day. Pure; the statement, the
//! regularisations and the costs are built from it.
//!
//! The rules, written down once:
//! - The yearly pension allowance is the rule applied to the pensionable annual salary of a
//!   full-time worker, times the work fraction.
//! - A month's premium is the allowance / 12 for every day of the month, each day at the
//!   rule, salary and fraction in force that day, over the days the affiliation covers
//!   (entry and exit dates included), divided by the month's number of days.
//! - It is computed exactly and rounded once, to the cent, half away from zero.
//! - Days without a salary or a rule in force count for nothing and are reported.

mod communication;
mod money;
pub mod payments;
pub mod plan_form;
mod regularisation;
mod statement;

pub use communication::{DEMO_INSURER_ACCOUNT, InsurerAccount, StructuredCommunication};
pub use money::{Cents, Fraction, Rate, round_half_away};
pub use regularisation::{ReasonCode, Regularisation, reason_for, regularise};
pub use statement::{StatementLine, due_date, in_statement_order};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the plan deducts from each premium collected, before it is invested: the insurer's
/// management cost ("beheerskosten 0,90 %") and the collection cost ("inningskost 0,08 %").
/// Statements show them; they are inside the premium, never added to what is due.
pub const MANAGEMENT_COST: Rate = Rate(9_000);
pub const COLLECTION_COST: Rate = Rate(800);

/// The plan rule of a category: how the yearly pension allowance follows from the salary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanRule {
    /// "Jaarlijkse pensioentoelage: x % van het pensioengevend jaarloon".
    Flat { rate: Rate },
    /// `low` up to the yearly `threshold`, `high` on the part above it.
    TwoTier {
        low: Rate,
        high: Rate,
        threshold: Cents,
    },
}

impl PlanRule {
    /// The yearly allowance of a full-time salary, in millionths of a cent.
    fn allowance_millionths(self, salary: Cents) -> i128 {
        let salary = i128::from(salary.0.max(0));
        match self {
            PlanRule::Flat { rate } => salary * i128::from(rate.0),
            PlanRule::TwoTier {
                low,
                high,
                threshold,
            } => {
                let threshold = i128::from(threshold.0.max(0));
                let below = salary.min(threshold);
                let above = (salary - threshold).max(0);
                below * i128::from(low.0) + above * i128::from(high.0)
            }
        }
    }

    /// The yearly allowance of `salary` at `fraction`, rounded to the cent.
    pub fn yearly_allowance(self, salary: Cents, fraction: Fraction) -> Cents {
        let exact = self.allowance_millionths(salary) * i128::from(fraction.ten_thousandths());
        Cents(round_half_away(
            exact,
            Rate::ONE_MILLION * Fraction::DENOMINATOR,
        ))
    }
}

/// A salary and work fraction in force from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryFrom {
    pub from: NaiveDate,
    /// Pensionable annual salary of a full-time worker.
    pub annual: Cents,
    pub fraction: Fraction,
}

/// A plan rule in force from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFrom {
    pub from: NaiveDate,
    pub rule: PlanRule,
}

/// What the engine needs of one affiliation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AffiliationTerms {
    /// First day covered.
    pub start: Option<NaiveDate>,
    /// Last day covered (the exit date, inclusive); None while active.
    pub end: Option<NaiveDate>,
    pub salaries: Vec<SalaryFrom>,
    pub rules: Vec<RuleFrom>,
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        match self.month {
            12 => Month {
                year: self.year + 1,
                month: 1,
            },
            m => Month {
                year: self.year,
                month: m + 1,
            },
        }
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// Reads "2026-11", as months are stored and sent in forms.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }

    /// "2026-11": the stored form, read back by [`Month::parse`].
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The month before.
    pub fn previous(self) -> Month {
        match self.month {
            1 => Month {
                year: self.year - 1,
                month: 12,
            },
            m => Month {
                year: self.year,
                month: m - 1,
            },
        }
    }

    /// "mm/jjjj", as statements name their month.
    pub fn label(self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }
}

/// The premium of one affiliation for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPremium {
    pub premium: Cents,
    /// Days of the month the affiliation covers.
    pub days: u32,
    /// Covered days without a salary or a rule in force (they count for nothing).
    pub days_unpriced: u32,
    /// The salary in force on the last covered day, if any (what a statement line shows).
    pub salary: Option<SalaryFrom>,
}

/// What was in force on `day`: the entry with the latest `from` on or before it.
fn in_force<T: Copy>(entries: &[T], from: impl Fn(&T) -> NaiveDate, day: NaiveDate) -> Option<T> {
    entries
        .iter()
        .filter(|e| from(e) <= day)
        .max_by_key(|e| from(e))
        .copied()
}

/// The premium of `terms` for `month` (see the module's rules).
pub fn premium_for_month(terms: &AffiliationTerms, month: Month) -> MonthPremium {
    let Some(start) = terms.start else {
        return MonthPremium {
            premium: Cents::ZERO,
            days: 0,
            days_unpriced: 0,
            salary: None,
        };
    };
    let first = month.first_day().max(start);
    let last = terms
        .end
        .map_or(month.last_day(), |end| end.min(month.last_day()));
    let (mut exact, mut days, mut days_unpriced) = (0_i128, 0_u32, 0_u32);
    let mut day = first;
    while day <= last {
        days += 1;
        let salary = in_force(&terms.salaries, |s| s.from, day);
        let rule = in_force(&terms.rules, |r| r.from, day);
        match (salary, rule) {
            (Some(salary), Some(rule)) => {
                let fraction = i128::from(salary.fraction.ten_thousandths());
                exact += rule.rule.allowance_millionths(salary.annual) * fraction;
            }
            _ => days_unpriced += 1,
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    let denominator = 12 * i128::from(month.days()) * Rate::ONE_MILLION * Fraction::DENOMINATOR;
    MonthPremium {
        premium: Cents(round_half_away(exact, denominator)),
        days,
        days_unpriced,
        salary: (days > 0)
            .then(|| in_force(&terms.salaries, |s| s.from, last))
            .flatten(),
    }
}

#[cfg(test)]
mod tests;
