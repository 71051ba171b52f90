//! The download as a user gets it, and read back as an upload.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use ebdesk_domain::insured_sheet::{CellValue, InsuredColumn, InsuredRow};
use ebdesk_i18n::{LanguageIdentifier, Message, default_language, lookup};
use ebdesk_sheets::{SheetError, UploadLimits, read_insured_upload};
use support::{FORMULA_LIKE_NAMES, sample_rows};

/// The data sheet's name in Dutch.
const SHEET_NAME: &str = "Verzekerden";

fn nl() -> LanguageIdentifier {
    default_language()
}

/// The download in Dutch.
fn write_insured_overview(rows: Vec<InsuredRow>) -> Result<Vec<u8>, SheetError> {
    ebdesk_sheets::write_insured_overview(rows, &nl())
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[test]
fn every_cell_of_the_download_reads_back_as_written() {
    let rows = sample_rows(300);
    let bytes = write_insured_overview(rows.clone()).unwrap();
    // Our own file, so the dense range is safe here; uploads never get this treatment.
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(&bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), [SHEET_NAME, "Uitleg"]);
    let range = workbook.worksheet_range(SHEET_NAME).unwrap();
    assert_eq!(range.height(), rows.len() + 1);
    // Every header is the catalog's text.
    for column in InsuredColumn::ALL {
        assert_eq!(
            range.get((0, column.index())),
            Some(&Data::String(lookup(&nl(), column.key(), &[])))
        );
    }
    for (i, insured) in rows.iter().enumerate() {
        for column in InsuredColumn::ALL {
            let cell = range.get((i + 1, column.index())).unwrap_or(&Data::Empty);
            match insured.cell(column) {
                CellValue::Empty => assert_eq!(cell, &Data::Empty, "row {i} {column:?}"),
                CellValue::Text(text) => {
                    assert_eq!(cell, &Data::String(text.into_owned()), "row {i} {column:?}")
                }
                CellValue::Label(key) => {
                    let label = lookup(&nl(), key, &[]);
                    assert_eq!(cell, &Data::String(label), "row {i} {column:?}")
                }
                CellValue::Date(date) => {
                    let Data::DateTime(dt) = cell else {
                        panic!("row {i} {column:?}: {cell:?} is not a date");
                    };
                    assert_eq!(dt.as_datetime().unwrap().date(), date, "row {i} {column:?}");
                }
            }
        }
    }
    let formulas = workbook.worksheet_formula(SHEET_NAME).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell may be a formula"
    );
    let help = workbook.worksheet_range("Uitleg").unwrap();
    let text: String = help.used_cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(text.contains("Zakelijk e-mailadres"), "{text}");
    // The help sheet is the catalog's title and numbered points.
    assert_eq!(
        help.get((0, 0)),
        Some(&Data::String(lookup(&nl(), "sheet-help-title", &[])))
    );
    let limits = UploadLimits::default();
    let points = [
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
    for (i, key) in points.into_iter().enumerate() {
        let expected = Message::new(key)
            .with("rows", limits.max_rows)
            .with("mb", limits.max_file_bytes / (1024 * 1024))
            .render(&nl());
        assert_eq!(
            help.get((i + 2, 0)),
            Some(&Data::String(format!("{}.", i + 1)))
        );
        assert_eq!(help.get((i + 2, 1)), Some(&Data::String(expected)));
    }
    assert_eq!(help.height(), points.len() + 2);
}

#[test]
fn formula_looking_names_stay_text_and_get_the_quote_prefix() {
    let rows = sample_rows(10);
    let bytes = write_insured_overview(rows).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let styles = part(&bytes, "xl/styles.xml");
    assert!(!sheet.contains("<f>"), "no formula element");
    let xfs: Vec<&str> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap()
        .split("<xf ")
        .skip(1)
        .collect();
    for name in FORMULA_LIKE_NAMES {
        let at = sheet
            .find(&format!("<t>{name}</t>"))
            .unwrap_or_else(|| panic!("{name}"));
        let cell_start = sheet[..at].rfind("<c ").unwrap();
        let cell = &sheet[cell_start..at];
        assert!(cell.contains(r#"t="inlineStr""#), "{cell}");
        let style: usize = cell
            .split(r#"s=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            xfs[style].contains(r#"quotePrefix="1""#),
            "{name}: {}",
            xfs[style]
        );
    }
}

#[test]
fn the_sheet_is_protected_except_the_email_column_with_filters_and_frozen_header() {
    let rows = sample_rows(20);
    let bytes = write_insured_overview(rows).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let styles = part(&bytes, "xl/styles.xml");
    let protection = sheet
        .split("<sheetProtection")
        .nth(1)
        .unwrap()
        .split("/>")
        .next()
        .unwrap();
    assert!(protection.contains(r#"sheet="1""#), "{protection}");
    assert!(
        protection.contains(r#"autoFilter="0""#),
        "filters must stay usable: {protection}"
    );
    assert!(
        !protection.contains("password"),
        "no password: {protection}"
    );
    assert!(sheet.contains(r#"<autoFilter ref="A1:O21"/>"#), "{sheet}");
    assert!(sheet.contains(r#"state="frozen""#) && sheet.contains(r#"ySplit="1""#));
    // Column N (14) carries an unlocked style, so empty cells can be filled in.
    let col = sheet
        .split(r#"<col min="14" max="14""#)
        .nth(1)
        .unwrap()
        .split("/>")
        .next()
        .unwrap();
    let style: usize = col
        .split(r#"style=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let xf = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("<xf ")
        .nth(style + 1)
        .unwrap();
    let xf = xf.split("</xf>").next().unwrap();
    assert!(xf.contains(r#"locked="0""#), "{xf}");
    // National and employee numbers are text, never numbers.
    for reference in ["C2", "D2"] {
        let cell = sheet
            .split(&format!(r#"<c r="{reference}""#))
            .nth(1)
            .unwrap();
        let cell = cell.split("</c>").next().unwrap();
        assert!(cell.contains(r#"t="inlineStr""#), "{reference}: {cell}");
    }
}

#[test]
fn the_download_reads_back_as_an_upload_without_errors_or_edits() {
    let rows = sample_rows(500);
    let bytes = write_insured_overview(rows.clone()).unwrap();
    let upload = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    assert_eq!(upload.sheet_name, SHEET_NAME);
    assert_eq!(upload.header_row, 1);
    assert_eq!(upload.columns, InsuredColumn::ALL);
    assert!(upload.ignored_headers.is_empty());
    assert_eq!(upload.rows.len(), rows.len());
    for (read, original) in upload.rows.iter().zip(&rows) {
        assert!(read.is_valid(), "{read:?}");
        assert_eq!(
            read.national_number.as_ref().unwrap(),
            &original.national_number
        );
        assert_eq!(
            read.business_email.as_ref().unwrap(),
            &original.business_email
        );
        assert_eq!(
            upload.read_only_edits(read, original),
            [],
            "row {}",
            read.row
        );
        assert_eq!(
            read.read_only(InsuredColumn::LastName),
            Some(original.last_name.as_str())
        );
    }
    assert_eq!(upload.rows[0].row, 2);
    assert_eq!(upload.rows.last().unwrap().row, rows.len() as u32 + 1);
}

#[test]
fn an_empty_download_is_a_valid_workbook_with_only_the_header() {
    let bytes = write_insured_overview(Vec::new()).unwrap();
    assert_eq!(
        read_insured_upload(&bytes, &UploadLimits::default()),
        Err(ebdesk_sheets::FileRejection::NoRows)
    );
}
