//! The "Invullijst salarissen" download: one row per affiliation active on 1 January of the
//! year, streamed in constant-memory mode, protected except the salary and fraction columns
//! (unlocked by column format, as the overview's e-mail column: LibreOffice drops empty
//! formatted cells). Texts from the catalog in the requester's language.

use ebdesk_domain::salary_list::{SalaryColumn, SalaryListRow};
use ebdesk_i18n::{LanguageIdentifier, Message};
use rust_xlsxwriter::{Color, Format, Note, ProtectionOptions, Workbook, Worksheet};

use crate::error_book::{ERROR_FILL, ERRORS_HEADER, UPLOAD_ROW_HEADER};
use crate::errors::SheetError;
use crate::salary_preview::SalaryErrorRow;
use crate::salary_read::{Cell, SalaryCellError, SalaryUploadRow};
use crate::write::{Formats, write_text};

/// The download's file name in `lang`: the employer's number and the list's year.
pub fn salary_list_name(employer_number: &str, year: i32, lang: &LanguageIdentifier) -> String {
    Message::new("salary-file-name")
        .with("employer", employer_number)
        .with("year", year.to_string())
        .render(lang)
}

/// The data sheet's name in `lang`.
pub(crate) fn salary_sheet_name(year: i32, lang: &LanguageIdentifier) -> String {
    Message::new("salary-sheet-name")
        .with("year", year.to_string())
        .render(lang)
}

fn width(column: SalaryColumn) -> f64 {
    match column {
        SalaryColumn::Contract => 15.0,
        SalaryColumn::Category => 18.0,
        SalaryColumn::EmployeeNumber => 18.0,
        SalaryColumn::Name => 30.0,
        SalaryColumn::NationalNumber => 20.0,
        SalaryColumn::Affiliation => 14.0,
        SalaryColumn::AnnualSalary => 24.0,
        SalaryColumn::Fraction => 16.0,
    }
}

fn col(column: SalaryColumn) -> u16 {
    // 8 columns: the index always fits.
    column.index() as u16
}

struct Styles {
    formats: Formats,
    salary: Format,
    fraction: Format,
}

/// The salary list of `year` for the rows given (in the order to show), in `lang`.
pub fn write_salary_list(
    rows: impl IntoIterator<Item = SalaryListRow>,
    year: i32,
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let formats = Formats::new();
    let styles = Styles {
        salary: formats.editable.clone().set_num_format("#,##0.00"),
        fraction: formats.editable.clone().set_num_format("0.0###"),
        formats,
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(salary_sheet_name(year, lang))?;
    sheet.set_column_format(col(SalaryColumn::AnnualSalary), &styles.salary)?;
    sheet.set_column_format(col(SalaryColumn::Fraction), &styles.fraction)?;
    for column in SalaryColumn::ALL {
        sheet.set_column_width(col(column), width(column))?;
        let header = Message::new(column.key()).render(lang);
        sheet.write_string_with_format(0, col(column), header, &styles.formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut last_row = 0;
    for (index, entry) in rows.into_iter().enumerate() {
        let row = u32::try_from(index + 1)
            .map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        write_row(sheet, row, &entry, &styles)?;
        last_row = row;
    }
    sheet.autofilter(0, 0, last_row, col(SalaryColumn::Fraction))?;
    // No password: the protection prevents slips, it is not a security boundary.
    sheet.protect_with_options(&ProtectionOptions {
        use_autofilter: true,
        format_columns: true,
        ..ProtectionOptions::default()
    });
    workbook.set_zip_compression_level(3);
    Ok(workbook.save_to_buffer()?)
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    entry: &SalaryListRow,
    styles: &Styles,
) -> Result<(), SheetError> {
    let (plain, quoted) = (&styles.formats.text, &styles.formats.quoted);
    let name = format!("{}, {}", entry.last_name, entry.first_name);
    let texts = [
        (SalaryColumn::Contract, entry.contract_number.as_str()),
        (SalaryColumn::Category, entry.category.as_str()),
        (
            SalaryColumn::EmployeeNumber,
            entry.employee_number.as_deref().unwrap_or_default(),
        ),
        (SalaryColumn::Name, name.as_str()),
    ];
    for (column, text) in texts {
        if !text.is_empty() {
            write_text(sheet, row, col(column), text, plain, quoted)?;
        }
    }
    let national = entry.national_number.formatted();
    sheet.write_string(row, col(SalaryColumn::NationalNumber), national)?;
    // A number, so that it comes back as one whatever the editor does with text.
    sheet.write_number(
        row,
        col(SalaryColumn::Affiliation),
        entry.affiliation_id as f64,
    )?;
    if let Some(current) = entry.current {
        let euros = current.annual.0 as f64 / 100.0;
        sheet.write_number_with_format(
            row,
            col(SalaryColumn::AnnualSalary),
            euros,
            &styles.salary,
        )?;
        let fraction = f64::from(current.fraction.ten_thousandths()) / 10_000.0;
        sheet.write_number_with_format(
            row,
            col(SalaryColumn::Fraction),
            fraction,
            &styles.fraction,
        )?;
    }
    Ok(())
}

/// The columns of the workbook of errors: the three that were read, then the row number
/// in the upload and the errors.
const ERROR_COLUMNS: [SalaryColumn; 3] = [
    SalaryColumn::Affiliation,
    SalaryColumn::AnnualSalary,
    SalaryColumn::Fraction,
];

/// The rows of a salary list upload that have errors, the faulty cells filled and noted
/// with why, in `lang`; it keeps our headers, so it can be corrected and uploaded again.
pub fn write_salary_error_workbook(
    rows: &[SalaryErrorRow],
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let formats = Formats::new();
    let bad = Format::new().set_background_color(Color::RGB(ERROR_FILL));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    let (row_col, errors_col) = (ERROR_COLUMNS.len() as u16, ERROR_COLUMNS.len() as u16 + 1);
    for (c, column) in (0u16..).zip(ERROR_COLUMNS) {
        sheet.set_column_width(c, width(column))?;
        let header = Message::new(column.key()).render(lang);
        sheet.write_string_with_format(0, c, header, &formats.header)?;
    }
    let header = |key| Message::new(key).render(lang);
    sheet.set_column_width(errors_col, 80)?;
    sheet.write_string_with_format(0, row_col, header(UPLOAD_ROW_HEADER), &formats.header)?;
    sheet.write_string_with_format(0, errors_col, header(ERRORS_HEADER), &formats.header)?;
    for (out_row, error_row) in (1u32..).zip(rows) {
        for (c, column) in (0u16..).zip(ERROR_COLUMNS) {
            let mine: Vec<String> = error_row
                .errors
                .iter()
                .filter(|(col, _)| *col == column)
                .map(|(_, m)| m.render(lang))
                .collect();
            let value = cell_text(&error_row.row, column);
            let format = if mine.is_empty() { &formats.text } else { &bad };
            write_text(sheet, out_row, c, &value, format, &formats.quoted)?;
            if !mine.is_empty() {
                let note = Note::new(mine.join("\n")).add_author_prefix(false);
                sheet.insert_note(out_row, c, &note)?;
            }
        }
        sheet.write_number(out_row, row_col, error_row.row.row)?;
        let summary: Vec<String> = error_row
            .errors
            .iter()
            .map(|(column, m)| {
                let name = Message::new(column.key()).render(lang);
                format!("{name}: {}", m.render(lang))
            })
            .collect();
        let summary = summary.join(" | ");
        write_text(
            sheet,
            out_row,
            errors_col,
            &summary,
            &formats.text,
            &formats.quoted,
        )?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// A cell of a row with errors as it was read: the value in the error, else the value.
fn cell_text(row: &SalaryUploadRow, column: SalaryColumn) -> String {
    fn shown<T>(cell: &Cell<T>, show: impl Fn(&T) -> String) -> String {
        match cell {
            Ok(Some(value)) => show(value),
            Ok(None) => String::new(),
            Err(SalaryCellError::Formula(f)) => format!("={}", f.trim_start_matches('=')),
            Err(e) => e.value().to_owned(),
        }
    }
    match column {
        SalaryColumn::Affiliation => shown(&row.affiliation, i64::to_string),
        SalaryColumn::AnnualSalary => shown(&row.annual, |c| format!("{:.2}", c.0 as f64 / 100.0)),
        SalaryColumn::Fraction => shown(&row.fraction, |f| {
            format!("{}", f64::from(f.ten_thousandths()) / 10_000.0)
        }),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use ebdesk_domain::NationalNumber;
    use ebdesk_domain::premium::{Cents, Fraction};
    use ebdesk_domain::salary_list::SalaryValues;

    use super::*;

    fn row(id: i64, current: Option<SalaryValues>) -> SalaryListRow {
        SalaryListRow {
            affiliation_id: id,
            contract_number: "530/000101".to_owned(),
            category: "Bedienden".to_owned(),
            employee_number: Some("=1+1".to_owned()),
            last_name: "Peeters".to_owned(),
            first_name: "Jan".to_owned(),
            national_number: NationalNumber::parse("85073003328").unwrap(),
            current,
        }
    }

    #[test]
    fn rows_read_back_with_the_key_and_the_current_salary() {
        let current = SalaryValues {
            annual: Cents(4_800_050),
            fraction: Fraction::new(8_000).unwrap(),
        };
        let rows = vec![row(41, Some(current)), row(42, None)];
        let nl = ebdesk_i18n::default_language();
        let bytes = write_salary_list(rows, 2027, &nl).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Salarissen 2027"]);
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(rows[0][5].to_string(), "Aansluiting (niet wijzigen)");
        assert_eq!(rows[1][5], Data::Float(41.0));
        assert_eq!(rows[1][6], Data::Float(48_000.5));
        assert_eq!(rows[1][7], Data::Float(0.8));
        assert_eq!(rows[1][2].to_string(), "=1+1", "a value is never a formula");
        assert_eq!(rows[1][3].to_string(), "Peeters, Jan");
        assert_eq!(rows[1][4].to_string(), "85.07.30-033.28");
        assert_eq!(rows[2][5], Data::Float(42.0));
        assert!(matches!(rows[2].get(6), None | Some(Data::Empty)));
        assert!(salary_list_name("530-1", 2027, &nl).contains("2027"));
    }
}
