//! The audit log as a workbook: one row per entry, newest first, in the words the log page
//! shows (the caller puts them in the reader's language; this module only lays them out).

use chrono::{NaiveDateTime, Timelike};
use ebdesk_i18n::{LanguageIdentifier, Message};
use rust_xlsxwriter::{Format, Workbook};

use crate::errors::SheetError;
use crate::normalize::serial_of;
use crate::write::Formats;

/// One entry of the log, in words.
#[derive(Debug, Clone)]
pub struct AuditLogRow {
    /// Local (Brussels) time.
    pub at: NaiveDateTime,
    /// The employer's number; shown only in a workbook `with_employer`.
    pub employer: Option<String>,
    pub who: String,
    pub event: String,
    /// One detail per line of the cell.
    pub details: Vec<String>,
    pub ip: String,
}

/// The workbook's file name in `lang`.
pub fn audit_log_workbook_name(lang: &LanguageIdentifier) -> String {
    Message::new("audit-book-file-name").render(lang)
}

/// Writes `rows` with headers in `lang`; the employer column only `with_employer` (the
/// operator's log of several employers).
pub fn write_audit_log(
    rows: &[AuditLogRow],
    with_employer: bool,
    lang: &LanguageIdentifier,
) -> Result<Vec<u8>, SheetError> {
    let formats = Formats::new();
    let time = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    let wrapped = Format::new().set_text_wrap();
    let mut columns: Vec<(&str, f64)> = vec![("audit-book-when", 20.0)];
    if with_employer {
        columns.push(("audit-book-employer", 14.0));
    }
    columns.extend([
        ("audit-book-who", 32.0),
        ("audit-book-event", 32.0),
        ("audit-book-details", 70.0),
        ("audit-book-ip", 16.0),
    ]);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(Message::new("audit-book-sheet").render(lang))?;
    for (col, (key, width)) in (0u16..).zip(&columns) {
        sheet.set_column_width(col, *width)?;
        let header = Message::new(key).render(lang);
        sheet.write_string_with_format(0, col, header, &formats.header)?;
    }
    for (row, entry) in (1u32..).zip(rows) {
        let mut cells: Vec<String> = Vec::with_capacity(columns.len());
        if with_employer {
            cells.push(entry.employer.clone().unwrap_or_default());
        }
        cells.extend([
            entry.who.clone(),
            entry.event.clone(),
            entry.details.join("\n"),
            entry.ip.clone(),
        ]);
        sheet.write_number_with_format(row, 0, serial_time(entry.at), &time)?;
        for (col, cell) in (1u16..).zip(cells) {
            // Text as text: a detail that starts with "=" is never a formula.
            sheet.write_string_with_format(row, col, cell, &wrapped)?;
        }
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(columns.len() - 1).unwrap_or_default();
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(workbook.save_to_buffer()?)
}

/// A moment as an Excel serial: days, and the time of day as a fraction.
fn serial_time(at: NaiveDateTime) -> f64 {
    serial_of(at.date()) + f64::from(at.num_seconds_from_midnight()) / 86_400.0
}
