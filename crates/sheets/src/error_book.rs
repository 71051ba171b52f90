//! The workbook of rows with errors: the faulty cells filled red with a comment that says
//! why, in the language of the user who uploaded the file. It keeps our headers, so the user
//! can correct it and upload it again.

use std::collections::BTreeMap;

use ebdesk_domain::insured_sheet::{ColumnKind, InsuredColumn};
use ebdesk_i18n::{LanguageIdentifier, Message};
use rust_xlsxwriter::{Color, Format, Note, Workbook, Worksheet};

use crate::errors::{RowError, SheetError};
use crate::normalize::{date_from_text, serial_of};
use crate::texts::{Texts, texts};
use crate::upload::{ParsedUpload, UploadRow};
use crate::write::{Formats, write_header, write_text};

/// Header of the column with the row number in the uploaded file.
pub(crate) const UPLOAD_ROW_HEADER: &str = "errors-book-upload-row";
/// Header of the column that lists the row's errors.
pub(crate) const ERRORS_HEADER: &str = "errors-book-errors";
/// The workbook's file name.
pub(crate) const FILE_NAME: &str = "errors-book-file-name";

/// The name of the workbook of errors, in `lang`.
pub fn error_workbook_name(lang: &LanguageIdentifier) -> String {
    Message::new(FILE_NAME).render(lang)
}

/// Light red, as spreadsheet tools mark bad values.
pub(crate) const ERROR_FILL: u32 = 0xFFC7CE;

/// The column with the row number in the uploaded file, after ours.
const ROW_COL: u16 = InsuredColumn::ALL.len() as u16;
/// The column that lists the row's errors.
const ERRORS_COL: u16 = ROW_COL + 1;

/// Writes every row of `upload` that has an error, its own or one of `extra` (errors the
/// caller found against the database, keyed by 1-based sheet row), in upload order, with
/// its texts in `lang`.
pub fn write_error_workbook(
    upload: &ParsedUpload,
    extra: &[(u32, RowError)],
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let mut extra_by_row: BTreeMap<u32, Vec<&RowError>> = BTreeMap::new();
    for (row, error) in extra {
        extra_by_row.entry(*row).or_default().push(error);
    }
    let writer = RowWriter::new(lang);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    writer.write_headers(sheet)?;
    let mut out_row = 0;
    for upload_row in &upload.rows {
        let extra = extra_by_row
            .get(&upload_row.row)
            .map_or(&[][..], Vec::as_slice);
        let errors: Vec<&RowError> = upload_row.errors().chain(extra.iter().copied()).collect();
        if errors.is_empty() {
            continue;
        }
        out_row += 1;
        writer.write_row(sheet, out_row, upload_row, &errors)?;
    }
    sheet.autofilter(0, 0, out_row, ERRORS_COL)?;
    Ok(workbook.save_to_buffer()?)
}

/// Writes the rows of the workbook: faulty cells in `bad`, the others in `formats`.
struct RowWriter<'a> {
    formats: Formats,
    bad: Formats,
    lang: &'a LanguageIdentifier,
    /// The sheet's name and headers in `lang`.
    texts: &'static Texts,
}

impl<'a> RowWriter<'a> {
    fn new(lang: &'a LanguageIdentifier) -> Self {
        let formats = Formats::new();
        let fill = |f: &Format| f.clone().set_background_color(Color::RGB(ERROR_FILL));
        let bad = Formats {
            header: formats.header.clone(),
            text: fill(&formats.text),
            quoted: fill(&formats.quoted),
            date: fill(&formats.date),
            editable: fill(&formats.text),
            editable_quoted: fill(&formats.quoted),
        };
        RowWriter {
            formats,
            bad,
            lang,
            texts: texts(lang),
        }
    }

    /// Names the sheet and writes our headers and those of the two added columns.
    fn write_headers(&self, sheet: &mut Worksheet) -> Result<(), SheetError> {
        sheet.set_name(&self.texts.insured_sheet)?;
        write_header(sheet, &self.formats, self.texts)?;
        sheet.set_column_width(ROW_COL, 14)?;
        sheet.set_column_width(ERRORS_COL, 80)?;
        let header = |key| Message::new(key).render(self.lang);
        let format = &self.formats.header;
        sheet.write_string_with_format(0, ROW_COL, header(UPLOAD_ROW_HEADER), format)?;
        sheet.write_string_with_format(0, ERRORS_COL, header(ERRORS_HEADER), format)?;
        Ok(())
    }

    /// One row with `errors`: its cells, its row number in the upload and the summary.
    fn write_row(
        &self,
        sheet: &mut Worksheet,
        out_row: u32,
        upload_row: &UploadRow,
        errors: &[&RowError],
    ) -> Result<(), SheetError> {
        for column in InsuredColumn::ALL {
            let mine: Vec<&&RowError> = errors.iter().filter(|e| e.column() == column).collect();
            self.write_cell(sheet, out_row, upload_row, column, &mine)?;
        }
        sheet.write_number(out_row, ROW_COL, upload_row.row)?;
        let summary: Vec<String> = errors
            .iter()
            .map(|e| {
                let column = self.texts.header(e.column());
                format!("{column}: {}", e.message().render(self.lang))
            })
            .collect();
        write_text(
            sheet,
            out_row,
            ERRORS_COL,
            &summary.join(" | "),
            &self.formats.text,
            &self.formats.quoted,
        )?;
        Ok(())
    }

    /// One cell as the user typed it; filled and with a note saying why when `mine` (its
    /// errors) is not empty.
    fn write_cell(
        &self,
        sheet: &mut Worksheet,
        out_row: u32,
        upload_row: &UploadRow,
        column: InsuredColumn,
        mine: &[&&RowError],
    ) -> Result<(), SheetError> {
        let f = if mine.is_empty() {
            &self.formats
        } else {
            &self.bad
        };
        let c = column.index() as u16;
        let value = shown_value(upload_row, column, mine);
        if column.kind() == ColumnKind::Date {
            if let Some(date) = date_from_text(&value) {
                sheet.write_number_with_format(out_row, c, serial_of(date), &f.date)?;
            } else if !value.is_empty() {
                write_text(sheet, out_row, c, &value, &f.text, &f.quoted)?;
            }
        } else if !value.is_empty() {
            write_text(sheet, out_row, c, &value, &f.text, &f.quoted)?;
        } else if !mine.is_empty() {
            sheet.write_blank(out_row, c, &f.text)?;
        }
        if !mine.is_empty() {
            let text: Vec<String> = mine.iter().map(|e| e.message().render(self.lang)).collect();
            let note = Note::new(text.join("\n")).add_author_prefix(false);
            sheet.insert_note(out_row, c, &note)?;
        }
        Ok(())
    }
}

/// The cell as the user typed it: for a faulty cell the value in the error, otherwise the
/// value read (the national number in its usual presentation).
fn shown_value(row: &UploadRow, column: InsuredColumn, errors: &[&&RowError]) -> String {
    if let Some(error) = errors.first() {
        if let RowError::Formula { formula, .. } = error {
            // calamine gives the formula without its `=`; show it as it was typed.
            return format!("={}", formula.trim_start_matches('='));
        }
        if !error.value().is_empty() {
            return error.value().to_owned();
        }
    }
    match column {
        InsuredColumn::NationalNumber => row
            .national_number
            .as_ref()
            .map(|n| n.formatted())
            .unwrap_or_default(),
        InsuredColumn::BusinessEmail => match &row.business_email {
            Ok(Some(email)) => email.as_str().to_owned(),
            _ => String::new(),
        },
        _ => row.read_only(column).unwrap_or_default().to_owned(),
    }
}
