//! A month's statement ("Premiebordereel", "bordereau de primes"): one line per affiliation
//! and per regularisation, subtotals per contract and category, the total, and when it is
//! due. What each line costs comes from [`super::premium_for_month`] and
//! [`super::regularise`]; this module only orders and adds them up.

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

/// The sum of one contract's category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subtotal {
    pub contract: String,
    pub category: String,
    pub lines: usize,
    pub amount: Cents,
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

/// The subtotal of each contract and category, in statement order.
pub fn subtotals(lines: &[StatementLine]) -> Vec<Subtotal> {
    let mut sums: Vec<Subtotal> = Vec::new();
    for line in lines {
        let found = sums
            .iter_mut()
            .find(|s| s.contract == line.contract && s.category == line.category);
        match found {
            Some(sum) => {
                sum.lines += 1;
                sum.amount = sum.amount + line.premium;
            }
            None => sums.push(Subtotal {
                contract: line.contract.clone(),
                category: line.category.clone(),
                lines: 1,
                amount: line.premium,
            }),
        }
    }
    sums.sort_by(|a, b| (&a.contract, &a.category).cmp(&(&b.contract, &b.category)));
    sums
}

/// What the statement asks in all.
pub fn total(lines: &[StatementLine]) -> Cents {
    lines.iter().map(|l| l.premium).sum()
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
    fn subtotals_per_contract_and_category_add_up_to_the_total() {
        let mut lines = vec![
            line("530/000102", "Arbeiders", "Maes, Eva", 12_000),
            line("530/000101", "Bedienden", "Peeters, Jan", 20_000),
            line("530/000101", "Bedienden", "Aerts, Lien", 15_000),
            line("530/000101", "Bedienden", "Peeters, Jan", -7_097),
        ];
        in_statement_order(&mut lines);
        assert_eq!(lines[0].name, "Aerts, Lien");
        assert_eq!(lines[3].contract, "530/000102");
        let sums = subtotals(&lines);
        assert_eq!(sums.len(), 2);
        assert_eq!((sums[0].lines, sums[0].amount), (3, Cents(27_903)));
        assert_eq!((sums[1].lines, sums[1].amount), (1, Cents(12_000)));
        assert_eq!(total(&lines), Cents(39_903));
        assert_eq!(sums.iter().map(|s| s.amount).sum::<Cents>(), total(&lines));
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
