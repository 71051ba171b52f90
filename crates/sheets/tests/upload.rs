//! Uploads as people really return them: edited in another tool, rearranged, with a title
//! above the header, numbers that lost their zeros, dates typed as text; and the workbook of
//! errors that goes back to them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use ebdesk_domain::insured_sheet::{InsuredColumn, format_date};
use ebdesk_domain::national_number::NationalNumberError;
use ebdesk_sheets::{
    FileRejection, RowError, UploadLimits, read_insured_upload, write_error_workbook,
};
use rust_xlsxwriter::{Format, Workbook};
use support::sample_rows;

/// A workbook as a user rebuilt it by hand in Excel (shared strings, not inline ones).
fn rearranged_workbook() -> (Vec<u8>, Vec<ebdesk_domain::insured_sheet::InsuredRow>) {
    let rows = sample_rows(40);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Blad1").unwrap();
    sheet
        .write_string(0, 0, "Overzicht verzekerden werkgever 530-1")
        .unwrap();
    let headers = [
        "Zakelijk e-mailadres",
        "Opmerking",
        "naam",
        " Rijksregisternummer ",
        "Geboortedatum",
        "Status",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, insured) in rows.iter().enumerate() {
        let r = i as u32 + 3;
        match i % 4 {
            0 => sheet.write_string(r, 0, format!("  {}  ", "Jan.Peeters@Voorbeeld.BE")),
            1 => sheet.write_string(r, 0, "niet-geldig"),
            _ => sheet.write_string(r, 0, ""),
        }
        .unwrap();
        sheet.write_string(r, 1, "nagekeken").unwrap();
        sheet.write_string(r, 2, &insured.last_name).unwrap();
        let digits = insured.national_number.as_str();
        if i % 2 == 0 {
            // Re-typed by hand: Excel made a number of it and dropped any leading zero.
            sheet
                .write_number(r, 3, digits.parse::<f64>().unwrap())
                .unwrap();
        } else {
            sheet.write_string(r, 3, digits).unwrap();
        }
        if i % 3 == 0 {
            sheet
                .write_string(r, 4, format_date(insured.birth_date))
                .unwrap();
        } else {
            let dt =
                rust_xlsxwriter::ExcelDateTime::parse_from_str(&insured.birth_date.to_string())
                    .unwrap();
            sheet.write_datetime_with_format(r, 4, &dt, &date).unwrap();
        }
        let status = if i == 5 {
            "Actief (gewijzigd)".to_owned()
        } else {
            ebdesk_i18n::lookup(
                &dutch(),
                ebdesk_domain::insured_sheet::status_key(insured.status),
                &[],
            )
        };
        sheet.write_string(r, 5, status).unwrap();
    }
    // Trailing blank rows with only formatting, as spreadsheet tools leave them.
    sheet.write_blank(60, 0, &date).unwrap();
    (workbook.save_to_buffer().unwrap(), rows)
}

#[test]
fn a_rearranged_workbook_with_a_title_is_read_by_header_name() {
    let (bytes, rows) = rearranged_workbook();
    let upload = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    assert_eq!(upload.sheet_name, "Blad1");
    assert_eq!(upload.header_row, 3);
    assert_eq!(
        upload.columns,
        [
            InsuredColumn::BusinessEmail,
            InsuredColumn::LastName,
            InsuredColumn::NationalNumber,
            InsuredColumn::BirthDate,
            InsuredColumn::Status
        ]
    );
    assert_eq!(upload.ignored_headers, ["Opmerking"]);
    assert_eq!(upload.rows.len(), rows.len());
    for (i, (read, original)) in upload.rows.iter().zip(&rows).enumerate() {
        assert_eq!(read.row, i as u32 + 4);
        assert_eq!(
            read.national_number.as_ref().unwrap(),
            &original.national_number,
            "row {}",
            read.row
        );
        match i % 4 {
            0 => assert_eq!(
                read.business_email
                    .as_ref()
                    .unwrap()
                    .as_ref()
                    .unwrap()
                    .as_str(),
                "jan.peeters@voorbeeld.be"
            ),
            1 => assert_eq!(
                read.business_email.as_ref().unwrap_err().code(),
                "email-missing-at"
            ),
            _ => assert_eq!(read.business_email, Ok(None)),
        }
        assert_eq!(
            read.read_only(InsuredColumn::BirthDate),
            Some(format_date(original.birth_date).as_str())
        );
        let edits = upload.read_only_edits(read, original);
        if i == 5 {
            assert_eq!(edits, [InsuredColumn::Status]);
        } else {
            assert_eq!(edits, [], "row {}", read.row);
        }
    }
}

#[test]
fn the_headers_of_every_language_of_the_catalog_are_recognised() {
    for lang in ebdesk_i18n::languages() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Blad1").unwrap();
        // Reversed, in capitals, with a trailing `*`, and an extra column.
        for (c, column) in InsuredColumn::ALL.iter().rev().enumerate() {
            let header = ebdesk_i18n::lookup(&lang, column.key(), &[]);
            sheet
                .write_string(0, c as u16, format!("{} *", header.to_uppercase()))
                .unwrap();
        }
        sheet.write_string(0, 15, "Opmerking").unwrap();
        let email = (14 - InsuredColumn::BusinessEmail.index()) as u16;
        let nn = (14 - InsuredColumn::NationalNumber.index()) as u16;
        sheet.write_string(1, nn, "85.07.30-033.28").unwrap();
        sheet.write_string(1, email, "jan@voorbeeld.be").unwrap();
        let upload = read_insured_upload(
            &workbook.save_to_buffer().unwrap(),
            &UploadLimits::default(),
        )
        .unwrap();
        let mut expected = InsuredColumn::ALL.to_vec();
        expected.reverse();
        assert_eq!(upload.columns, expected, "{lang}");
        assert_eq!(upload.ignored_headers, ["Opmerking"], "{lang}");
        assert!(upload.rows[0].is_valid(), "{lang}");
    }
}

#[test]
fn numeric_national_numbers_are_padded_back_to_eleven_digits() {
    let (bytes, rows) = rearranged_workbook();
    let upload = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    let with_leading_zero: Vec<_> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| i % 2 == 0 && r.national_number.as_str().starts_with('0'))
        .collect();
    assert!(
        !with_leading_zero.is_empty(),
        "the sample needs people born in 200x"
    );
    for (i, original) in with_leading_zero {
        assert_eq!(
            upload.rows[i].national_number.as_ref().unwrap(),
            &original.national_number
        );
    }
}

#[test]
fn the_same_employee_with_two_addresses_is_a_conflict() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .write_row(
            0,
            0,
            [
                "Rijksregisternummer",
                "Zakelijk e-mailadres",
                "Contractnummer",
            ],
        )
        .unwrap();
    sheet
        .write_row(1, 0, ["85.07.30-033.28", "jan@voorbeeld.be", "530/000101"])
        .unwrap();
    sheet
        .write_row(2, 0, ["85073003328", "JAN@voorbeeld.be", "530/000202"])
        .unwrap();
    sheet
        .write_row(
            3,
            0,
            ["85073003328", "jan.peeters@voorbeeld.be", "530/000303"],
        )
        .unwrap();
    sheet
        .write_row(4, 0, ["85073003328", "", "530/000404"])
        .unwrap();
    let upload = read_insured_upload(
        &workbook.save_to_buffer().unwrap(),
        &UploadLimits::default(),
    )
    .unwrap();
    let conflicts = upload.conflicting_emails();
    assert_eq!(
        conflicts,
        [
            (
                4,
                RowError::ConflictingEmail {
                    value: "jan.peeters@voorbeeld.be".into(),
                    other_row: 2
                }
            ),
            (
                5,
                RowError::ConflictingEmail {
                    value: String::new(),
                    other_row: 2
                }
            ),
        ]
    );
    assert!(conflicts[0].1.message().render(&dutch()).contains("rij 2"));
}

/// A file with one error of every kind the reader finds, plus those the caller adds.
fn upload_with_errors() -> (ebdesk_sheets::ParsedUpload, Vec<(u32, RowError)>) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Verzekerden").unwrap();
    for (c, column) in InsuredColumn::ALL.iter().enumerate() {
        sheet
            .write_string(0, c as u16, support::dutch_header(*column))
            .unwrap();
    }
    let nn = InsuredColumn::NationalNumber.index() as u16;
    let email = InsuredColumn::BusinessEmail.index() as u16;
    let name = InsuredColumn::LastName.index() as u16;
    let birth = InsuredColumn::BirthDate.index() as u16;
    // 2: fine; 3: no number; 4: bad check digits; 5: bad e-mail; 6: formula; 7: unknown.
    sheet
        .write_row(1, 0, ["530/000101", "Bedienden", "", "85.07.30-033.28"])
        .unwrap();
    sheet.write_string(1, email, "jan@voorbeeld.be").unwrap();
    sheet.write_string(2, name, "Zonder Nummer").unwrap();
    sheet.write_string(2, email, "x@voorbeeld.be").unwrap();
    sheet.write_string(3, nn, "85.07.30-033.29").unwrap();
    sheet.write_string(3, birth, "30/07/1985").unwrap();
    sheet.write_string(4, nn, "90.02.01-002.29").unwrap();
    sheet.write_string(4, email, "=geen-adres").unwrap();
    sheet.write_string(5, nn, "85.07.30-033.28").unwrap();
    sheet
        .write_formula(5, email, "=LOWER(\"JAN@VOORBEELD.BE\")")
        .unwrap();
    sheet.write_string(6, nn, "01.02.03-002.69").unwrap();
    let upload = read_insured_upload(
        &workbook.save_to_buffer().unwrap(),
        &UploadLimits::default(),
    )
    .unwrap();
    let extra = vec![(
        7,
        RowError::UnknownEmployee {
            value: "01.02.03-002.69".into(),
        },
    )];
    (upload, extra)
}

#[test]
fn every_row_error_kind_is_reported_with_its_column_and_value() {
    let (upload, extra) = upload_with_errors();
    let mut errors: Vec<(u32, &RowError)> = upload.row_errors().collect();
    errors.extend(extra.iter().map(|(r, e)| (*r, e)));
    let summary: Vec<(u32, InsuredColumn, &str, &str)> = errors
        .iter()
        .map(|(r, e)| (*r, e.column(), e.code(), e.value()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                3,
                InsuredColumn::NationalNumber,
                "row-missing-national-number",
                ""
            ),
            (
                4,
                InsuredColumn::NationalNumber,
                "national-number-check-digits",
                "85.07.30-033.29"
            ),
            (
                5,
                InsuredColumn::BusinessEmail,
                "email-missing-at",
                "=geen-adres"
            ),
            (
                6,
                InsuredColumn::BusinessEmail,
                "row-formula",
                "LOWER(\"JAN@VOORBEELD.BE\")"
            ),
            (
                7,
                InsuredColumn::NationalNumber,
                "row-unknown-employee",
                "01.02.03-002.69"
            ),
        ]
    );
    assert!(upload.rows[0].is_valid());
    for (_, error) in errors {
        assert!(error.message().render(&dutch()).len() > 20, "{error:?}");
    }
    assert_eq!(
        RowError::InvalidNationalNumber {
            value: "1".into(),
            reason: NationalNumberError::WrongLength
        }
        .message()
        .render(&dutch()),
        "Een rijksregisternummer telt 11 cijfers. Controleer het nummer."
    );
}

fn zip_part(bytes: &[u8], suffix: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let name = archive
        .file_names()
        .flatten()
        .find(|n| n.ends_with(suffix))
        .unwrap()
        .to_string();
    let mut out = String::new();
    archive
        .by_name(&name)
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[test]
fn the_error_workbook_marks_each_faulty_cell_and_can_be_uploaded_again() {
    let (upload, extra) = upload_with_errors();
    let bytes = write_error_workbook(&upload, &extra, &dutch()).unwrap();

    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(&bytes)).unwrap();
    let range = workbook.worksheet_range("Verzekerden").unwrap();
    let header: Vec<String> = (0..17)
        .map(|c| range.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(header[15], "Rij in upload");
    assert_eq!(header[16], "Fouten");
    // The valid row 2 is left out; rows 3 to 7 remain, in order.
    let upload_rows: Vec<String> = (1..range.height())
        .map(|r| range.get((r, 15)).unwrap().to_string())
        .collect();
    assert_eq!(upload_rows, ["3", "4", "5", "6", "7"]);
    let nn = InsuredColumn::NationalNumber.index();
    let email = InsuredColumn::BusinessEmail.index();
    assert_eq!(
        range.get((2, nn)),
        Some(&Data::String("85.07.30-033.29".into()))
    );
    assert_eq!(
        range.get((3, email)),
        Some(&Data::String("=geen-adres".into()))
    );
    assert_eq!(
        range.get((4, email)),
        Some(&Data::String("=LOWER(\"JAN@VOORBEELD.BE\")".into()))
    );
    assert!(matches!(
        range.get((2, InsuredColumn::BirthDate.index())),
        Some(Data::DateTime(_))
    ));
    assert!(
        range
            .get((1, 16))
            .unwrap()
            .to_string()
            .contains("Rijksregisternummer: Het rijksregisternummer ontbreekt")
    );

    // One comment per faulty cell, on the right cell, with the Dutch reason.
    let comments = zip_part(&bytes, "comments1.xml");
    // Upload rows 3 to 7 became rows 2 to 6.
    for (cell, reason) in [
        ("D2", "ontbreekt"),
        ("D3", "controlecijfers"),
        ("N4", "bevat een @"),
        ("N5", "formule"),
        ("D6", "geen verzekerde"),
    ] {
        let at = comments
            .find(&format!("ref=\"{cell}\""))
            .unwrap_or_else(|| panic!("{cell}"));
        let text = &comments[at..];
        let text = &text[..text.find("</comment>").unwrap()];
        assert!(text.contains(reason), "{cell}: {text}");
    }
    assert_eq!(comments.matches("<comment ").count(), 5);
    // Faulty cells carry the red fill, the others none.
    let styles = zip_part(&bytes, "styles.xml");
    assert!(styles.contains("FFFFC7CE"), "{styles}");
    let sheet = zip_part(&bytes, "sheet1.xml");
    let style_of = |cell: &str| -> String {
        let c = sheet.split(&format!("<c r=\"{cell}\"")).nth(1).unwrap();
        c.split('>')
            .next()
            .unwrap()
            .split("s=\"")
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_ne!(style_of("D3"), style_of("D4"), "faulty D3, valid D4");

    // Corrected by the user, the same file goes back in: our headers are all there.
    let again = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    assert_eq!(again.rows.len(), 5);
    assert_eq!(again.ignored_headers, ["Rij in upload", "Fouten"]);
    assert_eq!(
        again.rows[1].national_number.as_ref().unwrap_err().code(),
        "national-number-check-digits"
    );
}

#[test]
fn a_workbook_without_errors_gives_an_error_workbook_with_only_the_header() {
    let bytes = ebdesk_sheets::write_insured_overview(sample_rows(5), &dutch()).unwrap();
    let upload = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
    let errors = write_error_workbook(&upload, &[], &dutch()).unwrap();
    assert_eq!(
        read_insured_upload(&errors, &UploadLimits::default()),
        Err(FileRejection::NoRows)
    );
}

/// Dutch, the language the texts are checked in.
fn dutch() -> ebdesk_i18n::LanguageIdentifier {
    ebdesk_i18n::default_language()
}
