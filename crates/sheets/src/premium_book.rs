//! The Premiebordereel as a workbook: one row per line of the statement, a subtotal row
//! after each contract's category, and the total. Texts in the reader's language; amounts
//! are numbers (cents / 100) with two decimals, so the reader can add them up again.

use ebdesk_domain::premium::{Month, StatementLine};
use ebdesk_i18n::{LanguageIdentifier, Message};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::errors::SheetError;
use crate::write::Formats;

const COLUMNS: [(&str, f64); 11] = [
    ("premium-book-col-month", 10.0),
    ("premium-book-col-contract", 14.0),
    ("premium-book-col-category", 16.0),
    ("premium-book-col-employee-number", 14.0),
    ("premium-book-col-name", 28.0),
    ("premium-book-col-national-number", 16.0),
    ("premium-book-col-salary", 14.0),
    ("premium-book-col-fraction", 10.0),
    ("premium-book-col-days", 8.0),
    ("premium-book-col-premium", 12.0),
    ("premium-book-col-reason", 10.0),
];
const PREMIUM_COL: u16 = 9;

/// The file name of the statement of `month`, in `lang`.
pub fn premium_statement_name(month: Month, lang: &LanguageIdentifier) -> String {
    Message::new("premium-book-file-name")
        .with("month", format!("{}-{:02}", month.year, month.month))
        .render(lang)
}

struct Styles {
    header: Format,
    money: Format,
    percent: Format,
    sum_label: Format,
    sum_money: Format,
}

impl Styles {
    fn new() -> Styles {
        let money = Format::new().set_num_format("#,##0.00");
        Styles {
            header: Formats::new().header,
            percent: Format::new().set_num_format("0.00%"),
            sum_label: Format::new().set_bold(),
            sum_money: money.clone().set_bold(),
            money,
        }
    }
}

fn euros(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Writes the statement of `month` from `lines` in statement order (see
/// `domain::premium::in_statement_order`): a subtotal row closes each contract's category.
/// Rows are flushed to a temporary file as they come, so memory stays flat whatever the
/// count.
pub fn write_premium_statement(
    lines: impl IntoIterator<Item = StatementLine>,
    month: Month,
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    let title = Message::new("premium-book-sheet").with("month", month.label());
    sheet.set_name(title.render(lang).replace('/', "-"))?;
    for (col, (key, width)) in (0u16..).zip(COLUMNS) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, Message::new(key).render(lang), &styles.header)?;
    }
    let mut row = 1u32;
    let mut group: Option<(String, String, i64)> = None;
    let mut total = 0_i64;
    for line in lines {
        let same = group.as_ref().is_some_and(|(contract, category, _)| {
            *contract == line.contract && *category == line.category
        });
        if !same {
            if let Some(done) = group.take() {
                row = write_subtotal(sheet, row, &done, lang, &styles)?;
            }
            group = Some((line.contract.clone(), line.category.clone(), 0));
        }
        write_line(sheet, row, &line, &styles)?;
        if let Some((_, _, sum)) = group.as_mut() {
            *sum += line.premium.0;
        }
        total += line.premium.0;
        row = row
            .checked_add(1)
            .ok_or(rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
    }
    if let Some(done) = group.take() {
        row = write_subtotal(sheet, row, &done, lang, &styles)?;
    }
    let label = Message::new("premium-book-total").render(lang);
    write_sum(sheet, row, &label, total, &styles)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.set_zip_compression_level(3);
    Ok(workbook.save_to_buffer()?)
}

/// The subtotal row of a contract's category and a blank row; the next free row.
fn write_subtotal(
    sheet: &mut Worksheet,
    row: u32,
    (contract, category, cents): &(String, String, i64),
    lang: &LanguageIdentifier,
    styles: &Styles,
) -> Result<u32, SheetError> {
    let label = Message::new("premium-book-subtotal")
        .with("contract", contract.as_str())
        .with("category", category.as_str());
    write_sum(sheet, row, &label.render(lang), *cents, styles)?;
    Ok(row + 2)
}

fn write_line(
    sheet: &mut Worksheet,
    row: u32,
    line: &StatementLine,
    styles: &Styles,
) -> Result<(), SheetError> {
    // Names and numbers are written as strings: never read as a formula or a number.
    sheet.write_string(row, 0, line.month.label())?;
    sheet.write_string(row, 1, &line.contract)?;
    sheet.write_string(row, 2, &line.category)?;
    sheet.write_string(row, 3, line.employee_number.as_deref().unwrap_or_default())?;
    sheet.write_string(row, 4, &line.name)?;
    sheet.write_string(row, 5, &line.national_number)?;
    sheet.write_number_with_format(row, 6, euros(line.salary.0), &styles.money)?;
    let fraction = f64::from(line.fraction.ten_thousandths()) / 10_000.0;
    sheet.write_number_with_format(row, 7, fraction, &styles.percent)?;
    sheet.write_number(row, 8, line.days)?;
    sheet.write_number_with_format(row, PREMIUM_COL, euros(line.premium.0), &styles.money)?;
    if let Some(reason) = line.reason {
        sheet.write_string(row, 10, reason.code())?;
    }
    Ok(())
}

fn write_sum(
    sheet: &mut Worksheet,
    row: u32,
    label: &str,
    cents: i64,
    styles: &Styles,
) -> Result<(), SheetError> {
    sheet.write_string_with_format(row, 4, label, &styles.sum_label)?;
    sheet.write_number_with_format(row, PREMIUM_COL, euros(cents), &styles.sum_money)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use ebdesk_domain::premium::{Cents, Fraction, ReasonCode, in_statement_order};

    use super::*;

    fn line(category: &str, name: &str, cents: i64, reason: Option<ReasonCode>) -> StatementLine {
        StatementLine {
            contract: "530/000101".to_owned(),
            category: category.to_owned(),
            employee_number: Some("=1+1".to_owned()),
            name: name.to_owned(),
            national_number: "85073003328".to_owned(),
            month: Month::new(2026, if reason.is_some() { 10 } else { 11 }).unwrap(),
            salary: Cents(4_800_000),
            fraction: Fraction::new(8_000).unwrap(),
            days: 30,
            premium: Cents(cents),
            reason,
        }
    }

    #[test]
    fn lines_subtotals_and_the_total_read_back_in_the_readers_language() {
        let mut lines = vec![
            line("Bedienden", "Peeters, Jan", 16_000, None),
            line("Arbeiders", "Maes, Eva", 12_345, None),
            line("Bedienden", "Peeters, Jan", -5_161, Some(ReasonCode::Exit)),
        ];
        in_statement_order(&mut lines);
        let month = Month::new(2026, 11).unwrap();
        let french = ebdesk_i18n::language("fr");
        let bytes = write_premium_statement(lines, month, &french).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        let text = |r: usize, c: usize| rows[r][c].to_string();
        assert_eq!(text(0, 4), "Nom");
        assert_eq!(text(0, 9), "Prime");
        // Arbeiders first, then its subtotal, a blank row, Bedienden's two lines.
        assert_eq!(text(1, 4), "Maes, Eva");
        assert_eq!(rows[1][9], Data::Float(123.45));
        assert_eq!(text(1, 3), "=1+1", "a value is never a formula");
        assert!(text(2, 4).contains("Arbeiders"), "{}", text(2, 4));
        assert_eq!(rows[2][9], Data::Float(123.45));
        assert_eq!(text(4, 10), "30");
        assert_eq!(text(4, 0), "10/2026");
        assert_eq!(text(5, 0), "11/2026");
        assert_eq!(rows[6][9], Data::Float(108.39));
        assert_eq!(text(8, 4), "Total");
        assert_eq!(rows[8][9], Data::Float(231.84));
        assert_eq!(rows[1][7], Data::Float(0.8));
        assert!(premium_statement_name(month, &french).contains("2026-11"));
    }
}
