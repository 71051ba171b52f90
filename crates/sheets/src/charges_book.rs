//! "Aangerekende premies" of a year as a workbook: per month and contract what was charged,
//! paid and outstanding, the due date, the status and the structured communication, with
//! the year's totals. Amounts are numbers (cents / 100) so the reader can add them up.

use chrono::NaiveDate;
use ebdesk_domain::premium::{Cents, Month};
use ebdesk_i18n::{LanguageIdentifier, Message};
use rust_xlsxwriter::{Format, Workbook};

use crate::errors::SheetError;
use crate::write::Formats;

/// One charge of the year, its status already a catalogue key.
#[derive(Debug, Clone)]
pub struct ChargeLine {
    pub month: Month,
    pub contract: String,
    pub amount: Cents,
    pub paid: Cents,
    pub due_date: NaiveDate,
    /// "charge-status-open", "-paid" or "-late".
    pub status_key: &'static str,
    pub communication: String,
}

const COLUMNS: [(&str, f64); 8] = [
    ("charges-book-col-month", 10.0),
    ("charges-book-col-contract", 14.0),
    ("charges-book-col-amount", 14.0),
    ("charges-book-col-paid", 14.0),
    ("charges-book-col-outstanding", 14.0),
    ("charges-book-col-due", 12.0),
    ("charges-book-col-status", 12.0),
    ("charges-book-col-communication", 24.0),
];

/// The file name of the year's workbook, in `lang`.
pub fn charges_book_name(year: i32, lang: &LanguageIdentifier) -> String {
    Message::new("charges-book-file-name")
        .with("year", year.to_string())
        .render(lang)
}

fn euros(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Writes the charges of `year` (in the order given) and the year's totals.
pub fn write_charges_book(
    lines: &[ChargeLine],
    year: i32,
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let header = Formats::new().header;
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bold_money = money.clone().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let title = Message::new("charges-book-sheet").with("year", year.to_string());
    sheet.set_name(title.render(lang))?;
    for (col, (key, width)) in (0u16..).zip(COLUMNS) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, Message::new(key).render(lang), &header)?;
    }
    let mut row = 0u32;
    let (mut charged, mut paid) = (0_i64, 0_i64);
    for line in lines {
        row += 1;
        let outstanding = (line.amount.0 - line.paid.0).max(0);
        sheet.write_string(row, 0, line.month.label())?;
        sheet.write_string(row, 1, &line.contract)?;
        sheet.write_number_with_format(row, 2, euros(line.amount.0), &money)?;
        sheet.write_number_with_format(row, 3, euros(line.paid.0), &money)?;
        sheet.write_number_with_format(row, 4, euros(outstanding), &money)?;
        let due = rust_xlsxwriter::ExcelDateTime::parse_from_str(&line.due_date.to_string())?;
        sheet.write_datetime_with_format(row, 5, &due, &date)?;
        sheet.write_string(row, 6, Message::new(line.status_key).render(lang))?;
        sheet.write_string(row, 7, &line.communication)?;
        charged += line.amount.0;
        paid += line.paid.0;
    }
    row += 2;
    let total = Message::new("charges-book-total").render(lang);
    sheet.write_string_with_format(row, 1, total, &Format::new().set_bold())?;
    sheet.write_number_with_format(row, 2, euros(charged), &bold_money)?;
    sheet.write_number_with_format(row, 3, euros(paid), &bold_money)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

    use super::*;

    #[test]
    fn charges_and_the_years_totals_read_back() {
        let line = |month: u32, amount: i64, paid: i64, status_key| ChargeLine {
            month: Month::new(2026, month).unwrap(),
            contract: "530/000101".to_owned(),
            amount: Cents(amount),
            paid: Cents(paid),
            due_date: Month::new(2026, month).unwrap().last_day(),
            status_key,
            communication: "+++000/0000/10101+++".to_owned(),
        };
        let lines = [
            line(11, 56_333, 0, "charge-status-late"),
            line(10, 56_333, 56_333, "charge-status-paid"),
        ];
        let english = ebdesk_i18n::language("en");
        let bytes = write_charges_book(&lines, 2026, &english).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(rows[0][4].to_string(), "Outstanding");
        assert_eq!(rows[1][0].to_string(), "11/2026");
        assert_eq!(rows[1][4], Data::Float(563.33));
        assert_eq!(rows[1][6].to_string(), "Late");
        assert_eq!(rows[2][4], Data::Float(0.0));
        assert_eq!(rows[4][2], Data::Float(1126.66));
        assert_eq!(rows[4][3], Data::Float(563.33));
        assert!(charges_book_name(2026, &english).contains("2026"));
    }
}
