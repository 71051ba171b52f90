//! Money and rates as a reader of each language writes them: 70 000,00 € and 0,90 % in
//! Dutch and French, €70,000.00 and 0.90% in English. Amounts are integer cents, rates
//! integer millionths (see `ebdesk_domain::premium`).

use ebdesk_domain::premium::{Cents, Rate};

/// A no-break space: an amount and its unit stay on one line.
const NBSP: char = '\u{a0}';

fn english(lang: &str) -> bool {
    lang == "en"
}

/// The digits of `whole`, grouped by three with `separator`.
fn grouped(whole: u64, separator: char) -> String {
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// An amount in euro with its cents: "70 000,00 €" ("€70,000.00" in English).
pub fn format_amount(amount: Cents, lang: &str) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let cents = amount.0.unsigned_abs();
    let (whole, part) = (cents / 100, cents % 100);
    if english(lang) {
        format!("{sign}€{}.{part:02}", grouped(whole, ','))
    } else {
        format!("{sign}{},{part:02}{NBSP}€", grouped(whole, NBSP))
    }
}

/// A rate in percent: whole percents without decimals ("5 %"), others with at least two
/// ("0,90 %", "3,125 %"); "5%", "0.90%" in English.
pub fn format_rate(rate: Rate, lang: &str) -> String {
    let (whole, part) = (rate.0 / 10_000, rate.0 % 10_000);
    let (decimal, space) = if english(lang) {
        ('.', String::new())
    } else {
        (',', NBSP.to_string())
    };
    if part == 0 {
        return format!("{whole}{space}%");
    }
    let mut decimals = format!("{part:04}");
    while decimals.len() > 2 && decimals.ends_with('0') {
        decimals.pop();
    }
    format!("{whole}{decimal}{decimals}{space}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_thousands_and_keep_their_cents() {
        assert_eq!(
            format_amount(Cents(7_000_000), "nl"),
            "70\u{a0}000,00\u{a0}€"
        );
        assert_eq!(
            format_amount(Cents(123_456_789), "fr"),
            "1\u{a0}234\u{a0}567,89\u{a0}€"
        );
        assert_eq!(format_amount(Cents(5), "nl"), "0,05\u{a0}€");
        assert_eq!(
            format_amount(Cents(-100_050), "nl"),
            "-1\u{a0}000,50\u{a0}€"
        );
        assert_eq!(format_amount(Cents(7_000_000), "en"), "€70,000.00");
    }

    #[test]
    fn rates_show_whole_percents_plainly_and_others_with_two_decimals_or_more() {
        assert_eq!(format_rate(Rate(50_000), "nl"), "5\u{a0}%");
        assert_eq!(format_rate(Rate(9_000), "nl"), "0,90\u{a0}%");
        assert_eq!(format_rate(Rate(31_250), "fr"), "3,125\u{a0}%");
        assert_eq!(format_rate(Rate(100_001), "nl"), "10,0001\u{a0}%");
        assert_eq!(format_rate(Rate(9_000), "en"), "0.90%");
        assert_eq!(format_rate(Rate(100_000), "en"), "10%");
    }
}
