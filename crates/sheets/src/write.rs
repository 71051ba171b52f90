//! The "Overzicht verzekerden" download, streamed row by row in constant-memory mode, with
//! every text (sheet names, headers, labels, the help sheet, the file name) from the
//! catalog in the requester's language.

use std::borrow::Cow;

use chrono::NaiveDate;
use ebdesk_domain::insured_sheet::{CellValue, InsuredColumn, InsuredRow};
use ebdesk_i18n::{LanguageIdentifier, Message, lookup};
use rust_xlsxwriter::{Color, Format, FormatBorder, ProtectionOptions, Workbook, Worksheet};

use crate::errors::SheetError;
use crate::limits::UploadLimits;
use crate::normalize::serial_of;
use crate::texts::{Texts, texts};

/// Key of the download's file name; arguments `employer` and `date`.
pub(crate) const FILE_NAME_KEY: &str = "sheet-file-name";
/// Key of the help sheet's title.
pub(crate) const HELP_TITLE_KEY: &str = "sheet-help-title";
/// Keys of the help sheet's numbered points, in order; `sheet-help-9` takes the upload
/// limits `rows` and `mb`.
pub(crate) const HELP_KEYS: [&str; 9] = [
    "sheet-help-1",
    "sheet-help-2",
    "sheet-help-3",
    "sheet-help-4",
    "sheet-help-5",
    "sheet-help-6",
    "sheet-help-7",
    "sheet-help-8",
    "sheet-help-9",
];

/// The download's file name in `lang`: the employer's number and the day it was made.
pub fn insured_overview_name(
    employer_number: &str,
    date: NaiveDate,
    lang: &LanguageIdentifier,
) -> String {
    lookup(
        lang,
        FILE_NAME_KEY,
        &[
            ("employer", employer_number.to_owned()),
            ("date", date.format("%Y-%m-%d").to_string()),
        ],
    )
}

/// Characters that make a spreadsheet treat typed text as a formula (or DDE) once a user
/// edits the cell; such values get the quote prefix, which keeps them text.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// The cell formats of a sheet; built once, registered on first use.
pub(crate) struct Formats {
    pub header: Format,
    pub text: Format,
    pub quoted: Format,
    pub date: Format,
    pub editable: Format,
    pub editable_quoted: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let editable = Format::new().set_unlocked();
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            text: Format::new(),
            quoted: Format::new().set_quote_prefix(),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            editable_quoted: editable.clone().set_quote_prefix(),
            editable,
        }
    }
}

/// Width of each column in characters, wide enough for its header and usual values.
fn width(column: InsuredColumn) -> f64 {
    match column {
        InsuredColumn::ContractNumber => 15.0,
        InsuredColumn::Category => 18.0,
        InsuredColumn::EmployeeNumber => 18.0,
        InsuredColumn::NationalNumber => 20.0,
        InsuredColumn::LastName => 24.0,
        InsuredColumn::FirstName => 18.0,
        InsuredColumn::Gender => 10.0,
        InsuredColumn::Language => 7.0,
        InsuredColumn::BirthDate => 14.0,
        InsuredColumn::EmploymentStart => 15.0,
        InsuredColumn::AffiliationStart => 17.0,
        InsuredColumn::Status => 11.0,
        InsuredColumn::EndDate => 16.0,
        InsuredColumn::BusinessEmail => 36.0,
        InsuredColumn::PrivateEmailKnown => 24.0,
    }
}

fn col(column: InsuredColumn) -> u16 {
    // 15 columns: the index always fits.
    column.index() as u16
}

/// Writes text as a string (never a formula), quote-prefixed when it starts like one.
pub(crate) fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    plain: &Format,
    quoted: &Format,
) -> Result<(), SheetError> {
    let format = if text.starts_with(FORMULA_STARTS) {
        quoted
    } else {
        plain
    };
    sheet.write_string_with_format(row, column, text, format)?;
    Ok(())
}

/// Writes the header row of the 15 columns, in the language of `texts`.
pub(crate) fn write_header(
    sheet: &mut Worksheet,
    formats: &Formats,
    texts: &Texts,
) -> Result<(), SheetError> {
    for column in InsuredColumn::ALL {
        sheet.set_column_width(col(column), width(column))?;
        sheet.write_string_with_format(0, col(column), texts.header(column), &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The workbook a consult user downloads, in `lang` (the requester's language): the data
/// sheet ("Verzekerden") with one row per affiliation, protected except the business e-mail
/// column, and the help sheet ("Uitleg").
///
/// National and employee numbers are text, dates real dates shown dd/mm/yyyy. Rows are
/// flushed to a temporary file as they come, so memory stays flat whatever the count.
pub fn write_insured_overview(
    rows: impl IntoIterator<Item = InsuredRow>,
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let mut out = std::io::Cursor::new(Vec::new());
    write_insured_overview_into(rows, lang, &mut out)?;
    Ok(out.into_inner())
}

/// [`write_insured_overview`] into `out` (a temporary file for a large download: the
/// finished workbook is not held in memory either).
pub fn write_insured_overview_into<W>(
    rows: impl IntoIterator<Item = InsuredRow>,
    lang: &LanguageIdentifier,
    out: W,
) -> Result<(), SheetError>
where
    W: std::io::Write + std::io::Seek + Send,
{
    let texts = texts(lang);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(&texts.insured_sheet)?;
    // A column format, not only cell formats: LibreOffice drops empty formatted cells on
    // save, and the empty e-mail cells are the ones to fill in.
    sheet.set_column_format(col(InsuredColumn::BusinessEmail), &formats.editable)?;
    write_header(sheet, &formats, texts)?;

    let mut last_row = 0;
    for (index, insured) in rows.into_iter().enumerate() {
        let row = u32::try_from(index + 1)
            .map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        for column in InsuredColumn::ALL {
            let (plain, quoted) = if column.is_editable() {
                (&formats.editable, &formats.editable_quoted)
            } else {
                (&formats.text, &formats.quoted)
            };
            let text = match insured.cell(column) {
                CellValue::Empty => continue,
                CellValue::Text(text) => text,
                CellValue::Label(key) => Cow::Borrowed(texts.label(key)),
                CellValue::Date(date) => {
                    sheet.write_number_with_format(
                        row,
                        col(column),
                        serial_of(date),
                        &formats.date,
                    )?;
                    continue;
                }
            };
            if !column.is_editable() && !text.starts_with(FORMULA_STARTS) {
                // Plain read-only text keeps the default format: rust_xlsxwriter hashes the
                // whole format for every cell written with one (a fifth of the export's CPU
                // in perf for 100 000 rows).
                sheet.write_string(row, col(column), text.as_ref())?;
            } else {
                write_text(sheet, row, col(column), &text, plain, quoted)?;
            }
        }
        last_row = row;
    }
    let last_col = col(InsuredColumn::PrivateEmailKnown);
    sheet.autofilter(0, 0, last_row, last_col)?;
    // No password: the protection prevents slips, it is not a security boundary.
    sheet.protect_with_options(&ProtectionOptions {
        use_autofilter: true,
        format_columns: true,
        ..ProtectionOptions::default()
    });

    // Deflating ~700 bytes of XML per row is most of the work: level 3 takes a fifth less
    // CPU than the default 6 for a file 13 % larger (measured on 100 000 rows).
    workbook.set_zip_compression_level(3);
    let help = workbook.add_worksheet();
    help.set_name(&texts.help_sheet)?;
    write_help(help, texts.lang())?;
    workbook.save_to_writer(out)?;
    Ok(())
}

/// The help sheet: a title and the numbered points, in `lang`.
fn write_help(sheet: &mut Worksheet, lang: &LanguageIdentifier) -> Result<(), SheetError> {
    let limits = UploadLimits::default();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    sheet.set_column_width(0, 4)?;
    sheet.set_column_width(1, 110)?;
    sheet.write_string_with_format(0, 0, lookup(lang, HELP_TITLE_KEY, &[]), &title)?;
    for (i, key) in HELP_KEYS.into_iter().enumerate() {
        let line = Message::new(key)
            .with("rows", limits.max_rows)
            .with("mb", limits.max_file_bytes / (1024 * 1024))
            .render(lang);
        let row = i as u32 + 2;
        sheet.write_string_with_format(row, 0, format!("{}.", i + 1), &wrap)?;
        sheet.write_string_with_format(row, 1, line, &wrap)?;
    }
    Ok(())
}
