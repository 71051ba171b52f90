//! A month's statement ("Premiebordereel", "bordereau de primes"): one line per affiliation
//! and per regularisation, in the statement's order, and when it is due. What each line
//! costs comes from [`super::premium_for_month`]; the store sums the lines per contract and
//! category, the workbook while it writes them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Cents, Fraction, Month, ReasonCode};

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// The contract's number (530/000101).
    pub contract: String,
    pub category: String,
    pub employee_number: Option<String>,
    /// "Peeters, Jan".
    pub name: String,
    pub national_number: String,
    /// The month the line charges: the statement's own, or an earlier one it regularises.
    pub month: Month,
    pub salary: Cents,
    pub fraction: Fraction,
    /// Days charged; negative on a regularisation that takes days back.
    pub days: i32,
    pub premium: Cents,
    /// Set on a regularisation.
    pub reason: Option<ReasonCode>,
}

/// Orders `lines` as a statement lists them: by contract, category, name, then month.
pub fn in_statement_order(lines: &mut [StatementLine]) {
    lines.sort_by(|a, b| {
        (
            &a.contract,
            &a.category,
            &a.name,
            &a.national_number,
            a.month,
        )
            .cmp(&(
                &b.contract,
                &b.category,
                &b.name,
                &b.national_number,
                b.month,
            ))
    });
}

/// The statement of `month` is issued on its 15th and due on its last day.
pub fn due_date(month: Month) -> NaiveDate {
    month.last_day()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn line(contract: &str, category: &str, name: &str, cents: i64) -> StatementLine {
        StatementLine {
            contract: contract.to_owned(),
            category: category.to_owned(),
            employee_number: None,
            name: name.to_owned(),
            national_number: "85073003328".to_owned(),
            month: Month::new(2026, 11).unwrap(),
            salary: Cents(4_800_000),
            fraction: Fraction::FULL,
            days: 30,
            premium: Cents(cents),
            reason: None,
        }
    }

    #[test]
    fn lines_are_ordered_by_contract_category_name_and_month() {
        let mut lines = vec![
            line("530/000102", "Arbeiders", "Maes, Eva", 12_000),
            line("530/000101", "Bedienden", "Peeters, Jan", 20_000),
            line("530/000101", "Bedienden", "Aerts, Lien", 15_000),
            line("530/000101", "Bedienden", "Peeters, Jan", -7_097),
        ];
        in_statement_order(&mut lines);
        assert_eq!(lines[0].name, "Aerts, Lien");
        assert_eq!(lines[3].contract, "530/000102");
    }

    #[test]
    fn a_statement_is_due_on_the_last_day_of_its_month() {
        let february = Month::new(2028, 2).unwrap();
        assert_eq!(
            due_date(february),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
    }
}
